//! Hostile documents and environments: deep nesting refused before any
//! parser recurses, so that every reader works on a 64 KiB stack for any
//! input within the limits; environment variables read without touching
//! the others, capped, trimmed of ASCII spaces only, and never silently
//! empty.

use std::ffi::OsString;

use cors_config::{
    from_env_vars, from_json, from_toml, ConfigError, PolicyModel, MAX_DOCUMENT_LEN, MAX_NESTING,
};

/// Runs `work` on a thread with a 64 KiB stack: a stack overflow aborts
/// the whole test binary, a panic fails the test.
fn on_a_small_stack(work: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(64 * 1024)
        .spawn(work)
        .expect("thread")
        .join()
        .expect("no panic");
}

/// Documents nested `depth` levels deep, by every means each format has.
fn nested(depth: usize) -> Vec<(&'static str, String)> {
    let inline_tables = format!("a = {}1{}", "{b = ".repeat(depth), "}".repeat(depth));
    // `[[a]]`, `[[a.a]]`, ...: the last headers, each an array of tables
    // inside the one before.
    let segments = depth.div_ceil(2);
    let array_tables: String = (segments.saturating_sub(3).max(1)..=segments)
        .map(|n| format!("[[{}]]\n", vec!["a"; n].join(".")))
        .collect();
    vec![
        (
            "json arrays",
            format!("{}{}", "[".repeat(depth), "]".repeat(depth)),
        ),
        (
            "json objects",
            format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth)),
        ),
        (
            "json rule",
            format!(
                "{{\"allow_origins\": {}\"x\"{}, \"allow_methods\": [\"GET\"]}}",
                "[".repeat(depth - 1),
                "]".repeat(depth - 1)
            ),
        ),
        (
            "toml arrays",
            format!("a = {}{}", "[".repeat(depth), "]".repeat(depth)),
        ),
        ("toml inline tables", inline_tables),
        (
            "toml arrays of inline tables",
            format!(
                "a = {}1{}",
                "[{b = ".repeat(depth.div_ceil(2)),
                "}]".repeat(depth.div_ceil(2))
            ),
        ),
        (
            "toml dotted keys",
            format!("{} = 1979-05-27T07:32:00Z", vec!["a"; depth + 1].join(".")),
        ),
        // A header's segment counts two levels.
        (
            "toml header",
            format!("[{}]\nb = 1", vec!["a"; depth.div_ceil(2)].join(".")),
        ),
        ("toml arrays of tables", array_tables),
    ]
}

fn load(what: &str, text: &str) -> Result<PolicyModel, ConfigError> {
    if what.starts_with("json") {
        from_json(text)
    } else {
        from_toml(text)
    }
}

#[test]
fn deep_nesting_is_refused_before_parsing() {
    on_a_small_stack(|| {
        for depth in [MAX_NESTING + 1, 40, 10_000, 140_000] {
            for (what, text) in nested(depth) {
                assert!(text.len() <= MAX_DOCUMENT_LEN, "{what}");
                let error = load(what, &text).expect_err(what).to_string();
                assert!(
                    error.contains("levels deep")
                        && error.contains(&format!("nests at most {MAX_NESTING}")),
                    "{what} at {depth}: {error}"
                );
            }
        }
        // The 165-byte document that overflowed a 64 KiB stack.
        let short = format!("a = {}{}", "[".repeat(80), "]".repeat(80));
        assert_eq!(short.len(), 164);
        assert!(from_toml(&short).is_err());
    });
}

/// Every shape at the limit is parsed (and refused by the checker, or
/// accepted) on a 64 KiB stack, in an unoptimised build too.
#[test]
fn documents_at_the_limit_are_read_on_a_small_stack() {
    on_a_small_stack(|| {
        for depth in 1..=MAX_NESTING {
            for (what, text) in nested(depth) {
                if let Err(error) = load(what, &text) {
                    assert!(
                        !error.to_string().contains("levels deep"),
                        "{what}: {error}"
                    );
                }
            }
        }
    });
}

