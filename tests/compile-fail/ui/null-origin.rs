use cors_runtime::{cors_policy, Policy};

cors_policy! {
    static P: Policy = {
        allow_origins: ["null"],
        allow_methods: [GET],
    };
}

fn main() {}
