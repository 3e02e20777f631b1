//! End to end in a real browser: headless Chromium, driven over WebDriver,
//! loads a page from one origin and makes cross-origin `fetch` calls to API
//! servers on another origin (axum and actix-web, under several policies).
//! Each case asserts what the browser itself reports: the fetch resolved or
//! was rejected, a response header is visible to the script or not, and how
//! many preflights reached the server (preflight caching).
//!
//! Needs `chromium` and `chromedriver` on the PATH (or in `CHROMIUM` and
//! `CHROMEDRIVER`). Without them the test passes after writing a `SKIPPED
//! ...` line straight to stderr (so that `cargo test` shows it), unless
//! `CORS_E2E_REQUIRED` is set (as `.ci/run` does): then it fails.

use std::net::{Ipv4Addr, TcpListener};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::Request;
use axum::middleware::{from_fn, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::any;
use axum::Router;
use cors_runtime::{cors_policy, Policy};
use cors_tests::chromium::{installed_or_skip, Chromedriver, Installed};
use fantoccini::{Client, ClientBuilder};
use serde_json::{json, Value};

cors_policy! {
    /// The main API policy: the app origin on any port, several methods.
    static MAIN: Policy = {
        allow_origins: ["http://app.localhost:*"],
        allow_methods: [GET, POST, PUT, DELETE, PATCH],
        allow_headers: ["content-type", "x-custom"],
        expose_headers: ["x-exposed"],
        max_age: 0,
    };

    /// Credentialed requests with `authorization`.
    static CREDENTIALS: Policy = {
        allow_origins: ["http://app.localhost:*"],
        allow_methods: [GET, POST],
        allow_headers: ["authorization", "content-type"],
        expose_headers: ["x-exposed"],
        max_age: 0,
        allow_credentials: true,
    };

    /// Any subdomain of `localhost`, never `localhost` itself.
    static WILDCARD: Policy = {
        allow_origins: ["http://*.localhost:*"],
        allow_methods: [GET, PUT],
        allow_headers: ["x-custom"],
        max_age: 0,
    };

    /// Preflights cached for ten minutes.
    static CACHED: Policy = {
        allow_origins: ["http://app.localhost:*"],
        allow_methods: [PUT],
        allow_headers: ["x-custom"],
        max_age: 600,
    };

    /// Reads only.
    static NARROW: Policy = {
        allow_origins: ["http://app.localhost:*"],
        allow_methods: [GET],
        max_age: 0,
    };
}

/// One API server: its base URL and how many `OPTIONS` requests reached it.
struct Api {
    base: String,
    options_seen: Arc<AtomicUsize>,
}

/// The API handler: any method, one exposed and one unexposed header.
async fn api_response() -> Response {
    ([("x-exposed", "visible"), ("x-hidden", "secret")], "ok").into_response()
}

async fn start_axum(policy: &'static Policy) -> Api {
    let options_seen = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&options_seen);
    let app = Router::new()
        .route("/r", any(api_response))
        .layer(cors_runtime::tower::CorsLayer::new(policy))
        .layer(from_fn(move |request: Request, next: Next| {
            if request.method() == http::Method::OPTIONS {
                counter.fetch_add(1, Ordering::SeqCst);
            }
            next.run(request)
        }));
    let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    Api { base, options_seen }
}

fn start_actix(policy: &'static Policy) -> Api {
    use actix_web::dev::Service;
    let options_seen = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&options_seen);
    // Bound here, before the server's thread starts, so the address is
    // ours: releasing a port and binding it again lets another listener
    // of this process take it in between.
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind");
    let address = listener.local_addr().expect("address");
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            actix_web::HttpServer::new(move || {
                let counter = Arc::clone(&counter);
                actix_web::App::new()
                    .wrap(cors_runtime::actix::Cors::new(policy))
                    .wrap_fn(move |request, service| {
                        if request.method() == actix_web::http::Method::OPTIONS {
                            counter.fetch_add(1, Ordering::SeqCst);
                        }
                        service.call(request)
                    })
                    .route(
                        "/r",
                        actix_web::web::route().to(|| async {
                            actix_web::HttpResponse::Ok()
                                .insert_header(("x-exposed", "visible"))
                                .insert_header(("x-hidden", "secret"))
                                .body("ok")
                        }),
                    )
            })
            .workers(1)
            .listen(listener)
            .expect("listen")
            .run()
            .await
        })
    });
    Api {
        base: format!("http://{address}"),
        options_seen,
    }
}

