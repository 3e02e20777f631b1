//! Hostile input: every reader refuses it with a bounded report, and none
//! panics.

use cors_aws::{read, Format, ProblemKind, MAX_REPORTED};

#[test]
fn deep_nesting_is_refused_before_parsing() {
    for format in Format::ALL {
        for opener in ["[", "{\"a\":"] {
            let text = opener.repeat(200_000);
            let error = read(format, &text).unwrap_err();
            assert_eq!(error.problems()[0].kind, ProblemKind::TooDeep, "{format}");
        }
    }
    // Brackets inside strings do not count.
    let text = format!("{{\"AllowOrigins\": [\"{}\"]}}", "[".repeat(10_000));
    let error = read(Format::ApigwHttp, &text).unwrap_err();
    assert_eq!(error.problems()[0].kind, ProblemKind::Origin);
}

#[test]
fn huge_numbers() {
    let max_age = |value: &str| {
        read(Format::ApigwHttp, &format!("{{\"MaxAge\": {value}}}"))
            .unwrap_err()
            .problems()[0]
            .clone()
    };
    let syntax = max_age("1e400");
    assert_eq!(syntax.kind, ProblemKind::Syntax);
    assert_eq!(
        syntax.message,
        "not JSON: number out of range at line 1 column 16"
    );
    let big = max_age("123456789012345678901234567890");
    assert_eq!(big.kind, ProblemKind::WrongType);
    assert_eq!(
        big.message,
        "`MaxAge` must be a whole number without quotes, e.g. 600; found a number that is not a \
         whole number of at most 64 bits"
    );
    assert_eq!(max_age("18446744073709551615").kind, ProblemKind::MaxAge);
    assert_eq!(max_age("-9223372036854775808").kind, ProblemKind::MaxAge);
    assert_eq!(max_age("600.0").kind, ProblemKind::WrongType);
    let quantity = r#"{"AccessControlAllowOrigins": {"Quantity": 18446744073709551615, "Items": []},
        "AccessControlAllowHeaders": {"Quantity": -1, "Items": ["*"]},
        "AccessControlAllowMethods": {"Quantity": 1e300, "Items": ["GET"]},
        "AccessControlAllowCredentials": false, "OriginOverride": true}"#;
    let error = read(Format::CloudFront, quantity).unwrap_err();
    assert_eq!(error.total(), 3, "{error}");
}

#[test]
fn wrong_types_everywhere() {
    for format in Format::ALL {
        for text in ["null", "true", "1", "\"text\"", "[]", "[{}]"] {
            let error = read(format, text).unwrap_err();
            assert_eq!(
                error.problems()[0].kind,
                ProblemKind::WrongType,
                "{format}: {text}: {error}"
            );
        }
        for text in ["", "   ", "{", "{\"a\" 1}", "\u{FEFF}", "{} {}", "{'a': 1}"] {
            let error = read(format, text).unwrap_err();
            assert_eq!(
                error.problems()[0].kind,
                ProblemKind::Syntax,
                "{format}: {text}"
            );
        }
    }
    let lists = r#"{"AccessControlAllowOrigins": ["*"], "AccessControlAllowHeaders": {"Quantity": 1, "Items": "*"},
        "AccessControlAllowMethods": {"Quantity": 1, "Items": [1]}, "AccessControlAllowCredentials": 0,
        "OriginOverride": null}"#;
    let error = read(Format::CloudFront, lists).unwrap_err();
    assert!(error
        .problems()
        .iter()
        .all(|p| p.kind == ProblemKind::WrongType || p.kind == ProblemKind::Empty));
    assert!(error.total() >= 5, "{error}");
}

#[test]
fn byte_order_mark_is_skipped() {
    assert!(read(Format::ApigwHttp, "\u{FEFF}{\"AllowOrigins\": [\"*\"]}").is_ok());
}

#[test]
fn duplicate_keys_are_refused_wherever_they_matter() {
    let cases = [
        (
            Format::ApigwHttp,
            r#"{"CorsConfiguration": {}, "CorsConfiguration": {}}"#,
        ),
        (
            Format::LambdaUrl,
            r#"{"AllowOrigins": ["*"], "AllowOrigins": ["https://a.example"]}"#,
        ),
        (
            Format::ApigwOpenapi,
            r#"{"x-amazon-apigateway-cors": {}, "x-amazon-apigateway-cors": {"allowOrigins": ["*"]}}"#,
        ),
        (
            Format::CloudFront,
            r#"{"AccessControlAllowOrigins": {"Quantity": 1, "Quantity": 1, "Items": ["*"]},
               "AccessControlAllowHeaders": {"Quantity": 1, "Items": ["*"]},
               "AccessControlAllowMethods": {"Quantity": 1, "Items": ["GET"]},
               "AccessControlAllowCredentials": false, "OriginOverride": true}"#,
        ),
        (
            Format::ApigwRest,
            r#"{"paths": {"/a": {"options": {}, "options": {}}}}"#,
        ),
        (
            Format::ApigwRest,
            r#"{"paths": {"/a": {"options": {"x-amazon-apigateway-integration": {"type": "mock",
               "responses": {"default": {"responseParameters": {
               "method.response.header.Access-Control-Allow-Origin": "'*'",
               "method.response.header.access-control-allow-origin": "'https://a.example'"}}}}}}}}"#,
        ),
    ];
    for (format, text) in cases {
        let error = read(format, text).unwrap_err();
        assert!(error.has(ProblemKind::DuplicateKey), "{format}: {error}");
    }
}

