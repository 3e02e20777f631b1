//! Our tower layer against tower-http 0.6 and 0.7 with requests shaped as a
//! browser sends them, for three policy shapes (see
//! `cors_bench::browser_shaped`), and against the floor (`FloorLayer`, which
//! recognises the exact shape's requests only). `cargo run -p cors-bench
//! --release --bin report` prints the ratios.

use cors_bench::browser_shaped::{tower_http_06, tower_http_07, Shape};
use cors_bench::{inner_service, Case, FloorLayer};
use cors_runtime::tower::CorsLayer;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use tower::Layer;

mod common;
use common::bench_tower;

fn browser_shaped(c: &mut Criterion) {
    for shape in Shape::ALL {
        let mut group = c.benchmark_group(shape.name());
        for case in Case::ALL {
            let request = || shape.request(case);
            let mut ours = CorsLayer::new(shape.policy()).layer(inner_service());
            bench_tower(
                &mut group,
                BenchmarkId::new("cors_policy", case.name()),
                &mut ours,
                request,
            );
            let mut theirs = tower_http_06::layer(shape).layer(inner_service());
            bench_tower(
                &mut group,
                BenchmarkId::new("tower_http_06", case.name()),
                &mut theirs,
                request,
            );
            let mut newest = tower_http_07::layer(shape).layer(inner_service());
            bench_tower(
                &mut group,
                BenchmarkId::new("tower_http_07", case.name()),
                &mut newest,
                request,
            );
            if shape == Shape::Exact {
                let mut floor = FloorLayer.layer(inner_service());
                bench_tower(
                    &mut group,
                    BenchmarkId::new("floor", case.name()),
                    &mut floor,
                    request,
                );
            }
        }
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(std::time::Duration::from_secs(1))
        .measurement_time(std::time::Duration::from_secs(2));
    targets = browser_shaped
}
criterion_main!(benches);
