//! Run-time sources: each reads into the checker's tree, and a refused
//! policy's error names each problem's place, value and fix.

use cors_config::{
    from_config, from_env_vars, from_json, from_toml, ConfigError, PolicyConfig, RuleConfig,
};

/// Environment variables from name-value pairs.
fn vars(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// The rule, key, item and value of the problem at `path`.
fn place<'e>(
    error: &'e ConfigError,
    path: &str,
) -> (
    Option<usize>,
    Option<&'e str>,
    Option<usize>,
    Option<&'e str>,
) {
    let problem = error
        .problems()
        .iter()
        .find(|p| p.path == path)
        .unwrap_or_else(|| panic!("no problem at {path}: {error}"));
    (
        problem.rule,
        problem.key.as_deref(),
        problem.item,
        problem.value.as_deref(),
    )
}

#[test]
fn json_one_rule_or_several() {
    let one = from_json(
        r#"{"allow_origins": ["https://app.example.com"], "allow_methods": ["GET", "patch"]}"#,
    )
    .expect("valid");
    assert_eq!(one.rules.len(), 1);
    assert_eq!(one.rules[0].methods, ["GET", "patch"]);
    let two = from_json(
        r#"[{"id": "read", "allow_origins": ["*"], "allow_methods": ["GET"]},
            {"id": "write", "allow_origins": ["https://app.example.com"], "allow_methods": ["PUT"], "allow_credentials": true, "max_age": 600}]"#,
    )
    .expect("valid");
    assert_eq!(two.rules.len(), 2);
    assert_eq!(two.rules[1].max_age, Some(600));
}

#[test]
fn json_errors_name_their_place() {
    let error = from_json(
        r#"[{"allow_origins": ["*"], "allow_methods": ["GET"]},
            {"allow_origins": ["https://*.com"], "allow_methods": ["get"], "allow_credentials": true, "bogus": 1, "allow_methods": ["PUT"]}]"#,
    )
    .expect_err("refused");
    let text = error.to_string();
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("rules[1].bogus: unknown key `bogus`")),
        "{text}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("rules[1].allow_methods: duplicate key `allow_methods`")),
        "{text}"
    );
    assert!(lines.iter().any(|l| l.starts_with("rules[1].allow_origins[0]: `https://*.com` allows every site under the public suffix `com`")), "{text}");
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("rules[1].allow_methods[0]: write `GET`, not `get`")),
        "{text}"
    );
    assert_eq!(
        place(&error, "rules[1].allow_origins[0]"),
        (
            Some(1),
            Some("allow_origins"),
            Some(0),
            Some("https://*.com")
        )
    );
}

#[test]
fn toml_one_rule_or_rules_tables() {
    let one = from_toml(
        "allow_origins = [\"https://app.example.com\"]\nallow_methods = [\"GET\"]\nmax_age = 60\n",
    )
    .expect("valid");
    assert_eq!(one.rules[0].max_age, Some(60));
    let two = from_toml(
        "[[rules]]\nid = \"a\"\nallow_origins = [\"*\"]\nallow_methods = [\"GET\"]\n\n[[rules]]\nid = \"b\"\nallow_origins = [\"https://x.example\"]\nallow_methods = [\"PUT\"]\n",
    )
    .expect("valid");
    assert_eq!(two.rules.len(), 2);
    let error = from_toml(
        "allow_origins = [\"https://Example.com\"]\nallow_methods = [\"GET\"]\nmax_age = -1\n",
    )
    .expect_err("refused");
    let text = error.to_string();
    assert!(
        text.contains("allow_origins[0]: the host in `https://Example.com` must be lowercase"),
        "{text}"
    );
    assert!(
        text.contains("max_age: `max_age` cannot be negative"),
        "{text}"
    );
}

