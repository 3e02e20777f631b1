//! Meaning: every rule of the DSL, each checked on its own, every mistake
//! recorded in [`Problems`] (checking goes on with what is left), and the
//! result lowered to a [`PolicyModel`].

use std::collections::{HashMap, HashSet};

use crate::coverage;
use crate::fields::{one_of, Fields, KeyRole};
use crate::header;
use crate::method;
use crate::model::{OriginPattern, PolicyModel, RuleModel};
use crate::origin;
use crate::policy_keys::{self, POLICY_KEYS};
use crate::problem::{ItemSink, Location, OptIn, Owner, Problem, Problems};
use crate::public_suffix;
use crate::raw::{RawItem, RawPolicy, RawRule, RawValue};
use cors_grammar::{is_escaped_in_messages, quote, MAX_HEADER_PATTERNS};

/// Every key a rule may have, in the order the messages list them.
pub const KEYS: [&str; 9] = [
    "id",
    "allow_origins",
    "allow_methods",
    "allow_headers",
    "expose_headers",
    "max_age",
    "allow_credentials",
    "dangerously_allow_insecure_origins",
    "dangerously_allow_public_suffix_wildcards",
];

/// The most rules a policy may have (the runtime's fixed-size rule set).
pub const MAX_RULES: usize = cors_grammar::MAX_RULES;

/// Firefox's cap on `Access-Control-Max-Age`, the highest of all browsers.
pub const MAX_AGE_LIMIT: u64 = 86_400;

/// The longest rule id, in characters (Amazon S3's limit).
pub const MAX_ID_LEN: usize = cors_grammar::MAX_ID_LEN;

/// Checks a policy with every rule of the DSL: the checked, lowered policy,
/// or every problem found, in the order found.
pub fn check(policy: &RawPolicy) -> Result<PolicyModel, Vec<Problem>> {
    check_keeping(policy, usize::MAX).map_err(|(problems, _)| problems)
}

/// [`check`], keeping only the first `keep` problems: the problems kept
/// and how many there were in all.
pub(crate) fn check_keeping(
    policy: &RawPolicy,
    keep: usize,
) -> Result<PolicyModel, (Vec<Problem>, usize)> {
    let mut problems = Problems::keeping(keep);
    let protection = policy_keys::check(&mut problems, policy);
    let multi = matches!(policy, RawPolicy::Rules { .. });
    if let RawPolicy::Rules { fields, rules } = policy {
        // A `rules` that is not a list was reported as such.
        if rules.is_empty() && !fields.iter().any(|f| f.key == "rules") {
            problems.at(Location::Policy, "a policy needs at least one rule; add `{ allow_origins: [..], allow_methods: [..] }`");
        }
        if rules.len() > MAX_RULES {
            problems.at(
                Location::Policy,
                format!(
                    "a policy has at most {MAX_RULES} rules (Amazon S3 allows 100); this one has {}",
                    rules.len()
                ),
            );
        }
    }
    let mut rules: Vec<RuleModel> = Vec::with_capacity(policy.rules().len());
    for (index, rule) in policy.rules().iter().enumerate() {
        rules.push(check_rule(&mut problems, index, rule, multi));
    }
    check_unique_ids(&mut problems, policy.rules(), &rules);
    check_header_pattern_count(&mut problems, policy.rules(), &rules, multi);
    if problems.is_empty() {
        // Only on rules that passed every other check: a rule whose mistakes
        // were dropped would look narrower than it was written.
        check_reachable(&mut problems, &rules);
    }
    if problems.is_empty() {
        Ok(PolicyModel {
            rules,
            cross_origin_protection: protection.enabled,
            open_paths: protection.open_paths,
        })
    } else {
        Err(problems.into_parts())
    }
}

