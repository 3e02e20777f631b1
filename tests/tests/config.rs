//! Run-time DSL policies against compile-time ones: the same policies, built
//! by `cors_policy!` and by `Policy::from_json` (generated twins, see
//! `tests/build.rs`), decide every request of a generated set identically:
//! the same `Decision` text, preflight status and response headers.

use cors_runtime::Policy;
use http::{HeaderMap, HeaderValue, Method};

include!(concat!(env!("OUT_DIR"), "/twins.rs"));

const ORIGINS: [Option<&str>; 14] = [
    None,
    Some("https://app.example.com"),
    Some("https://x.example.com"),
    Some("https://a.b.example.com"),
    Some("https://example.com"),
    Some("http://localhost:3000"),
    Some("http://localhost"),
    Some("https://a.example.org"),
    Some("https://b.example.org:8443"),
    Some("https://b.example.org"),
    Some("https://q.example.net:9"),
    Some("https://evil.com"),
    Some("null"),
    Some("HTTPS://APP.EXAMPLE.COM"),
];
const ACTUAL: [&str; 5] = ["GET", "PUT", "DELETE", "PATCH", "patch"];
const REQUESTED: [&str; 6] = ["GET", "PUT", "PATCH", "patch", "DELETE", "POST"];
const HEADER_LISTS: [Option<&str>; 6] = [
    None,
    Some("content-type"),
    Some("x-api-key"),
    Some("content-type, x-api-key"),
    Some("authorization"),
    Some("x-other"),
];

/// Every request of the set: (method, headers).
fn requests() -> Vec<(Method, HeaderMap)> {
    let mut all = Vec::new();
    for origin in ORIGINS {
        let base = || {
            let mut headers = HeaderMap::new();
            if let Some(origin) = origin {
                headers.insert("origin", HeaderValue::from_static(origin));
            }
            headers
        };
        for method in ACTUAL {
            all.push((
                Method::from_bytes(method.as_bytes()).expect("method"),
                base(),
            ));
        }
        for requested in REQUESTED {
            for list in HEADER_LISTS {
                let mut headers = base();
                headers.insert(
                    "access-control-request-method",
                    HeaderValue::from_static(requested),
                );
                if let Some(list) = list {
                    headers.insert(
                        "access-control-request-headers",
                        HeaderValue::from_static(list),
                    );
                }
                all.push((Method::OPTIONS, headers));
            }
        }
    }
    all
}

fn answer(
    policy: &Policy,
    method: &Method,
    headers: &HeaderMap,
) -> (String, Option<u16>, HeaderMap) {
    let decision = policy.evaluate(method, headers);
    let mut response = HeaderMap::new();
    decision.apply(&mut response);
    (
        decision.to_string(),
        decision.preflight_status().map(|s| s.as_u16()),
        response,
    )
}

#[test]
fn json_twins_decide_exactly_as_the_macro() {
    let requests = requests();
    assert!(TWINS.len() >= 30, "{} policies", TWINS.len());
    let mut compared = 0;
    for (json, compiled) in TWINS {
        let loaded = Policy::from_json(json).unwrap_or_else(|e| panic!("{json}: {e}"));
        assert_eq!(loaded.rule_count(), compiled.rule_count(), "{json}");
        for (method, headers) in &requests {
            let expected = answer(compiled, method, headers);
            let got = answer(&loaded, method, headers);
            assert_eq!(got, expected, "{json}\n{method} {headers:?}");
            compared += 1;
        }
    }
    assert!(compared >= 10_000, "{compared} requests");
    println!("{} policies, {compared} requests compared", TWINS.len());
}

