//! A policy's CORS answers as a browser reads them, whatever its format:
//! whether a preflight passes and for how long it may be cached, and whether
//! a response is readable and which headers it exposes. DSL and S3 policies answer through the runtime
//! ([`Policy::evaluate`], the response headers read as the Fetch standard's
//! CORS checks read them); AWS configurations through their answer model
//! ([`AwsCors::preflight`], [`AwsCors::actual`]).
//!
//! Status codes beyond "ok or not", `Vary`, and `*` versus an echoed origin
//! without credentials are not answers: two policies that differ only there
//! answer alike.

use cors_aws::{AwsCors, Exposed};
use cors_runtime::Policy;
use http::header::{
    ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS,
    ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_EXPOSE_HEADERS, ACCESS_CONTROL_MAX_AGE,
    ACCESS_CONTROL_REQUEST_HEADERS, ACCESS_CONTROL_REQUEST_METHOD, ORIGIN,
};
use http::{HeaderMap, HeaderValue, Method};

/// A policy that answers requests.
#[derive(Debug)]
pub(crate) enum Subject {
    /// A DSL or S3 policy.
    Policy(Box<Policy>),
    /// An AWS configuration.
    Aws(AwsCors),
}

/// The methods a browser lets through without asking the server.
fn safelisted(method: &str) -> bool {
    matches!(method, "GET" | "HEAD" | "POST")
}

/// The comma-separated values of `name` in `headers`, trimmed.
fn list(headers: &HeaderMap, name: http::HeaderName) -> Vec<String> {
    headers
        .get_all(name)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(|item| item.trim().to_owned())
        .filter(|item| !item.is_empty())
        .collect()
}

/// Whether the origin and credentials checks of the Fetch standard pass on
/// `response`.
fn origin_passes(response: &HeaderMap, origin: &str, credentials: bool) -> bool {
    let allowed = response
        .get(ACCESS_CONTROL_ALLOW_ORIGIN)
        .and_then(|value| value.to_str().ok());
    match allowed {
        Some("*") => !credentials,
        Some(value) if value == origin => {
            !credentials
                || response
                    .get(ACCESS_CONTROL_ALLOW_CREDENTIALS)
                    .is_some_and(|value| value == "true")
        }
        _ => false,
    }
}

/// A preflight's answer: `None` when it fails, or how long a browser may
/// cache it (`Some(None)`: the browser's default).
pub(crate) type Preflight = Option<Option<u32>>;

impl Subject {
    /// Whether a browser lets a preflight through (see
    /// [`AwsCors::preflight`] for the arguments).
    pub(crate) fn preflight(
        &self,
        origin: &str,
        method: &str,
        request_headers: &[&str],
        credentials: bool,
    ) -> bool {
        self.preflight_answer(origin, method, request_headers, credentials)
            .is_some()
    }

    /// A preflight's answer, with its max age (a negative or missing one is
    /// the browser's default).
    pub(crate) fn preflight_answer(
        &self,
        origin: &str,
        method: &str,
        request_headers: &[&str],
        credentials: bool,
    ) -> Preflight {
        match self {
            Subject::Aws(cors) => cors
                .preflight(origin, method, request_headers, credentials)
                .then(|| cors.max_age.and_then(|seconds| u32::try_from(seconds).ok())),
            Subject::Policy(policy) => {
                let (Ok(origin_value), Ok(method_value)) =
                    (HeaderValue::from_str(origin), HeaderValue::from_str(method))
                else {
                    return None;
                };
                let mut headers = HeaderMap::new();
                headers.insert(ORIGIN, origin_value);
                headers.insert(ACCESS_CONTROL_REQUEST_METHOD, method_value);
                if !request_headers.is_empty() {
                    let names: Vec<String> = request_headers
                        .iter()
                        .map(|name| name.to_ascii_lowercase())
                        .collect();
                    match HeaderValue::from_str(&names.join(",")) {
                        Ok(value) => {
                            headers.insert(ACCESS_CONTROL_REQUEST_HEADERS, value);
                        }
                        Err(_) => return None,
                    }
                }
                let decision = policy.evaluate(&Method::OPTIONS, &headers);
                if decision
                    .preflight_status()
                    .is_some_and(|status| !status.is_success())
                {
                    return None;
                }
                let mut response = HeaderMap::new();
                decision.apply(&mut response);
                if !origin_passes(&response, origin, credentials) {
                    return None;
                }
                let methods = list(&response, ACCESS_CONTROL_ALLOW_METHODS);
                let method_ok = safelisted(method)
                    || methods.iter().any(|m| m == method)
                    || (!credentials && methods.iter().any(|m| m == "*"));
                let allowed = list(&response, ACCESS_CONTROL_ALLOW_HEADERS);
                let headers_ok = request_headers.iter().all(|name| {
                    allowed.iter().any(|a| a.eq_ignore_ascii_case(name))
                        || (!credentials
                            && !name.eq_ignore_ascii_case("authorization")
                            && allowed.iter().any(|a| a == "*"))
                });
                let max_age = response
                    .get(ACCESS_CONTROL_MAX_AGE)
                    .and_then(|value| value.to_str().ok())
                    .and_then(|value| value.parse::<u32>().ok());
                (method_ok && headers_ok).then_some(max_age)
            }
        }
    }

    /// What a script may read of the response to an actual request, or
    /// `None` when the browser blocks it.
    pub(crate) fn actual(&self, origin: &str, method: &str, credentials: bool) -> Option<Exposed> {
        match self {
            Subject::Aws(cors) => cors.actual(origin, credentials).map(|r| r.exposed),
            Subject::Policy(policy) => {
                let method = Method::from_bytes(method.as_bytes()).ok()?;
                let mut headers = HeaderMap::new();
                headers.insert(ORIGIN, HeaderValue::from_str(origin).ok()?);
                let decision = policy.evaluate(&method, &headers);
                let mut response = HeaderMap::new();
                decision.apply(&mut response);
                if decision.is_refused() || !origin_passes(&response, origin, credentials) {
                    return None;
                }
                let mut names: Vec<String> = list(&response, ACCESS_CONTROL_EXPOSE_HEADERS)
                    .into_iter()
                    .map(|name| name.to_ascii_lowercase())
                    .collect();
                if !credentials && names.iter().any(|name| name == "*") {
                    return Some(Exposed::All);
                }
                names.sort();
                names.dedup();
                Some(Exposed::Names(names))
            }
        }
    }
}