/// What a key means in a rule: the rule's keys are known; in a one-rule
/// policy the policy's keys are read by [`policy_keys::check`], while in a
/// rule of several they are misplaced.
fn rule_role(multi: bool) -> impl Fn(&str) -> KeyRole {
    move |key| {
        if KEYS.contains(&key) {
            KeyRole::Known
        } else if POLICY_KEYS.contains(&key) {
            if multi {
                KeyRole::Misplaced(policy_keys::misplaced_in_rule(key))
            } else {
                KeyRole::Elsewhere
            }
        } else if multi {
            KeyRole::Misplaced(format!(
                "unknown key `{}`; expected one of {}",
                quote(key),
                one_of(&KEYS)
            ))
        } else {
            KeyRole::Misplaced(format!(
                "unknown key `{}`; expected one of {}, {}",
                quote(key),
                one_of(&KEYS),
                one_of(&POLICY_KEYS)
            ))
        }
    }
}

/// A rule whose every request earlier rules already allow can never be
/// chosen (see `coverage` for exactly what is detected).
fn check_reachable(problems: &mut Problems, rules: &[RuleModel]) {
    let name = |index: usize| match rules.get(index).and_then(|r| r.id.as_deref()) {
        Some(id) => format!("rule {index} (`{}`)", quote(id)),
        None => format!("rule {index}"),
    };
    for (later, covering) in coverage::unreachable_rules(rules) {
        let message = match covering {
            coverage::Covering::One(earlier) => format!(
                "{} can never be chosen: {} comes first and already allows every origin, method and request header it allows (the first matching rule wins), so its own answer never reaches a browser; put the more specific rule first, or merge the two",
                name(later),
                name(earlier)
            ),
            coverage::Covering::Several(earlier) => format!(
                "{} can never be chosen: for each of its origins an earlier rule ({}) already allows that origin with every method and request header it allows (the first matching rule wins), so its own answer never reaches a browser; put the more specific rule first, or remove the origins the earlier rules already answer",
                name(later),
                names_of_rules(&earlier, name)
            ),
        };
        problems.at(Location::Rule(later), message);
    }
}

/// The most earlier rules a message names; the rest are counted.
const MAX_NAMED_RULES: usize = 5;

/// `rule 0 (`a`), rule 2, and 3 more rules`: the rules of `indexes` named,
/// at most [`MAX_NAMED_RULES`] of them, so that the message stays short
/// whatever the policy.
fn names_of_rules(indexes: &[usize], name: impl Fn(usize) -> String) -> String {
    let mut names: Vec<String> = Vec::new();
    for &at in indexes.iter().take(MAX_NAMED_RULES) {
        names.push(name(at));
    }
    match indexes.len().saturating_sub(MAX_NAMED_RULES) {
        0 => {}
        1 => names.push("and 1 more rule".to_owned()),
        more => names.push(format!("and {more} more rules")),
    }
    names.join(", ")
}

/// A policy lists at most [`MAX_HEADER_PATTERNS`] distinct request-header
/// patterns: each requested header (and, when checking, each distinct
/// header name) is tested against every one of them. Reported once, at the
/// `allow_headers` of the rule that goes past the limit.
fn check_header_pattern_count(
    problems: &mut Problems,
    bodies: &[RawRule],
    rules: &[RuleModel],
    multi: bool,
) {
    // Each distinct pattern, with the first rule listing it (the map the
    // coverage check keeps patterns in: one hash map to compile).
    let mut distinct: HashMap<(&str, &str), usize> = HashMap::new();
    for (index, (body, rule)) in bodies.iter().zip(rules).enumerate() {
        cors_grammar::work::add(1 + rule.header_patterns.len());
        for (prefix, suffix) in &rule.header_patterns {
            distinct.entry((prefix, suffix)).or_insert(index);
        }
        if distinct.len() > MAX_HEADER_PATTERNS {
            let at = Fields::quiet(Owner::Rule(index), &body.fields, rule_role(multi))
                .get("allow_headers")
                .map_or(Location::Rule(index), |(at, _)| at);
            problems.at(
                at,
                format!(
                    "a policy lists at most {MAX_HEADER_PATTERNS} distinct request-header patterns across its rules, and with this rule's it lists {}; every requested header is tested against each pattern, so list exact names, or merge patterns (`x-*` covers `x-a-*`)",
                    distinct.len()
                ),
            );
            return;
        }
    }
}

