use cors_runtime::{cors_policy, Policy};

cors_policy! {
    static P: Policy = {
        allow_origins: ["https://app.example.com"],
        allow_methods: [POST],
        open_paths: ["/*"],
    };
}

fn main() {}