/// Serves the page that scripts run in, on every `*.localhost` name.
async fn start_page() -> u16 {
    let app = Router::new().route(
        "/",
        any(|| async { Html("<!doctype html><title>e2e</title>") }),
    );
    let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .await
        .expect("bind");
    let port = listener.local_addr().expect("address").port();
    tokio::spawn(async move { axum::serve(listener, app).await });
    port
}

/// Starts chromedriver and a headless Chromium session.
async fn start_browser(installed: &Installed, session: &'static str) -> (Chromedriver, Client) {
    let installed = installed.clone();
    let driver = tokio::task::spawn_blocking(move || {
        Chromedriver::start(&installed, session, Duration::from_secs(20))
    })
    .await
    .expect("the chromedriver start task")
    .expect("start chromedriver");
    let Value::Object(capabilities) = json!({
        "goog:chromeOptions": { "binary": driver.chromium(), "args": driver.chromium_args() }
    }) else {
        unreachable!("a JSON object literal")
    };
    let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(&driver.url())
        .await
        .expect("start a Chromium session");
    (driver, client)
}

/// What the browser reported for one `fetch`.
#[derive(Debug)]
struct Outcome {
    resolved: bool,
    status: Option<u64>,
    exposed: Option<String>,
    hidden: Option<String>,
    /// The browser's error message when the fetch was rejected.
    error: Option<String>,
}

const FETCH: &str = r#"
const [url, init, done] = arguments;
fetch(url, init)
  .then(async (response) => done({
    resolved: true,
    status: response.status,
    exposed: response.headers.get("x-exposed"),
    hidden: response.headers.get("x-hidden"),
    body: await response.text(),
  }))
  .catch((error) => done({ resolved: false, error: String(error) }));
"#;

async fn fetch(client: &Client, url: &str, init: Value) -> Outcome {
    let value = client
        .execute_async(FETCH, vec![json!(url), init])
        .await
        .expect("run fetch in the page");
    let text = |key: &str| value.get(key).and_then(Value::as_str).map(str::to_owned);
    Outcome {
        resolved: value
            .get("resolved")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        status: value.get("status").and_then(Value::as_u64),
        exposed: text("exposed"),
        hidden: text("hidden"),
        error: text("error"),
    }
}

/// One browser check: from which page, to which API, what `fetch` init, and
/// what the browser must report.
struct Case {
    name: &'static str,
    page_host: &'static str,
    policy: usize,
    init: Value,
    resolves: bool,
}

const POLICIES: [&Policy; 5] = [&MAIN, &CREDENTIALS, &WILDCARD, &CACHED, &NARROW];
const MAIN_I: usize = 0;
const CREDENTIALS_I: usize = 1;
const WILDCARD_I: usize = 2;
const CACHED_I: usize = 3;
const NARROW_I: usize = 4;

