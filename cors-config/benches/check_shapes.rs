//! The checker on the worst shapes a document within the limits (1 MiB,
//! 256 rules) can take: each bench builds the JSON once and measures
//! `cors_config::from_json`, which parses, checks every rule (the
//! unreachable-rule check included) and builds nothing else.
//!
//! `cargo bench -p cors-config --bench check_shapes`

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};

/// The largest document the readers accept.
const LIMIT: usize = cors_config::MAX_DOCUMENT_LEN;

/// A JSON array of rules, each from `rule(index)`, as many as fit in the
/// limit and at most `max_rules`.
fn rules(max_rules: usize, rule: impl Fn(usize) -> String) -> String {
    let mut text = String::from("[");
    for index in 0..max_rules {
        let next = rule(index);
        if text.len() + next.len() + 2 > LIMIT {
            break;
        }
        if index > 0 {
            text.push(',');
        }
        text.push_str(&next);
    }
    text.push(']');
    text
}

/// A JSON list of strings, as many of `item(i)` as fit in `budget` bytes.
fn list(budget: usize, item: impl Fn(usize) -> String) -> String {
    let mut items = Vec::new();
    let mut used = 2;
    for i in 0.. {
        let next = format!("\"{}\"", item(i));
        if used + next.len() + 1 > budget {
            break;
        }
        used += next.len() + 1;
        items.push(next);
    }
    format!("[{}]", items.join(","))
}

/// The shapes, each a document that passes every check (so the whole
/// checker runs) and is close to the 1 MiB limit.
fn shapes() -> Vec<(&'static str, String)> {
    let per_rule = LIMIT / 256 - 200;
    vec![
        // 256 rules on one origin and method, each with its own last header
        // name among ~300 shared ones: every pair of rules is compared.
        (
            "256 rules x many header names",
            rules(256, |r| {
                let headers = list(per_rule, |i| {
                    if i == 0 {
                        format!("x-own-{r}")
                    } else {
                        format!("x-h{i}")
                    }
                });
                format!(
                    r#"{{"allow_origins":["https://a.example.com"],"allow_methods":["GET"],"allow_headers":{headers}}}"#
                )
            }),
        ),
        // One rule, ~40,000 exact origins.
        (
            "1 rule x many origins",
            rules(1, |_| {
                let origins = list(LIMIT - 200, |i| format!("https://h{i}.example.com"));
                format!(r#"{{"allow_origins":{origins},"allow_methods":["GET"]}}"#)
            }),
        ),
        // One host, every port that fits.
        (
            "1 rule x many ports",
            rules(1, |_| {
                let origins = list(LIMIT - 200, |i| {
                    format!("https://a.example.com:{}", 1_000 + i % 64_000)
                });
                format!(r#"{{"allow_origins":{origins},"allow_methods":["GET"]}}"#)
            }),
        ),
        // 256 rules of `*.` patterns, each rule's bases its own.
        (
            "256 rules x many wildcard origins",
            rules(256, |r| {
                let origins = list(per_rule, |i| format!("https://*.w{i}.r{r}.example.com"));
                format!(r#"{{"allow_origins":{origins},"allow_methods":["GET"]}}"#)
            }),
        ),
        // 256 rules on one origin sharing the most distinct header patterns
        // a policy may have, each with its own names.
        (
            "256 rules x header patterns and names",
            rules(256, |r| {
                let patterns = (0..cors_grammar::MAX_HEADER_PATTERNS)
                    .map(|p| format!("\"x-p{p}-*\""))
                    .collect::<Vec<_>>()
                    .join(",");
                let names = list(per_rule - patterns.len(), |i| format!("y-{r}-{i}"));
                let names = names.trim_start_matches('[').trim_end_matches(']');
                format!(
                    r#"{{"allow_origins":["https://a.example.com"],"allow_methods":["GET"],"allow_headers":[{patterns},{names}]}}"#
                )
            }),
        ),
    ]
}

fn check_shapes(c: &mut Criterion) {
    let mut group = c.benchmark_group("check");
    group.sample_size(10);
    for (name, text) in shapes() {
        assert!(text.len() <= LIMIT, "{name}: {} bytes", text.len());
        if let Err(error) = cors_config::from_json(&text) {
            panic!("{name} is a valid policy: {error}");
        }
        group.bench_function(name, |b| {
            b.iter(|| cors_config::from_json(black_box(&text)))
        });
    }
    group.finish();
}

criterion_group!(benches, check_shapes);
criterion_main!(benches);
