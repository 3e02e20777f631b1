//! Feature `tracing`: each adapter emits one event per CORS request,
//! denials at DEBUG with the reason and the partly matching rule, allowed
//! requests at TRACE with the rule; non-CORS requests and disabled levels
//! produce nothing.

use actix_web::{test as actix_test, web, App, HttpResponse};
use cors_runtime::tower::CorsLayer;
use cors_tests::capture::{Capture, Captured};
use cors_tests::LAYERED;
use http::Request;
use tower::{service_fn, Layer, ServiceExt};
use tracing::Level;

/// `(method, origin, requested method)`: allowed by rule 0, refused by the
/// method of rule 0 (`read`), refused by the method of the `"*"` rule 3,
/// and not CORS.
const REQUESTS: [(&str, Option<&str>, Option<&str>); 4] = [
    ("GET", Some("https://app.example.com"), None),
    ("OPTIONS", Some("https://app.example.com"), Some("PATCH")),
    ("GET", Some("https://evil.example.org"), None),
    ("GET", None, None),
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

fn field<'a>(event: &'a Captured, name: &str) -> Option<&'a str> {
    event.fields.get(name).map(String::as_str)
}

fn check(events: &[Captured], adapter: &str) {
    assert_eq!(
        events.len(),
        3,
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
}

#[test]
fn each_adapter_emits_one_event_per_cors_request() {
    for (adapter, run) in [("tower", through_tower as fn()), ("actix", through_actix)] {
        let capture = Capture::up_to(Level::TRACE);
        tracing::subscriber::with_default(capture.clone(), run);
        check(&capture.take(), adapter);

        let quiet = Capture::up_to(Level::INFO);
        tracing::subscriber::with_default(quiet.clone(), run);
        assert!(quiet.take().is_empty(), "{adapter}: nothing above INFO");
    }
}
