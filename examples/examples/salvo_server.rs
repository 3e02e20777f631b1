//! A salvo API behind one `cors_policy!`: `cargo run --example salvo_server`.
//!
//! The CORS handler is a `hoop` on the `Service`, so that it also answers
//! preflights to routes that accept no `OPTIONS`. Try it:
//! `curl -i -X OPTIONS http://127.0.0.1:3002/items -H 'Origin: https://app.example.com'
//! -H 'Access-Control-Request-Method: PUT'`.

use cors_runtime::salvo::Cors;
use cors_runtime::{cors_policy, Policy};
use salvo_core::conn::TcpListener;
use salvo_core::{handler, Listener, Router, Server, Service};

cors_policy! {
    /// The web app may read and change items, with cookies.
    static API: Policy = {
        allow_origins: ["https://app.example.com", "http://localhost:*"],
        allow_methods: [GET, PUT],
        allow_headers: ["content-type"],
        max_age: 600,
        allow_credentials: true,
    };
}

#[handler]
async fn list() -> &'static str {
    "[]"
}

#[handler]
async fn store() -> &'static str {
    "stored"
}

#[tokio::main]
async fn main() {
    let router = Router::with_path("items").get(list).put(store);
    let service = Service::new(router).hoop(Cors::new(&API));
    println!("salvo API on http://127.0.0.1:3002");
    let acceptor = TcpListener::new("127.0.0.1:3002").bind().await;
    Server::new(acceptor).serve(service).await;
}
