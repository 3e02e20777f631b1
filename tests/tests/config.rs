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

mod protection_keys {
    //! `cross_origin_protection` and `open_paths`: the same policies written
    //! with `cors_policy!` (both forms) and loaded from JSON (a one-rule
    //! object, and an object with `rules` beside the keys), TOML (top-level
    //! keys with `[[rules]]`) and the environment decide every request of a
    //! set of writes alike, through `Policy::evaluate_request`.
    use super::*;
    use http::Request;

    cors_runtime::cors_policy! {
        static DEFAULT: Policy = {
            allow_origins: ["https://app.example.com"],
            allow_methods: [GET, POST],
        };

        static OFF: Policy = {
            allow_origins: ["https://app.example.com"],
            allow_methods: [GET, POST],
            cross_origin_protection: false,
        };

        static OPEN_ONE: Policy = {
            allow_origins: ["https://app.example.com"],
            allow_methods: [GET, POST],
            open_paths: ["/pay/callback", "/hooks/*"],
        };

        static OPEN_SEVERAL: Policy = {
            open_paths: ["/pay/callback", "/hooks/*"],
            rules: [
                { allow_origins: ["https://app.example.com"], allow_methods: [GET, POST, PUT], allow_credentials: true },
                { allow_origins: ["*"], allow_methods: [GET] },
            ],
        };
    }

    const ONE_RULE: &str =
        r#""allow_origins": ["https://app.example.com"], "allow_methods": ["GET", "POST"]"#;
    const TOML_ONE_RULE: &str =
        "allow_origins = [\"https://app.example.com\"]\nallow_methods = [\"GET\", \"POST\"]\n";
    const TOML_SEVERAL: &str = "open_paths = [\"/pay/callback\", \"/hooks/*\"]\n\n[[rules]]\nallow_origins = [\"https://app.example.com\"]\nallow_methods = [\"GET\", \"POST\", \"PUT\"]\nallow_credentials = true\n\n[[rules]]\nallow_origins = [\"*\"]\nallow_methods = [\"GET\"]\n";
    const JSON_SEVERAL: &str = r#"{"open_paths": ["/pay/callback", "/hooks/*"], "rules": [{"allow_origins": ["https://app.example.com"], "allow_methods": ["GET", "POST", "PUT"], "allow_credentials": true}, {"allow_origins": ["*"], "allow_methods": ["GET"]}]}"#;

