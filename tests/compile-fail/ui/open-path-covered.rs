use cors_runtime::{cors_policy, Policy};

cors_policy! {
    static P: Policy = {
        open_paths: ["/hooks/github", "/hooks/*", "/pay/callback", "/pay/callback", "/hooks/stripe/*"],
        rules: [
            { allow_origins: ["https://app.example.com"], allow_methods: [POST] },
            { allow_origins: ["*"], allow_methods: [GET] },
        ],
    };
}

fn main() {}
