//! Instructions per request through a tower layer, for callgrind: what the
//! `browser_shaped` benchmark times, counted instead (deterministic).
//!
//! `layer_cost LAYER SHAPE/CASE` builds 10,000 browser-shaped requests of that
//! shape and case, one at a time, and hands each to the layer (`ours`,
//! `tower_http_06`, `tower_http_07`, or `floor`, which writes the benchmark
//! policy's headers from static strings and checks nothing) inside
//! `cors_bench::callgrind::call_one`: collect only that function, e.g.
//!
//! ```text
//! valgrind --tool=callgrind --toggle-collect='cors_bench::callgrind::call_one*' \
//!     target/release/layer_cost tower_http_07 browser_exact/preflight_allowed
//! ```
//!
//! (Building each request just before its call keeps the allocator in the
//! same state for every layer; a batch built in advance made the count of
//! one policy shape move by hundreds of instructions with where its policy's
//! own allocations had left the heap.)
//!
//! and divide by 10,000 (`bench/layer_instructions.sh` does it for every
//! layer, shape and case). The count covers what the benchmark's timing
//! covers: the layer's call and response future, the inner service, and
//! dropping the request (moved into the layer) and the response.

use cors_bench::browser_shaped::{tower_http_06, tower_http_07, Shape};
use cors_bench::callgrind::call_all;
use cors_bench::{inner_service, Case, FloorLayer};
use cors_runtime::tower::CorsLayer;
use tower::Layer;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(layer), Some(target)) = (args.next(), args.next()) else {
        eprintln!("usage: layer_cost ours|tower_http_06|tower_http_07|floor SHAPE/CASE");
        std::process::exit(2);
    };
    let Some((shape, case)) = target.split_once('/') else {
        eprintln!("`{target}` is not SHAPE/CASE (e.g. browser_exact/get_allowed)");
        std::process::exit(2);
    };
    let shape = Shape::from_name(shape).unwrap_or_else(|message| {
        eprintln!("{message}");
        std::process::exit(2);
    });
    let case = Case::from_name(case).unwrap_or_else(|message| {
        eprintln!("{message}");
        std::process::exit(2);
    });
    let requests = || shape.request(case);
    match layer.as_str() {
        "ours" => call_all(
            CorsLayer::new(shape.policy()).layer(inner_service()),
            requests,
        ),
        "tower_http_06" => call_all(tower_http_06::layer(shape).layer(inner_service()), requests),
        "tower_http_07" => call_all(tower_http_07::layer(shape).layer(inner_service()), requests),
        "floor" => call_all(FloorLayer.layer(inner_service()), requests),
        other => {
            eprintln!("unknown layer `{other}`; one of: ours, tower_http_06, tower_http_07, floor");
            std::process::exit(2);
        }
    }
}
