//! A fixed loop over one case, for `valgrind --tool=callgrind` or `perf`:
//! `cargo build -p cors-bench --release --bin profile &&
//!  valgrind --tool=callgrind target/release/profile preflight_allowed`.

use std::hint::black_box;

use cors_bench::{Case, BENCH};
use http::HeaderMap;

fn main() {
    let name = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "preflight_allowed".into());
    let Some(case) = Case::ALL.into_iter().find(|case| case.name() == name) else {
        eprintln!(
            "unknown case `{name}`; one of: {:?}",
            Case::ALL.map(Case::name)
        );
        std::process::exit(2);
    };
    let request = case.header_map();
    let method = case.method();
    for _ in 0..100_000 {
        let decision = BENCH.evaluate(black_box(&method), black_box(&request));
        let mut response = HeaderMap::new();
        decision.apply(&mut response);
        black_box((decision.preflight_status(), response));
    }
}
