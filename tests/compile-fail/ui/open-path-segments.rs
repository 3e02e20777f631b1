// Empty and dot segments never match; `*` stands only for a whole last
// segment.
use cors_runtime::{cors_policy, Policy};

cors_policy! {
    static P: Policy = {
        allow_origins: ["https://app.example.com"],
        allow_methods: [POST],
        open_paths: [
            "/pay/",
            "/pay//callback",
            "/hooks/../admin",
            "/hooks*",
            "/*/callback",
        ],
    };
}

fn main() {}
