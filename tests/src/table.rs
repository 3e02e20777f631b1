//! The behaviour table: one row per request, with the status the middleware
//! answers with by itself (a preflight, or a write the cross-origin
//! protection refuses) and every CORS response header (a header a row does
//! not list must be absent). It pins the README's response table ("At run time") row by row,
//! and is run against `Policy::evaluate` directly and through every adapter.
//!
//! A row without a status reaches the inner service; with the protection on
//! by default, that holds "unless the protection refuses it": the rows about
//! CORS answers to actual requests use methods the protection never refuses
//! (`GET`, `HEAD`, `OPTIONS`), writes the policy allows, or a same-origin
//! `Host`, and the refused writes have rows of their own. The protection's
//! own cases are in [`crate::protection_table`].

use cors_runtime::Policy;
use http::HeaderMap;

use crate::*;

pub const O: &str = "origin";
pub const RM: &str = "access-control-request-method";
pub const RH: &str = "access-control-request-headers";
pub const AO: &str = "access-control-allow-origin";
pub const AC: &str = "access-control-allow-credentials";
pub const AM: &str = "access-control-allow-methods";
pub const AH: &str = "access-control-allow-headers";
pub const MA: &str = "access-control-max-age";
pub const EH: &str = "access-control-expose-headers";
pub const V: &str = "vary";
/// The `Vary` of every preflight answer.
pub const PV: &str = "Origin, Access-Control-Request-Method, Access-Control-Request-Headers";

/// Every header the table checks: present with the row's value, or absent.
pub const CHECKED: [&str; 7] = [AO, AC, AM, AH, MA, EH, V];

/// One request and the answer it must get.
pub struct Row {
    /// What the row checks.
    pub name: &'static str,
    /// The policy under test.
    pub policy: &'static Policy,
    /// The request method.
    pub method: &'static str,
    /// The request headers, in order (a name may repeat).
    pub request: Vec<(&'static str, &'static [u8])>,
    /// The status the middleware answers with by itself (a preflight, or a
    /// refused write), if any; `None`: the inner service answers.
    pub status: Option<u16>,
    /// Every CORS response header and its value (all `Vary` lines joined).
    pub response: Vec<(&'static str, &'static str)>,
}

fn row(
    name: &'static str,
    policy: &'static Policy,
    method: &'static str,
    request: &[(&'static str, &'static str)],
    status: Option<u16>,
    response: &[(&'static str, &'static str)],
) -> Row {
    let request: Vec<(&'static str, &'static [u8])> =
        request.iter().map(|(n, v)| (*n, v.as_bytes())).collect();
    raw(name, policy, method, &request, status, response)
}

/// A row whose request has raw (possibly non-UTF-8) header bytes.
fn raw(
    name: &'static str,
    policy: &'static Policy,
    method: &'static str,
    request: &[(&'static str, &'static [u8])],
    status: Option<u16>,
    response: &[(&'static str, &'static str)],
) -> Row {
    Row {
        name,
        policy,
        method,
        request: request.to_vec(),
        status,
        response: response.to_vec(),
    }
}

