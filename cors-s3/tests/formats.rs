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

/// S3 sets no limit on header patterns; we accept 64 distinct ones (the
/// matcher's tries hold them all), counted across rules and without case,
/// and refuse the 65th at the rule that lists it, with the count.
#[test]
fn header_patterns_past_the_limit_are_refused() {
    let limit = cors_grammar::MAX_S3_HEADER_PATTERNS;
    let rules = |patterns: usize| {
        let header = |n: usize| format!("\"x-{n}-*\"");
        let first: Vec<String> = (0..patterns / 2).map(header).collect();
        // The second rule repeats the first's in upper case (not new), `*`
        // and exact names (not patterns), then the rest.
        let mut second: Vec<String> = (0..patterns / 2)
            .map(|n| format!("\"X-{n}-*\""))
            .chain(["\"*\"".to_owned(), "\"x-exact\"".to_owned()])
            .collect();
        second.extend((patterns / 2..patterns).map(header));
        format!(
            r#"{{"CORSRules":[{{"ID":"first","AllowedOrigins":["*"],"AllowedMethods":["PUT"],"AllowedHeaders":[{}]}},{{"ID":"second","AllowedOrigins":["*"],"AllowedMethods":["PUT"],"AllowedHeaders":[{}]}}]}}"#,
            first.join(","),
            second.join(",")
        )
    };
    from_json(&rules(limit)).expect("at the limit");
    let Err(LoadError::Invalid(errors)) = from_json(&rules(limit + 1)) else {
        panic!("past the limit is refused")
    };
    let error = errors.first().expect("one problem");
    assert_eq!(errors.total(), 1);
    assert_eq!(
        (error.rule, error.id.as_deref(), error.field, error.code),
        (
            Some(1),
            Some("second"),
            "AllowedHeaders",
            ErrorCode::InvalidRequest
        )
    );
    assert!(
        error
            .message
            .starts_with("a configuration lists at most 64 distinct AllowedHeader patterns"),
        "{}",
        error.message
    );
    assert!(error.message.contains("it lists 65;"), "{}", error.message);
    // The same in XML.
    let xml = from_json(&rules(limit)).expect("at the limit").to_xml();
    let more = xml.replacen(
        "<AllowedHeader>x-0-*</AllowedHeader>",
        "<AllowedHeader>x-0-*</AllowedHeader><AllowedHeader>y-*</AllowedHeader>",
        1,
    );
    assert!(matches!(from_xml(&more), Err(LoadError::Invalid(_))));
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

/// The canonical configuration as S3 accepts it in other spellings: each
/// reads as the same configuration.
#[test]
fn accepts_xml_as_s3_does() {
    let expected = from_xml(CANONICAL_XML).expect("canonical");
    let ns = "http://s3.amazonaws.com/doc/2006-03-01/";
    let second = "<CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><AllowedMethod>HEAD</AllowedMethod></CORSRule>";
    let first = |body: &str| {
        format!("<CORSRule><ID>uploads</ID>{body}<AllowedMethod>PUT</AllowedMethod><AllowedMethod>POST</AllowedMethod><AllowedMethod>DELETE</AllowedMethod><AllowedHeader>*</AllowedHeader><ExposeHeader>ETag</ExposeHeader><ExposeHeader>x-amz-request-id</ExposeHeader><MaxAgeSeconds>3000</MaxAgeSeconds></CORSRule>")
    };
    let doc = |origin: &str| {
        format!(
            "<CORSConfiguration xmlns=\"{ns}\">{}{second}</CORSConfiguration>",
            first(origin)
        )
    };
    let cases = [
        ("a UTF-8 byte-order mark", format!("\u{FEFF}{CANONICAL_XML}")),
        (
            "a CDATA section",
            doc("<AllowedOrigin><![CDATA[https://app.example.com]]></AllowedOrigin>"),
        ),
        (
            "CDATA and text mixed",
            doc("<AllowedOrigin>https://<![CDATA[app.]]>example.com</AllowedOrigin>"),
        ),
        (
            "a comment inside a value",
            doc("<AllowedOrigin>https://app<!-- staging too? -->.example.com</AllowedOrigin>"),
        ),
        (
            "a processing instruction inside a value",
            doc("<AllowedOrigin>https://app.example.com<?editor note?></AllowedOrigin>"),
        ),
        (
            "whitespace before `>` in tags",
            doc("<AllowedOrigin >https://app.example.com</AllowedOrigin\n\t>"),
        ),
        (
            "surrounding whitespace in a value",
            doc("<AllowedOrigin>\n   https://app.example.com\n</AllowedOrigin>"),
        ),
        (
            "a prefixed S3 namespace",
            CANONICAL_XML
                .replace(&format!("<CORSConfiguration xmlns=\"{ns}\">"), &format!("<s3:CORSConfiguration xmlns:s3=\"{ns}\">"))
                .replace("</CORSConfiguration>", "</s3:CORSConfiguration>")
                .replace("<CORSRule>", "<s3:CORSRule>")
                .replace("</CORSRule>", "</s3:CORSRule>")
                .replace("<ID>uploads</ID>", "<s3:ID>uploads</s3:ID>")
                .replace("<AllowedOrigin>", "<s3:AllowedOrigin>")
                .replace("</AllowedOrigin>", "</s3:AllowedOrigin>"),
        ),
        (
            "extra namespace declarations and attributes",
            CANONICAL_XML.replace(
                &format!("<CORSConfiguration xmlns=\"{ns}\">"),
                &format!("<CORSConfiguration xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns = '{ns}' xsi:schemaLocation=\"{ns} cors.xsd\">"),
            ),
        ),
    ];
    for (what, text) in cases {
        assert_eq!(
            from_xml(&text).unwrap_or_else(|e| panic!("{what}: {e}")),
            expected,
            "{what}"
        );
    }
    // Values with surrounding whitespace, in every element and in JSON too.
    let spaced = "<CORSConfiguration><CORSRule><ID> uploads </ID><AllowedOrigin> * </AllowedOrigin><AllowedMethod> GET </AllowedMethod><AllowedHeader>\tx-a </AllowedHeader><ExposeHeader> ETag</ExposeHeader><MaxAgeSeconds> 5 </MaxAgeSeconds></CORSRule></CORSConfiguration>";
    let config = from_xml(spaced).expect("trimmed");
    let rule = &config.rules[0];
    assert_eq!(rule.id.as_deref(), Some("uploads"));
    assert_eq!(
        (
            rule.allowed_origins.as_slice(),
            rule.allowed_methods.as_slice()
        ),
        (&["*".to_owned()][..], &["GET".to_owned()][..])
    );
    assert_eq!(
        (
            rule.allowed_headers[0].as_str(),
            rule.expose_headers[0].as_str(),
            rule.max_age_seconds
        ),
        ("x-a", "ETag", Some(5))
    );
    let json = r#"{"CORSRules":[{"ID":" uploads ","AllowedOrigins":[" * "],"AllowedMethods":[" GET "],"AllowedHeaders":["\tx-a "],"ExposeHeaders":[" ETag"],"MaxAgeSeconds":5}]}"#;
    assert_eq!(from_json(json).expect("trimmed json"), config);
    assert_eq!(
        from_json(&format!("\u{FEFF}{CANONICAL_JSON}")).expect("json with a BOM"),
        expected
    );
}

/// Control characters in any value are refused with S3's `InvalidRequest`,
/// by both loaders, raw or as character references: stored, they would
/// read back as XML that does not parse.
#[test]
fn control_characters_are_refused() {
    for c in ['\0', '\u{1b}', '\r', '\n', '\u{7f}', '\u{85}', '\u{1}'] {
        let escaped_json = format!("\\u{:04x}", u32::from(c));
        let reference = format!("&#{};", u32::from(c));
        for (field, json, xml) in [
            (
                "AllowedOrigins",
                format!(r#"{{"CORSRules":[{{"AllowedOrigins":["https://a{escaped_json}.example"],"AllowedMethods":["GET"]}}]}}"#),
                format!("<CORSConfiguration><CORSRule><AllowedOrigin>https://a{reference}.example</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>"),
            ),
            (
                "ID",
                format!(r#"{{"CORSRules":[{{"ID":"a{escaped_json}b","AllowedOrigins":["*"],"AllowedMethods":["GET"]}}]}}"#),
                format!("<CORSConfiguration><CORSRule><ID>a{reference}b</ID><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>"),
            ),
            (
                "AllowedHeaders",
                format!(r#"{{"CORSRules":[{{"AllowedOrigins":["*"],"AllowedMethods":["GET"],"AllowedHeaders":["x{escaped_json}y"]}}]}}"#),
                format!("<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><AllowedHeader>x{reference}y</AllowedHeader></CORSRule></CORSConfiguration>"),
            ),
            (
                "ExposeHeaders",
                format!(r#"{{"CORSRules":[{{"AllowedOrigins":["*"],"AllowedMethods":["GET"],"ExposeHeaders":["x{escaped_json}y"]}}]}}"#),
                format!("<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><ExposeHeader>x{reference}y</ExposeHeader></CORSRule></CORSConfiguration>"),
            ),
        ] {
            assert_eq!(
                codes(from_json(&json)),
                [(Some(0), field, ErrorCode::InvalidRequest)],
                "{c:?} in {field} (JSON)"
            );
            match from_xml(&xml) {
                // XML 1.0 cannot even carry NUL, ESC or U+0001.
                Err(LoadError::Syntax { .. }) => assert!(!matches!(c, '\r' | '\n' | '\u{7f}' | '\u{85}'), "{c:?}"),
                other => assert_eq!(
                    codes(other),
                    [(Some(0), field, ErrorCode::InvalidRequest)],
                    "{c:?} in {field} (XML)"
                ),
            }
        }
    }
    let raw = "<CORSConfiguration><CORSRule><ID>a\u{1b}b</ID><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>";
    assert_eq!(
        codes(from_xml(raw)),
        [(Some(0), "ID", ErrorCode::InvalidRequest)]
    );
}

/// Documents larger than S3's 64 KB are refused before parsing, in both
/// formats, with S3's `MaxMessageLengthExceeded`.
#[test]
fn documents_over_the_limit_are_refused_before_parsing() {
    let garbage = "x".repeat(cors_s3::MAX_DOCUMENT_LEN + 1);
    for result in [from_json(&garbage), from_xml(&garbage)] {
        let error = result.expect_err("too large");
        assert!(
            matches!(error, LoadError::TooLarge { len, .. } if len == garbage.len()),
            "{error:?}"
        );
        assert_eq!(error.code(), ErrorCode::MaxMessageLengthExceeded);
        assert!(error.to_string().contains("65536"), "{error}");
    }
    let valid = r#"{"AllowedOrigins":["*"],"AllowedMethods":["GET"]}"#;
    let mut at_limit = format!("[{valid}]");
    at_limit.push_str(&" ".repeat(cors_s3::MAX_DOCUMENT_LEN - at_limit.len()));
    assert!(from_json(&at_limit).is_ok(), "exactly 64 KiB is accepted");
}

/// Hostile documents just under the limit: the report lists at most ten
/// problems, quotes values shortened, counts the rest, and S3's message
/// names only the first.
#[test]
fn reports_are_bounded_whatever_the_input() {
    let long_id = format!(
        r#"{{"CORSRules":[{{"ID":"{}","AllowedOrigins":["*"],"AllowedMethods":[{}]}}]}}"#,
        "i".repeat(21_000),
        vec![r#""""#; 14_000].join(",")
    );
    let empty_rules = format!("[{}]", vec!["{}"; 21_000].join(","));
    let long_values = format!(
        r#"{{"CORSRules":[{{"AllowedOrigins":["{0}**"],"AllowedMethods":["{0}"],"AllowedHeaders":["{0}**"],"ExposeHeaders":["{0}*"]}}]}}"#,
        "v".repeat(15_000)
    );
    let many_xml = format!(
        "<CORSConfiguration>{}</CORSConfiguration>",
        "<CORSRule/>".repeat(5_000)
    );
    for (what, result, total) in [
        ("long ID, empty methods", from_json(&long_id), 14_001),
        ("empty rules", from_json(&empty_rules), 1 + 2 * 21_000),
        ("long values", from_json(&long_values), 4),
        ("empty XML rules", from_xml(&many_xml), 1 + 2 * 5_000),
    ] {
        let Err(error @ LoadError::Invalid(errors)) = &result else {
            panic!("{what}: {result:?}")
        };
        assert_eq!(errors.total(), total, "{what}");
        assert!(
            errors.listed().len() <= cors_grammar::report::MAX_REPORTED,
            "{what}"
        );
        assert_eq!(errors.listed().len() + errors.unlisted(), total, "{what}");
        let text = error.to_string();
        assert!(text.len() < 4096, "{what}: {} bytes", text.len());
        if errors.unlisted() > 0 {
            assert!(
                text.ends_with(&format!("and {} more problems", errors.unlisted())),
                "{what}: {text}"
            );
        }
        let first = error.s3_message();
        assert_eq!(first, errors.first().expect("one").to_string(), "{what}");
        assert!(first.len() < 512, "{what}: {first}");
    }
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof!["\\PC{0,12}", ".{0,12}", "[\\x00-\\x20*<>&;\"'a]{0,8}",]
}

proptest! {
    /// Whatever the values, a configuration the validator accepts reads
    /// back from its own XML and JSON as itself.
    #[test]
    fn accepted_configurations_always_read_back(
        id in prop::option::of(any_text()),
        origin in any_text(),
        header in any_text(),
        expose in any_text(),
    ) {
        let config = CorsConfiguration {
            rules: vec![CorsRule {
                id,
                allowed_headers: vec![header],
                allowed_methods: vec!["GET".into()],
                allowed_origins: vec![origin],
                expose_headers: vec![expose],
                max_age_seconds: None,
            }],
        };
        if cors_s3::validate(&config).is_ok() {
            prop_assert_eq!(from_xml(&config.to_xml()).expect("xml reads back"), config.clone());
            prop_assert_eq!(from_json(&config.to_json()).expect("json reads back"), config);
        }
    }
}
