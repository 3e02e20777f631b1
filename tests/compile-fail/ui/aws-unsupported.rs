use cors_runtime::{cors_policy, Policy};

cors_policy! {
    static HTTP: Policy = include_apigw_http!("aws/any-https.json");
}

fn main() {}
