//! The CORS playground of `cargo run --example demo`: an API on one origin,
//! behind a policy that can be replaced while it runs, and a page on another
//! origin that makes cross-origin calls to it and explains each one.
//!
//! Two servers share one [`Playground`]:
//! - the **API** ([`api_router`]): `/api/hello` answers every method, and
//!   two endpoints act, as a cross-site page can make them act whatever
//!   CORS says: `POST /api/form` (a form post) and `GET /api/ws` (a
//!   WebSocket echo), each accepted write counted. All of it sits behind a
//!   [`SharedPolicy`]; a middleware loads the policy once per request,
//!   applies it with the tower adapter ([`Cors`], which answers a refused
//!   write `403` itself, before the handler) and records, per request id
//!   (the `rid` query parameter the page adds), the request headers CORS and
//!   the cross-origin protection read, the CORS response headers, the status
//!   and that same policy's decision (so a policy swapped in mid-request can
//!   never make the record disagree with the answer, and a refused write is
//!   recorded too);
//! - the **page** ([`page_router`]): the page itself, and its control
//!   endpoints `GET`/`PUT /playground/policy[/{format}]` (read or replace
//!   the policy), `GET /playground/requests/{rid}` (what the API recorded)
//!   and `GET /playground/writes` (how many writes the API accepted). These
//!   live on the page's own origin, so the page reaches them same-origin:
//!   they need no CORS, and the API's policy, whatever the person makes it,
//!   never decides whether the playground works.
//!
//! Checking a policy (up to [`MAX_POLICY_LEN`], a few milliseconds for the
//! slowest shapes) never runs on the async executor: `PUT
//! /playground/policy/{format}` reads the body, then waits for one of
//! [`MAX_CONCURRENT_CHECKS`] permits and checks the text on tokio's blocking
//! pool, so the API keeps answering while policies are being applied. A
//! request that gets no permit within [`CHECK_WAIT`] is answered `503` with
//! `Retry-After: 1` and the same JSON as a refused policy
//! (`{"applied": false, "problems": [...]}`): nothing was applied. Waiting
//! rather than refusing at once lets a burst of updates (the page sends one
//! at a time) through in turn; the bound on the wait keeps a flood of them
//! from queueing without end.
//!
//! What the API records is bounded in bytes, per exchange and in all (see
//! [`Records`]), and the line the demo prints per request is cut the same
//! way and written with [`write_decision`], which ignores a closed or
//! broken stdout instead of panicking.

mod policy_text;
mod records;
mod writes;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::{from_fn_with_state, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{any, get, post, put};
use axum::{Json, Router};
use cors_runtime::tower::Cors;
use cors_runtime::{RequestKind, SharedPolicy};
use serde_json::json;
use tokio::sync::Semaphore;
use tower::ServiceExt;

pub use policy_text::{Format, PolicyText, DEFAULT_POLICY, MAX_POLICY_LEN};
pub use records::{
    cut, is_request_id, request_id, write_decision, Exchange, Records, MAX_EXCHANGES_PER_ID,
    MAX_EXCHANGE_BYTES, MAX_FIELD_LEN, MAX_HEADERS, MAX_LINE_LEN, MAX_REQUEST_IDS,
    MAX_REQUEST_ID_LEN, MAX_STORE_BYTES,
};
pub use writes::{Writes, MAX_ECHOES, MAX_ECHO_LEN};

/// The page, with `{API}` standing for the API's base URL.
const PAGE: &str = include_str!("page.html");

/// How many policies may be checked at once (each on a thread of tokio's
/// blocking pool, never on the executor).
pub const MAX_CONCURRENT_CHECKS: usize = 2;

/// How long a policy update waits for a check permit before it is answered
/// `503`.
pub const CHECK_WAIT: Duration = Duration::from_secs(2);

/// The state both servers share: the policy that answers, its text, what
/// the API recorded and how many writes it accepted.
#[derive(Debug)]
pub struct Playground {
    policy: SharedPolicy,
    text: Mutex<PolicyText>,
    records: Records,
    writes: Writes,
    /// Whether each API request's decision is printed on stdout.
    print_decisions: bool,
    /// The permits to check a policy: [`MAX_CONCURRENT_CHECKS`].
    checks: Arc<Semaphore>,
}

impl Playground {
    /// A playground answering with [`DEFAULT_POLICY`]; when
    /// `print_decisions` is set, the API prints each decision on stdout.
    pub fn new(print_decisions: bool) -> Result<Arc<Playground>, String> {
        let text = PolicyText::default();
        let policy = text.format.load(&text.text).map_err(|problems| {
            format!("the default policy is refused: {}", problems.join("; "))
        })?;
        Ok(Arc::new(Playground {
            policy: SharedPolicy::new(policy),
            text: Mutex::new(text),
            records: Records::default(),
            writes: Writes::default(),
            print_decisions,
            checks: Arc::new(Semaphore::new(MAX_CONCURRENT_CHECKS)),
        }))
    }

