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
