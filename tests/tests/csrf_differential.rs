//! Differential test: our cross-origin protection against tower-http 0.7's
//! `CsrfLayer` (Go's `CrossOriginProtection` algorithm), given the same
//! trusted origins (the exact origins of our policy), on an enumerated
//! product of request features. Every disagreement must fall in a class
//! listed and explained in `docs/cross-origin-protection-vs-tower-http.md`;
//! an unknown one fails the test with the request printed, and every class
//! listed must occur (so the classifier cannot be vacuous).

use std::collections::BTreeMap;
use std::convert::Infallible;

use cors_runtime::{cors_policy, Attempt, Pass, Policy, RefusalReason};
use http::{Request, Response, StatusCode};
use tower::{service_fn, Layer, ServiceExt};
use tower_http::csrf::CsrfLayer;

cors_policy! {
    /// Exact and `*.` origins, with credentials.
    static CREDENTIALED: Policy = {
        allow_origins: ["https://app.example.com", "https://*.partner.example"],
        allow_methods: [GET, POST, PUT, DELETE],
        allow_credentials: true,
    };

    /// One exact origin, without credentials, two methods.
    static NO_CREDENTIALS: Policy = {
        allow_origins: ["https://app.example.com"],
        allow_methods: [GET, POST],
    };

    /// The page with credentials first, then anyone without.
    static WITH_STAR: Policy = [
        { allow_origins: ["https://app.example.com"],
          allow_methods: [GET, POST, PUT, DELETE, PATCH], allow_credentials: true },
        { allow_origins: ["*"], allow_methods: [GET, POST] },
    ];
}

/// The exact origins each policy lists: tower-http's trusted origins.
const TRUSTED: [&str; 1] = ["https://app.example.com"];

const METHODS: [&str; 8] = [
    "GET", "HEAD", "OPTIONS", "POST", "PUT", "DELETE", "PATCH", "CONNECT",
];
const SITES: [Option<&str>; 7] = [
    None,
    Some("same-origin"),
    Some("same-site"),
    Some("cross-site"),
    Some("none"),
    Some(""),
    Some("junk"),
];
/// `Origin` values; several values are sent as repeated headers.
const ORIGINS: [&[&str]; 8] = [
    &[],
    &["null"],
    &["https://api.example.com"],
    &["https://app.example.com"],
    &["https://evil.example"],
    &["https://a.partner.example"],
    &["not an origin"],
    &["https://app.example.com", "https://evil.example"],
];
const HOSTS: [Option<&str>; 4] = [
    None,
    Some("api.example.com"),
    Some("api.example.com:443"),
    Some("API.example.com"),
];
const AUTHORIZATIONS: [Option<&str>; 3] = [None, Some("Basic dTpw"), Some("Bearer t")];

/// One generated request's features.
#[derive(Debug, Clone, Copy)]
struct Features {
    method: &'static str,
    site: Option<&'static str>,
    origins: &'static [&'static str],
    host: Option<&'static str>,
    cookie: bool,
    authorization: Option<&'static str>,
    websocket: bool,
    method_override: bool,
}

impl Features {
    fn request(&self) -> Request<()> {
        let mut builder = Request::builder().method(self.method).uri("/orders");
        if let Some(site) = self.site {
            builder = builder.header("sec-fetch-site", site);
        }
        for origin in self.origins {
            builder = builder.header("origin", *origin);
        }
        if let Some(host) = self.host {
            builder = builder.header("host", host);
        }
        if self.cookie {
            builder = builder.header("cookie", "session=1");
        }
        if let Some(authorization) = self.authorization {
            builder = builder.header("authorization", authorization);
        }
        if self.websocket {
            builder = builder.header("upgrade", "websocket");
        }
        if self.method_override {
            builder = builder.header("x-http-method-override", "DELETE");
        }
        builder.body(()).expect("request")
    }
}