fn cases() -> Vec<Case> {
    let case = |name, page_host, policy, init, resolves| Case {
        name,
        page_host,
        policy,
        init,
        resolves,
    };
    vec![
        case("simple GET", "app.localhost", MAIN_I, json!({}), true),
        case(
            "POST text/plain, no preflight",
            "app.localhost",
            MAIN_I,
            json!({"method": "POST", "body": "x"}),
            true,
        ),
        case(
            "preflighted PUT with JSON",
            "app.localhost",
            MAIN_I,
            json!({"method": "PUT", "headers": {"content-type": "application/json"}, "body": "{}"}),
            true,
        ),
        case(
            "preflighted DELETE",
            "app.localhost",
            MAIN_I,
            json!({"method": "DELETE"}),
            true,
        ),
        case(
            "preflighted PATCH",
            "app.localhost",
            MAIN_I,
            json!({"method": "PATCH", "body": "x"}),
            true,
        ),
        case(
            "custom request header",
            "app.localhost",
            MAIN_I,
            json!({"headers": {"x-custom": "1"}}),
            true,
        ),
        case(
            "denied request header",
            "app.localhost",
            MAIN_I,
            json!({"headers": {"x-other": "1"}}),
            false,
        ),
        case("denied origin", "other.localhost", MAIN_I, json!({}), false),
        case(
            "denied origin, preflighted",
            "other.localhost",
            MAIN_I,
            json!({"method": "PUT"}),
            false,
        ),
        case(
            "denied method",
            "app.localhost",
            NARROW_I,
            json!({"method": "PUT"}),
            false,
        ),
        case(
            "allowed method of the same policy",
            "app.localhost",
            NARROW_I,
            json!({}),
            true,
        ),
        case(
            "credentials with authorization",
            "app.localhost",
            CREDENTIALS_I,
            json!({"credentials": "include", "headers": {"authorization": "Bearer t"}}),
            true,
        ),
        case(
            "authorization without credentials",
            "app.localhost",
            CREDENTIALS_I,
            json!({"headers": {"authorization": "Bearer t"}}),
            true,
        ),
        case(
            "wildcard subdomain",
            "app.localhost",
            WILDCARD_I,
            json!({"method": "PUT", "headers": {"x-custom": "1"}}),
            true,
        ),
        case(
            "wildcard, deeper subdomain",
            "a.b.localhost",
            WILDCARD_I,
            json!({"method": "PUT"}),
            true,
        ),
        case(
            "wildcard never matches the apex",
            "localhost",
            WILDCARD_I,
            json!({}),
            false,
        ),
        case(
            "wildcard, method not allowed",
            "app.localhost",
            WILDCARD_I,
            json!({"method": "DELETE"}),
            false,
        ),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_reports_what_the_policy_says() {
    let Some(installed) = installed_or_skip("browser_reports_what_the_policy_says") else {
        return;
    };
    let page_port = start_page().await;
    let mut servers = Vec::new();
    for policy in POLICIES {
        servers.push([
            ("axum", start_axum(policy).await),
            ("actix-web", start_actix(policy)),
        ]);
    }
    let (_driver, client) = start_browser(&installed, "policies").await;
    let mut failures = Vec::new();
    let mut checked = 0;
    let mut current_page = String::new();
    let mut cases = cases();
    cases.sort_by_key(|case| case.page_host);
    for case in &cases {
        let page = format!("http://{}:{page_port}/", case.page_host);
        if page != current_page {
            client.goto(&page).await.expect("load the page");
            current_page = page;
        }
        for (framework, api) in &servers[case.policy] {
            let outcome = fetch(&client, &format!("{}/r", api.base), case.init.clone()).await;
            checked += 1;
            if outcome.resolved != case.resolves {
                failures.push(format!(
                    "{framework}: {}: the browser {} the fetch ({outcome:?})",
                    case.name,
                    if outcome.resolved {
                        "allowed"
                    } else {
                        "refused"
                    }
                ));
            } else if outcome.resolved && outcome.status != Some(200) {
                failures.push(format!(
                    "{framework}: {}: status {:?}",
                    case.name, outcome.status
                ));
            } else if !outcome.resolved
                && outcome.error.as_deref() != Some("TypeError: Failed to fetch")
            {
                failures.push(format!(
                    "{framework}: {}: unexpected error {:?}",
                    case.name, outcome.error
                ));
            }
        }
    }

    // Exposed headers are readable from JavaScript, others are not.
    client
        .goto(&format!("http://app.localhost:{page_port}/"))
        .await
        .expect("load the page");
    for (policy, init) in [
        (MAIN_I, json!({})),
        (CREDENTIALS_I, json!({"credentials": "include"})),
    ] {
        for (framework, api) in &servers[policy] {
            let outcome = fetch(&client, &format!("{}/r", api.base), init.clone()).await;
            checked += 1;
            if outcome.exposed.as_deref() != Some("visible") || outcome.hidden.is_some() {
                failures.push(format!("{framework}: exposed headers: {outcome:?}"));
            }
        }
    }

    // Preflight caching: with `max_age: 600` the second identical preflighted
    // request is sent without a preflight; with `max_age: 0` it is not.
    for (policy, expected_preflights) in [(CACHED_I, 1), (MAIN_I, 2)] {
        for (framework, api) in &servers[policy] {
            let before = api.options_seen.load(Ordering::SeqCst);
            for _ in 0..2 {
                let url = format!("{}/r?cache-test", api.base);
                let init = json!({"method": "PUT", "headers": {"x-custom": "1"}});
                let outcome = fetch(&client, &url, init).await;
                checked += 1;
                if !outcome.resolved {
                    failures.push(format!("{framework}: cached PUT refused: {outcome:?}"));
                }
            }
            let preflights = api.options_seen.load(Ordering::SeqCst) - before;
            if preflights != expected_preflights {
                failures.push(format!(
                    "{framework}: policy {policy}: {preflights} preflights for two requests, expected {expected_preflights}"
                ));
            }
        }
    }
    let _ = client.close().await;
    println!("browser end-to-end: {checked} cross-origin fetches checked");
    assert!(checked >= 25, "only {checked} fetches were checked");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The demo's playground, driven as a person would: the page explains each
/// request (the server's record of the preflight and the request, the CORS
/// headers sent, the decision in one line, the browser's conclusion), applies
/// a valid policy in each language and refuses an invalid one with every
/// problem listed while the old policy keeps answering.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn playground_explains_every_decision() {
    use cors_examples::playground::{self, Playground};
    use fantoccini::Locator;

    let Some(installed) = installed_or_skip("playground_explains_every_decision") else {
        return;
    };
    let state = Playground::new(false).expect("the default policy loads");
    let api_listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .await
        .expect("bind");
    let page_listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .await
        .expect("bind");
    let api_port = api_listener.local_addr().expect("address").port();
    let page_port = page_listener.local_addr().expect("address").port();
    let api = playground::api_router(state.clone());
    let page = playground::page_router(state, &format!("http://127.0.0.1:{api_port}"));
    tokio::spawn(async move { axum::serve(api_listener, api).await });
    tokio::spawn(async move { axum::serve(page_listener, page).await });

    let (_driver, client) = start_browser(&installed, "playground").await;
    let _ = client.set_window_size(1440, 960).await;
    let allowed_page = format!("http://localhost:{page_port}");
    client.goto(&allowed_page).await.expect("load the page");
    let status = wait_for_policy_status(&client, "").await;
    assert!(status.starts_with("ok:"), "{status}");
    let shown = client
        .execute(
            "return document.getElementById('policy-text').value",
            vec![],
        )
        .await
        .expect("read the editor");
    assert!(
        shown
            .as_str()
            .is_some_and(|text| text.contains("allow_origins = [\"http://localhost:*\"]")),
        "the page shows the policy it runs under: {shown}"
    );

    // A simple request: no preflight, allowed, the exposed header readable.
    let details = click_and_wait(&client, Locator::Css("button[data-case=simple-get]")).await;
    expect_all(
        &details,
        &[
            "The browser let the script read the answer: HTTP 200",
            "x-request-id = \"demo-42\" (exposed)",
            "x-internal = null (not exposed)",
            "No preflight",
            &format!("allowed request: origin `{allowed_page}` and method `GET`"),
            "match rule 0 (`app`)",
            &format!("origin\t{allowed_page}"),
            &format!("access-control-allow-origin\t{allowed_page}"),
            "access-control-allow-credentials\ttrue",
            "access-control-expose-headers\tx-request-id",
        ],
    );
    assert!(!details.contains("Preflight:"), "{details}");

    // A preflighted request: both exchanges shown, each with its decision.
    let details = click_and_wait(&client, Locator::Css("button[data-case=put-json]")).await;
    println!("the page for an allowed preflight:\n{details}\n");
    expect_all(
        &details,
        &[
            "Preflight: OPTIONS /api/hello → 204",
            "allowed preflight: origin",
            "method `PUT` and headers `content-type`",
            "access-control-request-method\tPUT",
            "access-control-request-headers\tcontent-type",
            "access-control-allow-methods\tGET, POST, PUT",
            "The request: PUT /api/hello → 200",
            "The browser let the script read the answer: HTTP 200",
        ],
    );

    // A denied preflight: the reason is on the page, the request never sent.
    let details = click_and_wait(&client, Locator::Css("button[data-case=delete]")).await;
    println!("the page for a denied preflight:\n{details}\n");
    expect_all(
        &details,
        &[
            "The browser blocked it",
            "TypeError: Failed to fetch",
            "denied preflight:",
            "`DELETE`",
            "never sent the DELETE itself",
        ],
    );
    assert!(!details.contains("The request: DELETE"), "{details}");
    assert!(!details.trim_end().ends_with("null"), "{details}");
    if let Some(path) = std::env::var_os("CORS_PLAYGROUND_SCREENSHOT") {
        let png = client.screenshot().await.expect("a screenshot");
        std::fs::write(path, png).expect("write the screenshot");
    }

    // An invalid policy is refused with every problem, and the old one stays.
    let bad = "allow_origins = [\"https://*.com\", \"ftp://files\"]\nallow_methods = [\"GET\"]\nallow_credentials = true\n";
    let status = apply_policy(&client, "dsl-toml", bad).await;
    assert!(status.starts_with("err:"), "{status}");
    assert!(
        status.contains("the previous policy still answers"),
        "{status}"
    );
    let problems = problems_listed(&client).await;
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(
        problems[0].starts_with("allow_origins[0]:") && problems[0].contains("public suffix"),
        "{problems:?}"
    );
    assert!(problems[1].starts_with("allow_origins[1]:"), "{problems:?}");
    let details = click_and_wait(&client, Locator::Css("button[data-case=simple-get]")).await;
    expect_all(&details, &["HTTP 200", "match rule 0 (`app`)"]);

    // A valid DSL policy in JSON that allows DELETE now answers.
    let json_policy = r#"{"rules": [{"id": "deletes", "allow_origins": ["http://localhost:*"], "allow_methods": ["GET", "DELETE"]}]}"#;
    let status = apply_policy(&client, "dsl-json", json_policy).await;
    assert!(status.starts_with("ok:"), "{status}");
    assert!(problems_listed(&client).await.is_empty());
    let details = click_and_wait(&client, Locator::Css("button[data-case=delete]")).await;
    expect_all(
        &details,
        &[
            "allowed preflight: origin",
            "match rule 0 (`deletes`)",
            "The request: DELETE /api/hello → 200",
            "HTTP 200",
        ],
    );

    // An S3 configuration in XML, from the page's own example.
    client
        .execute(
            "document.getElementById('policy-format').value = 's3-xml';",
            vec![],
        )
        .await
        .expect("choose the format");
    click(&client, Locator::Id("policy-example")).await;
    wait_for_policy_status(&client, "note:").await;
    click(&client, Locator::Id("policy-apply")).await;
    let status = wait_for_policy_status(&client, "ok:").await;
    assert!(status.contains("(s3-xml)"), "{status}");

    // A free-form request the S3 rule does not allow: PATCH.
    click(&client, Locator::Css("#free summary")).await;
    let details = click_and_wait(&client, Locator::Id("free-send")).await;
    expect_all(
        &details,
        &[
            "PATCH (your own)",
            "access-control-request-method\tPATCH",
            "access-control-request-headers\tx-demo-trace",
            "denied preflight:",
            "`PATCH`",
            "The browser blocked it",
        ],
    );

    // The same page from a denied origin: blocked, and the page says why.
    let denied_page = format!("http://127.0.0.1:{page_port}");
    client.goto(&denied_page).await.expect("load the page");
    wait_for_policy_status(&client, "ok:").await;
    let details = click_and_wait(&client, Locator::Css("button[data-case=simple-get]")).await;
    expect_all(
        &details,
        &[
            "The browser blocked it",
            &format!("denied request: origin `{denied_page}`"),
            &format!("origin\t{denied_page}"),
            "CORS response headers the server sent: none",
        ],
    );
    let _ = client.close().await;
}

/// Clicks `button` (a request) and returns the details panel's text once
/// the page has the browser's outcome and the server's record.
async fn click_and_wait(client: &Client, button: fantoccini::Locator<'_>) -> String {
    const STATE: &str = "const d = document.getElementById('details'); return [d.dataset.rid || '', d.dataset.state, d.innerText];";
    let before = client
        .execute(STATE, vec![])
        .await
        .expect("read the details");
    let before_rid = before[0].as_str().unwrap_or_default().to_owned();
    click(client, button).await;
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let now = client
            .execute(STATE, vec![])
            .await
            .expect("read the details");
        let rid = now[0].as_str().unwrap_or_default();
        if rid != before_rid && now[1] == "done" {
            return now[2].as_str().unwrap_or_default().to_owned();
        }
        assert!(
            Instant::now() < deadline,
            "the page never explained the request: {now}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Clicks the element at `locator`.
async fn click(client: &Client, locator: fantoccini::Locator<'_>) {
    let element = client.find(locator).await.expect("the element to click");
    element.click().await.expect("click it");
}

/// Puts `text` in the editor as `format`, presses Apply and returns the
/// status line that follows (`ok: ...` or `err: ...`).
async fn apply_policy(client: &Client, format: &str, text: &str) -> String {
    client
        .execute(
            "document.getElementById('policy-format').value = arguments[0];
             const editor = document.getElementById('policy-text');
             editor.value = arguments[1];
             editor.dispatchEvent(new Event('input'));",
            vec![json!(format), json!(text)],
        )
        .await
        .expect("edit the policy");
    click(client, fantoccini::Locator::Id("policy-apply")).await;
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let status = policy_status(client).await;
        if status.starts_with("ok:") || status.starts_with("err:") {
            return status;
        }
        assert!(Instant::now() < deadline, "no answer to Apply: {status}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The policy status line as `class: text` (`ok`, `err` or `note`).
async fn policy_status(client: &Client) -> String {
    let status = client
        .execute(
            "const s = document.getElementById('policy-status'); return s.className.replace('status ', '') + ': ' + s.textContent;",
            vec![],
        )
        .await
        .expect("read the status");
    status.as_str().unwrap_or_default().to_owned()
}

/// Waits until the policy status starts with `prefix` and is not empty.
async fn wait_for_policy_status(client: &Client, prefix: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let status = policy_status(client).await;
        if status.starts_with(prefix) && !status.ends_with(": ") && status != "status: " {
            return status;
        }
        assert!(Instant::now() < deadline, "policy status stayed {status:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The problems the page lists under a refused policy.
async fn problems_listed(client: &Client) -> Vec<String> {
    let problems = client
        .execute(
            "return [...document.querySelectorAll('#policy-problems li')].map((li) => li.textContent);",
            vec![],
        )
        .await
        .expect("read the problems");
    problems
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

fn expect_all(details: &str, expected: &[&str]) {
    let missing: Vec<&&str> = expected
        .iter()
        .filter(|text| !details.contains(**text))
        .collect();
    assert!(
        missing.is_empty(),
        "the page does not show {missing:?}; it shows:\n{details}"
    );
}