    fn env(extra: &[(&str, &str)]) -> Policy {
        let mut variables = vec![
            ("CORS_ALLOW_ORIGINS", "https://app.example.com"),
            ("CORS_ALLOW_METHODS", "GET, POST"),
        ];
        variables.extend_from_slice(extra);
        Policy::from_env_vars(
            "CORS",
            variables
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned())),
        )
        .expect("env")
    }

    /// Each compiled policy with its run-time twins.
    fn twins() -> Vec<(&'static str, &'static Policy, Vec<Policy>)> {
        let json = |text: &str| Policy::from_json(text).expect(text);
        let toml = |text: &str| Policy::from_toml(text).expect(text);
        vec![
            (
                "default",
                &DEFAULT,
                vec![
                    json(&format!("{{{ONE_RULE}}}")),
                    json(&format!("[{{{ONE_RULE}}}]")),
                    toml(TOML_ONE_RULE),
                    env(&[]),
                ],
            ),
            (
                "off",
                &OFF,
                vec![
                    json(&format!(
                        r#"{{{ONE_RULE}, "cross_origin_protection": false}}"#
                    )),
                    json(&format!(
                        r#"{{"cross_origin_protection": false, "rules": [{{{ONE_RULE}}}]}}"#
                    )),
                    toml(&format!("cross_origin_protection = false\n{TOML_ONE_RULE}")),
                    toml(&format!(
                        "cross_origin_protection = false\n\n[[rules]]\n{TOML_ONE_RULE}"
                    )),
                    env(&[("CORS_CROSS_ORIGIN_PROTECTION", "false")]),
                ],
            ),
            (
                "open, one rule",
                &OPEN_ONE,
                vec![
                    json(&format!(
                        r#"{{{ONE_RULE}, "open_paths": ["/pay/callback", "/hooks/*"]}}"#
                    )),
                    toml(&format!(
                        "open_paths = [\"/pay/callback\", \"/hooks/*\"]\n{TOML_ONE_RULE}"
                    )),
                    env(&[("CORS_OPEN_PATHS", "/pay/callback, /hooks/*")]),
                ],
            ),
            (
                "open, several rules",
                &OPEN_SEVERAL,
                vec![json(JSON_SEVERAL), toml(TOML_SEVERAL)],
            ),
        ]
    }

    /// Writes and reads from several origins, to open paths and others,
    /// with and without `Sec-Fetch-Site` and cookies.
    fn requests() -> Vec<Request<()>> {
        let mut all = Vec::new();
        for method in ["POST", "PUT", "DELETE", "GET"] {
            for path in [
                "/pay/callback",
                "/pay/callback/",
                "/hooks/github",
                "/hooks/a/b",
                "/hooks",
                "/hooks/%2e%2e/admin",
                "/other",
            ] {
                for origin in [
                    None,
                    Some("https://app.example.com"),
                    Some("https://evil.example"),
                    Some("null"),
                ] {
                    for site in [None, Some("cross-site"), Some("same-origin")] {
                        for cookie in [false, true] {
                            let mut request = Request::builder()
                                .method(method)
                                .uri(format!("https://api.example.com{path}"));
                            if let Some(origin) = origin {
                                request = request.header("origin", origin);
                            }
                            if let Some(site) = site {
                                request = request.header("sec-fetch-site", site);
                            }
                            if cookie {
                                request = request.header("cookie", "session=1");
                            }
                            all.push(request.body(()).expect("request"));
                        }
                    }
                }
            }
        }
        all
    }

    fn verdict(policy: &Policy, request: &Request<()>) -> (String, bool, Option<u16>, HeaderMap) {
        let decision = policy.evaluate_request(request);
        let mut response = HeaderMap::new();
        decision.apply(&mut response);
        (
            decision.to_string(),
            decision.is_refused(),
            decision.preflight_status().map(|s| s.as_u16()),
            response,
        )
    }

    #[test]
    fn every_source_decides_writes_as_the_macro() {
        let requests = requests();
        let mut compared = 0;
        for (name, compiled, loaded) in twins() {
            for twin in &loaded {
                assert_eq!(
                    twin.cross_origin_protection(),
                    compiled.cross_origin_protection(),
                    "{name}"
                );
                for request in &requests {
                    assert_eq!(
                        verdict(twin, request),
                        verdict(compiled, request),
                        "{name}: {} {} {:?}",
                        request.method(),
                        request.uri(),
                        request.headers()
                    );
                    compared += 1;
                }
            }
        }
        assert!(compared >= 9_000, "{compared} requests");
    }

    fn cross_site(method: &str, path: &str) -> Request<()> {
        Request::builder()
            .method(method)
            .uri(format!("https://api.example.com{path}"))
            .header("origin", "https://evil.example")
            .header("sec-fetch-site", "cross-site")
            .body(())
            .expect("request")
    }

    #[test]
    fn turned_off_the_protection_no_longer_refuses_a_cross_site_post() {
        let post = cross_site("POST", "/transfer");
        assert!(DEFAULT.cross_origin_protection());
        assert!(DEFAULT.evaluate_request(&post).is_refused());
        assert!(!OFF.cross_origin_protection());
        assert!(!OFF.evaluate_request(&post).is_refused());
        for (name, _, loaded) in twins() {
            for policy in loaded {
                let refused = policy.evaluate_request(&post).is_refused();
                assert_eq!(refused, name != "off", "{name}");
            }
        }
    }

    #[test]
    fn an_open_path_exempts_a_cross_site_post_and_nothing_else() {
        for policy in [&OPEN_ONE, &OPEN_SEVERAL] {
            for path in ["/pay/callback", "/hooks/github", "/hooks/a/b"] {
                let request = cross_site("POST", path);
                let decision = policy.evaluate_request(&request);
                assert!(!decision.is_refused(), "{path}: {decision}");
            }
            for path in ["/other", "/hooks", "/pay/callback/", "/hooks/%2e%2e/admin"] {
                let request = cross_site("POST", path);
                let decision = policy.evaluate_request(&request);
                assert!(decision.is_refused(), "{path}: {decision}");
            }
            let put = cross_site("PUT", "/pay/callback");
            let put = policy.evaluate_request(&put);
            assert!(put.is_refused(), "{put}");
            // Without the path (`evaluate`), no path is open.
            let post = cross_site("POST", "/pay/callback");
            assert!(policy.evaluate(post.method(), post.headers()).is_refused());
        }
        let post = cross_site("POST", "/pay/callback");
        assert!(DEFAULT.evaluate_request(&post).is_refused());
    }
}
