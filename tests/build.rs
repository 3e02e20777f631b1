//! Writes the twin policies of `tests/tests/config.rs`: each policy once as a
//! `cors_policy!` invocation and once as JSON, from one description, so that
//! the differential test compares the compile-time and run-time paths on
//! exactly the same rules.

use std::fmt::Write as _;
use std::path::PathBuf;

/// One rule: origins, methods, headers, expose, max age, credentials.
struct Rule {
    origins: &'static [&'static str],
    methods: &'static [&'static str],
    headers: &'static [&'static str],
    expose: &'static [&'static str],
    max_age: Option<u32>,
    credentials: bool,
}

const ORIGINS: [&[&str]; 5] = [
    &["https://app.example.com"],
    &["https://*.example.com"],
    &["http://localhost:*"],
    &["*"],
    &[
        "https://a.example.org",
        "https://b.example.org:8443",
        "https://*.example.net:*",
    ],
];
const METHODS: [&[&str]; 4] = [
    &["GET"],
    &["GET", "PUT", "DELETE"],
    &["*"],
    &["PATCH", "patch"],
];
const HEADERS: [&[&str]; 4] = [&[], &["content-type"], &["x-api-*", "content-type"], &["*"]];
const EXPOSE: [&[&str]; 2] = [&[], &["etag", "x-request-id"]];
const MAX_AGE: [Option<u32>; 3] = [None, Some(0), Some(600)];

fn list(values: &[&str]) -> String {
    values
        .iter()
        .map(|v| format!("{v:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn dsl(rule: &Rule) -> String {
    let mut out = format!(
        "{{ allow_origins: [{}], allow_methods: [{}]",
        list(rule.origins),
        list(rule.methods)
    );
    if !rule.headers.is_empty() {
        let _ = write!(out, ", allow_headers: [{}]", list(rule.headers));
    }
    if !rule.expose.is_empty() {
        let _ = write!(out, ", expose_headers: [{}]", list(rule.expose));
    }
    if let Some(seconds) = rule.max_age {
        let _ = write!(out, ", max_age: {seconds}");
    }
    if rule.credentials {
        out.push_str(", allow_credentials: true");
    }
    out.push_str(" }");
    out
}

fn json(rule: &Rule) -> String {
    let mut out = format!(
        "{{\"allow_origins\": [{}], \"allow_methods\": [{}]",
        list(rule.origins),
        list(rule.methods)
    );
    if !rule.headers.is_empty() {
        let _ = write!(out, ", \"allow_headers\": [{}]", list(rule.headers));
    }
    if !rule.expose.is_empty() {
        let _ = write!(out, ", \"expose_headers\": [{}]", list(rule.expose));
    }
    if let Some(seconds) = rule.max_age {
        let _ = write!(out, ", \"max_age\": {seconds}");
    }
    if rule.credentials {
        out.push_str(", \"allow_credentials\": true");
    }
    out.push('}');
    out
}

fn main() {
    let mut policies: Vec<Vec<Rule>> = Vec::new();
    // One-rule policies: every origin set, method set and header set, the
    // other keys varied along.
    for i in 0..30 {
        let origins = ORIGINS[i % ORIGINS.len()];
        policies.push(vec![Rule {
            origins,
            methods: METHODS[(i / 5) % METHODS.len()],
            headers: HEADERS[(i / 2) % HEADERS.len()],
            expose: EXPOSE[(i / 3) % EXPOSE.len()],
            max_age: MAX_AGE[i % MAX_AGE.len()],
            credentials: origins != ["*"] && i % 2 == 1,
        }]);
    }
    // Several rules, first match wins.
    let rule = |origins, methods, headers, credentials| Rule {
        origins,
        methods,
        headers,
        expose: EXPOSE[1],
        max_age: Some(60),
        credentials,
    };
    policies.push(vec![
        rule(ORIGINS[0], METHODS[0], HEADERS[0], false),
        rule(ORIGINS[1], METHODS[1], HEADERS[1], true),
    ]);
    policies.push(vec![
        rule(ORIGINS[2], METHODS[1], HEADERS[2], true),
        rule(ORIGINS[3], METHODS[0], HEADERS[0], false),
    ]);
    policies.push(vec![
        rule(ORIGINS[4], METHODS[2], HEADERS[3], true),
        rule(ORIGINS[0], METHODS[0], HEADERS[1], false),
        rule(ORIGINS[3], METHODS[1], HEADERS[0], false),
    ]);
    policies.push(vec![
        rule(ORIGINS[1], METHODS[3], HEADERS[2], false),
        rule(ORIGINS[4], METHODS[0], HEADERS[3], false),
    ]);
    policies.push(vec![
        rule(ORIGINS[0], METHODS[1], HEADERS[1], true),
        rule(ORIGINS[2], METHODS[3], HEADERS[0], true),
        rule(ORIGINS[3], METHODS[2], HEADERS[3], false),
    ]);
    policies.push(vec![
        rule(ORIGINS[3], METHODS[0], HEADERS[0], false),
        rule(ORIGINS[0], METHODS[1], HEADERS[1], true),
    ]);

    let mut source = String::from("cors_runtime::cors_policy! {\n");
    let mut table = String::from("/// Each twin: its JSON, and the same policy from `cors_policy!`.\npub static TWINS: &[(&str, &cors_runtime::Policy)] = &[\n");
    for (index, rules) in policies.iter().enumerate() {
        let dsl_rules: Vec<String> = rules.iter().map(dsl).collect();
        let json_rules: Vec<String> = rules.iter().map(json).collect();
        let _ = writeln!(
            source,
            "    pub static TWIN_{index}: cors_runtime::Policy = [{}];",
            dsl_rules.join(", ")
        );
        let _ = writeln!(
            table,
            "    ({:?}, &TWIN_{index}),",
            format!("[{}]", json_rules.join(", "))
        );
    }
    source.push_str("}\n\n");
    table.push_str("];\n");
    source.push_str(&table);
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default()).join("twins.rs");
    if let Err(error) = std::fs::write(&out, source) {
        println!("cargo::error=cannot write {}: {error}", out.display());
    }
    println!("cargo::rerun-if-changed=build.rs");
}
