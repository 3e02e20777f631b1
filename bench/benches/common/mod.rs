//! What the benchmark files share.

use std::hint::black_box;

use cors_bench::call_tower;
use criterion::measurement::WallTime;
use criterion::{BatchSize, BenchmarkGroup, BenchmarkId};
use http::Request;

/// Measures one call of a tower service, building a fresh request outside
/// the measurement.
pub(crate) fn bench_tower<S>(
    group: &mut BenchmarkGroup<'_, WallTime>,
    id: BenchmarkId,
    service: &mut S,
    request: impl Fn() -> Request<()>,
) where
    S: tower::Service<Request<()>, Response = http::Response<()>>,
{
    group.bench_function(id, |b| {
        b.iter_batched(
            &request,
            |r| black_box(call_tower(service, r)),
            BatchSize::SmallInput,
        )
    });
}
