//! [`Decision`]: what a policy says about one request, and the response
//! headers that say it to the browser.

use std::fmt;

use http::header::{
    ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS,
    ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_EXPOSE_HEADERS, ACCESS_CONTROL_MAX_AGE,
};
use http::{HeaderMap, HeaderName, HeaderValue, StatusCode};

use crate::origin::MalformedOrigin;
use crate::request_headers::MalformedPreflight;
use crate::rule::{Rule, StaticValue};
use crate::s3_matcher::{self, S3Rule};
use crate::vary::{self, VaryOn};
#[cfg(doc)]
use crate::Policy;

/// What kind of request a [`Decision`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RequestKind {
    /// No `Origin` header: not a CORS request.
    NotCors,
    /// `OPTIONS` with `Origin` and `Access-Control-Request-Method`: a CORS
    /// preflight, which the middleware answers without calling the service.
    Preflight,
    /// Any other request with an `Origin` header.
    Actual,
}

/// A rule of a policy, as a decision names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleRef<'a> {
    /// The rule's position in the policy, from 0.
    pub index: usize,
    /// The rule's `id`, if it has one.
    pub id: Option<&'a str>,
}

impl fmt::Display for RuleRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.id {
            Some(id) => write!(f, "rule {} (`{id}`)", self.index),
            None => write!(f, "rule {}", self.index),
        }
    }
}

/// Why a CORS request was denied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Denial<'a> {
    /// The `Origin` header could not be trusted, and no rule allows `"*"`.
    MalformedOrigin(MalformedOrigin),
    /// The origin is well formed but no rule's origin patterns match it.
    OriginNotAllowed {
        /// The request's origin.
        origin: &'a str,
    },
    /// The preflight's `Access-Control-Request-*` headers are malformed.
    MalformedPreflight(MalformedPreflight),
    /// The first rule whose origins match does not allow the method (and no
    /// later rule allows the whole request).
    MethodNotAllowed {
        /// The first rule whose origin patterns matched.
        rule: RuleRef<'a>,
        /// The (requested) method.
        method: &'a str,
    },
    /// The first rule whose origins and method match does not allow one of
    /// the requested headers (and no later rule allows the whole request).
    HeaderNotAllowed {
        /// The first rule whose origin patterns and methods matched.
        rule: RuleRef<'a>,
        /// The first requested header the rule does not allow.
        header: &'a str,
    },
}

impl fmt::Display for Denial<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Denial::MalformedOrigin(why) => write!(f, "malformed origin: {why}"),
            Denial::OriginNotAllowed { origin } => {
                write!(f, "origin `{origin}` is not allowed by any rule")
            }
            Denial::MalformedPreflight(why) => write!(f, "malformed preflight: {why}"),
            Denial::MethodNotAllowed { rule, method } => write!(
                f,
                "the origin matches {rule}, but its methods do not include `{method}` \
                 (methods are case-sensitive)"
            ),
            Denial::HeaderNotAllowed { rule, header } => write!(
                f,
                "the origin and method match {rule}, but it does not allow the request header `{header}`"
            ),
        }
    }
}

impl std::error::Error for Denial<'_> {
    /// The malformed header behind a [`Denial::MalformedOrigin`] or
    /// [`Denial::MalformedPreflight`].
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Denial::MalformedOrigin(malformed) => Some(malformed),
            Denial::MalformedPreflight(malformed) => Some(malformed),
            _ => None,
        }
    }
}

/// The rule that allowed a request, in the form of the matcher that owns it.
#[derive(Debug)]
pub(crate) enum RuleData<'a> {
    /// A rule of the DSL.
    Strict(&'a Rule),
    /// A rule of an S3 configuration.
    S3(&'a S3Rule),
}

impl RuleData<'_> {
    /// Whether the rule allows the (requested) method.
    pub(crate) fn allows_method(&self, method: &str) -> bool {
        match self {
            RuleData::Strict(rule) => rule.methods.allows(method),
            RuleData::S3(rule) => rule.allows_method(method),
        }
    }

    /// Whether the rule allows the requested header `name`.
    pub(crate) fn allows_header(&self, name: &[u8]) -> bool {
        match self {
            RuleData::Strict(rule) => rule.headers.allows(name),
            RuleData::S3(rule) => rule.allows_header(name),
        }
    }
}

