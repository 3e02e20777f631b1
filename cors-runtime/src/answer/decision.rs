//! [`Decision`]: what a policy says about one request (the neutral answer
//! of the rule that allowed it, or the [`Denial`]), and the `Vary` tokens its
//! response needs; [`Decision::apply`] hands both to the writer.

use std::fmt;

use http::{HeaderMap, StatusCode};

use crate::answer::denial::{Denial, RuleRef};
cfg_adapters! {
    use crate::answer::owned::OwnedAnswer;
}
use crate::answer::refusal::{Pass, Refusal};
use crate::answer::vary::VaryOn;
use crate::answer::writer;
use crate::answer::{Answer, RuleAnswer};
use crate::front::RequestKind;
use crate::front::RequestValue;

/// The request-specific parts of an allowed request, and the rule that
/// allowed it: its answer is derived from them where it is read (the
/// writer builds it in place, field by field).
#[derive(Clone, Copy)]
pub(crate) struct Allowed<'a> {
    /// The kind of the request.
    pub(crate) kind: RequestKind,
    /// The allowing rule's position in the policy, from 0.
    pub(crate) index: usize,
    /// The allowing rule's answer.
    pub(crate) rule: &'a RuleAnswer,
    pub(crate) origin: RequestValue<'a>,
    pub(crate) method: &'a str,
    /// `Access-Control-Request-Method`, on a preflight.
    pub(crate) method_value: Option<RequestValue<'a>>,
    /// The requested header list, when it names at least one header.
    pub(crate) request_headers: Option<RequestValue<'a>>,
}

impl<'a> Allowed<'a> {
    /// The rule that allowed the request, as a decision names it.
    #[inline]
    pub(crate) fn rule_ref(&self) -> RuleRef<'a> {
        RuleRef {
            index: self.index,
            id: self.rule.id.as_deref(),
        }
    }

    /// The rule's answer to the request.
    #[inline(always)]
    pub(crate) fn answer(&self) -> Answer<'a> {
        self.rule.answer(
            self.kind,
            self.origin,
            self.method_value,
            self.request_headers,
        )
    }
}

impl writer::AnswerSource for Allowed<'_> {
    #[inline(always)]
    fn answer(&self) -> Answer<'_> {
        Allowed::answer(self)
    }
}

/// The rule named, the request's parts, then the answer derived from them.
impl fmt::Debug for Allowed<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Allowed")
            .field("rule", &self.rule_ref())
            .field("origin", &self.origin)
            .field("method", &self.method)
            .field("request_headers", &self.request_headers)
            .field("answer", &self.answer())
            .finish()
    }
}

