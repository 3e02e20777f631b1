//! Hostile inputs (issue #18, item 10): every run-time reader of a policy
//! — `Policy::from_json`, `Policy::from_toml`, `cors_config::from_env_vars`
//! (over `OsString`s: `Policy::from_env_vars` takes `String`s only),
//! `Policy::from_s3_json` and `Policy::from_s3_xml` — given random and
//! adversarial documents: random bytes, policy-shaped documents with the
//! real keys and junk ones, values of the wrong kinds, repeated keys, huge
//! strings and numbers (`-0`, `18446744073709551616`, 400 digits, `1e400`),
//! TOML date-times, control and bidirectional characters (U+202E, NUL),
//! nesting around the limit, environments with non-UTF-8 names and values,
//! S3 XML with comments, CDATA, references, attributes, namespaces and
//! elements where values belong.
//!
//! Asserted on every read, by the property tests ([`CASES`] cases per
//! reader, `HOSTILE_CASES=5000` for more; each also asserts that enough of
//! its documents got past the parser to the checker) and by the families of
//! `work_is_linear_when_adversarial_families_double`:
//!
//! - **No panic**: a panic fails the test (proptest shrinks it first).
//! - **Bounded problems**: at most [`MAX_LISTED`] (10) problems are listed,
//!   the rest counted (`and N more problems`), and there are at most
//!   `2 · len + 16` in all ([`MAX_PROBLEMS_PER_BYTE`],
//!   [`MAX_PROBLEMS_BASE`]): `[{},{},…]` has two per rule of 3 bytes.
//! - **Bounded messages**: each message is at most [`MAX_MESSAGE_BYTES`]
//!   (4,096) bytes, with no line break, NUL or U+202E left in it; each
//!   place (path, key, value, rule id) at most [`MAX_QUOTED_BYTES`] (700);
//!   the whole error's text at most [`MAX_ERROR_BYTES`]. Why these hold: a
//!   checker message is cut to 1,024 characters (`Problems::at`) and quotes
//!   values with `cors_grammar::quote` (80 characters of the value, the
//!   escaped ones as `\u{..}`), which leaves nothing to escape in it, so it
//!   has at most 1,024 characters of at most 4 bytes; a parser's message is
//!   cut to 300 characters and then escaped (8 bytes for `\u{202e}`), at most
//!   2,395 bytes; a quoted value is at most 79 escaped characters and `…`,
//!   635 bytes, and a path adds two indexes to a quoted key. Observed (3,000
//!   cases per reader): the longest message 2,290 bytes (an S3 JSON parser
//!   message naming an unknown field of U+202E characters), the longest
//!   checker message 1,028 bytes, the longest place 635 bytes.
//! - **Linear work**, counted, not timed: the steps `cors_grammar::work` counts
//!   (one per element visited, set or map operation and comparison, one per
//!   byte scanned; see that module) are at most [`STEPS_PER_BYTE`] (48)
//!   per byte plus [`STEPS_BASE`] (20,000). The largest share is the
//!   coverage check's: each header pattern a rule lists is compared with
//!   each of the policy's distinct patterns (at most 32), counted by the
//!   pattern's length, so up to 32 steps per byte of patterns; observed at
//!   most 34.6 per byte (256 rules × 32 patterns of 64 bytes), about 5 per
//!   byte otherwise. The bytes allocated (the tests crate's counting
//!   allocator: each `alloc`'s size and `realloc`'s new size) are at most
//!   [`ALLOC_BYTES_PER_BYTE`] per byte, by reader, plus
//!   [`ALLOC_BYTES_BASE`] (1 MiB). `len` is the document's length (for the
//!   environment: each variable's name and value and 2). The parsers
//!   (`serde_json`, `toml`) are not counted in steps, only in allocations;
//!   the Public Suffix List's index, built once per process, is built
//!   before any read is measured.
//! - **Scaling**: each adversarial family (n rules × 32 headers on one
//!   origin, 4 rules × m headers, n origins each covered by a different
//!   earlier rule, 2 rules × n ports, 32 long header patterns, n invalid
//!   origins, n unknown or repeated keys, n empty rules, one long ASCII or
//!   non-ASCII host, numbers read as floats, 64 long open paths, TOML
//!   tables and inline tables, n environment variables, S3 rules, values,
//!   comments, references and prefixed attributes) is read at sizes that
//!   double up to the limits (256 rules, 1 MiB; S3: 100 rules, 64 KiB),
//!   and the counted steps grow at most [`MAX_DOUBLING_RATIO`] (2.2) times
//!   from one size to the next. `--nocapture` prints every family's figures.

use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;

use cors_runtime::config::ConfigError;
use cors_runtime::s3::LoadError;
use cors_runtime::Policy;
use cors_tests::counting::{allocated_during, CountingAllocator};
use proptest::prelude::*;

#[global_allocator]
static GLOBAL: CountingAllocator = CountingAllocator;

/// Proptest cases per reader and family; `HOSTILE_CASES=5000` runs more.
const CASES: u32 = 128;

fn cases() -> u32 {
    std::env::var("HOSTILE_CASES")
        .ok()
        .and_then(|cases| cases.parse().ok())
        .unwrap_or(CASES)
}

/// The most problems an error lists (`cors_grammar::report::MAX_REPORTED`).
const MAX_LISTED: usize = 10;
/// Problems in all: at most `MAX_PROBLEMS_PER_BYTE · len + MAX_PROBLEMS_BASE`.
const MAX_PROBLEMS_PER_BYTE: usize = 2;
const MAX_PROBLEMS_BASE: usize = 16;
/// The longest message, in bytes (see the module's documentation).
const MAX_MESSAGE_BYTES: usize = 4096;
/// The longest quoted place (path, key, value, id), in bytes.
const MAX_QUOTED_BYTES: usize = 700;
/// The longest error text: the listed problems with their places, and the
/// line that counts the others.
const MAX_ERROR_BYTES: usize = MAX_LISTED * (MAX_MESSAGE_BYTES + MAX_QUOTED_BYTES + 16) + 64;
/// Counted steps: at most `STEPS_PER_BYTE · len + STEPS_BASE`.
const STEPS_PER_BYTE: u64 = 48;
const STEPS_BASE: u64 = 20_000;
/// Bytes allocated: at most `per_byte · len + ALLOC_BYTES_BASE`, `per_byte`
/// by reader: JSON 256, TOML 320, the environment 128, S3 JSON and XML 64.
/// The DSL readers build each problem's message even when it is only
/// counted (about 200 bytes for an unknown key of 10), and the TOML parser
/// allocates about 256 bytes per byte of `{a = 1},` inline tables.
const ALLOC_BYTES_PER_BYTE: Readers<usize> = Readers {
    json: 256,
    toml: 320,
    env: 128,
    s3_json: 64,
    s3_xml: 64,
};
const ALLOC_BYTES_BASE: usize = 1 << 20;

/// A figure for each reader.
struct Readers<T> {
    json: T,
    toml: T,
    env: T,
    s3_json: T,
    s3_xml: T,
}

#[derive(Debug, Clone, Copy)]
enum Reader {
    Json,
    Toml,
    Env,
    S3Json,
    S3Xml,
}

