//! The lean build still checks and compiles inline policies.
use cors_runtime::{cors_policy, Policy};

cors_policy! {
    static P: Policy = {
        allow_origins: ["https://app.example.com"],
        allow_methods: [GET, POST],
        allow_headers: ["content-type"],
        max_age: 600,
    };
}

fn main() {
    assert_eq!(P.rule_count(), 1);
}
