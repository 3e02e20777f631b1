//! A policy replaced while a real axum server is under load: 8 clients send
//! 50,000 requests over keep-alive connections while another task swaps
//! between two policies at least 1,000 times. Every response must be exactly
//! what one of the two policies answers (status and every CORS header); none
//! may fail or mix the two.

use std::net::Ipv4Addr;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use cors_runtime::tower::CorsLayer;
use cors_runtime::{Policy, SharedPolicy};
use http::{HeaderMap, Method, Request};
use http_body_util::BodyExt;

const CLIENTS: usize = 8;
const REQUESTS_PER_CLIENT: usize = 6_250;
const MIN_SWAPS: usize = 1_000;

const CHECKED: [&str; 7] = [
    "access-control-allow-origin",
    "access-control-allow-credentials",
    "access-control-allow-methods",
    "access-control-allow-headers",
    "access-control-expose-headers",
    "access-control-max-age",
    "vary",
];

fn policy_a() -> Policy {
    Policy::from_json(r#"{"allow_origins": ["https://a.example.com"], "allow_methods": ["GET", "PUT"], "expose_headers": ["x-a"], "max_age": 60}"#)
        .expect("A")
}

fn policy_b() -> Policy {
    Policy::from_json(r#"{"allow_origins": ["https://b.example.com", "https://a.example.com"], "allow_methods": ["GET"], "allow_headers": ["x-b"], "expose_headers": ["x-b"], "allow_credentials": true}"#)
        .expect("B")
}

/// The requests each client cycles through: (method, headers).
fn requests() -> Vec<(Method, Vec<(&'static str, &'static str)>)> {
    vec![
        (Method::GET, vec![("origin", "https://a.example.com")]),
        (Method::GET, vec![("origin", "https://b.example.com")]),
        (
            Method::OPTIONS,
            vec![
                ("origin", "https://a.example.com"),
                ("access-control-request-method", "PUT"),
            ],
        ),
        (
            Method::OPTIONS,
            vec![
                ("origin", "https://b.example.com"),
                ("access-control-request-method", "GET"),
                ("access-control-request-headers", "x-b"),
            ],
        ),
        (Method::GET, vec![("origin", "https://evil.example.net")]),
        (Method::GET, vec![]),
    ]
}

/// What a policy answers: the status (200 from the service for actual
/// requests) and every CORS header, `Vary` lines joined.
type Answer = (u16, Vec<Option<String>>);

fn cors_headers(headers: &HeaderMap) -> Vec<Option<String>> {
    CHECKED
        .iter()
        .map(|name| {
            let values: Vec<&str> = headers
                .get_all(*name)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .collect();
            (!values.is_empty()).then(|| values.join(", "))
        })
        .collect()
}

fn expected(policy: &Policy, method: &Method, pairs: &[(&'static str, &'static str)]) -> Answer {
    let mut headers = HeaderMap::new();
    for (name, value) in pairs {
        headers.append(
            http::HeaderName::from_static(name),
            http::HeaderValue::from_static(value),
        );
    }
    let decision = policy.evaluate(method, &headers);
    let mut response = HeaderMap::new();
    decision.apply(&mut response);
    let status = decision.preflight_status().map_or(200, |s| s.as_u16());
    (status, cors_headers(&response))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn swapping_policies_under_load_never_mixes_them() {
    let (a, b) = (Arc::new(policy_a()), Arc::new(policy_b()));
    let requests = requests();
    let answers: Vec<(Answer, Answer)> = requests
        .iter()
        .map(|(method, pairs)| (expected(&a, method, pairs), expected(&b, method, pairs)))
        .collect();
    assert!(
        answers.iter().filter(|(x, y)| x != y).count() >= 4,
        "the policies must answer differently"
    );

    let shared = SharedPolicy::new(a.clone());
    let app = axum::Router::new()
        .fallback(|| async { "ok" })
        .layer(CorsLayer::new(shared.clone()));
    let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .await
        .expect("bind");
    let port = listener.local_addr().expect("address").port();
    let server = tokio::spawn(async move { axum::serve(listener, app).await });

    let done = Arc::new(AtomicBool::new(false));
    let swaps = Arc::new(AtomicUsize::new(0));
    let swapper = {
        let (done, swaps, shared) = (done.clone(), swaps.clone(), shared.clone());
        let (a, b) = (a.clone(), b.clone());
        tokio::spawn(async move {
            while !done.load(Ordering::Relaxed) || swaps.load(Ordering::Relaxed) < MIN_SWAPS {
                let next = if swaps.load(Ordering::Relaxed) % 2 == 0 {
                    b.clone()
                } else {
                    a.clone()
                };
                shared.store(next);
                swaps.fetch_add(1, Ordering::Relaxed);
                tokio::time::sleep(Duration::from_micros(200)).await;
            }
        })
    };

    let seen = Arc::new([AtomicUsize::new(0), AtomicUsize::new(0)]);
    let mut clients = Vec::new();
    for client in 0..CLIENTS {
        let (requests, answers, seen) = (requests.clone(), answers.clone(), seen.clone());
        clients.push(tokio::spawn(async move {
            let stream = tokio::net::TcpStream::connect((Ipv4Addr::LOCALHOST, port))
                .await
                .expect("connect");
            let (mut sender, connection) =
                hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream))
                    .await
                    .expect("handshake");
            tokio::spawn(connection);
            for n in 0..REQUESTS_PER_CLIENT {
                let index = (n + client) % requests.len();
                let (method, pairs) = &requests[index];
                let mut request = Request::builder().method(method.clone()).uri("/items").header("host", "localhost");
                for (name, value) in pairs {
                    request = request.header(*name, *value);
                }
                let request = request.body(String::new()).expect("request");
                let response = sender.send_request(request).await.expect("no request may fail");
                let got: Answer = (response.status().as_u16(), cors_headers(response.headers()));
                let _ = response.into_body().collect().await.expect("body");
                let (under_a, under_b) = &answers[index];
                if &got == under_a {
                    seen[0].fetch_add(1, Ordering::Relaxed);
                } else if &got == under_b {
                    seen[1].fetch_add(1, Ordering::Relaxed);
                } else {
                    panic!("request {index} got {got:?}, which neither policy answers:\nA {under_a:?}\nB {under_b:?}");
                }
            }
        }));
    }
    let all = async {
        for client in clients {
            client.await.expect("client");
        }
    };
    tokio::time::timeout(Duration::from_secs(300), all)
        .await
        .expect("the load finishes in time");
    done.store(true, Ordering::Relaxed);
    swapper.await.expect("swapper");
    server.abort();
    let (under_a, under_b) = (
        seen[0].load(Ordering::Relaxed),
        seen[1].load(Ordering::Relaxed),
    );
    let total = under_a + under_b;
    let swaps = swaps.load(Ordering::Relaxed);
    println!("reload under load: {total} requests from {CLIENTS} clients, {swaps} swaps, 0 failures; answers identical under both policies count for A ({under_a} as A, {under_b} as B)");
    assert_eq!(total, CLIENTS * REQUESTS_PER_CLIENT);
    assert!(swaps >= MIN_SWAPS, "{swaps} swaps");
    assert!(under_b > 0, "policy B was never seen");
}
