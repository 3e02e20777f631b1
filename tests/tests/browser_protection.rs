//! The cross-origin protection in a real browser: headless Chromium, driven
//! over WebDriver, loads pages that attack an API the way CSRF and
//! cross-site WebSocket hijacking do, and the test checks what the server
//! did about it.
//!
//! The API (axum behind `cors_runtime::tower::CorsLayer`) listens on
//! `http://localhost:A` and has a counter: `POST /count` adds one, `GET
//! /count` reads it (the test reads it itself, over HTTP, never through the
//! browser), and `GET /ws` echoes WebSocket messages. Pages come from three
//! other origins: `http://localhost:P` (same-site, the policy's page),
//! `http://localhost:Q` (same-site, another port) and `http://127.0.0.1:P`
//! (cross-site: loopback addresses and `localhost` are different sites), and
//! from the API's own origin. Each page auto-submits a form (three
//! encodings), sends a `no-cors` `text/plain` `fetch` POST, or opens a
//! WebSocket and sends a message, and writes what it saw into the page.
//!
//! Two APIs run the same cases: one under a `cors_policy!` policy that allows
//! `http://localhost:*` (ports are chosen at run time), one under a run-time
//! policy (`Policy::from_json`) that allows `http://localhost:P` only.
//! For every attempt the test asserts the server's verdict: the status the
//! middleware answered, the `Decision` the policy gives that request (its
//! one-line `Display` for a refusal), the counter before and after, and the
//! WebSocket handshakes the handler accepted; and what the browser showed.
//! A refused form leaves Chromium on its own `HTTP ERROR 403` page; a
//! `no-cors` fetch resolves as opaque either way (the page cannot tell, the
//! counter can); a refused WebSocket closes (1006) without opening.
//!
//! What Chromium sends, pinned by the refusals' wording: `Sec-Fetch-Site`
//! with forms and `fetch` (`localhost` and loopback addresses are secure
//! destinations), so those refusals read `cross-site POST from
//! http://127.0.0.1:P: no rule allows this origin` or `same-site ...`; no
//! Fetch Metadata with a WebSocket handshake, so there `Origin` against
//! `Host` decides (`cross-origin WebSocket handshake from ...`), which is
//! also what lets the API's own page open one.
//!
//! Needs `chromium` and `chromedriver` on the PATH (or in `CHROMIUM` and
//! `CHROMEDRIVER`). Without them the test passes after writing a `SKIPPED
//! ...` line straight to stderr, unless `CORS_E2E_REQUIRED` is set (as
//! `.ci/run` does): then it fails.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Request, State};
use axum::http::HeaderMap;
use axum::middleware::{from_fn, Next};
use axum::response::{Html, Response};
use axum::routing::get;
use axum::Router;
use cors_runtime::tower::CorsLayer;
use cors_runtime::{cors_policy, Policy};
use cors_tests::assert_no_failures;
use cors_tests::chromium::{installed_or_skip, Chromedriver, Installed};
use fantoccini::{Client, ClientBuilder};
use http_body_util::{BodyExt, Empty};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};

cors_policy! {
    /// The compile-time policy: pages on `localhost`, any port, may read
    /// and write; every other origin may do neither.
    static LOCALHOST_PAGES: Policy = {
        allow_origins: ["http://localhost:*"],
        allow_methods: [GET, POST],
    };
}

/// How long any one thing may take before the test gives up on it.
const PATIENCE: Duration = Duration::from_secs(15);

/// What the server saw of one request, recorded outside the CORS layer.
#[derive(Debug, Clone)]
struct Exchange {
    method: String,
    path: String,
    origin: Option<String>,
    fetch_site: Option<String>,
    /// Whether the policy's decision for this request is a refusal.
    refused: bool,
    /// The decision's one-line `Display`.
    decision: String,
    /// The status the middleware (or the handler) answered.
    status: u16,
}

impl Exchange {
    /// The record of `request` before it is answered (`status` 0).
    fn of(request: &Request, judge: &(dyn Fn(&Request) -> (bool, String) + Send + Sync)) -> Self {
        let header = |name: &str| {
            request
                .headers()
                .get(name)
                .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
        };
        let (refused, decision) = judge(request);
        Exchange {
            method: request.method().to_string(),
            path: request.uri().path().to_owned(),
            origin: header("origin"),
            fetch_site: header("sec-fetch-site"),
            refused,
            decision,
            status: 0,
        }
    }
}

