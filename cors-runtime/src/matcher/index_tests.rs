//! Tests of the DSL matcher's indexes against the simple ways they replace:
//! a key's sorted origin entries, binary-searched, against the patterns a
//! scan finds; the policy-wide method and header index against trying each
//! rule in turn. Built from run-time policies, so compiled with `config`.

use http::HeaderValue;

use crate::front::{RequestKind, RequestValue, Requested};
use crate::matcher::rule_index::{Asked, RuleIndex};
use crate::matcher::rule_set::RuleSet;
use crate::matcher::rule_walk::{self, WalkedRule};
use crate::Policy;

/// A xorshift generator of numbers below a bound, from `seed`.
fn xorshift(mut seed: u64) -> impl FnMut(usize) -> usize {
    move |below| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % below as u64) as usize
    }
}

/// One origin pattern of the test's policies: scheme, host (the base of
/// a `*.` pattern when `subdomains`), port (`None`: absent; `Some(0)`:
/// `:*`).
type Pattern = (&'static str, &'static str, bool, Option<u16>);

fn pattern_text((scheme, host, subdomains, port): Pattern) -> String {
    let star = if subdomains { "*." } else { "" };
    let port = match port {
        None => String::new(),
        Some(0) => ":*".to_owned(),
        Some(port) => format!(":{port}"),
    };
    format!("{scheme}://{star}{host}{port}")
}

fn pattern_matches((scheme, host, subdomains, port): Pattern, origin: Pattern) -> bool {
    let (o_scheme, o_host, _, o_port) = origin;
    let host_matches = if subdomains {
        o_host
            .strip_suffix(host)
            .and_then(|labels| labels.strip_suffix('.'))
            .is_some_and(|labels| !labels.is_empty())
    } else {
        o_host == host
    };
    let port_matches = match port {
        Some(0) => true,
        want => want == o_port,
    };
    scheme == o_scheme && host_matches && port_matches
}

