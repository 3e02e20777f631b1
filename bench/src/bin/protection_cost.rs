//! Instructions per browser-shaped cross-site `POST` through each contender
//! of the `protection` benchmark, for callgrind: what that benchmark times,
//! counted instead (deterministic on a shared machine).
//!
//! `protection_cost CONTENDER CASE` builds 10,000 requests of that case
//! (`allowed` or `refused`), one at a time, and hands each to the contender
//! (`ours`, our tower layer; `tower_http_07`, its `CsrfLayer` on its
//! `CorsLayer`; `evaluate_request`, the policy alone) inside
//! `cors_bench::callgrind::call_one*`: collect only those functions and
//! divide by 10,000 (`bench/protection_instructions.sh` does it for every
//! contender and case). The layers' counts cover the call, the response
//! future, the inner service and dropping the request and response, as the
//! benchmark's timing does; `evaluate_request` is handed the request by
//! reference.

use cors_bench::callgrind::{call_all, evaluate_all};
use cors_bench::protection::{origin_of, post, tower_http_07_stack};
use cors_bench::{inner_service, BENCH};
use cors_runtime::tower::CorsLayer;
use tower::Layer;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(contender), Some(case)) = (args.next(), args.next()) else {
        eprintln!("usage: protection_cost ours|tower_http_07|evaluate_request allowed|refused");
        std::process::exit(2);
    };
    let origin = origin_of(&case).unwrap_or_else(|message| {
        eprintln!("{message}");
        std::process::exit(2);
    });
    let request = || post(origin);
    match contender.as_str() {
        "ours" => call_all(CorsLayer::new(&BENCH).layer(inner_service()), request),
        "tower_http_07" => call_all(tower_http_07_stack(inner_service()), request),
        "evaluate_request" => evaluate_all(&BENCH, request),
        other => {
            eprintln!("unknown contender `{other}`; one of: ours, tower_http_07, evaluate_request");
            std::process::exit(2);
        }
    }
}
