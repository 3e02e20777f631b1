use cors_runtime::{cors_policy, Policy};

cors_policy! {
    static P: Policy = {
        allow_origins: ["https://example.com"],
        allow_methods: [GET],
        expose_headers: ["access-control-max-age"],
    };
}

fn main() {}