#[test]
fn unknown_fields_are_named() {
    let error = read(
        Format::CloudFront,
        r#"{"AccessControlAllowOrigins": {"Quantity": 0, "Itemz": []},
            "AccessControlAllowHeaders": {"Quantity": 1, "Items": ["*"]},
            "AccessControlAllowMethods": {"Quantity": 1, "Items": ["GET"]},
            "AccessControlAllowCredentials": false, "OriginOverride": true, "Comment": "x"}"#,
    )
    .unwrap_err();
    let names: Vec<&str> = error
        .problems()
        .iter()
        .filter(|p| p.kind == ProblemKind::UnknownField)
        .map(|p| p.path.as_str())
        .collect();
    assert_eq!(names, ["Comment", "AccessControlAllowOrigins.Itemz"]);
    assert!(error.problems()[1].message.starts_with(
        "unknown field `Itemz` in a CloudFront list, `{\"Quantity\": 1, \"Items\": [...]}`; its \
         fields are Quantity, Items"
    ));
}

#[test]
fn control_characters_and_long_values_are_quoted_safely() {
    let text = "{\"AllowOrigins\": [\"https://a\\u001b[31m.example\\u202e\"]}";
    let error = read(Format::ApigwHttp, text).unwrap_err();
    let message = &error.problems()[0].message;
    assert!(message.contains("\\u{1b}[31m"), "{message}");
    assert!(message.contains("\\u{202e}"), "{message}");
    assert!(!message.chars().any(|c| c.is_control() || c == '\u{202e}'));
    let key = format!("{{\"{}\": 1}}", "\\u001b".repeat(10_000));
    let error = read(Format::LambdaUrl, &key).unwrap_err();
    assert!(error.to_string().len() < 2_000);
    let long = format!(
        "{{\"AllowOrigins\": [\"https://{}\"]}}",
        "a".repeat(500_000)
    );
    let error = read(Format::ApigwHttp, &long).unwrap_err();
    assert!(
        error.to_string().len() < 1_000,
        "{}",
        error.to_string().len()
    );
}

#[test]
fn reports_are_bounded() {
    let many = format!(
        "{{\"AllowMethods\": [{}]}}",
        vec!["\"BAD\""; 100_000].join(",")
    );
    let error = read(Format::ApigwHttp, &many).unwrap_err();
    assert_eq!(error.problems().len(), MAX_REPORTED);
    assert!(error.total() >= 100_000);
    assert!(error.to_string().ends_with("more problems"));
}

/// Every prefix of valid documents, and each with one byte changed: no
/// reader panics, whatever it answers.
#[test]
fn truncated_and_mutated_documents_never_panic() {
    let documents = [
        r#"{"CorsConfiguration": {"AllowOrigins": ["https://a.example", "https://*"], "AllowMethods": ["GET"], "AllowHeaders": ["*"], "ExposeHeaders": ["x"], "MaxAge": -1, "AllowCredentials": false}}"#,
        r#"{"CorsConfig": {"AccessControlAllowOrigins": {"Quantity": 1, "Items": ["*.example.org"]}, "AccessControlAllowHeaders": {"Quantity": 1, "Items": ["*"]}, "AccessControlAllowMethods": {"Quantity": 1, "Items": ["ALL"]}, "AccessControlAllowCredentials": false, "OriginOverride": true, "AccessControlMaxAgeSec": 5}}"#,
        r#"{"openapi": "3.0.1", "paths": {"/{proxy+}": {"options": {"x-amazon-apigateway-integration": {"type": "mock", "responses": {"default": {"statusCode": "200", "responseParameters": {"method.response.header.Access-Control-Allow-Origin": "'*'", "method.response.header.Access-Control-Max-Age": "'5'"}}}}}}}, "x-amazon-apigateway-gateway-responses": {"DEFAULT_4XX": {"responseParameters": {"gatewayresponse.header.Access-Control-Allow-Origin": "'*'"}}}, "x-amazon-apigateway-cors": {"allowOrigins": ["*"]}}"#,
    ];
    let replacements = [
        b'"', b'[', b']', b'{', b'}', b',', b':', b'*', b'\'', b'0', b'\\',
    ];
    for document in documents {
        let bytes = document.as_bytes();
        for end in 0..=bytes.len() {
            if let Ok(prefix) = std::str::from_utf8(&bytes[..end]) {
                for format in Format::ALL {
                    let _ = read(format, prefix);
                }
            }
        }
        for at in 0..bytes.len() {
            for replacement in replacements {
                let mut changed = bytes.to_vec();
                changed[at] = replacement;
                if let Ok(text) = std::str::from_utf8(&changed) {
                    for format in Format::ALL {
                        let _ = read(format, text);
                    }
                }
            }
        }
    }
}
