//! The salvo handler answers every row of the behaviour table like
//! `Policy::evaluate` does, and lets the chain run exactly for the requests
//! that are not preflights.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use cors_runtime::salvo::Cors;
use cors_tests::table::*;
use cors_tests::{assert_no_failures, protection_table};
use salvo_core::http::uri::Scheme;
use salvo_core::http::{Method, ReqBody};
use salvo_core::test::ResponseExt;
use salvo_core::{async_trait, Depot, FlowCtrl, Handler, Request, Response, Router, Service};

/// The endpoint: counts its calls and answers `inner`.
struct Inner(Arc<AtomicUsize>);

#[async_trait]
impl Handler for Inner {
    async fn handle(
        &self,
        _: &mut Request,
        _: &mut Depot,
        response: &mut Response,
        _: &mut FlowCtrl,
    ) {
        self.0.fetch_add(1, Ordering::SeqCst);
        response.write_body("inner").ok();
    }
}

/// `request` as salvo receives it from hyper: an HTTP/1.1 request's URI is
/// in origin form (salvo's `RequestBuilder` would give it the authority of
/// an absolute URL, which the protection prefers to `Host`).
fn as_salvo(request: http::Request<ReqBody>) -> Request {
    Request::from_hyper(request, Scheme::HTTP)
}

#[tokio::test]
async fn handler_matches_the_behaviour_table() {
    let mut failures = Vec::new();
    for row in rows() {
        let calls = Arc::new(AtomicUsize::new(0));
        let service =
            Service::new(Router::new().goal(Inner(Arc::clone(&calls)))).hoop(Cors::new(row.policy));
        let mut request = http::Request::new(ReqBody::None);
        *request.method_mut() = Method::from_bytes(row.method.as_bytes()).expect("method");
        *request.headers_mut() = cors_tests::request_headers(&row.request);
        let mut response = service.handle(as_salvo(request)).await;
        let called = calls.load(Ordering::SeqCst) == 1;
        let status = (!called).then(|| response.status_code.map_or(200, |s| s.as_u16()));
        let mut headers = response.headers().clone();
        // salvo adds its own content headers to every response.
        headers.remove("content-type");
        headers.remove("content-length");
        failures.extend(differences(&row, status, &headers));
        // A response to HEAD has no body.
        if called
            && row.method != "HEAD"
            && response.take_string().await.unwrap_or_default() != "inner"
        {
            failures.push(format!("{}: the endpoint's body was lost", row.name));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The protection table through the handler (a goal on every path): a
/// refusal is `403` without any `Access-Control-*` header, the chain not
/// run; a request that passes reaches the goal. Every row runs
/// (the request keeps an absolute URI's authority, as for HTTP/2).
#[tokio::test]
async fn handler_matches_the_protection_table() {
    let rows = protection_table::rows();
    let mut failures = Vec::new();
    let mut executed = 0;
    for row in &rows {
        let calls = Arc::new(AtomicUsize::new(0));
        let router = Router::new()
            .push(Router::with_path("{**rest}").goal(Inner(Arc::clone(&calls))))
            .goal(Inner(Arc::clone(&calls)));
        let service = Service::new(router).hoop(Cors::new(row.policy));
        let response = service
            .handle(as_salvo(row.http_request(ReqBody::None)))
            .await;
        let called = calls.load(Ordering::SeqCst) == 1;
        let status = response.status_code.map_or(200, |s| s.as_u16());
        // The body is not checked: salvo's `Service` gives every error
        // response without a body its catcher's error page (salvo_core's
        // `service.rs`), a refusal's `403` included.
        failures.extend(row.differences(status, called, response.headers(), None));
        executed += 1;
    }
    assert_no_failures(&failures);
    // Every row runs through this adapter.
    assert!(
        executed == rows.len() && executed >= 100,
        "{executed} rows of {}",
        rows.len()
    );
}
