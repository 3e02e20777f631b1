use cors_runtime::{cors_policy, Policy};

cors_policy! {
    static P: Policy = include_json!("cors.json");
}

fn main() {}
