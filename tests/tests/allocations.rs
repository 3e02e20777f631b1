//! `Policy::evaluate` performs no heap allocation: a counting global
//! allocator measures it for preflight, actual, denied and non-CORS requests,
//! and `Policy::evaluate_request` for the cross-origin protection's verdicts.
use cors_tests::counting::{allocations_during, CountingAllocator};
use cors_tests::*;
use http::Method;

#[global_allocator]
static GLOBAL: CountingAllocator = CountingAllocator;

/// `(name, policy, method, request headers)`.
type Case<'a> = (
    &'a str,
    &'static cors_runtime::Policy,
    Method,
    Vec<(&'a str, &'a [u8])>,
);

#[test]
fn evaluate_never_allocates() {
    let long = format!("https://{}example.com", "a.".repeat(100));
    let cases: Vec<Case<'_>> = vec![
        (
            "allowed preflight",
            &FULL,
            Method::OPTIONS,
            vec![
                ("origin", b"https://a.b.example.com"),
                ("access-control-request-method", b"PUT"),
                ("access-control-request-headers", b"content-type,x-api-key"),
            ],
        ),
        (
            "denied preflight",
            &FULL,
            Method::OPTIONS,
            vec![
                ("origin", b"https://app.example.com"),
                ("access-control-request-method", b"PUT"),
                ("access-control-request-headers", b"content-type,x-other"),
            ],
        ),
        (
            "allowed actual",
            &FULL,
            Method::GET,
            vec![("origin", b"https://app.example.com")],
        ),
        (
            "denied actual",
            &FULL,
            Method::GET,
            vec![("origin", b"https://evil.com")],
        ),
        (
            "malformed origin",
            &FULL,
            Method::GET,
            vec![("origin", b"https://EVIL.com/")],
        ),
        (
            "deep subdomain",
            &FULL,
            Method::GET,
            vec![("origin", long.as_bytes())],
        ),
        (
            "multi-rule fall-through",
            &LAYERED,
            Method::OPTIONS,
            vec![
                ("origin", b"https://app.example.com"),
                ("access-control-request-method", b"PUT"),
                ("access-control-request-headers", b"x-a,x-b"),
            ],
        ),
        (
            "echo",
            &ECHO,
            Method::OPTIONS,
            vec![
                ("origin", b"https://app.example.com"),
                ("access-control-request-method", b"PATCH"),
                ("access-control-request-headers", b"authorization"),
            ],
        ),
        ("not CORS", &FULL, Method::GET, vec![]),
    ];
    // The same policies loaded at run time from JSON (built before counting).
    let loaded = |json: &str| -> &'static cors_runtime::Policy {
        Box::leak(Box::new(
            cors_runtime::Policy::from_json(json).expect("twin"),
        ))
    };
    let full_json = loaded(
        r#"{"allow_origins": ["https://app.example.com", "https://*.example.com", "http://localhost:*"], "allow_methods": ["GET", "POST", "PUT", "DELETE"], "allow_headers": ["content-type", "x-api-*"], "expose_headers": ["etag", "x-request-id"], "max_age": 600, "allow_credentials": true}"#,
    );
    let layered_json = loaded(
        r#"[{"id": "read", "allow_origins": ["https://app.example.com"], "allow_methods": ["GET"]},
        {"id": "write", "allow_origins": ["https://app.example.com", "https://*.example.net"], "allow_methods": ["PUT"], "allow_headers": ["x-a"], "allow_credentials": true},
        {"id": "write-more", "allow_origins": ["https://app.example.com"], "allow_methods": ["PUT", "DELETE"], "allow_headers": ["x-a", "x-b"]},
        {"id": "anyone-delete", "allow_origins": ["*"], "allow_methods": ["DELETE"]}]"#,
    );
    let echo_json = loaded(
        r#"{"allow_origins": ["https://app.example.com"], "allow_methods": ["*"], "allow_headers": ["*"], "max_age": 0, "allow_credentials": true}"#,
    );
    let twin = |policy: &'static cors_runtime::Policy| {
        if std::ptr::eq(policy, &FULL) {
            full_json
        } else if std::ptr::eq(policy, &LAYERED) {
            layered_json
        } else {
            echo_json
        }
    };
    for (name, policy, method, pairs) in cases {
        let request = request_headers(&pairs);
        for (source, policy) in [("compiled", policy), ("run-time", twin(policy))] {
            let mut allowed = None;
            let count = allocations_during(|| {
                let decision = policy.evaluate(&method, &request);
                allowed = Some((decision.is_allowed(), decision.preflight_status()));
            });
            assert_eq!(
                count, 0,
                "{name} ({source}): evaluate allocated {count} times"
            );
            assert!(allowed.is_some(), "{name}");
        }
    }
    // S3 policies, compiled and loaded at run time (built before counting).
    let loaded: &'static cors_runtime::Policy = Box::leak(Box::new(
        cors_runtime::Policy::from_s3_json(cors_tests::s3::FILES[0].1).expect("C1"),
    ));
    let s3_preflight: Vec<(&str, &[u8])> = vec![
        ("origin", b"https://app.example.com"),
        ("access-control-request-method", b"PUT"),
        ("access-control-request-headers", b"Content-Type, x-amz-acl"),
    ];
    for (name, policy) in [
        ("compiled S3", &cors_tests::s3::C1),
        ("run-time S3", loaded),
    ] {
        let _ = policy.rule_count(); // builds a compiled S3 matcher on first use
        for (method, pairs) in [
            (Method::OPTIONS, &s3_preflight),
            (
                Method::GET,
                &vec![("origin", &b"https://cdn.example.com"[..])],
            ),
        ] {
            let request = request_headers(pairs);
            let count = allocations_during(|| policy.evaluate(&method, &request).is_allowed());
            assert_eq!(
                count, 0,
                "{name} {method}: evaluate allocated {count} times"
            );
        }
    }
    // The counter works: a Vec allocates.
    assert!(allocations_during(|| drop(std::hint::black_box(vec![1u8]))) > 0);
}

