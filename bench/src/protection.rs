//! The cross-origin protection's benchmark requests and tower-http's
//! equivalent: browser-shaped cross-site `POST`s (what Chromium sends with a
//! form post), and tower-http 0.7's `CsrfLayer` trusting the benchmark
//! policy's origins, stacked on its `CorsLayer` configured like the policy.

use ::tower_http_07::cors::Cors;
use ::tower_http_07::csrf::{Csrf, CsrfLayer};
use http::Request;
use tower::Layer;

use crate::browser_shaped::{tower_http_07 as tower_http_07_cors, Shape};
use crate::ORIGINS;

/// The measured cases: name and the `Origin` of the `POST`. The first is
/// allowed (an allowed origin, and the policy allows credentials, so its
/// cookie is accepted); the second is refused (a foreign origin).
pub const CASES: [(&str, &str); 2] = [
    ("allowed cross-site POST", "https://app.example.com"),
    ("refused cross-site POST", "https://evil.example"),
];

/// The case with this name (`allowed` or `refused`): its `Origin`, or a
/// message naming both (for the command-line tools).
pub fn origin_of(name: &str) -> Result<&'static str, String> {
    CASES
        .into_iter()
        .find(|(case, _)| case.starts_with(name))
        .map(|(_, origin)| origin)
        .ok_or_else(|| format!("unknown case `{name}`; one of: allowed, refused"))
}

/// A Chromium form post from `origin` to `api.example.com/orders`, with a
/// session cookie: sixteen headers, Fetch Metadata among them.
pub fn post(origin: &str) -> Request<()> {
    Request::post("/orders")
        .header("host", "api.example.com")
        .header("connection", "keep-alive")
        .header("content-length", "9")
        .header("cache-control", "max-age=0")
        .header("origin", origin)
        .header("content-type", "application/x-www-form-urlencoded")
        .header(
            "user-agent",
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) \
             Chrome/131.0.0.0 Safari/537.36",
        )
        .header(
            "accept",
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        )
        .header("sec-fetch-site", "cross-site")
        .header("sec-fetch-mode", "navigate")
        .header("sec-fetch-user", "?1")
        .header("sec-fetch-dest", "document")
        .header("referer", format!("{origin}/"))
        .header("accept-encoding", "gzip, deflate, br, zstd")
        .header("accept-language", "en-US,en;q=0.9")
        .header("cookie", "session=0123456789abcdef")
        .body(())
        .unwrap_or_else(|error| panic!("the benchmark request is refused: {error}"))
}

/// tower-http 0.7's `CsrfLayer` (trusting [`ORIGINS`]) around its
/// `CorsLayer` configured like the benchmark policy, around `inner`.
pub fn tower_http_07_stack<S>(inner: S) -> Csrf<Cors<S>> {
    let csrf = ORIGINS
        .into_iter()
        .try_fold(CsrfLayer::new(), CsrfLayer::add_trusted_origin)
        .unwrap_or_else(|error| panic!("a trusted origin is refused: {error}"));
    csrf.layer(tower_http_07_cors::layer(Shape::Exact).layer(inner))
}
