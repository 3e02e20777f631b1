//! The service-neutral model every format is read into and written from.

use std::fmt;

/// One CORS configuration as the five AWS formats hold it: one rule, no
/// ordering (unlike S3's list of rules).
///
/// The meaning of each field in each service is in the [crate
/// documentation](crate#what-the-fields-mean).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AwsCors {
    /// The origins allowed, in the order written.
    pub allow_origins: Vec<AwsOrigin>,
    /// The methods a preflight may ask for.
    pub allow_methods: Methods,
    /// The request headers a preflight may ask for.
    pub allow_headers: Headers,
    /// The response headers scripts may read.
    pub expose_headers: Headers,
    /// How long a browser may cache a preflight's answer, in seconds;
    /// `None` when the configuration says nothing. `-1` exists only in
    /// API Gateway HTTP APIs.
    pub max_age: Option<i32>,
    /// Whether credentialed requests (cookies, `Authorization`, TLS client
    /// certificates) are allowed: `Access-Control-Allow-Credentials: true`.
    pub allow_credentials: bool,
    /// CloudFront's `OriginOverride`: `Some(true)` when the configured
    /// headers replace those the origin server sent, `Some(false)` when the
    /// origin server's own headers win; `None` from every other format
    /// (they always replace: see the crate documentation). Their writers
    /// take `Some(true)` as the same thing and refuse `Some(false)`; the
    /// CloudFront writer writes `None` as `true`.
    pub origin_override: Option<bool>,
}

/// The two schemes AWS origin wildcards name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scheme {
    /// `http`.
    Http,
    /// `https`.
    Https,
}

impl Scheme {
    /// `http` or `https`.
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Http => "http",
            Scheme::Https => "https",
        }
    }
}

/// One allowed origin.
///
/// Exhaustive on purpose: a form the services add is a breaking change, so
/// that every reader of the model (the conversions, the answer model)
/// decides what it means instead of passing it through unread.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AwsOrigin {
    /// One origin, `scheme://host[:port]`, as a browser sends it (lowercase,
    /// no default port, no path).
    Exact(String),
    /// `*`: any origin.
    Any,
    /// `https://*` or `http://*`: any origin with this scheme (API Gateway
    /// HTTP APIs only).
    AnyWithScheme(Scheme),
    /// `*.base` (CloudFront, any scheme) or `scheme://*.base`: origins whose
    /// host is one or more labels followed by `.base`, never `base` itself.
    /// No AWS format reads the form with a scheme; it exists so that a
    /// policy from elsewhere can be refused by name when written.
    Subdomains {
        /// The scheme, or `None` for any scheme.
        scheme: Option<Scheme>,
        /// The host the subdomains belong to, lowercase (`example.org`).
        base: String,
    },
}

impl fmt::Display for AwsOrigin {
    /// The origin as AWS formats spell it: `https://a.example`, `*`,
    /// `https://*`, `*.example.org`, `https://*.example.org`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AwsOrigin::Exact(origin) => f.write_str(origin),
            AwsOrigin::Any => f.write_str("*"),
            AwsOrigin::AnyWithScheme(scheme) => write!(f, "{}://*", scheme.as_str()),
            AwsOrigin::Subdomains { scheme: None, base } => write!(f, "*.{base}"),
            AwsOrigin::Subdomains {
                scheme: Some(scheme),
                base,
            } => write!(f, "{}://*.{base}", scheme.as_str()),
        }
    }
}

/// The methods a preflight may ask for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Methods {
    /// `*`: any method. Without credentials a browser reads a literal `*`
    /// as "any method"; with credentials the Fetch standard reads it as a
    /// method named `*`, so [`Methods::allows`] then allows only the
    /// CORS-safelisted methods.
    Any,
    /// These methods, case-sensitive, in the order written (possibly none:
    /// then no preflight succeeds).
    List(Vec<String>),
}

impl Default for Methods {
    /// No method.
    fn default() -> Self {
        Methods::List(Vec::new())
    }
}

impl Methods {
    /// Whether a browser lets a request with `method` through, by the
    /// Fetch standard's CORS-preflight check: `GET`, `HEAD` and `POST` need
    /// no permission; `*` covers every method only without credentials.
    ///
    /// ```
    /// use cors_aws::Methods;
    ///
    /// assert!(Methods::Any.allows("DELETE", false));
    /// assert!(!Methods::Any.allows("DELETE", true));
    /// assert!(Methods::List(vec![]).allows("POST", true));
    /// ```
    pub fn allows(&self, method: &str, credentials: bool) -> bool {
        if matches!(method, "GET" | "HEAD" | "POST") {
            return true;
        }
        match self {
            Methods::Any => !credentials,
            Methods::List(names) => names.iter().any(|m| m == method),
        }
    }
}

/// Request headers a preflight may ask for, or response headers scripts
/// may read.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Headers {
    /// Whether `*` is listed. In `Access-Control-Allow-Headers` it covers
    /// every header except `Authorization`, and only without credentials
    /// (Fetch standard); in `Access-Control-Expose-Headers` every header,
    /// only without credentials.
    pub any: bool,
    /// The header names listed besides `*`, as written (compared without
    /// regard to case). Beside `*`, listing `Authorization` is what makes
    /// it allowed.
    pub names: Vec<String>,
}

impl Headers {
    /// No header.
    pub fn none() -> Headers {
        Headers::default()
    }

    /// `*` alone.
    pub fn any() -> Headers {
        Headers {
            any: true,
            names: Vec::new(),
        }
    }

    /// These names, without `*`.
    pub fn names<I: IntoIterator<Item = S>, S: Into<String>>(names: I) -> Headers {
        Headers {
            any: false,
            names: names.into_iter().map(Into::into).collect(),
        }
    }

    /// Whether nothing is listed.
    pub fn is_empty(&self) -> bool {
        !self.any && self.names.is_empty()
    }

    /// Whether a browser accepts request header `name` in a preflight's
    /// answer that lists these headers, by the Fetch standard: a listed
    /// name (any case), or `*` without credentials for any name but
    /// `Authorization`. (CORS-safelisted headers need no permission at all;
    /// that check is the caller's, as it depends on the value.)
    ///
    /// ```
    /// use cors_aws::Headers;
    ///
    /// let any = Headers::any();
    /// assert!(any.allows("x-api-key", false));
    /// assert!(!any.allows("authorization", false));
    /// assert!(!any.allows("x-api-key", true));
    /// let with_authorization = Headers { any: true, names: vec!["Authorization".into()] };
    /// assert!(with_authorization.allows("authorization", true));
    /// ```
    pub fn allows(&self, name: &str, credentials: bool) -> bool {
        self.names.iter().any(|n| n.eq_ignore_ascii_case(name))
            || (self.any && !credentials && !name.eq_ignore_ascii_case("authorization"))
    }
}
