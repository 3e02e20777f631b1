//! The formats: canonical round trips byte for byte, the variants S3
//! accepts, S3's validation cases, and loaders that never panic.

use cors_s3::{from_json, from_xml, CorsConfiguration, CorsRule, ErrorCode, LoadError};
use proptest::prelude::*;

const CANONICAL_JSON: &str = r#"{"CORSRules":[{"ID":"uploads","AllowedHeaders":["*"],"AllowedMethods":["PUT","POST","DELETE"],"AllowedOrigins":["https://app.example.com"],"ExposeHeaders":["ETag","x-amz-request-id"],"MaxAgeSeconds":3000},{"AllowedMethods":["GET","HEAD"],"AllowedOrigins":["*"]}]}"#;

const CANONICAL_XML: &str = r#"<CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><CORSRule><ID>uploads</ID><AllowedOrigin>https://app.example.com</AllowedOrigin><AllowedMethod>PUT</AllowedMethod><AllowedMethod>POST</AllowedMethod><AllowedMethod>DELETE</AllowedMethod><AllowedHeader>*</AllowedHeader><ExposeHeader>ETag</ExposeHeader><ExposeHeader>x-amz-request-id</ExposeHeader><MaxAgeSeconds>3000</MaxAgeSeconds></CORSRule><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><AllowedMethod>HEAD</AllowedMethod></CORSRule></CORSConfiguration>"#;

#[test]
fn canonical_forms_round_trip_byte_for_byte() {
    let from_j = from_json(CANONICAL_JSON).expect("json");
    let from_x = from_xml(CANONICAL_XML).expect("xml");
    assert_eq!(from_j, from_x);
    assert_eq!(from_j.to_json(), CANONICAL_JSON);
    assert_eq!(from_j.to_xml(), CANONICAL_XML);
}

#[test]
fn accepts_the_variants_s3_accepts() {
    let expected = from_xml(CANONICAL_XML).expect("canonical");
    let variant = r#"<?xml version="1.0" encoding="UTF-8"?>
<!-- as the AWS user guide writes it: no namespace, any child order -->
<CORSConfiguration>
  <CORSRule>
    <AllowedMethod>PUT</AllowedMethod>
    <AllowedOrigin>https://app.example.com</AllowedOrigin>
    <ID>uploads</ID>
    <AllowedMethod>POST</AllowedMethod>
    <AllowedHeader>*</AllowedHeader>
    <MaxAgeSeconds>3000</MaxAgeSeconds>
    <AllowedMethod>DELETE</AllowedMethod>
    <ExposeHeader>ETag</ExposeHeader>
    <ExposeHeader>x-amz-request-id</ExposeHeader>
  </CORSRule>
  <CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><AllowedMethod>HEAD</AllowedMethod></CORSRule>
</CORSConfiguration>
"#;
    assert_eq!(from_xml(variant).expect("variant"), expected);
    let console = r#"[{"ID":"uploads","AllowedHeaders":["*"],"AllowedMethods":["PUT","POST","DELETE"],"AllowedOrigins":["https://app.example.com"],"ExposeHeaders":["ETag","x-amz-request-id"],"MaxAgeSeconds":3000},{"AllowedOrigins":["*"],"AllowedMethods":["GET","HEAD"]}]"#;
    assert_eq!(from_json(console).expect("console form"), expected);
    let escaped = r#"<CORSConfiguration><CORSRule><ID>a&amp;b&#x41;&#66;&lt;</ID><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>"#;
    let config = from_xml(escaped).expect("entities");
    assert_eq!(config.rules[0].id.as_deref(), Some("a&bAB<"));
    assert_eq!(from_xml(&config.to_xml()).expect("re-read"), config);
}

fn codes(
    result: Result<CorsConfiguration, LoadError>,
) -> Vec<(Option<usize>, &'static str, ErrorCode)> {
    match result {
        Err(LoadError::Invalid(errors)) => {
            errors.iter().map(|e| (e.rule, e.field, e.code)).collect()
        }
        other => panic!("expected validation errors, got {other:?}"),
    }
}

