//! The Rocket fairing answers every row of the behaviour table like
//! `Policy::evaluate` does (rows whose method Rocket cannot represent, such
//! as the lowercase `patch`, excepted), and runs a route exactly for the
//! requests that are not preflights.

use std::sync::atomic::{AtomicUsize, Ordering};

use cors_runtime::rocket::Cors;
use cors_tests::table::*;
use http::{HeaderMap, HeaderName, HeaderValue};
use rocket::http::{Header, Method};
use rocket::local::asynchronous::Client;

static CALLS: AtomicUsize = AtomicUsize::new(0);

fn inner() -> &'static str {
    CALLS.fetch_add(1, Ordering::SeqCst);
    "inner"
}

#[rocket::get("/")]
fn get() -> &'static str {
    inner()
}
#[rocket::put("/")]
fn put() -> &'static str {
    inner()
}
#[rocket::post("/")]
fn post() -> &'static str {
    inner()
}
#[rocket::delete("/")]
fn delete() -> &'static str {
    inner()
}
#[rocket::patch("/")]
fn patch() -> &'static str {
    inner()
}
#[rocket::options("/")]
fn options() -> &'static str {
    inner()
}

#[rocket::async_test]
async fn fairing_matches_the_behaviour_table() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for row in rows() {
        let Ok(method) = row.method.parse::<Method>() else {
            continue;
        };
        if method.as_str() != row.method {
            continue;
        }
        let rocket = rocket::build()
            .mount("/", rocket::routes![get, put, post, delete, patch, options])
            .attach(Cors::new(row.policy));
        let client = Client::untracked(rocket).await.expect("a valid rocket");
        let mut request = client.req(method, "/");
        for (name, value) in &row.request {
            let value = std::str::from_utf8(value).unwrap_or("\u{fffd}").to_owned();
            request.add_header(Header::new(*name, value));
        }
        CALLS.store(0, Ordering::SeqCst);
        let response = request.dispatch().await;
        let called = CALLS.load(Ordering::SeqCst) == 1;
        let status = (!called).then(|| response.status().code);
        // Only the CORS headers: Rocket adds its own security headers.
        let mut headers = HeaderMap::new();
        for header in response.headers().iter() {
            let name = header.name().as_str().to_ascii_lowercase();
            if name.starts_with("access-control-") || name == "vary" {
                headers.append(
                    HeaderName::from_bytes(name.as_bytes()).expect("name"),
                    HeaderValue::from_str(header.value()).expect("value"),
                );
            }
        }
        failures.extend(differences(&row, status, &headers));
        if called
            && method != Method::Head
            && response.into_string().await.as_deref() != Some("inner")
        {
            failures.push(format!("{}: the route's body was lost", row.name));
        }
        checked += 1;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked >= 90, "{checked} rows");
}
