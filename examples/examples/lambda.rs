//! An AWS Lambda function behind one `cors_policy!`, through `lambda_http`
//! and the tower layer. Build it with `cargo lambda build` and deploy it
//! behind API Gateway or a function URL; `cargo build --example lambda`
//! checks it here (it needs the Lambda runtime's environment to run).
//! `tests/tests/lambda.rs` runs the same layer on `lambda_http`'s types.

use cors_runtime::tower::CorsLayer;
use cors_runtime::{cors_policy, Policy};
use lambda_http::{service_fn, Body, Error, Request, Response};
use tower::Layer;

cors_policy! {
    static API: Policy = {
        allow_origins: ["https://app.example.com"],
        allow_methods: [GET, PUT],
        allow_headers: ["content-type"],
        max_age: 600,
    };
}

async fn handler(_request: Request) -> Result<Response<Body>, Error> {
    Ok(Response::new(Body::from("[]")))
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    lambda_http::run(CorsLayer::new(&API).layer(service_fn(handler))).await
}
