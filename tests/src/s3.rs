//! The S3 acceptance configurations of the research note (C1 to C5), both
//! imported at compile time and loaded at run time from the same files.

use cors_runtime::{cors_policy, Policy};

cors_policy! {
    /// C1: first match wins across three rules (JSON, CLI form).
    pub static C1: Policy = include_s3_json!("s3/c1.json");
    /// C2: wildcards at the start, middle and end, no catch-all (XML).
    pub static C2: Policy = include_s3_xml!("s3/c2.xml");
    /// C3: case handling.
    pub static C3: Policy = include_s3_json!("s3/c3.json");
    /// C4: no allowed headers, expose only (JSON, console form).
    pub static C4: Policy = include_s3_json!("s3/c4.json");
    /// C5: `*` beside a specific origin (XML without namespace).
    pub static C5: Policy = include_s3_xml!("s3/c5.xml");
}

/// The fixture files, as `(name, text, is_xml)`, for the run-time loaders.
pub const FILES: [(&str, &str, bool); 5] = [
    ("C1", include_str!("../s3/c1.json"), false),
    ("C2", include_str!("../s3/c2.xml"), true),
    ("C3", include_str!("../s3/c3.json"), false),
    ("C4", include_str!("../s3/c4.json"), false),
    ("C5", include_str!("../s3/c5.xml"), true),
];

/// The compile-time policies, in the order of [`FILES`].
pub const COMPILED: [&Policy; 5] = [&C1, &C2, &C3, &C4, &C5];
