//! The playground's servers without a browser: replacing the policy (valid,
//! invalid, huge, not UTF-8, unknown format), what the API records per
//! request id, and a flood of requests that must not grow the record store.
//! The browser drives the same servers in `tests/tests/browser.rs`.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use cors_examples::playground::{
    api_router, page_router, Playground, MAX_EXCHANGES_PER_ID, MAX_POLICY_LEN, MAX_REQUEST_IDS,
};
use serde_json::Value;
use tower::ServiceExt;

const PAGE_ORIGIN: &str = "http://localhost:8080";

fn servers() -> (Arc<Playground>, Router, Router) {
    let playground = Playground::new(false).expect("the default policy loads");
    let api = api_router(playground.clone());
    let page = page_router(playground.clone(), "http://127.0.0.1:8081");
    (playground, api, page)
}

async fn send(app: &Router, request: Request<Body>) -> (StatusCode, Value) {
    let response = app.clone().oneshot(request).await.expect("infallible");
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .expect("a body");
    let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    (status, json)
}

fn put_policy(format: &str, body: impl Into<Body>) -> Request<Body> {
    Request::builder()
        .method("PUT")
        .uri(format!("/playground/policy/{format}"))
        .body(body.into())
        .expect("request")
}

fn get(uri: &str) -> Request<Body> {
    Request::builder()
        .uri(uri)
        .body(Body::empty())
        .expect("request")
}

fn preflight(rid: &str, origin: &str, method: &str) -> Request<Body> {
    Request::builder()
        .method("OPTIONS")
        .uri(format!("/api/hello?rid={rid}"))
        .header("origin", origin)
        .header("access-control-request-method", method)
        .body(Body::empty())
        .expect("request")
}

