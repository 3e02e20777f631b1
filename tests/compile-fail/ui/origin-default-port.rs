use cors_runtime::{cors_policy, Policy};

cors_policy! {
    static P: Policy = {
        allow_origins: ["https://example.com:443"],
        allow_methods: [GET],
    };
}

fn main() {}
