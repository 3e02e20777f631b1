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
                "unknown key `{}`; expected one of `rules`, {}",
                cors_grammar::quote(key),
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
                // Not checked one by one: comparing every path with every
                // other must stay cheap on a hostile document.
                problems.at(
                    list_at,
                    format!(
                        "`open_paths` lists at most {MAX_OPEN_PATHS} paths; this one lists {}: open a prefix such as `\"/hooks/*\"` for the paths under it",
                        items.len()
                    ),
                );
            } else {
                let mut sink = ItemSink {
                    problems,
                    owner: Owner::Policy,
                    field,
                };
                open_paths = open_path::check_all(&mut sink, items);
            }
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
        cors_grammar::work::step();
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

#[cfg(test)]
mod tests {
    use crate::raw::{RawItem, RawRule};
    use crate::{check, Location, PolicyModel, Problem, RawField, RawPolicy, RawValue};

    fn field(key: &str, value: RawValue) -> RawField {
        RawField {
            key: key.to_owned(),
            value,
        }
    }

    fn strings(values: &[&str]) -> RawValue {
        RawValue::List(
            values
                .iter()
                .map(|v| RawItem::Str((*v).to_owned()))
                .collect(),
        )
    }

    /// A valid rule's fields, then `extra`.
    fn rule(extra: Vec<RawField>) -> RawRule {
        let mut fields = vec![
            field("allow_origins", strings(&["https://app.example.com"])),
            field("allow_methods", strings(&["POST"])),
        ];
        fields.extend(extra);
        RawRule { fields }
    }

    fn problems(policy: &RawPolicy) -> Vec<Problem> {
        check(policy).expect_err("refused")
    }

    fn model(policy: &RawPolicy) -> PolicyModel {
        check(policy).unwrap_or_else(|e| panic!("{e:?}"))
    }

    #[test]
    fn on_and_nothing_open_unless_written() {
        let one = model(&RawPolicy::Single(rule(Vec::new())));
        assert!(one.cross_origin_protection && one.open_paths.is_empty());
        let several = model(&RawPolicy::rules_only(vec![rule(Vec::new())]));
        assert!(several.cross_origin_protection && several.open_paths.is_empty());
    }

    #[test]
    fn a_one_rule_policy_has_them_among_its_keys() {
        let policy = RawPolicy::Single(rule(vec![field(
            "open_paths",
            strings(&["/pay/callback", "/hooks/*"]),
        )]));
        let checked = model(&policy);
        assert_eq!(checked.open_paths, ["/pay/callback", "/hooks/*"]);
        let layout = crate::layout::layout(&checked).protection;
        assert!(layout.enabled);
        assert_eq!(
            layout.open_paths,
            [
                ("/pay/callback".to_owned(), false),
                ("/hooks/".to_owned(), true)
            ]
        );
        let off = RawPolicy::Single(rule(vec![field(
            "cross_origin_protection",
            RawValue::Bool(false),
        )]));
        assert!(!model(&off).cross_origin_protection);
    }

    #[test]
    fn a_policy_of_several_rules_has_them_beside_rules() {
        let other = RawRule {
            fields: vec![
                field("allow_origins", strings(&["https://other.example.com"])),
                field("allow_methods", strings(&["GET"])),
            ],
        };
        let policy = RawPolicy::Rules {
            fields: vec![field("cross_origin_protection", RawValue::Bool(false))],
            rules: vec![rule(Vec::new()), other],
        };
        let checked = model(&policy);
        assert!(!checked.cross_origin_protection);
        assert_eq!(checked.rules.len(), 2);
    }

