//! Runnable examples for `cors-runtime` (`cargo run --example demo`), and the
//! tiny S3-style server of `cargo run --example s3_server`, whose router
//! lives here so that tests can drive it.

pub mod config_server;
pub mod ports;
pub mod s3_server;
