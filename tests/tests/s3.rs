//! Amazon S3 semantics: the acceptance cases of the research note, run
//! against the compile-time import (`include_s3_json!`/`include_s3_xml!`)
//! and the run-time loaders (`Policy::from_s3_json`/`from_s3_xml`) of the
//! same files; differential property tests showing both paths decide
//! identically; S3's error answers; reading configurations back.

use cors_runtime::s3::answers::{self, ResourceType};
use cors_runtime::Policy;
use cors_tests::request_headers;
use cors_tests::s3::{COMPILED, FILES};
use cors_tests::table::{differences, Row, AC, AH, AM, AO, EH, MA, O, RH, RM, V};
use http::{HeaderMap, Method};
use proptest::prelude::*;

/// S3's exact `Vary` on every matched answer.
const SV: &str = "Origin, Access-Control-Request-Headers, Access-Control-Request-Method";

fn runtime_policies() -> Vec<&'static Policy> {
    FILES
        .iter()
        .map(|(name, text, xml)| {
            let policy = if *xml {
                Policy::from_s3_xml(text)
            } else {
                Policy::from_s3_json(text)
            };
            let policy = policy.unwrap_or_else(|error| panic!("{name}: {error}"));
            &*Box::leak(Box::new(policy))
        })
        .collect()
}

/// `(config index, name, method, request headers, status, response headers)`.
type Case = (
    usize,
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
    Option<u16>,
    &'static [(&'static str, &'static str)],
);

