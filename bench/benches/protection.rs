//! The cross-origin protection's cost on browser-shaped `POST`s (the dozen
//! headers Chromium sends with a form post): an allowed cross-site `POST`
//! (the page, a credentialed rule, a cookie) and a refused one (a foreign
//! origin), through our tower layer, through tower-http 0.7's `CsrfLayer`
//! stacked on its `CorsLayer` (trusting the same origins), and through
//! `Policy::evaluate_request` alone.
//!
//! `cargo bench -p cors-bench --bench protection`

use std::hint::black_box;

use cors_bench::browser_shaped::Shape;
use cors_bench::{inner_service, BENCH, ORIGINS};
use cors_runtime::tower::CorsLayer;
use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion};
use http::Request;
use tower::Layer;

mod common;
use common::bench_tower;

/// A Chromium form post from `origin` to `api.example.com`.
fn post(origin: &'static str) -> Request<()> {
    Request::post("/orders")
        .header("host", "api.example.com")
        .header("connection", "keep-alive")
        .header("content-length", "9")
        .header("cache-control", "max-age=0")
        .header("origin", origin)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("user-agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36")
        .header("accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
        .header("sec-fetch-site", "cross-site")
        .header("sec-fetch-mode", "navigate")
        .header("sec-fetch-dest", "document")
        .header("referer", "https://app.example.com/")
        .header("accept-encoding", "gzip, deflate, br")
        .header("accept-language", "en-US,en;q=0.9")
        .header("cookie", "session=0123456789abcdef")
        .body(())
        .expect("request")
}

/// The cases: name and origin.
const CASES: [(&str, &str); 2] = [
    ("allowed cross-site POST", "https://app.example.com"),
    ("refused cross-site POST", "https://evil.example"),
];

fn protection(c: &mut Criterion) {
    let mut group = c.benchmark_group("protection");
    for (name, origin) in CASES {
        let mut ours = CorsLayer::new(&BENCH).layer(inner_service());
        bench_tower(
            &mut group,
            BenchmarkId::new("cors_policy", name),
            &mut ours,
            || post(origin),
        );
        let mut csrf = tower_http_07::csrf::CsrfLayer::new();
        for trusted in ORIGINS {
            csrf = csrf.add_trusted_origin(trusted).expect("a trusted origin");
        }
        let cors = cors_bench::browser_shaped::tower_http_07::layer(Shape::Exact);
        let mut theirs = csrf.layer(cors.layer(inner_service()));
        bench_tower(
            &mut group,
            BenchmarkId::new("tower_http_07_csrf_cors", name),
            &mut theirs,
            || post(origin),
        );
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
