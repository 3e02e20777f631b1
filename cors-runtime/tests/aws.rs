//! AWS configurations loaded with `Policy::from_aws` answer as the service
//! does in a browser: a table of requests per format, and every request of
//! a grid against `cors-aws`'s model of the browser's reading
//! ([`cors_aws::AwsCors::preflight`]), for configurations of every shape the
//! loader carries.
#![cfg(feature = "aws")]

use cors_aws::AwsCors;
use cors_runtime::aws::Format;
use cors_runtime::Policy;
use http::{HeaderMap, HeaderValue, Method};

/// A preflight from `origin` for `method` asking for `headers`.
fn preflight(policy: &Policy, origin: &str, method: &str, headers: &[&str]) -> bool {
    let mut request = HeaderMap::new();
    request.insert("origin", HeaderValue::from_str(origin).expect("an origin"));
    request.insert(
        "access-control-request-method",
        HeaderValue::from_str(method).expect("a method"),
    );
    if !headers.is_empty() {
        request.insert(
            "access-control-request-headers",
            HeaderValue::from_str(&headers.join(",")).expect("header names"),
        );
    }
    policy.evaluate(&Method::OPTIONS, &request).is_allowed()
}

/// Each format, one document, and what a browser's preflight gets.
#[test]
fn each_format_answers_as_its_service() {
    type Row = (&'static str, &'static str, &'static [&'static str], bool);
    let cases: [(Format, &str, &[Row]); 4] = [
        (
            Format::ApigwHttp,
            r#"{"CorsConfiguration": {"AllowOrigins": ["https://app.example.com"],
                "AllowMethods": ["PUT"], "AllowHeaders": ["content-type"], "MaxAge": 600}}"#,
            &[
                ("https://app.example.com", "PUT", &["content-type"], true),
                // GET, HEAD and POST pass unlisted: a browser asks no permission.
                ("https://app.example.com", "POST", &[], true),
                ("https://app.example.com", "DELETE", &[], false),
                ("https://app.example.com", "PUT", &["x-other"], false),
                ("https://evil.example", "PUT", &[], false),
            ],
        ),
        (
            Format::ApigwOpenapi,
            r#"{"openapi": "3.0.1", "info": {"title": "t", "version": "1"}, "paths": {},
                "x-amazon-apigateway-cors": {"allowOrigins": ["*"], "allowMethods": ["*"],
                "allowHeaders": ["*", "authorization"]}}"#,
            &[
                (
                    "https://any.example",
                    "PATCH",
                    &["x-anything", "authorization"],
                    true,
                ),
                ("http://localhost:3000", "DELETE", &[], true),
            ],
        ),
        (
            Format::LambdaUrl,
            r#"{"Cors": {"AllowOrigins": ["https://app.example.com", "http://localhost:3000"],
                "AllowMethods": ["GET", "PATCH"], "AllowHeaders": ["x-api-key"],
                "AllowCredentials": true}}"#,
            &[
                ("http://localhost:3000", "PATCH", &["x-api-key"], true),
                ("http://localhost:3001", "PATCH", &[], false),
                ("https://app.example.com", "PUT", &[], false),
            ],
        ),
        (
            Format::CloudFront,
            r#"{"CorsConfig": {
                "AccessControlAllowOrigins": {"Quantity": 1, "Items": ["https://app.example.com"]},
                "AccessControlAllowHeaders": {"Quantity": 1, "Items": ["authorization"]},
                "AccessControlAllowMethods": {"Quantity": 1, "Items": ["ALL"]},
                "AccessControlAllowCredentials": true, "OriginOverride": true}}"#,
            &[
                (
                    "https://app.example.com",
                    "DELETE",
                    &["authorization"],
                    true,
                ),
                ("https://app.example.com", "CONNECT", &[], false),
            ],
        ),
    ];
    let mut checked = 0;
    for (format, document, rows) in cases {
        let policy = match Policy::from_aws(format, document) {
            Ok(policy) => policy,
            Err(error) => panic!("{}: {error}", format.as_str()),
        };
        assert!(!policy.cross_origin_protection(), "{}", format.as_str());
        for &(origin, method, headers, expected) in rows {
            assert_eq!(
                preflight(&policy, origin, method, headers),
                expected,
                "{}: {origin} {method} {headers:?}",
                format.as_str()
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 12);

    // A REST API's OpenAPI document, as `cors_aws::write` exports it.
    let http = cors_aws::read(
        Format::ApigwHttp,
        r#"{"AllowOrigins": ["https://app.example.com"], "AllowMethods": ["GET", "PUT"],
            "AllowHeaders": ["content-type"], "MaxAge": 300}"#,
    )
    .expect("a valid configuration");
    let rest = cors_aws::write(Format::ApigwRest, &http).expect("a REST document");
    let policy = Policy::from_aws(Format::ApigwRest, &rest).expect("a REST policy");
    assert!(preflight(
        &policy,
        "https://app.example.com",
        "PUT",
        &["content-type"]
    ));
    assert!(!preflight(
        &policy,
        "https://app.example.com",
        "DELETE",
        &[]
    ));
    assert!(!preflight(&policy, "https://evil.example", "GET", &[]));
}

