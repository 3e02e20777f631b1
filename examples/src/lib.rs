//! Runnable examples for `cors-runtime`: the CORS playground of
//! `cargo run --example demo`, the tiny S3-style server of
//! `cargo run --example s3_server` and the run-time policy server of
//! `cargo run --example config_server`, whose routers live here so that tests
//! (the browser suite among them) can drive them.

pub mod config_server;
pub mod playground;
pub mod ports;
pub mod s3_server;