impl<T: Copy> Readers<T> {
    const fn of(&self, reader: Reader) -> T {
        match reader {
            Reader::Json => self.json,
            Reader::Toml => self.toml,
            Reader::Env => self.env,
            Reader::S3Json => self.s3_json,
            Reader::S3Xml => self.s3_xml,
        }
    }
}

/// The most the steps may grow when an adversarial family doubles.
const MAX_DOUBLING_RATIO: f64 = 2.2;

/// What one read cost, and what it reported.
#[derive(Debug)]
struct Read {
    reader: Reader,
    len: usize,
    steps: u64,
    allocations: usize,
    bytes: usize,
    /// The messages and places reported (empty when the policy was read).
    messages: Vec<String>,
    places: Vec<String>,
    listed: usize,
    total: usize,
    text: String,
    /// Whether the document was parsed (the checker or validator ran).
    parsed: bool,
}

/// A reader's verdict, reduced to what the bounds are about.
struct Verdict {
    messages: Vec<String>,
    places: Vec<String>,
    listed: usize,
    total: usize,
    text: String,
    parsed: bool,
}

fn config_verdict<T>(result: Result<T, ConfigError>) -> Verdict {
    match result {
        Ok(_) => Verdict {
            messages: Vec::new(),
            places: Vec::new(),
            listed: 0,
            total: 0,
            text: String::new(),
            parsed: true,
        },
        Err(error) => {
            let problems = error.problems();
            // What the readers refuse before checking: the size, the
            // nesting, the syntax (one problem with no place).
            let unread = [
                "not a policy in ",
                "the JSON document",
                "the TOML document",
                "the `CORS_*` variables",
            ];
            let parsed = !matches!(problems, [only] if only.path.is_empty()
                && unread.iter().any(|start| only.message.starts_with(start)));
            Verdict {
                parsed,
                messages: problems.iter().map(|p| p.message.clone()).collect(),
                places: problems
                    .iter()
                    .flat_map(|p| {
                        [
                            Some(&p.path),
                            p.key.as_ref(),
                            p.value.as_ref(),
                            p.id.as_ref(),
                        ]
                        .into_iter()
                        .flatten()
                        .cloned()
                    })
                    .collect(),
                listed: problems.len(),
                total: error.total(),
                text: error.to_string(),
            }
        }
    }
}

fn s3_verdict<T>(result: Result<T, LoadError>) -> Verdict {
    let Err(error) = result else {
        return Verdict {
            messages: Vec::new(),
            places: Vec::new(),
            listed: 0,
            total: 0,
            text: String::new(),
            parsed: true,
        };
    };
    let parsed = matches!(error, LoadError::Invalid(_));
    let text = error.to_string();
    let (messages, places, listed, total) = match &error {
        LoadError::Invalid(errors) => (
            errors.iter().map(|e| e.message.clone()).collect(),
            errors.iter().filter_map(|e| e.id.clone()).collect(),
            errors.listed().len(),
            errors.total(),
        ),
        _ => (vec![error.s3_message()], Vec::new(), 1, 1),
    };
    Verdict {
        messages,
        places,
        listed,
        total,
        text,
        parsed,
    }
}

/// Builds what the readers build once per process (the Public Suffix
/// List's index, about 2.8 MB), so that no read is charged for it.
fn warm_up() {
    static WARM: std::sync::Once = std::sync::Once::new();
    WARM.call_once(|| {
        let credentialed = r#"{"allow_origins": ["https://*.example.com", "https://*.com", "https://bücher.example"],
            "allow_methods": ["GET"], "allow_credentials": true}"#;
        assert!(Policy::from_json(credentialed).is_err());
    });
}

/// Runs `read` on this thread, counting its steps and allocations.
fn measure(reader: Reader, len: usize, read: impl FnOnce() -> Verdict) -> Read {
    warm_up();
    cors_grammar::work::take();
    let (verdict, allocations, bytes) = allocated_during(read);
    let steps = cors_grammar::work::take();
    Read {
        reader,
        len,
        steps,
        allocations,
        bytes,
        messages: verdict.messages,
        places: verdict.places,
        listed: verdict.listed,
        total: verdict.total,
        text: verdict.text,
        parsed: verdict.parsed,
    }
}

fn read_json(text: &str) -> Read {
    measure(Reader::Json, text.len(), || {
        config_verdict(Policy::from_json(text))
    })
}

fn read_toml(text: &str) -> Read {
    measure(Reader::Toml, text.len(), || {
        config_verdict(Policy::from_toml(text))
    })
}

fn read_env(variables: &[(OsString, OsString)]) -> Read {
    let len = variables.iter().map(|(n, v)| n.len() + v.len() + 2).sum();
    measure(Reader::Env, len, || {
        config_verdict(cors_config::from_env_vars(
            "CORS",
            variables.iter().cloned(),
        ))
    })
}

fn read_s3_json(text: &str) -> Read {
    measure(Reader::S3Json, text.len(), || {
        s3_verdict(Policy::from_s3_json(text))
    })
}

fn read_s3_xml(text: &str) -> Read {
    measure(Reader::S3Xml, text.len(), || {
        s3_verdict(Policy::from_s3_xml(text))
    })
}

/// Every bound of the module's documentation, on one read.
fn check_bounds(what: &str, read: &Read) {
    let len = read.len;
    assert!(read.listed <= MAX_LISTED, "{what}: {} listed", read.listed);
    assert!(read.listed <= read.total, "{what}: {read:?}");
    assert!(
        read.total <= MAX_PROBLEMS_PER_BYTE * len + MAX_PROBLEMS_BASE,
        "{what}: {} problems for {len} bytes",
        read.total
    );
    for message in &read.messages {
        assert!(
            message.len() <= MAX_MESSAGE_BYTES,
            "{what}: a message of {} bytes: {message}",
            message.len()
        );
        assert!(
            !message.contains(['\n', '\r', '\u{202e}', '\0']),
            "{what}: {message:?}"
        );
    }
    for place in &read.places {
        assert!(
            place.len() <= MAX_QUOTED_BYTES,
            "{what}: a place of {} bytes: {place}",
            place.len()
        );
    }
    assert!(
        read.text.len() <= MAX_ERROR_BYTES,
        "{what}: an error of {} bytes",
        read.text.len()
    );
    assert!(
        read.steps <= STEPS_PER_BYTE * len as u64 + STEPS_BASE,
        "{what}: {} steps for {len} bytes",
        read.steps
    );
    assert!(
        read.bytes <= ALLOC_BYTES_PER_BYTE.of(read.reader) * len + ALLOC_BYTES_BASE,
        "{what}: {} bytes allocated ({} allocations) for {len} bytes",
        read.bytes,
        read.allocations
    );
}

// ---------------------------------------------------------------------
// Documents: a small tree rendered as JSON or TOML, so that a document can
// hold what a serializer would refuse (duplicate keys, `-0`, numbers past
// 64 bits, raw tokens).

#[derive(Debug, Clone)]
enum Doc {
    Str(String),
    /// A token written as it is (a number, a date-time, or junk).
    Raw(String),
    Bool(bool),
    List(Vec<Doc>),
    Map(Vec<(String, Doc)>),
}

/// A JSON string literal (control characters escaped; every other
/// character, bidirectional controls included, written as it is).
fn json_string(text: &str) -> String {
    serde_json::to_string(text).expect("a string serializes")
}

/// A TOML basic string: `"`, `\` and every control character escaped.
fn toml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