/// Keys holding many patterns (ports and schemes of one host, in several
/// rules) are binary-searched; the rules found are those whose patterns
/// match, as a scan finds them.
#[test]
fn crowded_keys_find_the_rules_a_scan_finds() {
    const SCHEMES: [&str; 4] = ["http", "https", "s1", "z9"];
    const HOSTS: [&str; 2] = ["a.example", "b.a.example"];
    let ports = [None, Some(0), Some(1), Some(80), Some(8080), Some(65535)];
    let mut rules: Vec<Vec<Pattern>> = Vec::new();
    let mut random = xorshift(0x9e37_79b9_7f4a_7c15);
    for _ in 0..5 {
        let mut patterns: Vec<Pattern> = Vec::new();
        for _ in 0..40 {
            let pattern = (
                SCHEMES[random(SCHEMES.len())],
                HOSTS[random(HOSTS.len())],
                random(3) == 0,
                ports[random(ports.len())],
            );
            // `http` and `https` default ports are refused by the checker.
            let default = matches!(pattern, ("http", _, _, Some(80)));
            if !default && !patterns.contains(&pattern) {
                patterns.push(pattern);
            }
        }
        rules.push(patterns);
    }
    let json = rules
        .iter()
        .enumerate()
        .map(|(index, patterns)| {
            let origins: Vec<String> = patterns
                .iter()
                .map(|pattern| format!("\"{}\"", pattern_text(*pattern)))
                .collect();
            format!(
                r#"{{"allow_origins": [{}], "allow_methods": ["M{index}"]}}"#,
                origins.join(",")
            )
        })
        .collect::<Vec<_>>()
        .join(",");
    let policy = Policy::from_json(&format!("[{json}]")).expect("a valid policy");
    let dsl = policy.matcher.dsl().expect("a DSL policy");
    let mut checked = 0;
    for scheme in SCHEMES {
        for host in ["a.example", "b.a.example", "c.b.a.example", "other.example"] {
            for port in [None, Some(1), Some(80), Some(81), Some(8080), Some(65535)] {
                let origin = (scheme, host, false, port);
                let mut expected = RuleSet::EMPTY;
                for (index, patterns) in rules.iter().enumerate() {
                    if patterns
                        .iter()
                        .any(|pattern| pattern_matches(*pattern, origin))
                    {
                        expected.insert(index as u16);
                    }
                }
                let text = pattern_text(origin);
                assert_eq!(dsl.match_origin(text.as_bytes()), Ok(expected), "{text}");
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 96);
}

const METHODS: [&str; 4] = ["\"GET\"", "\"PUT\"", "\"M1\"", "\"*\""];
const HEADERS: [&str; 8] = [
    "\"x-a\"",
    "\"x-b\"",
    "\"content-type\"",
    "\"x-p-*\"",
    "\"*-q\"",
    "\"x-*-x\"",
    "\"x-p*\"",
    "\"*\"",
];
const NAMES: [&str; 13] = [
    "x-a",
    "X-B",
    "x-p-1",
    "a-q",
    "x-p-q",
    "content-type",
    "x-c",
    " ",
    ";",
    "x-x",
    "x--x",
    "X-A-X",
    "X-P",
];

/// Checks that `index` answers a preflight from `https://a.example` for
/// `method` with the header `list` (if any) as trying each of the
/// `candidates` of `rules` in turn does: the same rule, or the same
/// refusal. Returns whether the request is allowed.
fn compare<R: WalkedRule + std::fmt::Debug>(
    index: &RuleIndex,
    rules: &[R],
    candidates: RuleSet,
    method: &'static str,
    list: Option<&HeaderValue>,
    context: &str,
) -> bool {
    let origin_value = HeaderValue::from_static("https://a.example");
    let origin = RequestValue::Http(&origin_value);
    let method_value = HeaderValue::from_static(method);
    let requested = Requested {
        method,
        method_value: Some(RequestValue::Http(&method_value)),
        headers: list.map(RequestValue::Http),
    };
    let walk = candidates
        .iter()
        .filter_map(|position| Some((position, rules.get(position)?)));
    let walked = rule_walk::first_allowing(RequestKind::Preflight, origin, requested, walk);
    let asked = Asked {
        kind: RequestKind::Preflight,
        origin,
        requested,
        candidates,
    };
    let indexed = index.first_allowing(rules, &asked);
    assert_eq!(format!("{indexed:?}"), format!("{walked:?}"), "{context}");
    // One candidate alone (the path a policy of many header patterns takes
    // when one rule's origins match) answers as that rule does.
    if let Some(first) = candidates.first() {
        let mut alone = RuleSet::EMPTY;
        alone.insert(first as u16);
        let walk = rules.get(first).map(|rule| (first, rule)).into_iter();
        let walked = rule_walk::first_allowing(RequestKind::Preflight, origin, requested, walk);
        let asked = Asked {
            candidates: alone,
            ..asked
        };
        let indexed = index.first_allowing(rules, &asked);
        assert_eq!(
            format!("{indexed:?}"),
            format!("{walked:?}"),
            "rule {first} alone: {context}"
        );
    }
    walked.is_ok()
}

/// Rules of random methods and headers on one origin, and random
/// preflights: the index answers what trying each rule in turn answers
/// (the same rule, or the same refusal: rule, method or first refused
/// header, or the malformed list).
#[test]
fn one_read_of_the_list_answers_as_the_rule_walk() {
    let mut random = xorshift(0x2545_f491_4f6c_dd1d);
    let mut compared = 0;
    let mut allowed = 0;
    for _ in 0..300 {
        let rule_count = 2 + random(6);
        let rules: Vec<String> = (0..rule_count)
                .map(|_| {
                    let mut methods: Vec<&str> =
                        (0..1 + random(2)).map(|_| METHODS[random(4)]).collect();
                    methods.sort_unstable();
                    methods.dedup();
                    if methods.len() > 1 {
                        methods.retain(|method| *method != "\"*\"");
                    }
                    let mut headers: Vec<&str> =
                        (0..random(4)).map(|_| HEADERS[random(HEADERS.len())]).collect();
                    headers.sort_unstable();
                    headers.dedup();
                    if headers.len() > 1 {
                        headers.retain(|header| *header != "\"*\"");
                    }
                    format!(
                        r#"{{"allow_origins": ["https://a.example"], "allow_methods": [{}], "allow_headers": [{}]}}"#,
                        methods.join(","),
                        headers.join(",")
                    )
                })
                .collect();
        // Rules an earlier one covers are refused: such draws are skipped.
        let Ok(policy) = Policy::from_json(&format!("[{}]", rules.join(","))) else {
            continue;
        };
        let dsl = policy.matcher.dsl().expect("a DSL policy");
        let candidates = dsl.match_origin(b"https://a.example").expect("valid");
        for _ in 0..40 {
            let method = ["GET", "PUT", "M1", "POST"][random(4)];
            let list: Vec<&str> = (0..random(5)).map(|_| NAMES[random(NAMES.len())]).collect();
            let list = HeaderValue::from_str(&list.join(",")).expect("visible ASCII");
            let list = (random(5) != 0).then_some(&list);
            let context = format!("{rules:?} {method} {list:?}");
            let walked = compare(
                &dsl.rule_index,
                &dsl.rules,
                candidates,
                method,
                list,
                &context,
            );
            compared += 1;
            allowed += usize::from(walked);
        }
    }
    assert!(compared > 2_000, "{compared}");
    assert!(
        allowed > compared / 10 && allowed < compared * 9 / 10,
        "{allowed} of {compared}"
    );
}

/// S3 configurations of several rules on one origin, some with nearly as
/// many header patterns as the tries hold (up to 54 distinct): the index
/// answers what trying each rule in turn answers.
#[cfg(feature = "s3")]
#[test]
fn s3_rules_are_answered_by_the_index_as_by_the_walk() {
    const ALLOWED: [&str; 8] = [
        "x-a",
        "X-B",
        "content-type",
        "x-p-*",
        "*-q",
        "x-*-x",
        "*",
        "f70-*",
    ];
    let mut random = xorshift(0x1234_5678_9abc_def1);
    let (mut compared, mut allowed) = (0, 0);
    for round in 0..200 {
        let rules: Vec<String> = (0..2 + random(5))
            .map(|rule| {
                let methods = [r#""GET""#, r#""PUT""#, r#""POST""#][random(3)];
                let mut headers: Vec<String> = (0..random(4))
                    .map(|_| format!("\"{}\"", ALLOWED[random(ALLOWED.len())]))
                    .collect();
                if rule == 0 && round % 2 == 0 {
                    headers.extend((0..50).map(|n| format!("\"f{n:02}-*\"")));
                }
                format!(
                    r#"{{"AllowedOrigins":["https://a.example"],"AllowedMethods":[{methods}],"AllowedHeaders":[{}]}}"#,
                    headers.join(",")
                )
            })
            .collect();
        let policy = Policy::from_s3_json(&format!(r#"{{"CORSRules":[{}]}}"#, rules.join(",")))
            .expect("a valid configuration");
        let crate::policy::Matcher::S3Owned(s3) = &policy.matcher else {
            unreachable!("an S3 configuration")
        };
        let candidates = s3.rules_for_origin(b"https://a.example");
        for _ in 0..30 {
            let method = ["GET", "PUT", "POST"][random(3)];
            let mut names: Vec<String> = (0..random(5))
                .map(|_| NAMES[random(NAMES.len())].to_owned())
                .collect();
            if random(2) == 0 {
                names.push(format!("F{:02}-z", random(52)));
            }
            let list = HeaderValue::from_str(&names.join(",")).expect("visible ASCII");
            let list = (random(5) != 0).then_some(&list);
            let context = format!("{rules:?} {method} {list:?}");
            let walked = compare(
                &s3.rule_index,
                &s3.rules,
                candidates,
                method,
                list,
                &context,
            );
            compared += 1;
            allowed += usize::from(walked);
        }
    }
    assert!(compared == 6_000, "{compared}");
    assert!(
        allowed > compared / 10 && allowed < compared * 9 / 10,
        "{allowed} of {compared}"
    );
}
