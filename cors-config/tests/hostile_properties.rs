//! Property tests of the readers on random and adversarial input: JSON,
//! TOML and environment variables are read on a 64 KiB stack without a
//! panic, and a refusal lists a bounded number of problems in messages of
//! bounded length, with nothing a terminal would act on.

use std::ffi::OsString;

use cors_config::{from_env_vars, from_json, from_toml, ConfigError, PolicyModel};
use cors_grammar::is_escaped_in_messages;
use proptest::prelude::*;

/// The most problems a refusal lists.
const LISTED: usize = 10;

/// The longest line of a refusal, in characters: a path (quoted key, rule
/// and item indexes) and a message (at most 1,024 characters, every value
/// in it quoted short).
const LONGEST_LINE: usize = 2_048;

/// Runs `read` on a thread with a 64 KiB stack (an overflow would abort
/// the test binary) and checks the refusal's bounds.
fn read_on_a_small_stack(
    read: impl FnOnce() -> Result<PolicyModel, ConfigError> + Send + 'static,
) -> Result<(), TestCaseError> {
    let outcome = std::thread::Builder::new()
        .stack_size(64 * 1024)
        .spawn(move || read().err())
        .expect("thread")
        .join();
    let Ok(refusal) = outcome else {
        return Err(TestCaseError::fail("the reader panicked"));
    };
    let Some(error) = refusal else { return Ok(()) };
    prop_assert!(error.problems().len() <= LISTED);
    prop_assert!(error.total() >= error.problems().len());
    prop_assert!(error.problems().iter().all(|p| !p.message.is_empty()));
    let text = error.to_string();
    for line in text.lines() {
        prop_assert!(
            line.chars().count() <= LONGEST_LINE,
            "{} chars",
            line.chars().count()
        );
        prop_assert!(!line.chars().any(is_escaped_in_messages), "{line:?}");
    }
    prop_assert!(text.lines().count() <= LISTED + 1);
    Ok(())
}

/// Pieces of JSON and TOML documents: the policy's keys and values,
/// brackets, quotes and escapes of both grammars, dots, comments, line
/// breaks, huge and hostile values.
fn piece() -> impl Strategy<Value = String> {
    const FIXED: [&str; 67] = [
        "\"allow_origins\"",
        "\"allow_methods\"",
        "\"allow_headers\"",
        "\"expose_headers\"",
        "\"max_age\"",
        "\"id\"",
        "\"rules\"",
        "\"open_paths\"",
        "\"cross_origin_protection\"",
        "allow_origins = ",
        "allow_methods = ",
        "max_age = ",
        "id = ",
        "[[rules]]",
        "[rules]",
        "\"https://app.example.com\"",
        "\"*\"",
        "\"GET\"",
        "\"/hooks/*\"",
        "\"x-*\"",
        "[",
        "]",
        "{",
        "}",
        "[[",
        "]]",
        ":",
        ",",
        "=",
        ".",
        "a.b.c",
        "\"",
        "'",
        "'''",
        "\"\"\"",
        "\\",
        "\\u202e",
        "\\u0000",
        "#",
        "\n",
        "\r\n",
        " ",
        "\t",
        "true",
        "-0",
        "-1",
        "1.5",
        "1e400",
        "18446744073709551616",
        "1979-05-27T07:32:00Z",
        "07:32:00",
        "\u{feff}",
        "\u{202e}",
        "\u{1b}[31m",
        "\u{a0}",
        "\u{0}",
        "null",
        "inf",
        "nan",
        "a\"",
        "b'",
        "\r",
        "\\\n",
        "x.y = ",
        "a = 1 [\n",
        "[a.b.c.d]\n",
        "\n[[",
    ];
    prop_oneof![
        8 => proptest::sample::select(&FIXED[..]).prop_map(str::to_owned),
        1 => "\\PC{0,8}",
        1 => "[\\x00-\\x7f]{0,8}",
        1 => (1usize..5_000).prop_map(|n| "[".repeat(n)),
        1 => (1usize..5_000).prop_map(|n| "{a = ".repeat(n)),
        1 => (1usize..5_000).prop_map(|n| "a.".repeat(n)),
        1 => (1usize..50_000).prop_map(|n| "x".repeat(n)),
    ]
}

/// A document nested by the means of one grammar, `depth` levels deep.
fn nested() -> impl Strategy<Value = String> {
    let opener = proptest::sample::select(
        &[
            "[",
            "{\"a\": ",
            "[{\"a\": ",
            "{a = ",
            "[{a = ",
            "a.",
            "[[a]]\n",
            "[a.b]\n",
        ][..],
    );
    (prop::collection::vec(opener, 0..40), any::<bool>()).prop_map(|(openers, closed)| {
        let mut text = openers.concat();
        text.push('1');
        if closed {
            for opener in openers.iter().rev() {
                text.push_str(match *opener {
                    "[" => "]",
                    "[{\"a\": " | "[{a = " => "}]",
                    "{\"a\": " | "{a = " => "}",
                    _ => "",
                });
            }
        }
        text
    })
}