#[rustfmt::skip] // one case per line
const CASES: &[Case] = &[
    (0, "#1 uploads, headers lowercased", "OPTIONS", &[(O, "https://app.example.com"), (RM, "PUT"), (RH, "Content-Type, x-amz-acl")], Some(200),
        &[(AO, "https://app.example.com"), (AC, "true"), (AM, "PUT, POST, DELETE"), (AH, "content-type, x-amz-acl"), (EH, "ETag, x-amz-request-id"), (MA, "3000"), (V, SV)]),
    (0, "#2 falls through to subdomains", "OPTIONS", &[(O, "https://app.example.com"), (RM, "GET")], Some(200),
        &[(AO, "https://app.example.com"), (AC, "true"), (AM, "GET, HEAD"), (MA, "600"), (V, SV)]),
    (0, "#3 header glob, case-insensitive", "OPTIONS", &[(O, "https://cdn.example.com"), (RM, "GET"), (RH, "x-amz-date,range")], Some(200),
        &[(AO, "https://cdn.example.com"), (AC, "true"), (AM, "GET, HEAD"), (AH, "x-amz-date, range"), (MA, "600"), (V, SV)]),
    (0, "#4 no rule allows content-type", "OPTIONS", &[(O, "https://cdn.example.com"), (RM, "GET"), (RH, "content-type")], Some(403), &[]),
    (0, "#5 subdomains before the * rule", "OPTIONS", &[(O, "https://cdn.example.com"), (RM, "GET")], Some(200),
        &[(AO, "https://cdn.example.com"), (AC, "true"), (AM, "GET, HEAD"), (MA, "600"), (V, SV)]),
    (0, "#6 * rule answers *", "OPTIONS", &[(O, "https://evil.test"), (RM, "GET")], Some(200), &[(AO, "*"), (AM, "GET"), (V, SV)]),
    (0, "#7 no rule allows PUT", "OPTIONS", &[(O, "https://evil.test"), (RM, "PUT")], Some(403), &[]),
    (0, "#8 apex caught by *", "OPTIONS", &[(O, "https://example.com"), (RM, "GET")], Some(200), &[(AO, "*"), (AM, "GET"), (V, SV)]),
    (0, "#9 * spans dots", "OPTIONS", &[(O, "https://a.b.example.com"), (RM, "HEAD")], Some(200),
        &[(AO, "https://a.b.example.com"), (AC, "true"), (AM, "GET, HEAD"), (MA, "600"), (V, SV)]),
    (0, "#10 scheme significant", "OPTIONS", &[(O, "http://app.example.com"), (RM, "PUT")], Some(403), &[]),
    (0, "#11 explicit port", "OPTIONS", &[(O, "https://app.example.com:443"), (RM, "PUT")], Some(403), &[]),
    (0, "#12 origins case-sensitive", "OPTIONS", &[(O, "https://APP.example.com"), (RM, "PUT")], Some(403), &[]),
    (0, "#13 trailing slash", "OPTIONS", &[(O, "https://app.example.com/"), (RM, "PUT")], Some(403), &[]),
    (0, "#15 GET matches subdomains", "GET", &[(O, "https://app.example.com")], None,
        &[(AO, "https://app.example.com"), (AC, "true"), (AM, "GET, HEAD"), (MA, "600"), (V, SV)]),
    (0, "#16 PUT matches uploads", "PUT", &[(O, "https://app.example.com")], None,
        &[(AO, "https://app.example.com"), (AC, "true"), (AM, "PUT, POST, DELETE"), (EH, "ETag, x-amz-request-id"), (MA, "3000"), (V, SV)]),
    (0, "#17 GET from anywhere", "GET", &[(O, "https://evil.test")], None, &[(AO, "*"), (AM, "GET"), (V, SV)]),
    (0, "#18 DELETE never refused, no headers", "DELETE", &[(O, "https://evil.test")], None, &[]),
    (0, "#19 no Origin", "GET", &[], None, &[]),
    (0, "#20 real headers not checked", "GET", &[(O, "https://cdn.example.com"), ("x-custom", "1")], None,
        &[(AO, "https://cdn.example.com"), (AC, "true"), (AM, "GET, HEAD"), (MA, "600"), (V, SV)]),
    (0, "#21 ACRM on GET picks uploads", "GET", &[(O, "https://app.example.com"), (RM, "PUT")], None,
        &[(AO, "https://app.example.com"), (AC, "true"), (AM, "PUT, POST, DELETE"), (EH, "ETag, x-amz-request-id"), (MA, "3000"), (V, SV)]),
    (0, "#22 ACRM PUT matches nothing", "GET", &[(O, "https://evil.test"), (RM, "PUT")], None, &[]),
    (0, "#23 ACRH evaluated on GET", "GET", &[(O, "https://cdn.example.com"), (RH, "content-type")], None, &[]),
    (1, "#25 wildcard inside a label", "OPTIONS", &[(O, "https://pr-42-preview.example.com"), (RM, "GET")], Some(200),
        &[(AO, "https://pr-42-preview.example.com"), (AC, "true"), (AM, "GET"), (V, SV)]),
    (1, "#26 * matches empty", "OPTIONS", &[(O, "https://-preview.example.com"), (RM, "GET")], Some(200),
        &[(AO, "https://-preview.example.com"), (AC, "true"), (AM, "GET"), (V, SV)]),
    (1, "#27 anchored at the end", "OPTIONS", &[(O, "https://pr-42-preview.example.com.evil.net"), (RM, "GET")], Some(403), &[]),
    (1, "#28 wildcard mid-origin + header glob", "OPTIONS", &[(O, "https://app.eu.example.org"), (RM, "PUT"), (RH, "X-Tenant-Id")], Some(200),
        &[(AO, "https://app.eu.example.org"), (AC, "true"), (AM, "GET, PUT"), (AH, "x-tenant-id"), (V, SV)]),
    (1, "#29 one unmatched header", "OPTIONS", &[(O, "https://app.eu.example.org"), (RM, "PUT"), (RH, "x-tenant-id, authorization")], Some(403), &[]),
    (1, "#30 prefix required", "OPTIONS", &[(O, "https://api.eu.example.org"), (RM, "GET")], Some(403), &[]),
    (1, "#31 prefix and suffix do not overlap", "OPTIONS", &[(O, "https://app.example.org"), (RM, "GET")], Some(403), &[]),
    (1, "#32 trailing wildcard port", "OPTIONS", &[(O, "http://localhost:5173"), (RM, "POST")], Some(200),
        &[(AO, "http://localhost:5173"), (AC, "true"), (AM, "GET, POST"), (V, SV)]),
    (1, "#33 no port, no match", "OPTIONS", &[(O, "http://localhost"), (RM, "GET")], Some(403), &[]),
    (1, "#34 non-URL origin, empty *", "OPTIONS", &[(O, "startend"), (RM, "GET")], Some(200), &[(AO, "startend"), (AC, "true"), (AM, "GET"), (V, SV)]),
    (1, "#35 anchored at the start", "OPTIONS", &[(O, "0start12end"), (RM, "GET")], Some(403), &[]),
    (1, "#36 preview rule is GET-only", "OPTIONS", &[(O, "https://pr-1-preview.example.com"), (RM, "PUT")], Some(403), &[]),
    (2, "#37 headers case-insensitive, expose case kept", "OPTIONS", &[(O, "https://Mixed.Example.com"), (RM, "DELETE"), (RH, "x-custom-header,X-AMZ-META-Owner")], Some(200),
        &[(AO, "https://Mixed.Example.com"), (AC, "true"), (AM, "DELETE"), (AH, "x-custom-header, x-amz-meta-owner"), (EH, "X-Amz-Version-Id"), (V, SV)]),
    (2, "#38 origin case-sensitive", "OPTIONS", &[(O, "https://mixed.example.com"), (RM, "DELETE")], Some(403), &[]),
    (2, "#39 empty element dropped", "OPTIONS", &[(O, "https://Mixed.Example.com"), (RM, "DELETE"), (RH, "x-custom-header,,x-amz-meta-a")], Some(200),
        &[(AO, "https://Mixed.Example.com"), (AC, "true"), (AM, "DELETE"), (AH, "x-custom-header, x-amz-meta-a"), (EH, "X-Amz-Version-Id"), (V, SV)]),
    (2, "#40 method case-sensitive", "OPTIONS", &[(O, "https://Mixed.Example.com"), (RM, "delete")], Some(403), &[]),
    (3, "#41 expose on preflight", "OPTIONS", &[(O, "https://x.test"), (RM, "GET")], Some(200), &[(AO, "*"), (AM, "GET"), (EH, "x-amz-meta-foo"), (V, SV)]),
    (3, "#42 no AllowedHeaders, no header", "OPTIONS", &[(O, "https://x.test"), (RM, "GET"), (RH, "x-amz-meta-bar")], Some(403), &[]),
    (3, "#43 non-URL origin under *", "OPTIONS", &[(O, "localhost:4566"), (RM, "GET")], Some(200), &[(AO, "*"), (AM, "GET"), (EH, "x-amz-meta-foo"), (V, SV)]),
    (3, "#44 expose on actual", "GET", &[(O, "https://x.test")], None, &[(AO, "*"), (AM, "GET"), (EH, "x-amz-meta-foo"), (V, SV)]),
    (4, "#45 * beside a listed origin answers *", "OPTIONS", &[(O, "https://a.example"), (RM, "GET")], Some(200), &[(AO, "*"), (AM, "GET"), (V, SV)]),
];

