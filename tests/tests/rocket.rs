//! The Rocket fairing answers every row of the behaviour table like
//! `Policy::evaluate` does (rows whose method Rocket cannot represent, such
//! as the lowercase `patch`, excepted), and runs a route exactly for the
//! requests that are not preflights.

use std::sync::atomic::{AtomicUsize, Ordering};

use cors_runtime::rocket::Cors;
use cors_tests::table::*;
use cors_tests::{assert_no_failures, protection_table};
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

static PROTECTED_CALLS: AtomicUsize = AtomicUsize::new(0);

/// The application's handler for the protection table: counts its calls.
fn protected<'r>(
    request: &'r rocket::Request<'_>,
    _: rocket::Data<'r>,
) -> rocket::route::BoxFuture<'r> {
    PROTECTED_CALLS.fetch_add(1, Ordering::SeqCst);
    rocket::route::Outcome::from(request, "inner").pin()
}

/// Why Rocket cannot send `row` as the table writes it, if it cannot.
fn unrepresentable(row: &protection_table::ProtectionRow) -> Option<&'static str> {
    if row.has_authority() {
        // Rocket routes origin-form URIs; the fairing sees no authority.
        return Some("an absolute URI: Rocket's request has no URI authority");
    }
    match row.method.parse::<Method>() {
        Ok(method) if method.as_str() == row.method => None,
        _ => Some("Rocket's `Method` is a closed set of uppercase methods"),
    }
}

/// The protection table through the fairing (a route for every method
/// on every path): a refusal is `403` with an empty body and no
/// `Access-Control-*` header, no route run; a request that passes reaches
/// its route. Rows Rocket cannot represent are skipped, each for the
/// reason [`unrepresentable`] gives.
#[rocket::async_test]
async fn fairing_matches_the_protection_table() {
    let rows = protection_table::rows();
    let mut failures = Vec::new();
    let mut skipped = Vec::new();
    for row in &rows {
        if let Some(reason) = unrepresentable(row) {
            skipped.push(format!("{}: {reason}", row.name));
            continue;
        }
        let method = row.method.parse::<Method>().expect("checked above");
        let routes: Vec<rocket::Route> = [
            Method::Get,
            Method::Put,
            Method::Post,
            Method::Delete,
            Method::Patch,
            Method::Options,
            Method::Connect,
            Method::Trace,
        ]
        .into_iter()
        .map(|method| rocket::Route::new(method, "/<path..>", protected))
        .collect();
        let rocket = rocket::build()
            .mount("/", routes)
            .attach(Cors::new(row.policy));
        let client = Client::untracked(rocket).await.expect("a valid rocket");
        let mut request = client.req(method, row.target);
        for (name, value) in &row.request {
            let value = std::str::from_utf8(value).expect("the table's values are text");
            request.add_header(Header::new(*name, value.to_owned()));
        }
        PROTECTED_CALLS.store(0, Ordering::SeqCst);
        let response = request.dispatch().await;
        let called = PROTECTED_CALLS.load(Ordering::SeqCst) == 1;
        let status = response.status().code;
        let mut headers = HeaderMap::new();
        for header in response.headers().iter() {
            headers.append(
                HeaderName::from_bytes(header.name().as_str().as_bytes()).expect("name"),
                HeaderValue::from_str(header.value()).expect("value"),
            );
        }
        let body = response.into_bytes().await.unwrap_or_default();
        failures.extend(row.differences(status, called, &headers, Some(body.is_empty())));
    }
    assert_no_failures(&failures);
    let checked = rows.len() - skipped.len();
    assert!(
        checked >= 100 && skipped.len() <= 5,
        "{checked} rows checked; skipped:\n{}",
        skipped.join("\n")
    );
}
