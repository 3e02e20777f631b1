//! The behaviour table: one row per request, with the status the middleware
//! answers with by itself (a preflight or a refused write) and every CORS
//! response header (a header a row does not list must be absent). It pins
//! the README's response table ("At run time") row by row.

use cors_runtime::Policy;
use cors_tests::table::*;
use cors_tests::*;
use http::{HeaderMap, HeaderValue, Method};

#[test]
fn behaviour_table() {
    let rows = rows();
    assert!(rows.len() >= 80, "the table has {} rows", rows.len());
    let mut failures = Vec::new();
    for row in &rows {
        let method = Method::from_bytes(row.method.as_bytes()).expect("row method");
        let request = request_headers(&row.request);
        let decision = row.policy.evaluate(&method, &request);
        let mut response = HeaderMap::new();
        decision.apply(&mut response);
        let status = decision.preflight_status().map(|s| s.as_u16());
        for failure in differences(row, status, &response) {
            failures.push(format!("{failure} ({decision})"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// `Vary` merges with what the service already set, and `Access-Control-*`
/// headers replace the service's.
/// `(policy, method, request headers, the service's Vary, the expected Vary)`.
type VaryCase = (
    &'static Policy,
    &'static str,
    &'static [(&'static str, &'static str)],
    &'static [&'static str],
    &'static [&'static str],
);

#[test]
#[rustfmt::skip]
fn vary_is_merged_not_replaced() {
    let cases: [VaryCase; 5] = [
        (&SIMPLE, "GET", &[(O, "https://app.example.com")], &["Accept-Encoding"], &["Accept-Encoding", "Origin"]),
        (&SIMPLE, "GET", &[(O, "https://app.example.com")], &["accept-encoding, origin"], &["accept-encoding, origin"]),
        (&SIMPLE, "GET", &[], &["Cookie"], &["Cookie", "Origin"]),
        (&SIMPLE, "OPTIONS", &[(O, "https://app.example.com"), (RM, "GET")], &["*"], &["*"]),
        (&SIMPLE, "OPTIONS", &[(O, "https://evil.com"), (RM, "GET")], &["Origin"],
            &["Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers"]),
    ];
    for (policy, method, request, existing, expected) in cases {
        let pairs: Vec<(&str, &[u8])> = request.iter().map(|(n, v)| (*n, v.as_bytes())).collect();
        let request = request_headers(&pairs);
        let method = Method::from_bytes(method.as_bytes()).expect("method");
        let mut response = HeaderMap::new();
        for value in existing {
            response.append("vary", HeaderValue::from_static(value));
        }
        policy.evaluate(&method, &request).apply(&mut response);
        let vary: Vec<&str> = response.get_all("vary").iter().map(|v| v.to_str().unwrap_or("")).collect();
        assert_eq!(vary, expected, "{existing:?} + {request:?}");
    }
}

#[test]
fn access_control_headers_replace_the_services() {
    let request = request_headers(&[(O, b"https://app.example.com")]);
    let mut response = HeaderMap::new();
    response.insert(AO, HeaderValue::from_static("https://stale.example"));
    SIMPLE.evaluate(&Method::GET, &request).apply(&mut response);
    assert_eq!(
        header_text(&response, AO).as_deref(),
        Some("https://app.example.com")
    );
}

/// `Display` names the rule and the part of the request that failed.
/// `(policy, method, request headers, expected Display)`.
type DisplayCase = (
    &'static Policy,
    &'static str,
    &'static [(&'static str, &'static str)],
    &'static str,
);

#[test]
#[rustfmt::skip]
fn decisions_explain_themselves() {
    let cases: [DisplayCase; 10] = [
        (&SIMPLE, "GET", &[], "not a CORS request: no Origin header"),
        (&SIMPLE, "GET", &[(O, "https://app.example.com")], "allowed request: origin `https://app.example.com` and method `GET` match rule 0"),
        (&BUCKET, "OPTIONS", &[(O, "https://www.example.com"), (RM, "PUT"), (RH, "x-a")],
            "allowed preflight: origin `https://www.example.com` and method `PUT` and headers `x-a` match rule 1 (`uploads`)"),
        (&SIMPLE, "GET", &[(O, "https://evil.com")], "denied request: origin `https://evil.com` is not allowed by any rule"),
        (&SIMPLE, "HEAD", &[(O, "https://app.example.com")], "denied request: the origin matches rule 0, but its methods do not include `HEAD` (methods are case-sensitive)"),
        (&SIMPLE, "PUT", &[(O, "https://app.example.com")], "cross-origin PUT from https://app.example.com: the origin matches rule 0, but its methods do not include PUT"),
        (&LAYERED, "OPTIONS", &[(O, "https://app.example.com"), (RM, "PUT"), (RH, "x-c")],
            "denied preflight: the origin matches rule 0 (`read`), but its methods do not include `PUT` (methods are case-sensitive)"),
        (&SIMPLE, "OPTIONS", &[(O, "https://app.example.com"), (RM, "GET"), (RH, "x-b")],
            "denied preflight: the origin and method match rule 0, but it does not allow the request header `x-b`"),
        (&SIMPLE, "GET", &[(O, "null")], "denied request: malformed origin: the `null` origin is shared by sandboxed and local documents and can be forged"),
        (&SIMPLE, "OPTIONS", &[(O, "https://app.example.com"), (RM, "")], "denied preflight: malformed preflight: Access-Control-Request-Method is empty or not a valid method token"),
    ];
    for (policy, method, request, expected) in cases {
        let pairs: Vec<(&str, &[u8])> = request.iter().map(|(n, v)| (*n, v.as_bytes())).collect();
        let request = request_headers(&pairs);
        let method = Method::from_bytes(method.as_bytes()).expect("method");
        assert_eq!(policy.evaluate(&method, &request).to_string(), expected);
    }
}