fn run(policy: &'static Policy, case: &Case) -> Vec<String> {
    let (_, name, method, request, status, response) = *case;
    let row = Row {
        name,
        policy,
        method,
        request: request.iter().map(|(n, v)| (*n, v.as_bytes())).collect(),
        status,
        response: response.to_vec(),
    };
    let headers = request_headers(&row.request);
    let method = Method::from_bytes(method.as_bytes()).expect("method");
    let decision = policy.evaluate(&method, &headers);
    let mut answer = HeaderMap::new();
    decision.apply(&mut answer);
    let status = decision.preflight_status().map(|s| s.as_u16());
    differences(&row, status, &answer)
        .into_iter()
        .map(|d| format!("{d} ({decision})"))
        .collect()
}

#[test]
fn acceptance_cases_on_both_paths() {
    let runtime = runtime_policies();
    let mut failures = Vec::new();
    for case in CASES {
        for (path, policy) in [
            ("compile-time", COMPILED[case.0]),
            ("run-time", runtime[case.0]),
        ] {
            failures.extend(
                run(policy, case)
                    .into_iter()
                    .map(|f| format!("{path}: {f}")),
            );
        }
    }
    assert!(CASES.len() >= 40, "{} cases", CASES.len());
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn configurations_read_back_as_written() {
    let runtime = runtime_policies();
    for ((name, text, xml), (compiled, loaded)) in FILES.iter().zip(COMPILED.iter().zip(&runtime)) {
        assert_eq!(
            compiled.s3_configuration(),
            loaded.s3_configuration(),
            "{name}"
        );
        let json = loaded.to_s3_json().expect("an S3 policy");
        // Canonical input round-trips byte for byte.
        if !xml && text.trim_start().starts_with('{') {
            assert_eq!(json, text.trim_end(), "{name}");
        }
        let again = Policy::from_s3_json(&json).expect("re-load");
        assert_eq!(again.to_s3_xml(), loaded.to_s3_xml(), "{name}");
    }
    assert_eq!(cors_tests::SIMPLE.to_s3_json(), None);
}

#[test]
fn s3_error_answers_as_data() {
    let body = answers::NOT_ALLOWED.body("PUT", ResourceType::Object);
    assert_eq!(answers::NOT_ALLOWED.status, 403);
    assert!(body.contains("<Code>AccessForbidden</Code><Message>CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin"), "{body}");
    assert!(
        body.ends_with("<Method>PUT</Method><ResourceType>OBJECT</ResourceType></Error>"),
        "{body}"
    );
    let body = answers::ORIGIN_MISSING.body("OPTIONS", ResourceType::Bucket);
    assert_eq!(answers::ORIGIN_MISSING.status, 400);
    assert!(body.ends_with("<Code>BadRequest</Code><Message>Insufficient information. Origin request header needed.</Message></Error>"), "{body}");
    assert!(answers::NOT_ENABLED.body("GET", ResourceType::Bucket).contains("CORS is not enabled for this bucket.</Message><Method>GET</Method><ResourceType>BUCKET</ResourceType>"));
    assert_eq!(
        answers::BUCKET_NOT_FOUND.message,
        "CORSResponse: Bucket not found"
    );
}

#[test]
fn loaders_report_typed_errors() {
    let error = Policy::from_s3_json(
        r#"{"CORSRules":[{"ID":"a","AllowedOrigins":["*"],"AllowedMethods":["PATCH"]}]}"#,
    )
    .unwrap_err();
    assert_eq!(error.code(), cors_runtime::s3::ErrorCode::InvalidRequest);
    assert!(
        error.to_string().contains("rule 0 (`a`), AllowedMethods"),
        "{error}"
    );
    assert!(matches!(
        Policy::from_s3_xml("<nope/>"),
        Err(cors_runtime::s3::LoadError::Syntax { .. })
    ));
}

fn origin() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "https://app.example.com",
            "https://cdn.example.com",
            "https://a.b.example.com",
            "https://example.com",
            "https://evil.test",
            "http://app.example.com",
            "https://APP.example.com",
            "https://pr-1-preview.example.com",
            "https://-preview.example.com",
            "https://app.eu.example.org",
            "https://app.example.org",
            "http://localhost:5173",
            "http://localhost",
            "startend",
            "start-end",
            "0start12end",
            "https://Mixed.Example.com",
            "https://a.example",
            "localhost:4566",
            "null",
        ])
        .prop_map(str::to_owned),
        "[a-z:/.*-]{0,24}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    /// Both paths decide every request identically: same kind, same rule,
    /// same status, same headers.
    #[test]
    fn compile_time_and_run_time_agree(
        which in 0usize..5,
        origin in prop::option::of(origin()),
        method in prop::sample::select(vec!["GET", "PUT", "POST", "DELETE", "HEAD", "OPTIONS", "PATCH"]),
        acrm in prop::option::of(prop::sample::select(vec!["GET", "PUT", "POST", "DELETE", "HEAD", "delete", ""])),
        acrh in prop::option::of(prop::sample::select(vec!["", "content-type", "x-amz-date,Range", "X-Tenant-Id", "x-custom-header, x-amz-meta-a", "authorization", "a b"])),
    ) {
        let runtime = runtime_policies();
        let mut pairs: Vec<(&str, &[u8])> = Vec::new();
        if let Some(origin) = &origin { pairs.push(("origin", origin.as_bytes())); }
        if let Some(acrm) = acrm { pairs.push((RM, acrm.as_bytes())); }
        if let Some(acrh) = acrh { pairs.push((RH, acrh.as_bytes())); }
        let headers = request_headers(&pairs);
        let method = Method::from_bytes(method.as_bytes()).expect("method");
        let compiled = COMPILED[which].evaluate(&method, &headers);
        let loaded = runtime[which].evaluate(&method, &headers);
        prop_assert_eq!(compiled.to_string(), loaded.to_string());
        prop_assert_eq!(compiled.preflight_status(), loaded.preflight_status());
        let (mut a, mut b) = (HeaderMap::new(), HeaderMap::new());
        compiled.apply(&mut a);
        loaded.apply(&mut b);
        prop_assert_eq!(a, b);
    }
}
