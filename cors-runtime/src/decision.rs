//! [`Decision`]: what a policy says about one request (the neutral answer
//! of the rule that allowed it, or the [`Denial`]), and the `Vary` tokens its
//! response needs; [`Decision::apply`] hands both to the writer.

use std::fmt;

use http::{HeaderMap, StatusCode};

use crate::answer::Answer;
#[cfg(feature = "policy-sources")]
use crate::answer::OwnedAnswer;
use crate::front::RequestKind;
use crate::front::RequestValue;
use crate::origin::MalformedOrigin;
use crate::request_headers::MalformedPreflight;
use crate::vary::VaryOn;
use crate::writer;

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

/// The request-specific parts of an allowed request, and its answer.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Allowed<'a> {
    pub(crate) rule: RuleRef<'a>,
    pub(crate) origin: RequestValue<'a>,
    pub(crate) method: &'a str,
    pub(crate) request_headers: Option<RequestValue<'a>>,
    pub(crate) answer: Answer<'a>,
}

#[derive(Debug, Clone, Copy)]
enum Verdict<'a> {
    NotCors,
    Allowed(Allowed<'a>),
    Denied(Denial<'a>),
}

/// What a [`Policy`](crate::Policy) decided about one request: returned by
/// [`Policy::evaluate`](crate::Policy::evaluate), it borrows the policy and
/// the request's headers.
///
/// - [`preflight_status`](Decision::preflight_status) says whether the
///   middleware must answer the request itself (a preflight) and with which status;
/// - [`apply`](Decision::apply) adds the CORS response headers;
/// - `Display` says in one line why the request was allowed or denied, for logs.
#[derive(Debug, Clone, Copy)]
pub struct Decision<'a> {
    kind: RequestKind,
    verdict: Verdict<'a>,
    /// The request headers the answer depends on (decided by the matcher,
    /// for denials and non-CORS requests too).
    vary: Option<VaryOn>,
}

impl<'a> Decision<'a> {
    pub(crate) fn not_cors(vary: Option<VaryOn>) -> Self {
        Decision {
            kind: RequestKind::NotCors,
            verdict: Verdict::NotCors,
            vary,
        }
    }

    pub(crate) fn denied(kind: RequestKind, denial: Denial<'a>, vary: Option<VaryOn>) -> Self {
        Decision {
            kind,
            verdict: Verdict::Denied(denial),
            vary,
        }
    }

    pub(crate) fn allowed(kind: RequestKind, allowed: Allowed<'a>, vary: Option<VaryOn>) -> Self {
        Decision {
            kind,
            verdict: Verdict::Allowed(allowed),
            vary,
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
            (RequestKind::Preflight, Verdict::Allowed(allowed)) => {
                Some(allowed.answer.preflight_status)
            }
            (RequestKind::Preflight, _) => Some(StatusCode::FORBIDDEN),
            _ => None,
        }
    }

    /// The answer of an allowed request; `None` for a denied or non-CORS one.
    pub(crate) fn answer(&self) -> Option<&Answer<'a>> {
        match &self.verdict {
            Verdict::Allowed(allowed) => Some(&allowed.answer),
            _ => None,
        }
    }

    /// What [`Decision::apply`] adds to the response of an actual or
    /// non-CORS request, owned (the request's origin is cloned).
    #[cfg(feature = "policy-sources")]
    pub(crate) fn actual_headers(&self) -> ActualHeaders {
        ActualHeaders {
            answer: self.answer().map(|answer| answer.into_owned()),
            vary: self.vary,
        }
    }

    /// Adds the CORS headers for this decision to a response's headers.
    ///
    /// `Access-Control-*` headers are set (replacing any the service set);
    /// `Vary` is merged with what the response already has, never replaced.
    #[inline]
    pub fn apply(&self, response_headers: &mut HeaderMap) {
        self.apply_to(response_headers);
    }

    /// [`Decision::apply`] into a header map of any supported `http` version.
    #[inline]
    pub(crate) fn apply_to<M: writer::ResponseHeaders + ?Sized>(&self, response_headers: &mut M) {
        writer::write(response_headers, self.answer(), self.vary);
    }
}

/// The CORS headers of an actual request's response, owned so that the
/// request can be moved into the service before the response exists.
#[cfg(feature = "policy-sources")]
#[derive(Debug, Clone)]
pub(crate) struct ActualHeaders {
    /// `None` when the request was denied or is not CORS.
    answer: Option<OwnedAnswer>,
    vary: Option<VaryOn>,
}

#[cfg(feature = "policy-sources")]
impl ActualHeaders {
    /// Adds the headers to the response's header map (of either `http`
    /// version).
    pub(crate) fn apply<M: writer::ResponseHeaders + ?Sized>(&self, response_headers: &mut M) {
        let answer = self.answer.as_ref().map(OwnedAnswer::as_answer);
        writer::write(response_headers, answer.as_ref(), self.vary);
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
                let origin = std::str::from_utf8(allowed.origin.as_bytes()).unwrap_or("?");
                write!(
                    f,
                    "allowed {kind}: origin `{origin}` and method `{}`",
                    allowed.method
                )?;
                if let Some(headers) = allowed.request_headers {
                    let headers = std::str::from_utf8(headers.as_bytes()).unwrap_or("?");
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
