//! `Decision::pass` says why the cross-origin protection lets a request
//! through, one reason per row, and is `None` exactly when it refuses.

use cors_runtime::{cors_policy, Pass, Policy};
use http::Request;

cors_policy! {
    static API: Policy = {
        allow_origins: ["https://app.example.com"],
        allow_methods: [GET, POST],
        allow_credentials: true,
        open_paths: ["/pay/callback"],
    };

    static OFF: Policy = {
        cross_origin_protection: false,
        allow_origins: ["https://app.example.com"],
        allow_methods: [GET],
    };
}

fn request(method: &str, path: &str, headers: &[(&str, &str)]) -> Request<()> {
    let mut builder = Request::builder().method(method).uri(path);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder.body(()).expect("request")
}

#[test]
fn each_reason_a_request_passes_for() {
    let evil = ("origin", "https://evil.example");
    let app = ("origin", "https://app.example.com");
    let cross = ("sec-fetch-site", "cross-site");
    let rows: [(&Policy, Request<()>, Option<Pass>); 10] = [
        (&OFF, request("POST", "/", &[evil, cross]), Some(Pass::Off)),
        (
            &API,
            request("GET", "/", &[evil, cross]),
            Some(Pass::NotAWrite),
        ),
        (
            &API,
            request("DELETE", "/", &[]),
            Some(Pass::NotFromBrowser),
        ),
        (
            &API,
            request("POST", "/pay/callback", &[evil, cross]),
            Some(Pass::OpenPath),
        ),
        (
            &API,
            request("POST", "/", &[evil, ("sec-fetch-site", "same-origin")]),
            Some(Pass::SecFetchSite),
        ),
        (
            &API,
            request("POST", "/", &[evil, ("host", "evil.example")]),
            Some(Pass::SameAuthority),
        ),
        (
            &API,
            request("POST", "/", &[app, cross, ("cookie", "a=b")]),
            Some(Pass::Allowed),
        ),
        (
            &API,
            request("GET", "/", &[app, cross, ("upgrade", "websocket")]),
            Some(Pass::Allowed),
        ),
        (&API, request("POST", "/", &[evil, cross]), None),
        (
            &API,
            request("GET", "/", &[evil, cross, ("upgrade", "websocket")]),
            None,
        ),
    ];
    for (policy, request, expected) in rows {
        let decision = policy.evaluate_request(&request);
        assert_eq!(decision.pass(), expected, "{request:?}: {decision}");
        assert_eq!(decision.is_refused(), expected.is_none(), "{request:?}");
    }
}

#[cfg(feature = "s3")]
#[test]
fn s3_policies_pass_every_request_as_off() {
    let policy = Policy::from_s3_json(
        r#"{"CORSRules": [{"AllowedOrigins": ["https://app.example.com"], "AllowedMethods": ["GET"]}]}"#,
    )
    .expect("an S3 configuration");
    let post = request(
        "POST",
        "/",
        &[
            ("origin", "https://evil.example"),
            ("sec-fetch-site", "cross-site"),
        ],
    );
    assert_eq!(policy.evaluate_request(&post).pass(), Some(Pass::Off));
    assert!(!policy.cross_origin_protection());
}