impl Doc {
    /// The value as JSON, or as an inline TOML value.
    fn render(&self, syntax: Syntax, out: &mut String) {
        let (string, separator, assign): (fn(&str) -> String, _, _) = match syntax {
            Syntax::Json => (json_string, ",", ":"),
            Syntax::Toml => (toml_string, ", ", " = "),
        };
        match self {
            Doc::Str(text) => out.push_str(&string(text)),
            Doc::Raw(token) => out.push_str(token),
            Doc::Bool(flag) => out.push_str(if *flag { "true" } else { "false" }),
            Doc::List(items) => {
                out.push('[');
                for (at, item) in items.iter().enumerate() {
                    if at > 0 {
                        out.push_str(separator);
                    }
                    item.render(syntax, out);
                }
                out.push(']');
            }
            Doc::Map(entries) => {
                out.push('{');
                for (at, (key, value)) in entries.iter().enumerate() {
                    if at > 0 {
                        out.push_str(separator);
                    }
                    out.push_str(&string(key));
                    out.push_str(assign);
                    value.render(syntax, out);
                }
                out.push('}');
            }
        }
    }

    fn to_json(&self) -> String {
        let mut out = String::new();
        self.render(Syntax::Json, &mut out);
        out
    }

    /// The document with only the first of each map's repeated keys (a
    /// repeated key is a syntax error in TOML).
    fn without_repeats(&self) -> Doc {
        match self {
            Doc::List(items) => Doc::List(items.iter().map(Doc::without_repeats).collect()),
            Doc::Map(entries) => {
                let mut seen = std::collections::HashSet::new();
                Doc::Map(
                    entries
                        .iter()
                        .filter(|(key, _)| seen.insert(key.clone()))
                        .map(|(key, value)| (key.clone(), value.without_repeats()))
                        .collect(),
                )
            }
            other => other.clone(),
        }
    }

    /// An inline TOML value.
    fn toml_inline(&self, out: &mut String) {
        self.render(Syntax::Toml, out);
    }

    /// A TOML document: a map's entries as `key = value` lines, a list of
    /// maps under `rules` as `[[rules]]` tables; anything else as `v = ...`.
    fn to_toml(&self, repeats: bool) -> String {
        if !repeats {
            return self.without_repeats().to_toml(true);
        }
        let mut out = String::new();
        let Doc::Map(entries) = self else {
            out.push_str("v = ");
            self.toml_inline(&mut out);
            return out;
        };
        let mut tables = Vec::new();
        for (key, value) in entries {
            match value {
                Doc::List(items)
                    if key == "rules" && items.iter().all(|i| matches!(i, Doc::Map(_))) =>
                {
                    tables.extend(items.iter());
                }
                value => {
                    out.push_str(&toml_string(key));
                    out.push_str(" = ");
                    value.toml_inline(&mut out);
                    out.push('\n');
                }
            }
        }
        for table in tables {
            out.push_str("[[rules]]\n");
            if let Doc::Map(entries) = table {
                for (key, value) in entries {
                    out.push_str(&toml_string(key));
                    out.push_str(" = ");
                    value.toml_inline(&mut out);
                    out.push('\n');
                }
            }
        }
        out
    }
}

const RULE_KEYS: [&str; 9] = cors_config::KEYS;
const POLICY_KEYS: [&str; 3] = [
    cors_config::POLICY_KEYS[0],
    cors_config::POLICY_KEYS[1],
    "rules",
];

/// Strings a policy might hold, and strings it should refuse.
fn hostile_string() -> impl Strategy<Value = String> {
    let plain = prop::sample::select(vec![
        "*",
        "https://app.example.com",
        "https://*.example.com",
        "http://localhost:*",
        "http://localhost:3000",
        "http://[::1]:8080",
        "https://*.com",
        "https://*.github.io",
        "http://example.com",
        "null",
        "file://x",
        "HTTPS://APP.EXAMPLE.COM",
        "https://app.example.com/",
        "https://app.example.com:443",
        "https://app.example.com:065535",
        "https://xn--nxasmq6b.example",
        "https://bücher.example",
        "GET",
        "get",
        "PATCH",
        "CONNECT",
        "content-type",
        "x-api-*",
        "x-*-*",
        "*-token",
        "a*",
        "authorization",
        "cookie",
        "sec-fetch-mode",
        "set-cookie",
        "etag",
        "access-control-allow-origin",
        "/pay/callback",
        "/hooks/*",
        "/*",
        "/a/../b",
        "",
        " ",
        "\u{202e}moc.elpmaxe//:sptth",
        "https://app.example.com\u{0}",
        "x\u{1b}[2J",
        "\u{2028}",
        "\u{feff}",
        "\u{fffe}",
    ])
    .prop_map(str::to_owned);
    let repeated = (
        prop::sample::select(vec![
            "a", "é", "\u{202e}", "\u{0}", "*", ".", "a.", "😀", "x-",
        ]),
        0usize..3000,
    )
        .prop_map(|(unit, n)| unit.repeat(n));
    let long_host = (1usize..400).prop_map(|n| format!("https://{}example.com", "a.".repeat(n)));
    prop_oneof![
        6 => plain,
        2 => any::<String>(),
        1 => repeated,
        1 => long_host,
    ]
}

/// Number-like and other raw tokens, valid and not.
fn raw_token() -> impl Strategy<Value = String> {
    let valid = prop_oneof![
        4 => prop::sample::select(vec![
            "0",
            "-0",
            "600",
            "86400",
            "86401",
            "-1",
            "18446744073709551615",
            "18446744073709551616",
            "-18446744073709551616",
            "1e400",
            "1.5",
            "-0.0",
            "null",
        ])
        .prop_map(str::to_owned),
        1 => "[1-9][0-9]{0,400}",
        1 => "-[0-9]{1,40}",
    ];
    let invalid = prop::sample::select(vec![
        "0x10",
        "nan",
        "inf",
        "007",
        "1979-05-27T07:32:00Z",
        "\"\\ud800\"",
        "'literal'",
        "\"\"\"multi\nline\"\"\"",
    ])
    .prop_map(str::to_owned);
    prop_oneof![12 => valid, 1 => invalid]
}

/// A key: mostly the real ones, sometimes junk.
fn key(known: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop_oneof![
        6 => prop::sample::select(known).prop_map(str::to_owned),
        1 => hostile_string(),
    ]
}

/// Which syntax a document is for: its raw tokens differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Syntax {
    Json,
    Toml,
}

/// Raw tokens TOML reads (and some it refuses): integers, floats,
/// date-times, literal and multi-line strings.
fn toml_token() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(vec![
            "0",
            "-0",
            "+600",
            "86400",
            "86401",
            "-1",
            "9223372036854775807",
            "9223372036854775808",
            "0x10",
            "0o17",
            "0b101",
            "1_000",
            "1.5",
            "-0.0",
            "1e400",
            "nan",
            "-inf",
            "1979-05-27T07:32:00Z",
            "1979-05-27T00:32:00.999999-07:00",
            "1979-05-27 07:32:00",
            "1979-05-27",
            "07:32:00",
            "'literal \\ '",
            "'''multi\nline'''",
            "\"\"\"multi\nline\"\"\"",
        ])
        .prop_map(str::to_owned),
        1 => "[1-9][0-9]{0,30}",
        1 => raw_token(),
    ]
}