fn rule(body: &str) -> String {
    format!(r#"{{"CORSRules":[{body}]}}"#)
}

#[test]
fn s3_validation_cases() {
    use ErrorCode::*;
    assert_eq!(
        codes(from_json(r#"{"CORSRules":[]}"#)),
        [(None, "CORSRules", MalformedXml)]
    );
    let valid = r#"{"AllowedOrigins":["*"],"AllowedMethods":["GET"]}"#;
    let hundred = format!(r#"{{"CORSRules":[{}]}}"#, vec![valid; 100].join(","));
    assert!(from_json(&hundred).is_ok());
    let too_many = format!(r#"{{"CORSRules":[{}]}}"#, vec![valid; 101].join(","));
    assert_eq!(
        codes(from_json(&too_many)),
        [(None, "CORSRules", InvalidRequest)]
    );
    assert_eq!(
        codes(from_json(&rule(
            r#"{"AllowedOrigins":["*"],"AllowedMethods":["PATCH","get"]}"#
        ))),
        [
            (Some(0), "AllowedMethods", InvalidRequest),
            (Some(0), "AllowedMethods", InvalidRequest)
        ]
    );
    assert_eq!(
        codes(from_json(&rule(
            r#"{"AllowedOrigins":["*example*.com"],"AllowedMethods":["GET"]}"#
        ))),
        [(Some(0), "AllowedOrigins", InvalidRequest)]
    );
    assert_eq!(
        codes(from_json(&rule(
            r#"{"AllowedOrigins":["*"],"AllowedMethods":["GET"],"AllowedHeaders":["*-amz-*"]}"#
        ))),
        [(Some(0), "AllowedHeaders", InvalidRequest)]
    );
    assert_eq!(
        codes(from_json(&rule(
            r#"{"AllowedOrigins":["*"],"AllowedMethods":["GET"],"ExposeHeaders":["x-amz-*","a b"]}"#
        ))),
        [
            (Some(0), "ExposeHeaders", InvalidRequest),
            (Some(0), "ExposeHeaders", InvalidRequest)
        ]
    );
    assert_eq!(
        codes(from_json(&rule(r#"{"AllowedMethods":["GET"]}"#))),
        [(Some(0), "AllowedOrigins", MalformedXml)]
    );
    assert_eq!(codes(from_xml("<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin></CORSRule></CORSConfiguration>")),
        [(Some(0), "AllowedMethods", MalformedXml)]);
    assert!(from_json(&rule(
        r#"{"AllowedOrigins":["*","https://test.com"],"AllowedMethods":["GET"]}"#
    ))
    .is_ok());
    let long_id = format!(
        r#"{{"ID":"{}","AllowedOrigins":["*"],"AllowedMethods":["GET"]}}"#,
        "x".repeat(256)
    );
    assert_eq!(
        codes(from_json(&rule(&long_id))),
        [(Some(0), "ID", InvalidRequest)]
    );
    assert_eq!(
        codes(from_json(&rule(
            r#"{"AllowedOrigins":["*"],"AllowedMethods":["GET"],"MaxAgeSeconds":-1}"#
        ))),
        [(Some(0), "MaxAgeSeconds", InvalidRequest)]
    );
    // Errors name the rule index, its ID and the field.
    let message = from_json(&rule(
        r#"{"ID":"up","AllowedOrigins":["*"],"AllowedMethods":["PATCH"]}"#,
    ))
    .unwrap_err()
    .to_string();
    assert!(message.contains("rule 0 (`up`), AllowedMethods: Found unsupported HTTP method in CORS config. Unsupported method is PATCH"), "{message}");
}

#[test]
fn syntax_errors_say_what_and_where() {
    for (text, needle) in [
        (
            r#"{"CORSRules":[{"AllowedOrigin":["*"],"AllowedMethods":["GET"]}]}"#,
            "unknown field `AllowedOrigin`",
        ),
        (
            r#"{"CORSRules":[{"AllowedOrigins":["*"],"AllowedMethods":["GET"],"MaxAgeSeconds":"3000"}]}"#,
            "invalid type",
        ),
    ] {
        let error = from_json(text).unwrap_err().to_string();
        assert!(error.contains(needle), "{error}");
    }
    for (text, needle) in [
        ("<Config/>", "expected <CORSConfiguration>"),
        (
            "<CORSConfiguration><CORSRule><Origin>x</Origin></CORSRule></CORSConfiguration>",
            "unexpected <Origin>",
        ),
        ("<CORSConfiguration><CORSRule>", "missing </CORSRule>"),
        (
            "<CORSConfiguration xmlns=\"http://example.com/other\"></CORSConfiguration>",
            "is in the namespace `http://example.com/other`",
        ),
        (
            "<s3:CORSConfiguration></s3:CORSConfiguration>",
            "the prefix `s3` is not declared",
        ),
        (
            "<!DOCTYPE x [<!ENTITY a \"b\">]><CORSConfiguration/>",
            "DOCTYPE",
        ),
        (
            "<CORSConfiguration><CORSRule></CORSConfiguration></CORSRule>",
            "</CORSConfiguration> does not close <CORSRule>",
        ),
        (
            "<CORSConfiguration><CORSRule><ID>a<b/></ID></CORSRule></CORSConfiguration>",
            "<ID> may hold only text",
        ),
        (
            "<CORSConfiguration><CORSRule><ID>&bogus;</ID></CORSRule></CORSConfiguration>",
            "unknown entity",
        ),
        (
            "<CORSConfiguration></CORSConfiguration>trailing",
            "unexpected content",
        ),
    ] {
        let error = from_xml(text).unwrap_err().to_string();
        assert!(error.contains(needle), "{text}: {error}");
    }
}

fn token() -> impl Strategy<Value = String> {
    "[A-Za-z0-9-]{1,12}"
}

fn config() -> impl Strategy<Value = CorsConfiguration> {
    let rule = (
        // Stored values never have surrounding whitespace: the loaders trim it.
        prop::option::of("[ -~]{1,20}".prop_map(|s| s.trim().to_owned())),
        prop::collection::vec(
            prop_oneof![
                token(),
                Just("*".to_owned()),
                token().prop_map(|t| format!("x-{t}-*"))
            ],
            0..3,
        ),
        prop::collection::vec(
            prop::sample::select(vec!["GET", "PUT", "POST", "DELETE", "HEAD"])
                .prop_map(str::to_owned),
            1..4,
        ),
        prop::collection::vec(
            prop_oneof![
                "https://[a-z.]{1,15}",
                Just("*".to_owned()),
                "https://\\*\\.[a-z]{1,8}\\.com",
                "[ -~]{0,10}"
                    .prop_filter("one star", |s| s.matches('*').count() <= 1)
                    .prop_map(|s| s.trim().to_owned())
            ],
            1..4,
        ),
        prop::collection::vec(token(), 0..3),
        prop::option::of(0i64..100_000),
    )
        .prop_map(
            |(
                id,
                allowed_headers,
                allowed_methods,
                allowed_origins,
                expose_headers,
                max_age_seconds,
            )| CorsRule {
                id,
                allowed_headers,
                allowed_methods,
                allowed_origins,
                expose_headers,
                max_age_seconds,
            },
        );
    prop::collection::vec(rule, 1..5).prop_map(|rules| CorsConfiguration { rules })
}

proptest! {
    #[test]
    fn valid_configurations_round_trip(config in config()) {
        prop_assert_eq!(from_json(&config.to_json()).expect("json"), config.clone());
        prop_assert_eq!(from_xml(&config.to_xml()).expect("xml"), config.clone());
        // Canonical output is a fixed point, byte for byte.
        let json = config.to_json();
        prop_assert_eq!(from_json(&json).expect("json").to_json(), json);
        let xml = config.to_xml();
        prop_assert_eq!(from_xml(&xml).expect("xml").to_xml(), xml);
    }

    #[test]
    fn loaders_never_panic_on_arbitrary_text(text in "\\PC{0,200}") {
        let _ = from_json(&text);
        let _ = from_xml(&text);
    }

    #[test]
    fn loaders_never_panic_on_mangled_documents(cut in 0usize..400, insert in "[<>&;/\"=a-z ]{0,6}") {
        for document in [CANONICAL_JSON, CANONICAL_XML] {
            let cut = cut.min(document.len());
            if let (Some(head), Some(tail)) = (document.get(..cut), document.get(cut..)) {
                let mangled = format!("{head}{insert}{tail}");
                let _ = from_json(&mangled);
                let _ = from_xml(&mangled);
            }
        }
    }
}
