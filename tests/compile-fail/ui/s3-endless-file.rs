// An endless file is refused after S3's 64 KB document limit, not read
// until memory runs out.
use cors_runtime::{cors_policy, Policy};

cors_policy! {
    static BUCKET: Policy = include_s3_xml!("/dev/zero");
}

fn main() {}
