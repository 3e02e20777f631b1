//! Each limit at its edge: the last value accepted and the first refused.

use cors_aws::{
    read, write, AwsCors, AwsOrigin, Format, Headers, Methods, ProblemKind, MAX_DOCUMENT_LEN,
    MAX_NESTING, MAX_OPENAPI_NESTING,
};

fn json_list(values: impl IntoIterator<Item = String>) -> String {
    let quoted: Vec<String> = values.into_iter().map(|v| format!("\"{v}\"")).collect();
    format!("[{}]", quoted.join(","))
}

fn origins(count: usize) -> String {
    json_list((0..count).map(|i| format!("https://o{i}.example")))
}

#[test]
fn lambda_origins_100_and_101() {
    let ok = format!("{{\"AllowOrigins\": {}}}", origins(100));
    assert_eq!(
        read(Format::LambdaUrl, &ok).unwrap().allow_origins.len(),
        100
    );
    let over = format!("{{\"AllowOrigins\": {}}}", origins(101));
    let error = read(Format::LambdaUrl, &over).unwrap_err();
    assert_eq!(error.total(), 1, "{error}");
    let problem = &error.problems()[0];
    assert_eq!(problem.kind, ProblemKind::Limit);
    assert_eq!(problem.path, "AllowOrigins");
    assert_eq!(
        problem.message,
        "Lambda function URLs accept at most 100 origins; this list has 101: remove 1"
    );
    // HTTP APIs document no limit.
    assert!(read(Format::ApigwHttp, &over).is_ok());
}

/// An exact origin of `len` characters.
fn origin_of_len(len: usize) -> String {
    let label = "a".repeat(63);
    let prefix = format!("https://{label}.{label}.{label}.");
    format!("{prefix}{}", "d".repeat(len - prefix.len()))
}

#[test]
fn lambda_origin_length_253_and_254() {
    let ok = format!("{{\"AllowOrigins\": [\"{}\"]}}", origin_of_len(253));
    assert!(read(Format::LambdaUrl, &ok).is_ok());
    let over = format!("{{\"AllowOrigins\": [\"{}\"]}}", origin_of_len(254));
    let error = read(Format::LambdaUrl, &over).unwrap_err();
    assert_eq!(error.problems()[0].kind, ProblemKind::Limit);
    assert!(error.problems()[0]
        .message
        .ends_with("is 254 characters long; Lambda function URLs accept at most 253"));
    // The message quotes the value shortened.
    assert!(error.problems()[0].message.contains('…'));
}

#[test]
fn lambda_headers_100_and_101_and_1024_characters() {
    for field in ["AllowHeaders", "ExposeHeaders"] {
        let ok = format!(
            "{{\"{field}\": {}}}",
            json_list((0..100).map(|i| format!("x-h{i}")))
        );
        assert!(read(Format::LambdaUrl, &ok).is_ok(), "{field}");
        let over = format!(
            "{{\"{field}\": {}}}",
            json_list((0..101).map(|i| format!("x-h{i}")))
        );
        let error = read(Format::LambdaUrl, &over).unwrap_err();
        assert_eq!(error.problems()[0].kind, ProblemKind::Limit, "{field}");
        assert_eq!(error.problems()[0].path, field);
    }
    let long = format!("{{\"AllowHeaders\": [\"{}\"]}}", "h".repeat(1024));
    assert!(read(Format::LambdaUrl, &long).is_ok());
    let longer = format!("{{\"AllowHeaders\": [\"{}\"]}}", "h".repeat(1025));
    let error = read(Format::LambdaUrl, &longer).unwrap_err();
    assert!(error.problems()[0]
        .message
        .ends_with("is 1025 characters long; Lambda function URLs accept at most 1024"));
}

#[test]
fn lambda_methods_6_and_7() {
    let six = r#"{"AllowMethods": ["GET", "PUT", "HEAD", "POST", "PATCH", "DELETE"]}"#;
    assert_eq!(
        read(Format::LambdaUrl, six).unwrap().allow_methods,
        Methods::List(
            ["GET", "PUT", "HEAD", "POST", "PATCH", "DELETE"]
                .map(String::from)
                .to_vec()
        )
    );
    let seven = r#"{"AllowMethods": ["GET", "PUT", "HEAD", "POST", "PATCH", "DELETE", "*"]}"#;
    let error = read(Format::LambdaUrl, seven).unwrap_err();
    let limit = error
        .problems()
        .iter()
        .find(|p| p.kind == ProblemKind::Limit)
        .unwrap();
    assert_eq!(
        limit.message,
        "Lambda function URLs accept at most 6 methods; this list has 7: remove 1"
    );
}

