//! The policy's own keys, which belong to no rule: `cross_origin_protection`
//! (on unless written `false`) and `open_paths` (the paths that stay open to
//! cross-site `POST`s). A one-rule policy writes them among its rule's keys;
//! a policy of several rules writes them beside `rules`.

use crate::fields::{one_of, Fields, KeyRole};
use crate::open_path;
use crate::problem::{ItemSink, Owner, Problems};
use crate::raw::{RawField, RawPolicy, RawValue};

/// Every key of the policy's own, in the order the messages list them.
pub const POLICY_KEYS: [&str; 2] = ["cross_origin_protection", "open_paths"];

/// The most paths `open_paths` may list.
pub const MAX_OPEN_PATHS: usize = cors_grammar::MAX_OPEN_PATHS;

/// The longest open path, in bytes.
pub const MAX_OPEN_PATH_LEN: usize = cors_grammar::MAX_OPEN_PATH_LEN;

/// The policy's cross-origin protection, as far as it was checked.
pub(crate) struct ProtectionKeys {
    /// `cross_origin_protection`.
    pub(crate) enabled: bool,
    /// `open_paths`, as written.
    pub(crate) open_paths: Vec<String>,
}

/// The message for a policy key written inside one rule of several.
pub(crate) fn misplaced_in_rule(key: &str) -> String {
    let example = match key {
        "open_paths" => "open_paths: [\"/pay/callback\"]",
        _ => "cross_origin_protection: false",
    };
    format!(
        "`{key}` belongs to the policy, not to a rule: it applies to every rule; move it beside `rules`, as in `{{ {example}, rules: [{{ .. }}, {{ .. }}] }}`"
    )
}

/// What a key means among the policy's own fields: in a one-rule policy
/// every other key is the rule's; beside `rules`, only `rules` (reported
/// by [`check_rules_entries`]) and the policy's keys belong there.
fn policy_role(multi: bool) -> impl Fn(&str) -> KeyRole {
    move |key| {
        if POLICY_KEYS.contains(&key) {
            KeyRole::Known
        } else if !multi || key == "rules" {
            KeyRole::Elsewhere
        } else if crate::KEYS.contains(&key) {
            KeyRole::Misplaced(format!(
                "`{key}` is a key of a rule, and this policy lists its rules under `rules`: move `{key}` into each rule that needs it, or remove `rules` and write a one-rule policy"
            ))
        } else {
            KeyRole::Misplaced(format!(
                "unknown key `{key}`; expected one of `rules`, {}",
                one_of(&POLICY_KEYS)
            ))
        }
    }
}

/// Checks the policy's own keys; problems go to `problems`, and what could
/// not be read counts as left out.
pub(crate) fn check(problems: &mut Problems, policy: &RawPolicy) -> ProtectionKeys {
    let multi = matches!(policy, RawPolicy::Rules { .. });
    let written = policy.policy_fields();
    if multi {
        check_rules_entries(problems, written);
    }
    let fields = Fields::new(
        problems,
        Owner::Policy,
        written,
        policy_role(multi),
        "a policy",
    );
    let enabled = fields.boolean(problems, "cross_origin_protection", "false");
    let mut open_paths = Vec::new();
    if let Some((items, list_at, field)) =
        fields.list(problems, "open_paths", "[\"/pay/callback\"]")
    {
        if let Some((false, off_at)) = enabled {
            problems.at(list_at, "`open_paths` opens nothing when `cross_origin_protection: false`: every path is already open to cross-site requests; remove `open_paths`, or remove `cross_origin_protection: false` to keep the protection on");
            problems.at(off_at, "`cross_origin_protection: false` turns the protection off for every path, which leaves `open_paths` nothing to open; remove one of the two");
        } else {
            if items.len() > MAX_OPEN_PATHS {
                problems.at(
                    list_at,
                    format!(
                        "`open_paths` lists at most {MAX_OPEN_PATHS} paths; this one lists {}: open a prefix such as `\"/hooks/*\"` for the paths under it",
                        items.len()
                    ),
                );
            }
            let mut sink = ItemSink {
                problems,
                owner: Owner::Policy,
                field,
            };
            open_paths = open_path::check_all(&mut sink, items);
        }
    }
    ProtectionKeys {
        enabled: enabled.is_none_or(|(on, _)| on),
        open_paths,
    }
}

/// Beside the policy's keys, `rules` is written once, as a list: the
/// readers took the rules from the first list, and left any other `rules`
/// here.
fn check_rules_entries(problems: &mut Problems, fields: &[RawField]) {
    for (field, RawField { key, value }) in fields.iter().enumerate() {
        if key != "rules" {
            continue;
        }
        if let RawValue::List(_) = value {
            problems.at(
                Owner::Policy.key(field),
                "duplicate key `rules`; a policy lists its rules once: merge the lists, in the order the rules should be tried",
            );
        } else {
            Fields::wrong_kind(
                problems,
                Owner::Policy.value(field),
                "rules",
                value,
                "a list of rules",
                "[{ allow_origins: [..], allow_methods: [..] }]",
            );
        }
    }
}