/// Brackets and dots inside strings and comments neither open nor hide
/// levels.
#[test]
fn strings_and_comments_do_not_count() {
    let json = format!(
        r#"{{"allow_origins": ["https://a.example.com"], "allow_methods": ["GET"], "id": "{}"}}"#,
        "[{".repeat(100)
    );
    assert!(from_json(&json).is_ok());
    let toml = format!(
        "# {}\nallow_origins = ['https://a.{}.example.com']\nallow_methods = [\"GET\"] # ]]]]\nid = \"\"\"{}\"\"\"\n",
        "[".repeat(100),
        "b.".repeat(20).trim_end_matches('.'),
        "[[a.b.c]]".repeat(20)
    );
    assert!(from_toml(&toml).is_ok(), "{:?}", from_toml(&toml));
}

/// A policy of every rule the limits allow loads on a 64 KiB stack.
#[test]
fn a_large_policy_loads_on_a_small_stack() {
    on_a_small_stack(|| {
        let rules: Vec<String> = (0..256)
            .map(|i| {
                format!(
                    r#"{{"id": "r{i}", "allow_origins": ["https://a{i}.example.com"], "allow_methods": ["GET", "PUT"], "allow_headers": ["x-h{i}"], "max_age": 600}}"#
                )
            })
            .collect();
        let json = format!(
            r#"{{"open_paths": ["/hooks/*"], "rules": [{}]}}"#,
            rules.join(",")
        );
        assert_eq!(from_json(&json).expect("valid").rules.len(), 256);
        let toml: String = (0..256)
            .map(|i| {
                format!("[[rules]]\nallow_origins = [\"https://a{i}.example.com\"]\nallow_methods = [\"GET\"]\n")
            })
            .collect();
        assert_eq!(from_toml(&toml).expect("valid").rules.len(), 256);
    });
}

fn env(pairs: &[(&str, &str)]) -> Result<PolicyModel, ConfigError> {
    from_env_vars("CORS", pairs.iter().copied())
}

#[test]
fn environment_values_are_trimmed_of_ascii_spaces_only() {
    let policy = env(&[
        (
            "CORS_ALLOW_ORIGINS",
            " \thttps://a.example.com , https://b.example.com\t",
        ),
        ("CORS_ALLOW_METHODS", "GET"),
        ("CORS_MAX_AGE", " 600\t"),
    ])
    .expect("valid");
    assert_eq!(policy.rules[0].origins.len(), 2);
    for space in ['\u{a0}', '\u{2003}', '\u{3000}', '\u{feff}'] {
        let origins = format!("{space}https://a.example.com");
        let error = env(&[
            ("CORS_ALLOW_ORIGINS", &origins),
            ("CORS_ALLOW_METHODS", "GET"),
        ])
        .expect_err("a Unicode space is not trimmed");
        let text = error.to_string();
        assert!(text.starts_with("CORS_ALLOW_ORIGINS[0]: "), "{text}");
    }
    let error = env(&[
        ("CORS_ALLOW_ORIGINS", "https://a.example.com"),
        ("CORS_ALLOW_METHODS", "GET,\u{a0}PUT"),
    ])
    .expect_err("nor around a list item");
    assert!(
        error.to_string().starts_with("CORS_ALLOW_METHODS[1]: "),
        "{error}"
    );
}

#[test]
fn a_set_but_empty_variable_is_an_error() {
    for empty in ["", " ", "\t \t"] {
        let error = env(&[
            ("CORS_ALLOW_ORIGINS", "https://a.example.com"),
            ("CORS_ALLOW_METHODS", "GET"),
            ("CORS_ALLOW_HEADERS", empty),
        ])
        .expect_err("empty");
        assert_eq!(
            error.to_string(),
            "CORS_ALLOW_HEADERS: the variable is set but empty (an empty value is not an empty list); unset it to leave `allow_headers` out: `unset CORS_ALLOW_HEADERS`"
        );
        let problem = &error.problems()[0];
        assert_eq!(problem.path, "CORS_ALLOW_HEADERS");
        assert_eq!(problem.key.as_deref(), Some("allow_headers"));
    }
    // Every empty variable is named, in name order.
    let error = env(&[("CORS_MAX_AGE", ""), ("CORS_ID", " ")]).expect_err("empty");
    let paths: Vec<&str> = error.problems().iter().map(|p| p.path.as_str()).collect();
    assert_eq!(paths, ["CORS_ID", "CORS_MAX_AGE"]);
}

