//! DSL policy files checked at compile time (paths relative to the crate
//! trybuild builds: tests/compiletest.rs copies tests/ui/config/ there).
use cors_runtime::{cors_policy, Policy};

cors_policy! {
    static FROM_TOML: Policy = include_toml!("config/api.toml");
    static FROM_JSON: Policy = include_json!("config/api.json");
}

fn main() {
    assert_eq!(FROM_TOML.rule_count(), 2);
    assert_eq!(FROM_JSON.rule_count(), 1);
    let mut request = http::HeaderMap::new();
    request.insert("origin", http::HeaderValue::from_static("https://a.example.com"));
    assert!(FROM_TOML.evaluate(&http::Method::GET, &request).is_allowed());
    assert!(!FROM_TOML.evaluate(&http::Method::PUT, &request).is_allowed());
}
