//! [`PrebuiltValue`]: a response header value fixed when a policy was built,
//! ready to be written into a response of either `http` version without
//! copying.

use http::HeaderValue;

/// A response header value fixed when the policy was built: as an `http`
/// 1.x `HeaderValue` (cloning it never allocates: a static one is built by
/// `HeaderValue::from_static`, a run-time one shares its bytes) and, for a
/// value laid out at compile time, as the same `'static` text, which
/// adapters whose frameworks use other `http` versions copy for free.
#[derive(Debug, Clone)]
pub(crate) struct PrebuiltValue {
    /// The value as static text (visible ASCII), when it has one, for the
    /// actix adapter.
    #[cfg(feature = "actix")]
    pub(crate) text: Option<&'static str>,
    /// The value, ready to clone into a response (no allocation).
    pub(crate) value: HeaderValue,
    /// A run-time value in actix-web's `http` 0.2 type, built once with the
    /// policy so that responses clone it instead of copying the text.
    #[cfg(feature = "actix")]
    pub(crate) actix: Option<actix_web::http::header::HeaderValue>,
}

impl PrebuiltValue {
    /// A value laid out at compile time (by the constructors the code
    /// `cors_policy!` generates calls).
    pub(crate) const fn from_static(text: &'static str) -> Self {
        PrebuiltValue {
            #[cfg(feature = "actix")]
            text: Some(text),
            value: HeaderValue::from_static(text),
            #[cfg(feature = "actix")]
            actix: None,
        }
    }
}

cfg_run_time_policies! {
    impl PrebuiltValue {
        /// A value built at run time; an error if `text` is not a valid
        /// header value (the checkers have already made sure it is).
        pub(crate) fn owned(text: &str) -> Result<Self, http::header::InvalidHeaderValue> {
            Ok(PrebuiltValue {
                #[cfg(feature = "actix")]
                text: None,
                value: HeaderValue::from_str(text)?,
                #[cfg(feature = "actix")]
                actix: actix_web::http::header::HeaderValue::from_str(text).ok(),
            })
        }
    }
}