#[test]
fn max_age_edges() {
    let age = |format: Format, age: i64| {
        let text = match format {
            Format::ApigwOpenapi => {
                format!("{{\"x-amazon-apigateway-cors\": {{\"maxAge\": {age}}}}}")
            }
            _ => format!("{{\"MaxAge\": {age}}}"),
        };
        read(format, &text).map(|cors| cors.max_age)
    };
    for format in [Format::ApigwHttp, Format::ApigwOpenapi] {
        assert_eq!(age(format, -1), Ok(Some(-1)));
        assert_eq!(age(format, 86_400), Ok(Some(86_400)));
        let error = age(format, 86_401).unwrap_err();
        assert_eq!(
            error.problems()[0].message,
            "max age 86401 is out of range: API Gateway HTTP APIs accept -1 to 86400 seconds"
        );
        assert_eq!(
            age(format, -2).unwrap_err().problems()[0].kind,
            ProblemKind::MaxAge
        );
    }
    assert_eq!(age(Format::LambdaUrl, 0), Ok(Some(0)));
    assert_eq!(age(Format::LambdaUrl, 86_400), Ok(Some(86_400)));
    assert!(age(Format::LambdaUrl, 86_401).is_err());
    assert!(age(Format::LambdaUrl, -1).is_err());
    // The writers check the same ranges.
    let cors = |max_age| AwsCors {
        max_age: Some(max_age),
        ..AwsCors::default()
    };
    assert!(write(Format::ApigwHttp, &cors(-1)).is_ok());
    assert!(write(Format::ApigwHttp, &cors(86_401)).is_err());
    assert!(write(Format::LambdaUrl, &cors(-1)).is_err());
    assert!(write(
        Format::ApigwRest,
        &AwsCors {
            allow_origins: vec![AwsOrigin::Any],
            ..cors(-1)
        }
    )
    .is_err());
}

#[test]
fn cloudfront_max_age_is_any_non_negative_32_bit_value() {
    let text = |age: i64| {
        format!(
            r#"{{"AccessControlAllowOrigins": {{"Quantity": 1, "Items": ["*"]}},
            "AccessControlAllowHeaders": {{"Quantity": 1, "Items": ["*"]}},
            "AccessControlAllowMethods": {{"Quantity": 1, "Items": ["GET"]}},
            "AccessControlAllowCredentials": false, "OriginOverride": true,
            "AccessControlMaxAgeSec": {age}}}"#
        )
    };
    assert_eq!(
        read(Format::CloudFront, &text(2_147_483_647))
            .unwrap()
            .max_age,
        Some(i32::MAX)
    );
    assert!(read(Format::CloudFront, &text(2_147_483_648)).is_err());
    assert!(read(Format::CloudFront, &text(-1)).is_err());
}

/// `{"AllowOrigins": ["*"]}` padded with spaces to `len` bytes.
fn padded(len: usize) -> String {
    let mut text = String::from("{\"AllowOrigins\": [\"*\"]}");
    text.push_str(&" ".repeat(len - text.len()));
    text
}

#[test]
fn document_size_1_048_576_and_1_048_577() {
    assert_eq!(MAX_DOCUMENT_LEN, 1_048_576);
    for format in [Format::ApigwHttp, Format::LambdaUrl] {
        assert!(read(format, &padded(MAX_DOCUMENT_LEN)).is_ok());
        let error = read(format, &padded(MAX_DOCUMENT_LEN + 1)).unwrap_err();
        assert_eq!(error.total(), 1);
        assert_eq!(error.problems()[0].kind, ProblemKind::TooLarge);
        assert_eq!(
            error.problems()[0].message,
            "the document is 1048577 bytes, and at most 1048576 (1 MiB) are read; a CORS \
             configuration is far smaller, so check that this is the right file"
        );
    }
    for format in [Format::ApigwOpenapi, Format::ApigwRest, Format::CloudFront] {
        let error = read(format, &padded(MAX_DOCUMENT_LEN + 1)).unwrap_err();
        assert_eq!(error.problems()[0].kind, ProblemKind::TooLarge, "{format}");
    }
}

/// `depth` nested lists as the value of an unknown field.
fn nested(depth: usize) -> String {
    format!(
        "{{\"Deep\": {}{}}}",
        "[".repeat(depth - 1),
        "]".repeat(depth - 1)
    )
}

#[test]
fn nesting_at_the_limit_and_above() {
    let at_limit = read(Format::ApigwHttp, &nested(MAX_NESTING)).unwrap_err();
    assert_eq!(at_limit.problems()[0].kind, ProblemKind::UnknownField);
    let above = read(Format::ApigwHttp, &nested(MAX_NESTING + 1)).unwrap_err();
    assert_eq!(above.problems()[0].kind, ProblemKind::TooDeep);
    assert_eq!(
        above.problems()[0].message,
        "the document nests lists and objects 17 levels deep, and at most 16 are read; remove \
         the extra levels"
    );
    // OpenAPI documents may nest deeper; their other members are ignored.
    let openapi = |depth: usize| {
        format!(
            "{{\"x-amazon-apigateway-cors\": {{\"allowOrigins\": [\"*\"]}}, \"paths\": {}{{}}{}}}",
            "{\"a\": ".repeat(depth - 2),
            "}".repeat(depth - 2)
        )
    };
    assert!(read(Format::ApigwOpenapi, &openapi(MAX_OPENAPI_NESTING)).is_ok());
    assert_eq!(
        read(Format::ApigwOpenapi, &openapi(MAX_OPENAPI_NESTING + 1))
            .unwrap_err()
            .problems()[0]
            .kind,
        ProblemKind::TooDeep
    );
    assert_eq!(
        read(Format::ApigwHttp, &openapi(MAX_NESTING + 1))
            .unwrap_err()
            .problems()[0]
            .kind,
        ProblemKind::TooDeep
    );
}

#[test]
fn rest_writer_output_fits_the_nesting_limit() {
    let cors = AwsCors {
        allow_origins: vec![AwsOrigin::Any],
        allow_methods: Methods::Any,
        allow_headers: Headers::any(),
        ..AwsCors::default()
    };
    let text = write(Format::ApigwRest, &cors).unwrap();
    assert!(read(Format::ApigwRest, &text).is_ok());
}
