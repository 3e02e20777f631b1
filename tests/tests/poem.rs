//! The poem middleware answers every row of the behaviour table like
//! `Policy::evaluate` does, calls the endpoint exactly for the requests that
//! are not preflights, and adds the CORS headers to an endpoint's error.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use cors_runtime::poem::Cors;
use cors_tests::table::*;
use cors_tests::{assert_no_failures, protection_table};
use poem::{Endpoint, EndpointExt, IntoResponse, Request};

/// `request` through the middleware applying `policy` to an endpoint
/// answering `inner`: the response, and whether the endpoint was called.
async fn call(policy: &'static cors_runtime::Policy, request: Request) -> (poem::Response, bool) {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&calls);
    let endpoint = poem::endpoint::make(move |_request| {
        let counter = Arc::clone(&counter);
        async move {
            counter.fetch_add(1, Ordering::SeqCst);
            poem::Response::builder().body("inner")
        }
    })
    .with(Cors::new(policy));
    let response = endpoint
        .call(request)
        .await
        .expect("the middleware never fails");
    (response, calls.load(Ordering::SeqCst) == 1)
}

#[tokio::test]
async fn middleware_matches_the_behaviour_table() {
    let mut failures = Vec::new();
    for row in rows() {
        let mut request = Request::builder()
            .method(poem::http::Method::from_bytes(row.method.as_bytes()).expect("method"))
            .finish();
        *request.headers_mut() = cors_tests::request_headers(&row.request);
        let (response, called) = call(row.policy, request).await;
        let status = (!called).then(|| response.status().as_u16());
        failures.extend(differences(&row, status, response.headers()));
        if called && response.into_body().into_string().await.unwrap_or_default() != "inner" {
            failures.push(format!("{}: the endpoint's body was lost", row.name));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn endpoint_errors_get_cors_headers() {
    let endpoint = poem::endpoint::make(|_request| async {
        Err::<&str, _>(poem::Error::from_status(
            poem::http::StatusCode::UNAUTHORIZED,
        ))
    })
    .with(Cors::new(&cors_tests::FULL));
    let mut request = Request::builder().method(poem::http::Method::GET).finish();
    request.headers_mut().insert(
        "origin",
        poem::http::HeaderValue::from_static("https://app.example.com"),
    );
    let response = endpoint
        .call(request)
        .await
        .expect("an answer")
        .into_response();
    assert_eq!(response.status(), poem::http::StatusCode::UNAUTHORIZED);
    assert_eq!(
        response.headers()["access-control-allow-origin"],
        "https://app.example.com"
    );
}

/// The protection table through the middleware: a refusal is `403` with an
/// empty body and no `Access-Control-*` header, the endpoint not called; a
/// request that passes reaches the endpoint. Every row runs (poem keeps an
/// absolute URI's authority).
#[tokio::test]
async fn middleware_matches_the_protection_table() {
    let rows = protection_table::rows();
    let mut failures = Vec::new();
    let mut executed = 0;
    for row in &rows {
        let mut request = Request::builder()
            .method(row.http_method())
            .uri(row.uri())
            .finish();
        *request.headers_mut() = row.headers();
        let (response, called) = call(row.policy, request).await;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response.into_body().into_bytes().await.unwrap_or_default();
        failures.extend(row.differences(status, called, &headers, Some(body.is_empty())));
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
