//! Runnable examples for `cors-runtime`: see `examples/` (`cargo run --example demo`).
