// `cross_origin_protection` and `open_paths` belong to the policy: inside a
// rule of several they are refused with the fix (move them beside `rules`).
use cors_runtime::{cors_policy, Policy};

cors_policy! {
    static BRACED: Policy = {
        rules: [
            { allow_origins: ["https://app.example.com"], allow_methods: [POST], open_paths: ["/pay/callback"] },
            { allow_origins: ["*"], allow_methods: [GET] },
        ],
    };

    static LISTED: Policy = [
        { allow_origins: ["https://app.example.com"], allow_methods: [POST] },
        { allow_origins: ["*"], allow_methods: [GET], cross_origin_protection: false, open_path: ["/a"] },
    ];
}

fn main() {}
