//! The one answer writer: turns a decision's [`Answer`] and `Vary` tokens
//! into response headers, for `http` 1.x's header map and (feature `actix`)
//! actix-web's `http` 0.2 one, through the private [`ResponseHeaders`] trait.
//!
//! `Access-Control-*` headers are set, replacing any the service set; `Vary`
//! is merged into what the response has, never replaced. Values are cloned
//! from the policy's prebuilt ones or from the request: nothing is copied,
//! except S3's lowercased header list, which is built per answer.

use crate::answer::value::PrebuiltValue;
use crate::answer::vary::{self, VaryOn, VaryValue};
use crate::answer::{Answer, ResponseHeader, Value};
use crate::front::RequestValue;

/// A response's header map, as the writer fills it (private: implemented for
/// the header-map types of the supported `http` versions). Only the
/// conversions differ between the types; what is written is decided once,
/// in [`write`].
pub(crate) trait ResponseHeaders {
    /// The map's header value type.
    type Value;
    /// Whether the map has no header at all.
    fn is_empty(&self) -> bool;
    /// Sets `header` to `value`, replacing what was there.
    fn insert(&mut self, header: ResponseHeader, value: Self::Value);
    /// A policy's prebuilt value (`None` only if this type refuses it, which
    /// never happens for a checked policy).
    fn policy_value(value: &PrebuiltValue) -> Option<Self::Value>;
    /// `*`, for `Access-Control-Allow-Origin`.
    const ANY: Self::Value;
    /// `true`, for `Access-Control-Allow-Credentials`.
    const TRUE: Self::Value;
    /// A request's value, echoed.
    fn echo(value: RequestValue<'_>) -> Option<Self::Value>;
    /// A value built for this answer.
    #[cfg(feature = "s3")]
    fn built(text: String) -> Option<Self::Value>;
    /// The `Vary` values to append so that the response varies on `on`.
    fn vary_additions(&self, on: VaryOn) -> [Option<VaryValue>; 3];
    /// Appends one `Vary` value.
    fn append_vary(&mut self, value: VaryValue);
}

/// What the writer reads an [`Answer`] from: the answer itself, or what it
/// is derived from (then derived where it is written, so that only the
/// parts it writes are read).
pub(crate) trait AnswerSource {
    /// The answer.
    fn answer(&self) -> Answer<'_>;
}

impl AnswerSource for Answer<'_> {
    #[inline(always)]
    fn answer(&self) -> Answer<'_> {
        *self
    }
}

/// Writes the answer `answer` holds or derives (none for a denied or
/// non-CORS request) and merges the `vary` tokens. A value the map's type
/// refuses is left out.
///
/// Inlined where a decision is applied, so that a request without an
/// answer (denied, or not CORS) costs no call; the answer's headers are
/// written by [`write_answer`], out of line.
#[inline(always)]
pub(crate) fn write<M: ResponseHeaders + ?Sized, A: AnswerSource>(
    response: &mut M,
    answer: Option<&A>,
    vary: Option<VaryOn>,
) {
    // A map that starts empty (a preflight's answer, a fresh response) has
    // no `Vary` to merge with: the combined value is appended unread.
    let fresh = response.is_empty();
    if let Some(answer) = answer {
        write_answer(response, answer);
    }
    if let Some(on) = vary {
        if fresh {
            response.append_vary(on.combined());
        } else {
            merge_vary(response, on);
        }
    }
}

/// Sets the `Access-Control-*` headers of the answer `source` gives.
#[inline(never)]
fn write_answer<M: ResponseHeaders + ?Sized, A: AnswerSource>(response: &mut M, source: &A) {
    let answer = source.answer();
    // Written header by header (not through a loop over the answer's
    // parts), so that each header's name is a constant where it is set.
    set(response, ResponseHeader::AllowOrigin, answer.allow_origin);
    if answer.allow_credentials {
        response.insert(ResponseHeader::AllowCredentials, M::TRUE);
    }
    if let Some(methods) = answer.allow_methods {
        set(response, ResponseHeader::AllowMethods, methods);
    }
    if let Some(headers) = answer.allow_headers {
        set(response, ResponseHeader::AllowHeaders, headers);
    }
    if let Some(expose) = answer.expose_headers {
        set(
            response,
            ResponseHeader::ExposeHeaders,
            Value::Policy(expose),
        );
    }
    if let Some(max_age) = answer.max_age {
        set(response, ResponseHeader::MaxAge, Value::Policy(max_age));
    }
}

/// Appends to a response's `Vary` the tokens of `on` it does not list yet.
#[inline(never)]
fn merge_vary<M: ResponseHeaders + ?Sized>(response: &mut M, on: VaryOn) {
    for value in response.vary_additions(on).into_iter().flatten() {
        response.append_vary(value);
    }
}

/// Sets `header` to `value` converted to the map's type (left out if the
/// type refuses it).
#[inline(always)]
fn set<M: ResponseHeaders + ?Sized>(response: &mut M, header: ResponseHeader, value: Value<'_>) {
    let value = match value {
        Value::Policy(value) => M::policy_value(value),
        Value::Any => Some(M::ANY),
        Value::Echo(value) => M::echo(value),
        #[cfg(feature = "s3")]
        Value::LowercaseList(value) => lowercase_list(value).and_then(M::built),
    };
    if let Some(value) = value {
        response.insert(header, value);
    }
}

