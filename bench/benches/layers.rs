//! Our tower layer against tower-http's `CorsLayer` and the floor layer
//! around the same trivial service, and our actix-web middleware against
//! actix-cors through actix-web's test service: same policy, same requests.

use actix_web::dev::Service as _;
use actix_web::{test, web, App, HttpResponse};
use cors_bench::{
    actix_cors, actix_request, inner_service, tower_http_layer, Case, FloorLayer, BENCH,
};
use cors_runtime::tower::CorsLayer;
use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion};
use std::hint::black_box;

mod common;
use common::bench_tower;
use tower::Layer;

fn tower_layers(c: &mut Criterion) {
    let mut group = c.benchmark_group("tower");
    for case in Case::ALL {
        let mut ours = CorsLayer::new(&BENCH).layer(inner_service());
        bench_tower(
            &mut group,
            BenchmarkId::new("cors_policy", case.name()),
            &mut ours,
            || case.request(),
        );
        let mut theirs = tower_http_layer().layer(inner_service());
        bench_tower(
            &mut group,
            BenchmarkId::new("tower_http", case.name()),
            &mut theirs,
            || case.request(),
        );
        let mut floor = FloorLayer.layer(inner_service());
        bench_tower(
            &mut group,
            BenchmarkId::new("floor", case.name()),
            &mut floor,
            || case.request(),
        );
    }
    group.finish();
}

/// Benchmarks one actix-web middleware for every case.
macro_rules! bench_actix {
    ($group:expr, $name:expr, $middleware:expr) => {{
        let system = actix_web::rt::System::new();
        let app = system.block_on(test::init_service(
            App::new()
                .wrap($middleware)
                .default_service(web::to(|| async { HttpResponse::Ok().finish() })),
        ));
        for case in Case::ALL {
            $group.bench_function(BenchmarkId::new($name, case.name()), |b| {
                b.iter_batched(
                    || actix_request(case),
                    |request| black_box(system.block_on(app.call(request)).map(|r| r.status())),
                    BatchSize::SmallInput,
                )
            });
        }
    }};
}

fn actix_middlewares(c: &mut Criterion) {
    let mut group = c.benchmark_group("actix");
    bench_actix!(group, "cors_policy", cors_runtime::actix::Cors::new(&BENCH));
    bench_actix!(group, "actix_cors", actix_cors());
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(std::time::Duration::from_secs(2)).measurement_time(std::time::Duration::from_secs(2));
    targets = tower_layers, actix_middlewares
}
criterion_main!(benches);
