//! Writes the scaling policies: `cors_policy!` invocations with 1 to 10,000
//! exact origins and 1 to 100 rules, too long to write by hand.

use std::fmt::Write as _;
use std::path::PathBuf;

/// The origin counts of the scaling benchmark.
const ORIGIN_COUNTS: [usize; 5] = [1, 10, 100, 1_000, 10_000];
/// The rule counts of the scaling benchmark.
const RULE_COUNTS: [usize; 3] = [1, 10, 100];

fn origin(i: usize) -> String {
    format!("https://app{i}.example.com")
}

fn main() {
    let mut source = String::from("cors_runtime::cors_policy! {\n");
    for count in ORIGIN_COUNTS {
        let origins: Vec<String> = (0..count).map(|i| format!("{:?}", origin(i))).collect();
        let _ = writeln!(
            source,
            "    /// {count} exact origins.\n    pub static ORIGINS_{count}: cors_runtime::Policy = {{ allow_origins: [{}], allow_methods: [GET, PUT], allow_headers: [\"content-type\", \"x-requested-with\"], max_age: 600 }};",
            origins.join(", ")
        );
    }
    for count in RULE_COUNTS {
        // Every rule but the last allows other origins: a request from the
        // measured origin falls through all of them.
        let rules: Vec<String> = (0..count)
            .map(|i| {
                let allowed = if i + 1 == count { origin(0) } else { format!("https://rule{i}.example.net") };
                format!("{{ id: \"r{i}\", allow_origins: [{allowed:?}], allow_methods: [GET, PUT], allow_headers: [\"content-type\", \"x-requested-with\"], max_age: 600 }}")
            })
            .collect();
        let _ = writeln!(
            source,
            "    /// {count} rules; only the last allows the measured origin.\n    pub static RULES_{count}: cors_runtime::Policy = [{}];",
            rules.join(", ")
        );
    }
    source.push_str("}\n");
    let out =
        PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default()).join("scaling_policies.rs");
    if let Err(error) = std::fs::write(&out, source) {
        panic!("cannot write {}: {error}", out.display());
    }
    println!("cargo:rerun-if-changed=build.rs");
}