/// S3's `Access-Control-Allow-Headers`: the requested names lowercased,
/// trimmed, empty ones dropped, in request order, joined by `", "`, in one
/// allocation. `None` when no name is left, or when a byte is not ASCII
/// (never: the list was checked to be tokens before the rule allowed it).
#[cfg(feature = "s3")]
fn lowercase_list(value: RequestValue<'_>) -> Option<String> {
    let bytes = value.as_bytes();
    if !bytes.is_ascii() {
        return None;
    }
    let mut list = String::with_capacity(bytes.len() * 2);
    for name in bytes.split(|b| *b == b',') {
        let name = name.trim_ascii();
        if name.is_empty() {
            continue;
        }
        if !list.is_empty() {
            list.push_str(", ");
        }
        list.extend(name.iter().map(|b| char::from(b.to_ascii_lowercase())));
    }
    (!list.is_empty()).then_some(list)
}

/// The name of each [`ResponseHeader`] in the `header` module in scope (both
/// `http` versions name their constants alike).
macro_rules! response_header_name {
    ($header:expr) => {
        match $header {
            ResponseHeader::AllowOrigin => header::ACCESS_CONTROL_ALLOW_ORIGIN,
            ResponseHeader::AllowCredentials => header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
            ResponseHeader::AllowMethods => header::ACCESS_CONTROL_ALLOW_METHODS,
            ResponseHeader::AllowHeaders => header::ACCESS_CONTROL_ALLOW_HEADERS,
            ResponseHeader::ExposeHeaders => header::ACCESS_CONTROL_EXPOSE_HEADERS,
            ResponseHeader::MaxAge => header::ACCESS_CONTROL_MAX_AGE,
        }
    };
}

mod http1 {
    use http::header::{self, HeaderMap, HeaderValue};

    use super::*;

    impl ResponseHeaders for HeaderMap {
        type Value = HeaderValue;

        #[inline]
        fn is_empty(&self) -> bool {
            HeaderMap::is_empty(self)
        }

        #[inline]
        fn insert(&mut self, header: ResponseHeader, value: HeaderValue) {
            self.insert(response_header_name!(header), value);
        }

        #[inline]
        fn policy_value(value: &PrebuiltValue) -> Option<HeaderValue> {
            Some(value.value.clone())
        }

        const ANY: HeaderValue = HeaderValue::from_static("*");
        const TRUE: HeaderValue = HeaderValue::from_static("true");

        #[inline]
        fn echo(value: RequestValue<'_>) -> Option<HeaderValue> {
            match value {
                RequestValue::Http(value) => Some(value.clone()),
                #[cfg(feature = "actix")]
                RequestValue::Actix(value) => HeaderValue::from_bytes(value.as_bytes()).ok(),
            }
        }

        #[cfg(feature = "s3")]
        fn built(text: String) -> Option<HeaderValue> {
            HeaderValue::try_from(text).ok()
        }

        #[inline]
        fn vary_additions(&self, on: VaryOn) -> [Option<VaryValue>; 3] {
            vary::additions(
                self.get_all(header::VARY).iter().map(HeaderValue::as_bytes),
                on,
            )
        }

        #[inline]
        fn append_vary(&mut self, value: VaryValue) {
            self.append(header::VARY, value.header_value());
        }
    }
}

#[cfg(feature = "actix")]
mod actix {
    use actix_web::http::header::{self, HeaderMap, HeaderValue};

    use super::*;

    impl ResponseHeaders for HeaderMap {
        type Value = HeaderValue;

        fn is_empty(&self) -> bool {
            HeaderMap::is_empty(self)
        }

        fn insert(&mut self, header: ResponseHeader, value: HeaderValue) {
            self.insert(response_header_name!(header), value);
        }

        /// Static text was validated when the policy's `http` 1.x value was
        /// built at compile time, and both versions accept the same bytes; a
        /// run-time value was built once in this type too.
        fn policy_value(value: &PrebuiltValue) -> Option<HeaderValue> {
            match (value.text, &value.actix) {
                (Some(text), _) => Some(HeaderValue::from_static(text)),
                (None, Some(actix)) => Some(actix.clone()),
                (None, None) => HeaderValue::from_bytes(value.value.as_bytes()).ok(),
            }
        }

        const ANY: HeaderValue = HeaderValue::from_static("*");
        const TRUE: HeaderValue = HeaderValue::from_static("true");

        fn echo(value: RequestValue<'_>) -> Option<HeaderValue> {
            match value {
                RequestValue::Actix(value) => Some(value.clone()),
                RequestValue::Http(value) => HeaderValue::from_bytes(value.as_bytes()).ok(),
            }
        }

        #[cfg(feature = "s3")]
        fn built(text: String) -> Option<HeaderValue> {
            HeaderValue::try_from(text).ok()
        }

        fn vary_additions(&self, on: VaryOn) -> [Option<VaryValue>; 3] {
            vary::additions(self.get_all(header::VARY).map(HeaderValue::as_bytes), on)
        }

        fn append_vary(&mut self, value: VaryValue) {
            self.append(header::VARY, HeaderValue::from_static(value.text()));
        }
    }
}

#[cfg(all(test, feature = "s3"))]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn list(text: &'static str) -> Option<String> {
        let value = HeaderValue::from_static(text);
        lowercase_list(RequestValue::Http(&value))
    }

    #[test]
    fn s3_lists_are_lowercased_trimmed_and_joined() {
        assert_eq!(
            list(" X-Amz-Date , ,Content-Type").as_deref(),
            Some("x-amz-date, content-type")
        );
        assert_eq!(list("a").as_deref(), Some("a"));
        assert_eq!(list(" , ,"), None);
        assert_eq!(list(""), None);
        let latin1 = HeaderValue::from_bytes(b"x-\xe9t\xe9").unwrap();
        assert_eq!(lowercase_list(RequestValue::Http(&latin1)), None);
    }
}
