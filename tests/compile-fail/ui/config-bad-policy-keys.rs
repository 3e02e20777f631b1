// Paths are relative to the Cargo.toml of the crate trybuild builds these
// files in (tests/compiletest.rs copies tests/ui/config/ to its config/).
use cors_runtime::{cors_policy, Policy};

cors_policy! {
    static API: Policy = include_toml!("config/bad-protection.toml");
}

fn main() {}