    /// The policy's text as written.
    pub fn policy_text(&self) -> PolicyText {
        self.text
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// Checks `text` as `format` and, if it holds, makes it the policy that
    /// answers; otherwise the old one keeps answering and every problem is
    /// returned. This runs the checker on the calling thread: the page's
    /// endpoint calls it on the blocking pool, behind a permit.
    pub fn apply(&self, format: Format, text: &str) -> Result<(), Vec<String>> {
        let policy = format.load(text)?;
        let mut current = self
            .text
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        self.policy.store(policy);
        *current = PolicyText {
            format,
            text: text.to_owned(),
        };
        Ok(())
    }

    /// What the API recorded under request id `id`, oldest first.
    pub fn exchanges(&self, id: &str) -> Vec<Exchange> {
        self.records.get(id)
    }

    /// How many writes (form posts, WebSocket messages) the API accepted.
    pub fn writes(&self) -> u64 {
        self.writes.count()
    }
}

/// The API: `/api/hello` and `/api/hello/...` answer every method with one
/// exposed (`x-request-id`) and one unexposed (`x-internal`) header;
/// `POST /api/form` counts a write, and `GET /api/ws` opens a WebSocket
/// that echoes each message (each counted as a write).
pub fn api_router(playground: Arc<Playground>) -> Router {
    Router::new()
        .route("/api/hello", any(api_response))
        .route("/api/hello/{*rest}", any(api_response))
        .route("/api/form", post(writes::form_post))
        .route("/api/ws", get(writes::echo_socket))
        .with_state(playground.clone())
        .layer(from_fn_with_state(playground, record))
}

async fn api_response() -> Response {
    (
        [
            ("x-request-id", "demo-42"),
            ("x-internal", "hidden from scripts"),
        ],
        "hello from the API",
    )
        .into_response()
}

/// Applies the current policy to the request (the tower adapter around the
/// rest of the API) and records the request's CORS and protection headers,
/// that policy's decision and the status and CORS headers of the answer,
/// under the request's `rid`. The record is written here, outside the
/// adapter, so a write the protection refuses (answered `403` by the
/// adapter, never reaching a handler) is recorded like any other request.
async fn record(
    State(playground): State<Arc<Playground>>,
    request: Request,
    next: Next,
) -> Response {
    // One load: the answer and the record come from the same policy, judged
    // on the same method, URI and headers as the adapter judges them.
    let policy = playground.policy.load();
    let decision = policy.evaluate_request(&request);
    let kind = match decision.kind() {
        RequestKind::Preflight => "preflight",
        RequestKind::NotCors => "not CORS",
        _ => "request",
    };
    let (allowed, refused) = (decision.is_allowed(), decision.is_refused());
    let protection = match (decision.pass(), decision.refusal()) {
        (Some(pass), _) => pass.to_string(),
        (None, Some(refusal)) => refusal.to_string(),
        (None, None) => String::new(),
    };
    let decision = records::cut(&decision.to_string(), MAX_LINE_LEN);
    let method = records::cut(request.method().as_str(), MAX_FIELD_LEN);
    let path = records::cut(request.uri().path(), MAX_FIELD_LEN);
    if playground.print_decisions {
        write_decision(std::io::stdout().lock(), &method, &path, &decision);
    }
    let id = records::request_id(request.uri().query()).map(str::to_owned);
    let request_headers = Exchange::request_headers(request.headers());
    let response = match Cors::new(next, policy).oneshot(request).await {
        Ok(response) => response,
        Err(never) => match never {},
    };
    if let Some(id) = id {
        let exchange = Exchange {
            kind,
            method,
            path,
            request_headers,
            status: response.status().as_u16(),
            response_headers: Exchange::response_headers(response.headers()),
            decision,
            allowed,
            refused,
            protection,
        };
        playground.records.push(&id, exchange);
    }
    response
}

/// The page and its same-origin control endpoints; `api_base` is the API's
/// base URL as the page's scripts call it (`http://127.0.0.1:8081`).
pub fn page_router(playground: Arc<Playground>, api_base: &str) -> Router {
    let page = PAGE.replace("{API}", api_base);
    Router::new()
        .route(
            "/",
            get(move || {
                let page = page.clone();
                async move { Html(page) }
            }),
        )
        .route("/playground/policy", get(policy_now))
        .route("/playground/policy/{format}", put(replace_policy))
        .route("/playground/examples/{format}", get(example))
        .route("/playground/requests/{rid}", get(exchanges))
        .route("/playground/writes", get(writes_now))
        .with_state(playground)
}

/// `{"format": "dsl-toml", "text": "..."}`: the policy that answers.
async fn policy_now(State(playground): State<Arc<Playground>>) -> Json<PolicyText> {
    Json(playground.policy_text())
}

/// The example policy of a format, as text.
async fn example(Path(format): Path<String>) -> Response {
    match Format::from_name(&format) {
        Some(format) => format.example().into_response(),
        None => unknown_format(&format),
    }
}

fn unknown_format(format: &str) -> Response {
    let known: Vec<&str> = Format::ALL.iter().map(|format| format.name()).collect();
    let message = format!(
        "unknown policy format {:?}: use one of {}",
        format.chars().take(40).collect::<String>(),
        known.join(", ")
    );
    problems_response(StatusCode::BAD_REQUEST, vec![message])
}

fn problems_response(status: StatusCode, problems: Vec<String>) -> Response {
    (
        status,
        Json(json!({ "applied": false, "problems": problems })),
    )
        .into_response()
}

/// Replaces the policy with the body, written in `format`: `200` and the
/// new text, or `422` with every problem while the old policy keeps
/// answering (`413` above [`MAX_POLICY_LEN`], `400` for text that is not
/// UTF-8 or an unknown format, `503` when no check permit came within
/// [`CHECK_WAIT`]). The check runs on the blocking pool, at most
/// [`MAX_CONCURRENT_CHECKS`] at once.
async fn replace_policy(
    State(playground): State<Arc<Playground>>,
    Path(format): Path<String>,
    body: Body,
) -> Response {
    let Some(format) = Format::from_name(&format) else {
        return unknown_format(&format);
    };
    let Ok(bytes) = axum::body::to_bytes(body, MAX_POLICY_LEN).await else {
        let message = format!(
            "the policy is larger than {} KiB: nothing was applied, the previous policy still answers",
            MAX_POLICY_LEN / 1024
        );
        return problems_response(StatusCode::PAYLOAD_TOO_LARGE, vec![message]);
    };
    let Ok(text) = std::str::from_utf8(&bytes) else {
        let message = "the policy is not UTF-8 text: nothing was applied".to_owned();
        return problems_response(StatusCode::BAD_REQUEST, vec![message]);
    };
    // The permit moves into the blocking task: a client that goes away
    // mid-check drops this future, not the permit, so the bound holds.
    let waited = tokio::time::timeout(CHECK_WAIT, playground.checks.clone().acquire_owned()).await;
    let Ok(Ok(permit)) = waited else {
        let message = format!(
            "the server is checking other policies ({MAX_CONCURRENT_CHECKS} at a time) and none finished within {} s: nothing was applied, try again",
            CHECK_WAIT.as_secs()
        );
        let mut response = problems_response(StatusCode::SERVICE_UNAVAILABLE, vec![message]);
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, header::HeaderValue::from_static("1"));
        return response;
    };
    let checker = playground.clone();
    let owned = text.to_owned();
    let checked = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        checker.apply(format, &owned)
    })
    .await;
    let checked = match checked {
        Ok(checked) => checked,
        Err(error) => {
            let message = format!("the check failed ({error}): nothing was applied");
            return problems_response(StatusCode::INTERNAL_SERVER_ERROR, vec![message]);
        }
    };
    match checked {
        Ok(()) => (
            StatusCode::OK,
            Json(json!({ "applied": true, "format": format, "text": text })),
        )
            .into_response(),
        Err(problems) => problems_response(StatusCode::UNPROCESSABLE_ENTITY, problems),
    }
}

