use cors_runtime::{cors_policy, Policy};

cors_policy! {
    static P: Policy = include_s3_json!("s3.json");
}

fn main() {}
