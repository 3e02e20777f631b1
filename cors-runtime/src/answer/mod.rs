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

use http::StatusCode;

use crate::answer::value::PrebuiltValue;
use crate::front::RequestValue;

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
