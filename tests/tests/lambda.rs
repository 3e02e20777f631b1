//! AWS Lambda through `lambda_http` and the tower layer (no AWS account
//! needed): the behaviour table with `lambda_http`'s request and body types,
//! and an API Gateway event parsed as Lambda delivers it.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use cors_runtime::tower::CorsLayer;
use cors_tests::table::*;
use cors_tests::{assert_no_failures, protection_table};
use lambda_http::{Body, Request, Response};
use tower::{service_fn, Layer, ServiceExt};

#[tokio::test]
async fn the_layer_answers_lambda_requests_like_the_table() {
    let mut failures = Vec::new();
    for row in rows() {
        let calls = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&calls);
        let handler = service_fn(move |_request: Request| {
            counter.fetch_add(1, Ordering::SeqCst);
            async { Ok::<_, lambda_http::Error>(Response::new(Body::from("inner"))) }
        });
        let service = CorsLayer::new(row.policy).layer(handler);
        let mut request = Request::new(Body::Empty);
        *request.method_mut() = http::Method::from_bytes(row.method.as_bytes()).expect("method");
        *request.headers_mut() = cors_tests::request_headers(&row.request);
        let response = service
            .oneshot(request)
            .await
            .expect("the handler never fails");
        let called = calls.load(Ordering::SeqCst) == 1;
        let status = (!called).then(|| response.status().as_u16());
        failures.extend(differences(&row, status, response.headers()));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The protection table with `lambda_http`'s request and body types: a
/// refusal is `403` with an empty body and no `Access-Control-*` header, the
/// handler not called; a request that passes reaches the handler.
#[tokio::test]
async fn the_layer_answers_lambda_requests_like_the_protection_table() {
    let rows = protection_table::rows();
    let mut failures = Vec::new();
    let mut executed = 0;
    for row in &rows {
        let calls = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&calls);
        let handler = service_fn(move |_request: Request| {
            counter.fetch_add(1, Ordering::SeqCst);
            async { Ok::<_, lambda_http::Error>(Response::new(Body::from("inner"))) }
        });
        let response = CorsLayer::new(row.policy)
            .layer(handler)
            .oneshot(row.http_request(Body::Empty))
            .await
            .expect("the handler never fails");
        let called = calls.load(Ordering::SeqCst) == 1;
        let status = response.status().as_u16();
        let body_empty = response.body().is_empty();
        failures.extend(row.differences(status, called, response.headers(), Some(body_empty)));
        executed += 1;
    }
    assert_no_failures(&failures);
    // Every row runs through this adapter.
    assert!(
        executed == rows.len() && executed >= 100,
        "{executed} rows of {}",
        rows.len()
    );
}

/// An HTTP API (API Gateway v2) preflight event, as Lambda delivers it.
const PREFLIGHT_EVENT: &str = r#"{
  "version": "2.0",
  "routeKey": "$default",
  "rawPath": "/items",
  "rawQueryString": "",
  "headers": {
    "origin": "https://app.example.com",
    "access-control-request-method": "PUT",
    "access-control-request-headers": "content-type",
    "host": "abc123.execute-api.eu-west-1.amazonaws.com"
  },
  "requestContext": {
    "accountId": "123456789012",
    "apiId": "abc123",
    "domainName": "abc123.execute-api.eu-west-1.amazonaws.com",
    "domainPrefix": "abc123",
    "http": {
      "method": "OPTIONS",
      "path": "/items",
      "protocol": "HTTP/1.1",
      "sourceIp": "192.0.2.1",
      "userAgent": "test"
    },
    "requestId": "id",
    "routeKey": "$default",
    "stage": "$default",
    "time": "23/Nov/2026:12:00:00 +0000",
    "timeEpoch": 1795000000000
  },
  "isBase64Encoded": false
}"#;

#[tokio::test]
async fn an_api_gateway_event_gets_its_preflight_answer() {
    let request = lambda_http::request::from_str(PREFLIGHT_EVENT).expect("an API Gateway v2 event");
    assert_eq!(request.method(), http::Method::OPTIONS);
    let handler = service_fn(|_request: Request| async {
        Ok::<_, lambda_http::Error>(Response::new(Body::from("never called for a preflight")))
    });
    let response = CorsLayer::new(&cors_tests::FULL)
        .layer(handler)
        .oneshot(request)
        .await
        .expect("answered");
    assert_eq!(response.status(), http::StatusCode::NO_CONTENT);
    assert_eq!(
        response.headers()["access-control-allow-origin"],
        "https://app.example.com"
    );
    assert_eq!(
        response.headers()["access-control-allow-headers"],
        "content-type"
    );
}
