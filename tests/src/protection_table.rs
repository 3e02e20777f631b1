//! The protection table: one row per request, and whether the cross-origin
//! protection refuses it (`403` from the middleware, the inner service not
//! called, no `Access-Control-*` header, a `Decision` whose `Display` says
//! why) or lets it through to the inner service. It pins the README's
//! "What CORS does not stop, and what this does" row by row,
//! and is run against `Policy::evaluate_request` directly and through every
//! adapter.
//!
//! The service under test answers at `api.example.com`; its page is
//! `https://app.example.com`, a foreign site `https://evil.example`.

use std::sync::LazyLock;

use cors_runtime::{cors_policy, Policy};
use http::{HeaderMap, Method, Request, Uri};

use crate::{request_headers, LAYERED};

cors_policy! {
    /// The API: its page, its partners' subdomains and local development
    /// ports may act, with credentials.
    pub static API: Policy = {
        allow_origins: ["https://app.example.com", "https://*.partner.example", "http://localhost:*"],
        allow_methods: [GET, POST, PUT, DELETE, PATCH],
        allow_headers: ["content-type"],
        allow_credentials: true,
    };

    /// A public API: any origin may read and `POST`, never with credentials
    /// (a `"*"` rule has none).
    pub static OPEN_API: Policy = {
        allow_origins: ["*"],
        allow_methods: [GET, POST],
    };

    /// First match: the first rule allows the page's `POST` without
    /// credentials, the second allows it with them (and `PUT`, `DELETE`),
    /// the third lets anyone read.
    pub static TIERED: Policy = [
        { id: "public", allow_origins: ["https://app.example.com"], allow_methods: [GET, POST] },
        { id: "session", allow_origins: ["https://app.example.com"],
          allow_methods: [POST, PUT, DELETE], allow_credentials: true },
        { id: "anyone-read", allow_origins: ["*"], allow_methods: [GET] },
    ];

    /// The API with a payment callback and OAuth `form_post` redirects open
    /// to cross-site form posts.
    pub static SHOP: Policy = {
        allow_origins: ["https://app.example.com"],
        allow_methods: [GET, POST, PUT],
        allow_credentials: true,
        open_paths: ["/pay/callback", "/oauth/*"],
    };

    /// A policy that turns the protection off (two rules, the braced form).
    pub static UNPROTECTED: Policy = {
        cross_origin_protection: false,
        rules: [
            { allow_origins: ["https://app.example.com"], allow_methods: [GET, POST] },
            { allow_origins: ["*"], allow_methods: [GET] },
        ],
    };
}

/// An Amazon S3 configuration (the research note's C1): S3 policies keep
/// S3's behaviour, the protection off.
pub static S3_UPLOADS: LazyLock<Policy> = LazyLock::new(|| {
    Policy::from_s3_json(include_str!("../s3/c1.json"))
        .unwrap_or_else(|error| panic!("C1: {error}"))
});

/// [`SHOP`] loaded at run time: the same checker builds its open paths.
pub static RUN_TIME_SHOP: LazyLock<Policy> = LazyLock::new(|| {
    run_time(
        r#"{"allow_origins": ["https://app.example.com"], "allow_methods": ["GET", "POST", "PUT"],
            "allow_credentials": true, "open_paths": ["/pay/callback", "/oauth/*"]}"#,
    )
});

/// A run-time policy with the protection turned off.
pub static RUN_TIME_UNPROTECTED: LazyLock<Policy> = LazyLock::new(|| {
    run_time(
        r#"{"allow_origins": ["https://app.example.com"], "allow_methods": ["GET", "POST"],
            "cross_origin_protection": false}"#,
    )
});

/// A run-time policy the table writes: it must load.
fn run_time(json: &str) -> Policy {
    Policy::from_json(json).unwrap_or_else(|error| panic!("{json}: {error}"))
}