#[test]
fn environment_variables_make_one_rule() {
    let policy = from_env_vars(
        "CORS",
        vars(&[
            (
                "CORS_ALLOW_ORIGINS",
                " https://a.example , https://*.b.example ",
            ),
            ("CORS_ALLOW_METHODS", "GET,PUT"),
            ("CORS_MAX_AGE", "600"),
            ("CORS_ALLOW_CREDENTIALS", "true"),
            ("PATH", "/usr/bin"),
        ]),
    )
    .expect("valid");
    assert_eq!(policy.rules[0].origins.len(), 2);
    assert!(policy.rules[0].credentials);
    let error = from_env_vars(
        "CORS",
        vars(&[
            ("CORS_ALLOW_ORIGINS", "https://a.example"),
            ("CORS_ALLOW_METHODS", "GET"),
            ("CORS_ALOW_HEADERS", "x-a"),
            ("CORS_MAX_AGE", "ten"),
            ("CORS_ALLOW_CREDENTIALS", "yes"),
        ]),
    )
    .expect_err("a typo is refused");
    let text = error.to_string();
    assert!(
        text.contains("CORS_ALOW_HEADERS: unknown key `alow_headers`"),
        "{text}"
    );
    assert!(
        text.contains(
            "CORS_MAX_AGE: `max_age` takes a whole number of seconds from 0 to 86400, found a string"
        ),
        "{text}"
    );
    assert!(
        text.contains("CORS_ALLOW_CREDENTIALS: `allow_credentials` takes `true` or `false`"),
        "{text}"
    );
    let missing = from_env_vars("CORS", Vec::<(String, String)>::new()).expect_err("no variables");
    assert!(
        missing
            .to_string()
            .contains("this rule has no `allow_origins`"),
        "{missing}"
    );
}

#[test]
fn policy_config_is_checked_alike() {
    let config = PolicyConfig {
        rules: vec![RuleConfig {
            allow_origins: Some(vec!["*".into()]),
            allow_methods: Some(vec!["GET".into()]),
            allow_credentials: Some(true),
            ..RuleConfig::default()
        }],
        ..PolicyConfig::default()
    };
    let error = from_config(&config).expect_err("* with credentials");
    assert!(
        error
            .to_string()
            .contains("rules[0].allow_origins[0]: the `\"*\"` origin cannot be combined"),
        "{error}"
    );
    let json = serde_json::to_string(&config).expect("serialize");
    assert_eq!(
        json,
        r#"{"rules":[{"allow_origins":["*"],"allow_methods":["GET"],"allow_credentials":true}]}"#
    );
    // The serialized form loads with the same problem, and a valid one loads.
    let again = from_json(&json).expect_err("same policy");
    assert_eq!(again.to_string(), error.to_string());
    let mut valid = config.clone();
    valid.rules[0].allow_credentials = None;
    let owned = from_config(valid.clone()).expect("owned");
    let json = serde_json::to_string(&valid).expect("json");
    assert_eq!(from_json(&json).expect("json"), owned);
}

/// `cross_origin_protection` and `open_paths` belong to the policy: among
/// a one-rule document's keys, beside `rules` in JSON and at the top level
/// of TOML with `[[rules]]`, `{P}_...` in the environment, fields of
/// `PolicyConfig`.
#[test]
fn the_policy_keys_in_every_source() {
    let rule = r#"{"allow_origins": ["https://app.example.com"], "allow_methods": ["POST"]}"#;
    let one = from_json(
        r#"{"allow_origins": ["https://app.example.com"], "allow_methods": ["POST"], "open_paths": ["/pay/callback", "/hooks/*"]}"#,
    )
    .expect("one rule");
    assert!(one.cross_origin_protection);
    assert_eq!(one.open_paths, ["/pay/callback", "/hooks/*"]);
    let several = from_json(&format!(
        r#"{{"cross_origin_protection": false, "rules": [{rule}]}}"#
    ))
    .expect("several");
    assert!(!several.cross_origin_protection && several.open_paths.is_empty());
    let bare = from_json(&format!("[{rule}]")).expect("bare array");
    assert!(bare.cross_origin_protection);
    let toml = from_toml(
        "open_paths = [\"/pay/callback\"]\n\n[[rules]]\nallow_origins = [\"https://app.example.com\"]\nallow_methods = [\"POST\"]\n",
    )
    .expect("toml");
    assert_eq!(toml.open_paths, ["/pay/callback"]);
    let off = from_toml(
        "cross_origin_protection = false\nallow_origins = [\"https://app.example.com\"]\nallow_methods = [\"POST\"]\n",
    )
    .expect("toml, one rule");
    assert!(!off.cross_origin_protection);
    let env = from_env_vars(
        "CORS",
        vars(&[
            ("CORS_ALLOW_ORIGINS", "https://app.example.com"),
            ("CORS_ALLOW_METHODS", "POST"),
            ("CORS_OPEN_PATHS", " /pay/callback , /hooks/* "),
        ]),
    )
    .expect("env");
    assert_eq!(env.open_paths, ["/pay/callback", "/hooks/*"]);
    let env_off = from_env_vars(
        "CORS",
        vars(&[
            ("CORS_ALLOW_ORIGINS", "https://app.example.com"),
            ("CORS_ALLOW_METHODS", "POST"),
            ("CORS_CROSS_ORIGIN_PROTECTION", "false"),
        ]),
    )
    .expect("env off");
    assert!(!env_off.cross_origin_protection);
}