#[derive(Debug, Clone, Copy)]
enum Verdict<'a> {
    NotCors,
    Allowed(Allowed<'a>),
    Denied(Denial<'a>),
    /// [`Denial::OriginNotAllowed`] for this origin (which passed the
    /// grammar), its text read only when the denial is asked for.
    OriginNotAllowed(RequestValue<'a>),
    /// A write the cross-origin protection refuses.
    Refused(Refusal<'a>),
}

/// What a [`Policy`](crate::Policy) decided about one request: returned by
/// [`Policy::evaluate`](crate::Policy::evaluate), it borrows the policy and
/// the request's headers.
///
/// - [`preflight_status`](Decision::preflight_status) says whether the
///   middleware must answer the request itself (a preflight, or a write the
///   cross-origin protection refuses) and with which status;
/// - [`apply`](Decision::apply) adds the CORS response headers;
/// - `Display` says in one line why the request was allowed or denied, for logs.
#[derive(Debug, Clone, Copy)]
pub struct Decision<'a> {
    kind: RequestKind,
    verdict: Verdict<'a>,
    /// The request headers the answer depends on (decided by the matcher,
    /// for denials and non-CORS requests too).
    vary: Option<VaryOn>,
    /// Why the cross-origin protection lets the request through (unused
    /// when it refuses it).
    pass: Pass,
}

impl<'a> Decision<'a> {
    pub(crate) fn not_cors(vary: Option<VaryOn>, pass: Pass) -> Self {
        Decision {
            kind: RequestKind::NotCors,
            verdict: Verdict::NotCors,
            vary,
            pass,
        }
    }

    pub(crate) fn denied(
        kind: RequestKind,
        denial: Denial<'a>,
        vary: Option<VaryOn>,
        pass: Pass,
    ) -> Self {
        Decision {
            kind,
            verdict: Verdict::Denied(denial),
            vary,
            pass,
        }
    }

    /// A request whose origin, well formed, no rule allows.
    pub(crate) fn origin_not_allowed(
        kind: RequestKind,
        origin: RequestValue<'a>,
        vary: Option<VaryOn>,
        pass: Pass,
    ) -> Self {
        Decision {
            kind,
            verdict: Verdict::OriginNotAllowed(origin),
            vary,
            pass,
        }
    }

    pub(crate) fn allowed(
        kind: RequestKind,
        allowed: Allowed<'a>,
        vary: Option<VaryOn>,
        pass: Pass,
    ) -> Self {
        Decision {
            kind,
            verdict: Verdict::Allowed(allowed),
            vary,
            pass,
        }
    }

    /// Turns this decision into the refusal of a cross-origin write: the
    /// request's kind and `Vary` stay, the CORS answer goes.
    #[inline]
    pub(crate) fn refuse(&mut self, refusal: Refusal<'a>) {
        self.verdict = Verdict::Refused(refusal);
    }

    /// Records the reason the cross-origin protection lets this decision
    /// through.
    #[inline]
    pub(crate) fn pass_with(&mut self, pass: Pass) {
        self.pass = pass;
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
            Verdict::Allowed(allowed) => Some(allowed.rule_ref()),
            _ => None,
        }
    }

    /// Why the request was denied, if it was a CORS request and was denied.
    pub fn denial(&self) -> Option<Denial<'a>> {
        match self.verdict {
            Verdict::Denied(denial) => Some(denial),
            Verdict::OriginNotAllowed(origin) => Some(Denial::OriginNotAllowed {
                origin: origin.text(),
            }),
            _ => None,
        }
    }

    /// Whether the cross-origin protection refuses the request: a write or
    /// WebSocket handshake from an origin the policy does not let act.
    pub fn is_refused(&self) -> bool {
        matches!(self.verdict, Verdict::Refused(_))
    }

    /// Why the cross-origin protection lets the request through; `None`
    /// when it refuses it ([`Decision::refusal`] says why).
    pub fn pass(&self) -> Option<Pass> {
        match self.verdict {
            Verdict::Refused(_) => None,
            _ => Some(self.pass),
        }
    }

    /// Why the cross-origin protection refuses the request, if it does.
    pub fn refusal(&self) -> Option<Refusal<'a>> {
        match self.verdict {
            Verdict::Refused(refusal) => Some(refusal),
            _ => None,
        }
    }

    /// The rule that allowed the request and whether it allows credentials.
    pub(crate) fn rule_and_credentials(&self) -> Option<(RuleRef<'a>, bool)> {
        match &self.verdict {
            Verdict::Allowed(allowed) => {
                Some((allowed.rule_ref(), allowed.answer().allow_credentials))
            }
            _ => None,
        }
    }

    /// The status the middleware answers with itself, without calling the
    /// service, if it must:
    ///
    /// - a preflight: `204 No Content` when allowed (`200 OK` for an S3
    ///   configuration, as S3 answers) and `403 Forbidden` when denied;
    /// - a write or WebSocket handshake that the cross-origin protection
    ///   refuses: `403 Forbidden`.
    ///
    /// `None` for every other request, which the service must handle (CORS
    /// never blocks a request on the server side).
    pub fn preflight_status(&self) -> Option<StatusCode> {
        // The kind first: most requests are not preflights, and then only a
        // refusal is answered by the middleware.
        if self.kind != RequestKind::Preflight {
            return matches!(self.verdict, Verdict::Refused(_)).then_some(StatusCode::FORBIDDEN);
        }
        match &self.verdict {
            Verdict::Allowed(allowed) => Some(allowed.answer().preflight_status),
            _ => Some(StatusCode::FORBIDDEN),
        }
    }

    /// The request headers the response varies on.
    #[cfg(feature = "tower")]
    pub(crate) fn vary(&self) -> Option<VaryOn> {
        self.vary
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
        let allowed = match &self.verdict {
            Verdict::Allowed(allowed) => Some(allowed),
            _ => None,
        };
        writer::write(response_headers, allowed, self.vary);
    }
}

cfg_adapters! {
    impl<'a> Decision<'a> {
        /// The answer of an allowed request; `None` for a denied or non-CORS
        /// one.
        pub(crate) fn answer(&self) -> Option<Answer<'a>> {
            match &self.verdict {
                Verdict::Allowed(allowed) => Some(allowed.answer()),
                _ => None,
            }
        }

        /// What [`Decision::apply`] adds to the response of an actual or
        /// non-CORS request, owned (the request's origin is cloned).
        pub(crate) fn actual_headers(&self) -> ActualHeaders {
            ActualHeaders {
                answer: self.answer().map(|answer| answer.into_owned()),
                vary: self.vary,
            }
        }
    }

    /// The CORS headers of an actual request's response, owned so that the
    /// request can be moved into the service before the response exists.
    #[derive(Debug, Clone)]
    pub(crate) struct ActualHeaders {
        /// `None` when the request was denied or is not CORS.
        answer: Option<OwnedAnswer>,
        vary: Option<VaryOn>,
    }

    impl ActualHeaders {
        /// Adds the headers to the response's header map (of either `http`
        /// version).
        pub(crate) fn apply<M: writer::ResponseHeaders + ?Sized>(&self, response_headers: &mut M) {
            let answer = self.answer.as_ref().map(OwnedAnswer::as_answer);
            writer::write(response_headers, answer.as_ref(), self.vary);
        }
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
                write!(f, " match {}", allowed.rule_ref())
            }
            Verdict::Denied(denial) => write!(f, "denied {kind}: {denial}"),
            Verdict::OriginNotAllowed(origin) => {
                let denial = Denial::OriginNotAllowed {
                    origin: origin.text(),
                };
                write!(f, "denied {kind}: {denial}")
            }
            Verdict::Refused(refusal) => write!(f, "{refusal}"),
        }
    }
}
