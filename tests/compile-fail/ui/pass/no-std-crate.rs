//! A `#![no_std]` crate can declare policies: the generated code names
//! nothing through `::std` (the runtime itself links std).
#![no_std]

use cors_runtime::{cors_policy, Policy};

cors_policy! {
    static API: Policy = {
        allow_origins: ["https://app.example.com", "https://*.example.org"],
        allow_methods: [GET, PUT],
        allow_headers: ["content-type", "x-api-*"],
        expose_headers: ["etag"],
        max_age: 600,
    };
}

fn main() {
    assert_eq!(API.rule_count(), 1);
}