impl Clone for RuleData<'_> {
    fn clone(&self) -> Self {
        *self
    }
}
impl Copy for RuleData<'_> {}

/// The request-specific parts of an allowed request.
#[derive(Debug)]
pub(crate) struct Allowed<'a, V> {
    pub(crate) rule: RuleRef<'a>,
    pub(crate) rule_data: RuleData<'a>,
    pub(crate) origin: &'a V,
    pub(crate) method: &'a str,
    pub(crate) method_value: Option<&'a V>,
    pub(crate) request_headers: Option<&'a V>,
}

impl<V> Clone for Allowed<'_, V> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<V> Copy for Allowed<'_, V> {}

#[derive(Debug)]
enum Verdict<'a, V> {
    NotCors,
    Allowed(Allowed<'a, V>),
    Denied(Denial<'a>),
}

impl<V> Clone for Verdict<'_, V> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<V> Copy for Verdict<'_, V> {}

/// What a [`Policy`] decided about one request: returned by
/// [`Policy::evaluate`], it borrows the policy and the request's headers.
///
/// - [`preflight_status`](Decision::preflight_status) says whether the
///   middleware must answer the request itself (a preflight) and with which status;
/// - [`apply`](Decision::apply) adds the CORS response headers;
/// - `Display` says in one line why the request was allowed or denied, for logs.
///
/// `V` is the type of the request's header values: `http` 1.x's
/// [`HeaderValue`] for [`Policy::evaluate`]; the adapters use it to read
/// other frameworks' headers without converting them.
#[derive(Debug)]
pub struct Decision<'a, V = HeaderValue> {
    semantics: Semantics,
    kind: RequestKind,
    verdict: Verdict<'a, V>,
}

/// Which matcher decided, for the headers that differ between them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Semantics {
    /// The DSL's: `Vary` on every preflight answer, and `Vary: Origin` on
    /// the others unless every rule allows `"*"` (`vary_origin` false).
    Strict { vary_origin: bool },
    /// S3's: `Vary` only on the answers of a rule that matched.
    S3,
}

impl<V> Clone for Decision<'_, V> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<V> Copy for Decision<'_, V> {}

