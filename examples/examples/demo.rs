//! The CORS playground: `cargo run --example demo`.
//!
//! Starts an API (axum, behind a policy the page can replace while it runs)
//! on 127.0.0.1:8081 and a page on 127.0.0.1:8080. Open the page as
//! <http://localhost:8080>: the starting policy allows that origin. Open it
//! as <http://127.0.0.1:8080>: a different origin, which it denies. The page
//! shows the policy and lets you edit and apply it (DSL as TOML or JSON, or
//! an S3 configuration as JSON or XML; checked by `cors_policy!`'s own
//! checker); for every request it shows the preflight and the request as the
//! server received them, the CORS headers it answered with, the policy's
//! one-line decision and what the browser concluded. Under "Cross-origin
//! writes" it sends what CORS cannot stop (an HTML form post into a hidden
//! frame, a `no-cors` POST, a WebSocket) and shows whether the server's
//! cross-origin protection refused it before the handler, and whether the
//! write happened. The terminal prints each decision too. See
//! `cors_examples::playground` for how it is built.
//!
//! Ports: `DEMO_PAGE_PORT` (default 8080) and `DEMO_API_PORT` (default 8081),
//! e.g. `DEMO_PAGE_PORT=8090 DEMO_API_PORT=8091 cargo run --example demo`.
//! Both servers bind to 127.0.0.1 only; a busy port is reported by number
//! with the variable to change.

use std::io::Write;
use std::process::ExitCode;

use cors_examples::playground::{self, Playground};
use cors_examples::ports::Server;

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
    let playground = match Playground::new(true) {
        Ok(playground) => playground,
        Err(message) => {
            eprintln!("demo: {message}");
            return ExitCode::FAILURE;
        }
    };
    let (api_port, page_port) = (api_address.port(), page_address.port());
    let api = playground::api_router(playground.clone());
    let page = playground::page_router(playground, &format!("http://127.0.0.1:{api_port}"));

    // Written, not `println!`ed: a closed or broken stdout (`demo | head`)
    // must not stop the demo, here or per request.
    let _ignored = writeln!(
        std::io::stdout().lock(),
        "API  on http://127.0.0.1:{api_port}\n\
         Open http://localhost:{page_port}  (an allowed origin)\n\
         and  http://127.0.0.1:{page_port}  (the same page from a denied origin)\n\
         Press Ctrl-C to stop."
    );
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
