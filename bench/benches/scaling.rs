//! Per-request cost against policy size: 1 to 10,000 exact origins (ours and
//! tower-http's `AllowOrigin::list`, both as tower layers) and 1 to 100 rules
//! (ours; the request falls through every rule to the last).

use cors_bench::scaling::{origin, BY_ORIGIN_COUNT, BY_RULE_COUNT};
use cors_bench::{call_tower, inner_service, tower_http_with_origins};
use cors_runtime::tower::CorsLayer;
use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion};
use http::{HeaderValue, Method, Request};
use std::hint::black_box;
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
    headers.insert(
        "access-control-request-method",
        HeaderValue::from_static("PUT"),
    );
    headers.insert(
        "access-control-request-headers",
        HeaderValue::from_static("content-type,x-requested-with"),
    );
    request
}

fn origins(c: &mut Criterion) {
    let mut group = c.benchmark_group("scaling_origins");
    for (count, policy) in BY_ORIGIN_COUNT {
        // The last origin: the worst case of a linear scan.
        let request = preflight(&origin(count - 1));
        let mut ours = CorsLayer::new(policy).layer(inner_service());
        group.bench_function(BenchmarkId::new("cors_policy", count), |b| {
            b.iter_batched(
                || request.clone(),
                |r| black_box(call_tower(&mut ours, r)),
                BatchSize::SmallInput,
            )
        });
        let mut theirs = tower_http_with_origins((0..count).map(origin)).layer(inner_service());
        group.bench_function(BenchmarkId::new("tower_http", count), |b| {
            b.iter_batched(
                || request.clone(),
                |r| black_box(call_tower(&mut theirs, r)),
                BatchSize::SmallInput,
            )
        });
    }
    group.finish();
}

fn rules(c: &mut Criterion) {
    let mut group = c.benchmark_group("scaling_rules");
    let request = preflight(&origin(0));
    for (count, policy) in BY_RULE_COUNT {
        let mut ours = CorsLayer::new(policy).layer(inner_service());
        group.bench_function(BenchmarkId::new("cors_policy", count), |b| {
            b.iter_batched(
                || request.clone(),
                |r| black_box(call_tower(&mut ours, r)),
                BatchSize::SmallInput,
            )
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(std::time::Duration::from_secs(2)).measurement_time(std::time::Duration::from_secs(2));
    targets = origins, rules
}
criterion_main!(benches);
