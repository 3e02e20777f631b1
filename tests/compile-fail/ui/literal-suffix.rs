use cors_runtime::{cors_policy, Policy};

cors_policy! {
    static P: Policy = {
        id: "api"_v1,
        allow_origins: ["https://a.example.com"suffix],
        allow_methods: [GET],
        allow_headers: ["content-type"x],
        max_age: 600u8,
    };
}

fn main() {}
