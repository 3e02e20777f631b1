//! The playground's servers without a browser: replacing the policy (valid,
//! invalid, huge, not UTF-8, unknown format, many at once), what the API
//! records per request id, a flood of requests that must not grow the record
//! store (in records or in bytes), and the cross-origin writes the page
//! demonstrates (form posts and WebSockets, sent as real HTTP over
//! loopback): refused `403` before the handler from an origin the policy
//! does not let act, with the counter unchanged and the refusal recorded,
//! and let through from one it does.
//! The browser drives the same servers in `tests/tests/browser.rs`.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use cors_examples::playground::{
    api_router, page_router, Playground, MAX_EXCHANGES_PER_ID, MAX_EXCHANGE_BYTES, MAX_FIELD_LEN,
    MAX_POLICY_LEN, MAX_REQUEST_IDS,
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

#[tokio::test]
async fn huge_methods_and_paths_are_recorded_cut() {
    let (playground, api, page) = servers();
    let method = "M".repeat(300_000);
    let path = format!("/api/hello/{}", "p".repeat(60_000));
    for _ in 0..MAX_EXCHANGES_PER_ID {
        let request = Request::builder()
            .method(method.as_str())
            .uri(format!("{path}?rid=huge"))
            .header("origin", PAGE_ORIGIN)
            .body(Body::empty())
            .expect("request");
        let (status, _) = send(&api, request).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "a write no rule allows");
    }
    let (status, recorded) = send(&page, get("/playground/requests/huge")).await;
    assert_eq!(status, StatusCode::OK);
    let exchanges = recorded["exchanges"].as_array().expect("a list");
    assert_eq!(exchanges.len(), MAX_EXCHANGES_PER_ID);
    for exchange in exchanges {
        let (method, path) = (exchange["method"].as_str(), exchange["path"].as_str());
        assert!(method.is_some_and(|m| m.starts_with("MMM") && m.ends_with('…')));
        assert!(method.is_some_and(|m| m.len() <= MAX_FIELD_LEN + 3));
        assert!(path.is_some_and(|p| p.starts_with("/api/hello/pp") && p.ends_with('…')));
        assert!(path.is_some_and(|p| p.len() <= MAX_FIELD_LEN + 3));
    }
    assert!(recorded.to_string().len() < 4 * MAX_EXCHANGE_BYTES);
    let held = playground.exchanges("huge");
    assert!(held
        .iter()
        .all(|exchange| exchange.bytes() <= MAX_EXCHANGE_BYTES));
}

/// Policies are checked on the blocking pool: on a one-thread runtime, the
/// API answers between concurrent updates, and every update is checked and
/// answered as before.
#[tokio::test(flavor = "current_thread")]
async fn concurrent_policy_updates_are_each_checked_and_answered() {
    let (playground, api, page) = servers();
    let updates: Vec<_> = (0..16)
        .map(|n| {
            let page = page.clone();
            let text = format!(
                "allow_origins = [\"http://localhost:*\"]\nallow_methods = [\"GET\"]\nmax_age = {n}\n"
            );
            tokio::spawn(async move {
                let (status, answer) = send(&page, put_policy("dsl-toml", text.clone())).await;
                (status, answer, text)
            })
        })
        .collect();
    let (status, _) = send(&api, preflight("between", PAGE_ORIGIN, "GET")).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let mut texts = Vec::new();
    for update in updates {
        let (status, answer, text) = update.await.expect("answered");
        assert_eq!(status, StatusCode::OK, "{answer}");
        assert_eq!(answer["applied"], true);
        assert_eq!(answer["text"], text.as_str());
        texts.push(text);
    }
    assert!(
        texts.contains(&playground.policy_text().text),
        "one of them answers"
    );
    let (status, answer) = send(&page, put_policy("dsl-toml", "allow_origins = 1")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert_eq!(answer["applied"], false);
}

/// The API served on a free loopback port, with the page router beside it.
async fn serve_api() -> (Arc<Playground>, SocketAddr, Router) {
    let (playground, api, page) = servers();
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, api).await });
    (playground, address, page)
}