#[tokio::test]
async fn the_page_serves_itself_with_the_api_address() {
    let (_, _, page) = servers();
    let response = page.oneshot(get("/")).await.expect("infallible");
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .expect("a body");
    let html = String::from_utf8(bytes.to_vec()).expect("UTF-8");
    assert!(html.contains(r#"const API = "http://127.0.0.1:8081";"#));
    assert!(!html.contains("{API}"));
    for external in ["<link", " src=", "url(", "@import"] {
        assert!(!html.contains(external), "an external asset: {external}");
    }
}

#[tokio::test]
async fn a_valid_policy_replaces_the_one_that_answers() {
    let (playground, api, page) = servers();
    let (status, _) = send(&api, preflight("before", PAGE_ORIGIN, "DELETE")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let json = r#"{"allow_origins": ["http://localhost:*"], "allow_methods": ["DELETE"]}"#;
    let (status, answer) = send(&page, put_policy("dsl-json", json)).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["applied"], true);
    let (_, now) = send(&page, get("/playground/policy")).await;
    assert_eq!(now["format"], "dsl-json");
    assert_eq!(now["text"], json);

    let (status, _) = send(&api, preflight("after", PAGE_ORIGIN, "DELETE")).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let recorded = playground.exchanges("after");
    assert_eq!(recorded.len(), 1);
    assert!(recorded[0].allowed);
    assert_eq!(recorded[0].kind, "preflight");
    assert!(
        recorded[0].decision.starts_with("allowed preflight"),
        "{}",
        recorded[0].decision
    );

    for format in ["dsl-toml", "s3-json", "s3-xml"] {
        let text = page
            .clone()
            .oneshot(get(&format!("/playground/examples/{format}")))
            .await
            .expect("infallible");
        let text = axum::body::to_bytes(text.into_body(), 1 << 20)
            .await
            .expect("a body");
        let (status, answer) = send(&page, put_policy(format, text.to_vec())).await;
        assert_eq!(status, StatusCode::OK, "{format}: {answer}");
    }
}

#[tokio::test]
async fn a_refused_policy_lists_its_problems_and_changes_nothing() {
    let (_, api, page) = servers();
    let (_, before) = send(&page, get("/playground/policy")).await;
    let bad = "allow_origins = [\"https://*.com\", \"http://a.test/path\"]\nallow_methods = [\"GET\"]\nallow_credentials = true\n";
    let (status, answer) = send(&page, put_policy("dsl-toml", bad)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(answer["applied"], false);
    let mut problems: Vec<&str> = answer["problems"]
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    problems.sort_unstable();
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems[0].starts_with("allow_origins[0]:") && problems[0].contains("public suffix"));
    assert!(problems[1].starts_with("allow_origins[1]:") && problems[1].contains("has a path"));
    let (_, after) = send(&page, get("/playground/policy")).await;
    assert_eq!(before, after);
    let (status, _) = send(&api, preflight("still", PAGE_ORIGIN, "PUT")).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "the old policy answers");

    let s3 = r#"{"CORSRules": [{"AllowedOrigins": ["*"], "AllowedMethods": ["BREW"]}]}"#;
    let (status, answer) = send(&page, put_policy("s3-json", s3)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(answer["problems"][0]
        .as_str()
        .is_some_and(|p| p.contains("BREW")));
}

#[tokio::test]
async fn bad_input_gets_a_clear_error() {
    let (_, _, page) = servers();
    let huge = "#".repeat(MAX_POLICY_LEN + 1);
    let (status, answer) = send(&page, put_policy("dsl-toml", huge)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(answer["problems"][0]
        .as_str()
        .is_some_and(|p| p.contains("larger than 64 KiB")));

    let (status, answer) = send(&page, put_policy("dsl-toml", vec![0xff, 0xfe])).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(answer["problems"][0]
        .as_str()
        .is_some_and(|p| p.contains("UTF-8")));

    let (status, answer) = send(&page, put_policy("yaml", "a: b")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(answer["problems"][0]
        .as_str()
        .is_some_and(|p| p.contains("dsl-toml, dsl-json, s3-json, s3-xml")));

    let garbage = "\u{0}[[[{{{".repeat(1000);
    for format in ["dsl-toml", "dsl-json", "s3-json", "s3-xml"] {
        let (status, answer) = send(&page, put_policy(format, garbage.clone())).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{format}");
        let problems = answer["problems"].as_array().expect("a list");
        assert!(!problems.is_empty() && problems.len() <= 11, "{format}");
    }

    let (status, _) = send(&page, get("/playground/requests/not%20an%20id")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, answer) = send(&page, get("/playground/requests/unknown")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(answer["exchanges"], serde_json::json!([]));
}

#[tokio::test]
async fn the_api_records_what_crossed_the_wire() {
    let (_, api, page) = servers();
    let request = Request::builder()
        .uri("/api/hello?rid=r1")
        .header("origin", "http://127.0.0.1:8080")
        .body(Body::empty())
        .expect("request");
    let (status, _) = send(&api, request).await;
    assert_eq!(status, StatusCode::OK, "a denied actual request still runs");
    let (_, record) = send(&page, get("/playground/requests/r1")).await;
    let exchange = &record["exchanges"][0];
    assert_eq!(exchange["kind"], "request");
    assert_eq!(exchange["allowed"], false);
    assert_eq!(exchange["request_headers"][0][0], "origin");
    assert_eq!(exchange["request_headers"][0][1], "http://127.0.0.1:8080");
    assert!(exchange["decision"]
        .as_str()
        .is_some_and(|d| d.starts_with("denied request") && d.contains("127.0.0.1")));
    let sent: Vec<&str> = exchange["response_headers"]
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|pair| pair[0].as_str())
        .collect();
    assert_eq!(sent, ["vary"], "no Access-Control-* for a denied origin");
}

#[tokio::test]
async fn a_flood_of_requests_keeps_the_record_store_bounded() {
    let (playground, api, _) = servers();
    for n in 0..MAX_REQUEST_IDS + 100 {
        let (status, _) = send(&api, preflight(&format!("f{n}"), PAGE_ORIGIN, "PUT")).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
    }
    assert!(playground.exchanges("f0").is_empty(), "the oldest is gone");
    assert_eq!(
        playground
            .exchanges(&format!("f{}", MAX_REQUEST_IDS + 99))
            .len(),
        1
    );
    for _ in 0..MAX_EXCHANGES_PER_ID * 10 {
        send(&api, preflight("same", PAGE_ORIGIN, "PUT")).await;
    }
    assert_eq!(playground.exchanges("same").len(), MAX_EXCHANGES_PER_ID);
    // Requests without a request id, or with a hostile one, are answered
    // and not recorded.
    let long_id = "a".repeat(1000);
    let (status, _) = send(&api, preflight(&long_id, PAGE_ORIGIN, "PUT")).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(playground.exchanges(&long_id).is_empty());
}
