use cors_runtime::{cors_policy, Policy};

cors_policy! {
    static ONE: Policy = {
        allow_origins: ["https://app.example.com"],
        allow_methods: [POST],
        cross_origin_protection: "off",
        open_paths: "/pay/callback",
    };

    static SEVERAL: Policy = {
        open_paths: ["/pay/callback"],
        rules: "api",
    };
}

fn main() {}