fn token(syntax: Syntax) -> BoxedStrategy<String> {
    match syntax {
        Syntax::Json => raw_token().boxed(),
        Syntax::Toml => toml_token().boxed(),
    }
}

/// A value of the wrong or right type, at most `depth` levels deep.
fn value(depth: u32, syntax: Syntax) -> BoxedStrategy<Doc> {
    let leaf = prop_oneof![
        4 => hostile_string().prop_map(Doc::Str),
        2 => token(syntax).prop_map(Doc::Raw),
        1 => any::<bool>().prop_map(Doc::Bool),
    ];
    leaf.prop_recursive(depth, 64, 12, |inner| {
        prop_oneof![
            3 => prop::collection::vec(inner.clone(), 0..12).prop_map(Doc::List),
            1 => prop::collection::vec((key(&RULE_KEYS), inner), 0..6).prop_map(Doc::Map),
        ]
    })
    .boxed()
}

/// A value for `key`: mostly of the kind the key takes (a list of strings,
/// a boolean, a number, a string), sometimes any value.
fn field_value(key: &str, syntax: Syntax) -> BoxedStrategy<Doc> {
    let strings = || {
        prop::collection::vec(hostile_string().prop_map(Doc::Str), 0..16)
            .prop_map(Doc::List)
            .boxed()
    };
    let typed = match key {
        "allow_origins" | "allow_methods" | "allow_headers" | "expose_headers" | "open_paths"
        | "AllowedOrigins" | "AllowedMethods" | "AllowedHeaders" | "ExposeHeaders" => strings(),
        "allow_credentials"
        | "cross_origin_protection"
        | "dangerously_allow_insecure_origins"
        | "dangerously_allow_public_suffix_wildcards" => any::<bool>().prop_map(Doc::Bool).boxed(),
        "max_age" | "MaxAgeSeconds" => token(syntax).prop_map(Doc::Raw).boxed(),
        "id" | "ID" => hostile_string().prop_map(Doc::Str).boxed(),
        _ => value(2, syntax),
    };
    prop_oneof![5 => typed, 1 => value(2, syntax)].boxed()
}

/// A rule: known keys (repeats allowed) with values mostly of their kind.
fn rule_doc(keys: &'static [&'static str], syntax: Syntax) -> BoxedStrategy<Doc> {
    let field = key(keys).prop_flat_map(move |key| {
        let value = field_value(&key, syntax);
        (Just(key), value)
    });
    prop::collection::vec(field, 0..8)
        .prop_map(Doc::Map)
        .boxed()
}

/// A policy-shaped document: one rule, a list of rules, or `rules` with the
/// policy's keys, with occasional junk at any place.
fn policy_doc(syntax: Syntax) -> impl Strategy<Value = Doc> {
    let rules = prop::collection::vec(rule_doc(&RULE_KEYS, syntax), 0..12).boxed();
    let policy_field = key(&POLICY_KEYS).prop_flat_map(move |key| {
        let value = field_value(&key, syntax);
        (Just(key), value)
    });
    prop_oneof![
        2 => rule_doc(&RULE_KEYS, syntax),
        1 => rules.clone().prop_map(Doc::List),
        2 => (rules, prop::collection::vec(policy_field, 0..4)).prop_map(
            |(rules, mut fields)| {
                fields.insert(0, ("rules".to_owned(), Doc::List(rules)));
                Doc::Map(fields)
            }
        ),
        1 => value(4, syntax),
    ]
}

/// `depth` nested lists around a value (the limit is 8).
fn nested(depth: usize, inner: &str, open: char, close: char) -> String {
    format!(
        "{}{inner}{}",
        open.to_string().repeat(depth),
        close.to_string().repeat(depth)
    )
}

/// Documents that are not policy-shaped at all: random bytes (decoded
/// lossily: the readers take `&str`), nesting around the limit, and a
/// policy with bytes flipped.
fn junk_text() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..2000)
            .prop_map(|bytes| String::from_utf8_lossy(&bytes).into_owned()),
        "\\PC{0,500}",
        (4usize..14).prop_map(|depth| nested(depth, "1", '[', ']')),
        (4usize..14).prop_map(|depth| format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth))),
        (4usize..14).prop_map(|depth| format!("a = {}", nested(depth, "1", '[', ']'))),
        (1usize..8).prop_map(|depth| format!("[{}]\nx = 1", vec!["a"; depth].join("."))),
        (4usize..14).prop_map(|depth| format!("{} = 1", vec!["a"; depth].join("."))),
        (
            policy_doc(Syntax::Json),
            any::<prop::sample::Index>(),
            any::<u8>()
        )
            .prop_map(|(doc, at, byte)| {
                let mut bytes = doc.to_json().into_bytes();
                if !bytes.is_empty() {
                    let at = at.index(bytes.len());
                    bytes[at] = byte;
                }
                String::from_utf8_lossy(&bytes).into_owned()
            }),
    ]
}

// ---------------------------------------------------------------------
// The environment.

const ENV_KEYS: [&str; 12] = [
    "ALLOW_ORIGINS",
    "ALLOW_METHODS",
    "ALLOW_HEADERS",
    "EXPOSE_HEADERS",
    "OPEN_PATHS",
    "MAX_AGE",
    "ALLOW_CREDENTIALS",
    "CROSS_ORIGIN_PROTECTION",
    "ID",
    "DANGEROUSLY_ALLOW_INSECURE_ORIGINS",
    "DANGEROUSLY_ALLOW_PUBLIC_SUFFIX_WILDCARDS",
    "RULES",
];

fn env_bytes() -> impl Strategy<Value = OsString> {
    prop_oneof![
        6 => hostile_string().prop_map(OsString::from),
        3 => prop::collection::vec(hostile_string(), 0..20).prop_map(|items| OsString::from(items.join(","))),
        1 => prop::collection::vec(any::<u8>(), 0..64).prop_map(OsString::from_vec),
        1 => prop::sample::select(vec![b"\xff\xfe".to_vec(), b"GET,\x80".to_vec(), Vec::new(), b" \t ".to_vec()])
            .prop_map(OsString::from_vec),
    ]
}

fn env_name() -> impl Strategy<Value = OsString> {
    prop_oneof![
        8 => prop::sample::select(ENV_KEYS.to_vec()).prop_map(|k| OsString::from(format!("CORS_{k}"))),
        1 => prop::sample::select(ENV_KEYS.to_vec()).prop_map(|k| OsString::from(format!("CORS_{}", k.to_ascii_lowercase()))),
        1 => "[A-Z_]{0,12}".prop_map(|k| OsString::from(format!("CORS_{k}"))),
        1 => "[A-Z_]{0,12}".prop_map(OsString::from),
        1 => prop::collection::vec(any::<u8>(), 0..16).prop_map(|tail| {
            let mut name = b"CORS_".to_vec();
            name.extend(tail);
            OsString::from_vec(name)
        }),
        1 => prop::collection::vec(any::<u8>(), 0..16).prop_map(OsString::from_vec),
    ]
}

fn env_vars() -> impl Strategy<Value = Vec<(OsString, OsString)>> {
    prop::collection::vec((env_name(), env_bytes()), 0..40)
}

// ---------------------------------------------------------------------
// S3 documents.

