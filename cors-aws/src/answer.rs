//! What a browser concludes from the answers an AWS service gives under a
//! configuration: whether a preflight passes, and whether a response is
//! readable and which of its headers a script may read.
//!
//! The model follows the [crate documentation](crate#what-the-fields-mean)
//! and the Fetch standard's CORS checks, as a browser applies them to the
//! headers the service sends:
//!
//! - **Origins.** An exact origin matches that origin byte for byte; `*`
//!   any origin (answered `Access-Control-Allow-Origin: *`, so never with
//!   credentials); `https://*` and `http://*` any origin of that scheme, any
//!   port; `*.example.org` (CloudFront) an origin of any scheme whose host
//!   is one or more labels before `.example.org`, without a port (the form
//!   names none), and `https://*.example.org` the same with that scheme. The
//!   wildcard forms are answered with the request's origin echoed.
//! - **Credentials.** A request with credentials passes only when the
//!   configuration allows credentials and the origin is matched by an
//!   entry other than `*`.
//! - **Methods.** A preflight's requested method must be allowed unless it
//!   is CORS-safelisted (`GET`, `HEAD`, `POST`): the Fetch standard's
//!   CORS-preflight check never looks a safelisted method up, so a service
//!   that answers the preflight at all lets those through
//!   ([`Methods::allows`](crate::Methods::allows)). `*` covers every method
//!   only without credentials.
//! - **Request headers.** Every requested header must be listed (any case);
//!   `*` covers every header but `Authorization`, and only without
//!   credentials ([`Headers::allows`](crate::Headers::allows)).
//! - **Actual requests.** The service adds its headers to every response
//!   whatever the method, so only the origin and credentials decide
//!   whether a response is readable; exposed headers are the listed names,
//!   or every header for `*` without credentials.
//!
//! ```
//! use cors_aws::{AwsCors, AwsOrigin, Exposed, Headers, Methods};
//!
//! let cors = AwsCors {
//!     allow_origins: vec![AwsOrigin::Subdomains { scheme: None, base: "example.org".into() }],
//!     allow_methods: Methods::List(vec!["PUT".into()]),
//!     allow_headers: Headers::any(),
//!     expose_headers: Headers::names(["ETag"]),
//!     allow_credentials: true,
//!     ..AwsCors::default()
//! };
//! assert!(cors.preflight("https://a.example.org", "PUT", &[], true));
//! assert!(cors.preflight("http://a.b.example.org", "GET", &[], false));
//! assert!(!cors.preflight("https://example.org", "PUT", &[], true));
//! // `*` covers no header with credentials, and never `Authorization`.
//! assert!(!cors.preflight("https://a.example.org", "PUT", &["x-api-key"], true));
//! assert!(!cors.preflight("https://a.example.org", "PUT", &["authorization"], false));
//! let readable = cors.actual("https://a.example.org", true).expect("readable");
//! assert_eq!(readable.exposed, Exposed::Names(vec!["etag".into()]));
//! ```

use crate::model::{AwsCors, AwsOrigin};

/// What a script may read of a response a browser let through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Readable {
    /// The response headers a script may read beyond the CORS-safelisted
    /// ones.
    pub exposed: Exposed,
}

/// The response headers exposed to a script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Exposed {
    /// Every header (`Access-Control-Expose-Headers: *` without
    /// credentials).
    All,
    /// These names, lowercase, sorted, without repeats (possibly none).
    Names(Vec<String>),
}

/// How an origin was matched: by `*`, or by an entry answered with the
/// origin echoed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Match {
    Any,
    Echoed,
}

impl AwsCors {
    /// Whether a browser lets a preflight through: from `origin`, for
    /// `method`, asking for `request_headers`, for a request `credentials`
    /// says is credentialed (see the [crate documentation](crate#what-the-fields-mean)).
    pub fn preflight(
        &self,
        origin: &str,
        method: &str,
        request_headers: &[&str],
        credentials: bool,
    ) -> bool {
        self.passes(origin, credentials)
            && self.allow_methods.allows(method, credentials)
            && request_headers
                .iter()
                .all(|name| self.allow_headers.allows(name, credentials))
    }