/// The API's own state: its counter and the origins of the WebSocket
/// handshakes its handler accepted.
#[derive(Clone, Default)]
struct Counters {
    count: Arc<AtomicUsize>,
    upgrades: Arc<Mutex<Vec<String>>>,
}

impl Counters {
    fn upgrades_from(&self, origin: &str) -> usize {
        let upgrades = self.upgrades.lock().expect("the upgrade list");
        upgrades.iter().filter(|seen| *seen == origin).count()
    }
}

/// The policy's decision for a request, as the recording middleware keeps it.
type Judge = Arc<dyn Fn(&Request) -> (bool, String) + Send + Sync>;

/// One API under test.
struct Api {
    /// Which policy it runs under, for failure messages.
    label: &'static str,
    /// `http://localhost:A`: the origin pages send to.
    base: String,
    /// `127.0.0.1:A`: where the test reads the counter.
    address: SocketAddr,
    /// The page origins its policy allows.
    allowed: Vec<String>,
    counters: Counters,
    log: Arc<Mutex<Vec<Exchange>>>,
}

impl Api {
    fn exchanges(&self) -> Vec<Exchange> {
        self.log.lock().expect("the exchange log").clone()
    }

    /// The counter, read over HTTP without an `Origin` (not a browser).
    async fn read_count(&self) -> usize {
        let client =
            hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
                .build(HttpConnector::new());
        let uri = format!("http://{}/count", self.address);
        let request = http::Request::get(uri)
            .body(Empty::<Bytes>::new())
            .expect("a GET request");
        let response = client.request(request).await.expect("GET /count");
        assert_eq!(response.status(), 200, "GET /count");
        let body = response.into_body().collect().await.expect("the count");
        let text = String::from_utf8_lossy(&body.to_bytes()).into_owned();
        text.trim().parse().expect("GET /count answers a number")
    }
}

/// `POST /count`: the side effect a cross-site page must not cause.
async fn count(State(counters): State<Counters>) -> Html<String> {
    let now = counters.count.fetch_add(1, Ordering::SeqCst) + 1;
    Html(format!(
        "<!doctype html><title>counted</title><output id=\"outcome\">counted {now}</output>"
    ))
}

/// `GET /count`: the counter as text.
async fn read_count(State(counters): State<Counters>) -> String {
    counters.count.load(Ordering::SeqCst).to_string()
}

/// `GET /ws`: accepts the handshake (noting its origin) and echoes text.
async fn echo_socket(
    State(counters): State<Counters>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Response {
    let origin = headers
        .get("origin")
        .and_then(|value| value.to_str().ok())
        .unwrap_or("(none)")
        .to_owned();
    counters
        .upgrades
        .lock()
        .expect("the upgrade list")
        .push(origin);
    upgrade.on_upgrade(echo)
}

async fn echo(mut socket: WebSocket) {
    while let Some(Ok(message)) = socket.recv().await {
        let echoed = match message {
            Message::Text(text) => socket.send(Message::Text(text)).await,
            Message::Close(_) => return,
            _ => Ok(()),
        };
        if echoed.is_err() {
            return;
        }
    }
}

/// What every page starts with: an `outcome` the test reads, the page's
/// query (`?to=` the URL to attack), and the start of its script.
const PAGE_HEAD: &str = r#"<!doctype html>
<title>attempt</title>
<output id="outcome">pending</output>
<script>
const query = new URLSearchParams(location.search);
const outcome = document.getElementById("outcome");
"#;

/// Auto-submits a form to `?to=` with the encoding `?enctype=`.
const FORM_SCRIPT: &str = r#"
const form = document.createElement("form");
form.method = "post";
form.action = query.get("to");
form.enctype = query.get("enctype");
const field = document.createElement("input");
field.name = "field";
field.value = "value";
form.append(field);
document.body.append(form);
outcome.textContent = "submitted";
form.submit();
"#;

/// Sends a `no-cors` `text/plain` POST to `?to=` and writes how it ended.
const FETCH_SCRIPT: &str = r#"
fetch(query.get("to"), { method: "POST", mode: "no-cors", body: "field=value" })
  .then((response) => { outcome.textContent = `resolved ${response.type} ${response.status}`; })
  .catch((error) => { outcome.textContent = `rejected ${error}`; });
"#;

/// Opens a WebSocket to `?to=`, sends one message and writes the echo, or
/// how the socket closed without opening.
const SOCKET_SCRIPT: &str = r#"
const greeting = `hello from ${location.origin}`;
const socket = new WebSocket(query.get("to"));
let opened = false;
let failed = false;
socket.onopen = () => { opened = true; socket.send(greeting); };
socket.onmessage = (event) => { outcome.textContent = `echo ${event.data}`; socket.close(); };
socket.onerror = () => { failed = true; };
socket.onclose = (event) => {
  if (!opened) outcome.textContent = `closed before open, code ${event.code}${failed ? ", after an error" : ""}`;
};
"#;

/// The three pages, on whatever origin serves them.
fn pages<S: Clone + Send + Sync + 'static>() -> Router<S> {
    let page = |script: &'static str| {
        let html = format!("{PAGE_HEAD}{script}</script>\n");
        get(move || async move { Html(html) })
    };
    Router::new()
        .route("/page/form", page(FORM_SCRIPT))
        .route("/page/fetch", page(FETCH_SCRIPT))
        .route("/page/ws", page(SOCKET_SCRIPT))
}