/// Rule IDs name rules in decisions and logs, so two rules may not share one.
fn check_unique_ids(problems: &mut Problems, bodies: &[RawRule], rules: &[RuleModel]) {
    let mut seen = HashSet::new();
    for (index, (body, rule)) in bodies.iter().zip(rules).enumerate() {
        cors_grammar::work::step();
        let Some(id) = &rule.id else { continue };
        cors_grammar::work::add(id.len());
        if !seen.insert(id.clone()) {
            let at = Fields::quiet(Owner::Rule(index), &body.fields, rule_role(false))
                .index_of("id")
                .map_or(Location::Rule(index), |field| Location::Value {
                    rule: index,
                    field,
                });
            problems.at(
                at,
                format!(
                    "duplicate rule id `{}`; give each rule its own id",
                    quote(id)
                ),
            );
        }
    }
}

/// Checks one rule and lowers it (with what survived its errors).
fn check_rule(problems: &mut Problems, index: usize, body: &RawRule, multi: bool) -> RuleModel {
    cors_grammar::work::step();
    let fields = Fields::new(
        problems,
        Owner::Rule(index),
        &body.fields,
        rule_role(multi),
        "a rule",
    );
    let credentials = fields.boolean(problems, "allow_credentials", "true");
    let credentials_on = credentials.filter(|(on, _)| *on).map(|(_, at)| at);
    let id = check_id(problems, &fields);
    let (any_origin, origins) = check_origins(problems, index, &fields, credentials_on);
    let (any_method, methods) = check_methods(problems, index, &fields);
    let headers = check_allow_headers(problems, index, &fields, credentials_on.is_some());
    let expose_headers = check_expose_headers(problems, index, &fields, credentials_on);
    RuleModel {
        id,
        any_origin,
        origins,
        any_method,
        methods,
        any_header: headers.any,
        headers: headers.names,
        header_patterns: headers.patterns,
        expose_headers,
        max_age: check_max_age(problems, &fields),
        credentials: credentials_on.is_some(),
    }
}

/// `allow_methods`: whether it holds `*`, and the methods; a problem when
/// it is empty or missing.
fn check_methods(
    problems: &mut Problems,
    index: usize,
    fields: &Fields<'_>,
) -> (bool, Vec<String>) {
    match fields.list(problems, "allow_methods", "[GET, POST]") {
        Some((items, at, field)) => {
            if items.is_empty() {
                problems.at(
                    at,
                    "`allow_methods` is empty; list at least one method, e.g. `[GET]`",
                );
            }
            let mut sink = ItemSink {
                problems,
                owner: Owner::Rule(index),
                field,
            };
            method::check(&mut sink, items)
        }
        None => {
            if !fields.has("allow_methods") {
                problems.at(
                    Location::Rule(index),
                    "this rule has no `allow_methods`; add e.g. `allow_methods: [GET, POST]`",
                );
            }
            (false, Vec::new())
        }
    }
}

/// `allow_headers`, checked as [`header::check_request`] does; none when
/// the key is missing or not a list.
fn check_allow_headers(
    problems: &mut Problems,
    index: usize,
    fields: &Fields<'_>,
    credentials: bool,
) -> header::AllowedHeaders {
    fields
        .list(problems, "allow_headers", "[\"content-type\"]")
        .map(|(items, _, field)| {
            let mut sink = ItemSink {
                problems: &mut *problems,
                owner: Owner::Rule(index),
                field,
            };
            header::check_request(&mut sink, items, credentials)
        })
        .unwrap_or_default()
}

/// `expose_headers`, checked as [`header::check_expose`] does, with a
/// problem at both keys for `*` beside `allow_credentials: true`.
fn check_expose_headers(
    problems: &mut Problems,
    index: usize,
    fields: &Fields<'_>,
    credentials: Option<Location>,
) -> Vec<String> {
    let expose_headers = fields
        .list(problems, "expose_headers", "[\"etag\"]")
        .map(|(items, _, field)| {
            let mut sink = ItemSink {
                problems: &mut *problems,
                owner: Owner::Rule(index),
                field,
            };
            header::check_expose(&mut sink, items)
        })
        .unwrap_or_default();
    if let Some(credentials) = credentials {
        if expose_headers.iter().any(|h| h == "*") {
            let at = fields
                .get("expose_headers")
                .map_or(Location::Rule(index), |(at, _)| at);
            problems.at(at, "`expose_headers: [\"*\"]` does not work with `allow_credentials: true`: browsers read `*` as a header literally named `*` on credentialed requests; list the headers to expose");
            problems.at(credentials, "`allow_credentials: true` makes `expose_headers: [\"*\"]` expose nothing; list the headers to expose");
        }
    }
    expose_headers
}

