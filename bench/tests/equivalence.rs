//! The benchmarks compare like with like: the floor sends exactly our
//! headers, and tower-http and actix-cors allow and deny the same requests.

use actix_web::dev::Service as _;
use actix_web::{test as actix_test, web, App, HttpResponse};
use cors_bench::{
    actix_cors, actix_request, call_tower, floor, inner_service, policy_answers, tower_http_layer,
    Case,
};
use http::HeaderMap;
use tower::Layer;

#[test]
fn floor_sends_exactly_our_headers() {
    for case in Case::ALL {
        let (status, ours) = policy_answers(case);
        let mut floor_headers = HeaderMap::new();
        let floor_status = floor(case, &mut floor_headers);
        assert_eq!(status, floor_status, "{case:?}");
        assert_eq!(ours, floor_headers, "{case:?}");
    }
}

#[test]
fn contenders_agree_on_allow_and_deny() {
    let mut tower_http = tower_http_layer().layer(inner_service());
    let system = actix_web::rt::System::new();
    let app = system.block_on(actix_test::init_service(
        App::new()
            .wrap(actix_cors())
            .default_service(web::to(|| async { HttpResponse::Ok().finish() })),
    ));
    for case in Case::ALL {
        let (_, ours) = policy_answers(case);
        let allowed = ours.contains_key("access-control-allow-origin");
        let response = call_tower(&mut tower_http, case.request()).expect("ready");
        assert_eq!(
            response
                .headers()
                .contains_key("access-control-allow-origin"),
            allowed,
            "tower-http {case:?}"
        );
        let response = system.block_on(app.call(actix_request(case)));
        let has_origin = response
            .as_ref()
            .is_ok_and(|r| r.headers().contains_key("access-control-allow-origin"));
        assert_eq!(has_origin, allowed, "actix-cors {case:?}");
    }
}
