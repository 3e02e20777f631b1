use cors_runtime::{cors_policy, Policy};

cors_policy! {
    static P: Policy = include_s3_xml!("s3.xml");
}

fn main() {}