fn check_id(problems: &mut Problems, fields: &Fields<'_>) -> Option<String> {
    let (id, at) = fields.string(problems, "id")?;
    cors_grammar::work::add(id.len());
    let len = id.chars().count();
    if id.is_empty() || len > MAX_ID_LEN {
        problems.at(
            at,
            format!("a rule id has 1 to {MAX_ID_LEN} characters; this one has {len}"),
        );
    }
    if let Some(c) = id.chars().find(|&c| is_escaped_in_messages(c)) {
        let what = if c.is_control() {
            "a control character"
        } else if matches!(c, '\u{2028}' | '\u{2029}') {
            "a line or paragraph separator"
        } else {
            "a bidirectional-formatting character, which reorders the text around it"
        };
        problems.at(
            at,
            format!(
                "a rule id cannot contain `{}` ({what}): ids are shown in decisions, logs and terminals, where it would change what is displayed; remove it",
                c.escape_unicode()
            ),
        );
    }
    Some(id.to_owned())
}

/// `max_age`: a whole number of seconds from 0 to [`MAX_AGE_LIMIT`]; every
/// message names what was written (quoted) and that range.
fn check_max_age(problems: &mut Problems, fields: &Fields<'_>) -> Option<u32> {
    let (at, value) = fields.get("max_age")?;
    let RawValue::Int { negative, digits } = value else {
        let expected = format!("a whole number of seconds from 0 to {MAX_AGE_LIMIT}");
        Fields::wrong_kind(problems, at, "max_age", value, &expected, "600");
        return None;
    };
    cors_grammar::work::add(digits.len());
    let decimal = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
    if *negative && decimal && digits.bytes().all(|b| b == b'0') {
        problems.at(at, format!("`max_age: -{}` has a minus sign; `max_age` is a whole number of seconds from 0 to {MAX_AGE_LIMIT}: write `max_age: 0`", quote(digits)));
        return None;
    }
    if *negative {
        problems.at(at, "`max_age` cannot be negative; use `max_age: 0` to stop browsers from caching preflights, or leave it out for their default (5 seconds)");
        return None;
    }
    let too_large = |shown: &dyn std::fmt::Display| {
        format!("`max_age: {shown}` is more than {MAX_AGE_LIMIT} seconds (24 hours, Firefox's cap; Chromium caps at 7200); use at most {MAX_AGE_LIMIT}")
    };
    match digits.parse::<u64>() {
        Ok(seconds) if seconds <= MAX_AGE_LIMIT => u32::try_from(seconds).ok(),
        Ok(seconds) => {
            problems.at(at, too_large(&seconds));
            None
        }
        // Past any 64-bit number.
        Err(_) if decimal => {
            problems.at(at, too_large(&quote(digits)));
            None
        }
        Err(_) => {
            problems.at(at, format!("`max_age` must be a whole number of seconds from 0 to {MAX_AGE_LIMIT}, not `{}`", quote(digits)));
            None
        }
    }
}

