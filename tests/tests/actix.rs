//! The actix-web middleware answers every row of the behaviour table like
//! `Policy::evaluate` does, and calls the service exactly for the requests
//! that are not preflights.

use std::sync::atomic::{AtomicUsize, Ordering};

use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::http::Method;
use actix_web::{test, web, App, HttpResponse};
use cors_runtime::actix::Cors;
use cors_tests::table::*;
use cors_tests::{assert_no_failures, protection_table};

static CALLS: AtomicUsize = AtomicUsize::new(0);

async fn handler() -> HttpResponse {
    CALLS.fetch_add(1, Ordering::SeqCst);
    HttpResponse::Ok().body("inner")
}

/// actix's `http` 0.2 headers as an `http` 1.x map, for the shared checker.
fn to_http1(headers: &actix_web::http::header::HeaderMap) -> http::HeaderMap {
    let mut converted = http::HeaderMap::new();
    for (name, value) in headers {
        converted.append(
            http::HeaderName::from_bytes(name.as_str().as_bytes()).expect("name"),
            http::HeaderValue::from_bytes(value.as_bytes()).expect("value"),
        );
    }
    converted
}

/// A test request with `method` and the `headers`, in order.
fn test_request(method: &str, headers: &[(&str, &[u8])]) -> test::TestRequest {
    let mut request =
        test::TestRequest::default().method(Method::from_bytes(method.as_bytes()).expect("method"));
    for (name, value) in headers {
        request = request.append_header((
            HeaderName::from_bytes(name.as_bytes()).expect("name"),
            HeaderValue::from_bytes(value).expect("value"),
        ));
    }
    request
}

