//! Hostile documents and environments: deep nesting refused before any
//! parser recurses (every reader works on a 64 KiB stack), environment
//! values capped, trimmed of ASCII spaces only, and never silently empty.

use cors_config::{from_env_vars, from_json, from_toml, MAX_DOCUMENT_LEN, MAX_NESTING};

/// Runs `work` on a thread with a 64 KiB stack.
fn on_a_small_stack(work: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(64 * 1024)
        .spawn(work)
        .expect("thread")
        .join()
        .expect("no stack overflow");
}

#[test]
fn deep_nesting_is_refused_before_parsing() {
    on_a_small_stack(|| {
        for depth in [MAX_NESTING + 1, 10_000, 300_000] {
            let json = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
            let error = from_json(&json).expect_err("refused").to_string();
            assert!(error.contains("levels deep"), "{error}");
            let toml = format!("a = {}{}", "[".repeat(depth), "]".repeat(depth));
            let error = from_toml(&toml).expect_err("refused").to_string();
            assert!(error.contains("levels deep"), "{error}");
            let inline = format!("a = {}", "{b = ".repeat(depth));
            assert!(from_toml(&inline).is_err());
        }
        // The 165-byte document that overflowed a 64 KiB stack.
        let short = format!("a={}", "[".repeat(162));
        assert!(from_toml(&short).is_err());
        // Brackets inside strings neither open nor hide levels.
        let quoted = format!(
            r#"{{"allow_origins": ["https://a.example.com"], "allow_methods": ["GET"], "id": "{}"}}"#,
            "[".repeat(100)
        );
        assert!(from_json(&quoted).is_ok());
    });
}

fn env(pairs: &[(&str, &str)]) -> Result<cors_config::PolicyModel, cors_config::ConfigError> {
    from_env_vars(
        "CORS",
        pairs
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned())),
    )
}

#[test]
fn environment_values_are_trimmed_of_ascii_spaces_only() {
    assert!(env(&[
        (
            "CORS_ALLOW_ORIGINS",
            " \thttps://a.example.com , https://b.example.com\t"
        ),
        ("CORS_ALLOW_METHODS", "GET"),
    ])
    .is_ok());
    let error = env(&[
        ("CORS_ALLOW_ORIGINS", "\u{a0}https://a.example.com"),
        ("CORS_ALLOW_METHODS", "GET"),
    ])
    .expect_err("a no-break space is not trimmed");
    assert!(error.to_string().contains("CORS_ALLOW_ORIGINS"), "{error}");
}

#[test]
fn a_set_but_empty_variable_is_an_error() {
    let error = env(&[
        ("CORS_ALLOW_ORIGINS", "https://a.example.com"),
        ("CORS_ALLOW_METHODS", "GET"),
        ("CORS_ALLOW_HEADERS", " "),
    ])
    .expect_err("empty");
    assert_eq!(
        error.to_string(),
        "CORS_ALLOW_HEADERS is set but empty; unset it to leave its key out (`unset CORS_ALLOW_HEADERS`)"
    );
}

#[test]
fn environment_values_are_capped() {
    let huge = "a".repeat(MAX_DOCUMENT_LEN + 1);
    let error = env(&[("CORS_ALLOW_ORIGINS", &huge), ("CORS_ALLOW_METHODS", "GET")])
        .expect_err("capped")
        .to_string();
    assert!(
        error.starts_with("CORS_ALLOW_ORIGINS is 1048577 bytes long"),
        "{error}"
    );
    assert!(error.len() < 200, "the message does not quote the value");
}
