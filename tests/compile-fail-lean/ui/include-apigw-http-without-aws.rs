use cors_runtime::{cors_policy, Policy};

cors_policy! {
    static P: Policy = include_apigw_http!("cors.json");
}

fn main() {}