/// Checks `allow_origins` and the combinations that depend on credentials.
fn check_origins(
    problems: &mut Problems,
    rule: usize,
    fields: &Fields<'_>,
    credentials: Option<Location>,
) -> (bool, Vec<OriginPattern>) {
    let owner = Owner::Rule(rule);
    let Some((items, field)) = origin_items(problems, rule, fields) else {
        return (false, Vec::new());
    };
    let mut opt_ins = OriginOptIns::read(problems, fields);
    let mut any = false;
    let mut patterns = Vec::new();
    let mut seen = HashSet::new();
    let parsed = parse_origins(problems, items, |item| owner.item(field, item));
    cors_grammar::work::add(parsed.len());
    let has_star = parsed.iter().any(|(o, _)| matches!(o, origin::Origin::Any));
    for (parsed, at) in parsed {
        let pattern = match parsed {
            origin::Origin::Any => {
                check_star(problems, at, any, credentials);
                any = true;
                continue;
            }
            origin::Origin::Pattern(pattern) => pattern,
        };
        let text = origin::display(&pattern);
        cors_grammar::work::add(1 + text.len());
        let shown = quote(&text);
        if has_star {
            problems.at(
                at,
                format!("`{shown}` is redundant: `\"*\"` already allows every origin; remove it"),
            );
            continue;
        }
        if !seen.insert(text.clone()) {
            problems.at(at, format!("duplicate origin `{shown}`; remove it"));
            continue;
        }
        if credentials.is_some() {
            opt_ins.check_credentialed(problems, at, &pattern, &text);
        }
        patterns.push(pattern);
    }
    opt_ins.check_unneeded(problems);
    (any, patterns)
}

/// The items of `allow_origins` and its field's index; `None` when it is
/// missing (a problem) or not a list, and a problem when it is empty.
fn origin_items<'a>(
    problems: &mut Problems,
    rule: usize,
    fields: &Fields<'a>,
) -> Option<(&'a [RawItem], usize)> {
    let Some((items, list_at, field)) =
        fields.list(problems, "allow_origins", "[\"https://example.com\"]")
    else {
        if !fields.has("allow_origins") {
            problems.at(Location::Rule(rule), "this rule has no `allow_origins`; add e.g. `allow_origins: [\"https://app.example.com\"]`");
        }
        return None;
    };
    if items.is_empty() {
        problems.at(list_at, "`allow_origins` is empty; list at least one origin, e.g. `[\"https://app.example.com\"]`");
    }
    Some((items, field))
}

/// Problems for the `*` origin at `at`: a second one, and one beside
/// `allow_credentials: true` (at both keys).
fn check_star(problems: &mut Problems, at: Location, any: bool, credentials: Option<Location>) {
    if any {
        problems.at(at, "duplicate origin `*`; remove it");
    }
    if let Some(credentials) = credentials {
        problems.at(at, "the `\"*\"` origin cannot be combined with `allow_credentials: true`: browsers refuse `Access-Control-Allow-Origin: *` on credentialed requests, and reflecting any origin instead would let every site read your users' data; list the trusted origins");
        problems.at(credentials, "`allow_credentials: true` cannot be combined with the `\"*\"` origin; list the trusted origins, or drop credentials");
    }
}

/// A rule's two `dangerously_*` origin switches, and whether a
/// credentialed origin has needed each.
struct OriginOptIns {
    insecure_ok: Option<(bool, Location)>,
    suffix_ok: Option<(bool, Location)>,
    needs_insecure: bool,
    needs_suffix: bool,
}

impl OriginOptIns {
    /// Reads the switches of the rule with `fields`.
    fn read(problems: &mut Problems, fields: &Fields<'_>) -> Self {
        let insecure_ok = fields.boolean(problems, "dangerously_allow_insecure_origins", "true");
        let suffix_ok = fields.boolean(
            problems,
            "dangerously_allow_public_suffix_wildcards",
            "true",
        );
        OriginOptIns {
            insecure_ok,
            suffix_ok,
            needs_insecure: false,
            needs_suffix: false,
        }
    }

    /// Checks a credentialed origin ([`check_credentialed`]), noting which
    /// switches it needs.
    fn check_credentialed(
        &mut self,
        problems: &mut Problems,
        at: Location,
        pattern: &OriginPattern,
        text: &str,
    ) {
        let (insecure, open) = check_credentialed(
            problems,
            at,
            pattern,
            text,
            self.insecure_ok,
            self.suffix_ok,
        );
        self.needs_insecure |= insecure;
        self.needs_suffix |= open;
    }

    /// Problems for each switch turned on that no origin needed.
    fn check_unneeded(self, problems: &mut Problems) {
        check_unneeded_opt_in(
            problems,
            self.insecure_ok,
            self.needs_insecure,
            "dangerously_allow_insecure_origins",
            "no origin of this rule is insecure with credentials",
        );
        check_unneeded_opt_in(
            problems,
            self.suffix_ok,
            self.needs_suffix,
            "dangerously_allow_public_suffix_wildcards",
            "no origin of this rule is a credentialed wildcard over a public suffix",
        );
    }
}