/// The cross-origin protection allocates nothing either: allowed and
/// refused cross-site writes, a cookie-bearing refusal and WebSocket
/// handshakes, for a compiled policy and the same policy loaded from JSON,
/// through `Policy::evaluate_request` (the URI's path and authority read).
#[test]
fn the_protection_never_allocates() {
    use cors_tests::protection_table::TIERED;
    let loaded = cors_runtime::Policy::from_json(
        r#"[{"id": "public", "allow_origins": ["https://app.example.com"], "allow_methods": ["GET", "POST"]},
            {"id": "session", "allow_origins": ["https://app.example.com"], "allow_methods": ["POST", "PUT", "DELETE"], "allow_credentials": true},
            {"id": "anyone-read", "allow_origins": ["*"], "allow_methods": ["GET"]}]"#,
    )
    .expect("a valid policy");
    const APP: &str = "https://app.example.com";
    const EVIL: &str = "https://evil.example";
    const COOKIE: (&str, &str) = ("cookie", "session=1");
    const WS: (&str, &str) = ("upgrade", "websocket");
    // `(name, request, refused)`.
    let requests: Vec<(&str, http::Request<()>, bool)> = vec![
        ("allowed cross-site POST", write("POST", APP, &[]), false),
        (
            "allowed cross-site PUT, credentialed rule, cookie",
            write("PUT", APP, &[COOKIE]),
            false,
        ),
        (
            "refused cross-site POST",
            write("POST", EVIL, &[COOKIE]),
            true,
        ),
        (
            "cookie-bearing refusal (rule without credentials)",
            write("POST", APP, &[COOKIE]),
            true,
        ),
        (
            "allowed WebSocket handshake",
            write("GET", APP, &[WS]),
            false,
        ),
        (
            "refused WebSocket handshake (cookie, `*` rule without credentials)",
            write("GET", EVIL, &[WS, COOKIE]),
            true,
        ),
        (
            "refused method override",
            write("POST", APP, &[("x-http-method-override", "PATCH")]),
            true,
        ),
    ];
    for (source, policy) in [("compiled", &TIERED), ("run-time", &loaded)] {
        for (name, request, refused) in &requests {
            let mut verdict = None;
            let count = allocations_during(|| {
                verdict = Some(policy.evaluate_request(request).is_refused());
            });
            assert_eq!(verdict, Some(*refused), "{name} ({source}): verdict");
            assert_eq!(count, 0, "{name} ({source}): allocated {count} times");
        }
    }
}

/// A cross-site request from `origin` to `https://api.example.com/orders`.
fn write(method: &str, origin: &str, extra: &[(&str, &str)]) -> http::Request<()> {
    let mut builder = http::Request::builder()
        .method(method)
        .uri("https://api.example.com/orders")
        .header("origin", origin)
        .header("sec-fetch-site", "cross-site");
    for (name, value) in extra {
        builder = builder.header(*name, *value);
    }
    builder.body(()).expect("request")
}
