use cors_runtime::{cors_policy, Policy};

cors_policy! {
    static MISSING: Policy = include_cloudfront!("aws/missing.json");
}

fn main() {}
