//! Building run-time policies: `Policy::from_json` for 1 to 10,000 exact
//! origins, and the same with a third of them `*.` wildcards (parse, the
//! whole checker, the perfect hash, the matcher in memory). Target: under
//! 50 ms for 10,000 origins.

use cors_runtime::Policy;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};

/// A one-rule JSON policy with `count` origins; every third one a wildcard
/// when `wildcards`.
fn policy_json(count: usize, wildcards: bool) -> String {
    let origins: Vec<String> = (0..count)
        .map(|i| {
            if wildcards && i % 3 == 0 {
                format!("\"https://*.tenant{i}.example.com\"")
            } else {
                format!("\"https://app{i}.example.com\"")
            }
        })
        .collect();
    format!(
        r#"{{"allow_origins": [{}], "allow_methods": ["GET", "PUT"], "allow_headers": ["content-type", "x-api-*"], "max_age": 600, "allow_credentials": true}}"#,
        origins.join(", ")
    )
}

fn build(c: &mut Criterion) {
    let mut group = c.benchmark_group("config_build");
    group.sample_size(20);
    for count in [1, 100, 1_000, 10_000] {
        for wildcards in [false, true] {
            let json = policy_json(count, wildcards);
            assert!(Policy::from_json(&json).is_ok(), "{count}");
            let name = if wildcards {
                "from_json_mixed"
            } else {
                "from_json_exact"
            };
            group.bench_with_input(BenchmarkId::new(name, count), &json, |b, json| {
                b.iter(|| Policy::from_json(std::hint::black_box(json)))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, build);
criterion_main!(benches);
