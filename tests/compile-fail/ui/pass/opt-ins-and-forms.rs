//! Everything the DSL accepts, including the explicit escape hatches.
use cors_runtime::{cors_policy, Policy};

cors_policy! {
    /// Insecure and public-suffix origins with credentials, opted in.
    pub(crate) static RISKY: Policy = {
        allow_origins: ["http://intranet.example", "https://*.github.io"],
        allow_methods: [GET, "patch", "PROPFIND"],
        allow_credentials: true,
        dangerously_allow_insecure_origins: true,
        dangerously_allow_public_suffix_wildcards: true,
    };

    static LOOPBACK: Policy = {
        allow_origins: ["http://localhost:*", "http://*.localhost", "http://127.0.0.1:8080", "http://[::1]"],
        allow_methods: ["*"],
        allow_headers: ["*"],
        max_age: 0,
        allow_credentials: true,
    };

    /// Browser extensions are secure contexts; raw identifiers are plain
    /// ones; `authorization` listed next to a pattern that does not cover it.
    static EXTENSIONS: Policy = {
        allow_origins: [
            "chrome-extension://abcdefghijklmnopabcdefghijklmnop",
            "moz-extension://0b6a1c2e-7f3d-4c1a-9e2b-123456789abc",
            "safari-web-extension://abcdef",
        ],
        allow_methods: [r#GET, PUT],
        allow_headers: ["authorization", "x-*"],
        allow_credentials: true,
    };

    /// Credentialed wildcards under domains whose owner controls every name.
    static OWN_WILDCARDS: Policy = {
        allow_origins: ["https://*.example.com", "https://*.bucket.s3.amazonaws.com", "https://*.example.co.uk", "https://*.city.kawasaki.jp", "http://*.localhost:*"],
        allow_methods: [GET],
        allow_credentials: true,
    };

    static WITHOUT_CREDENTIALS: Policy = {
        allow_origins: ["https://*.com", "http://example.com", "https://example.com.", "https://*.example.com:*"],
        allow_methods: [GET],
        expose_headers: ["*"],
        max_age: 86400,
    };
}

fn main() {
    assert_eq!(RISKY.rule_count(), 1);
    assert_eq!(LOOPBACK.rule_count(), 1);
    assert_eq!(WITHOUT_CREDENTIALS.rule_count(), 1);
    assert_eq!(EXTENSIONS.rule_count(), 1);
    assert_eq!(OWN_WILDCARDS.rule_count(), 1);
}