#[test]
fn the_same_policy_as_toml_and_environment() {
    let toml = Policy::from_toml(
        "allow_origins = [\"https://*.example.com\"]\nallow_methods = [\"GET\", \"PUT\"]\nallow_headers = [\"content-type\"]\nmax_age = 600\nallow_credentials = true\n",
    )
    .expect("toml");
    let env = Policy::from_env_vars(
        "APP_CORS",
        [
            ("APP_CORS_ALLOW_ORIGINS", "https://*.example.com"),
            ("APP_CORS_ALLOW_METHODS", "GET, PUT"),
            ("APP_CORS_ALLOW_HEADERS", "content-type"),
            ("APP_CORS_MAX_AGE", "600"),
            ("APP_CORS_ALLOW_CREDENTIALS", "true"),
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned())),
    )
    .expect("env");
    let json = Policy::from_json(r#"{"allow_origins": ["https://*.example.com"], "allow_methods": ["GET", "PUT"], "allow_headers": ["content-type"], "max_age": 600, "allow_credentials": true}"#).expect("json");
    for (method, headers) in requests() {
        let expected = answer(&json, &method, &headers);
        assert_eq!(answer(&toml, &method, &headers), expected);
        assert_eq!(answer(&env, &method, &headers), expected);
    }
}

mod generated {
    //! The same comparison over generated requests: random origins (near the
    //! policies' patterns and far from them), methods and header lists.
    use super::*;
    use proptest::prelude::*;

    fn origin() -> impl Strategy<Value = Option<String>> {
        let label = "[a-z0-9_-]{1,8}";
        prop_oneof![
            Just(None),
            (
                prop::sample::select(vec!["https", "http", "HTTPS"]),
                label,
                prop::sample::select(vec![
                    ".example.com",
                    ".example.org",
                    ".example.net",
                    "",
                    ".b.example.com",
                    ".example.com.evil.com",
                ]),
                prop::option::of(prop::sample::select(vec!["3000", "8443", "443", "0", "9"]))
            )
                .prop_map(|(scheme, label, base, port)| {
                    let port = port.map(|p| format!(":{p}")).unwrap_or_default();
                    Some(format!("{scheme}://{label}{base}{port}"))
                }),
            Just(Some("http://localhost:5173".to_owned())),
            Just(Some("null".to_owned())),
            "[ -~]{0,30}".prop_map(Some),
        ]
    }

    fn header_list() -> impl Strategy<Value = Option<String>> {
        prop::option::of(
            prop::collection::vec(
                prop::sample::select(vec![
                    "content-type",
                    "x-api-key",
                    "X-Api-Version",
                    "authorization",
                    "x-other",
                    "",
                    " ",
                ]),
                0..4,
            )
            .prop_map(|names| names.join(",")),
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        #[test]
        fn json_twins_decide_generated_requests_alike(
            origin in origin(),
            preflight in any::<bool>(),
            method in prop::sample::select(vec!["GET", "PUT", "DELETE", "PATCH", "patch", "POST", "OPTIONS"]),
            headers in header_list(),
        ) {
            let mut request = HeaderMap::new();
            if let Some(origin) = origin.as_deref().and_then(|o| HeaderValue::from_str(o).ok()) {
                request.insert("origin", origin);
            }
            let request_method = if preflight {
                request.insert("access-control-request-method", HeaderValue::from_static(method));
                if let Some(list) = headers.as_deref().and_then(|l| HeaderValue::from_str(l).ok()) {
                    request.insert("access-control-request-headers", list);
                }
                Method::OPTIONS
            } else {
                Method::from_bytes(method.as_bytes()).expect("method")
            };
            for (json, compiled) in TWINS {
                let loaded = loaded(json);
                prop_assert_eq!(
                    answer(loaded, &request_method, &request),
                    answer(compiled, &request_method, &request),
                    "{}", json
                );
            }
        }
    }

    /// The twins loaded once per process.
    fn loaded(json: &'static str) -> &'static Policy {
        use std::collections::HashMap;
        use std::sync::{Mutex, OnceLock};
        static LOADED: OnceLock<Mutex<HashMap<&'static str, &'static Policy>>> = OnceLock::new();
        let mut map = LOADED
            .get_or_init(Default::default)
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        map.entry(json)
            .or_insert_with(|| Box::leak(Box::new(Policy::from_json(json).expect("twin"))))
    }
}