/// Sends `request` (a whole HTTP/1.1 request) to `address` and returns the
/// answer's status and body.
async fn raw_http(address: SocketAddr, request: String) -> (u16, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let exchange = async {
        let mut stream = tokio::net::TcpStream::connect(address)
            .await
            .expect("connect");
        stream.write_all(request.as_bytes()).await.expect("write");
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).await.expect("read");
        answer
    };
    let answer = tokio::time::timeout(Duration::from_secs(10), exchange)
        .await
        .expect("the API answers in time");
    let text = String::from_utf8_lossy(&answer);
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .expect("a status line");
    let body = text.split_once("\r\n\r\n").map_or("", |(_, body)| body);
    (status, body.to_owned())
}

/// A form post as a browser sends it: `origin` and `Sec-Fetch-Site` when
/// given, and the body of an HTML form or of a `no-cors` text/plain fetch.
fn form_post(
    address: SocketAddr,
    rid: &str,
    origin: Option<&str>,
    site: Option<&str>,
    content_type: &str,
) -> String {
    let mut request = format!(
        "POST /api/form?rid={rid} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\nContent-Type: {content_type}\r\nContent-Length: 10\r\n"
    );
    if let Some(origin) = origin {
        request.push_str(&format!("Origin: {origin}\r\n"));
    }
    if let Some(site) = site {
        request.push_str(&format!("Sec-Fetch-Site: {site}\r\n"));
    }
    request.push_str("\r\namount=100");
    request
}

const FORM: &str = "application/x-www-form-urlencoded";

/// The one exchange the API recorded under `rid`, read from the page.
async fn recorded(page: &Router, rid: &str) -> Value {
    let (status, record) = send(page, get(&format!("/playground/requests/{rid}"))).await;
    assert_eq!(status, StatusCode::OK);
    let exchanges = record["exchanges"].as_array().expect("a list");
    assert_eq!(exchanges.len(), 1, "{record}");
    exchanges[0].clone()
}

/// Applies `text` as the policy, written in `format`; it must be accepted.
async fn apply(page: &Router, format: &str, text: impl Into<Body>) {
    let (status, answer) = send(page, put_policy(format, text)).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
}

/// How many writes the API accepted, read from the page.
async fn writes(page: &Router) -> u64 {
    let (status, answer) = send(page, get("/playground/writes")).await;
    assert_eq!(status, StatusCode::OK);
    answer["writes"].as_u64().expect("a count")
}

fn response_header_names(exchange: &Value) -> Vec<&str> {
    exchange["response_headers"]
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|pair| pair[0].as_str())
        .collect()
}