#[test]
fn policy_key_problems_name_their_place() {
    let json = from_json(
        r#"{"open_paths": ["/a", "/a/"], "cross_origin_protection": "no", "max_age": 5,
            "rules": [{"allow_origins": ["https://a.example"], "allow_methods": ["POST"], "open_paths": ["/b"]}]}"#,
    )
    .expect_err("refused");
    let lines: Vec<String> = json.problems().iter().map(ToString::to_string).collect();
    assert_eq!(lines.len(), 4, "{json}");
    for start in [
        "open_paths[1]: the open path `/a/` ends with `/`",
        "cross_origin_protection: `cross_origin_protection` takes `true` or `false`, found a string",
        "max_age: `max_age` is a key of a rule, and this policy lists its rules under `rules`",
        "rules[0].open_paths: `open_paths` belongs to the policy, not to a rule",
    ] {
        assert!(lines.iter().any(|l| l.starts_with(start)), "{start}\n{json}");
    }
    assert_eq!(
        place(&json, "open_paths[1]"),
        (None, Some("open_paths"), Some(1), Some("/a/"))
    );
    let toml = from_toml(
        "cross_origin_protection = false\nopen_paths = [\"/a\"]\n[[rules]]\nallow_origins = [\"*\"]\nallow_methods = [\"POST\"]\n",
    )
    .expect_err("refused");
    let text = toml.to_string();
    assert!(
        text.contains(
            "open_paths: `open_paths` opens nothing when `cross_origin_protection: false`"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "cross_origin_protection: `cross_origin_protection: false` turns the protection off"
        ),
        "{text}"
    );
    let env = from_env_vars(
        "CORS",
        vars(&[
            ("CORS_ALLOW_ORIGINS", "*"),
            ("CORS_ALLOW_METHODS", "POST"),
            ("CORS_OPEN_PATHS", "/a,/*"),
            ("CORS_CROSS_ORIGIN_PROTECTION", "off"),
        ]),
    )
    .expect_err("refused");
    let text = env.to_string();
    assert!(
        text.contains(
            "CORS_CROSS_ORIGIN_PROTECTION: `cross_origin_protection` takes `true` or `false`"
        ),
        "{text}"
    );
    assert!(
        text.contains("CORS_OPEN_PATHS[1]: `/*` would open every path"),
        "{text}"
    );
    let bogus = from_env_vars("CORS", vars(&[("CORS_OPEN_PATH", "/a")])).expect_err("a typo");
    assert!(
        bogus.to_string().contains(
            "CORS_OPEN_PATH: unknown key `open_path`; expected one of `id`, `allow_origins`"
        ),
        "{bogus}"
    );
    assert!(
        bogus
            .to_string()
            .contains("`cross_origin_protection`, `open_paths`"),
        "{bogus}"
    );
}

#[test]
fn policy_config_carries_the_policy_keys() {
    let config = PolicyConfig {
        open_paths: Some(vec!["/pay/callback".into()]),
        rules: vec![RuleConfig {
            allow_origins: Some(vec!["https://app.example.com".into()]),
            allow_methods: Some(vec!["POST".into()]),
            ..RuleConfig::default()
        }],
        ..PolicyConfig::default()
    };
    let model = from_config(&config).expect("valid");
    assert_eq!(model.open_paths, ["/pay/callback"]);
    let json = serde_json::to_string(&config).expect("serialize");
    assert_eq!(
        json,
        r#"{"open_paths":["/pay/callback"],"rules":[{"allow_origins":["https://app.example.com"],"allow_methods":["POST"]}]}"#
    );
    assert_eq!(from_json(&json).expect("the same policy"), model);
    let off = PolicyConfig {
        cross_origin_protection: Some(false),
        ..config
    };
    let error = from_config(&off).expect_err("open paths with the protection off");
    assert!(
        error
            .to_string()
            .contains("\ncross_origin_protection: `cross_origin_protection: false` turns"),
        "{error}"
    );
}

