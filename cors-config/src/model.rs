//! The validated, normalised policy that code generation (and run-time
//! construction) works from: everything here has passed every check.

/// A checked policy: its rules in order, and its cross-origin protection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyModel {
    /// The rules, in order.
    pub rules: Vec<RuleModel>,
    /// `cross_origin_protection` (`true` unless written `false`).
    pub cross_origin_protection: bool,
    /// `open_paths` as written (each checked: `/pay/callback`, or a prefix
    /// `/hooks/*`), in order; empty when the protection is off.
    pub open_paths: Vec<String>,
}

/// A checked rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleModel {
    /// The rule's id, if it has one.
    pub id: Option<String>,
    /// The rule allows any origin (`"*"`).
    pub any_origin: bool,
    /// The origin patterns other than `"*"`.
    pub origins: Vec<OriginPattern>,
    /// The rule allows any method (`"*"`).
    pub any_method: bool,
    /// Exactly as they must appear on the wire, in the order written.
    pub methods: Vec<String>,
    /// The rule allows any request header (`"*"`).
    pub any_header: bool,
    /// Lowercase exact names.
    pub headers: Vec<String>,
    /// Lowercase `(prefix, suffix)` around one `*`.
    pub header_patterns: Vec<(String, String)>,
    /// Lowercase names, or `["*"]`.
    pub expose_headers: Vec<String>,
    /// `Access-Control-Max-Age`, in seconds.
    pub max_age: Option<u32>,
    /// `allow_credentials: true`.
    pub credentials: bool,
}

/// A checked origin pattern other than `*`.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct OriginPattern {
    /// The scheme, lowercase.
    pub scheme: String,
    /// The host for an exact pattern; the base domain for a `*.` pattern.
    pub host: String,
    /// `true` for `scheme://*.host`.
    pub subdomains: bool,
    /// The port.
    pub port: Port,
}

/// The port of an origin pattern.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Port {
    /// No port: the scheme's default.
    Absent,
    /// Exactly this port.
    Exact(u16),
    /// `:*`: any port, or none.
    Any,
}