/// What cannot be carried is refused, naming the value.
#[test]
fn what_the_policy_cannot_say_is_refused() {
    for (format, document, expected) in [
        (
            Format::ApigwHttp,
            r#"{"AllowOrigins": ["https://*"], "AllowMethods": ["GET"]}"#,
            "AllowOrigins[0]",
        ),
        (
            Format::LambdaUrl,
            r#"{"AllowOrigins": ["https://a.example"], "AllowMethods": ["GET"], "AllowHeaders": ["*"]}"#,
            "but `Authorization`",
        ),
        (
            Format::CloudFront,
            r#"{"AccessControlAllowOrigins": {"Quantity": 1, "Items": ["*.example.org"]},
                "AccessControlAllowHeaders": {"Quantity": 1, "Items": ["x-a"]},
                "AccessControlAllowMethods": {"Quantity": 1, "Items": ["GET"]},
                "AccessControlAllowCredentials": false, "OriginOverride": true}"#,
            "every scheme",
        ),
        (
            Format::ApigwHttp,
            r#"{"AllowOrigins": ["https://a.example"], "AllowMethods": ["GET"], "MaxAge": 86401}"#,
            "MaxAge",
        ),
        // The service's own limits first: a Lambda URL takes at most six methods.
        (
            Format::LambdaUrl,
            r#"{"AllowOrigins": ["https://a.example"], "AllowMethods": ["GET", "PUT", "HEAD", "POST", "PATCH", "DELETE", "*"]}"#,
            "AllowMethods",
        ),
    ] {
        let error = Policy::from_aws(format, document).expect_err(document);
        assert!(error.to_string().contains(expected), "{error}");
    }
}

/// Every request of a grid, for every configuration of a grid of shapes
/// the loader carries, against `cors-aws`'s model of how a browser reads
/// the service's answer (requests without credentials: a preflight carries
/// none, and credentials are compared through the configuration itself).
#[test]
fn loaded_policies_agree_with_the_browser_model() {
    let origin_sets: [&[&str]; 3] = [
        &["https://app.example.com"],
        &["https://app.example.com", "http://localhost:8080"],
        &["*"],
    ];
    let method_sets: [&[&str]; 3] = [&["GET"], &["PUT", "DELETE"], &["*"]];
    let header_sets: [&[&str]; 3] = [&[], &["content-type", "x-api-key"], &["*", "authorization"]];
    let origins = [
        "https://app.example.com",
        "http://localhost:8080",
        "https://evil.example",
        "http://app.example.com",
    ];
    let methods = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"];
    let requested: [&[&str]; 5] = [
        &[],
        &["content-type"],
        &["x-api-key", "content-type"],
        &["authorization"],
        &["x-other"],
    ];
    let mut compared = 0;
    for origin_set in origin_sets {
        for method_set in method_sets {
            for header_set in header_sets {
                for max_age in [None, Some(0), Some(600)] {
                    let list = |items: &[&str]| {
                        items
                            .iter()
                            .map(|item| format!("{item:?}"))
                            .collect::<Vec<_>>()
                            .join(",")
                    };
                    let max_age =
                        max_age.map_or(String::new(), |age| format!(r#","MaxAge":{age}"#));
                    let document = format!(
                        r#"{{"AllowOrigins":[{}],"AllowMethods":[{}],"AllowHeaders":[{}]{max_age}}}"#,
                        list(origin_set),
                        list(method_set),
                        list(header_set)
                    );
                    let cors: AwsCors =
                        cors_aws::read(Format::ApigwHttp, &document).expect(&document);
                    let policy = Policy::from_aws(Format::ApigwHttp, &document).expect(&document);
                    for origin in origins {
                        for method in methods {
                            for headers in requested {
                                assert_eq!(
                                    preflight(&policy, origin, method, headers),
                                    cors.preflight(origin, method, headers, false),
                                    "{document}: {origin} {method} {headers:?}"
                                );
                                compared += 1;
                            }
                        }
                    }
                }
            }
        }
    }
    assert_eq!(compared, 27 * 3 * 4 * 6 * 5);
}