/// `{"exchanges": [...]}`: what the API recorded under `rid`.
async fn exchanges(State(playground): State<Arc<Playground>>, Path(rid): Path<String>) -> Response {
    if !is_request_id(&rid) {
        let message =
            format!("a request id is 1 to {MAX_REQUEST_ID_LEN} letters, digits, `-` or `_`");
        return problems_response(StatusCode::BAD_REQUEST, vec![message]);
    }
    let exchanges = playground.exchanges(&rid);
    (
        [(header::CACHE_CONTROL, "no-store")],
        Json(json!({ "exchanges": exchanges })),
    )
        .into_response()
}

/// `{"writes": n}`: how many writes the API accepted so far.
async fn writes_now(State(playground): State<Arc<Playground>>) -> Response {
    (
        [(header::CACHE_CONTROL, "no-store")],
        Json(json!({ "writes": playground.writes() })),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// With every check permit taken, an update waits [`CHECK_WAIT`] and is
    /// answered `503` with the problems JSON; nothing is applied.
    #[tokio::test]
    async fn an_update_that_gets_no_permit_is_answered_503() {
        let playground = Playground::new(false).expect("the default policy loads");
        let page = page_router(playground.clone(), "http://127.0.0.1:8081");
        let taken = playground
            .checks
            .clone()
            .acquire_many_owned(MAX_CONCURRENT_CHECKS as u32)
            .await
            .expect("permits");
        let request = axum::http::Request::builder()
            .method("PUT")
            .uri("/playground/policy/dsl-toml")
            .body(Body::from("allow_origins = [\"https://a.test\"]\n"))
            .expect("request");
        let response = page.clone().oneshot(request).await.expect("infallible");
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(response.headers()[header::RETRY_AFTER], "1");
        let body = axum::body::to_bytes(response.into_body(), 1 << 16)
            .await
            .expect("a body");
        let answer: serde_json::Value = serde_json::from_slice(&body).expect("JSON");
        assert_eq!(answer["applied"], false);
        assert!(answer["problems"][0]
            .as_str()
            .is_some_and(|problem| problem.contains("nothing was applied")));
        assert_eq!(playground.policy_text(), PolicyText::default());
        drop(taken);
    }
}