#[actix_web::test]
async fn middleware_matches_the_behaviour_table() {
    let mut failures = Vec::new();
    for row in rows() {
        let app = test::init_service(
            App::new()
                .wrap(Cors::new(row.policy))
                .default_service(web::to(handler)),
        )
        .await;
        let request = test_request(row.method, &row.request);
        let before = CALLS.load(Ordering::SeqCst);
        let response = test::call_service(&app, request.to_request()).await;
        let called = CALLS.load(Ordering::SeqCst) == before + 1;
        let status = (!called).then(|| response.status().as_u16());
        let mut headers = to_http1(response.headers());
        // actix adds its own content-type to the service's response.
        headers.remove("content-type");
        failures.extend(differences(&row, status, &headers));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// An inner middleware that refuses every request with an error (as an
/// authentication middleware does): the CORS middleware turns the error into
/// its response and still adds the CORS headers, so the page sees the 401.
#[actix_web::test]
async fn errors_of_the_wrapped_service_get_cors_headers() {
    use actix_web::body::MessageBody;
    use actix_web::dev::{ServiceRequest, ServiceResponse};
    use actix_web::middleware::{from_fn, Next};

    async fn reject(
        _request: ServiceRequest,
        _next: Next<impl MessageBody>,
    ) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
        Err::<ServiceResponse<actix_web::body::BoxBody>, _>(actix_web::error::ErrorUnauthorized(
            "no token",
        ))
    }

    let app = test::init_service(
        App::new()
            .wrap(from_fn(reject))
            .wrap(Cors::new(&cors_tests::FULL))
            .route("/", web::get().to(handler)),
    )
    .await;
    let request = test::TestRequest::get()
        .uri("/")
        .insert_header(("origin", "https://app.example.com"))
        .to_request();
    // The error travels up to actix's dispatcher, which answers with the
    // error's response: the one the middleware built, headers included.
    let Err(error) = actix_web::dev::Service::call(&app, request).await else {
        panic!("the inner middleware refuses every request");
    };
    let response = error.error_response();
    assert_eq!(response.status(), actix_web::http::StatusCode::UNAUTHORIZED);
    let headers = to_http1(response.headers());
    assert_eq!(
        headers["access-control-allow-origin"],
        "https://app.example.com"
    );
    assert_eq!(headers["access-control-allow-credentials"], "true");
    assert_eq!(headers["vary"], "Origin");
    let body = actix_web::body::to_bytes(response.into_body())
        .await
        .expect("body");
    assert_eq!(&body[..], b"no token");
    // A preflight never reaches the refusing middleware.
    let preflight = test::TestRequest::default()
        .method(Method::OPTIONS)
        .uri("/")
        .insert_header(("origin", "https://app.example.com"))
        .insert_header(("access-control-request-method", "PUT"))
        .to_request();
    let response = test::call_service(&app, preflight).await;
    assert_eq!(response.status(), actix_web::http::StatusCode::NO_CONTENT);
}

/// S3 configurations (imported at compile time and loaded at run time)
/// through the middleware answer exactly what `Policy::evaluate` +
/// `Decision::apply` answer: the shared writer's actix side writes S3's
/// lowercased header lists, run-time values and `*` answers like the
/// `http` 1.x side.
#[actix_web::test]
async fn s3_configurations_answer_through_the_middleware_as_evaluated() {
    use cors_tests::s3::{COMPILED, FILES};

    let requests: &[(&str, &[(&str, &str)])] = &[
        (
            "OPTIONS",
            &[
                (O, "https://app.example.com"),
                (RM, "PUT"),
                (RH, "Content-Type, X-Amz-Acl"),
            ],
        ),
        (
            "OPTIONS",
            &[
                (O, "https://cdn.example.com"),
                (RM, "GET"),
                (RH, " x-amz-date ,, Range"),
            ],
        ),
        (
            "OPTIONS",
            &[
                (O, "https://app.eu.example.org"),
                (RM, "PUT"),
                (RH, "X-Tenant-Id"),
            ],
        ),
        (
            "OPTIONS",
            &[
                (O, "https://Mixed.Example.com"),
                (RM, "DELETE"),
                (RH, "x-custom-header,X-AMZ-META-Owner"),
            ],
        ),
        ("OPTIONS", &[(O, "https://evil.test"), (RM, "PUT")]),
        ("OPTIONS", &[(O, "https://x.test"), (RM, "GET")]),
        ("GET", &[(O, "https://app.example.com")]),
        ("PUT", &[(O, "https://app.example.com")]),
        ("GET", &[(O, "https://evil.test")]),
        (
            "GET",
            &[(O, "https://cdn.example.com"), (RH, "content-type")],
        ),
        ("GET", &[]),
    ];
    let runtime: Vec<cors_runtime::Policy> = FILES
        .iter()
        .map(|(name, text, xml)| {
            let loaded = if *xml {
                cors_runtime::Policy::from_s3_xml(text)
            } else {
                cors_runtime::Policy::from_s3_json(text)
            };
            loaded.unwrap_or_else(|error| panic!("{name}: {error}"))
        })
        .collect();
    let runtime: Vec<std::sync::Arc<cors_runtime::Policy>> =
        runtime.into_iter().map(std::sync::Arc::new).collect();
    let (mut compared, mut lowercased) = (0, 0);
    let mut failures = Vec::new();
    for (index, compiled) in COMPILED.iter().enumerate() {
        let sources: [(&str, cors_runtime::PolicySource); 2] = [
            ("compiled", (*compiled).into()),
            ("run-time", runtime[index].clone().into()),
        ];
        for (source, policy) in sources {
            let app = test::init_service(
                App::new()
                    .wrap(Cors::new(policy))
                    .default_service(web::to(|| async { HttpResponse::Ok().finish() })),
            )
            .await;
            for (method, request) in requests {
                let mut expected_request = http::HeaderMap::new();
                let mut actix_request = test::TestRequest::default()
                    .method(Method::from_bytes(method.as_bytes()).expect("method"));
                for (name, value) in *request {
                    expected_request.append(
                        http::HeaderName::from_static(name),
                        http::HeaderValue::from_static(value),
                    );
                    actix_request = actix_request.append_header((*name, *value));
                }
                let http_method = http::Method::from_bytes(method.as_bytes()).expect("method");
                let decision = compiled.evaluate(&http_method, &expected_request);
                let mut expected = http::HeaderMap::new();
                decision.apply(&mut expected);
                let response = test::call_service(&app, actix_request.to_request()).await;
                let mut got = to_http1(response.headers());
                got.remove("content-type");
                got.remove("content-length");
                if let Some(status) = decision.preflight_status() {
                    if response.status().as_u16() != status.as_u16() {
                        failures.push(format!(
                            "C{} {source} {method} {request:?}: status {} instead of {status}",
                            index + 1,
                            response.status()
                        ));
                    }
                }
                if got != expected {
                    failures.push(format!(
                        "C{} {source} {method} {request:?}: {got:?} instead of {expected:?} ({decision})",
                        index + 1
                    ));
                }
                compared += 1;
                lowercased += usize::from(expected.contains_key(AH));
            }
        }
    }
    assert_eq!(compared, COMPILED.len() * 2 * requests.len());
    // The lowercased lists were really written (four allowed lists, each
    // through both sources of the configurations that allow them).
    assert!(lowercased >= 4, "only {lowercased} answers listed headers");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The protection table through the middleware (a default service for
/// every method and path): a refusal is `403` with an empty body and no
/// `Access-Control-*` header, the service not called; a request that passes
/// reaches the service. Every row runs, absolute URIs included (actix keeps
/// the URI's authority and the middleware reads it).
#[actix_web::test]
async fn middleware_matches_the_protection_table() {
    // Its own counter: tests run in parallel, and the behaviour table's
    // handler counts in `CALLS`.
    static PROTECTED_CALLS: AtomicUsize = AtomicUsize::new(0);
    async fn protected() -> HttpResponse {
        PROTECTED_CALLS.fetch_add(1, Ordering::SeqCst);
        HttpResponse::Ok().body("inner")
    }

    let rows = protection_table::rows();
    let mut failures = Vec::new();
    let mut executed = 0;
    for row in &rows {
        let app = test::init_service(
            App::new()
                .wrap(Cors::new(row.policy))
                .default_service(web::to(protected)),
        )
        .await;
        let request = test_request(row.method, &row.request).uri(row.target);
        let before = PROTECTED_CALLS.load(Ordering::SeqCst);
        let response = test::call_service(&app, request.to_request()).await;
        let called = PROTECTED_CALLS.load(Ordering::SeqCst) == before + 1;
        let status = response.status().as_u16();
        let headers = to_http1(response.headers());
        let body = test::read_body(response).await;
        failures.extend(row.differences(status, called, &headers, Some(body.is_empty())));
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
