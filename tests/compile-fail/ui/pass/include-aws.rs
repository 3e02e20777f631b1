//! An HTTP API's `CorsConfiguration`, read at compile time and answered as
//! the service does.
use cors_runtime::{cors_policy, Policy};
use http::{HeaderMap, HeaderValue, Method};

cors_policy! {
    static API: Policy = include_apigw_http!("aws/http.json");
}

fn main() {
    let mut request = HeaderMap::new();
    request.insert("origin", HeaderValue::from_static("https://app.example.com"));
    request.insert("access-control-request-method", HeaderValue::from_static("PUT"));
    assert!(API.evaluate(&Method::OPTIONS, &request).is_allowed());
    request.insert("access-control-request-method", HeaderValue::from_static("DELETE"));
    assert!(!API.evaluate(&Method::OPTIONS, &request).is_allowed());
    assert!(!API.cross_origin_protection());
}
