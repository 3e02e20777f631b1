//! The S3-style example server: configurations stored over the API, read
//! back, and applied to preflights and reads with S3's answers.

use axum::body::{to_bytes, Body};
use axum::http::{Request, StatusCode};
use axum::Router;
use tower::ServiceExt;

async fn send(
    app: &Router,
    method: &str,
    uri: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (StatusCode, axum::http::HeaderMap, String) {
    let mut request = Request::builder().method(method).uri(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = app
        .clone()
        .oneshot(request.body(Body::from(body.to_owned())).expect("request"))
        .await
        .expect("infallible");
    let (parts, body) = response.into_parts();
    let body = to_bytes(body, 1 << 20).await.expect("body");
    (
        parts.status,
        parts.headers,
        String::from_utf8_lossy(&body).into_owned(),
    )
}

const CONFIG: &str = r#"{"CORSRules":[{"ID":"uploads","AllowedHeaders":["*"],"AllowedMethods":["PUT"],"AllowedOrigins":["https://app.example.com"]},{"AllowedMethods":["GET"],"AllowedOrigins":["*"]}]}"#;

#[tokio::test]
async fn buckets_answer_with_their_own_configuration() {
    let app = cors_examples::s3_server::router();
    let origin = ("origin", "https://app.example.com");

    // Before any configuration: S3's answers.
    let (status, _, body) = send(
        &app,
        "OPTIONS",
        "/photos/a",
        &[origin, ("access-control-request-method", "GET")],
        "",
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(body.contains("CORSResponse: Bucket not found"), "{body}");
    assert_eq!(
        send(&app, "PUT", "/photos", &[], "").await.0,
        StatusCode::OK
    );
    let (status, _, body) = send(
        &app,
        "OPTIONS",
        "/photos/a",
        &[origin, ("access-control-request-method", "GET")],
        "",
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        body.contains("CORS is not enabled for this bucket."),
        "{body}"
    );

    // A bad configuration is refused with S3's code; a good one is stored.
    let (status, _, body) = send(
        &app,
        "PUT",
        "/photos?cors",
        &[],
        r#"{"CORSRules":[{"AllowedOrigins":["*"],"AllowedMethods":["PATCH"]}]}"#,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body.contains("<Code>InvalidRequest</Code>")
            && body.contains("Unsupported method is PATCH"),
        "{body}"
    );
    assert_eq!(
        send(&app, "PUT", "/photos?cors", &[], CONFIG).await.0,
        StatusCode::OK
    );
    let (status, _, body) = send(&app, "GET", "/photos?cors", &[], "").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.starts_with("<CORSConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><CORSRule><ID>uploads</ID>"), "{body}");

    // Preflights: allowed (200, S3's headers), falling through, denied.
    let (status, headers, _) = send(
        &app,
        "OPTIONS",
        "/photos/a",
        &[
            origin,
            ("access-control-request-method", "PUT"),
            ("access-control-request-headers", "Content-Type"),
        ],
        "",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        headers["access-control-allow-origin"],
        "https://app.example.com"
    );
    assert_eq!(headers["access-control-allow-credentials"], "true");
    assert_eq!(headers["access-control-allow-headers"], "content-type");
    assert_eq!(
        headers["vary"],
        "Origin, Access-Control-Request-Headers, Access-Control-Request-Method"
    );
    let (status, headers, _) = send(
        &app,
        "OPTIONS",
        "/photos/a",
        &[origin, ("access-control-request-method", "GET")],
        "",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["access-control-allow-origin"], "*");
    let (status, _, body) = send(
        &app,
        "OPTIONS",
        "/photos/a",
        &[
            ("origin", "https://evil.test"),
            ("access-control-request-method", "PUT"),
        ],
        "",
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        body.contains("<Method>PUT</Method><ResourceType>OBJECT</ResourceType>"),
        "{body}"
    );
    let (status, _, body) = send(
        &app,
        "OPTIONS",
        "/photos/a",
        &[("access-control-request-method", "PUT")],
        "",
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("Origin request header needed"), "{body}");

    // Reads are served either way, with CORS headers only when a rule matches.
    assert_eq!(
        send(&app, "PUT", "/photos/a", &[], "meow").await.0,
        StatusCode::OK
    );
    let (status, headers, body) = send(
        &app,
        "GET",
        "/photos/a",
        &[("origin", "https://x.test")],
        "",
    )
    .await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "meow"));
    assert_eq!(headers["access-control-allow-origin"], "*");
    let (_, headers, _) = send(&app, "GET", "/photos/a", &[], "").await;
    assert!(!headers.contains_key("access-control-allow-origin"));

    // Removing the configuration disables CORS again.
    assert_eq!(
        send(&app, "DELETE", "/photos?cors", &[], "").await.0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        send(&app, "GET", "/photos?cors", &[], "").await.0,
        StatusCode::NOT_FOUND
    );
}

