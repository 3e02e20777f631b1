use cors_runtime::{cors_policy, Policy};

cors_policy! {
    static P: Policy = {
        allow_origins: ["https://app.example.com"],
        allow_methods: [POST],
        cross_origin_protection: false,
        open_paths: ["/pay/callback"],
    };
}

fn main() {}