fn every_request() -> Vec<Features> {
    let mut all = Vec::new();
    for method in METHODS {
        for site in SITES {
            for origins in ORIGINS {
                for host in HOSTS {
                    for cookie in [false, true] {
                        for authorization in AUTHORIZATIONS {
                            for websocket in [false, true] {
                                for method_override in [false, true] {
                                    all.push(Features {
                                        method,
                                        site,
                                        origins,
                                        host,
                                        cookie,
                                        authorization,
                                        websocket,
                                        method_override,
                                    });
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    all
}

/// Why the two verdicts differ, from our decision's own reason and the
/// request's features; `None` for a disagreement no class explains.
fn classify(features: &Features, policy: &Policy) -> Option<&'static str> {
    let request = features.request();
    let decision = policy.evaluate_request(&request);
    if let Some(refusal) = decision.refusal() {
        // We refuse, tower-http lets it through.
        return Some(match (refusal.attempt, refusal.reason) {
            (Attempt::WebSocket, _) => "WebSocket handshakes are judged",
            (Attempt::Override { .. }, _) => "method overrides are judged",
            (_, RefusalReason::WithoutCredentials { .. }) => "the credentials refinement",
            (_, RefusalReason::NotAllowed(cors_runtime::Denial::MethodNotAllowed { .. })) => {
                "the method check"
            }
            (_, RefusalReason::ForbiddenMethod) => "the method check",
            (_, RefusalReason::MalformedOrigin(_)) if features.origins.len() > 1 => {
                "a repeated Origin is refused"
            }
            _ if features.site == Some("") => "an empty Sec-Fetch-Site counts as cross-site",
            _ => return None,
        });
    }
    // We let it through, tower-http refuses.
    match decision.pass() {
        Some(Pass::Allowed) => Some("origins a pattern allows, not only exact ones"),
        Some(Pass::SameAuthority) => Some("the Host comparison ignores case and default ports"),
        _ => None,
    }
}

#[tokio::test]
async fn disagreements_with_tower_http_csrf_fall_in_known_classes() {
    let mut layer = CsrfLayer::new();
    for origin in TRUSTED {
        layer = layer.add_trusted_origin(origin).expect("a trusted origin");
    }
    let service = layer.layer(service_fn(|_: Request<()>| async {
        Ok::<_, Infallible>(Response::new(()))
    }));
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut unknown = Vec::new();
    let mut requests = 0;
    let mut agreements = 0;
    let mut refused_by_both = 0;
    let policies: [(&str, &Policy); 3] = [
        ("credentialed", &CREDENTIALED),
        ("no credentials", &NO_CREDENTIALS),
        ("with a * rule", &WITH_STAR),
    ];
    let all = every_request();
    for (name, policy) in policies {
        for features in &all {
            requests += 1;
            let ours = policy.evaluate_request(&features.request()).is_refused();
            let response = service
                .clone()
                .oneshot(features.request())
                .await
                .expect("infallible");
            let theirs = response.status() == StatusCode::FORBIDDEN;
            if ours == theirs {
                agreements += 1;
                refused_by_both += usize::from(ours);
                continue;
            }
            match classify(features, policy) {
                Some(class) => *counts.entry(class).or_default() += 1,
                None if unknown.len() < 10 => unknown.push(format!(
                    "{name}: ours refused={ours}, tower-http refused={theirs}: {features:?}: {}",
                    policy.evaluate_request(&features.request())
                )),
                None => {}
            }
        }
    }
    println!("{requests} requests, {agreements} agreements ({refused_by_both} refused by both)");
    for (class, count) in &counts {
        println!("  {count:>6}  {class}");
    }
    assert!(
        unknown.is_empty(),
        "disagreements no class explains:\n{}",
        unknown.join("\n")
    );
    let expected = [
        "WebSocket handshakes are judged",
        "method overrides are judged",
        "the credentials refinement",
        "the method check",
        "a repeated Origin is refused",
        "an empty Sec-Fetch-Site counts as cross-site",
        "origins a pattern allows, not only exact ones",
        "the Host comparison ignores case and default ports",
    ];
    for class in expected {
        assert!(
            counts.get(class).is_some_and(|n| *n > 0),
            "class `{class}` never occurs"
        );
    }
    assert_eq!(counts.len(), expected.len(), "{counts:?}");
    assert!(
        refused_by_both > 1_000,
        "both sides refuse plenty: {refused_by_both}"
    );
    assert!(requests > 100_000);
}