/// Where the value of one CORS response header comes from.
#[derive(Debug)]
pub(crate) enum Output<'a, V> {
    /// A value the DSL's macro fixed at compile time.
    Policy(&'a StaticValue),
    /// A value of an S3 rule, built when the configuration was loaded.
    Value(&'a HeaderValue),
    /// A value built for this request (S3's lowercased header list).
    Built(HeaderValue),
    /// A constant of the protocol (`*`, `true`).
    Constant(&'static str),
    /// A value of the request, echoed (origin, requested method or headers).
    Request(&'a V),
}

/// [`Output`] owned, so that it outlives the request.
#[derive(Debug, Clone)]
#[cfg_attr(not(any(feature = "tower", feature = "actix")), allow(dead_code))]
pub(crate) enum OwnedOutput<V> {
    Policy(StaticValue),
    Value(HeaderValue),
    Constant(&'static str),
    Request(V),
}

impl<V: Clone> From<Output<'_, V>> for OwnedOutput<V> {
    fn from(output: Output<'_, V>) -> Self {
        match output {
            Output::Policy(value) => OwnedOutput::Policy(value.clone()),
            Output::Value(value) => OwnedOutput::Value(value.clone()),
            Output::Built(value) => OwnedOutput::Value(value),
            Output::Constant(text) => OwnedOutput::Constant(text),
            Output::Request(value) => OwnedOutput::Request(value.clone()),
        }
    }
}

/// The most CORS headers one answer carries (besides `Vary`).
#[cfg_attr(not(any(feature = "tower", feature = "actix")), allow(dead_code))]
const MAX_HEADERS: usize = 6;

/// The CORS headers of an actual request's response, owned so that the
/// request can be moved into the service before the response exists.
#[derive(Debug, Clone)]
#[cfg_attr(not(any(feature = "tower", feature = "actix")), allow(dead_code))]
pub(crate) enum ActualHeaders<V> {
    /// The DSL's answer (and every denial): at most three headers, kept
    /// small because it travels in every response future.
    Small {
        /// `None` when the request was denied or is not CORS.
        allow_origin: Option<OwnedOutput<V>>,
        credentials: bool,
        expose_headers: Option<StaticValue>,
        vary: Option<VaryOn>,
    },
    /// An S3 rule's answer: up to six headers, boxed.
    Listed(Box<ListedHeaders<V>>),
}

/// Headers listed one by one, with their `Vary`.
#[derive(Debug, Clone)]
#[cfg_attr(not(any(feature = "tower", feature = "actix")), allow(dead_code))]
pub(crate) struct ListedHeaders<V> {
    pub(crate) headers: [Option<(HeaderName, OwnedOutput<V>)>; MAX_HEADERS],
    pub(crate) vary: Option<VaryOn>,
}

impl<V> ActualHeaders<V> {
    /// Calls `emit` with each header, then returns the `Vary` to merge.
    #[cfg_attr(not(any(feature = "tower", feature = "actix")), allow(dead_code))]
    pub(crate) fn drain(self, mut emit: impl FnMut(HeaderName, OwnedOutput<V>)) -> Option<VaryOn> {
        match self {
            ActualHeaders::Small {
                allow_origin,
                credentials,
                expose_headers,
                vary,
            } => {
                if let Some(origin) = allow_origin {
                    emit(ACCESS_CONTROL_ALLOW_ORIGIN, origin);
                    if credentials {
                        emit(
                            ACCESS_CONTROL_ALLOW_CREDENTIALS,
                            OwnedOutput::Constant("true"),
                        );
                    }
                    if let Some(expose) = expose_headers {
                        emit(ACCESS_CONTROL_EXPOSE_HEADERS, OwnedOutput::Policy(expose));
                    }
                }
                vary
            }
            ActualHeaders::Listed(listed) => {
                let ListedHeaders { headers, vary } = *listed;
                for (name, output) in headers.into_iter().flatten() {
                    emit(name, output);
                }
                vary
            }
        }
    }
}

impl<'a, V> Decision<'a, V> {
    pub(crate) fn not_cors(semantics: Semantics) -> Self {
        Decision {
            semantics,
            kind: RequestKind::NotCors,
            verdict: Verdict::NotCors,
        }
    }

    pub(crate) fn denied(semantics: Semantics, kind: RequestKind, denial: Denial<'a>) -> Self {
        Decision {
            semantics,
            kind,
            verdict: Verdict::Denied(denial),
        }
    }

    pub(crate) fn allowed(
        semantics: Semantics,
        kind: RequestKind,
        allowed: Allowed<'a, V>,
    ) -> Self {
        Decision {
            semantics,
            kind,
            verdict: Verdict::Allowed(allowed),
        }
    }

    /// What kind of request this is.
    pub fn kind(&self) -> RequestKind {
        self.kind
    }

    /// Whether the request is a CORS request that the policy allows.
    pub fn is_allowed(&self) -> bool {
        matches!(self.verdict, Verdict::Allowed(_))
    }

    /// The rule that allowed the request, if any.
    pub fn matched_rule(&self) -> Option<RuleRef<'a>> {
        match self.verdict {
            Verdict::Allowed(allowed) => Some(allowed.rule),
            _ => None,
        }
    }

    /// Why the request was denied, if it was a CORS request and was denied.
    pub fn denial(&self) -> Option<Denial<'a>> {
        match self.verdict {
            Verdict::Denied(denial) => Some(denial),
            _ => None,
        }
    }

    /// For a preflight, the status the middleware answers with itself:
    /// `204 No Content` when allowed (`200 OK` for an S3 configuration, as
    /// S3 answers) and `403 Forbidden` when denied. `None` for every other
    /// request, which the service must handle (CORS never blocks a request
    /// on the server side).
    pub fn preflight_status(&self) -> Option<StatusCode> {
        match (self.kind, &self.verdict) {
            (RequestKind::Preflight, Verdict::Allowed(allowed)) => Some(match allowed.rule_data {
                RuleData::Strict(_) => StatusCode::NO_CONTENT,
                RuleData::S3(_) => StatusCode::OK,
            }),
            (RequestKind::Preflight, _) => Some(StatusCode::FORBIDDEN),
            _ => None,
        }
    }

    /// Calls `emit` with each `Access-Control-*` header of the answer, in a
    /// fixed order; nothing for a denied or non-CORS request.
    pub(crate) fn headers(&self, mut emit: impl FnMut(HeaderName, Output<'a, V>))
    where
        V: AsRef<[u8]>,
    {
        let Verdict::Allowed(allowed) = self.verdict else {
            return;
        };
        match allowed.rule_data {
            RuleData::Strict(rule) => {
                let preflight = self.kind == RequestKind::Preflight;
                if rule.any_origin && !rule.credentials {
                    emit(ACCESS_CONTROL_ALLOW_ORIGIN, Output::Constant("*"));
                } else {
                    emit(ACCESS_CONTROL_ALLOW_ORIGIN, Output::Request(allowed.origin));
                }
                if rule.credentials {
                    emit(ACCESS_CONTROL_ALLOW_CREDENTIALS, Output::Constant("true"));
                }
                if preflight {
                    let methods = match allowed.method_value {
                        Some(requested) if rule.methods.any => Output::Request(requested),
                        _ => Output::Policy(&rule.allow_methods),
                    };
                    emit(ACCESS_CONTROL_ALLOW_METHODS, methods);
                    if let Some(requested) = allowed.request_headers {
                        emit(ACCESS_CONTROL_ALLOW_HEADERS, Output::Request(requested));
                    }
                    if let Some(max_age) = &rule.max_age {
                        emit(ACCESS_CONTROL_MAX_AGE, Output::Policy(max_age));
                    }
                } else if let Some(expose) = &rule.expose_headers {
                    emit(ACCESS_CONTROL_EXPOSE_HEADERS, Output::Policy(expose));
                }
            }
            // S3 sends the same headers on preflights and actual requests.
            RuleData::S3(rule) => {
                if rule.any_origin {
                    emit(ACCESS_CONTROL_ALLOW_ORIGIN, Output::Constant("*"));
                } else {
                    emit(ACCESS_CONTROL_ALLOW_ORIGIN, Output::Request(allowed.origin));
                    emit(ACCESS_CONTROL_ALLOW_CREDENTIALS, Output::Constant("true"));
                }
                emit(
                    ACCESS_CONTROL_ALLOW_METHODS,
                    Output::Value(&rule.allow_methods),
                );
                if let Some(requested) = allowed.request_headers {
                    if let Some(list) = s3_matcher::lowercase_list(requested.as_ref()) {
                        emit(ACCESS_CONTROL_ALLOW_HEADERS, Output::Built(list));
                    }
                }
                if let Some(expose) = &rule.expose_headers {
                    emit(ACCESS_CONTROL_EXPOSE_HEADERS, Output::Value(expose));
                }
                if let Some(max_age) = &rule.max_age {
                    emit(ACCESS_CONTROL_MAX_AGE, Output::Value(max_age));
                }
            }
        }
    }

    /// Which `Vary` tokens the answer needs.
    pub(crate) fn vary(&self) -> Option<VaryOn> {
        match self.semantics {
            Semantics::S3 => self.is_allowed().then_some(VaryOn::S3),
            Semantics::Strict { .. } if self.kind == RequestKind::Preflight => {
                Some(VaryOn::Preflight)
            }
            Semantics::Strict { vary_origin: true } => Some(VaryOn::Origin),
            Semantics::Strict { vary_origin: false } => None,
        }
    }

    /// What [`Decision::apply`] adds to the response of an actual or
    /// non-CORS request, owned (the request's origin is cloned).
    #[cfg_attr(not(any(feature = "tower", feature = "actix")), allow(dead_code))]
    pub(crate) fn actual_headers(&self) -> ActualHeaders<V>
    where
        V: Clone + AsRef<[u8]>,
    {
        let vary = self.vary();
        let allowed = match self.verdict {
            Verdict::Allowed(allowed) => allowed,
            _ => {
                return ActualHeaders::Small {
                    allow_origin: None,
                    credentials: false,
                    expose_headers: None,
                    vary,
                }
            }
        };
        match allowed.rule_data {
            RuleData::Strict(rule) => ActualHeaders::Small {
                allow_origin: Some(if rule.any_origin && !rule.credentials {
                    OwnedOutput::Constant("*")
                } else {
                    OwnedOutput::Request(allowed.origin.clone())
                }),
                credentials: rule.credentials,
                expose_headers: rule.expose_headers.clone(),
                vary,
            },
            RuleData::S3(_) => {
                let mut headers: [Option<(HeaderName, OwnedOutput<V>)>; MAX_HEADERS] =
                    Default::default();
                let mut slots = headers.iter_mut();
                self.headers(|name, output| {
                    if let Some(slot) = slots.next() {
                        *slot = Some((name, output.into()));
                    }
                });
                ActualHeaders::Listed(Box::new(ListedHeaders { headers, vary }))
            }
        }
    }
}

impl Decision<'_> {
    /// Adds the CORS headers for this decision to a response's headers.
    ///
    /// `Access-Control-*` headers are set (replacing any the service set);
    /// `Vary` is merged with what the response already has, never replaced.
    pub fn apply(&self, response_headers: &mut HeaderMap) {
        self.headers(|name, output| {
            let value = match output {
                Output::Policy(value) => value.value.clone(),
                Output::Value(value) => value.clone(),
                Output::Built(value) => value,
                Output::Constant(text) => constant(text),
                Output::Request(value) => value.clone(),
            };
            response_headers.insert(name, value);
        });
        if let Some(on) = self.vary() {
            vary::merge(response_headers, on);
        }
    }
}

impl ActualHeaders<HeaderValue> {
    /// Adds the headers to an actual request's response.
    #[cfg_attr(not(feature = "tower"), allow(dead_code))]
    pub(crate) fn apply(self, response_headers: &mut HeaderMap) {
        let vary = self.drain(|name, output| {
            let value = match output {
                OwnedOutput::Policy(value) => value.value,
                OwnedOutput::Value(value) => value,
                OwnedOutput::Constant(text) => constant(text),
                OwnedOutput::Request(value) => value,
            };
            response_headers.insert(name, value);
        });
        if let Some(on) = vary {
            vary::merge(response_headers, on);
        }
    }
}

/// `*` and `true`, built once (cloning a static `HeaderValue` is free).
static ANY: HeaderValue = HeaderValue::from_static("*");
static TRUE: HeaderValue = HeaderValue::from_static("true");

/// The prebuilt value of a protocol constant.
fn constant(text: &'static str) -> HeaderValue {
    match text {
        "*" => ANY.clone(),
        "true" => TRUE.clone(),
        other => HeaderValue::from_static(other),
    }
}

impl<V: AsRef<[u8]>> fmt::Display for Decision<'_, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.kind {
            RequestKind::Preflight => "preflight",
            _ => "request",
        };
        match &self.verdict {
            Verdict::NotCors => f.write_str("not a CORS request: no Origin header"),
            Verdict::Allowed(allowed) => {
                let origin = std::str::from_utf8(allowed.origin.as_ref()).unwrap_or("?");
                write!(
                    f,
                    "allowed {kind}: origin `{origin}` and method `{}`",
                    allowed.method
                )?;
                if let Some(headers) = allowed.request_headers {
                    let headers = std::str::from_utf8(headers.as_ref()).unwrap_or("?");
                    write!(f, " and headers `{headers}`")?;
                }
                write!(f, " match {}", allowed.rule)
            }
            Verdict::Denied(denial) => write!(f, "denied {kind}: {denial}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::error::Error;

    #[test]
    fn denials_are_errors_whose_source_is_the_malformed_header() {
        let origin = Denial::MalformedOrigin(MalformedOrigin::Null);
        let source = origin.source().map(ToString::to_string);
        assert_eq!(source, Some(MalformedOrigin::Null.to_string()));
        let preflight = Denial::MalformedPreflight(MalformedPreflight::InvalidMethod);
        let source = preflight.source().map(ToString::to_string);
        assert_eq!(source, Some(MalformedPreflight::InvalidMethod.to_string()));
        let not_allowed = Denial::OriginNotAllowed {
            origin: "https://evil.example",
        };
        assert!(not_allowed.source().is_none());
        assert!(not_allowed.to_string().contains("https://evil.example"));
    }
}