#[tokio::test]
async fn a_cross_site_form_post_from_a_foreign_origin_is_refused_before_the_handler() {
    let (playground, address, page) = serve_api().await;
    assert_eq!(writes(&page).await, 0);

    let refused = [
        (
            "evil",
            Some("http://evil.example"),
            Some("cross-site"),
            FORM,
            "cross-site POST from http://evil.example: no rule allows this origin",
        ),
        (
            "no-cors",
            Some("http://evil.example"),
            Some("cross-site"),
            "text/plain",
            "cross-site POST from http://evil.example: no rule allows this origin",
        ),
        (
            "sibling",
            Some("http://127.0.0.1:8080"),
            Some("same-site"),
            FORM,
            "same-site POST from http://127.0.0.1:8080: no rule allows this origin",
        ),
        (
            "plain-http",
            Some("http://127.0.0.1:8080"),
            None,
            FORM,
            "cross-origin POST from http://127.0.0.1:8080: no rule allows this origin",
        ),
        (
            "no-origin",
            None,
            Some("cross-site"),
            FORM,
            "cross-site POST without an Origin header: browsers send Origin on every cross-site write, so nothing says who is asking",
        ),
    ];
    for (rid, origin, site, content_type, why) in refused {
        let (status, body) =
            raw_http(address, form_post(address, rid, origin, site, content_type)).await;
        assert_eq!(status, 403, "{rid}");
        assert_eq!(body, "", "{rid}: a refusal has an empty body");
        assert_eq!(writes(&page).await, 0, "{rid}: the handler never ran");
        let exchange = recorded(&page, rid).await;
        assert_eq!(exchange["status"], 403, "{rid}");
        assert_eq!(exchange["refused"], true, "{rid}");
        assert_eq!(exchange["allowed"], false, "{rid}");
        assert_eq!(exchange["decision"], why, "{rid}");
        assert_eq!(exchange["protection"], why, "{rid}");
        assert_eq!(response_header_names(&exchange), ["vary"], "{rid}");
    }
    let sibling = recorded(&page, "sibling").await;
    let sent = sibling["request_headers"].to_string();
    assert!(sent.contains(r#"["sec-fetch-site","same-site"]"#), "{sent}");

    // The page's own origin, as the starting policy allows it.
    let (status, body) = raw_http(
        address,
        form_post(
            address,
            "allowed",
            Some(PAGE_ORIGIN),
            Some("cross-site"),
            FORM,
        ),
    )
    .await;
    assert_eq!((status, body.as_str()), (200, "write #1 accepted"));
    assert_eq!(writes(&page).await, 1);
    assert_eq!(playground.writes(), 1);
    let exchange = recorded(&page, "allowed").await;
    assert_eq!(exchange["status"], 200);
    assert_eq!(exchange["refused"], false);
    assert_eq!(exchange["allowed"], true);
    assert_eq!(
        exchange["protection"],
        "the policy lets this origin make this request"
    );
    assert!(
        exchange["decision"]
            .as_str()
            .is_some_and(|d| d.starts_with("allowed request") && d.contains("`POST`")),
        "{exchange}"
    );

    // Not from a browser (no Origin, no Sec-Fetch-Site): not the
    // protection's business.
    let (status, _) = raw_http(address, form_post(address, "curl", None, None, FORM)).await;
    assert_eq!(status, 200);
    assert_eq!(writes(&page).await, 2);
    let exchange = recorded(&page, "curl").await;
    assert_eq!(exchange["kind"], "not CORS");
    assert!(
        exchange["protection"]
            .as_str()
            .is_some_and(|p| p.contains("not sent by a browser page")),
        "{exchange}"
    );
}

#[tokio::test]
async fn the_edited_policy_decides_who_may_write() {
    let (_, address, page) = serve_api().await;
    let foreign = |rid: &str| {
        form_post(
            address,
            rid,
            Some("http://evil.example"),
            Some("cross-site"),
            FORM,
        )
    };

    // The protection turned off (CORS alone stops nothing), or the form's
    // path opened: the foreign form post goes through, though CORS still
    // denies the origin reading the answer.
    let rules = "[[rules]]\nallow_origins = [\"http://localhost:*\"]\nallow_methods = [\"GET\", \"POST\"]\n";
    let opened = [
        (
            "off",
            "cross_origin_protection = false",
            "the cross-origin protection is off for this policy",
        ),
        (
            "open",
            "open_paths = [\"/api/form\"]",
            "a POST to an open path of the policy",
        ),
    ];
    for (count, (rid, key, protection)) in (1..).zip(opened) {
        apply(&page, "dsl-toml", format!("{key}\n\n{rules}")).await;
        let (status, _) = raw_http(address, foreign(rid)).await;
        assert_eq!(status, 200, "{rid}");
        assert_eq!(writes(&page).await, count, "{rid}");
        let exchange = recorded(&page, rid).await;
        assert_eq!(exchange["refused"], false, "{rid}");
        assert_eq!(exchange["protection"], protection, "{rid}");
        assert!(
            exchange["decision"]
                .as_str()
                .is_some_and(|d| d.starts_with("denied request")),
            "CORS still denies reading: {exchange}"
        );
    }

    // The page's origin may read with GET but not POST: its form is refused.
    let reads_only = "allow_origins = [\"http://localhost:*\"]\nallow_methods = [\"GET\"]\n";
    apply(&page, "dsl-toml", reads_only).await;
    let (status, _) = raw_http(
        address,
        form_post(
            address,
            "get-only",
            Some(PAGE_ORIGIN),
            Some("cross-site"),
            FORM,
        ),
    )
    .await;
    assert_eq!(status, 403);
    assert_eq!(writes(&page).await, 2);
    assert_eq!(
        recorded(&page, "get-only").await["decision"],
        "cross-site POST from http://localhost:8080: the origin matches rule 0, but its methods do not include POST"
    );

    // An S3 configuration keeps S3's behaviour: no protection.
    let s3 = page
        .clone()
        .oneshot(get("/playground/examples/s3-json"))
        .await
        .expect("infallible");
    let s3 = axum::body::to_bytes(s3.into_body(), 1 << 20)
        .await
        .expect("a body");
    apply(&page, "s3-json", s3.to_vec()).await;
    let (status, _) = raw_http(address, foreign("s3")).await;
    assert_eq!(status, 200);
    assert_eq!(writes(&page).await, 3);
}

/// Opens a WebSocket to the API's echo from `origin`: the socket, or the
/// status of the refused handshake.
async fn open_socket(
    address: SocketAddr,
    rid: &str,
    origin: &str,
) -> Result<
    tokio_tungstenite::WebSocketStream<tokio::net::TcpStream>,
    tokio_tungstenite::tungstenite::http::StatusCode,
> {
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    use tokio_tungstenite::tungstenite::Error;
    let mut request = format!("ws://{address}/api/ws?rid={rid}")
        .into_client_request()
        .expect("a handshake request");
    request
        .headers_mut()
        .insert("origin", origin.parse().expect("an origin value"));
    let stream = tokio::net::TcpStream::connect(address)
        .await
        .expect("connect");
    let handshake = tokio_tungstenite::client_async(request, stream);
    match tokio::time::timeout(Duration::from_secs(10), handshake)
        .await
        .expect("the API answers in time")
    {
        Ok((socket, response)) => {
            assert_eq!(response.status().as_u16(), 101);
            Ok(socket)
        }
        Err(Error::Http(response)) => Err(response.status()),
        Err(other) => panic!("the handshake failed otherwise: {other}"),
    }
}

#[tokio::test]
async fn a_websocket_from_a_foreign_origin_is_refused_before_the_upgrade() {
    use futures_util::{SinkExt, StreamExt};
    use tokio_tungstenite::tungstenite::Message;

    let (_, address, page) = serve_api().await;
    let refused = open_socket(address, "ws-evil", "http://evil.example").await;
    assert_eq!(refused.err().map(|status| status.as_u16()), Some(403));
    let exchange = recorded(&page, "ws-evil").await;
    assert_eq!(exchange["status"], 403);
    assert_eq!(exchange["refused"], true);
    assert_eq!(
        exchange["decision"],
        "cross-origin WebSocket handshake from http://evil.example: no rule allows this origin"
    );
    assert_eq!(response_header_names(&exchange), ["vary"]);
    let sent = exchange["request_headers"].to_string();
    assert!(sent.contains(r#"["upgrade","websocket"]"#), "{sent}");

    let mut socket = open_socket(address, "ws-page", PAGE_ORIGIN)
        .await
        .expect("the page's origin may open a WebSocket");
    let exchange = recorded(&page, "ws-page").await;
    assert_eq!(exchange["status"], 101);
    assert_eq!(exchange["refused"], false);
    assert_eq!(
        exchange["protection"],
        "the policy lets this origin make this request"
    );
    socket
        .send(Message::text("hello"))
        .await
        .expect("send a message");
    let echo = tokio::time::timeout(Duration::from_secs(10), socket.next())
        .await
        .expect("an echo in time")
        .expect("an open socket")
        .expect("a message");
    assert_eq!(echo, Message::text("echo (write #1): hello"));
    assert_eq!(writes(&page).await, 1);
    socket.close(None).await.expect("close");
}
