//! The unreachable-rule check through the run-time readers (a rule taken
//! by a union of earlier rules, origin by origin) and the policy-wide limit
//! on distinct request-header patterns that bounds its cost.

use cors_config::from_json;

fn rule(origins: &[&str], methods: &[&str], headers: &[&str]) -> String {
    let list = |items: &[&str]| {
        items
            .iter()
            .map(|i| format!("\"{i}\""))
            .collect::<Vec<_>>()
            .join(",")
    };
    format!(
        r#"{{"allow_origins":[{}],"allow_methods":[{}],"allow_headers":[{}]}}"#,
        list(origins),
        list(methods),
        list(headers)
    )
}

#[test]
fn a_rule_whose_origins_earlier_rules_split_between_them_is_unreachable() {
    let text = format!(
        "[{},{},{}]",
        rule(&["https://a.example.com"], &["GET", "PUT"], &["x-a"]),
        rule(&["https://*.example.org"], &["GET", "PUT"], &["*"]),
        rule(
            &["https://a.example.com", "https://b.example.org"],
            &["GET"],
            &["x-a"]
        ),
    );
    let error = from_json(&text).unwrap_err().to_string();
    assert!(
        error.starts_with("rules[2]: rule 2 can never be chosen: for each of its origins an earlier rule (rule 0, rule 1) already allows that origin"),
        "{error}"
    );
}

#[test]
fn an_origin_no_earlier_rule_answers_keeps_the_rule() {
    let text = format!(
        "[{},{},{}]",
        rule(&["https://a.example.com"], &["GET", "PUT"], &["x-a"]),
        rule(&["https://*.example.org"], &["GET"], &["*"]),
        // `PUT` from b.example.org reaches this rule.
        rule(
            &["https://a.example.com", "https://b.example.org"],
            &["GET", "PUT"],
            &["x-a"]
        ),
    );
    assert!(from_json(&text).is_ok());
}

#[test]
fn the_single_covering_rule_keeps_its_message() {
    let text = format!(
        "[{},{}]",
        rule(&["https://*.example.com"], &["*"], &["*"]),
        rule(&["https://a.example.com"], &["GET"], &[]),
    );
    let error = from_json(&text).unwrap_err().to_string();
    assert!(
        error.starts_with("rules[1]: rule 1 can never be chosen: rule 0 comes first and already allows every origin, method and request header it allows"),
        "{error}"
    );
}

/// `count` rules, each on its own origin, listing the patterns `x-{i}-*`
/// for the indexes `patterns(rule)` gives.
fn with_patterns(count: usize, patterns: impl Fn(usize) -> Vec<usize>) -> String {
    let rules: Vec<String> = (0..count)
        .map(|r| {
            let origin = format!("https://r{r}.example.com");
            let names: Vec<String> = patterns(r).iter().map(|p| format!("x-{p}-*")).collect();
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            rule(&[&origin], &["GET"], &names)
        })
        .collect();
    format!("[{}]", rules.join(","))
}

#[test]
fn distinct_header_patterns_are_limited_per_policy() {
    let limit = cors_grammar::MAX_HEADER_PATTERNS;
    // The same pattern in every rule counts once.
    assert!(from_json(&with_patterns(256, |_| vec![0])).is_ok());
    // Exactly the limit, spread over rules.
    assert!(from_json(&with_patterns(limit, |r| vec![r])).is_ok());
    // One more: reported once, at the rule that goes past it.
    let error = from_json(&with_patterns(limit + 5, |r| vec![r])).unwrap_err();
    assert_eq!(error.total(), 1, "{error}");
    let text = error.to_string();
    assert!(
        text.starts_with(&format!(
            "rules[{limit}].allow_headers: a policy lists at most {limit} distinct request-header patterns across its rules, and with this rule's it lists {}",
            limit + 1
        )),
        "{text}"
    );
}
