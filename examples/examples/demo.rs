//! See CORS work in your browser: `cargo run --example demo`.
//!
//! Starts an API (axum, behind a `cors_policy!`) on 127.0.0.1:8081 and a page
//! on 127.0.0.1:8080 whose buttons make cross-origin `fetch` calls. Open the
//! page as <http://localhost:8080>: the policy allows that origin. Open it as
//! <http://127.0.0.1:8080>: a different origin, which the policy denies. The
//! terminal prints the policy's one-line decision for every API request.
//!
//! Ports: `DEMO_PAGE_PORT` (default 8080) and `DEMO_API_PORT` (default 8081),
//! e.g. `DEMO_PAGE_PORT=8090 DEMO_API_PORT=8091 cargo run --example demo`.
//! Both servers bind to 127.0.0.1 only; a busy port is reported by number
//! with the variable to change.

use std::process::ExitCode;

use axum::extract::Request;
use axum::middleware::{from_fn, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use cors_examples::ports::Server;
use cors_runtime::tower::CorsLayer;
use cors_runtime::{cors_policy, Policy};

cors_policy! {
    /// The page's origin, on any port, may call the API with credentials.
    static DEMO: Policy = {
        allow_origins: ["http://localhost:*"],
        allow_methods: [GET, POST, PUT],
        allow_headers: ["content-type", "x-demo-*"],
        expose_headers: ["x-request-id"],
        max_age: 60,
        allow_credentials: true,
    };
}

/// Every API response carries one exposed and one unexposed header.
async fn api_response(body: &'static str) -> Response {
    (
        [
            ("x-request-id", "demo-42"),
            ("x-internal", "hidden from scripts"),
        ],
        body,
    )
        .into_response()
}

/// Prints the policy's decision for each request, then lets the CORS layer
/// (inside this one) answer it.
async fn log_decision(request: Request, next: Next) -> Response {
    let decision = DEMO.evaluate(request.method(), request.headers());
    println!(
        "{} {} -> {decision}",
        request.method(),
        request.uri().path()
    );
    next.run(request).await
}

/// Binds one server's port, or prints why not and how to choose another.
fn listen(role: &str, variable: &str, default: u16) -> Result<tokio::net::TcpListener, ExitCode> {
    let server = Server {
        role,
        variable,
        default,
        command: "cargo run --example demo",
    };
    cors_examples::ports::listen(server, std::env::var(variable).ok())
        .and_then(|listener| tokio::net::TcpListener::from_std(listener).map_err(|e| e.to_string()))
        .map_err(|message| {
            eprintln!("demo: {message}");
            ExitCode::FAILURE
        })
}

#[tokio::main]
async fn main() -> ExitCode {
    let api_listener = match listen("the demo API", "DEMO_API_PORT", 8081) {
        Ok(listener) => listener,
        Err(code) => return code,
    };
    let page_listener = match listen("the demo page", "DEMO_PAGE_PORT", 8080) {
        Ok(listener) => listener,
        Err(code) => return code,
    };
    let (Ok(api_address), Ok(page_address)) =
        (api_listener.local_addr(), page_listener.local_addr())
    else {
        return ExitCode::FAILURE;
    };
    let (api_port, page_port) = (api_address.port(), page_address.port());
    let api = Router::new()
        .route(
            "/api/hello",
            get(|| api_response("hello from the API"))
                .put(|| api_response("stored"))
                .delete(|| api_response("deleted")),
        )
        .layer(CorsLayer::new(&DEMO))
        .layer(from_fn(log_decision));
    let page_html = PAGE.replace("{API}", &format!("http://127.0.0.1:{api_port}"));
    let page = Router::new().route("/", get(move || async move { Html(page_html) }));

    println!("API  on http://127.0.0.1:{api_port}");
    println!("Open http://localhost:{page_port}  (an allowed origin)");
    println!("and  http://127.0.0.1:{page_port}  (the same page from a denied origin)");
    println!("Press Ctrl-C to stop.");
    let served = tokio::select! {
        result = axum::serve(api_listener, api) => result,
        result = axum::serve(page_listener, page) => result,
        _ = tokio::signal::ctrl_c() => Ok(()),
    };
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("demo: {error}");
            ExitCode::FAILURE
        }
    }
}

const PAGE: &str = r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>cors_policy! demo</title>
<style>
  body { font: 16px/1.4 system-ui, sans-serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem; }
  button { font: inherit; margin: .2rem 0; padding: .3rem .8rem; width: 24rem; text-align: left; }
  .row { display: flex; gap: 1rem; align-items: baseline; }
  .ok { color: #0a6b0a; } .err { color: #b00020; }
  code { background: #f3f3f3; padding: 0 .2rem; }
</style>
</head>
<body>
<h1><code>cors_policy!</code> demo</h1>
<p>This page's origin is <code id="origin"></code>. The API at <code>{API}</code> allows
<code>http://localhost:*</code> only. Each button makes a cross-origin <code>fetch</code>;
the result is what your browser reported.</p>
<div id="cases"></div>
<script>
const API = "{API}";
document.getElementById("origin").textContent = location.origin;
const cases = [
  ["Simple GET", {}, "allowed from localhost"],
  ["PUT with JSON (preflight)", {method: "PUT", headers: {"content-type": "application/json"}, body: "{}"}, "allowed from localhost"],
  ["DELETE (method not allowed)", {method: "DELETE"}, "denied: DELETE is not in allow_methods"],
  ["GET with x-secret header", {headers: {"x-secret": "1"}}, "denied: header not in allow_headers"],
  ["GET with x-demo-trace header", {headers: {"x-demo-trace": "1"}}, "allowed: matches x-demo-*"],
  ["GET with credentials", {credentials: "include"}, "allowed: the policy sends Allow-Credentials"],
];
for (const [label, init, expectation] of cases) {
  const row = document.createElement("div");
  row.className = "row";
  const button = document.createElement("button");
  button.textContent = label;
  const out = document.createElement("span");
  out.textContent = "(" + expectation + ")";
  button.onclick = async () => {
    try {
      const response = await fetch(API + "/api/hello", init);
      const text = await response.text();
      out.className = "ok";
      out.textContent = `resolved ${response.status}: "${text}"; x-request-id = ${response.headers.get("x-request-id")}, ` +
        `x-internal = ${response.headers.get("x-internal")} (not exposed)`;
    } catch (error) {
      out.className = "err";
      out.textContent = `rejected by the browser: ${error}`;
    }
  };
  row.append(button, out);
  document.getElementById("cases").append(row);
}
</script>
</body>
</html>
"#;
