//! Feature `tracing`: each adapter (tower, actix-web, poem, salvo, Rocket)
//! emits one event per CORS request,
//! denials and refused cross-origin writes at DEBUG with the reason and the
//! partly matching rule, allowed requests at TRACE with the rule; non-CORS
//! requests and disabled levels produce nothing.

use actix_web::{test as actix_test, web, App, HttpResponse};
use cors_runtime::tower::CorsLayer;
use cors_tests::capture::{Capture, Captured};
use cors_tests::LAYERED;
use http::Request;
use tower::{service_fn, Layer, ServiceExt};
use tracing::Level;

/// `(method, origin, requested method)`: allowed by rule 0, refused by the
/// method of rule 0 (`read`), refused by the method of the `"*"` rule 3,
/// not CORS, and a cross-origin `POST` (no `Sec-Fetch-Site`, no `Host`) that
/// the cross-origin protection refuses because the `"*"` rule that matches
/// its origin does not allow `POST`.
const REQUESTS: [(&str, Option<&str>, Option<&str>); 5] = [
    ("GET", Some("https://app.example.com"), None),
    ("OPTIONS", Some("https://app.example.com"), Some("PATCH")),
    ("GET", Some("https://evil.example.org"), None),
    ("GET", None, None),
    ("POST", Some("https://evil.example.org"), None),
];

fn through_tower() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        for (method, origin, requested) in REQUESTS {
            let mut request = Request::builder().method(method).uri("/");
            if let Some(origin) = origin {
                request = request.header("origin", origin);
            }
            if let Some(requested) = requested {
                request = request.header("access-control-request-method", requested);
            }
            let service = CorsLayer::new(&LAYERED).layer(service_fn(|_: Request<String>| async {
                Ok::<_, std::convert::Infallible>(http::Response::new(String::new()))
            }));
            let _ = service
                .oneshot(request.body(String::new()).expect("request"))
                .await;
        }
    });
}

fn through_actix() {
    actix_web::rt::System::new().block_on(async {
        let app = actix_test::init_service(
            App::new()
                .wrap(cors_runtime::actix::Cors::new(&LAYERED))
                .default_service(web::to(|| async { HttpResponse::Ok().finish() })),
        )
        .await;
        for (method, origin, requested) in REQUESTS {
            let mut request = actix_test::TestRequest::default()
                .method(actix_web::http::Method::from_bytes(method.as_bytes()).expect("method"))
                .uri("/");
            if let Some(origin) = origin {
                request = request.insert_header(("origin", origin));
            }
            if let Some(requested) = requested {
                request = request.insert_header(("access-control-request-method", requested));
            }
            let _ = actix_test::call_service(&app, request.to_request()).await;
        }
    });
}

fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(future)
}

fn through_poem() {
    use poem::{Endpoint, EndpointExt};
    block_on(async {
        let endpoint = poem::endpoint::make(|_request| async { "ok" })
            .with(cors_runtime::poem::Cors::new(&LAYERED));
        for (method, origin, requested) in REQUESTS {
            let mut request = poem::Request::builder()
                .method(poem::http::Method::from_bytes(method.as_bytes()).expect("method"))
                .finish();
            if let Some(origin) = origin {
                request
                    .headers_mut()
                    .insert("origin", origin.parse().expect("origin"));
            }
            if let Some(requested) = requested {
                request.headers_mut().insert(
                    "access-control-request-method",
                    requested.parse().expect("method"),
                );
            }
            let _ = endpoint.call(request).await;
        }
    });
}

fn through_salvo() {
    use salvo_core::test::RequestBuilder;
    use salvo_core::{handler, Router, Service};
    #[handler]
    async fn ok() -> &'static str {
        "ok"
    }
    block_on(async {
        let service =
            Service::new(Router::new().goal(ok)).hoop(cors_runtime::salvo::Cors::new(&LAYERED));
        for (method, origin, requested) in REQUESTS {
            let method = salvo_core::http::Method::from_bytes(method.as_bytes()).expect("method");
            let mut request = RequestBuilder::new("http://127.0.0.1/", method);
            if let Some(origin) = origin {
                request = request.add_header("origin", origin, true);
            }
            if let Some(requested) = requested {
                request = request.add_header("access-control-request-method", requested, true);
            }
            let _ = request.send(&service).await;
        }
    });
}

