//! The neutral form every source is read into and every target written
//! from: rules with the *meaning* of their values, so that each writer can
//! tell exactly what its format cannot carry.
//!
//! The meanings are the DSL's and S3's, where the server decides: a rule
//! lets through the methods it lists (and only those), the headers it lists
//! or matches, and sends credentials when [`Rule::credentials`] says so.
//! AWS values whose meaning differs (a `*` that covers nothing with
//! credentials, a `*` header that skips `Authorization`, methods a browser
//! lets through unlisted) are read into the variants that say so.

use std::fmt;

/// A policy in neutral form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Neutral {
    /// The rules, in order: the first that matches origin, method and
    /// headers wins.
    pub(crate) rules: Vec<Rule>,
    /// The cross-origin protection: `Some` for DSL policies (on or off, and
    /// the open paths), `None` for S3 and AWS configurations (off).
    pub(crate) protection: Option<Protection>,
    /// CloudFront's `OriginOverride` as read (`None` elsewhere).
    pub(crate) origin_override: Option<bool>,
}

/// A DSL policy's cross-origin protection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Protection {
    /// `cross_origin_protection`.
    pub(crate) on: bool,
    /// `open_paths`.
    pub(crate) open_paths: Vec<String>,
}

/// One rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Rule {
    /// The rule's id, if any.
    pub(crate) id: Option<String>,
    /// The origins it allows, in order.
    pub(crate) origins: Vec<Origin>,
    /// The methods it allows.
    pub(crate) methods: Methods,
    /// The request headers it allows.
    pub(crate) headers: AllowedHeaders,
    /// The response headers it exposes.
    pub(crate) expose: Expose,
    /// `Access-Control-Max-Age`; `-1` (HTTP APIs) is a browser's default.
    pub(crate) max_age: Option<i64>,
    /// Whether `Access-Control-Allow-Credentials: true` is sent to the
    /// origins answered by name.
    pub(crate) credentials: bool,
    /// The safelisted methods an AWS source did not list, added to
    /// [`Rule::methods`] because a browser lets them through anyway (an
    /// AWS writer leaves them out again).
    pub(crate) implicit_methods: Vec<String>,
}

/// One origin pattern.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Origin {
    /// `*`.
    Any,
    /// One origin, as written.
    Exact(String),
    /// `scheme://host:*` or `scheme://*.host:*` (DSL): any port, or none.
    AnyPort {
        /// The scheme.
        scheme: String,
        /// The host, or the base of the subdomains.
        host: String,
        /// Whether the subdomains of `host` are meant.
        subdomains: bool,
    },
    /// `scheme://*.base:port` (DSL, or the same S3 pattern): subdomains on
    /// one port.
    SubdomainsPort {
        /// The scheme.
        scheme: String,
        /// The base domain.
        base: String,
        /// The port.
        port: u16,
    },
    /// `scheme://*.base`, or with no scheme `*.base` (any scheme): one or
    /// more labels before `.base`, no port.
    Subdomains {
        /// The scheme, or `None` for any.
        scheme: Option<String>,
        /// The base domain.
        base: String,
    },
    /// `https://*` or `http://*`: any origin of that scheme, any port.
    AnyWithScheme(String),
    /// Any other S3 pattern (one `*` matching any run of characters).
    Glob(String),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Any => f.write_str("*"),
            Origin::Exact(origin) | Origin::Glob(origin) => f.write_str(origin),
            Origin::AnyPort {
                scheme,
                host,
                subdomains,
            } => {
                let star = if *subdomains { "*." } else { "" };
                write!(f, "{scheme}://{star}{host}:*")
            }
            Origin::SubdomainsPort { scheme, base, port } => {
                write!(f, "{scheme}://*.{base}:{port}")
            }
            Origin::Subdomains { scheme: None, base } => write!(f, "*.{base}"),
            Origin::Subdomains {
                scheme: Some(scheme),
                base,
            } => write!(f, "{scheme}://*.{base}"),
            Origin::AnyWithScheme(scheme) => write!(f, "{scheme}://*"),
        }
    }
}

/// The methods a rule allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Methods {
    /// Every method, with or without credentials (DSL `"*"`: the
    /// requested method is echoed).
    Any,
    /// AWS `*` in a configuration with credentials: every method for
    /// requests without credentials, only `GET`, `HEAD`, `POST` for
    /// requests with them.
    AnyWithoutCredentials,
    /// These methods, case-sensitive.
    List(Vec<String>),
}

/// The request headers a rule allows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct AllowedHeaders {
    /// A `*`, and what it covers.
    pub(crate) any: Option<AnyHeaders>,
    /// Exact names, lowercase.
    pub(crate) names: Vec<String>,
    /// `(prefix, suffix)` around one `*`, lowercase.
    pub(crate) patterns: Vec<(String, String)>,
}

impl AllowedHeaders {
    /// The names, then the patterns written `prefix*suffix`, as the DSL and
    /// S3 list them (without the `*` of [`AllowedHeaders::any`]).
    pub(crate) fn listed(&self) -> impl Iterator<Item = String> + '_ {
        let patterns = self
            .patterns
            .iter()
            .map(|(prefix, suffix)| format!("{prefix}*{suffix}"));
        self.names.iter().cloned().chain(patterns)
    }
}

/// What a `*` in the allowed request headers covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AnyHeaders {
    /// Every header, `Authorization` included, with credentials too (DSL
    /// and S3 echo the requested list).
    All,
    /// AWS `*`: every header but `Authorization`, only for requests
    /// without credentials.
    AllButAuthorization,
}

/// The response headers a rule exposes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Expose {
    /// `*`: every header (only without credentials).
    pub(crate) all: bool,
    /// Names, lowercase.
    pub(crate) names: Vec<String>,
}

/// The methods a browser lets through without the server listing them
/// (CORS-safelisted methods).
pub(crate) const SAFELISTED: [&str; 3] = ["GET", "HEAD", "POST"];
