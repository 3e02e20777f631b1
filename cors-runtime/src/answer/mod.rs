//! The neutral answer a matcher returns for an allowed request: which
//! `Access-Control-*` headers to send and where each value comes from, with
//! nothing left that depends on which matcher decided. The writer turns it
//! into headers of either header-map type.

pub(crate) mod decision;
pub(crate) mod denial;
pub(crate) mod refusal;
pub(crate) mod value;
pub(crate) mod vary;
pub(crate) mod writer;

use http::StatusCode;

use crate::answer::value::PrebuiltValue;
use crate::front::{OwnedRequestValue, RequestValue};

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

impl<'a> Answer<'a> {
    /// The answer owned, for the response of an actual request.
    #[cfg_attr(not(feature = "policy-sources"), allow(dead_code))]
    pub(crate) fn into_owned(self) -> OwnedAnswer {
        let listed = if self.allow_methods.is_some()
            || self.allow_headers.is_some()
            || self.max_age.is_some()
        {
            Some(Box::new(Listed {
                allow_methods: self.allow_methods.map(OwnedValue::from),
                allow_headers: self.allow_headers.map(OwnedValue::from),
                max_age: self.max_age.cloned(),
            }))
        } else {
            None
        };
        OwnedAnswer {
            allow_origin: self.allow_origin.into(),
            allow_credentials: self.allow_credentials,
            expose_headers: self.expose_headers.cloned(),
            listed,
        }
    }
}

/// [`Value`] owned.
#[derive(Debug, Clone)]
#[cfg_attr(not(feature = "policy-sources"), allow(dead_code))]
pub(crate) enum OwnedValue {
    Policy(PrebuiltValue),
    Any,
    Echo(OwnedRequestValue),
    LowercaseList(OwnedRequestValue),
}

impl From<Value<'_>> for OwnedValue {
    fn from(value: Value<'_>) -> Self {
        match value {
            Value::Policy(value) => OwnedValue::Policy(value.clone()),
            Value::Any => OwnedValue::Any,
            Value::Echo(value) => OwnedValue::Echo(value.to_owned_value()),
            Value::LowercaseList(value) => OwnedValue::LowercaseList(value.to_owned_value()),
        }
    }
}

#[cfg_attr(not(feature = "policy-sources"), allow(dead_code))]
impl OwnedValue {
    fn as_value(&self) -> Value<'_> {
        match self {
            OwnedValue::Policy(value) => Value::Policy(value),
            OwnedValue::Any => Value::Any,
            OwnedValue::Echo(value) => Value::Echo(value.as_request_value()),
            OwnedValue::LowercaseList(value) => Value::LowercaseList(value.as_request_value()),
        }
    }
}

/// An [`Answer`] owned, so that the request can move into the service
/// before its response exists. Kept small (it travels in every response
/// future): the headers only S3's answers send on actual requests are boxed.
#[derive(Debug, Clone)]
#[cfg_attr(not(feature = "policy-sources"), allow(dead_code))]
pub(crate) struct OwnedAnswer {
    allow_origin: OwnedValue,
    allow_credentials: bool,
    expose_headers: Option<PrebuiltValue>,
    listed: Option<Box<Listed>>,
}

/// Methods, headers and max-age, on an actual request's answer.
#[derive(Debug, Clone)]
#[cfg_attr(not(feature = "policy-sources"), allow(dead_code))]
struct Listed {
    allow_methods: Option<OwnedValue>,
    allow_headers: Option<OwnedValue>,
    max_age: Option<PrebuiltValue>,
}

#[cfg_attr(not(feature = "policy-sources"), allow(dead_code))]
impl OwnedAnswer {
    /// The answer borrowed again (the status is unused for actual requests).
    pub(crate) fn as_answer(&self) -> Answer<'_> {
        let listed = self.listed.as_deref();
        Answer {
            allow_origin: self.allow_origin.as_value(),
            allow_credentials: self.allow_credentials,
            allow_methods: listed
                .and_then(|l| l.allow_methods.as_ref())
                .map(OwnedValue::as_value),
            allow_headers: listed
                .and_then(|l| l.allow_headers.as_ref())
                .map(OwnedValue::as_value),
            expose_headers: self.expose_headers.as_ref(),
            max_age: listed.and_then(|l| l.max_age.as_ref()),
            preflight_status: StatusCode::OK,
        }
    }
}
