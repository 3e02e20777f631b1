//! The floor of `bench/instructions.sh`: for one case, the same response
//! headers `profile CASE` produces, written from static strings into a fresh
//! `HeaderMap` with no evaluation at all (what no CORS middleware can beat),
//! in the same loop of 100,000 requests. A binary of its own, so that adding
//! it does not change how `profile` is compiled (inlining in a crate depends
//! on everything the crate holds, and moved `profile`'s counts by about 90).
//!
//! `cargo build -p cors-bench --release --bin floor &&
//!  valgrind --tool=callgrind target/release/floor get_allowed`.

use std::hint::black_box;

use cors_bench::Case;
use http::HeaderMap;

const ROUNDS: usize = 100_000;

fn main() {
    let name = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "preflight_allowed".into());
    let case = Case::from_name(&name).unwrap_or_else(|message| {
        eprintln!("{message}");
        std::process::exit(2);
    });
    for _ in 0..ROUNDS {
        let mut response = HeaderMap::new();
        let status = cors_bench::floor(black_box(case), &mut response);
        black_box((status, response));
    }
}
