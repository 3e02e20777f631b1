//! An actix-web API behind one `cors_policy!`: `cargo run --example actix_server`.
//!
//! Try it: `curl -i http://127.0.0.1:3001/items -H 'Origin: https://app.example.com'`.

use actix_web::{web, App, HttpResponse, HttpServer};
use cors_runtime::actix::Cors;
use cors_runtime::{cors_policy, Policy};

cors_policy! {
    /// Public read access, writes only from the web app.
    static API: Policy = [
        { id: "public-read", allow_origins: ["*"], allow_methods: [GET, HEAD] },
        { id: "app-write",
          allow_origins: ["https://app.example.com"],
          allow_methods: [PUT, DELETE],
          allow_headers: ["content-type"],
          max_age: 600 },
    ];
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    println!("actix-web API on http://127.0.0.1:3001");
    HttpServer::new(|| {
        App::new().wrap(Cors::new(&API)).route(
            "/items",
            web::get().to(|| async { HttpResponse::Ok().body("[]") }),
        )
    })
    .bind(("127.0.0.1", 3001))?
    .run()
    .await
}