/// A reader of `text` as JSON.
fn json(text: String) -> impl FnOnce() -> Result<PolicyModel, ConfigError> + Send + 'static {
    move || from_json(&text)
}

/// A reader of `text` as TOML.
fn toml(text: String) -> impl FnOnce() -> Result<PolicyModel, ConfigError> + Send + 'static {
    move || from_toml(&text)
}

/// A reader of `text` as the value of a TOML key.
fn toml_value(text: String) -> impl FnOnce() -> Result<PolicyModel, ConfigError> + Send + 'static {
    move || from_toml(&format!("allow_origins = {text}"))
}

/// Names of the policy's variables, of others, and hostile ones.
fn variable_name() -> impl Strategy<Value = OsString> {
    prop_oneof![
        proptest::sample::select(
            &[
                "CORS_ALLOW_ORIGINS",
                "CORS_ALLOW_METHODS",
                "CORS_ALLOW_HEADERS",
                "CORS_EXPOSE_HEADERS",
                "CORS_MAX_AGE",
                "CORS_ALLOW_CREDENTIALS",
                "CORS_ID",
                "CORS_OPEN_PATHS",
                "CORS_CROSS_ORIGIN_PROTECTION",
                "CORS_",
                "CORS",
                "PATH",
                "CORS_\u{202e}",
                "CORS_\u{1b}[2J",
            ][..]
        )
        .prop_map(OsString::from),
        "CORS_[A-Z_\\PC]{0,12}".prop_map(OsString::from),
        prop::collection::vec(any::<u8>(), 0..16).prop_map(os_bytes),
        prop::collection::vec(any::<u8>(), 0..8).prop_map(|tail| {
            let mut name = b"CORS_".to_vec();
            name.extend(tail);
            os_bytes(name)
        }),
    ]
}

fn variable_value() -> impl Strategy<Value = OsString> {
    prop_oneof![
        4 => prop::collection::vec(piece(), 0..12).prop_map(|p| OsString::from(p.concat())),
        2 => proptest::sample::select(&[
            "https://a.example.com, https://b.example.com", "GET,PUT", "600", "-0", "true", "",
            " ", "\t", "\u{a0}", ",", ",,", "https://a.example.com,", "18446744073709551616",
        ][..])
        .prop_map(OsString::from),
        1 => prop::collection::vec(any::<u8>(), 0..16).prop_map(os_bytes),
        1 => (1usize..300_000).prop_map(|n| OsString::from("a,".repeat(n))),
    ]
}

#[cfg(unix)]
fn os_bytes(bytes: Vec<u8>) -> OsString {
    use std::os::unix::ffi::OsStringExt;
    OsString::from_vec(bytes)
}

#[cfg(not(unix))]
fn os_bytes(bytes: Vec<u8>) -> OsString {
    OsString::from(String::from_utf8_lossy(&bytes).into_owned())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("HOSTILE_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(600)
    ))]

    /// Random and adversarial documents, read as JSON and as TOML.
    #[test]
    fn documents_are_read_within_bounds(pieces in prop::collection::vec(piece(), 0..60)) {
        let text = pieces.concat();
        read_on_a_small_stack(json(text.clone()))?;
        read_on_a_small_stack(toml(text.clone()))?;
        read_on_a_small_stack(toml_value(text))?;
    }

    /// Nesting by every means each grammar has, closed or not.
    #[test]
    fn nested_documents_are_read_within_bounds(text in nested()) {
        read_on_a_small_stack(json(text.clone()))?;
        read_on_a_small_stack(toml(text.clone()))?;
        read_on_a_small_stack(toml_value(text))?;
    }

    /// Random environments: names and values of any bytes.
    #[test]
    fn environments_are_read_within_bounds(
        variables in prop::collection::vec((variable_name(), variable_value()), 0..12),
    ) {
        read_on_a_small_stack(move || from_env_vars("CORS", variables))?;
    }
}

proptest! {
    // Each case is a policy of up to 81 rules.
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("HOSTILE_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(150)
    ))]

    /// A policy whose values are random text: every problem is bounded
    /// and escaped, whatever the values hold.
    #[test]
    fn hostile_values_give_bounded_messages(
        values in prop::collection::vec("\\PC{0,300}|[\\x00-\\x1f\\u{202a}-\\u{202e}\\u{2066}-\\u{2069}a-z:/.*]{0,40}", 1..30),
        many in 0usize..3,
    ) {
        let list = serde_json::to_string(&values).expect("JSON");
        let rules: Vec<String> = (0..=many * 40)
            .map(|i| format!(
                r#"{{"id": {id}, "allow_origins": {list}, "allow_methods": {list}, "allow_headers": {list}, "expose_headers": {list}, "max_age": {age}, {key}: 1}}"#,
                id = serde_json::to_string(&values[i % values.len()]).expect("JSON"),
                age = serde_json::to_string(&values[0]).expect("JSON"),
                key = serde_json::to_string(&values[values.len() - 1]).expect("JSON"),
            ))
            .collect();
        let text = format!(r#"{{"open_paths": {list}, "rules": [{}]}}"#, rules.join(","));
        read_on_a_small_stack(json(text))?;
    }
}
