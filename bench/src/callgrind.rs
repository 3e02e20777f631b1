//! The measured loop of the callgrind binaries (`layer_cost`,
//! `protection_cost`): collect only `cors_bench::callgrind::call_one*`, e.g.
//! `valgrind --tool=callgrind --toggle-collect='cors_bench::callgrind::call_one*'`.

use std::hint::black_box;

use http::{Request, Response};

use crate::call_tower;

/// Requests per run: divide a collected count by this.
pub const ROUNDS: usize = 10_000;

/// Builds [`ROUNDS`] requests, each just before its call (so the allocator
/// is in the same state for every contender), and hands each to `service`.
pub fn call_all<S>(mut service: S, request: impl Fn() -> Request<()>)
where
    S: tower::Service<Request<()>, Response = Response<()>>,
{
    for _ in 0..ROUNDS {
        call_one(&mut service, black_box(request()));
    }
}

/// One call, its response dropped: the function callgrind collects.
#[inline(never)]
pub fn call_one<S>(service: &mut S, request: Request<()>)
where
    S: tower::Service<Request<()>, Response = Response<()>>,
{
    drop(black_box(call_tower(service, request)));
}

/// `policy`'s verdict alone on [`ROUNDS`] requests, each by reference.
pub fn evaluate_all(policy: &cors_runtime::Policy, request: impl Fn() -> Request<()>) {
    for _ in 0..ROUNDS {
        call_one_evaluate(policy, &black_box(request()));
    }
}

/// One `Policy::evaluate_request`: collected like [`call_one`].
#[inline(never)]
pub fn call_one_evaluate(policy: &cors_runtime::Policy, request: &Request<()>) {
    black_box(policy.evaluate_request(request).is_refused());
}
