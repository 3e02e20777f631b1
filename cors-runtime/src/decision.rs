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
use crate::vary::{self, VaryOn};
use crate::Policy;

/// What kind of request a [`Decision`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
pub struct RuleRef {
    /// The rule's position in the policy, from 0.
    pub index: usize,
    /// The rule's `id`, if it has one.
    pub id: Option<&'static str>,
}

impl fmt::Display for RuleRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.id {
            Some(id) => write!(f, "rule {} (`{id}`)", self.index),
            None => write!(f, "rule {}", self.index),
        }
    }
}

/// Why a CORS request was denied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
        rule: RuleRef,
        /// The (requested) method.
        method: &'a str,
    },
    /// The first rule whose origins and method match does not allow one of
    /// the requested headers (and no later rule allows the whole request).
    HeaderNotAllowed {
        /// The first rule whose origin patterns and methods matched.
        rule: RuleRef,
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

/// The request-specific parts of an allowed request.
#[derive(Debug)]
pub(crate) struct Allowed<'a, V> {
    pub(crate) rule: RuleRef,
    pub(crate) rule_data: &'a Rule,
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
    policy: &'a Policy,
    kind: RequestKind,
    verdict: Verdict<'a, V>,
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
    /// A value the policy fixed at compile time.
    Policy(&'a StaticValue),
    /// A constant of the protocol (`*`, `true`).
    Constant(&'static str),
    /// A value of the request, echoed (origin, requested method or headers).
    Request(&'a V),
}

/// The CORS headers of an actual request's response, owned so that the
/// request can be moved into the service before the response exists.
#[derive(Debug, Clone)]
pub(crate) struct ActualHeaders<V> {
    /// `None`: the request was denied or is not CORS.
    pub(crate) allow_origin: Option<AllowOrigin<V>>,
    pub(crate) credentials: bool,
    pub(crate) expose_headers: Option<StaticValue>,
    pub(crate) vary_origin: bool,
}

/// `Access-Control-Allow-Origin` of an allowed actual request.
#[derive(Debug, Clone)]
pub(crate) enum AllowOrigin<V> {
    Any,
    Echo(V),
}

impl<'a, V> Decision<'a, V> {
    pub(crate) fn not_cors(policy: &'a Policy) -> Self {
        Decision {
            policy,
            kind: RequestKind::NotCors,
            verdict: Verdict::NotCors,
        }
    }

    pub(crate) fn denied(policy: &'a Policy, kind: RequestKind, denial: Denial<'a>) -> Self {
        Decision {
            policy,
            kind,
            verdict: Verdict::Denied(denial),
        }
    }

    pub(crate) fn allowed(policy: &'a Policy, kind: RequestKind, allowed: Allowed<'a, V>) -> Self {
        Decision {
            policy,
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
    pub fn matched_rule(&self) -> Option<RuleRef> {
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

    /// `Some(204 No Content)` for an allowed preflight, `Some(403 Forbidden)`
    /// for a denied one, and `None` for every other request, which the
    /// service must handle (CORS never blocks a request on the server side).
    pub fn preflight_status(&self) -> Option<StatusCode> {
        match (self.kind, &self.verdict) {
            (RequestKind::Preflight, Verdict::Allowed(_)) => Some(StatusCode::NO_CONTENT),
            (RequestKind::Preflight, _) => Some(StatusCode::FORBIDDEN),
            _ => None,
        }
    }

    /// Calls `emit` with each `Access-Control-*` header of a preflight
    /// answer, in a fixed order; nothing for a denied one.
    pub(crate) fn preflight_headers(&self, mut emit: impl FnMut(HeaderName, Output<'a, V>)) {
        let Verdict::Allowed(allowed) = self.verdict else {
            return;
        };
        let rule = allowed.rule_data;
        emit(ACCESS_CONTROL_ALLOW_ORIGIN, allow_origin(&allowed));
        if rule.credentials {
            emit(ACCESS_CONTROL_ALLOW_CREDENTIALS, Output::Constant("true"));
        }
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
    }

    /// What [`Decision::apply`] adds to the response of an actual or
    /// non-CORS request, owned (the request's origin is cloned).
    pub(crate) fn actual_headers(&self) -> ActualHeaders<V>
    where
        V: Clone,
    {
        let vary_origin = !self.policy.origin_independent;
        match self.verdict {
            Verdict::Allowed(allowed) => {
                let rule = allowed.rule_data;
                let allow_origin = match allow_origin(&allowed) {
                    Output::Request(origin) => AllowOrigin::Echo(origin.clone()),
                    _ => AllowOrigin::Any,
                };
                ActualHeaders {
                    allow_origin: Some(allow_origin),
                    credentials: rule.credentials,
                    expose_headers: rule.expose_headers.clone(),
                    vary_origin,
                }
            }
            _ => ActualHeaders {
                allow_origin: None,
                credentials: false,
                expose_headers: None,
                vary_origin,
            },
        }
    }
}

/// `*` for an any-origin rule without credentials; the request's origin otherwise.
fn allow_origin<'a, V>(allowed: &Allowed<'a, V>) -> Output<'a, V> {
    let rule = allowed.rule_data;
    if rule.any_origin && !rule.credentials {
        Output::Constant("*")
    } else {
        Output::Request(allowed.origin)
    }
}

impl Decision<'_> {
    /// Adds the CORS headers for this decision to a response's headers.
    ///
    /// `Access-Control-*` headers are set (replacing any the service set);
    /// `Vary` is merged with what the response already has, never replaced.
    pub fn apply(&self, response_headers: &mut HeaderMap) {
        if self.kind == RequestKind::Preflight {
            self.preflight_headers(|name, output| {
                let value = match output {
                    Output::Policy(value) => value.value.clone(),
                    Output::Constant(text) => constant(text),
                    Output::Request(value) => value.clone(),
                };
                response_headers.insert(name, value);
            });
            vary::merge(response_headers, VaryOn::Preflight);
        } else {
            self.actual_headers().apply(response_headers);
        }
    }
}

impl ActualHeaders<HeaderValue> {
    /// Adds the headers to an actual request's response.
    pub(crate) fn apply(self, response_headers: &mut HeaderMap) {
        if let Some(origin) = self.allow_origin {
            let origin = match origin {
                AllowOrigin::Echo(origin) => origin,
                AllowOrigin::Any => ANY.clone(),
            };
            insert_actual(
                response_headers,
                origin,
                self.credentials,
                self.expose_headers.as_ref(),
            );
        }
        if self.vary_origin {
            vary::merge(response_headers, VaryOn::Origin);
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

/// `Access-Control-Allow-Origin`, `-Allow-Credentials` and `-Expose-Headers`.
fn insert_actual(
    headers: &mut HeaderMap,
    origin: HeaderValue,
    credentials: bool,
    expose: Option<&StaticValue>,
) {
    headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    if credentials {
        headers.insert(ACCESS_CONTROL_ALLOW_CREDENTIALS, TRUE.clone());
    }
    if let Some(expose) = expose {
        headers.insert(ACCESS_CONTROL_EXPOSE_HEADERS, expose.value.clone());
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
