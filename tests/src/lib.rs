//! Policies shared by the integration tests, and helpers to build requests.
//!
//! This crate depends on `cors-runtime` and `http` only: that the policies
//! below compile proves generated code needs no `phf` in the user's manifest.

pub mod capture;
pub mod chromium;
pub mod counting;
pub mod protection_table;
pub mod s3;
pub mod table;

use cors_runtime::{cors_policy, Policy};
use http::{HeaderMap, HeaderName, HeaderValue};

cors_policy! {
    /// One origin, two methods, one header; no credentials.
    pub static SIMPLE: Policy = {
        allow_origins: ["https://app.example.com"],
        allow_methods: [GET, POST],
        allow_headers: ["content-type"],
    };

    /// The DSL example: exact, subdomain and port wildcards, credentials.
    pub static FULL: Policy = {
        allow_origins: ["https://app.example.com", "https://*.example.com", "http://localhost:*"],
        allow_methods: [GET, POST, PUT, DELETE],
        allow_headers: ["content-type", "x-api-*"],
        expose_headers: ["etag", "x-request-id"],
        max_age: 600,
        allow_credentials: true,
    };

    /// Any origin, read-only: the answer never depends on the origin.
    pub static PUBLIC: Policy = {
        allow_origins: ["*"],
        allow_methods: [GET, HEAD],
        expose_headers: ["*"],
    };

    /// The multi-rule example (Amazon S3 semantics: first match wins).
    pub static BUCKET: Policy = [
        { id: "public-read", allow_origins: ["*"], allow_methods: [GET, HEAD] },
        { id: "uploads",
          allow_origins: ["https://www.example.com"],
          allow_methods: [PUT, POST, DELETE],
          allow_headers: ["*"],
          expose_headers: ["etag", "x-amz-request-id"],
          max_age: 3000 },
    ];

    /// Any method and any header, with credentials: both are echoed.
    pub static ECHO: Policy = {
        allow_origins: ["https://app.example.com"],
        allow_methods: ["*"],
        allow_headers: ["*"],
        max_age: 0,
        allow_credentials: true,
    };

    /// Port wildcards and exact ports, IPv4 and IPv6.
    pub static PORTS: Policy = {
        allow_origins: ["http://127.0.0.1:*", "https://example.com:8443", "http://[::1]:*"],
        allow_methods: [GET],
    };

    /// A subdomain wildcard over a deeper base.
    pub static DEEP: Policy = {
        allow_origins: ["https://*.a.example.com", "https://example.org"],
        allow_methods: [GET, "patch", PATCH],
        allow_headers: ["x-*-token"],
    };

    /// Three rules for the same origin: fall-through by method and header.
    pub static LAYERED: Policy = [
        { id: "read", allow_origins: ["https://app.example.com"], allow_methods: [GET] },
        { id: "write", allow_origins: ["https://app.example.com", "https://*.example.net"],
          allow_methods: [PUT], allow_headers: ["x-a"] , allow_credentials: true },
        { id: "write-more", allow_origins: ["https://app.example.com"],
          allow_methods: [PUT, DELETE], allow_headers: ["x-a", "x-b"] },
        { id: "anyone-delete", allow_origins: ["*"], allow_methods: [DELETE] },
    ];
}

/// Builds a request header map from `(name, value)` pairs; repeated names
/// are appended, so a test can send a header twice.
pub fn request_headers(pairs: &[(&str, &[u8])]) -> HeaderMap {
    let mut headers = HeaderMap::new();
    for (name, value) in pairs {
        let name = HeaderName::from_bytes(name.as_bytes()).expect("test header name");
        let value = HeaderValue::from_bytes(value).expect("test header value");
        headers.append(name, value);
    }
    headers
}

/// Fails with every line of `failures`, counted, unless there is none.
#[track_caller]
pub fn assert_no_failures(failures: &[String]) {
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Every Rust code block of the README, compiled (and run, unless marked
/// `no_run`) as a doctest of this crate, which has the dependencies the
/// examples use (axum, actix-web, tokio, every `cors-runtime` feature).
/// The README's S3 example reads `cors.json` and `cors.xml` beside this
/// crate's `Cargo.toml`.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
