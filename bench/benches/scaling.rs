//! Per-request cost against policy size: 1 to 10,000 exact origins (ours and
//! tower-http's `AllowOrigin::list`, both as tower layers) and 1 to 100 rules
//! (ours; the request falls through every rule to the last).

use cors_bench::scaling::{origin, BY_ORIGIN_COUNT, BY_RULE_COUNT};
use cors_bench::{inner_service, tower_http_with_origins};
use cors_runtime::tower::CorsLayer;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use http::{HeaderValue, Method, Request};

mod common;
use common::bench_tower;
use tower::Layer;

/// A preflight for `PUT` with two headers from `origin`.
fn preflight(origin: &str) -> Request<()> {
    let mut request = Request::new(());
    *request.method_mut() = Method::OPTIONS;
    let headers = request.headers_mut();
    headers.insert(
        "origin",
        HeaderValue::from_str(origin).unwrap_or(HeaderValue::from_static("null")),
    );
    for (name, value) in cors_bench::PREFLIGHT_HEADERS {
        headers.insert(name, HeaderValue::from_static(value));
    }
    request
}

fn origins(c: &mut Criterion) {
    let mut group = c.benchmark_group("scaling_origins");
    for (count, policy) in BY_ORIGIN_COUNT {
        // The last origin: the worst case of a linear scan.
        let request = preflight(&origin(count - 1));
        let mut ours = CorsLayer::new(policy).layer(inner_service());
        bench_tower(
            &mut group,
            BenchmarkId::new("cors_policy", count),
            &mut ours,
            || request.clone(),
        );
        let mut theirs = tower_http_with_origins((0..count).map(origin)).layer(inner_service());
        bench_tower(
            &mut group,
            BenchmarkId::new("tower_http", count),
            &mut theirs,
            || request.clone(),
        );
    }
    group.finish();
}

fn rules(c: &mut Criterion) {
    let mut group = c.benchmark_group("scaling_rules");
    let request = preflight(&origin(0));
    for (count, policy) in BY_RULE_COUNT {
        let mut ours = CorsLayer::new(policy).layer(inner_service());
        bench_tower(
            &mut group,
            BenchmarkId::new("cors_policy", count),
            &mut ours,
            || request.clone(),
        );
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(std::time::Duration::from_secs(2)).measurement_time(std::time::Duration::from_secs(2));
    targets = origins, rules
}
criterion_main!(benches);
