use cors_runtime::{cors_policy, Policy};

cors_policy! {
    static P: Policy = include_toml!("cors.toml");
}

fn main() {}
