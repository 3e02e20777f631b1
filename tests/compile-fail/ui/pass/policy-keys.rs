//! The policy's own keys in both forms: among a one-rule policy's keys, and
//! beside `rules` in a policy of several; and in policy files (paths
//! relative to the crate trybuild builds: tests/compiletest.rs copies
//! tests/ui/config/ there).
use cors_runtime::{cors_policy, Policy};

cors_policy! {
    static ONE: Policy = {
        allow_origins: ["https://app.example.com"],
        allow_methods: [POST],
        open_paths: ["/pay/callback", "/hooks/*"],
    };

    static SEVERAL: Policy = {
        open_paths: ["/oauth/form_post"],
        cross_origin_protection: true,
        rules: [
            { allow_origins: ["https://app.example.com"], allow_methods: [POST], allow_credentials: true },
            { allow_origins: ["*"], allow_methods: [GET] },
        ],
    };

    static OFF: Policy = {
        cross_origin_protection: false,
        rules: [{ allow_origins: ["*"], allow_methods: [GET, POST] }],
    };

    static OFF_ONE: Policy = {
        allow_origins: ["*"],
        allow_methods: [POST],
        cross_origin_protection: false,
    };

    static LISTED: Policy = [
        { allow_origins: ["https://app.example.com"], allow_methods: [POST] },
    ];

    /// Files: the keys at the top level of TOML, and beside `rules` in JSON.
    static FROM_TOML: Policy = include_toml!("config/protection.toml");
    static FROM_JSON: Policy = include_json!("config/protection.json");
}

fn main() {
    assert!(ONE.cross_origin_protection());
    assert!(SEVERAL.cross_origin_protection());
    assert_eq!(SEVERAL.rule_count(), 2);
    assert!(!OFF.cross_origin_protection());
    assert!(!OFF_ONE.cross_origin_protection());
    assert!(LISTED.cross_origin_protection());
    assert!(FROM_TOML.cross_origin_protection());
    assert_eq!(FROM_TOML.rule_count(), 2);
    assert!(!FROM_JSON.cross_origin_protection());
}