/// `Origin` and the other request headers the rows use.
const O: &str = "origin";
/// The service's own host, as browsers send it.
const HOST: (&str, &str) = ("host", "api.example.com");
/// `Sec-Fetch-Site: cross-site`.
const XS: (&str, &str) = ("sec-fetch-site", "cross-site");
/// The service's page.
const APP: (&str, &str) = (O, "https://app.example.com");
/// A foreign site.
const EVIL: (&str, &str) = (O, "https://evil.example");
/// The service's own origin.
const SELF: (&str, &str) = (O, "https://api.example.com");
/// A session cookie.
const COOKIE: (&str, &str) = ("cookie", "session=1");
/// The WebSocket upgrade of an HTTP/1.1 handshake.
const WS: (&str, &str) = ("upgrade", "websocket");
/// The header of an HTTP/2 WebSocket handshake (RFC 8441).
const WS_VERSION: (&str, &str) = ("sec-websocket-version", "13");

/// What the protection does with a row's request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Not refused: the inner service is called.
    Passes,
    /// Refused: `403` from the middleware, the inner service not called, no
    /// `Access-Control-*` header; the `Decision`'s `Display` contains this.
    Refused(&'static str),
}

/// One request and the protection's verdict on it.
pub struct ProtectionRow {
    /// What the row checks.
    pub name: &'static str,
    /// The policy under test.
    pub policy: &'static Policy,
    /// The request method.
    pub method: &'static str,
    /// The request target: a path (origin-form), or an absolute URI whose
    /// authority the layer sees (as an HTTP/2 `:authority`).
    pub target: &'static str,
    /// The request headers, in order (a name may repeat).
    pub request: Vec<(&'static str, &'static [u8])>,
    /// The expected verdict.
    pub expected: Verdict,
}

impl ProtectionRow {
    /// The row's URI.
    pub fn uri(&self) -> Uri {
        self.target.parse().expect("row target")
    }

    /// Whether the target carries an authority (absolute form), which not
    /// every framework can pass to its middleware.
    pub fn has_authority(&self) -> bool {
        self.uri().authority().is_some()
    }

    /// The row's method.
    pub fn http_method(&self) -> Method {
        Method::from_bytes(self.method.as_bytes()).expect("row method")
    }

    /// The row's request headers, in order.
    pub fn headers(&self) -> HeaderMap {
        request_headers(&self.request)
    }

    /// The row's request as an `http` 1.x request with `body`.
    pub fn http_request<B>(&self, body: B) -> Request<B> {
        let mut request = Request::new(body);
        *request.method_mut() = self.http_method();
        *request.uri_mut() = self.uri();
        *request.headers_mut() = self.headers();
        request
    }

    /// How an adapter's answer differs from the row's verdict: `status`,
    /// whether the inner service was `called`, the response `headers`
    /// (converted to `http` 1.x) and, when known, whether the body is empty.
    pub fn differences(
        &self,
        status: u16,
        called: bool,
        headers: &HeaderMap,
        body_empty: Option<bool>,
    ) -> Vec<String> {
        let name = self.name;
        let mut failures = Vec::new();
        match self.expected {
            Verdict::Passes => {
                if !called {
                    failures.push(format!(
                        "{name}: the inner service was not called (status {status})"
                    ));
                }
            }
            Verdict::Refused(_) => {
                if called {
                    failures.push(format!("{name}: refused, but the inner service was called"));
                }
                if status != 403 {
                    failures.push(format!("{name}: status {status}, expected 403"));
                }
                for cors in access_control_headers(headers) {
                    failures.push(format!("{name}: a refusal carries `{cors}`"));
                }
                if body_empty == Some(false) {
                    failures.push(format!("{name}: a refusal has a body"));
                }
            }
        }
        failures
    }
}

/// The names of the `Access-Control-*` headers among `headers`.
pub fn access_control_headers(headers: &HeaderMap) -> Vec<String> {
    headers
        .keys()
        .map(|name| name.as_str())
        .filter(|name| name.starts_with("access-control-"))
        .map(str::to_owned)
        .collect()
}

