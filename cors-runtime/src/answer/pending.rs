//! The CORS headers of an actual request's response in an `http` 1.x map
//! (feature `tower`), taken from its decision before the request moves
//! into the service, and written when the response exists.

use http::{HeaderMap, HeaderValue};

use crate::answer::decision::{ActualHeaders, Decision};
use crate::answer::vary::VaryOn;
use crate::answer::writer::{self, ResponseHeaders};
use crate::answer::{Answer, ResponseHeader, Value};

/// The CORS headers of an actual request's response: the header values
/// themselves, moved into the response when it exists.
#[derive(Debug)]
pub(crate) enum PendingHeaders {
    /// Denied, or not a CORS request: `Vary` only.
    Vary(Option<VaryOn>),
    /// An answer of origin, credentials and exposed headers only (every
    /// DSL answer to an actual request). A value `None` is one the map
    /// refuses, left out as the writer leaves it out.
    Origin {
        allow_origin: Option<HeaderValue>,
        expose_headers: Option<HeaderValue>,
        allow_credentials: bool,
        vary: Option<VaryOn>,
    },
    /// Any other answer (S3's, which lists methods and headers too), kept
    /// as the writer takes it.
    Other(Box<ActualHeaders>),
}

impl PendingHeaders {
    /// The headers `decision` adds to the response of an actual request.
    #[inline]
    pub(crate) fn of(decision: &Decision<'_>) -> Self {
        let vary = decision.vary();
        let Some(answer) = decision.answer() else {
            return PendingHeaders::Vary(vary);
        };
        if answer.allow_methods.is_none()
            && answer.allow_headers.is_none()
            && answer.max_age.is_none()
        {
            if let Some(allow_origin) = http1_value(answer.allow_origin) {
                return PendingHeaders::Origin {
                    allow_origin,
                    expose_headers: answer.expose_headers.and_then(HeaderMap::policy_value),
                    allow_credentials: answer.allow_credentials,
                    vary,
                };
            }
        }
        PendingHeaders::Other(Box::new(decision.actual_headers()))
    }

    /// Writes the headers into the response's map, as
    /// [`Decision::apply`] would have: the `Access-Control-*` headers set
    /// in the writer's order, `Vary` merged into what the service set.
    #[inline]
    pub(crate) fn write(self, response: &mut HeaderMap) {
        match self {
            PendingHeaders::Vary(vary) => writer::write(response, None::<&Answer<'_>>, vary),
            PendingHeaders::Origin {
                allow_origin,
                expose_headers,
                allow_credentials,
                vary,
            } => {
                let fresh = ResponseHeaders::is_empty(response);
                if let Some(value) = allow_origin {
                    ResponseHeaders::insert(response, ResponseHeader::AllowOrigin, value);
                }
                if allow_credentials {
                    ResponseHeaders::insert(
                        response,
                        ResponseHeader::AllowCredentials,
                        <HeaderMap as ResponseHeaders>::TRUE,
                    );
                }
                if let Some(value) = expose_headers {
                    ResponseHeaders::insert(response, ResponseHeader::ExposeHeaders, value);
                }
                match vary {
                    // As the writer does: a map empty before the answer's
                    // headers gets the combined value, unread.
                    Some(on) if fresh => response.append_vary(on.combined()),
                    // A map with headers of the service's: merged by the writer.
                    vary => writer::write(response, None::<&Answer<'_>>, vary),
                }
            }
            PendingHeaders::Other(headers) => headers.apply(response),
        }
    }
}

/// An `Access-Control-Allow-Origin` value in the `http` 1.x type: `None`
/// for a value written some other way (S3's lowercased list), `Some(None)`
/// for one the type refuses.
#[inline]
fn http1_value(value: Value<'_>) -> Option<Option<HeaderValue>> {
    match value {
        Value::Policy(value) => Some(HeaderMap::policy_value(value)),
        Value::Any => Some(Some(<HeaderMap as ResponseHeaders>::ANY)),
        Value::Echo(value) => Some(HeaderMap::echo(value)),
        #[cfg(feature = "s3")]
        Value::LowercaseList(_) => None,
    }
}

#[cfg(all(test, feature = "json", feature = "s3"))]
mod tests {
    use http::{HeaderMap, HeaderValue, Method};

    use super::PendingHeaders;
    use crate::Policy;

    /// The headers written into `response`, in the map's order.
    fn listed(response: &HeaderMap) -> Vec<(String, HeaderValue)> {
        response
            .iter()
            .map(|(name, value)| (name.to_string(), value.clone()))
            .collect()
    }

    #[test]
    fn writes_what_decision_apply_writes() {
        let policies = [
            Policy::from_json(
                r#"{"allow_origins": ["https://a.example.com"], "allow_methods": ["GET"],
                    "allow_credentials": true, "expose_headers": ["etag"]}"#,
            )
            .unwrap(),
            Policy::from_json(r#"{"allow_origins": ["*"], "allow_methods": ["GET"]}"#).unwrap(),
            Policy::from_s3_json(
                r#"{"CORSRules": [{"AllowedOrigins": ["https://a.example.com"],
                    "AllowedMethods": ["GET"], "AllowedHeaders": ["*"],
                    "ExposeHeaders": ["ETag"], "MaxAgeSeconds": 60}]}"#,
            )
            .unwrap(),
        ];
        let requests: [&[(&str, &str)]; 4] = [
            &[],
            &[("origin", "https://a.example.com")],
            &[("origin", "https://b.example.com")],
            &[
                ("origin", "https://a.example.com"),
                ("access-control-request-headers", "X-A"),
            ],
        ];
        let responses: [&[(&str, &str)]; 3] = [
            &[],
            &[
                ("vary", "Accept-Encoding"),
                ("access-control-allow-origin", "x"),
            ],
            &[("vary", "origin"), ("content-type", "text/plain")],
        ];
        for policy in &policies {
            for request in requests {
                let mut headers = HeaderMap::new();
                for (name, value) in request {
                    headers.append(*name, HeaderValue::from_static(value));
                }
                for response in responses {
                    let mut expected = HeaderMap::new();
                    for (name, value) in response {
                        expected.append(*name, HeaderValue::from_static(value));
                    }
                    let mut written = expected.clone();
                    let decision = policy.evaluate(&Method::GET, &headers);
                    decision.apply(&mut expected);
                    PendingHeaders::of(&decision).write(&mut written);
                    assert_eq!(
                        listed(&written),
                        listed(&expected),
                        "{request:?} {response:?}"
                    );
                }
            }
        }
    }
}