fn through_rocket() {
    use rocket::http::{Header, Method};
    use rocket::local::asynchronous::Client;
    #[rocket::get("/")]
    fn ok() -> &'static str {
        "ok"
    }
    block_on(async {
        let rocket = rocket::build()
            .mount("/", rocket::routes![ok])
            .attach(cors_runtime::rocket::Cors::new(&LAYERED));
        let client = Client::untracked(rocket).await.expect("rocket");
        for (method, origin, requested) in REQUESTS {
            let mut request = client.req(method.parse::<Method>().expect("method"), "/");
            if let Some(origin) = origin {
                request.add_header(Header::new("origin", origin));
            }
            if let Some(requested) = requested {
                request.add_header(Header::new("access-control-request-method", requested));
            }
            let _ = request.dispatch().await;
        }
    });
}

fn field<'a>(event: &'a Captured, name: &str) -> Option<&'a str> {
    event.fields.get(name).map(String::as_str)
}

/// Our events only (frameworks may log through `tracing` too).
fn ours(events: Vec<Captured>) -> Vec<Captured> {
    events
        .into_iter()
        .filter(|e| {
            e.fields
                .get("message")
                .is_some_and(|m| m.starts_with("CORS request"))
        })
        .collect()
}

fn check(events: &[Captured], adapter: &str) {
    assert_eq!(
        events.len(),
        4,
        "{adapter}: one event per CORS request: {events:#?}"
    );
    let allowed = &events[0];
    assert_eq!(allowed.level, Level::TRACE, "{adapter}");
    assert_eq!(field(allowed, "message"), Some("CORS request allowed"));
    assert_eq!(field(allowed, "kind"), Some("actual"));
    assert_eq!(field(allowed, "origin"), Some("https://app.example.com"));
    assert_eq!(field(allowed, "method"), Some("GET"));
    assert_eq!(field(allowed, "rule_index"), Some("0"));
    assert_eq!(field(allowed, "rule_id"), Some("read"));
    let method = &events[1];
    assert_eq!(method.level, Level::DEBUG, "{adapter}");
    assert_eq!(field(method, "message"), Some("CORS request denied"));
    assert_eq!(field(method, "kind"), Some("preflight"));
    assert_eq!(field(method, "method"), Some("OPTIONS"));
    assert_eq!(
        field(method, "reason"),
        Some("denied preflight: the origin matches rule 0 (`read`), but its methods do not include `PATCH` (methods are case-sensitive)")
    );
    assert_eq!(field(method, "rule_id"), Some("read"));
    let origin = &events[2];
    assert_eq!(origin.level, Level::DEBUG, "{adapter}");
    assert_eq!(field(origin, "origin"), Some("https://evil.example.org"));
    // Only the `"*"` rule matches this origin, and it allows only DELETE.
    assert_eq!(
        field(origin, "reason"),
        Some("denied request: the origin matches rule 3 (`anyone-delete`), but its methods do not include `GET` (methods are case-sensitive)")
    );
    assert_eq!(field(origin, "rule_index"), Some("3"));
    let refused = &events[3];
    assert_eq!(refused.level, Level::DEBUG, "{adapter}");
    assert_eq!(
        field(refused, "message"),
        Some("CORS request refused by the cross-origin protection")
    );
    assert_eq!(field(refused, "kind"), Some("write"));
    assert_eq!(field(refused, "origin"), Some("https://evil.example.org"));
    assert_eq!(field(refused, "method"), Some("POST"));
    assert_eq!(
        field(refused, "reason"),
        Some("cross-origin POST from https://evil.example.org: the origin matches rule 3 (`anyone-delete`), but its methods do not include POST")
    );
    assert_eq!(field(refused, "rule_index"), Some("3"));
}

#[test]
fn each_adapter_emits_one_event_per_cors_request() {
    for (adapter, run) in [
        ("tower", through_tower as fn()),
        ("actix", through_actix),
        ("poem", through_poem),
        ("salvo", through_salvo),
        ("rocket", through_rocket),
    ] {
        let capture = Capture::up_to(Level::TRACE);
        tracing::subscriber::with_default(capture.clone(), run);
        check(&ours(capture.take()), adapter);

        let quiet = Capture::up_to(Level::INFO);
        tracing::subscriber::with_default(quiet.clone(), run);
        assert!(
            ours(quiet.take()).is_empty(),
            "{adapter}: nothing above INFO"
        );
    }
}
