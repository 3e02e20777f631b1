//! [`Decision`]: what a policy says about one request, and the response
//! headers that say it to the browser.

use std::fmt;

use http::header::{
    ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS,
    ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_EXPOSE_HEADERS, ACCESS_CONTROL_MAX_AGE,
};
use http::{HeaderMap, HeaderValue, StatusCode};

use crate::origin::MalformedOrigin;
use crate::request_headers::MalformedPreflight;
use crate::rule::Rule;
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
#[derive(Debug, Clone, Copy)]
pub(crate) struct Allowed<'a> {
    pub(crate) rule: RuleRef,
    pub(crate) rule_data: &'a Rule,
    pub(crate) origin: &'a HeaderValue,
    pub(crate) method: &'a str,
    pub(crate) method_value: Option<&'a HeaderValue>,
    pub(crate) request_headers: Option<&'a HeaderValue>,
}

#[derive(Debug, Clone, Copy)]
enum Verdict<'a> {
    NotCors,
    Allowed(Allowed<'a>),
    Denied(Denial<'a>),
}

/// What a [`Policy`] decided about one request: returned by
/// [`Policy::evaluate`], it borrows the policy and the request's headers.
///
/// - [`preflight_status`](Decision::preflight_status) says whether the
///   middleware must answer the request itself (a preflight) and with which status;
/// - [`apply`](Decision::apply) adds the CORS response headers;
/// - `Display` says in one line why the request was allowed or denied, for logs.
#[derive(Debug, Clone, Copy)]
pub struct Decision<'a> {
    policy: &'a Policy,
    kind: RequestKind,
    verdict: Verdict<'a>,
}

impl<'a> Decision<'a> {
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

    pub(crate) fn allowed(policy: &'a Policy, kind: RequestKind, allowed: Allowed<'a>) -> Self {
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

    /// Adds the CORS headers for this decision to a response's headers.
    ///
    /// `Access-Control-*` headers are set (replacing any the service set);
    /// `Vary` is merged with what the response already has, never replaced.
    pub fn apply(&self, response_headers: &mut HeaderMap) {
        match (self.kind, &self.verdict) {
            (RequestKind::Preflight, Verdict::Allowed(allowed)) => {
                apply_origin(allowed, response_headers);
                apply_preflight(allowed, response_headers);
                vary::merge(response_headers, VaryOn::Preflight);
            }
            (RequestKind::Preflight, _) => vary::merge(response_headers, VaryOn::Preflight),
            (_, Verdict::Allowed(allowed)) => {
                apply_origin(allowed, response_headers);
                if let Some(expose) = &allowed.rule_data.expose_headers {
                    response_headers.insert(ACCESS_CONTROL_EXPOSE_HEADERS, expose.clone());
                }
                self.vary_origin(response_headers);
            }
            _ => self.vary_origin(response_headers),
        }
    }

    /// `Vary: Origin`, unless every rule allows `"*"` (then the answer to an
    /// actual request never depends on the origin).
    fn vary_origin(&self, response_headers: &mut HeaderMap) {
        if !self.policy.origin_independent {
            vary::merge(response_headers, VaryOn::Origin);
        }
    }
}

/// `Access-Control-Allow-Origin` and `-Allow-Credentials`.
fn apply_origin(allowed: &Allowed<'_>, headers: &mut HeaderMap) {
    let rule = allowed.rule_data;
    let origin = if rule.any_origin && !rule.credentials {
        HeaderValue::from_static("*")
    } else {
        allowed.origin.clone()
    };
    headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    if rule.credentials {
        headers.insert(
            ACCESS_CONTROL_ALLOW_CREDENTIALS,
            HeaderValue::from_static("true"),
        );
    }
}

/// `Access-Control-Allow-Methods`, `-Allow-Headers` and `-Max-Age`.
fn apply_preflight(allowed: &Allowed<'_>, headers: &mut HeaderMap) {
    let rule = allowed.rule_data;
    let methods = match allowed.method_value {
        Some(requested) if rule.methods.any => requested.clone(),
        _ => rule.allow_methods.clone(),
    };
    headers.insert(ACCESS_CONTROL_ALLOW_METHODS, methods);
    if let Some(requested) = allowed.request_headers {
        headers.insert(ACCESS_CONTROL_ALLOW_HEADERS, requested.clone());
    }
    if let Some(max_age) = &rule.max_age {
        headers.insert(ACCESS_CONTROL_MAX_AGE, max_age.clone());
    }
}

impl fmt::Display for Decision<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.kind {
            RequestKind::Preflight => "preflight",
            _ => "request",
        };
        match &self.verdict {
            Verdict::NotCors => f.write_str("not a CORS request: no Origin header"),
            Verdict::Allowed(allowed) => {
                let origin = allowed.origin.to_str().unwrap_or("?");
                write!(
                    f,
                    "allowed {kind}: origin `{origin}` and method `{}`",
                    allowed.method
                )?;
                if let Some(headers) = allowed.request_headers {
                    write!(f, " and headers `{}`", headers.to_str().unwrap_or("?"))?;
                }
                write!(f, " match {}", allowed.rule)
            }
            Verdict::Denied(denial) => write!(f, "denied {kind}: {denial}"),
        }
    }
}
