use cors_runtime::{cors_policy, Policy};

cors_policy! {
    static P: Policy = {
        allow_origins: ["http://*.127.0.0.1"],
        allow_methods: [GET],
    };
}

fn main() {}
