//! Heap allocations per request, counted with a counting global allocator,
//! for our layers, tower-http, actix-cors and the floor. Run with
//! `cargo test -p cors-bench --release --test allocations -- --nocapture` to
//! see the table (BENCHMARKS.md quotes it).

use actix_web::dev::Service as _;
use actix_web::{test as actix_test, web, App, HttpResponse};
use cors_bench::{
    actix_cors, actix_request, call_tower, inner_service, tower_http_layer, Case, FloorLayer, BENCH,
};
use cors_runtime::tower::CorsLayer;
use cors_tests::counting::{allocations_during as count, CountingAllocator};
use tower::Layer;

#[global_allocator]
static GLOBAL: CountingAllocator = CountingAllocator;

/// A subscriber at INFO, as in production: the adapters' DEBUG and TRACE
/// events (feature `tracing`) are off, and must cost no allocation.
fn subscriber_at_info() {
    static SET: std::sync::Once = std::sync::Once::new();
    SET.call_once(|| {
        let _ = tracing::subscriber::set_global_default(cors_tests::capture::Capture::up_to(
            tracing::Level::INFO,
        ));
    });
}

/// Allocations of one tower service per case (the response included).
fn tower_counts<S>(mut service: S) -> Vec<usize>
where
    S: tower::Service<http::Request<()>, Response = http::Response<()>>,
{
    Case::ALL
        .iter()
        .map(|case| {
            let request = case.request();
            count(|| call_tower(&mut service, request))
        })
        .collect()
}

/// Allocations of one actix-web app per case, minus those of the same app
/// without middleware (actix's own request handling).
macro_rules! actix_counts {
    ($middleware:expr) => {{
        let system = actix_web::rt::System::new();
        let app = system.block_on(actix_test::init_service(
            App::new()
                .wrap($middleware)
                .default_service(web::to(|| async { HttpResponse::Ok().finish() })),
        ));
        let bare = system.block_on(actix_test::init_service(
            App::new().default_service(web::to(|| async { HttpResponse::Ok().finish() })),
        ));
        Case::ALL
            .iter()
            .map(|case| {
                // Warm up both apps once, so one-time allocations are not counted.
                let _ = system.block_on(app.call(actix_request(*case)));
                let _ = system.block_on(bare.call(actix_request(*case)));
                let request = actix_request(*case);
                let with = count(|| system.block_on(app.call(request)));
                let request = actix_request(*case);
                let without = count(|| system.block_on(bare.call(request)));
                with as isize - without as isize
            })
            .collect::<Vec<isize>>()
    }};
}

#[test]
fn our_layers_allocate_no_more_than_the_floor() {
    subscriber_at_info();
    // Each case once first: the tracing callsites register on first use.
    let mut ours = CorsLayer::new(&BENCH).layer(inner_service());
    for case in Case::ALL {
        call_tower(&mut ours, case.request());
    }
    let ours = tower_counts(ours);
    let floor = tower_counts(FloorLayer.layer(inner_service()));
    let tower_http = tower_counts(tower_http_layer().layer(inner_service()));
    let ours_actix = actix_counts!(cors_runtime::actix::Cors::new(&BENCH));
    let actix_cors = actix_counts!(actix_cors());
    println!("| case | floor (tower) | cors_policy (tower) | tower-http | cors_policy (actix, over bare app) | actix-cors (over bare app) |");
    println!("| --- | --- | --- | --- | --- | --- |");
    for (i, case) in Case::ALL.iter().enumerate() {
        println!(
            "| {} | {} | {} | {} | {} | {} |",
            case.name(),
            floor[i],
            ours[i],
            tower_http[i],
            ours_actix[i],
            actix_cors[i]
        );
    }
    for (i, case) in Case::ALL.iter().enumerate() {
        assert!(
            ours[i] <= floor[i],
            "{case:?}: our tower layer allocated {} times, the floor {}",
            ours[i],
            floor[i]
        );
        assert!(
            ours_actix[i] <= actix_cors[i],
            "{case:?}: our actix middleware allocated more than actix-cors"
        );
    }
    every_policy_source_allocates_alike();
}

/// The benchmark policy loaded at run time, for the owned and shared sources.
fn bench_from_json() -> cors_runtime::Policy {
    cors_runtime::Policy::from_json(
        r#"{"allow_origins": ["https://app.example.com", "https://admin.example.com", "https://www.example.com"],
            "allow_methods": ["GET", "POST", "PUT", "DELETE"], "allow_headers": ["content-type", "x-requested-with"],
            "expose_headers": ["etag"], "max_age": 600, "allow_credentials": true}"#,
    )
    .expect("the benchmark policy as JSON")
}

/// Every policy source allocates per request exactly what the static one
/// does, through both adapters (one request per case first, so that the
/// shared source's one-time per-thread setup is not counted).
/// Called from the one `#[test]` of this file: the allocation counter is
/// global, and a second test running beside it (or the harness recording
/// its result) would be counted too.
fn every_policy_source_allocates_alike() {
    use cors_runtime::SharedPolicy;
    use std::sync::Arc;
    let warmed = |layer: CorsLayer| {
        let mut service = layer.layer(inner_service());
        for case in Case::ALL {
            call_tower(&mut service, case.request());
        }
        tower_counts(service)
    };
    let shared = SharedPolicy::new(bench_from_json());
    let by_source = [
        ("static", warmed(CorsLayer::new(&BENCH))),
        (
            "Arc<Policy>",
            warmed(CorsLayer::new(Arc::new(bench_from_json()))),
        ),
        ("SharedPolicy", warmed(CorsLayer::new(shared.clone()))),
    ];
    let actix_by_source = [
        (
            "static",
            actix_counts!(cors_runtime::actix::Cors::new(&BENCH)),
        ),
        (
            "Arc<Policy>",
            actix_counts!(cors_runtime::actix::Cors::new(Arc::new(bench_from_json()))),
        ),
        (
            "SharedPolicy",
            actix_counts!(cors_runtime::actix::Cors::new(shared.clone())),
        ),
    ];
    println!(
        "| case | tower: static / Arc / shared | actix over bare app: static / Arc / shared |"
    );
    println!("| --- | --- | --- |");
    for (i, case) in Case::ALL.iter().enumerate() {
        println!(
            "| {} | {} / {} / {} | {} / {} / {} |",
            case.name(),
            by_source[0].1[i],
            by_source[1].1[i],
            by_source[2].1[i],
            actix_by_source[0].1[i],
            actix_by_source[1].1[i],
            actix_by_source[2].1[i],
        );
    }
    for (name, counts) in &by_source[1..] {
        assert_eq!(counts, &by_source[0].1, "tower, {name}");
    }
    for (name, counts) in &actix_by_source[1..] {
        assert_eq!(counts, &actix_by_source[0].1, "actix, {name}");
    }
}