const S3_RULE_KEYS: [&str; 7] = [
    "ID",
    "AllowedOrigins",
    "AllowedMethods",
    "AllowedHeaders",
    "ExposeHeaders",
    "MaxAgeSeconds",
    "CORSRules",
];

/// An S3 rule as the JSON form writes it: the known members with values of
/// their kind (hostile strings in them).
fn s3_rule_json() -> BoxedStrategy<Doc> {
    let strings =
        || prop::collection::vec(hostile_string().prop_map(Doc::Str), 0..12).prop_map(Doc::List);
    (
        prop::option::of(hostile_string().prop_map(Doc::Str)),
        strings(),
        strings(),
        prop::option::of(strings()),
        prop::option::of(strings()),
        prop::option::of(
            prop::sample::select(vec![
                "0",
                "-1",
                "3000",
                "2147483647",
                "2147483648",
                "-9223372036854775808",
                "9223372036854775807",
            ])
            .prop_map(|n| Doc::Raw(n.to_owned())),
        ),
    )
        .prop_map(|(id, origins, methods, headers, expose, max_age)| {
            let mut fields = Vec::new();
            let mut push = |key: &str, value: Option<Doc>| {
                if let Some(value) = value {
                    fields.push((key.to_owned(), value));
                }
            };
            push("ID", id);
            push("AllowedOrigins", Some(origins));
            push("AllowedMethods", Some(methods));
            push("AllowedHeaders", headers);
            push("ExposeHeaders", expose);
            push("MaxAgeSeconds", max_age);
            Doc::Map(fields)
        })
        .boxed()
}

fn s3_json_doc() -> impl Strategy<Value = String> {
    let shaped = prop::collection::vec(s3_rule_json(), 0..12).boxed();
    let rule = rule_doc(&S3_RULE_KEYS, Syntax::Json);
    let rules = prop::collection::vec(rule, 0..12).boxed();
    prop_oneof![
        6 => shaped.clone().prop_map(|rules| Doc::Map(vec![("CORSRules".to_owned(), Doc::List(rules))]).to_json()),
        2 => shaped.prop_map(|rules| Doc::List(rules).to_json()),
        2 => rules.clone().prop_map(|rules| Doc::Map(vec![("CORSRules".to_owned(), Doc::List(rules))]).to_json()),
        1 => rules.prop_map(|rules| Doc::List(rules).to_json()),
        1 => value(4, Syntax::Json).prop_map(|doc| doc.to_json()),
        1 => junk_text(),
    ]
}

/// An XML element of a configuration, with what may surround its parts.
#[derive(Debug, Clone)]
enum Xml {
    Element {
        name: String,
        attributes: Vec<(String, String)>,
        children: Vec<Xml>,
        empty: bool,
    },
    Text(String),
    /// Markup written as it is: comments, CDATA, processing instructions,
    /// references, a DOCTYPE, junk.
    Raw(String),
}

impl Xml {
    fn render(&self, out: &mut String) {
        match self {
            Xml::Element {
                name,
                attributes,
                children,
                empty,
            } => {
                out.push('<');
                out.push_str(name);
                for (attribute, value) in attributes {
                    out.push(' ');
                    out.push_str(attribute);
                    out.push_str("=\"");
                    out.push_str(&xml_escape(value));
                    out.push('"');
                }
                if *empty {
                    out.push_str("/>");
                    return;
                }
                out.push('>');
                for child in children {
                    child.render(out);
                }
                out.push_str("</");
                out.push_str(name);
                out.push('>');
            }
            Xml::Text(text) => out.push_str(&xml_escape(text)),
            Xml::Raw(raw) => out.push_str(raw),
        }
    }
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('"', "&quot;")
}

const XML_NAMES: [&str; 10] = [
    "CORSConfiguration",
    "CORSRule",
    "ID",
    "AllowedOrigin",
    "AllowedMethod",
    "AllowedHeader",
    "ExposeHeader",
    "MaxAgeSeconds",
    "s3:CORSRule",
    "Junk",
];

/// Markup written as it is: what XML readers accept in a value, and what
/// they refuse.
fn xml_raw() -> impl Strategy<Value = String> {
    let refused = prop::sample::select(vec![
        "<!-- unterminated",
        "<!DOCTYPE x [<!ENTITY a \"aaaa\">]>",
        "&#x110000;",
        "&#xFFFE;",
        "&#0;",
        "&foo;",
        "&",
        "&&&&&&&&&&&&&&&&",
        "]]>",
        "</CORSRule>",
        "<",
        "\u{202e}",
        "\u{0}",
    ])
    .prop_map(str::to_owned);
    prop_oneof![xml_valid_raw(), refused]
}

fn xml_attribute() -> impl Strategy<Value = (String, String)> {
    prop_oneof![
        3 => Just(("xmlns".to_owned(), "http://s3.amazonaws.com/doc/2006-03-01/".to_owned())),
        1 => Just(("xmlns:s3".to_owned(), "http://s3.amazonaws.com/doc/2006-03-01/".to_owned())),
        1 => Just(("xmlns".to_owned(), "urn:other".to_owned())),
        1 => Just(("xmlns:x".to_owned(), String::new())),
        1 => ("[a-z]{1,8}(:[a-z]{1,4})?", hostile_string()),
    ]
}

fn xml_node(depth: u32) -> BoxedStrategy<Xml> {
    let leaf = prop_oneof![
        4 => hostile_string().prop_map(Xml::Text),
        2 => xml_raw().prop_map(Xml::Raw),
    ];
    leaf.prop_recursive(depth, 200, 16, |inner| {
        (
            prop::sample::select(XML_NAMES.to_vec()),
            prop::collection::vec(xml_attribute(), 0..3),
            prop::collection::vec(inner, 0..16),
            prop::bool::weighted(0.1),
        )
            .prop_map(|(name, attributes, children, empty)| Xml::Element {
                name: name.to_owned(),
                attributes,
                children,
                empty,
            })
    })
    .boxed()
}

/// Markup XML readers accept inside a value.
fn xml_valid_raw() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "<!-- a comment -->",
            "<![CDATA[GET]]>",
            "<![CDATA[<x>&amp;]]>",
            "<?pi data?>",
            "&amp;",
            "&lt;",
            "&#x41;",
            "&#1114111;",
            "&#x202E;",
            "&#9;",
        ])
        .prop_map(str::to_owned),
        (
            prop::sample::select(vec!["&amp;", "<!---->", "<?x?>", "<![CDATA[]]>", "&#x20;"]),
            0usize..2000
        )
            .prop_map(|(unit, n)| unit.repeat(n)),
    ]
}

