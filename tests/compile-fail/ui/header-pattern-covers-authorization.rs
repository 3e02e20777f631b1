use cors_runtime::{cors_policy, Policy};

cors_policy! {
    static P: Policy = {
        allow_origins: ["https://a.example.com"],
        allow_methods: [GET],
        allow_headers: ["a*", "*ion", "x-*"],
        allow_credentials: true,
    };
}

fn main() {}
