//! The cross-origin protection's cost on browser-shaped `POST`s (what
//! Chromium sends with a form post, a session cookie included): an allowed
//! cross-site `POST` (an allowed origin, the policy allows credentials) and a
//! refused one (a foreign origin), through our tower layer, through
//! tower-http 0.7's `CsrfLayer` stacked on its `CorsLayer` (trusting the same
//! origins), and through `Policy::evaluate_request` alone.
//!
//! `cargo bench -p cors-bench --bench protection`

use std::hint::black_box;

use cors_bench::protection::{post, tower_http_07_stack, CASES};
use cors_bench::{inner_service, BENCH};
use cors_runtime::tower::CorsLayer;
use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion};
use tower::Layer;

mod common;
use common::bench_tower;

fn protection(c: &mut Criterion) {
    let mut group = c.benchmark_group("protection");
    for (name, origin) in CASES {
        let mut ours = CorsLayer::new(&BENCH).layer(inner_service());
        let id = BenchmarkId::new("cors_policy", name);
        bench_tower(&mut group, id, &mut ours, || post(origin));
        let mut theirs = tower_http_07_stack(inner_service());
        let id = BenchmarkId::new("tower_http_07_csrf_cors", name);
        bench_tower(&mut group, id, &mut theirs, || post(origin));
        group.bench_function(BenchmarkId::new("evaluate_request", name), |b| {
            // By reference: the request is dropped outside the measurement.
            b.iter_batched_ref(
                || post(origin),
                |request| black_box(BENCH.evaluate_request(request).is_refused()),
                BatchSize::SmallInput,
            )
        });
    }
    group.finish();
}

criterion_group!(benches, protection);
criterion_main!(benches);
