use cors_runtime::{cors_policy, Policy};

cors_policy! {
    static P: Policy = [
        { id: "a", allow_origins: ["https://a.example"], allow_methods: [GET] },
        { id: "a", allow_origins: ["https://b.example"], allow_methods: [GET] },
    ];
}

fn main() {}
