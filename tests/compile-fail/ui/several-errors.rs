use cors_runtime::{cors_policy, Policy};

cors_policy! {
    static P: Policy = {
        allow_origins: ["https://Example.com", "null"],
        allow_methods: [get],
        max_age: 100000,
    };
}

fn main() {}