async fn loopback_listener() -> (tokio::net::TcpListener, SocketAddr) {
    let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .await
        .expect("bind a loopback port");
    let address = listener.local_addr().expect("the bound address");
    (listener, address)
}

/// Starts an API whose CORS layer is `cors`; `judge` gives the same policy's
/// decision, recorded for every request with the status answered.
async fn start_api(
    label: &'static str,
    cors: CorsLayer,
    judge: Judge,
    allowed: Vec<String>,
) -> Api {
    let counters = Counters::default();
    let log = Arc::new(Mutex::new(Vec::new()));
    let recorder = Arc::clone(&log);
    let app = Router::new()
        .route("/count", get(read_count).post(count))
        .route("/ws", get(echo_socket))
        .merge(pages())
        .with_state(counters.clone())
        .layer(cors)
        .layer(from_fn(move |request: Request, next: Next| {
            let recorder = Arc::clone(&recorder);
            let judge = Arc::clone(&judge);
            async move {
                let mut exchange = Exchange::of(&request, judge.as_ref());
                let response = next.run(request).await;
                exchange.status = response.status().as_u16();
                recorder.lock().expect("the exchange log").push(exchange);
                response
            }
        }));
    let (listener, address) = loopback_listener().await;
    tokio::spawn(async move { axum::serve(listener, app).await });
    Api {
        label,
        base: format!("http://localhost:{}", address.port()),
        address,
        allowed,
        counters,
        log,
    }
}

/// Serves the pages on a new loopback port and returns it.
async fn start_page_server() -> u16 {
    let (listener, address) = loopback_listener().await;
    let app: Router = pages();
    tokio::spawn(async move { axum::serve(listener, app.into_make_service()).await });
    address.port()
}

/// What a page attempts against the API.
#[derive(Debug, Clone, Copy)]
enum Attempt {
    /// An auto-submitted form POST to `/count` with this `enctype`.
    Form(&'static str),
    /// A `no-cors` `fetch` POST to `/count` with a `text/plain` body.
    NoCorsFetch,
    /// A WebSocket to `/ws` that sends one message.
    Socket,
}

const ATTEMPTS: [Attempt; 5] = [
    Attempt::Form("application/x-www-form-urlencoded"),
    Attempt::Form("multipart/form-data"),
    Attempt::Form("text/plain"),
    Attempt::NoCorsFetch,
    Attempt::Socket,
];

impl Attempt {
    /// The page's URL on `origin`, aimed at `api`.
    fn page_url(self, origin: &str, api: &Api) -> String {
        match self {
            Attempt::Form(enctype) => {
                format!("{origin}/page/form?to={}/count&enctype={enctype}", api.base)
            }
            Attempt::NoCorsFetch => format!("{origin}/page/fetch?to={}/count", api.base),
            Attempt::Socket => format!(
                "{origin}/page/ws?to={}/ws",
                api.base.replacen("http://", "ws://", 1)
            ),
        }
    }

    /// The request the attempt sends, as the server records it.
    fn request(self) -> (&'static str, &'static str) {
        match self {
            Attempt::Socket => ("GET", "/ws"),
            _ => ("POST", "/count"),
        }
    }

    /// How the refusal's one-line reason names the request.
    fn named(self) -> &'static str {
        match self {
            Attempt::Socket => "WebSocket handshake",
            _ => "POST",
        }
    }
}