#[rustfmt::skip] // one request per line: a table reads best as a table
pub fn rows() -> Vec<Row> {
    let long_origin: &'static str =
        Box::leak(format!("https://{}.example.com", "a.".repeat(200)).into_boxed_str());
    let long_label: &'static str =
        Box::leak(format!("https://{}.example.com", "a".repeat(64)).into_boxed_str());
    vec![
        // --- not CORS -------------------------------------------------
        row("no origin: GET", &SIMPLE, "GET", &[], None, &[(V, "Origin")]),
        row("no origin: OPTIONS with ACRM is not a preflight", &SIMPLE, "OPTIONS", &[(RM, "GET")], None, &[(V, "Origin")]),
        row("no origin, origin-independent policy: untouched", &PUBLIC, "GET", &[], None, &[]),
        row("no origin, multi-rule policy depends on origin", &BUCKET, "GET", &[], None, &[(V, "Origin")]),

        // --- preflight, allowed ---------------------------------------
        row("preflight allowed, no headers", &SIMPLE, "OPTIONS", &[(O, "https://app.example.com"), (RM, "POST")], Some(204),
            &[(AO, "https://app.example.com"), (AM, "GET, POST"), (V, PV)]),
        row("preflight allowed, header echoed", &SIMPLE, "OPTIONS", &[(O, "https://app.example.com"), (RM, "POST"), (RH, "content-type")], Some(204),
            &[(AO, "https://app.example.com"), (AM, "GET, POST"), (AH, "content-type"), (V, PV)]),
        row("preflight allowed, header any case", &SIMPLE, "OPTIONS", &[(O, "https://app.example.com"), (RM, "GET"), (RH, "Content-Type")], Some(204),
            &[(AO, "https://app.example.com"), (AM, "GET, POST"), (AH, "Content-Type"), (V, PV)]),
        row("preflight allowed, empty ACRH requests nothing", &SIMPLE, "OPTIONS", &[(O, "https://app.example.com"), (RM, "GET"), (RH, "")], Some(204),
            &[(AO, "https://app.example.com"), (AM, "GET, POST"), (V, PV)]),
        row("preflight with credentials, max-age", &FULL, "OPTIONS", &[(O, "https://app.example.com"), (RM, "PUT"), (RH, "content-type,x-api-key")], Some(204),
            &[(AO, "https://app.example.com"), (AC, "true"), (AM, "GET, POST, PUT, DELETE"), (AH, "content-type,x-api-key"), (MA, "600"), (V, PV)]),
        row("preflight, header pattern x-api-*", &FULL, "OPTIONS", &[(O, "https://app.example.com"), (RM, "DELETE"), (RH, "x-api-version")], Some(204),
            &[(AO, "https://app.example.com"), (AC, "true"), (AM, "GET, POST, PUT, DELETE"), (AH, "x-api-version"), (MA, "600"), (V, PV)]),
        row("preflight, subdomain depth 1", &FULL, "OPTIONS", &[(O, "https://admin.example.com"), (RM, "PUT")], Some(204),
            &[(AO, "https://admin.example.com"), (AC, "true"), (AM, "GET, POST, PUT, DELETE"), (MA, "600"), (V, PV)]),
        row("preflight, subdomain depth 3", &FULL, "OPTIONS", &[(O, "https://a.b.c.example.com"), (RM, "PUT")], Some(204),
            &[(AO, "https://a.b.c.example.com"), (AC, "true"), (AM, "GET, POST, PUT, DELETE"), (MA, "600"), (V, PV)]),
        row("preflight, localhost any port", &FULL, "OPTIONS", &[(O, "http://localhost:5173"), (RM, "POST")], Some(204),
            &[(AO, "http://localhost:5173"), (AC, "true"), (AM, "GET, POST, PUT, DELETE"), (MA, "600"), (V, PV)]),
        row("preflight, localhost without port matches :*", &FULL, "OPTIONS", &[(O, "http://localhost"), (RM, "POST")], Some(204),
            &[(AO, "http://localhost"), (AC, "true"), (AM, "GET, POST, PUT, DELETE"), (MA, "600"), (V, PV)]),
        row("preflight, * headers echo authorization with credentials", &ECHO, "OPTIONS", &[(O, "https://app.example.com"), (RM, "PATCH"), (RH, "authorization,x-custom")], Some(204),
            &[(AO, "https://app.example.com"), (AC, "true"), (AM, "PATCH"), (AH, "authorization,x-custom"), (MA, "0"), (V, PV)]),
        row("preflight, * methods echo lowercase method", &ECHO, "OPTIONS", &[(O, "https://app.example.com"), (RM, "patch")], Some(204),
            &[(AO, "https://app.example.com"), (AC, "true"), (AM, "patch"), (MA, "0"), (V, PV)]),
        row("preflight, any origin answers *", &PUBLIC, "OPTIONS", &[(O, "https://anyone.test"), (RM, "GET")], Some(204),
            &[(AO, "*"), (AM, "GET, HEAD"), (V, PV)]),
        row("preflight, * rule with malformed origin still *", &PUBLIC, "OPTIONS", &[(O, "null"), (RM, "HEAD")], Some(204),
            &[(AO, "*"), (AM, "GET, HEAD"), (V, PV)]),
        row("preflight, port wildcard on 127.0.0.1", &PORTS, "OPTIONS", &[(O, "http://127.0.0.1:9000"), (RM, "GET")], Some(204),
            &[(AO, "http://127.0.0.1:9000"), (AM, "GET"), (V, PV)]),
        row("preflight, exact port", &PORTS, "OPTIONS", &[(O, "https://example.com:8443"), (RM, "GET")], Some(204),
            &[(AO, "https://example.com:8443"), (AM, "GET"), (V, PV)]),
        row("preflight, IPv6 port wildcard", &PORTS, "OPTIONS", &[(O, "http://[::1]:8080"), (RM, "GET")], Some(204),
            &[(AO, "http://[::1]:8080"), (AM, "GET"), (V, PV)]),
        row("preflight, deep base wildcard", &DEEP, "OPTIONS", &[(O, "https://x.a.example.com"), (RM, "PATCH"), (RH, "x-csrf-token")], Some(204),
            &[(AO, "https://x.a.example.com"), (AM, "GET, patch, PATCH"), (AH, "x-csrf-token"), (V, PV)]),
        row("preflight, lowercase patch listed as string", &DEEP, "OPTIONS", &[(O, "https://example.org"), (RM, "patch")], Some(204),
            &[(AO, "https://example.org"), (AM, "GET, patch, PATCH"), (V, PV)]),
        row("preflight, header pattern with suffix, empty middle", &DEEP, "OPTIONS", &[(O, "https://example.org"), (RM, "GET"), (RH, "x--token")], Some(204),
            &[(AO, "https://example.org"), (AM, "GET, patch, PATCH"), (AH, "x--token"), (V, PV)]),
        row("preflight, ACRH with spaces echoed verbatim", &FULL, "OPTIONS", &[(O, "https://app.example.com"), (RM, "GET"), (RH, "content-type, x-api-a")], Some(204),
            &[(AO, "https://app.example.com"), (AC, "true"), (AM, "GET, POST, PUT, DELETE"), (AH, "content-type, x-api-a"), (MA, "600"), (V, PV)]),
        row("preflight, trailing-dot origin only if listed... * accepts", &PUBLIC, "OPTIONS", &[(O, "https://example.com."), (RM, "GET")], Some(204),
            &[(AO, "*"), (AM, "GET, HEAD"), (V, PV)]),

        // --- preflight, denied ----------------------------------------
        row("preflight denied: unknown origin", &SIMPLE, "OPTIONS", &[(O, "https://evil.com"), (RM, "GET")], Some(403), &[(V, PV)]),
        row("preflight denied: method not listed", &SIMPLE, "OPTIONS", &[(O, "https://app.example.com"), (RM, "PUT")], Some(403), &[(V, PV)]),
        row("preflight denied: header not listed", &SIMPLE, "OPTIONS", &[(O, "https://app.example.com"), (RM, "GET"), (RH, "x-other")], Some(403), &[(V, PV)]),
        row("preflight denied: one of two headers not listed", &SIMPLE, "OPTIONS", &[(O, "https://app.example.com"), (RM, "GET"), (RH, "content-type,x-other")], Some(403), &[(V, PV)]),
        row("preflight denied: authorization not listed", &FULL, "OPTIONS", &[(O, "https://app.example.com"), (RM, "GET"), (RH, "authorization")], Some(403), &[(V, PV)]),
        row("preflight denied: empty method", &SIMPLE, "OPTIONS", &[(O, "https://app.example.com"), (RM, "")], Some(403), &[(V, PV)]),
        row("preflight denied: method case differs", &SIMPLE, "OPTIONS", &[(O, "https://app.example.com"), (RM, "post")], Some(403), &[(V, PV)]),
        row("preflight denied: PATCH vs patch", &ECHO, "OPTIONS", &[(O, "https://other.example.com"), (RM, "PATCH")], Some(403), &[(V, PV)]),
        row("preflight denied: two origins", &SIMPLE, "OPTIONS", &[(O, "https://app.example.com"), (O, "https://app.example.com"), (RM, "GET")], Some(403), &[(V, PV)]),
        row("preflight denied: two ACRM", &SIMPLE, "OPTIONS", &[(O, "https://app.example.com"), (RM, "GET"), (RM, "POST")], Some(403), &[(V, PV)]),
        row("preflight denied: two ACRH", &SIMPLE, "OPTIONS", &[(O, "https://app.example.com"), (RM, "GET"), (RH, "content-type"), (RH, "content-type")], Some(403), &[(V, PV)]),
        row("preflight denied: malformed ACRH", &SIMPLE, "OPTIONS", &[(O, "https://app.example.com"), (RM, "GET"), (RH, "content type")], Some(403), &[(V, PV)]),
        row("preflight denied: ACRH of commas", &ECHO, "OPTIONS", &[(O, "https://app.example.com"), (RM, "GET"), (RH, ",,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,")], Some(403), &[(V, PV)]),
        row("preflight denied: method not token", &ECHO, "OPTIONS", &[(O, "https://app.example.com"), (RM, "GE T")], Some(403), &[(V, PV)]),
        row("preflight denied: null origin", &SIMPLE, "OPTIONS", &[(O, "null"), (RM, "GET")], Some(403), &[(V, PV)]),
        row("preflight denied: apex of wildcard", &DEEP, "OPTIONS", &[(O, "https://a.example.com"), (RM, "GET")], Some(403), &[(V, PV)]),
        row("preflight denied: header pattern needs suffix", &DEEP, "OPTIONS", &[(O, "https://example.org"), (RM, "GET"), (RH, "x-csrf")], Some(403), &[(V, PV)]),
        row("preflight denied: wrong port", &PORTS, "OPTIONS", &[(O, "https://example.com:8444"), (RM, "GET")], Some(403), &[(V, PV)]),
        row("preflight denied: exact port pattern, no port sent", &PORTS, "OPTIONS", &[(O, "https://example.com"), (RM, "GET")], Some(403), &[(V, PV)]),
        row("preflight denied: port wildcard, wrong scheme", &PORTS, "OPTIONS", &[(O, "https://127.0.0.1:9000"), (RM, "GET")], Some(403), &[(V, PV)]),
        row("preflight denied: * policy, method not allowed", &PUBLIC, "OPTIONS", &[(O, "https://anyone.test"), (RM, "PUT")], Some(403), &[(V, PV)]),

        // --- OPTIONS that is not a preflight --------------------------
        row("OPTIONS without ACRM is an actual request", &ECHO, "OPTIONS", &[(O, "https://app.example.com")], None,
            &[(AO, "https://app.example.com"), (AC, "true"), (V, "Origin")]),
        row("OPTIONS without ACRM, method not listed", &SIMPLE, "OPTIONS", &[(O, "https://app.example.com")], None, &[(V, "Origin")]),

        // --- actual requests ------------------------------------------
        row("actual GET allowed", &SIMPLE, "GET", &[(O, "https://app.example.com")], None, &[(AO, "https://app.example.com"), (V, "Origin")]),
        row("actual POST allowed", &SIMPLE, "POST", &[(O, "https://app.example.com")], None, &[(AO, "https://app.example.com"), (V, "Origin")]),
        row("actual with credentials and expose", &FULL, "GET", &[(O, "https://app.example.com")], None,
            &[(AO, "https://app.example.com"), (AC, "true"), (EH, "etag, x-request-id"), (V, "Origin")]),
        row("actual from subdomain", &FULL, "DELETE", &[(O, "https://api.example.com")], None,
            &[(AO, "https://api.example.com"), (AC, "true"), (EH, "etag, x-request-id"), (V, "Origin")]),
        row("actual, * origin: no Vary, expose *", &PUBLIC, "GET", &[(O, "https://anyone.test")], None, &[(AO, "*"), (EH, "*")]),
        row("actual, * origin, HEAD", &PUBLIC, "HEAD", &[(O, "http://192.168.0.1:81")], None, &[(AO, "*"), (EH, "*")]),
        row("actual, * origin, method not allowed (OPTIONS, never refused)", &PUBLIC, "OPTIONS", &[(O, "https://anyone.test")], None, &[]),
        row("actual, * origin accepts null", &PUBLIC, "GET", &[(O, "null")], None, &[(AO, "*"), (EH, "*")]),
        row("actual denied: unknown origin", &SIMPLE, "GET", &[(O, "https://evil.com")], None, &[(V, "Origin")]),
        row("actual denied: method not listed (HEAD, never refused)", &SIMPLE, "HEAD", &[(O, "https://app.example.com")], None, &[(V, "Origin")]),
        row("actual denied: method not listed, same-origin PUT (Host) passes the protection", &SIMPLE, "PUT", &[(O, "https://app.example.com"), ("host", "app.example.com")], None, &[(V, "Origin")]),
        row("actual denied: two origins", &SIMPLE, "GET", &[(O, "https://app.example.com"), (O, "https://evil.com")], None, &[(V, "Origin")]),
        row("actual, port wildcard without port", &PORTS, "GET", &[(O, "http://127.0.0.1")], None, &[(AO, "http://127.0.0.1"), (V, "Origin")]),

        // --- multi-rule: first match wins, fall-through ---------------
        row("bucket: GET from anywhere hits public-read", &BUCKET, "GET", &[(O, "https://www.example.com")], None, &[(AO, "*"), (V, "Origin")]),
        row("bucket: PUT from www falls through to uploads", &BUCKET, "PUT", &[(O, "https://www.example.com")], None,
            &[(AO, "https://www.example.com"), (EH, "etag, x-amz-request-id"), (V, "Origin")]),
        row("bucket: preflight PUT with any header", &BUCKET, "OPTIONS", &[(O, "https://www.example.com"), (RM, "PUT"), (RH, "x-amz-date,authorization")], Some(204),
            &[(AO, "https://www.example.com"), (AM, "PUT, POST, DELETE"), (AH, "x-amz-date,authorization"), (MA, "3000"), (V, PV)]),
        row("bucket: preflight GET hits public-read", &BUCKET, "OPTIONS", &[(O, "https://www.example.com"), (RM, "GET")], Some(204),
            &[(AO, "*"), (AM, "GET, HEAD"), (V, PV)]),
        row("bucket: preflight GET with header: public-read refuses, uploads lacks GET", &BUCKET, "OPTIONS", &[(O, "https://www.example.com"), (RM, "GET"), (RH, "x-a")], Some(403), &[(V, PV)]),
        row("bucket: GET from elsewhere hits public-read", &BUCKET, "GET", &[(O, "https://evil.com")], None, &[(AO, "*"), (V, "Origin")]),
        row("bucket: preflight PUT from elsewhere denied", &BUCKET, "OPTIONS", &[(O, "https://evil.com"), (RM, "PUT")], Some(403), &[(V, PV)]),
        row("layered: GET hits read", &LAYERED, "GET", &[(O, "https://app.example.com")], None, &[(AO, "https://app.example.com"), (V, "Origin")]),
        row("layered: PUT with x-a hits write (credentials)", &LAYERED, "OPTIONS", &[(O, "https://app.example.com"), (RM, "PUT"), (RH, "x-a")], Some(204),
            &[(AO, "https://app.example.com"), (AC, "true"), (AM, "PUT"), (AH, "x-a"), (V, PV)]),
        row("layered: PUT with x-b falls to write-more", &LAYERED, "OPTIONS", &[(O, "https://app.example.com"), (RM, "PUT"), (RH, "x-a,x-b")], Some(204),
            &[(AO, "https://app.example.com"), (AM, "PUT, DELETE"), (AH, "x-a,x-b"), (V, PV)]),
        row("layered: DELETE from app hits write-more", &LAYERED, "DELETE", &[(O, "https://app.example.com")], None,
            &[(AO, "https://app.example.com"), (V, "Origin")]),
        row("layered: DELETE from anyone hits anyone-delete", &LAYERED, "DELETE", &[(O, "https://x.test")], None, &[(AO, "*"), (V, "Origin")]),
        row("layered: wildcard in second rule", &LAYERED, "PUT", &[(O, "https://w.example.net")], None,
            &[(AO, "https://w.example.net"), (AC, "true"), (V, "Origin")]),
        row("layered: apex of second rule's wildcard denied (preflight)", &LAYERED, "OPTIONS", &[(O, "https://example.net"), (RM, "PUT")], Some(403), &[(V, PV)]),
        row("layered: PUT with x-c denied everywhere", &LAYERED, "OPTIONS", &[(O, "https://app.example.com"), (RM, "PUT"), (RH, "x-c")], Some(403), &[(V, PV)]),

        // --- writes the cross-origin protection refuses -----------------
        // A cross-origin write the policy does not allow is answered 403 by
        // the middleware: the inner service is not called, no
        // Access-Control-* header, the Vary the CORS answer would have had.
        row("refused: cross-origin PUT, * origin, method not allowed", &PUBLIC, "PUT", &[(O, "https://anyone.test")], Some(403), &[]),
        row("refused: cross-origin PUT, method not listed", &SIMPLE, "PUT", &[(O, "https://app.example.com")], Some(403), &[(V, "Origin")]),
        row("refused: bucket: PUT from elsewhere (public-read lacks PUT)", &BUCKET, "PUT", &[(O, "https://evil.com")], Some(403), &[(V, "Origin")]),
        row("refused: layered: PUT from the apex of second rule's wildcard", &LAYERED, "PUT", &[(O, "https://example.net")], Some(403), &[(V, "Origin")]),
        row("refused: cross-site POST from an unknown origin", &SIMPLE, "POST", &[(O, "https://evil.com"), ("sec-fetch-site", "cross-site")], Some(403), &[(V, "Origin")]),
        row("refused: cookie-bearing DELETE under a * rule", &LAYERED, "DELETE", &[(O, "https://x.test"), ("cookie", "s=1")], Some(403), &[(V, "Origin")]),

        // --- adversarial origins: all denied --------------------------
        row("adversarial: suffix trick", &FULL, "GET", &[(O, "https://example.com.evil.com")], None, &[(V, "Origin")]),
        row("adversarial: prefix trick", &FULL, "GET", &[(O, "https://evilexample.com")], None, &[(V, "Origin")]),
        row("adversarial: path trick", &FULL, "GET", &[(O, "https://evil.com/.example.com")], None, &[(V, "Origin")]),
        row("adversarial: null", &FULL, "GET", &[(O, "null")], None, &[(V, "Origin")]),
        row("adversarial: uppercase host", &FULL, "GET", &[(O, "https://APP.example.com")], None, &[(V, "Origin")]),
        row("adversarial: uppercase scheme", &FULL, "GET", &[(O, "HTTPS://app.example.com")], None, &[(V, "Origin")]),
        row("adversarial: trailing dot is another origin", &SIMPLE, "GET", &[(O, "https://app.example.com.")], None, &[(V, "Origin")]),
        row("adversarial: underscore label", &SIMPLE, "GET", &[(O, "https://app_.example.com")], None, &[(V, "Origin")]),
        row("adversarial: underscore under wildcard", &DEEP, "GET", &[(O, "https://a_.evil.com")], None, &[(V, "Origin")]),
        row("adversarial: backtick", &FULL, "GET", &[(O, "https://app.example.com`.evil.com")], None, &[(V, "Origin")]),
        row("adversarial: %60", &FULL, "GET", &[(O, "https://app.example.com%60.evil.com")], None, &[(V, "Origin")]),
        row("adversarial: trailing slash", &SIMPLE, "GET", &[(O, "https://app.example.com/")], None, &[(V, "Origin")]),
        row("adversarial: default port", &SIMPLE, "GET", &[(O, "https://app.example.com:443")], None, &[(V, "Origin")]),
        row("adversarial: userinfo", &SIMPLE, "GET", &[(O, "https://evil.com@app.example.com")], None, &[(V, "Origin")]),
        row("adversarial: http downgrade", &SIMPLE, "GET", &[(O, "http://app.example.com")], None, &[(V, "Origin")]),
        row("adversarial: empty label", &FULL, "GET", &[(O, "https://a..example.com")], None, &[(V, "Origin")]),
        row("adversarial: leading dot", &FULL, "GET", &[(O, "https://.example.com")], None, &[(V, "Origin")]),
        row("adversarial: wildcard apex", &FULL, "GET", &[(O, "https://example.com")], None, &[(V, "Origin")]),
        row("adversarial: whitespace", &SIMPLE, "GET", &[(O, " https://app.example.com")], None, &[(V, "Origin")]),
        row("adversarial: empty origin", &SIMPLE, "GET", &[(O, "")], None, &[(V, "Origin")]),
        row("adversarial: very long origin", &FULL, "GET", &[(O, long_origin)], None, &[(V, "Origin")]),
        row("adversarial: label longer than 63", &FULL, "GET", &[(O, long_label)], None, &[(V, "Origin")]),
        row("adversarial: port with junk", &FULL, "GET", &[(O, "http://localhost:80x")], None, &[(V, "Origin")]),
        row("adversarial: localhost prefix", &FULL, "GET", &[(O, "http://localhost.evil.com")], None, &[(V, "Origin")]),
        raw("adversarial: non-UTF-8 bytes", &FULL, "GET", &[(O, b"https://\xffapp.example.com")], None, &[(V, "Origin")]),
        row("adversarial: wildcard scheme mismatch", &FULL, "GET", &[(O, "http://api.example.com")], None, &[(V, "Origin")]),
    ]
}

/// All values of `name`, joined with `, `; `None` when absent.
pub fn header_text(headers: &HeaderMap, name: &str) -> Option<String> {
    let values: Vec<&str> = headers
        .get_all(name)
        .iter()
        .map(|v| v.to_str().unwrap_or("<non-ascii>"))
        .collect();
    (!values.is_empty()).then(|| values.join(", "))
}

/// The differences between a response and what `row` expects, one line each:
/// the status, every header in [`CHECKED`], and no other header.
pub fn differences(row: &Row, status: Option<u16>, headers: &HeaderMap) -> Vec<String> {
    let mut failures = Vec::new();
    if status != row.status {
        failures.push(format!(
            "{}: status {status:?}, expected {:?}",
            row.name, row.status
        ));
    }
    for name in CHECKED {
        let expected = row
            .response
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| (*v).to_owned());
        let actual = header_text(headers, name);
        if actual != expected {
            failures.push(format!(
                "{}: `{name}` is {actual:?}, expected {expected:?}",
                row.name
            ));
        }
    }
    for name in headers.keys() {
        if !CHECKED.contains(&name.as_str()) {
            failures.push(format!("{}: unexpected header `{name}`", row.name));
        }
    }
    failures
}
