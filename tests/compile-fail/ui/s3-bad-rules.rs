// Paths are relative to the Cargo.toml of the crate trybuild builds these
// files in (tests/compiletest.rs copies tests/ui/s3/ to its s3/).
use cors_runtime::{cors_policy, Policy};

cors_policy! {
    static BUCKET: Policy = include_s3_json!("s3/bad-rules.json");
}

fn main() {}
