//! An [`Answer`] owned, for adapters whose policy may be swapped while a
//! request is in the service (feature `policy-sources`): the answer to an
//! actual request is kept until its response exists.

use http::StatusCode;

use crate::answer::value::PrebuiltValue;
use crate::answer::{Answer, Value};
use crate::front::OwnedRequestValue;

impl<'a> Answer<'a> {
    /// The answer owned, for the response of an actual request.
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
pub(crate) enum OwnedValue {
    Policy(PrebuiltValue),
    Any,
    Echo(OwnedRequestValue),
    #[cfg(feature = "s3")]
    LowercaseList(OwnedRequestValue),
}

impl From<Value<'_>> for OwnedValue {
    fn from(value: Value<'_>) -> Self {
        match value {
            Value::Policy(value) => OwnedValue::Policy(value.clone()),
            Value::Any => OwnedValue::Any,
            Value::Echo(value) => OwnedValue::Echo(value.to_owned_value()),
            #[cfg(feature = "s3")]
            Value::LowercaseList(value) => OwnedValue::LowercaseList(value.to_owned_value()),
        }
    }
}

impl OwnedValue {
    fn as_value(&self) -> Value<'_> {
        match self {
            OwnedValue::Policy(value) => Value::Policy(value),
            OwnedValue::Any => Value::Any,
            OwnedValue::Echo(value) => Value::Echo(value.as_request_value()),
            #[cfg(feature = "s3")]
            OwnedValue::LowercaseList(value) => Value::LowercaseList(value.as_request_value()),
        }
    }
}

/// An [`Answer`] owned, so that the request can move into the service
/// before its response exists. Kept small (it travels in every response
/// future): the headers only S3's answers send on actual requests are boxed.
#[derive(Debug, Clone)]
pub(crate) struct OwnedAnswer {
    allow_origin: OwnedValue,
    allow_credentials: bool,
    expose_headers: Option<PrebuiltValue>,
    listed: Option<Box<Listed>>,
}

/// Methods, headers and max-age, on an actual request's answer.
#[derive(Debug, Clone)]
struct Listed {
    allow_methods: Option<OwnedValue>,
    allow_headers: Option<OwnedValue>,
    max_age: Option<PrebuiltValue>,
}

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
