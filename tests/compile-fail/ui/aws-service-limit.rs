use cors_runtime::{cors_policy, Policy};

cors_policy! {
    static LAMBDA: Policy = include_lambda_url!("aws/lambda-seven-methods.json");
}

fn main() {}
