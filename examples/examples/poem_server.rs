//! A poem API behind one `cors_policy!`: `cargo run --example poem_server`.
//!
//! Try it: `curl -i -X OPTIONS http://127.0.0.1:3001/items -H 'Origin: https://app.example.com'
//! -H 'Access-Control-Request-Method: PUT'`.

use cors_runtime::poem::Cors;
use cors_runtime::{cors_policy, Policy};
use poem::listener::TcpListener;
use poem::{get, handler, EndpointExt, Route, Server};

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
fn list() -> &'static str {
    "[]"
}

#[handler]
fn store() -> &'static str {
    "stored"
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let app = Route::new()
        .at("/items", get(list).put(store))
        .with(Cors::new(&API));
    println!("poem API on http://127.0.0.1:3001");
    Server::new(TcpListener::bind("127.0.0.1:3001"))
        .run(app)
        .await
}