    #[test]
    fn inside_a_rule_of_several_they_are_misplaced() {
        let policy = RawPolicy::rules_only(vec![
            rule(Vec::new()),
            rule(vec![
                field("open_paths", strings(&["/a"])),
                field("cross_origin_protection", RawValue::Bool(false)),
            ]),
        ]);
        let found = problems(&policy);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].at, Location::Key { rule: 1, field: 2 });
        assert!(found[0]
            .message
            .starts_with("`open_paths` belongs to the policy, not to a rule"));
        assert!(found[1].message.contains("move it beside `rules`"));
    }

    #[test]
    fn beside_rules_only_rules_and_the_policy_keys() {
        let policy = RawPolicy::Rules {
            fields: vec![
                field("allow_methods", strings(&["GET"])),
                field("bogus", RawValue::Bool(true)),
                field("rules", RawValue::Other("a rule")),
                field("rules", RawValue::List(Vec::new())),
                field("open_paths", strings(&["/a"])),
                field("open_paths", strings(&["/b"])),
            ],
            rules: Vec::new(),
        };
        let found: Vec<(Location, String)> = problems(&policy)
            .into_iter()
            .map(|p| (p.at, p.message))
            .collect();
        let at = |location: Location| {
            found
                .iter()
                .find(|(at, _)| *at == location)
                .map_or("", |(_, m)| m.as_str())
        };
        assert!(at(Location::PolicyKey { field: 0 }).starts_with(
            "`allow_methods` is a key of a rule, and this policy lists its rules under `rules`"
        ));
        assert_eq!(
            at(Location::PolicyKey { field: 1 }),
            "unknown key `bogus`; expected one of `rules`, `cross_origin_protection`, `open_paths`"
        );
        assert!(at(Location::PolicyValue { field: 2 })
            .starts_with("`rules` takes a list of rules, found a rule"));
        assert!(at(Location::PolicyKey { field: 3 }).starts_with("duplicate key `rules`"));
        assert_eq!(
            at(Location::PolicyKey { field: 5 }),
            "duplicate key `open_paths`; each key may appear once in a policy, remove one"
        );
        // The `rules` that is not a list is the mistake: no second message
        // about a policy without rules.
        assert_eq!(found.len(), 5, "{found:?}");
    }

    #[test]
    fn open_paths_with_the_protection_off_open_nothing() {
        let policy = RawPolicy::Single(rule(vec![
            field("cross_origin_protection", RawValue::Bool(false)),
            field("open_paths", strings(&["/a", "not checked"])),
        ]));
        let found = problems(&policy);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].at, Location::PolicyValue { field: 3 });
        assert!(found[0].message.contains("`open_paths` opens nothing"));
        assert_eq!(found[1].at, Location::PolicyValue { field: 2 });
        assert!(found[1].message.contains("remove one of the two"));
        // Even an empty list: the two keys contradict each other.
        let empty = RawPolicy::Single(rule(vec![
            field("cross_origin_protection", RawValue::Bool(false)),
            field("open_paths", strings(&[])),
        ]));
        assert_eq!(problems(&empty).len(), 2);
    }

    #[test]
    fn open_paths_are_bounded_and_checked_one_by_one() {
        let many: Vec<String> = (0..=super::MAX_OPEN_PATHS)
            .map(|i| format!("/p{i}"))
            .collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        let found = problems(&RawPolicy::Single(rule(vec![field(
            "open_paths",
            strings(&many),
        )])));
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].at, Location::PolicyValue { field: 2 });
        assert!(found[0]
            .message
            .contains("at most 64 paths; this one lists 65"));
        let items = RawValue::List(vec![
            RawItem::Str("/ok".into()),
            RawItem::Ident("pay".into()),
            RawItem::Other("a number"),
            RawItem::Str("/ok".into()),
        ]);
        let found = problems(&RawPolicy::Single(rule(vec![field("open_paths", items)])));
        let messages: Vec<(Location, &str)> =
            found.iter().map(|p| (p.at, p.message.as_str())).collect();
        assert_eq!(
            messages,
            [
                (
                    Location::PolicyItem { field: 2, item: 1 },
                    "open paths are strings; write `\"/pay\"`"
                ),
                (
                    Location::PolicyItem { field: 2, item: 2 },
                    "open paths are strings such as `\"/pay/callback\"`, not a number"
                ),
                (
                    Location::PolicyItem { field: 2, item: 3 },
                    "duplicate open path `/ok`; remove it"
                ),
            ]
        );
    }
}
