//! The tower adapter answers every row of the behaviour table like
//! `Policy::evaluate` does, calls the inner service exactly for the requests
//! that are not preflights, and works inside an axum router.

use std::convert::Infallible;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use axum::routing::{get, options};
use axum::Router;
use cors_runtime::tower::CorsLayer;
use cors_tests::table::*;
use cors_tests::*;
use cors_tests::{assert_no_failures, protection_table};
use http::{HeaderValue, Method, Request, Response, StatusCode};
use tower::{service_fn, Layer, ServiceExt};

fn request(method: &str, headers: &[(&str, &[u8])]) -> Request<String> {
    let mut request = Request::new(String::new());
    *request.method_mut() = Method::from_bytes(method.as_bytes()).expect("method");
    *request.headers_mut() = request_headers(headers);
    request
}

#[tokio::test]
async fn layer_matches_the_behaviour_table() {
    let mut failures = Vec::new();
    for row in rows() {
        let calls = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&calls);
        let inner = service_fn(move |_request: Request<String>| {
            counter.fetch_add(1, Ordering::SeqCst);
            async { Ok::<_, Infallible>(Response::new(String::from("inner"))) }
        });
        let service = CorsLayer::new(row.policy).layer(inner);
        let response = service
            .oneshot(request(row.method, &row.request))
            .await
            .expect("infallible");
        let called = calls.load(Ordering::SeqCst) == 1;
        let status = (!called).then(|| response.status().as_u16());
        failures.extend(differences(&row, status, response.headers()));
        if called && response.body() != "inner" {
            failures.push(format!("{}: the inner response's body was lost", row.name));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// An axum router: `OPTIONS` without `Access-Control-Request-Method` reaches
/// the route (the routing bug tower-http users report), preflights do not,
/// and a route's own `Vary` is kept.
#[tokio::test]
async fn axum_router_keeps_options_routes_and_vary() {
    let app = Router::new()
        .route("/", options(|| async { (StatusCode::OK, "options route") }))
        .route(
            "/data",
            get(|| async { ([("vary", "Accept-Encoding")], "data") }),
        )
        .layer(CorsLayer::new(&ECHO));

    let plain_options = request("OPTIONS", &[("origin", b"https://app.example.com")]);
    let response = app
        .clone()
        .oneshot(plain_options.map(axum::body::Body::from))
        .await
        .expect("infallible");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()["access-control-allow-origin"],
        "https://app.example.com"
    );

    let preflight = request(
        "OPTIONS",
        &[
            ("origin", b"https://app.example.com"),
            ("access-control-request-method", b"DELETE"),
        ],
    );
    let response = app
        .clone()
        .oneshot(preflight.map(axum::body::Body::from))
        .await
        .expect("infallible");
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(response.headers()["access-control-allow-methods"], "DELETE");

    let mut get = request("GET", &[("origin", b"https://app.example.com")]);
    *get.uri_mut() = "/data".parse().expect("uri");
    let response = app
        .oneshot(get.map(axum::body::Body::from))
        .await
        .expect("infallible");
    let vary: Vec<&HeaderValue> = response.headers().get_all("vary").iter().collect();
    assert_eq!(vary, ["Accept-Encoding", "Origin"]);
}

/// A tower service's `Err` has no response for the layer to add headers to;
/// axum turns errors into responses with `HandleErrorLayer`, inside the CORS
/// layer, and those responses get the CORS headers like any other.
#[tokio::test]
async fn responses_built_from_errors_by_axum_get_cors_headers() {
    use axum::error_handling::HandleErrorLayer;
    use tower::ServiceBuilder;

    let failing = service_fn(|_request: Request<axum::body::Body>| async {
        Err::<Response<axum::body::Body>, _>(std::io::Error::other("backend down"))
    });
    let app = Router::new().route_service(
        "/items",
        ServiceBuilder::new()
            .layer(HandleErrorLayer::new(|error: std::io::Error| async move {
                (StatusCode::SERVICE_UNAVAILABLE, error.to_string())
            }))
            .service(failing),
    );
    let app = app.layer(CorsLayer::new(&FULL));
    let request = Request::get("/items")
        .header("origin", "https://app.example.com")
        .body(axum::body::Body::empty())
        .expect("request");
    let response = app.oneshot(request).await.expect("infallible");
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(
        response.headers()["access-control-allow-origin"],
        "https://app.example.com"
    );
    assert_eq!(
        response.headers()["access-control-allow-credentials"],
        "true"
    );
}

/// The protection table through an axum router (a fallback handler for
/// every method and path) behind the layer: a refusal is `403` with an
/// empty body and no `Access-Control-*` header, the handler not called; a
/// request that passes reaches the handler.
#[tokio::test]
async fn axum_router_matches_the_protection_table() {
    let rows = protection_table::rows();
    let mut failures = Vec::new();
    let mut executed = 0;
    for row in &rows {
        let calls = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&calls);
        let app = Router::new()
            .fallback(move || async move {
                counter.fetch_add(1, Ordering::SeqCst);
                "inner"
            })
            .layer(CorsLayer::new(row.policy));
        let response = app
            .oneshot(row.http_request(axum::body::Body::empty()))
            .await
            .expect("infallible");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("body");
        let called = calls.load(Ordering::SeqCst) == 1;
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
