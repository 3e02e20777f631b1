//! A tiny S3-style server whose buckets get their CORS configurations over
//! the API: `cargo run --example s3_server`, then for example
//!
//! ```sh
//! curl -X PUT http://127.0.0.1:9000/photos
//! curl -X PUT 'http://127.0.0.1:9000/photos?cors' -d '{"CORSRules":[{"AllowedOrigins":["https://*.example.com"],"AllowedMethods":["GET"]}]}'
//! curl -i -X OPTIONS http://127.0.0.1:9000/photos/cat.jpg -H 'Origin: https://app.example.com' -H 'Access-Control-Request-Method: GET'
//! ```

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:9000").await?;
    println!("S3-style server on http://{}", listener.local_addr()?);
    axum::serve(listener, cors_examples::s3_server::router()).await
}