#[test]
fn hostile_documents_are_refused_briefly() {
    let huge = format!("[{}]", vec![r#"{"allow_origins":["x"]}"#; 60_000].join(","));
    let error = from_json(&huge).expect_err("too large");
    assert!(error.to_string().contains("at most 1048576"), "{error}");
    let many = format!("[{}]", vec!["{}"; 1_000].join(","));
    let error = from_json(&many).expect_err("many problems");
    assert_eq!(error.problems().len(), 10);
    assert!(error.total() > 2_000);
    assert!(error.to_string().len() < 4096);
    // More tables than a policy can need, or more values: refused before
    // they are parsed, with one problem naming the limit.
    for (text, limit) in [
        (
            format!("[{}]", vec!["{}"; 1_025].join(",")),
            "more than 1024 objects",
        ),
        (
            format!("allow_origins = [{}]", vec!["{a = 1}"; 1_025].join(",")),
            "more than 1024 tables",
        ),
        (
            "[[rules]]\nid = \"a\"\n".repeat(1_025),
            "more than 1024 tables",
        ),
        (
            (0..1_025).map(|n| format!("k{n}.a = 1\n")).collect(),
            "more than 1024 tables",
        ),
        (
            format!(r#"{{"allow_origins": [{}]}}"#, vec!["1"; 140_000].join(",")),
            "more than 131072 values",
        ),
        (
            format!("allow_origins = [{}]", vec!["\"\""; 140_000].join(",")),
            "more than 131072 values",
        ),
    ] {
        let json = text.starts_with('{') || (text.starts_with('[') && !text.starts_with("[["));
        let error = if json {
            from_json(&text)
        } else {
            from_toml(&text)
        }
        .expect_err(limit);
        assert_eq!(error.problems().len(), 1, "{error}");
        assert!(error.to_string().contains(limit), "{error}");
    }
    // Far more open paths than allowed: refused by their count, without
    // comparing each with every other.
    let paths = format!(
        r#"{{"allow_origins": ["*"], "allow_methods": ["GET"], "open_paths": [{}]}}"#,
        vec![r#""/a/*""#; 60_000].join(",")
    );
    let error = from_json(&paths).expect_err("too many open paths");
    assert_eq!(error.problems().len(), 1, "{error}");
    assert!(
        error.to_string().contains("this one lists 60000"),
        "{error}"
    );
    let deep = format!("{}{}", "[".repeat(100), "]".repeat(100));
    assert!(from_json(&deep).is_err());
    for bad in [
        "",
        "{",
        "null",
        "[1, 2]",
        "\"text\"",
        "{\"allow_origins\": {\"a\": 1}}",
    ] {
        let error = from_json(bad).expect_err(bad);
        assert!(!error.to_string().is_empty());
    }
    assert!(from_toml("= =").is_err());
}

mod never_panics {
    use cors_config::{from_env_vars, from_json, from_toml};
    use proptest::prelude::*;

    fn fragment() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("\"allow_origins\"".to_owned()),
            Just("\"allow_methods\"".to_owned()),
            Just("\"allow_headers\"".to_owned()),
            Just("\"max_age\"".to_owned()),
            Just("\"allow_credentials\"".to_owned()),
            Just("\"rules\"".to_owned()),
            Just("\"open_paths\"".to_owned()),
            Just("\"cross_origin_protection\"".to_owned()),
            Just("\"/hooks/*\"".to_owned()),
            Just("\"https://*.example.com\"".to_owned()),
            Just("\"*\"".to_owned()),
            Just("\"GET\"".to_owned()),
            Just("[".to_owned()),
            Just("]".to_owned()),
            Just("{".to_owned()),
            Just("}".to_owned()),
            Just(":".to_owned()),
            Just(",".to_owned()),
            Just("true".to_owned()),
            Just("-1".to_owned()),
            Just("99999999999999999999999".to_owned()),
            "\"[ -~]{0,12}\"",
            "\\PC{0,6}",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        /// Arbitrary and near-valid documents: an error or a policy, never
        /// a panic, and an error always says something.
        #[test]
        fn readers_never_panic(parts in prop::collection::vec(fragment(), 0..40), text in "\\PC{0,200}") {
            let document = parts.concat();
            for input in [&document, &text] {
                if let Err(error) = from_json(input) {
                    prop_assert!(!error.to_string().is_empty());
                }
                if let Err(error) = from_toml(input) {
                    prop_assert!(!error.to_string().is_empty());
                }
            }
            let variables = parts.iter().enumerate().map(|(i, v)| {
                let key = ["CORS_ALLOW_ORIGINS", "CORS_ALLOW_METHODS", "CORS_MAX_AGE", "CORS_X", "CORS_OPEN_PATHS", "CORS_CROSS_ORIGIN_PROTECTION"][i % 6];
                (key.to_owned(), v.clone())
            });
            let _ = from_env_vars("CORS", variables);
        }
    }
}
