//! Messages quote values short and escaped: a huge value gives a short
//! message, control and bidirectional-formatting characters never reach a
//! terminal or a log raw, rule ids refuse them, and the messages of
//! `max_age` name what was written and the valid range.

use cors_config::{
    check, from_env_vars, from_json, from_toml, ConfigError, RawField, RawItem, RawPolicy, RawRule,
    RawValue,
};
use cors_grammar::{is_escaped_in_messages, MAX_QUOTED_CHARS};

/// Whether `text` (lines of messages) holds no character a terminal would
/// act on, but the line breaks between problems.
fn is_inert(text: &str) -> bool {
    !text.chars().any(|c| c != '\n' && is_escaped_in_messages(c))
}

fn refused(json: &str) -> ConfigError {
    from_json(json).expect_err(json)
}

#[test]
fn a_huge_value_gives_a_short_message() {
    let key = "k".repeat(1_000_000);
    let error = refused(&format!(
        r#"{{"{key}": 1, "allow_origins": ["*"], "allow_methods": ["GET"]}}"#
    ));
    let text = error.to_string();
    assert!(text.len() < 1_000, "{} bytes", text.len());
    let problem = &error.problems()[0];
    let quoted = format!("{}…", "k".repeat(MAX_QUOTED_CHARS - 1));
    assert_eq!(problem.path, quoted);
    assert_eq!(problem.key.as_deref(), Some(quoted.as_str()));
    assert!(
        problem
            .message
            .starts_with(&format!("unknown key `{quoted}`")),
        "{}",
        problem.message
    );
    // The same in a value, an id, a header, a method, an open path.
    let long = "x".repeat(500_000);
    for json in [
        format!(r#"{{"allow_origins": ["https://{long}"], "allow_methods": ["GET"]}}"#),
        format!(
            r#"{{"id": "{long}", "allow_origins": ["*"], "allow_methods": ["GET"], "bogus": 1}}"#
        ),
        format!(
            r#"{{"allow_origins": ["*"], "allow_methods": ["GET"], "allow_headers": ["{long} "]}}"#
        ),
        format!(r#"{{"allow_origins": ["*"], "allow_methods": ["{long} "]}}"#),
        format!(
            r#"{{"allow_origins": ["*"], "allow_methods": ["GET"], "open_paths": ["/{long} "]}}"#
        ),
    ] {
        let error = refused(&json);
        let text = error.to_string();
        assert!(text.len() < 1_000, "{} bytes: {text}", text.len());
        for problem in error.problems() {
            for field in [&problem.key, &problem.value, &problem.id] {
                let chars = field.as_deref().map_or(0, |f| f.chars().count());
                assert!(chars <= MAX_QUOTED_CHARS, "{problem:?}");
            }
        }
    }
}

#[test]
fn control_and_bidirectional_characters_are_escaped() {
    for hostile in [
        "\u{1b}[2J\u{1b}[31m",
        "\u{202e}",
        "\u{2066}x\u{2069}",
        "a\u{0}b",
        "\r\n",
        "\u{85}",
        "\u{200f}\u{61c}",
    ] {
        let encoded = serde_json::to_string(hostile).expect("a JSON string");
        let encoded = &encoded[1..encoded.len() - 1];
        for json in [
            format!(
                r#"{{"allow_origins": ["https://a{encoded}.example.com"], "allow_methods": ["GET"]}}"#
            ),
            format!(r#"{{"allow_origins": ["*"], "allow_methods": ["GET{encoded}"]}}"#),
            format!(
                r#"{{"allow_origins": ["*"], "allow_methods": ["GET"], "allow_headers": ["x-{encoded}"]}}"#
            ),
            format!(
                r#"{{"allow_origins": ["*"], "allow_methods": ["GET"], "expose_headers": ["x-{encoded}"]}}"#
            ),
            format!(
                r#"{{"allow_origins": ["*"], "allow_methods": ["GET"], "open_paths": ["/a{encoded}"]}}"#
            ),
            format!(r#"{{"allow_origins": ["*"], "allow_methods": ["GET"], "x{encoded}": 1}}"#),
            format!(
                r#"{{"rules": [{{"allow_origins": ["*"], "allow_methods": ["GET"]}}], "x{encoded}": 1}}"#
            ),
            format!(
                r#"{{"allow_origins": ["*"], "allow_methods": ["GET"], "max_age": "{encoded}"}}"#
            ),
        ] {
            let error = refused(&json);
            let text = error.to_string();
            assert!(is_inert(&text), "{json}: {text:?}");
            for problem in error.problems() {
                for field in [&problem.key, &problem.value, &problem.id] {
                    assert!(field.as_deref().is_none_or(is_inert), "{json}: {problem:?}");
                }
            }
        }
    }
    // The escaped form names the character.
    let text = refused(r#"{"allow_origins": ["*"], "allow_methods": ["GET\u202e"]}"#).to_string();
    assert!(
        text.contains("`GET\\u{202e}` is not a valid HTTP method"),
        "{text}"
    );
    // A parser's message quotes the document too.
    let text = from_toml("a = \"\u{202e}\n")
        .expect_err("unclosed")
        .to_string();
    assert!(is_inert(&text), "{text:?}");
    let text = from_env_vars(
        "CORS",
        [
            ("CORS_\u{1b}[31m", "x"),
            ("CORS_ALLOW_ORIGINS", "https://a\u{202e}"),
        ],
    )
    .expect_err("refused")
    .to_string();
    assert!(is_inert(&text), "{text:?}");
    assert!(
        text.contains("CORS_\\u{1b}[31M: unknown key `\\u{1b}[31m`"),
        "{text}"
    );
}

/// A rule id is shown in decisions, logs and terminals: it may not hold a
/// character that changes what they display.
#[test]
fn rule_ids_refuse_control_and_bidirectional_characters() {
    for (id, shown, what) in [
        ("a\u{0}b", "\\u{0}", "a control character"),
        ("a\nb", "\\u{a}", "a control character"),
        ("a\u{1b}[31m", "\\u{1b}", "a control character"),
        (
            "admin\u{202e}nimda",
            "\\u{202e}",
            "a bidirectional-formatting character",
        ),
        (
            "\u{2067}a",
            "\\u{2067}",
            "a bidirectional-formatting character",
        ),
        (
            "a\u{200e}",
            "\\u{200e}",
            "a bidirectional-formatting character",
        ),
        ("a\u{2028}b", "\\u{2028}", "a line or paragraph separator"),
    ] {
        let rule = RawRule {
            fields: vec![
                RawField {
                    key: "id".into(),
                    value: RawValue::Str(id.into()),
                },
                RawField {
                    key: "allow_origins".into(),
                    value: RawValue::List(vec![RawItem::Str("*".into())]),
                },
                RawField {
                    key: "allow_methods".into(),
                    value: RawValue::List(vec![RawItem::Ident("GET".into())]),
                },
            ],
        };
        let problems = check(&RawPolicy::Single(rule)).expect_err(id);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0]
                .message
                .starts_with(&format!("a rule id cannot contain `{shown}` ({what}")),
            "{}",
            problems[0].message
        );
        let json = serde_json::json!({"id": id, "allow_origins": ["*"], "allow_methods": ["GET"]});
        let error = refused(&json.to_string());
        assert!(is_inert(&error.to_string()), "{error}");
        assert!(error.problems()[0].id.as_deref().is_some_and(is_inert));
    }
    // Other characters stay allowed.
    let json = r#"{"id": "lecture publique · ñ 名前 🙂", "allow_origins": ["*"], "allow_methods": ["GET"]}"#;
    assert!(from_json(json).is_ok());
}

#[test]
fn max_age_messages_name_the_value_and_the_range() {
    let base = r#""allow_origins": ["*"], "allow_methods": ["GET"]"#;
    let message = |json: String| refused(&json).problems()[0].message.clone();
    let minus_zero = message(format!(r#"{{{base}, "max_age": -0}}"#));
    assert_eq!(
        minus_zero,
        "`max_age: -0` has a minus sign; `max_age` is a whole number of seconds from 0 to 86400: write `max_age: 0`"
    );
    let env = from_env_vars(
        "CORS",
        [
            ("CORS_ALLOW_ORIGINS", "*"),
            ("CORS_ALLOW_METHODS", "GET"),
            ("CORS_MAX_AGE", "-0"),
        ],
    )
    .expect_err("refused");
    assert_eq!(env.problems()[0].message, minus_zero);
    for digits in ["18446744073709551616", "100000000000000000000000000000"] {
        assert_eq!(
            message(format!(r#"{{{base}, "max_age": {digits}}}"#)),
            format!("`max_age: {digits}` is more than 86400 seconds (24 hours, Firefox's cap; Chromium caps at 7200); use at most 86400")
        );
    }
    let long = "9".repeat(300);
    let text = message(format!(r#"{{{base}, "max_age": {long}}}"#));
    assert!(
        text.len() < 400 && text.contains("9…` is more than 86400"),
        "{text}"
    );
    // A fraction, a string, a TOML date-time: the kind found and the range.
    for (found, kind) in [
        ("1.5", "a number with a fraction"),
        ("\"600\"", "a string"),
        ("[600]", "a list"),
    ] {
        assert_eq!(
            message(format!(r#"{{{base}, "max_age": {found}}}"#)),
            format!("`max_age` takes a whole number of seconds from 0 to 86400, found {kind}; write e.g. `max_age: 600`")
        );
    }
    for datetime in [
        "1979-05-27T07:32:00Z",
        "1979-05-27",
        "07:32:00",
        "1979-05-27 07:32:00.999",
    ] {
        let error = from_toml(&format!(
            "allow_origins = [\"*\"]\nallow_methods = [\"GET\"]\nmax_age = {datetime}\n"
        ))
        .expect_err(datetime);
        assert_eq!(
            error.to_string(),
            "max_age: `max_age` takes a whole number of seconds from 0 to 86400, found a date-time; write e.g. `max_age: 600`"
        );
    }
    // Past TOML's 64-bit integers, the parser hands a 128-bit one over: it
    // is named as written, like JSON's.
    let error = from_toml(
        "allow_origins = [\"*\"]\nallow_methods = [\"GET\"]\nmax_age = 18446744073709551616\n",
    )
    .expect_err("past TOML's integers");
    assert_eq!(
        error.to_string(),
        "max_age: `max_age: 18446744073709551616` is more than 86400 seconds (24 hours, Firefox's cap; Chromium caps at 7200); use at most 86400"
    );
    let error = from_toml(
        "allow_origins = [\"*\"]\nallow_methods = [\"GET\"]\nmax_age = -9223372036854775809\n",
    )
    .expect_err("negative past TOML's integers");
    assert!(
        error
            .to_string()
            .starts_with("max_age: `max_age` cannot be negative"),
        "{error}"
    );
    // Past 128 bits, the TOML parser itself refuses the number.
    let error = from_toml(&format!(
        "allow_origins = [\"*\"]\nallow_methods = [\"GET\"]\nmax_age = {}\n",
        "9".repeat(50)
    ))
    .expect_err("past 128 bits");
    assert!(
        error.to_string().starts_with("not a policy in TOML: "),
        "{error}"
    );
}

/// Ordinary values are quoted whole and unescaped: only long values and
/// the characters quoting escapes are shortened or escaped.
#[test]
fn ordinary_values_are_quoted_whole() {
    let error = refused(
        r#"{"allow_origins": ["https://Example.com", "null"], "allow_methods": ["get"], "bogus": 1, "max_age": 86401}"#,
    );
    assert_eq!(
        error.to_string(),
        [
            "bogus: unknown key `bogus`; expected one of `id`, `allow_origins`, `allow_methods`, `allow_headers`, `expose_headers`, `max_age`, `allow_credentials`, `dangerously_allow_insecure_origins`, `dangerously_allow_public_suffix_wildcards`, `cross_origin_protection`, `open_paths`",
            "allow_origins[0]: the host in `https://Example.com` must be lowercase: browsers send it lowercase and origins are compared byte for byte; write `https://example.com`",
            "allow_origins[1]: the `null` origin cannot be allowed: sandboxed iframes, `data:` and `file:` documents and some redirects all send it, so any site can forge it; remove it (use `\"*\"` if every origin is really meant)",
            "allow_methods[0]: write `GET`, not `get`: browsers uppercase `get` before sending it, and methods are compared case-sensitively",
            "max_age: `max_age: 86401` is more than 86400 seconds (24 hours, Firefox's cap; Chromium caps at 7200); use at most 86400",
        ]
        .join("\n")
    );
}

/// A problem that a rule's `dangerously_*` switch would accept names it
/// (tools converting a configuration turn on exactly those); other
/// problems name none, and with the switch on the rule is accepted.
#[test]
fn problems_name_the_switch_that_would_accept_them() {
    use cors_config::{from_config, OptIn, PolicyConfig, RuleConfig};
    let error = refused(
        r#"[{"allow_origins": ["http://app.example.com"], "allow_methods": ["GET"], "allow_credentials": true},
            {"allow_origins": ["https://*.github.io"], "allow_methods": ["PUT"], "allow_credentials": true},
            {"allow_origins": ["https://x.example"], "allow_methods": ["get"]}]"#,
    );
    let named: Vec<(Option<usize>, Option<OptIn>)> = error
        .problems()
        .iter()
        .map(|problem| (problem.rule, problem.opt_in))
        .collect();
    assert_eq!(
        named,
        [
            (Some(0), Some(OptIn::InsecureOrigins)),
            (Some(1), Some(OptIn::PublicSuffixWildcards)),
            (Some(2), None),
        ]
    );
    assert_eq!(
        OptIn::InsecureOrigins.key(),
        "dangerously_allow_insecure_origins"
    );
    let mut rule = RuleConfig {
        allow_origins: Some(vec!["http://app.example.com".to_owned()]),
        allow_methods: Some(vec!["GET".to_owned()]),
        allow_credentials: Some(true),
        ..RuleConfig::default()
    };
    let mut config = PolicyConfig {
        rules: vec![rule.clone()],
        ..PolicyConfig::default()
    };
    let problem = from_config(&config).expect_err("insecure with credentials");
    let opt_in = problem.problems()[0].opt_in.expect("a switch");
    assert!(rule.turn_on(opt_in));
    assert!(!rule.turn_on(opt_in), "already on");
    config.rules = vec![rule];
    from_config(&config).expect("accepted with the switch on");

    // Every switch the problems ask for, at once, by rule; none twice.
    let mut two = PolicyConfig {
        rules: vec![
            RuleConfig {
                allow_origins: Some(vec!["https://x.example".to_owned()]),
                allow_methods: Some(vec!["PUT".to_owned()]),
                ..RuleConfig::default()
            },
            RuleConfig {
                allow_origins: Some(vec![
                    "http://app.example.com".to_owned(),
                    "https://*.github.io".to_owned(),
                ]),
                allow_methods: Some(vec!["GET".to_owned()]),
                allow_credentials: Some(true),
                ..RuleConfig::default()
            },
        ],
        ..PolicyConfig::default()
    };
    let error = from_config(&two).expect_err("both switches asked for");
    assert_eq!(
        two.turn_on_opt_ins(&error),
        [
            (1, OptIn::InsecureOrigins),
            (1, OptIn::PublicSuffixWildcards)
        ]
    );
    assert_eq!(two.turn_on_opt_ins(&error), []);
    from_config(&two).expect("accepted with both switches on");
    assert_eq!(
        two.rules[1].flags(),
        [
            ("allow_credentials", Some(true)),
            ("dangerously_allow_insecure_origins", Some(true)),
            ("dangerously_allow_public_suffix_wildcards", Some(true)),
        ]
    );
}
