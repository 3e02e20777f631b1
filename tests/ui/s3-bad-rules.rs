// Paths are relative to the crate's Cargo.toml; trybuild compiles these
// files as a crate in target/tests/trybuild/cors-tests.
use cors_runtime::{cors_policy, Policy};

cors_policy! {
    static BUCKET: Policy = include_s3_json!("../../../../tests/ui/s3/bad-rules.json");
}

fn main() {}