/// Starts chromedriver and a headless Chromium session.
async fn open_browser(installed: &Installed) -> (Chromedriver, Client) {
    let installed = installed.clone();
    let driver = tokio::task::spawn_blocking(move || {
        Chromedriver::start(&installed, "protection", PATIENCE)
    })
    .await
    .expect("the chromedriver start task")
    .expect("start chromedriver");
    let Value::Object(capabilities) = json!({
        "goog:chromeOptions": { "binary": driver.chromium(), "args": driver.chromium_args() }
    }) else {
        unreachable!("a JSON object literal")
    };
    let client = ClientBuilder::new(HttpConnector::new())
        .capabilities(capabilities)
        .connect(&driver.url())
        .await
        .expect("start a Chromium session");
    (driver, client)
}

/// Runs `script` until it returns a string that `done` accepts; script
/// errors (a navigation in progress) count as "not yet".
async fn wait_for_page(client: &Client, script: &str, done: impl Fn(&str) -> bool) -> String {
    let started = Instant::now();
    let mut last = String::new();
    while started.elapsed() < PATIENCE {
        if let Ok(Value::String(text)) = client.execute(script, vec![]).await {
            if done(&text) {
                return text;
            }
            last = text;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("the page never got there; it last showed {last:?}")
}

/// Waits for the server's record of the attempt's request, the first one
/// after `seen` records.
async fn wait_for_exchange(api: &Api, attempt: Attempt, seen: usize) -> Exchange {
    let (method, path) = attempt.request();
    let started = Instant::now();
    loop {
        let found = api
            .exchanges()
            .into_iter()
            .skip(seen)
            .find(|exchange| exchange.method == method && exchange.path == path);
        if let Some(exchange) = found {
            return exchange;
        }
        assert!(
            started.elapsed() < PATIENCE,
            "{}: the server never saw {method} {path}",
            api.label
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// The relation word a refusal uses for a page on `origin` writing to the
/// API on `localhost`. Chromium sends `Sec-Fetch-Site` with a form or a
/// `fetch` (loopback and `localhost` are secure destinations), so a page on
/// `localhost` is `same-site` and one on `127.0.0.1` is `cross-site`; it
/// sends no Fetch Metadata with a WebSocket handshake, so there the `Origin`
/// compared with `Host` decides: `cross-origin`.
fn relation(origin: &str, attempt: Attempt) -> &'static str {
    match attempt {
        Attempt::Socket => "cross-origin",
        _ if origin.starts_with("http://localhost:") => "same-site",
        _ => "cross-site",
    }
}

/// One page's attempt against one API: what the server and the browser
/// did, checked against what the policy says. Returns the failures.
async fn check(client: &Client, api: &Api, origin: &str, attempt: Attempt) -> Vec<String> {
    let allowed = origin == api.base || api.allowed.iter().any(|page| page == origin);
    let count_before = api.read_count().await;
    let upgrades_before = api.counters.upgrades_from(origin);
    let seen = api.exchanges().len();
    let page = attempt.page_url(origin, api);
    client.goto(&page).await.expect("load the page");

    let exchange = wait_for_exchange(api, attempt, seen).await;
    let shown = match attempt {
        // The form navigates away: wait for the document it leads to.
        Attempt::Form(_) => {
            wait_for_page(
                client,
                "return document.readyState === 'complete' && !location.pathname.startsWith('/page/') ? document.body.innerText : '';",
                |text| !text.is_empty(),
            )
            .await
        }
        Attempt::NoCorsFetch | Attempt::Socket => {
            wait_for_page(
                client,
                "const outcome = document.getElementById('outcome'); return outcome ? outcome.textContent : '';",
                |text| !text.is_empty() && text != "pending",
            )
            .await
        }
    };
    let count_after = api.read_count().await;
    let upgrades_after = api.counters.upgrades_from(origin);

    let what = format!("{}: {attempt:?} from {origin}", api.label);
    println!(
        "{what}: {} {} -> {} ({}); count {count_before} -> {count_after}; the page shows {shown:?}",
        exchange.method, exchange.path, exchange.status, exchange.decision
    );
    let mut failures = Vec::new();
    let mut expect = |holds: bool, message: String| {
        if !holds {
            failures.push(format!("{what}: {message}; server saw {exchange:?}"));
        }
    };
    expect(
        exchange.origin.as_deref() == Some(origin),
        "the request's Origin is not the page's".to_owned(),
    );
    if origin == api.base && !matches!(attempt, Attempt::Socket) {
        expect(
            exchange.fetch_site.as_deref() == Some("same-origin"),
            "a same-origin page's request is not `Sec-Fetch-Site: same-origin`".to_owned(),
        );
    }
    let added = count_after.wrapping_sub(count_before);
    let upgraded = upgrades_after.wrapping_sub(upgrades_before);
    if allowed {
        expect(!exchange.refused, "the policy refuses it".to_owned());
        match attempt {
            Attempt::Form(_) => {
                expect(exchange.status == 200, "not answered 200".to_owned());
                expect(added == 1, format!("the counter moved by {added}, not 1"));
                expect(
                    shown == format!("counted {count_after}"),
                    "the browser does not show the handler's answer".to_owned(),
                );
            }
            Attempt::NoCorsFetch => {
                expect(exchange.status == 200, "not answered 200".to_owned());
                expect(added == 1, format!("the counter moved by {added}, not 1"));
                // Opaque across origins; the page's own origin reads it.
                let resolved = if origin == api.base {
                    "resolved basic 200"
                } else {
                    "resolved opaque 0"
                };
                expect(shown == resolved, "the fetch did not resolve".to_owned());
            }
            Attempt::Socket => {
                expect(
                    exchange.status == 101,
                    "the upgrade was not answered 101".to_owned(),
                );
                expect(
                    upgraded == 1,
                    format!("{upgraded} handshakes accepted, not 1"),
                );
                expect(
                    shown == format!("echo hello from {origin}"),
                    "the socket did not echo the message".to_owned(),
                );
            }
        }
    } else {
        let reason = format!(
            "{} {} from {origin}: no rule allows this origin",
            relation(origin, attempt),
            attempt.named()
        );
        expect(exchange.refused, "the policy does not refuse it".to_owned());
        expect(
            exchange.decision == reason,
            format!("the decision does not read {reason:?}"),
        );
        expect(exchange.status == 403, "not answered 403".to_owned());
        expect(added == 0, format!("the counter moved by {added}"));
        expect(upgraded == 0, format!("{upgraded} handshakes accepted"));
        match attempt {
            // Chromium's own error page for an empty 403.
            Attempt::Form(_) => expect(
                !shown.contains("counted") && shown.contains("403"),
                "the browser does not show the 403".to_owned(),
            ),
            // A `no-cors` answer is opaque: the page cannot tell 403 from 200.
            Attempt::NoCorsFetch => expect(
                shown == "resolved opaque 0",
                "the fetch did not resolve as opaque".to_owned(),
            ),
            Attempt::Socket => expect(
                shown.starts_with("closed before open"),
                "the socket opened".to_owned(),
            ),
        }
    }
    failures
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_refuses_cross_origin_writes() {
    let Some(installed) = installed_or_skip("browser_refuses_cross_origin_writes") else {
        return;
    };
    let started = Instant::now();
    let page_port = start_page_server().await;
    let other_port = start_page_server().await;
    let policy_page = format!("http://localhost:{page_port}");
    let other_port_page = format!("http://localhost:{other_port}");
    let cross_site_page = format!("http://127.0.0.1:{page_port}");

    let compiled = start_api(
        "cors_policy!",
        CorsLayer::new(&LOCALHOST_PAGES),
        Arc::new(|request: &Request| {
            let decision = LOCALHOST_PAGES.evaluate_request(request);
            (decision.is_refused(), decision.to_string())
        }),
        vec![policy_page.clone(), other_port_page.clone()],
    )
    .await;
    let loaded = Arc::new(
        Policy::from_json(&format!(
            r#"{{"allow_origins": ["{policy_page}"], "allow_methods": ["GET", "POST"]}}"#
        ))
        .expect("the run-time policy loads"),
    );
    assert!(loaded.cross_origin_protection(), "on by default");
    let judged = Arc::clone(&loaded);
    let runtime = start_api(
        "Policy::from_json",
        CorsLayer::new(loaded),
        Arc::new(move |request: &Request| {
            let decision = judged.evaluate_request(request);
            (decision.is_refused(), decision.to_string())
        }),
        vec![policy_page.clone()],
    )
    .await;

    let (_driver, client) = open_browser(&installed).await;
    let mut failures = Vec::new();
    let mut checked = 0;
    for api in [&compiled, &runtime] {
        for origin in [&policy_page, &other_port_page, &cross_site_page] {
            for attempt in ATTEMPTS {
                failures.extend(check(&client, api, origin, attempt).await);
                checked += 1;
            }
        }
        // The API's own page: same-origin writes always pass.
        for attempt in [ATTEMPTS[0], ATTEMPTS[3], ATTEMPTS[4]] {
            failures.extend(check(&client, api, &api.base, attempt).await);
            checked += 1;
        }
    }
    let _ = client.close().await;
    println!(
        "browser protection: {checked} attempts checked in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    assert_no_failures(&failures);
}
