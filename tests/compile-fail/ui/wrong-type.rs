use cors_runtime::{cors_policy};

cors_policy! {
    static P: u32 = { allow_origins: ["https://a.example"], allow_methods: [GET] };
}

fn main() {}