/// A well-formed configuration (hostile values in it): the XML
/// declaration or nothing before it, S3's namespace or none, each rule's
/// values of the known elements with text, comments, CDATA and references.
fn s3_xml_well_formed() -> impl Strategy<Value = String> {
    let text = prop_oneof![
        3 => hostile_string().prop_map(Xml::Text),
        1 => xml_valid_raw().prop_map(Xml::Raw),
    ];
    let value_element = (
        prop::sample::select(vec![
            "AllowedOrigin",
            "AllowedMethod",
            "AllowedHeader",
            "ExposeHeader",
        ]),
        prop::collection::vec(text, 0..3),
        prop::bool::weighted(0.1),
    )
        .prop_map(|(name, children, empty)| Xml::Element {
            name: name.to_owned(),
            attributes: Vec::new(),
            children,
            empty,
        });
    let rule = (
        prop::option::of(hostile_string()),
        prop::collection::vec(value_element, 0..12),
        prop::option::of(prop::sample::select(vec![
            "0",
            "-1",
            "3000",
            "2147483648",
            " 600 ",
        ])),
    )
        .prop_map(|(id, mut children, max_age)| {
            let element = |name: &str, text: &str| Xml::Element {
                name: name.to_owned(),
                attributes: Vec::new(),
                children: vec![Xml::Text(text.to_owned())],
                empty: false,
            };
            if let Some(id) = id {
                children.insert(0, element("ID", &id));
            }
            if let Some(seconds) = max_age {
                children.push(element("MaxAgeSeconds", seconds));
            }
            Xml::Element {
                name: "CORSRule".to_owned(),
                attributes: Vec::new(),
                children,
                empty: false,
            }
        });
    (
        prop::sample::select(vec![
            "",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
            "\u{feff}",
            "<!-- x -->",
        ]),
        prop::bool::ANY,
        prop::collection::vec(rule, 0..12),
    )
        .prop_map(|(prefix, namespace, children)| {
            let mut out = prefix.to_owned();
            let attributes = if namespace {
                vec![(
                    "xmlns".to_owned(),
                    "http://s3.amazonaws.com/doc/2006-03-01/".to_owned(),
                )]
            } else {
                Vec::new()
            };
            Xml::Element {
                name: "CORSConfiguration".to_owned(),
                attributes,
                children,
                empty: false,
            }
            .render(&mut out);
            out
        })
}

fn s3_xml_doc() -> impl Strategy<Value = String> {
    let value_element = (
        prop::sample::select(XML_NAMES[2..].to_vec()),
        prop::collection::vec(
            prop_oneof![3 => hostile_string().prop_map(Xml::Text), 1 => xml_raw().prop_map(Xml::Raw)],
            0..3,
        ),
        prop::bool::weighted(0.1),
    )
        .prop_map(|(name, children, empty)| Xml::Element {
            name: name.to_owned(),
            attributes: Vec::new(),
            children,
            empty,
        });
    let rule = prop::collection::vec(value_element, 0..10).prop_map(|children| Xml::Element {
        name: "CORSRule".to_owned(),
        attributes: Vec::new(),
        children,
        empty: false,
    });
    let shaped = (
        prop::collection::vec(xml_attribute(), 0..3),
        prop::collection::vec(prop_oneof![4 => rule, 1 => xml_node(3)], 0..12),
        prop::option::of(xml_raw()),
    )
        .prop_map(|(attributes, children, prefix)| {
            let mut out = prefix.unwrap_or_default();
            Xml::Element {
                name: "CORSConfiguration".to_owned(),
                attributes,
                children,
                empty: false,
            }
            .render(&mut out);
            out
        });
    prop_oneof![
        8 => s3_xml_well_formed(),
        3 => shaped,
        1 => xml_node(5).prop_map(|node| {
            let mut out = String::new();
            node.render(&mut out);
            out
        }),
        1 => junk_text(),
    ]
}

/// The largest figures of a run, for the report `--nocapture` prints.
#[derive(Debug, Default)]
struct Figures {
    reads: usize,
    /// Reads that got past the parser to the checker or validator.
    parsed: usize,
    longest: usize,
    most_steps: u64,
    /// Steps per byte, over documents of at least 256 bytes.
    steps_per_byte: f64,
    alloc_bytes_per_byte: f64,
    longest_message: usize,
    longest_place: usize,
    most_problems: usize,
}

impl Figures {
    fn add(&mut self, read: &Read) {
        self.reads += 1;
        self.parsed += usize::from(read.parsed);
        self.longest = self.longest.max(read.len);
        self.most_steps = self.most_steps.max(read.steps);
        if read.len >= 256 {
            let len = read.len as f64;
            self.steps_per_byte = self.steps_per_byte.max(read.steps as f64 / len);
            self.alloc_bytes_per_byte = self.alloc_bytes_per_byte.max(read.bytes as f64 / len);
        }
        let longest = |texts: &[String]| texts.iter().map(String::len).max().unwrap_or(0);
        self.longest_message = self.longest_message.max(longest(&read.messages));
        self.longest_place = self.longest_place.max(longest(&read.places));
        self.most_problems = self.most_problems.max(read.total);
    }
}