/// A row whose request passes.
fn pass(
    name: &'static str,
    policy: &'static Policy,
    method: &'static str,
    target: &'static str,
    request: &[(&'static str, &'static str)],
) -> ProtectionRow {
    build(name, policy, method, target, request, Verdict::Passes)
}

/// A row whose request is refused, with a part of the reason.
fn refuse(
    name: &'static str,
    policy: &'static Policy,
    method: &'static str,
    target: &'static str,
    request: &[(&'static str, &'static str)],
    why: &'static str,
) -> ProtectionRow {
    build(name, policy, method, target, request, Verdict::Refused(why))
}

fn build(
    name: &'static str,
    policy: &'static Policy,
    method: &'static str,
    target: &'static str,
    request: &[(&'static str, &'static str)],
    expected: Verdict,
) -> ProtectionRow {
    ProtectionRow {
        name,
        policy,
        method,
        target,
        request: request.iter().map(|(n, v)| (*n, v.as_bytes())).collect(),
        expected,
    }
}

/// Every row of the table.
#[rustfmt::skip] // one request per line: a table reads best as a table
pub fn rows() -> Vec<ProtectionRow> {
    let s3: &'static Policy = &S3_UPLOADS;
    let mut rows = vec![
        // --- methods: writes are judged, reads never -------------------
        refuse("POST cross-site from a foreign origin", &API, "POST", "/orders", &[HOST, EVIL, XS],
            "cross-site POST from https://evil.example: no rule allows this origin"),
        refuse("PUT cross-site from a foreign origin", &API, "PUT", "/orders/1", &[HOST, EVIL, XS],
            "cross-site PUT from https://evil.example: no rule allows this origin"),
        refuse("DELETE cross-site from a foreign origin", &API, "DELETE", "/orders/1", &[HOST, EVIL, XS],
            "cross-site DELETE from https://evil.example: no rule allows this origin"),
        refuse("PATCH cross-site from a foreign origin", &API, "PATCH", "/orders/1", &[HOST, EVIL, XS],
            "cross-site PATCH from https://evil.example: no rule allows this origin"),
        pass("GET cross-site from a foreign origin is never refused", &API, "GET", "/orders", &[HOST, EVIL, XS, COOKIE]),
        pass("HEAD cross-site from a foreign origin is never refused", &API, "HEAD", "/orders", &[HOST, EVIL, XS, COOKIE]),
        pass("OPTIONS (not a preflight) from a foreign origin is never refused", &API, "OPTIONS", "/orders", &[HOST, EVIL, XS, COOKIE]),
        refuse("CONNECT from a foreign origin", &API, "CONNECT", "/", &[HOST, EVIL, XS],
            "cross-site CONNECT from https://evil.example: CONNECT, TRACE and TRACK are never allowed"),
        refuse("CONNECT from the allowed page is still refused", &API, "CONNECT", "/", &[HOST, APP, XS],
            "cross-site CONNECT from https://app.example.com: CONNECT, TRACE and TRACK are never allowed"),
        pass("CONNECT without Origin or Sec-Fetch-Site is not a browser's", &API, "CONNECT", "/", &[HOST]),
        refuse("TRACE from the allowed page", &API, "TRACE", "/", &[HOST, APP],
            "cross-origin TRACE from https://app.example.com: CONNECT, TRACE and TRACK are never allowed"),
        refuse("lowercase post is another method, not listed", &API, "post", "/orders", &[HOST, APP, XS],
            "cross-site post from https://app.example.com: the origin matches rule 0, but its methods do not include post"),
        pass("lowercase post same-origin passes", &API, "post", "/orders", &[HOST, SELF, ("sec-fetch-site", "same-origin")]),
        pass("POST cross-site from the allowed page", &API, "POST", "/orders", &[HOST, APP, XS]),
        pass("DELETE cross-site from the allowed page with its cookie", &API, "DELETE", "/orders/1", &[HOST, APP, XS, COOKIE]),

        // --- Sec-Fetch-Site ---------------------------------------------
        pass("same-origin is trusted behind a Host-rewriting proxy", &API, "POST", "/orders", &[("host", "backend:8080"), SELF, ("sec-fetch-site", "same-origin"), COOKIE]),
        pass("none (user-initiated) is trusted, whatever the Origin", &API, "POST", "/orders", &[HOST, EVIL, ("sec-fetch-site", "none"), COOKIE]),
        refuse("same-site from a sibling the policy does not list", &API, "POST", "/orders", &[HOST, (O, "https://admin.example.com"), ("sec-fetch-site", "same-site")],
            "same-site POST from https://admin.example.com: no rule allows this origin"),
        pass("same-site from the allowed page", &API, "POST", "/orders", &[HOST, APP, ("sec-fetch-site", "same-site"), COOKIE]),
        refuse("no Sec-Fetch-Site, foreign Origin", &API, "POST", "/orders", &[HOST, EVIL],
            "cross-origin POST from https://evil.example: no rule allows this origin"),
        pass("neither Sec-Fetch-Site nor Origin: not a browser", &API, "POST", "/orders", &[HOST, COOKIE]),
        refuse("empty Sec-Fetch-Site counts as cross-site (Origin is the host's own)", &API, "POST", "/orders", &[HOST, SELF, ("sec-fetch-site", "")],
            "cross-site POST from https://api.example.com: no rule allows this origin"),
        refuse("unknown Sec-Fetch-Site counts as cross-site", &API, "POST", "/orders", &[HOST, SELF, ("sec-fetch-site", "same-host")],
            "cross-site POST from https://api.example.com"),
        refuse("repeated Sec-Fetch-Site counts as cross-site", &API, "POST", "/orders", &[HOST, SELF, ("sec-fetch-site", "same-origin"), ("sec-fetch-site", "same-origin")],
            "cross-site POST from https://api.example.com"),
        refuse("uppercase Sec-Fetch-Site counts as cross-site", &API, "POST", "/orders", &[HOST, SELF, ("sec-fetch-site", "Same-Origin")],
            "cross-site POST from https://api.example.com"),
        refuse("cross-site without Origin", &API, "POST", "/orders", &[HOST, XS, COOKIE],
            "cross-site POST without an Origin header"),
        refuse("same-site without Origin", &API, "DELETE", "/orders/1", &[HOST, ("sec-fetch-site", "same-site")],
            "same-site DELETE without an Origin header"),

        // --- Origin against the request's authority ---------------------
        pass("Origin is the host's own", &API, "POST", "/orders", &[HOST, SELF, COOKIE]),
        pass("Origin and Host with the same port", &API, "POST", "/orders", &[("host", "api.example.com:8443"), (O, "https://api.example.com:8443"), COOKIE]),
        pass("Host writes the default port", &API, "POST", "/orders", &[("host", "api.example.com:443"), SELF, COOKIE]),
        pass("http Origin, Host with port 80", &API, "POST", "/orders", &[("host", "api.example.com:80"), (O, "http://api.example.com"), COOKIE]),
        refuse("same host, another port", &API, "POST", "/orders", &[HOST, (O, "https://api.example.com:8443"), COOKIE],
            "cross-origin POST from https://api.example.com:8443: no rule allows this origin"),
        refuse("same host, http Origin against the https default port", &API, "POST", "/orders", &[("host", "api.example.com:443"), (O, "http://api.example.com")],
            "cross-origin POST from http://api.example.com"),
        pass("Host in another case", &API, "POST", "/orders", &[("host", "API.Example.COM"), SELF, COOKIE]),
        refuse("an uppercase Origin is malformed, even naming the host", &API, "POST", "/orders", &[HOST, (O, "https://API.example.com")],
            "cross-origin POST from https://API.example.com: malformed origin"),
        pass("the URI's authority wins over Host", &API, "POST", "https://api.example.com/orders", &[("host", "backend:8080"), SELF, COOKIE]),
        refuse("the URI's authority is another host than Host", &API, "POST", "https://backend:8080/orders", &[HOST, SELF],
            "cross-origin POST from https://api.example.com: no rule allows this origin"),
        refuse("Host repeated: no authority to compare", &API, "POST", "/orders", &[HOST, HOST, SELF],
            "cross-origin POST from https://api.example.com"),
        refuse("no Host and no authority: no authority to compare", &API, "POST", "/orders", &[SELF],
            "cross-origin POST from https://api.example.com"),
        refuse("Origin null", &API, "POST", "/orders", &[HOST, (O, "null"), XS],
            "cross-site POST from null: the `null` origin"),
        refuse("Origin null under a * rule", &OPEN_API, "POST", "/orders", &[HOST, (O, "null")],
            "cross-origin POST from null: the `null` origin"),
        refuse("Origin repeated (both allowed)", &API, "POST", "/orders", &[HOST, APP, APP, XS],
            "cross-site POST from https://app.example.com: malformed origin: the Origin header was sent more than once"),
        refuse("Origin repeated under a * rule", &OPEN_API, "POST", "/orders", &[HOST, APP, EVIL],
            "malformed origin: the Origin header was sent more than once"),
        refuse("Origin malformed (a path)", &API, "POST", "/orders", &[HOST, (O, "https://app.example.com/"), XS],
            "malformed origin: the Origin header's host"),
        refuse("Origin malformed under a * rule", &OPEN_API, "PUT", "/orders", &[HOST, (O, "app.example.com")],
            "malformed origin: the Origin header has no valid lowercase scheme"),
        pass("allowed by a subdomain wildcard", &API, "PUT", "/orders/1", &[HOST, (O, "https://shop.partner.example"), XS, COOKIE]),
        refuse("the apex of a subdomain wildcard", &API, "PUT", "/orders/1", &[HOST, (O, "https://partner.example"), XS],
            "cross-site PUT from https://partner.example: no rule allows this origin"),
        pass("allowed by a port wildcard (local development)", &API, "DELETE", "/orders/1", &[HOST, (O, "http://localhost:5173"), ("sec-fetch-site", "same-site"), COOKIE]),
        pass("allowed only by a * rule, without cookies", &OPEN_API, "POST", "/orders", &[HOST, EVIL, XS]),
        refuse("allowed only by a * rule, with a cookie", &OPEN_API, "POST", "/orders", &[HOST, EVIL, XS, COOKIE],
            "cookie-bearing POST from https://evil.example: the matching rule does not allow credentials (rule 0)"),
        refuse("a * rule without the method", &OPEN_API, "PUT", "/orders/1", &[HOST, EVIL, XS],
            "cross-site PUT from https://evil.example: the origin matches rule 0, but its methods do not include PUT"),

        // --- credentials: the rule that answers must allow them ---------
        refuse("first rule answers: cookie-bearing POST, rule without credentials", &TIERED, "POST", "/orders", &[HOST, APP, XS, COOKIE],
            "cookie-bearing POST from https://app.example.com: the matching rule does not allow credentials (rule 0, `public`)"),
        refuse("an empty Cookie is still a cookie", &TIERED, "POST", "/orders", &[HOST, APP, XS, ("cookie", "")],
            "cookie-bearing POST from https://app.example.com"),
        pass("first rule answers: POST without cookie", &TIERED, "POST", "/orders", &[HOST, APP, XS]),
        pass("a later rule with credentials answers PUT", &TIERED, "PUT", "/orders/1", &[HOST, APP, XS, COOKIE]),
        refuse("a rule allows the origin but not the method", &TIERED, "PATCH", "/orders/1", &[HOST, APP, XS],
            "cross-site PATCH from https://app.example.com: the origin matches rule 0 (`public`), but its methods do not include PATCH"),
        refuse("only a * read rule allows a foreign origin", &TIERED, "DELETE", "/orders/1", &[HOST, EVIL, XS],
            "the origin matches rule 2 (`anyone-read`), but its methods do not include DELETE"),
        refuse("Authorization: Basic is a browser's own credential", &TIERED, "POST", "/orders", &[HOST, APP, XS, ("authorization", "Basic dXNlcjpwYXNz")],
            "authorization-bearing POST from https://app.example.com: the matching rule does not allow credentials (rule 0, `public`)"),
        refuse("Authorization: Negotiate is a browser's own credential", &TIERED, "POST", "/orders", &[HOST, APP, XS, ("authorization", "negotiate YIIG")],
            "authorization-bearing POST"),
        pass("Authorization: Bearer is set by the page's script", &TIERED, "POST", "/orders", &[HOST, APP, XS, ("authorization", "Bearer token")]),
        pass("a cookie on a same-origin write", &TIERED, "POST", "/orders", &[HOST, SELF, COOKIE]),
        pass("a cookie on a write with the allowed page, rule with credentials", &API, "POST", "/orders", &[HOST, APP, XS, COOKIE]),

        // --- WebSocket handshakes: judged as GET --------------------------
        pass("WebSocket from the allowed page", &API, "GET", "/ws", &[HOST, APP, XS, WS, COOKIE]),
        refuse("WebSocket from a foreign origin", &API, "GET", "/ws", &[HOST, EVIL, XS, WS],
            "cross-site WebSocket handshake from https://evil.example: no rule allows this origin"),
        refuse("WebSocket from a foreign origin, no Sec-Fetch-Site", &API, "GET", "/ws", &[HOST, EVIL, WS],
            "cross-origin WebSocket handshake from https://evil.example"),
        // `none` passes for handshakes too: the user typed the address or
        // followed a bookmark, no other site started the request.
        pass("WebSocket with Sec-Fetch-Site none", &API, "GET", "/ws", &[HOST, EVIL, ("sec-fetch-site", "none"), WS, COOKIE]),
        pass("WebSocket from the host's own origin", &API, "GET", "/ws", &[HOST, SELF, WS, COOKIE]),
        // GET without Origin is never judged (the instruction budget: no extra
        // header read for GET without Origin); browsers send Origin on
        // every handshake.
        pass("WebSocket without Origin is not judged", &API, "GET", "/ws", &[HOST, XS, WS, COOKIE]),
        refuse("WebSocket in an Upgrade list, any case", &API, "GET", "/ws", &[HOST, EVIL, XS, ("upgrade", "h2c, WebSocket")],
            "cross-site WebSocket handshake from https://evil.example"),
        pass("Upgrade without websocket is a plain GET", &API, "GET", "/ws", &[HOST, EVIL, XS, ("upgrade", "h2c")]),
        refuse("WebSocket under a * rule with a cookie", &OPEN_API, "GET", "/ws", &[HOST, EVIL, XS, WS, COOKIE],
            "cookie-bearing WebSocket handshake from https://evil.example: the matching rule does not allow credentials (rule 0)"),
        pass("WebSocket under a * rule without a cookie", &OPEN_API, "GET", "/ws", &[HOST, EVIL, XS, WS]),
        refuse("WebSocket from null", &API, "GET", "/ws", &[HOST, (O, "null"), XS, WS],
            "cross-site WebSocket handshake from null: the `null` origin"),
        refuse("WebSocket from an origin whose rule lacks GET", &LAYERED, "GET", "/ws", &[HOST, (O, "https://w.example.net"), XS, WS],
            "cross-site WebSocket handshake from https://w.example.net: the origin matches rule 1 (`write`), but its methods do not include GET"),
        pass("HTTP/2 WebSocket (CONNECT + Sec-WebSocket-Version) from the allowed page", &API, "CONNECT", "/ws", &[HOST, APP, XS, WS_VERSION, COOKIE]),
        refuse("HTTP/2 WebSocket from a foreign origin", &API, "CONNECT", "/ws", &[HOST, EVIL, XS, WS_VERSION],
            "cross-site WebSocket handshake from https://evil.example: no rule allows this origin"),

        // --- method overrides: judged with the overriding method too -------
        pass("override to a method the rule allows", &API, "POST", "/orders/1", &[HOST, APP, XS, ("x-http-method-override", "DELETE")]),
        pass("X-HTTP-Method to a method a later rule allows", &TIERED, "POST", "/orders/1", &[HOST, APP, XS, ("x-http-method", "DELETE")]),
        refuse("X-HTTP-Method to a method no rule allows", &TIERED, "POST", "/orders/1", &[HOST, APP, XS, ("x-http-method", "PATCH")],
            "cross-site POST overridden to PATCH from https://app.example.com: the origin matches rule 0 (`public`), but its methods do not include PATCH"),
        refuse("X-Method-Override to CONNECT", &API, "POST", "/orders", &[HOST, APP, XS, ("x-method-override", "CONNECT")],
            "POST overridden to CONNECT from https://app.example.com: CONNECT, TRACE and TRACK are never allowed"),
        refuse("a repeated override", &API, "POST", "/orders/1", &[HOST, APP, XS, ("x-http-method-override", "PUT"), ("x-http-method-override", "PUT")],
            "a method-override header is repeated or is not one method name"),
        refuse("an override that is not a method token", &API, "POST", "/orders/1", &[HOST, APP, XS, ("x-http-method-override", "DE LETE")],
            "a method-override header is repeated or is not one method name"),
        pass("an override on a same-origin write is not judged", &TIERED, "POST", "/orders/1", &[HOST, SELF, ("x-http-method", "PATCH")]),

        // --- S3 policies keep S3's behaviour: the protection is off --------
        pass("S3: cookie-bearing cross-site DELETE from a foreign origin", s3, "DELETE", "/bucket/key", &[HOST, EVIL, XS, COOKIE]),
        pass("S3: WebSocket from null", s3, "GET", "/ws", &[HOST, (O, "null"), XS, WS]),
    ];
    rows.extend(open_and_off_rows());
    rows
}

