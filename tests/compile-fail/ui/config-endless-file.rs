// An endless policy file is refused after the 1 MiB document limit, not
// read until memory runs out.
use cors_runtime::{cors_policy, Policy};

cors_policy! {
    static API: Policy = include_toml!("/dev/zero");
}

fn main() {}
