use cors_runtime::{cors_policy, Policy};

cors_policy! {
    static P: Policy = {
        allow_origins: ["http://127.1", "http://0x7f000001"],
        allow_methods: [GET],
    };
}

fn main() {}