    /// What a script may read of a response to an actual request from
    /// `origin` (credentialed when `credentials`), or `None` when the
    /// browser blocks it.
    pub fn actual(&self, origin: &str, credentials: bool) -> Option<Readable> {
        if !self.passes(origin, credentials) {
            return None;
        }
        let exposed = if self.expose_headers.any && !credentials {
            Exposed::All
        } else {
            let mut names: Vec<String> = self
                .expose_headers
                .names
                .iter()
                .map(|name| name.to_ascii_lowercase())
                .collect();
            // With credentials a literal `*` is a header named `*`.
            if self.expose_headers.any {
                names.push("*".to_owned());
            }
            names.sort();
            names.dedup();
            Exposed::Names(names)
        };
        Some(Readable { exposed })
    }

    /// Whether the origin and credentials checks pass.
    fn passes(&self, origin: &str, credentials: bool) -> bool {
        match self.origin_match(origin) {
            None => false,
            Some(_) if !credentials => true,
            Some(Match::Any) => false,
            Some(Match::Echoed) => self.allow_credentials,
        }
    }

    /// How `origin` is matched: an echoing entry wins over `*`.
    fn origin_match(&self, origin: &str) -> Option<Match> {
        let mut found = None;
        for entry in &self.allow_origins {
            match entry {
                AwsOrigin::Any => found = found.or(Some(Match::Any)),
                _ if entry.matches(origin) => return Some(Match::Echoed),
                _ => {}
            }
        }
        found
    }
}

