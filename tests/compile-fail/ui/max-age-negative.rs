use cors_runtime::{cors_policy, Policy};

cors_policy! {
    static P: Policy = {
        allow_origins: ["https://example.com"],
        allow_methods: [GET],
        max_age: -1,
    };
}

fn main() {}
