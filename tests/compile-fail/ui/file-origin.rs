use cors_runtime::{cors_policy, Policy};

cors_policy! {
    static P: Policy = {
        allow_origins: ["file:///home/me/index.html"],
        allow_methods: [GET],
    };
}

fn main() {}
