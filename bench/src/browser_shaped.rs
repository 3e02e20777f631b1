//! Requests as a browser sends them with a cross-origin `fetch` (a dozen
//! headers besides the CORS ones), for three policy shapes, and tower-http
//! 0.6 and 0.7 configured like each shape.
//!
//! The shapes, each with the benchmark policy's methods, headers, exposed
//! header, `max-age` and credentials:
//! - [`Shape::Exact`]: the three exact origins of [`crate::BENCH`];
//! - [`Shape::Wildcard`]: `https://*.example.com`, against tower-http's
//!   `AllowOrigin::predicate` doing the obvious `starts_with("https://")` and
//!   `ends_with(".example.com")`; the allowed origin is a two-label
//!   subdomain;
//! - [`Shape::Thousand`]: 1,000 exact origins (a run-time policy for us,
//!   `AllowOrigin::list` for tower-http); the allowed origin is the 500th.

use std::sync::OnceLock;

use cors_runtime::{cors_policy, Policy};
use http::{HeaderMap, HeaderValue, Method, Request};

use crate::Case;

cors_policy! {
    /// [`crate::BENCH`] with one subdomain wildcard instead of exact origins.
    pub static WILDCARD: Policy = {
        allow_origins: ["https://*.example.com"],
        allow_methods: [GET, POST, PUT, DELETE],
        allow_headers: ["content-type", "x-requested-with"],
        expose_headers: ["etag"],
        max_age: 600,
        allow_credentials: true,
    };
}

/// The headers Chromium sends with a cross-origin `fetch`, besides `Origin`
/// and the `Access-Control-Request-*` of a preflight.
pub const BROWSER_HEADERS: [(&str, &str); 13] = [
    ("host", "api.example.com"),
    ("connection", "keep-alive"),
    ("sec-ch-ua", "\"Chromium\";v=\"156\", \"Not)A;Brand\";v=\"24\""),
    ("sec-ch-ua-mobile", "?0"),
    ("sec-ch-ua-platform", "\"Linux\""),
    ("user-agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36"),
    ("accept", "*/*"),
    ("sec-fetch-site", "same-site"),
    ("sec-fetch-mode", "cors"),
    ("sec-fetch-dest", "empty"),
    ("referer", "https://app.example.com/"),
    ("accept-encoding", "gzip, deflate, br, zstd"),
    ("accept-language", "en-US,en;q=0.9"),
];

/// A policy shape of the browser-shaped comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Three exact origins.
    Exact,
    /// One `https://*.example.com` wildcard.
    Wildcard,
    /// 1,000 exact origins.
    Thousand,
}

/// The origin count of [`Shape::Thousand`].
pub const THOUSAND: usize = 1_000;

impl Shape {
    /// Every shape, in report order.
    pub const ALL: [Shape; 3] = [Shape::Exact, Shape::Wildcard, Shape::Thousand];

    /// The shape a benchmark group is named after, or a message listing the
    /// names.
    pub fn from_name(name: &str) -> Result<Shape, String> {
        Shape::ALL
            .into_iter()
            .find(|shape| shape.name() == name)
            .ok_or_else(|| {
                format!(
                    "unknown shape `{name}`; one of: {:?}",
                    Shape::ALL.map(Shape::name)
                )
            })
    }