impl AwsOrigin {
    /// Whether `origin` (as a browser sends it) is one this entry allows.
    ///
    /// ```
    /// use cors_aws::{AwsOrigin, Scheme};
    ///
    /// assert!(AwsOrigin::AnyWithScheme(Scheme::Https).matches("https://a.example:8443"));
    /// let sub = AwsOrigin::Subdomains { scheme: None, base: "example.org".into() };
    /// assert!(sub.matches("http://a.example.org"));
    /// assert!(!sub.matches("https://a.example.org:8443"));
    /// assert!(!sub.matches("https://ax-example.org"));
    /// ```
    pub fn matches(&self, origin: &str) -> bool {
        match self {
            AwsOrigin::Exact(exact) => exact == origin,
            AwsOrigin::Any => true,
            AwsOrigin::AnyWithScheme(scheme) => origin
                .strip_prefix(scheme.as_str())
                .and_then(|rest| rest.strip_prefix("://"))
                .is_some_and(|rest| !rest.is_empty()),
            AwsOrigin::Subdomains { scheme, base } => {
                let Some((origin_scheme, host)) = origin.split_once("://") else {
                    return false;
                };
                let scheme_ok = scheme.is_none_or(|s| s.as_str() == origin_scheme);
                scheme_ok
                    && !host.contains(':')
                    && host
                        .strip_suffix(base.as_str())
                        .and_then(|labels| labels.strip_suffix('.'))
                        .is_some_and(|labels| {
                            !labels.is_empty() && labels.split('.').all(|label| !label.is_empty())
                        })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{AwsCors, AwsOrigin, Exposed, Headers, Methods, Scheme};

    fn cors(origins: Vec<AwsOrigin>, credentials: bool) -> AwsCors {
        AwsCors {
            allow_origins: origins,
            allow_methods: Methods::List(vec!["PUT".into()]),
            allow_headers: Headers::names(["X-Api-Key"]),
            expose_headers: Headers::names(["ETag", "etag", "X-Id"]),
            allow_credentials: credentials,
            ..AwsCors::default()
        }
    }

    #[test]
    fn exact_origins_match_byte_for_byte() {
        let c = cors(vec![AwsOrigin::Exact("https://a.example".into())], false);
        assert!(c.preflight("https://a.example", "PUT", &["x-api-key"], false));
        assert!(!c.preflight("https://A.example", "PUT", &[], false));
        assert!(!c.preflight("https://a.example:444", "PUT", &[], false));
        assert!(!c.preflight("https://a.example", "DELETE", &[], false));
        assert!(!c.preflight("https://a.example", "PUT", &["x-other"], false));
    }

    #[test]
    fn safelisted_methods_need_no_listing() {
        let c = cors(vec![AwsOrigin::Exact("https://a.example".into())], true);
        for method in ["GET", "HEAD", "POST"] {
            assert!(
                c.preflight("https://a.example", method, &[], true),
                "{method}"
            );
        }
        assert!(!c.preflight("https://a.example", "get", &[], false));
        assert!(!c.preflight("https://a.example", "PATCH", &[], false));
    }

    #[test]
    fn credentials_need_the_flag_and_an_echoed_origin() {
        let any = cors(vec![AwsOrigin::Any], false);
        assert!(any.preflight("https://x.example", "PUT", &[], false));
        assert!(!any.preflight("https://x.example", "PUT", &[], true));
        assert!(any.actual("https://x.example", true).is_none());
        let off = cors(vec![AwsOrigin::Exact("https://a.example".into())], false);
        assert!(off.actual("https://a.example", false).is_some());
        assert!(off.actual("https://a.example", true).is_none());
        // An exact entry beside `*` is echoed, so it works with credentials.
        let both = cors(
            vec![AwsOrigin::Any, AwsOrigin::Exact("https://a.example".into())],
            true,
        );
        assert!(both.actual("https://a.example", true).is_some());
        assert!(both.actual("https://b.example", true).is_none());
        assert!(both.actual("https://b.example", false).is_some());
    }

    #[test]
    fn wildcards_of_scheme_and_subdomains() {
        let https = cors(vec![AwsOrigin::AnyWithScheme(Scheme::Https)], true);
        assert!(https.preflight("https://x.example:8443", "PUT", &[], true));
        assert!(!https.preflight("http://x.example", "PUT", &[], true));
        let sub = cors(
            vec![AwsOrigin::Subdomains {
                scheme: Some(Scheme::Https),
                base: "example.org".into(),
            }],
            false,
        );
        assert!(sub.actual("https://a.b.example.org", false).is_some());
        for origin in [
            "http://a.example.org",
            "https://example.org",
            "https://.example.org",
            "https://a..example.org",
            "https://aexample.org",
        ] {
            assert!(sub.actual(origin, false).is_none(), "{origin}");
        }
    }

    #[test]
    fn any_method_and_header_only_without_credentials() {
        let c = AwsCors {
            allow_origins: vec![AwsOrigin::Exact("https://a.example".into())],
            allow_methods: Methods::Any,
            allow_headers: Headers::any(),
            allow_credentials: true,
            ..AwsCors::default()
        };
        assert!(c.preflight("https://a.example", "DELETE", &["x-a"], false));
        assert!(!c.preflight("https://a.example", "DELETE", &[], true));
        assert!(!c.preflight("https://a.example", "GET", &["x-a"], true));
        assert!(!c.preflight("https://a.example", "GET", &["Authorization"], false));
    }

    #[test]
    fn exposed_headers() {
        let c = cors(vec![AwsOrigin::Exact("https://a.example".into())], true);
        let readable = c.actual("https://a.example", true).expect("readable");
        assert_eq!(
            readable.exposed,
            Exposed::Names(vec!["etag".into(), "x-id".into()])
        );
        let all = AwsCors {
            expose_headers: Headers::any(),
            ..c
        };
        assert_eq!(
            all.actual("https://a.example", false).map(|r| r.exposed),
            Some(Exposed::All)
        );
        assert_eq!(
            all.actual("https://a.example", true).map(|r| r.exposed),
            Some(Exposed::Names(vec!["*".into()]))
        );
    }
}