/// The origins of `items` parsed, each with its place; problems for the
/// items that are not strings or not origins.
fn parse_origins(
    problems: &mut Problems,
    items: &[RawItem],
    item_at: impl Fn(usize) -> Location,
) -> Vec<(origin::Origin, Location)> {
    let mut parsed = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        cors_grammar::work::step();
        let text = match item {
            RawItem::Str(text) => text,
            RawItem::Ident(text) => {
                problems.at(
                    item_at(index),
                    format!("origins are strings; write `\"https://{}\"`", quote(text)),
                );
                continue;
            }
            RawItem::Other(kind) => {
                problems.at(
                    item_at(index),
                    format!(
                        "origins are strings such as `\"https://app.example.com\"`, not {kind}"
                    ),
                );
                continue;
            }
        };
        cors_grammar::work::add(text.len());
        match origin::parse(text) {
            Ok(origin) => parsed.push((origin, item_at(index))),
            Err(message) => problems.at(item_at(index), message),
        }
    }
    parsed
}

/// The checks of an origin pattern of a rule that sends credentials: it is
/// secure, and a `*.` wildcard does not reach sites anyone can register,
/// unless the rule opts in. Returns whether each opt-in was needed.
fn check_credentialed(
    problems: &mut Problems,
    at: Location,
    pattern: &OriginPattern,
    text: &str,
    insecure_ok: Option<(bool, Location)>,
    suffix_ok: Option<(bool, Location)>,
) -> (bool, bool) {
    let shown = quote(text);
    let insecure = !origin::is_secure(pattern);
    if insecure && !insecure_ok.is_some_and(|(on, _)| on) {
        let https = text.replacen(&format!("{}://", pattern.scheme), "https://", 1);
        problems.accepted_by(at, format!("`{shown}` is not a secure origin (anyone on the network can inject script into a plain `{}` page), and this rule sends credentials; use `{}`, or set `dangerously_allow_insecure_origins: true` to accept the risk", quote(&pattern.scheme), quote(&https)), OptIn::InsecureOrigins);
    }
    let open_base = if pattern.subdomains {
        public_suffix::open_base(&pattern.host)
    } else {
        None
    };
    if let Some(open_base) = &open_base {
        if !suffix_ok.is_some_and(|(on, _)| on) {
            problems.accepted_by(
                at,
                open_base_message(text, &pattern.host, open_base),
                OptIn::PublicSuffixWildcards,
            );
        }
    }
    (insecure, open_base.is_some())
}

/// Why a credentialed `*.base` wildcard is refused, and the two ways out.
fn open_base_message(text: &str, base: &str, why: &public_suffix::OpenBase) -> String {
    use public_suffix::OpenBase;
    let base = quote(base.strip_suffix('.').unwrap_or(base));
    let text = quote(text);
    let what = match why {
        OpenBase::IsSuffix => format!(
            "`{text}` allows every site under the public suffix `{base}`, which anyone can register"
        ),
        OpenBase::BareTld => format!(
            "`{text}` allows every site under the top-level domain `{base}`, where anyone can name a site"
        ),
        OpenBase::SuffixBeneath(rule) => format!(
            "`{rule}` is a public suffix under `{base}` (Public Suffix List): `{text}` also allows sites such as `{}`, which anyone can register",
            public_suffix::example_site(rule)
        ),
    };
    format!("{what}, and this rule sends credentials; list the exact origins (or a wildcard under a domain you own), or set `dangerously_allow_public_suffix_wildcards: true` to accept the risk")
}

/// A `dangerously_*: true` that nothing needs would silently approve a risky
/// origin added later, so it is refused.
fn check_unneeded_opt_in(
    problems: &mut Problems,
    flag: Option<(bool, Location)>,
    needed: bool,
    key: &str,
    why: &str,
) {
    if let Some((true, at)) = flag {
        if !needed {
            problems.at(at, format!("`{key}: true` is not needed: {why}; remove it so that a risky origin added later is caught"));
        }
    }
}