#[test]
fn environment_values_are_capped() {
    let huge = "a".repeat(MAX_DOCUMENT_LEN + 1);
    let error = env(&[("CORS_ALLOW_ORIGINS", &huge), ("CORS_ALLOW_METHODS", "GET")])
        .expect_err("capped")
        .to_string();
    assert_eq!(
        error,
        "CORS_ALLOW_ORIGINS: the value is 1048577 bytes long; a policy variable has at most 1048576 bytes"
    );
    // At the limit one variable is read; the variables together are capped
    // at the same limit.
    let half = format!("https://a.example.com,{}", " ".repeat(MAX_DOCUMENT_LEN / 2));
    let error = env(&[
        ("CORS_ALLOW_ORIGINS", &half),
        ("CORS_EXPOSE_HEADERS", &half),
        ("CORS_ALLOW_METHODS", "GET"),
    ])
    .expect_err("capped in all")
    .to_string();
    assert!(
        error.contains("the `CORS_*` variables hold more than 1048576 bytes in all"),
        "{error}"
    );
    let many: Vec<(String, String)> = (0..200_000)
        .map(|i| (format!("CORS_X{i}"), "1".to_owned()))
        .collect();
    let error = from_env_vars("CORS", many).expect_err("capped in all");
    assert_eq!(error.total(), 1, "{error}");
}

#[cfg(unix)]
#[test]
fn only_the_prefix_variables_are_read_and_must_be_utf8() {
    use std::os::unix::ffi::OsStringExt;
    let bytes = |b: &[u8]| OsString::from_vec(b.to_vec());
    let text = |s: &str| OsString::from(s);
    // Other variables are skipped whatever their bytes.
    let policy = from_env_vars(
        "CORS",
        [
            (bytes(b"\xff\xfe"), text("x")),
            (text("HOME"), bytes(b"\xff")),
            (bytes(b"CORSX\xff"), text("x")),
            (text("CORS_ALLOW_ORIGINS"), text("https://a.example.com")),
            (text("CORS_ALLOW_METHODS"), text("GET")),
        ],
    )
    .expect("only ours are read");
    assert_eq!(policy.rules[0].methods, ["GET"]);
    // Ours must be UTF-8: each is named.
    let error = from_env_vars(
        "CORS",
        [
            (
                text("CORS_ALLOW_ORIGINS"),
                bytes(b"https://a\xff.example.com"),
            ),
            (bytes(b"CORS_ALLOW_\xffMETHODS"), text("GET")),
        ],
    )
    .expect_err("not UTF-8");
    assert_eq!(
        error.to_string(),
        "CORS_ALLOW_ORIGINS: the value is not UTF-8 text; write it in UTF-8\nCORS_ALLOW_\u{fffd}METHODS: the name is not UTF-8 text; rename or unset the variable"
    );
}

/// The process's own environment may hold a variable that is not UTF-8:
/// `from_env` reads only its prefix's variables. (Run in a child process,
/// which alone holds the variable.)
#[cfg(unix)]
#[test]
fn from_env_skips_other_variables_that_are_not_utf8() {
    use std::os::unix::ffi::OsStringExt;
    const CHILD: &str = "CORS_CONFIG_TEST_FROM_ENV_CHILD";
    if std::env::var_os(CHILD).is_some() {
        let policy = cors_config::from_env("CORSTEST").expect("valid");
        assert_eq!(policy.rules[0].methods, ["PUT"]);
        return;
    }
    let status = std::process::Command::new(std::env::current_exe().expect("the test binary"))
        .args([
            "--exact",
            "from_env_skips_other_variables_that_are_not_utf8",
            "--nocapture",
        ])
        .env(CHILD, "1")
        .env(
            OsString::from_vec(b"UNRELATED\xff".to_vec()),
            OsString::from_vec(b"\xfe".to_vec()),
        )
        .env("CORSTEST_ALLOW_ORIGINS", "https://a.example.com")
        .env("CORSTEST_ALLOW_METHODS", "PUT")
        .status()
        .expect("the child runs");
    assert!(status.success());
}
