//! A fixed loop over one case, for `valgrind --tool=callgrind` or `perf`:
//! `cargo build -p cors-bench --release --bin profile &&
//!  valgrind --tool=callgrind target/release/profile preflight_allowed`.
//!
//! `profile CASE` runs `evaluate` + `apply` into a fresh `HeaderMap` for the
//! benchmark policy (what `bench/instructions.sh` counts); `profile
//! exact:CASE` and `profile wildcard:CASE` do the same with only the CORS
//! headers of a browser-shaped shape (three exact origins, or
//! `https://*.example.com` asked by `https://eu.app.example.com`), to compare
//! a wildcard match with an exact one;
//! `profile SHAPE/CASE` (e.g. `browser_exact/get_allowed`) runs a
//! browser-shaped request of that shape through our tower layer, as the
//! `browser_shaped` benchmark does (request construction included).

use std::hint::black_box;

use cors_bench::browser_shaped::Shape;
use cors_bench::{call_tower, inner_service, Case, BENCH};
use cors_runtime::tower::CorsLayer;
use cors_runtime::Policy;
use http::HeaderMap;
use tower::Layer;

const ROUNDS: usize = 100_000;

fn main() {
    let name = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "preflight_allowed".into());
    if let Some((shape, case_name)) = name.split_once(':') {
        let shape = match shape {
            "exact" => Shape::Exact,
            "wildcard" => Shape::Wildcard,
            other => {
                eprintln!("unknown policy `{other}`; one of: exact, wildcard");
                std::process::exit(2);
            }
        };
        let case = find_case(case_name);
        let request = shape.cors_headers(case);
        return evaluate_and_apply(shape.policy(), &request, case);
    }
    let (shape, case_name) = match name.split_once('/') {
        Some((shape, case)) => (Some(shape.to_owned()), case.to_owned()),
        None => (None, name),
    };
    let case = find_case(&case_name);
    match shape {
        None => evaluate_and_apply(&BENCH, &case.header_map(), case),
        Some(shape) => {
            let shape = Shape::from_name(&shape).unwrap_or_else(|message| {
                eprintln!("{message}");
                std::process::exit(2);
            });
            through_tower(shape, case);
        }
    }
}

fn find_case(name: &str) -> Case {
    Case::from_name(name).unwrap_or_else(|message| {
        eprintln!("{message}");
        std::process::exit(2);
    })
}

fn evaluate_and_apply(policy: &Policy, request: &HeaderMap, case: Case) {
    let method = case.method();
    for _ in 0..ROUNDS {
        let decision = policy.evaluate(black_box(&method), black_box(request));
        let mut response = HeaderMap::new();
        decision.apply(&mut response);
        black_box((decision.preflight_status(), response));
    }
}

fn through_tower(shape: Shape, case: Case) {
    let mut service = CorsLayer::new(shape.policy()).layer(inner_service());
    for _ in 0..ROUNDS {
        let request = shape.request(case);
        black_box(call_tower(&mut service, black_box(request)));
    }
}
