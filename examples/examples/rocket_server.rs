//! A Rocket API behind one `cors_policy!`: `cargo run --example rocket_server`
//! (port 8000, Rocket's default; `ROCKET_PORT` to change).
//!
//! The fairing answers preflights itself (it mounts a catch-all `OPTIONS`
//! route), so the application needs no `OPTIONS` routes. Try it:
//! `curl -i -X OPTIONS http://127.0.0.1:8000/items -H 'Origin: https://app.example.com'
//! -H 'Access-Control-Request-Method: PUT'`.

use cors_runtime::rocket::Cors;
use cors_runtime::{cors_policy, Policy};

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

#[rocket::get("/items")]
fn list() -> &'static str {
    "[]"
}

#[rocket::put("/items")]
fn store() -> &'static str {
    "stored"
}

#[rocket::launch]
fn rocket() -> _ {
    rocket::build()
        .mount("/", rocket::routes![list, store])
        .attach(Cors::new(&API))
}
