// What a browser never sends as written: each refused with the form that
// would match (segments: open-path-segments.rs).
use cors_runtime::{cors_policy, Policy};

cors_policy! {
    static P: Policy = {
        allow_origins: ["https://app.example.com"],
        allow_methods: [POST],
        open_paths: [
            "pay/callback",
            "https://api.example.com/oauth/callback",
            "/cb?state=1",
            "/pay callback",
            "/café",
            "/pay%2Fcallback",
            "",
        ],
    };
}

fn main() {}