/// The rows of policies with `open_paths` or `cross_origin_protection: false`.
#[rustfmt::skip] // one request per line: a table reads best as a table
fn open_and_off_rows() -> Vec<ProtectionRow> {
    let run_time_shop: &'static Policy = &RUN_TIME_SHOP;
    let run_time_off: &'static Policy = &RUN_TIME_UNPROTECTED;
    vec![
        // --- open paths: POST only, plain paths only -----------------------
        pass("open path: cross-site cookie-bearing POST to the exact path", &SHOP, "POST", "/pay/callback", &[HOST, EVIL, XS, COOKIE]),
        pass("open path: POST from null to the exact path (a redirect chain)", &SHOP, "POST", "/pay/callback", &[HOST, (O, "null"), XS]),
        pass("open path: POST under a prefix", &SHOP, "POST", "/oauth/google", &[HOST, EVIL, XS]),
        pass("open path: POST two segments under a prefix, with a query", &SHOP, "POST", "/oauth/google/return?state=x", &[HOST, EVIL, XS]),
        refuse("open path: the prefix itself is not under it", &SHOP, "POST", "/oauth", &[HOST, EVIL, XS],
            "cross-site POST from https://evil.example: no rule allows this origin"),
        refuse("open path: a trailing slash is an empty segment", &SHOP, "POST", "/pay/callback/", &[HOST, EVIL, XS],
            "no rule allows this origin"),
        refuse("open path: a percent-encoded spelling never matches", &SHOP, "POST", "/pay/%63allback", &[HOST, EVIL, XS],
            "no rule allows this origin"),
        refuse("open path: a dot segment never matches", &SHOP, "POST", "/oauth/../admin", &[HOST, EVIL, XS],
            "no rule allows this origin"),
        refuse("open path: an empty segment never matches", &SHOP, "POST", "/oauth//google", &[HOST, EVIL, XS],
            "no rule allows this origin"),
        refuse("open path: PUT stays protected", &SHOP, "PUT", "/pay/callback", &[HOST, EVIL, XS],
            "cross-site PUT from https://evil.example: no rule allows this origin"),
        refuse("open path: a WebSocket stays protected", &SHOP, "GET", "/oauth/socket", &[HOST, EVIL, XS, WS],
            "cross-site WebSocket handshake from https://evil.example: no rule allows this origin"),
        refuse("open path: a POST overridden to DELETE stays protected", &SHOP, "POST", "/pay/callback", &[HOST, EVIL, XS, ("x-http-method-override", "DELETE")],
            "no rule allows this origin"),
        refuse("open path: another path of the same policy is protected", &SHOP, "POST", "/orders", &[HOST, EVIL, XS],
            "no rule allows this origin"),
        pass("open path: the page's own cookie-bearing POST elsewhere passes", &SHOP, "POST", "/orders", &[HOST, APP, XS, COOKIE]),
        refuse("open path: case differs", &SHOP, "POST", "/Pay/Callback", &[HOST, EVIL, XS],
            "no rule allows this origin"),
        refuse("open path: a longer name", &SHOP, "POST", "/pay/callbacks", &[HOST, EVIL, XS],
            "no rule allows this origin"),
        refuse("open path: a percent-encoded slash", &SHOP, "POST", "/oauth%2Fgoogle", &[HOST, EVIL, XS],
            "no rule allows this origin"),
        refuse("open path: a single-dot segment never matches", &SHOP, "POST", "/oauth/./google", &[HOST, EVIL, XS],
            "no rule allows this origin"),
        refuse("open path: the prefix with its slash only", &SHOP, "POST", "/oauth/", &[HOST, EVIL, XS],
            "no rule allows this origin"),
        refuse("open path: DELETE under a prefix stays protected", &SHOP, "DELETE", "/oauth/google", &[HOST, EVIL, XS],
            "cross-site DELETE from https://evil.example: no rule allows this origin"),
        pass("open path, run-time policy: cookie-bearing POST to the exact path", run_time_shop, "POST", "/pay/callback", &[HOST, EVIL, XS, COOKIE]),
        pass("open path, run-time policy: POST under a prefix", run_time_shop, "POST", "/oauth/google", &[HOST, EVIL, XS]),
        refuse("open path, run-time policy: PUT stays protected", run_time_shop, "PUT", "/pay/callback", &[HOST, EVIL, XS],
            "cross-site PUT from https://evil.example: no rule allows this origin"),
        refuse("open path, run-time policy: a dot segment never matches", run_time_shop, "POST", "/oauth/../admin", &[HOST, EVIL, XS],
            "no rule allows this origin"),
        // --- protection off -------------------------------------------------
        pass("off: cookie-bearing cross-site POST from a foreign origin", &UNPROTECTED, "POST", "/orders", &[HOST, EVIL, XS, COOKIE]),
        pass("off: WebSocket from null", &UNPROTECTED, "GET", "/ws", &[HOST, (O, "null"), XS, WS]),
        pass("off: cross-site DELETE without Origin", &UNPROTECTED, "DELETE", "/orders/1", &[HOST, XS]),
        pass("off: CONNECT from a foreign origin", &UNPROTECTED, "CONNECT", "/", &[HOST, EVIL, XS]),
        pass("off, run-time policy: cookie-bearing cross-site POST from a foreign origin", run_time_off, "POST", "/orders", &[HOST, EVIL, XS, COOKIE]),
        pass("off, run-time policy: WebSocket from a foreign origin", run_time_off, "GET", "/ws", &[HOST, EVIL, XS, WS, COOKIE]),
    ]
}