/// Every query with a `cors` key is the CORS sub-resource, as AWS SDKs send
/// it; a missing bucket is `NoSuchBucket` for every CORS call.
#[tokio::test]
async fn any_cors_query_names_the_cors_subresource() {
    let app = cors_examples::s3_server::router();
    for (uri, _) in [("/nosuch?cors", ()), ("/nosuch?cors=", ())] {
        for method in ["PUT", "GET", "DELETE"] {
            let (status, _, body) = send(&app, method, uri, &[], CONFIG).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{method} {uri}");
            assert!(body.contains("<Code>NoSuchBucket</Code>"), "{body}");
        }
    }
    assert_eq!(send(&app, "PUT", "/b", &[], "").await.0, StatusCode::OK);
    for query in [
        "cors",
        "cors=",
        "cors=1",
        "cors&x-id=PutBucketCors",
        "x-id=PutBucketCors&cors",
    ] {
        let uri = format!("/b?{query}");
        assert_eq!(
            send(&app, "PUT", &uri, &[], CONFIG).await.0,
            StatusCode::OK,
            "{uri}"
        );
        let (status, _, body) = send(&app, "GET", &uri, &[], "").await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        assert!(body.contains("<ID>uploads</ID>"), "{uri}: {body}");
        let (status, _, _) = send(&app, "DELETE", &uri, &[], "").await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{uri}");
        let (status, _, body) = send(&app, "GET", &uri, &[], "").await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
        assert!(body.contains("NoSuchCORSConfiguration"), "{body}");
    }
    // `?corsx` and `?x=cors` are not the sub-resource.
    assert_eq!(
        send(&app, "GET", "/b?corsx", &[], "").await.0,
        StatusCode::METHOD_NOT_ALLOWED
    );
}

/// Hostile configurations: an oversized body is refused with S3's error
/// before parsing, a body full of mistakes gets an answer naming only the
/// first, and the server and what it stored survive both.
#[tokio::test]
async fn hostile_configurations_are_refused_briefly_and_nothing_is_lost() {
    let app = cors_examples::s3_server::router();
    assert_eq!(send(&app, "PUT", "/b", &[], "").await.0, StatusCode::OK);
    assert_eq!(
        send(&app, "PUT", "/b?cors", &[], CONFIG).await.0,
        StatusCode::OK
    );
    let oversized = format!(
        "[{}]",
        vec![r#"{"AllowedOrigins":["https://a*"],"AllowedMethods":["GET"]}"#; 2000].join(",")
    );
    assert!(oversized.len() > cors_runtime::s3::MAX_DOCUMENT_LEN);
    let (status, _, body) = send(&app, "PUT", "/b?cors", &[], &oversized).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body.contains("<Code>MaxMessageLengthExceeded</Code>"),
        "{body}"
    );
    let hostile = format!(
        r#"{{"CORSRules":[{{"ID":"{}","AllowedOrigins":["*"],"AllowedMethods":[{}]}}]}}"#,
        "i".repeat(20_000),
        vec![r#""""#; 10_000].join(",")
    );
    assert!(hostile.len() < cors_runtime::s3::MAX_DOCUMENT_LEN);
    let (status, _, body) = send(&app, "PUT", "/b?cors", &[], &hostile).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("<Code>InvalidRequest</Code>"), "{body}");
    assert!(body.len() < 1024, "{} bytes: {body}", body.len());
    assert_eq!(
        body.matches("rule 0").count(),
        1,
        "only the first problem: {body}"
    );
    // The stored configuration is still there and still answers.
    let (status, _, body) = send(&app, "GET", "/b?cors", &[], "").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("<ID>uploads</ID>"), "{body}");
}

/// Buckets and objects are bounded: S3's quota of 100 buckets, 1 MiB per
/// object and 64 MiB in all, each refused with S3's error.
#[tokio::test]
async fn storage_is_bounded() {
    use cors_examples::s3_server::{MAX_BUCKETS, MAX_STORED};
    let app = cors_examples::s3_server::router();
    for n in 0..MAX_BUCKETS {
        let uri = format!("/b{n}");
        assert_eq!(send(&app, "PUT", &uri, &[], "").await.0, StatusCode::OK);
    }
    let (status, _, body) = send(&app, "PUT", "/one-too-many", &[], "").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("<Code>TooManyBuckets</Code>"), "{body}");
    // Re-creating an existing bucket is fine.
    assert_eq!(send(&app, "PUT", "/b0", &[], "").await.0, StatusCode::OK);

    let big = "x".repeat((1 << 20) + 1);
    let (status, _, body) = send(&app, "PUT", "/b0/big", &[], &big).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("<Code>EntityTooLarge</Code>"), "{body}");
    let mib = "x".repeat(1 << 20);
    let fit = MAX_STORED / ((1 << 20) + 8);
    for n in 0..fit {
        let uri = format!("/b0/k{n:05}");
        assert_eq!(
            send(&app, "PUT", &uri, &[], &mib).await.0,
            StatusCode::OK,
            "{n}"
        );
    }
    let (status, _, body) = send(&app, "PUT", "/b0/overflow", &[], &mib).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("storage limit"), "{body}");
    // Overwriting an object reuses its space.
    assert_eq!(
        send(&app, "PUT", "/b0/k00000", &[], &mib).await.0,
        StatusCode::OK
    );
    let (status, _, body) = send(&app, "GET", "/b0/k00000", &[], "").await;
    assert_eq!((status, body.len()), (StatusCode::OK, 1 << 20));
}
