use cors_runtime::{cors_policy, Policy};

cors_policy! {
    static P: Policy = {
        allow_origins: ["https://user:pass@example.com"],
        allow_methods: [GET],
    };
}

fn main() {}