    /// The benchmark group's name.
    pub fn name(self) -> &'static str {
        match self {
            Shape::Exact => "browser_exact",
            Shape::Wildcard => "browser_wildcard",
            Shape::Thousand => "browser_1000",
        }
    }

    /// The origin the shape allows, as a browser would send it.
    pub fn allowed_origin(self) -> String {
        match self {
            Shape::Exact => crate::ORIGINS[1].to_owned(),
            Shape::Wildcard => "https://eu.app.example.com".to_owned(),
            Shape::Thousand => thousand_origin(THOUSAND / 2),
        }
    }

    /// An origin the shape denies.
    pub fn denied_origin(self) -> &'static str {
        match self {
            // Ends like the wildcard's base but is another site.
            Shape::Wildcard => "https://evil-example.com",
            _ => "https://evil.example",
        }
    }

    /// Our policy for the shape (the 1,000-origin one is built on first use).
    pub fn policy(self) -> &'static Policy {
        static THOUSAND_POLICY: OnceLock<Policy> = OnceLock::new();
        match self {
            Shape::Exact => &crate::BENCH,
            Shape::Wildcard => &WILDCARD,
            Shape::Thousand => THOUSAND_POLICY.get_or_init(thousand_policy),
        }
    }

    /// A browser-shaped request for `case`.
    pub fn request(self, case: Case) -> Request<()> {
        let mut request = Request::new(());
        *request.method_mut() = case.method();
        let headers = request.headers_mut();
        for (name, value) in BROWSER_HEADERS {
            headers.append(name, HeaderValue::from_static(value));
        }
        self.add_cors_headers(case, headers);
        request
    }

    /// Only the CORS headers of `case` for this shape (as
    /// [`Case::header_map`] has them for the benchmark policy): what the
    /// instruction count of `evaluate` + `apply` uses.
    pub fn cors_headers(self, case: Case) -> HeaderMap {
        let mut headers = HeaderMap::new();
        self.add_cors_headers(case, &mut headers);
        headers
    }

    fn add_cors_headers(self, case: Case, headers: &mut HeaderMap) {
        let origin = match case {
            Case::AllowedPreflight | Case::AllowedGet => Some(self.allowed_origin()),
            Case::DeniedPreflight | Case::DeniedGet => Some(self.denied_origin().to_owned()),
            Case::NoOrigin => None,
        };
        if let Some(origin) = origin.and_then(|o| HeaderValue::from_str(&o).ok()) {
            headers.append("origin", origin);
        }
        if case.method() == Method::OPTIONS {
            for (name, value) in crate::PREFLIGHT_HEADERS {
                headers.append(name, HeaderValue::from_static(value));
            }
        }
    }
}

/// The `i`-th origin of [`Shape::Thousand`].
pub fn thousand_origin(i: usize) -> String {
    format!("https://tenant{i}.example.com")
}

/// [`Shape::Thousand`]'s policy, built at run time by the `config` loader.
fn thousand_policy() -> Policy {
    let origins: Vec<String> = (0..THOUSAND).map(thousand_origin).collect();
    let json = serde_json::json!({
        "allow_origins": origins,
        "allow_methods": ["GET", "POST", "PUT", "DELETE"],
        "allow_headers": ["content-type", "x-requested-with"],
        "expose_headers": ["etag"],
        "max_age": 600,
        "allow_credentials": true,
    });
    match Policy::from_json(&json.to_string()) {
        Ok(policy) => policy,
        Err(error) => panic!("the 1,000-origin benchmark policy is refused: {error}"),
    }
}

/// Defines the tower-http layer builders for one tower-http version.
macro_rules! tower_http_layers {
    ($module:ident, $krate:ident, $version:literal) => {
        #[doc = concat!("tower-http ", $version, " configured like each shape.")]
        pub mod $module {
            use super::{thousand_origin, Shape, THOUSAND};
            use http::{HeaderName, HeaderValue, Method};
            use $krate::cors::{AllowOrigin, CorsLayer};

            #[doc = concat!("tower-http ", $version, "'s `CorsLayer` for `shape`.")]
            pub fn layer(shape: Shape) -> CorsLayer {
                let origins = match shape {
                    Shape::Exact => AllowOrigin::list(crate::ORIGINS.map(HeaderValue::from_static)),
                    Shape::Wildcard => AllowOrigin::predicate(|origin, _| {
                        let origin = origin.as_bytes();
                        origin.starts_with(b"https://") && origin.ends_with(b".example.com")
                    }),
                    Shape::Thousand => AllowOrigin::list(
                        (0..THOUSAND)
                            .filter_map(|i| HeaderValue::from_str(&thousand_origin(i)).ok()),
                    ),
                };
                CorsLayer::new()
                    .allow_origin(origins)
                    .allow_methods([Method::GET, Method::POST, Method::PUT, Method::DELETE])
                    .allow_headers([
                        http::header::CONTENT_TYPE,
                        HeaderName::from_static("x-requested-with"),
                    ])
                    .expose_headers([http::header::ETAG])
                    .max_age(std::time::Duration::from_secs(600))
                    .allow_credentials(true)
            }
        }
    };
}

tower_http_layers!(tower_http_06, tower_http, "0.6");
tower_http_layers!(tower_http_07, tower_http_07, "0.7");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_shape_allows_and_denies_what_it_says() {
        for shape in Shape::ALL {
            let policy = shape.policy();
            for case in Case::ALL {
                let request = shape.request(case);
                let decision = policy.evaluate(request.method(), request.headers());
                let expected = matches!(case, Case::AllowedPreflight | Case::AllowedGet);
                assert_eq!(
                    decision.is_allowed(),
                    expected,
                    "{shape:?} {case:?}: {decision}"
                );
                assert!(request.headers().len() >= BROWSER_HEADERS.len());
            }
        }
    }
}
