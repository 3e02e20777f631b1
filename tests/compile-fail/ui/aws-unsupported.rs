use cors_runtime::{cors_policy, Policy};

cors_policy! {
    static HTTP: Policy = include_apigw_http!("aws/any-https.json");
    static LAMBDA: Policy = include_lambda_url!("aws/lambda-seven-methods.json");
    static MISSING: Policy = include_cloudfront!("aws/missing.json");
}

fn main() {}
