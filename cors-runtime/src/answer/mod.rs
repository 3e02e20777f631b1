//! The neutral answer a matcher returns for an allowed request: which
//! `Access-Control-*` headers to send and where each value comes from, with
//! nothing left that depends on which matcher decided. The writer turns it
//! into headers of either header-map type.

pub(crate) mod decision;
pub(crate) mod denial;
cfg_adapters! {
    pub(crate) mod owned;
}
#[cfg(feature = "tower")]
pub(crate) mod pending;
pub(crate) mod refusal;
pub(crate) mod value;
pub(crate) mod vary;
pub(crate) mod writer;

use std::borrow::Cow;

use http::StatusCode;

use crate::answer::value::PrebuiltValue;
use crate::front::{RequestKind, RequestValue};

/// Where the value of one response header comes from.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Value<'a> {
    /// A value of the policy, fixed when it was built.
    Policy(&'a PrebuiltValue),
    /// `*`: any origin (only `Access-Control-Allow-Origin` uses it).
    Any,
    /// A request value, echoed (the origin, the requested method or headers).
    Echo(RequestValue<'a>),
    /// A requested header list, its names lowercased, trimmed and joined by
    /// `", "` (S3's `Access-Control-Allow-Headers`; built when written).
    #[cfg(feature = "s3")]
    LowercaseList(RequestValue<'a>),
}

/// The CORS response headers the runtime writes (besides `Vary`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ResponseHeader {
    AllowOrigin,
    AllowCredentials,
    AllowMethods,
    AllowHeaders,
    ExposeHeaders,
    MaxAge,
}

/// What an allowed request is answered with.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Answer<'a> {
    /// `Access-Control-Allow-Origin`: `*`, or the request's origin echoed.
    pub(crate) allow_origin: Value<'a>,
    /// `Access-Control-Allow-Credentials: true`.
    pub(crate) allow_credentials: bool,
    /// `Access-Control-Allow-Methods`.
    pub(crate) allow_methods: Option<Value<'a>>,
    /// `Access-Control-Allow-Headers`.
    pub(crate) allow_headers: Option<Value<'a>>,
    /// `Access-Control-Expose-Headers`.
    pub(crate) expose_headers: Option<&'a PrebuiltValue>,
    /// `Access-Control-Max-Age`.
    pub(crate) max_age: Option<&'a PrebuiltValue>,
    /// The status of an allowed preflight's answer.
    pub(crate) preflight_status: StatusCode,
}

/// What a rule answers the requests it allows with, held by the rule (of
/// either matcher): an allowed request's [`Answer`] is derived from it and
/// the request's values where the answer is read.
#[derive(Debug, Clone)]
pub(crate) struct RuleAnswer {
    /// The rule's `id`, when the policy gave one.
    pub(crate) id: Option<Cow<'static, str>>,
    /// `Access-Control-Allow-Origin: *` (else the origin is echoed).
    pub(crate) any_origin: bool,
    /// `Access-Control-Allow-Credentials: true`.
    pub(crate) credentials: bool,
    /// A preflight's requested method is echoed as
    /// `Access-Control-Allow-Methods` (a DSL rule allowing any method).
    pub(crate) echo_method: bool,
    /// `Access-Control-Allow-Methods`, when the method is not echoed.
    pub(crate) allow_methods: PrebuiltValue,
    /// `Access-Control-Expose-Headers`.
    pub(crate) expose_headers: Option<PrebuiltValue>,
    /// `Access-Control-Max-Age`.
    pub(crate) max_age: Option<PrebuiltValue>,
    /// Which semantics the answer follows.
    pub(crate) shape: AnswerShape,
}

/// The semantics of a [`RuleAnswer`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AnswerShape {
    /// A DSL rule's: `204` to a preflight, which gets the methods, the
    /// requested headers echoed and the max-age; an actual request gets
    /// the expose list.
    Dsl,
    /// Amazon S3's: `200` to a preflight, the same headers on preflights
    /// and actual requests, the requested headers lowercased.
    #[cfg(feature = "s3")]
    S3,
}

impl RuleAnswer {
    /// The answer to an allowed request of this `kind` from `origin`;
    /// `method_value` is a preflight's requested method, `list` the
    /// requested header list when it names at least one header.
    #[inline(always)]
    pub(crate) fn answer<'a>(
        &'a self,
        kind: RequestKind,
        origin: RequestValue<'a>,
        method_value: Option<RequestValue<'a>>,
        list: Option<RequestValue<'a>>,
    ) -> Answer<'a> {
        let allow_origin = if self.any_origin {
            Value::Any
        } else {
            Value::Echo(origin)
        };
        match self.shape {
            AnswerShape::Dsl => {
                let preflight = kind == RequestKind::Preflight;
                let allow_methods = preflight.then_some(match method_value {
                    Some(method) if self.echo_method => Value::Echo(method),
                    _ => Value::Policy(&self.allow_methods),
                });
                Answer {
                    allow_origin,
                    allow_credentials: self.credentials,
                    allow_methods,
                    allow_headers: if preflight {
                        list.map(Value::Echo)
                    } else {
                        None
                    },
                    expose_headers: if preflight {
                        None
                    } else {
                        self.expose_headers.as_ref()
                    },
                    max_age: if preflight {
                        self.max_age.as_ref()
                    } else {
                        None
                    },
                    preflight_status: StatusCode::NO_CONTENT,
                }
            }
            #[cfg(feature = "s3")]
            AnswerShape::S3 => Answer {
                allow_origin,
                allow_credentials: self.credentials,
                allow_methods: Some(Value::Policy(&self.allow_methods)),
                allow_headers: list.map(Value::LowercaseList),
                expose_headers: self.expose_headers.as_ref(),
                max_age: self.max_age.as_ref(),
                preflight_status: StatusCode::OK,
            },
        }
    }
}
