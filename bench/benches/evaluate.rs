//! `Policy::evaluate` + `Decision::apply` alone, against the hand-written
//! floor that inserts the same static headers with no checks.

use cors_bench::{floor, Case, BENCH};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use http::HeaderMap;
use std::hint::black_box;

fn evaluate(c: &mut Criterion) {
    let mut group = c.benchmark_group("evaluate_apply");
    for case in Case::ALL {
        let request = case.header_map();
        let method = case.method();
        group.bench_function(BenchmarkId::new("cors_policy", case.name()), |b| {
            b.iter(|| {
                let decision = BENCH.evaluate(black_box(&method), black_box(&request));
                let mut response = HeaderMap::new();
                decision.apply(&mut response);
                black_box((decision.preflight_status(), response))
            })
        });
        group.bench_function(BenchmarkId::new("floor", case.name()), |b| {
            b.iter(|| {
                let mut response = HeaderMap::new();
                let status = floor(black_box(case), &mut response);
                black_box((status, response))
            })
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(std::time::Duration::from_secs(2)).measurement_time(std::time::Duration::from_secs(2));
    targets = evaluate
}
criterion_main!(benches);