/// Runs `read` on [`CASES`] values of `strategy`, checking every bound and
/// that at least `parsed` percent of the documents reached the checker,
/// and prints the largest figures.
fn run<S: Strategy>(what: &str, parsed: usize, strategy: S, read: impl Fn(&S::Value) -> Read) {
    let config = ProptestConfig {
        cases: cases(),
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    let mut runner = proptest::test_runner::TestRunner::new(config);
    let figures = std::cell::RefCell::new(Figures::default());
    let result = runner.run(&strategy, |value| {
        let read = read(&value);
        check_bounds(what, &read);
        figures.borrow_mut().add(&read);
        Ok(())
    });
    if let Err(error) = result {
        panic!("{what}: {error}");
    }
    let figures = figures.into_inner();
    eprintln!("{what}: {figures:?}");
    assert!(
        figures.parsed * 100 >= parsed * figures.reads,
        "{what}: only {} of {} documents were parsed",
        figures.parsed,
        figures.reads
    );
}

#[test]
fn json_documents_are_bounded() {
    run("JSON", 40, policy_doc(Syntax::Json), |doc| {
        read_json(&doc.to_json())
    });
}

#[test]
fn json_junk_is_bounded() {
    run("JSON junk", 0, junk_text(), |text| read_json(text));
}

#[test]
fn toml_documents_are_bounded() {
    let documents = (policy_doc(Syntax::Toml), prop::bool::weighted(0.2));
    run("TOML", 30, documents, |(doc, repeats)| {
        read_toml(&doc.to_toml(*repeats))
    });
}

#[test]
fn toml_junk_is_bounded() {
    run("TOML junk", 0, junk_text(), |text| read_toml(text));
}

#[test]
fn environments_are_bounded() {
    run("environment", 50, env_vars(), |variables| {
        read_env(variables)
    });
}

#[test]
fn s3_json_documents_are_bounded() {
    run("S3 JSON", 30, s3_json_doc(), |text| read_s3_json(text));
}

#[test]
fn s3_xml_documents_are_bounded() {
    run("S3 XML", 35, s3_xml_doc(), |text| read_s3_xml(text));
}

// ---------------------------------------------------------------------
// Scaling: adversarial families, doubled up to the limits.

/// One family: a document for each size, read by one reader.
struct Family {
    name: &'static str,
    sizes: Vec<usize>,
    read: Box<dyn Fn(usize) -> Read>,
}

fn family(
    name: &'static str,
    sizes: impl IntoIterator<Item = usize>,
    read: impl Fn(usize) -> Read + 'static,
) -> Family {
    Family {
        name,
        sizes: sizes.into_iter().collect(),
        read: Box::new(read),
    }
}

/// `start`, `2·start`, ... up to `last` (included when reached).
fn doubling(start: usize, last: usize) -> Vec<usize> {
    std::iter::successors(Some(start), |n| Some(n * 2))
        .take_while(|n| *n <= last)
        .collect()
}

fn strings(items: impl IntoIterator<Item = String>) -> String {
    let items: Vec<String> = items.into_iter().map(|i| json_string(&i)).collect();
    format!("[{}]", items.join(","))
}

/// A JSON rule with these origins, methods and headers.
fn json_rule(origins: &[String], methods: &[&str], headers: &[String]) -> String {
    format!(
        "{{\"allow_origins\":{},\"allow_methods\":{},\"allow_headers\":{}}}",
        strings(origins.iter().cloned()),
        strings(methods.iter().map(|m| (*m).to_owned())),
        strings(headers.iter().cloned())
    )
}

fn json_rules(rules: &[String]) -> String {
    format!("[{}]", rules.join(","))
}

/// The same document as TOML `[[rules]]` tables.
fn toml_rules(rules: &[(Vec<String>, Vec<&str>, Vec<String>)]) -> String {
    let list = |items: &mut dyn Iterator<Item = String>| {
        format!(
            "[{}]",
            items
                .map(|i| toml_string(&i))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let mut out = String::new();
    for (origins, methods, headers) in rules {
        out.push_str("[[rules]]\nallow_origins = ");
        out.push_str(&list(&mut origins.iter().cloned()));
        out.push_str("\nallow_methods = ");
        out.push_str(&list(&mut methods.iter().map(|m| (*m).to_owned())));
        out.push_str("\nallow_headers = ");
        out.push_str(&list(&mut headers.iter().cloned()));
        out.push('\n');
    }
    out
}

type RuleParts = (Vec<String>, Vec<&'static str>, Vec<String>);

fn as_json(rules: &[RuleParts]) -> String {
    json_rules(
        &rules
            .iter()
            .map(|(o, m, h)| json_rule(o, m, h))
            .collect::<Vec<_>>(),
    )
}

/// `n` rules, each the same origin and method and `m` headers (all but the
/// first unreachable: the coverage check runs on every rule).
fn rules_by_headers(n: usize, m: usize) -> Vec<RuleParts> {
    let headers: Vec<String> = (0..m).map(|h| format!("x-header-{h}")).collect();
    (0..n)
        .map(|_| {
            (
                vec!["https://a.example.com".to_owned()],
                vec!["GET"],
                headers.clone(),
            )
        })
        .collect()
}

/// `n` rules of one origin each, then one rule listing all `n` origins:
/// each of its origins covered by a different earlier rule.
fn split_origins(n: usize) -> Vec<RuleParts> {
    let origins: Vec<String> = (0..n)
        .map(|o| format!("https://o{o}.example.com"))
        .collect();
    let mut rules: Vec<RuleParts> = origins
        .iter()
        .map(|o| (vec![o.clone()], vec!["GET", "PUT"], vec!["x-a".to_owned()]))
        .collect();
    rules.push((origins, vec!["GET"], vec!["x-a".to_owned()]));
    rules
}

/// Two rules of the same `n` ports of one host (the second unreachable).
fn many_ports(n: usize) -> Vec<RuleParts> {
    let origins: Vec<String> = (1..=n)
        .map(|p| format!("http://localhost:{}", 1000 + p))
        .collect();
    vec![
        (origins.clone(), vec!["GET"], Vec::new()),
        (origins, vec!["GET"], Vec::new()),
    ]
}

/// 256 rules listing the same 32 header patterns of `len` bytes each: the
/// most distinct patterns a policy may have, each tested against all.
fn long_patterns(len: usize) -> Vec<RuleParts> {
    let patterns: Vec<String> = (0..32)
        .map(|p| format!("x-{}-{p}*", "a".repeat(len)))
        .collect();
    (0..256)
        .map(|_| (vec!["*".to_owned()], vec!["GET"], patterns.clone()))
        .collect()
}

/// One rule with `n` invalid origins: `n` problems, 10 listed.
fn many_problems(n: usize) -> String {
    let origins: Vec<String> = (0..n).map(|o| format!("ftp:{o}")).collect();
    json_rule(&origins, &["GET"], &[])
}

/// One origin of `len` bytes of labels (far past the host's limit).
fn long_origin(len: usize) -> String {
    json_rule(
        &[format!("https://{}com", "a.".repeat(len / 2))],
        &["GET"],
        &[],
    )
}

/// `n` numbers written as JSON parsers hand over as floats (`-0`, past 64
/// bits), between long strings the number scan skips.
fn json_numbers(n: usize) -> String {
    let items: Vec<String> = (0..n)
        .map(|i| {
            if i % 2 == 0 {
                "-0".to_owned()
            } else {
                json_string(&format!("{}\\\"[{{", "s".repeat(40)))
            }
        })
        .collect();
    format!(
        "{{\"allow_origins\":[{}],\"allow_methods\":[\"GET\"],\"max_age\":18446744073709551616}}",
        items.join(",")
    )
}

/// `n` variables: one origin list of `n` items and `n` unknown variables
/// (sorted by name before they are read).
fn env_family(n: usize) -> Vec<(OsString, OsString)> {
    let mut vars = vec![
        (
            OsString::from("CORS_ALLOW_ORIGINS"),
            OsString::from(
                (0..n)
                    .map(|o| format!("https://o{o}.example.com"))
                    .collect::<Vec<_>>()
                    .join(","),
            ),
        ),
        (OsString::from("CORS_ALLOW_METHODS"), OsString::from("GET")),
    ];
    for v in (0..n).rev() {
        vars.push((
            OsString::from(format!("CORS_X{v:08}")),
            OsString::from_vec(vec![0xff; 8]),
        ));
        vars.push((OsString::from(format!("OTHER{v}")), OsString::from("x")));
    }
    vars
}

/// An S3 configuration of `rules` rules with `m` origins and headers each.
fn s3_json(rules: usize, m: usize) -> String {
    let rule = format!(
        "{{\"AllowedOrigins\":{},\"AllowedMethods\":[\"GET\",\"PUT\"],\"AllowedHeaders\":{}}}",
        strings((0..m).map(|o| format!("https://o{o}.example.com"))),
        strings((0..m).map(|h| format!("x-amz-{h}-*"))),
    );
    format!("{{\"CORSRules\":[{}]}}", vec![rule; rules].join(","))
}

/// The same in XML, each value wrapped in a comment, an entity and a
/// CDATA section, every rule with 32 attributes.
fn s3_xml(rules: usize, m: usize) -> String {
    let attributes: String = (0..31).map(|a| format!(" a{a}=\"&amp;{a}\"")).collect();
    let mut rule =
        format!("<CORSRule{attributes} xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">");
    for o in 0..m {
        rule.push_str(&format!(
            "<AllowedOrigin> <!-- o -->https://o{o}.example.com<![CDATA[]]>&#x20;</AllowedOrigin><AllowedHeader>x-amz-&amp;{o}</AllowedHeader><AllowedMethod/>"
        ));
    }
    rule.push_str("<AllowedMethod>GET</AllowedMethod></CORSRule>");
    format!(
        "<?xml version=\"1.0\"?><CORSConfiguration>{}</CORSConfiguration>",
        rule.repeat(rules)
    )
}

/// Values whose 16 attributes each name the prefix declared first of the
/// 80 declarations in scope (32 on the root, 32 on the rule, 16 on the
/// value: 32 attributes is a tag's most).
fn s3_xml_prefixed(m: usize) -> String {
    const S3: &str = "http://s3.amazonaws.com/doc/2006-03-01/";
    let declarations = |scope: &str, count: usize| -> String {
        (0..count)
            .map(|d| format!(" xmlns:{scope}{d}=\"{S3}\""))
            .collect()
    };
    let attributes: String = (0..16).map(|a| format!(" c0:a{a}=\"1\"")).collect();
    let values: String = (0..m)
        .map(|o| {
            format!(
                "<AllowedOrigin{attributes}{}>https://o{o}.example.com</AllowedOrigin>",
                declarations("v", 16)
            )
        })
        .collect();
    format!(
        "<CORSConfiguration{}><CORSRule{}><AllowedMethod>GET</AllowedMethod>{values}</CORSRule></CORSConfiguration>",
        declarations("c", 32),
        declarations("r", 32)
    )
}

/// Every family: each is read at every size, and the steps may grow by at
/// most [`MAX_DOUBLING_RATIO`] from one size to the next.
fn families() -> Vec<Family> {
    vec![
        family(
            "JSON: n rules × 32 headers, one origin",
            doubling(8, 256),
            |n| read_json(&as_json(&rules_by_headers(n, 32))),
        ),
        family(
            "JSON: 4 rules × m headers, one origin",
            doubling(64, 8192),
            |m| read_json(&as_json(&rules_by_headers(4, m))),
        ),
        family(
            "TOML: 4 rules × m headers, one origin",
            doubling(64, 8192),
            |m| read_toml(&toml_rules(&rules_by_headers(4, m))),
        ),
        family(
            "JSON: n origins each covered by another earlier rule",
            [8, 16, 32, 64, 128, 255],
            |n| read_json(&as_json(&split_origins(n))),
        ),
        family(
            "TOML: n origins each covered by another earlier rule",
            [8, 16, 32, 64, 128, 255],
            |n| read_toml(&toml_rules(&split_origins(n))),
        ),
        family("JSON: 2 rules × n ports", doubling(256, 16384), |n| {
            read_json(&as_json(&many_ports(n)))
        }),
        family(
            "JSON: 256 rules × 32 header patterns of n bytes",
            doubling(4, 64),
            |n| read_json(&as_json(&long_patterns(n))),
        ),
        family("JSON: n invalid origins", doubling(512, 65536), |n| {
            read_json(&many_problems(n))
        }),
        family(
            "JSON: one origin of n bytes",
            doubling(1024, 1 << 19),
            |n| read_json(&long_origin(n)),
        ),
        family(
            "JSON: n numbers read as floats",
            doubling(512, 32768),
            |n| read_json(&json_numbers(n)),
        ),
        family(
            "environment: n origins, 2n other variables",
            doubling(256, 8192),
            |n| read_env(&env_family(n)),
        ),
        family("JSON: n unknown keys", doubling(4096, 65536), |n| {
            let keys: Vec<String> = (0..n).map(|k| format!("\"k{k}\":1")).collect();
            read_json(&format!("{{{}}}", keys.join(",")))
        }),
        family("JSON: n empty rules", doubling(1024, 131072), |n| {
            read_json(&format!("[{}]", vec!["{}"; n].join(",")))
        }),
        family("JSON: n repeated keys", doubling(1024, 65536), |n| {
            read_json(&format!("{{{}}}", vec!["\"max_age\":-0"; n].join(",")))
        }),
        family(
            "JSON: one non-ASCII host of n characters",
            doubling(1024, 131072),
            |n| {
                let host: String = (0..n)
                    .map(|i| match i % 60 {
                        59 => '.',
                        _ => char::from_u32(0x4e00 + (i as u32 % 20000)).unwrap_or('a'),
                    })
                    .collect();
                read_json(&json_rule(&[format!("https://{host}.com")], &["GET"], &[]))
            },
        ),
        family("JSON: 64 open paths of n bytes", doubling(16, 1024), |n| {
            let paths: Vec<String> = (0..64)
                .map(|p| format!("/{}/{p}", "a".repeat(n - 4)))
                .collect();
            let rule = json_rule(&["https://a.example.com".to_owned()], &["GET"], &[]);
            read_json(&format!(
                "{{\"open_paths\":{},\"rules\":[{rule}]}}",
                strings(paths)
            ))
        }),
        family("TOML: n [[rules]] headers", doubling(4096, 65536), |n| {
            read_toml(&"[[rules]]\n".repeat(n))
        }),
        family("TOML: n unknown keys", doubling(4096, 65536), |n| {
            read_toml(&(0..n).map(|k| format!("k{k} = 1\n")).collect::<String>())
        }),
        family(
            "TOML: n inline tables in a list",
            doubling(4096, 65536),
            |n| read_toml(&format!("x = [{}]", "{a = 1},".repeat(n))),
        ),
        family("TOML: n tables, one repeated", doubling(4096, 65536), |n| {
            read_toml(
                &(0..n)
                    .map(|t| format!("[t{}]\n", t % (n - 1)))
                    .collect::<String>(),
            )
        }),
        family(
            "S3 JSON: n rules × 4 origins and headers",
            [4, 8, 16, 32, 64, 100],
            |n| read_s3_json(&s3_json(n, 4)),
        ),
        family(
            "S3 JSON: 1 rule × m origins and headers",
            doubling(16, 1024),
            |m| read_s3_json(&s3_json(1, m)),
        ),
        family(
            "S3 XML: n rules × 1 origin and header",
            [4, 8, 16, 32, 64, 96],
            |n| read_s3_xml(&s3_xml(n, 1)),
        ),
        family(
            "S3 XML: 1 rule × m origins and headers",
            doubling(8, 256),
            |m| read_s3_xml(&s3_xml(1, m)),
        ),
        family(
            "S3 XML: m values × 16 prefixed attributes, 80 declarations in scope",
            [4, 8, 16, 32, 56],
            |m| read_s3_xml(&s3_xml_prefixed(m)),
        ),
        family(
            "S3 XML: n comments, references and CDATA sections in one value",
            [256, 512, 1024, 1700],
            |n| {
                read_s3_xml(&format!(
                "<CORSConfiguration><CORSRule><AllowedMethod>GET</AllowedMethod><AllowedOrigin>{}</AllowedOrigin></CORSRule></CORSConfiguration>",
                "<!--c-->&amp;<![CDATA[x]]>&#x41;<?p?>".repeat(n)
            ))
            },
        ),
    ]
}

#[test]
fn work_is_linear_when_adversarial_families_double() {
    for Family { name, sizes, read } in families() {
        let mut previous: Option<Read> = None;
        for size in sizes {
            let now = read(size);
            check_bounds(name, &now);
            assert!(
                now.steps > 0,
                "{name}: n={size} was refused unread: {:?}",
                now.messages
            );
            eprintln!(
                "{name}: n={size} len={} steps={} ({:.2}/byte) alloc={} bytes ({:.1}/byte) problems={}",
                now.len,
                now.steps,
                now.steps as f64 / now.len as f64,
                now.bytes,
                now.bytes as f64 / now.len as f64,
                now.total
            );
            if let Some(before) = &previous {
                let ratio = now.steps as f64 / before.steps as f64;
                assert!(
                    ratio <= MAX_DOUBLING_RATIO,
                    "{name}: n={size}: {} steps after {} ({ratio:.2}×)",
                    now.steps,
                    before.steps
                );
            }
            previous = Some(now);
        }
    }
}
