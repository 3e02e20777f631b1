//! The validated, normalised policy that code generation works from. No syn
//! types: everything here has passed every check.

/// A checked policy: its rules in order.
pub(crate) struct PolicyModel {
    pub(crate) rules: Vec<RuleModel>,
}

/// A checked rule.
pub(crate) struct RuleModel {
    pub(crate) id: Option<String>,
    pub(crate) any_origin: bool,
    pub(crate) origins: Vec<OriginPattern>,
    pub(crate) any_method: bool,
    /// Exactly as they must appear on the wire, in the order written.
    pub(crate) methods: Vec<String>,
    pub(crate) any_header: bool,
    /// Lowercase exact names.
    pub(crate) headers: Vec<String>,
    /// Lowercase `(prefix, suffix)` around one `*`.
    pub(crate) header_patterns: Vec<(String, String)>,
    /// Lowercase names, or `["*"]`.
    pub(crate) expose_headers: Vec<String>,
    pub(crate) max_age: Option<u32>,
    pub(crate) credentials: bool,
}

/// A checked origin pattern other than `*`.
#[derive(Clone, PartialEq, Eq, Debug)]
pub(crate) struct OriginPattern {
    pub(crate) scheme: String,
    /// The host for an exact pattern; the base domain for a `*.` pattern.
    pub(crate) host: String,
    /// `true` for `scheme://*.host`.
    pub(crate) subdomains: bool,
    pub(crate) port: Port,
}

/// The port of an origin pattern.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Port {
    Absent,
    Exact(u16),
    Any,
}

/// A checked S3 configuration file.
pub(crate) struct S3Model {
    /// The file's absolute path (the build re-runs when it changes).
    pub(crate) path: String,
    /// The configuration, validated with S3's rules, values as written.
    pub(crate) config: cors_s3::CorsConfiguration,
}
