//! An axum API behind one `cors_policy!`: `cargo run --example axum_server`.
//!
//! Try it: `curl -i -X OPTIONS http://127.0.0.1:3000/items -H 'Origin: https://app.example.com'
//! -H 'Access-Control-Request-Method: PUT'`.

use axum::routing::get;
use axum::Router;
use cors_runtime::tower::CorsLayer;
use cors_runtime::{cors_policy, Policy};

cors_policy! {
    /// The web app and its preview deployments may call the API with cookies.
    static API: Policy = {
        allow_origins: ["https://app.example.com", "https://*.preview.example.com", "http://localhost:*"],
        allow_methods: [GET, POST, PUT, DELETE],
        allow_headers: ["content-type", "x-request-id"],
        expose_headers: ["x-request-id"],
        max_age: 600,
        allow_credentials: true,
    };
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let app = Router::new()
        .route("/items", get(|| async { "[]" }).put(|| async { "stored" }))
        .layer(CorsLayer::new(&API));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
    println!("axum API on http://{}", listener.local_addr()?);
    axum::serve(listener, app).await
}
