//! Differential test: our cross-origin protection against tower-http 0.7's
//! `CsrfLayer` (Go's `CrossOriginProtection` algorithm), given the same
//! trusted origins (the exact origins of our policy), on an enumerated
//! product of request features.
//!
//! Two checks run on every request. Our verdict must equal a model of
//! the README's rules for cross-origin writes written here from the request's features and the
//! policy's rules (so a class below can never hide a wrong verdict of
//! ours). Every disagreement with tower-http must fall in a class named by
//! [`classify`], again from the request's features; an unknown one fails the
//! test with the request printed, and every class must occur (so the
//! classifier cannot be vacuous). The classes are explained in
//! `docs/cross-origin-protection-vs-tower-http.md`.

use std::collections::BTreeMap;
use std::convert::Infallible;

use cors_runtime::{cors_policy, Policy};
use http::{Request, Response, StatusCode};
use tower::{service_fn, Layer, ServiceExt};
use tower_http::csrf::CsrfLayer;

cors_policy! {
    /// One exact origin without credentials, every write method.
    static NO_CREDENTIALS: Policy = {
        allow_origins: ["https://app.example.com"],
        allow_methods: [GET, POST, PUT, DELETE, PATCH],
    };

    /// An exact origin and a `*.` pattern, with credentials.
    static CREDENTIALED: Policy = {
        allow_origins: ["https://app.example.com", "https://*.partner.example"],
        allow_methods: [GET, POST, PUT, DELETE, PATCH],
        allow_credentials: true,
    };

    /// The page with credentials first, then anyone without.
    static WITH_STAR: Policy = [
        { allow_origins: ["https://app.example.com"],
          allow_methods: [GET, POST, PUT, DELETE, PATCH], allow_credentials: true },
        { allow_origins: ["*"], allow_methods: [GET, POST] },
    ];

    /// One exact origin with credentials, `GET` and `POST` only.
    static RESTRICTED_METHODS: Policy = {
        allow_origins: ["https://app.example.com"],
        allow_methods: [GET, POST],
        allow_credentials: true,
    };
}

/// A rule of a policy above, as the model reads it.
struct Rule {
    origins: &'static [&'static str],
    methods: &'static [&'static str],
    credentials: bool,
}

const WRITES: &[&str] = &["GET", "POST", "PUT", "DELETE", "PATCH"];

/// The policies, each with its rules restated for the model.
fn policies() -> [(&'static str, &'static Policy, Vec<Rule>); 4] {
    let app = &["https://app.example.com"][..];
    [
        (
            "no credentials",
            &NO_CREDENTIALS,
            vec![Rule {
                origins: app,
                methods: WRITES,
                credentials: false,
            }],
        ),
        (
            "credentialed",
            &CREDENTIALED,
            vec![Rule {
                origins: &["https://app.example.com", "https://*.partner.example"],
                methods: WRITES,
                credentials: true,
            }],
        ),
        (
            "with a * rule",
            &WITH_STAR,
            vec![
                Rule {
                    origins: app,
                    methods: WRITES,
                    credentials: true,
                },
                Rule {
                    origins: &["*"],
                    methods: &["GET", "POST"],
                    credentials: false,
                },
            ],
        ),
        (
            "restricted methods",
            &RESTRICTED_METHODS,
            vec![Rule {
                origins: app,
                methods: &["GET", "POST"],
                credentials: true,
            }],
        ),
    ]
}

/// The exact origins every policy lists: tower-http's trusted origins.
const TRUSTED: [&str; 1] = ["https://app.example.com"];

const METHODS: [&str; 8] = [
    "GET", "HEAD", "OPTIONS", "POST", "PUT", "DELETE", "PATCH", "CONNECT",
];
/// `Sec-Fetch-Site` values; several values are sent as repeated headers.
const SITES: [&[&str]; 8] = [
    &[],
    &["same-origin"],
    &["same-site"],
    &["cross-site"],
    &["none"],
    &[""],
    &["junk"],
    &["same-origin", "cross-site"],
];
/// `Origin` values; several values are sent as repeated headers.
const ORIGINS: [&[&str]; 11] = [
    &[],
    &["null"],
    &["https://api.example.com"],
    &["https://api.example.com:443"],
    &["ftp://api.example.com"],
    &["https://app.example.com"],
    &["https://evil.example"],
    &["https://a.partner.example"],
    &["not an origin"],
    &[""],
    &["https://app.example.com", "https://evil.example"],
];
const HOSTS: [Option<&str>; 5] = [
    None,
    Some("api.example.com"),
    Some("api.example.com:443"),
    Some("API.example.com"),
    Some("api.example.com:8443"),
];
const AUTHORIZATIONS: [Option<&str>; 3] = [None, Some("Basic dTpw"), Some("Bearer t")];

/// One generated request's features.
#[derive(Debug, Clone, Copy)]
struct Features {
    method: &'static str,
    sites: &'static [&'static str],
    origins: &'static [&'static str],
    host: Option<&'static str>,
    cookie: bool,
    authorization: Option<&'static str>,
    /// `Upgrade: websocket` and `Sec-WebSocket-Version: 13`.
    websocket: bool,
    /// `X-HTTP-Method-Override: DELETE`.
    method_override: bool,
}

impl Features {
    fn request(&self) -> Request<()> {
        let mut builder = Request::builder().method(self.method).uri("/orders");
        for site in self.sites {
            builder = builder.header("sec-fetch-site", *site);
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
            builder = builder
                .header("upgrade", "websocket")
                .header("sec-websocket-version", "13");
        }
        if self.method_override {
            builder = builder.header("x-http-method-override", "DELETE");
        }
        builder.body(()).expect("request")
    }

    /// A WebSocket handshake: `GET` with `Upgrade: websocket` and an
    /// `Origin`, or `CONNECT` with `Sec-WebSocket-Version`.
    fn is_handshake(&self) -> bool {
        self.websocket
            && (self.method == "CONNECT" || (self.method == "GET" && !self.origins.is_empty()))
    }

    /// The method the protection judges the request as, if it judges it.
    fn judged_method(&self) -> Option<&'static str> {
        if self.is_handshake() {
            Some("GET")
        } else if matches!(self.method, "GET" | "HEAD" | "OPTIONS") {
            None
        } else {
            Some(self.method)
        }
    }

    /// Carries a credential a browser attaches by itself.
    fn is_credentialed(&self) -> bool {
        self.cookie || self.authorization.is_some_and(|a| a.starts_with("Basic "))
    }

    /// The one `Origin`, if it is sent once and well-formed: a lowercase
    /// scheme, `://` and an authority (no space, no path).
    fn origin(&self) -> Option<&'static str> {
        let [origin] = self.origins else {
            return None;
        };
        let (scheme, authority) = origin.split_once("://")?;
        let well_formed = !scheme.is_empty()
            && scheme.bytes().all(|b| b.is_ascii_lowercase())
            && !authority.is_empty()
            && !authority.contains([' ', '/']);
        well_formed.then_some(origin)
    }

    /// No `Sec-Fetch-Site`, and the `Origin`'s host and port equal `Host`'s
    /// ASCII-case-insensitively, the scheme's default port (if it has one)
    /// removed on both sides.
    fn is_same_authority(&self) -> bool {
        let ([], Some(origin), Some(host)) = (self.sites, self.origin(), self.host) else {
            return false;
        };
        let Some((scheme, authority)) = origin.split_once("://") else {
            return false;
        };
        let default = match scheme {
            "https" => ":443",
            "http" => ":80",
            _ => "",
        };
        let normal = |authority: &str| {
            let lower = authority.to_ascii_lowercase();
            lower.strip_suffix(default).unwrap_or(&lower).to_owned()
        };
        normal(authority) == normal(host)
    }
}

fn every_request() -> Vec<Features> {
    let mut all = Vec::new();
    for method in METHODS {
        for sites in SITES {
            for origins in ORIGINS {
                for host in HOSTS {
                    for cookie in [false, true] {
                        for authorization in AUTHORIZATIONS {
                            for websocket in [false, true] {
                                for method_override in [false, true] {
                                    all.push(Features {
                                        method,
                                        sites,
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

/// Whether `pattern` (exact, `*`, or `https://*.suffix`) allows `origin`.
fn allows(pattern: &str, origin: &str) -> bool {
    match pattern.strip_prefix("https://*.") {
        _ if pattern == "*" || pattern == origin => true,
        Some(suffix) => origin
            .strip_prefix("https://")
            .and_then(|host| host.strip_suffix(suffix))
            .is_some_and(|label| label.len() > 1 && label.ends_with('.')),
        None => false,
    }
}

/// The first rule whose origins and methods match.
fn matching_rule<'r>(rules: &'r [Rule], origin: &str, method: &str) -> Option<&'r Rule> {
    rules.iter().find(|rule| {
        rule.origins.iter().any(|pattern| allows(pattern, origin)) && rule.methods.contains(&method)
    })
}

/// Why a cross-origin write from a well-formed origin fails the policy.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Failure {
    /// No rule allows the method the request is judged with.
    Method,
    /// The matching rule lacks credentials and the request carries some.
    Credentials,
    /// The method override's method fails either way.
    Override,
}

/// How the policy judges a cross-origin write from `origin`.
fn policy_failure(features: &Features, rules: &[Rule], origin: &str) -> Option<Failure> {
    let judge = |method: &str, failure_kind: Option<Failure>| {
        if method == "CONNECT" {
            return Some(failure_kind.unwrap_or(Failure::Method));
        }
        match matching_rule(rules, origin, method) {
            None => Some(failure_kind.unwrap_or(Failure::Method)),
            Some(rule) if features.is_credentialed() && !rule.credentials => {
                Some(failure_kind.unwrap_or(Failure::Credentials))
            }
            Some(_) => None,
        }
    };
    let own = features.judged_method()?;
    judge(own, None).or_else(|| {
        if features.method_override && !features.is_handshake() {
            judge("DELETE", Some(Failure::Override))
        } else {
            None
        }
    })
}

/// The verdict of the README's rules for cross-origin writes for the request, from its features alone: refused or not.
fn design_refuses(features: &Features, rules: &[Rule]) -> bool {
    if features.judged_method().is_none() {
        return false;
    }
    match features.sites {
        ["same-origin" | "none"] => return false,
        [] if features.origins.is_empty() || features.is_same_authority() => return false,
        _ => {}
    }
    match features.origin() {
        None => true,
        Some(origin) => policy_failure(features, rules, origin).is_some(),
    }
}

/// The class of a disagreement with tower-http, from the request's features
/// (our verdict already equals [`design_refuses`]); `None` when no class
/// explains it.
fn classify(features: &Features, rules: &[Rule], ours_refused: bool) -> Option<&'static str> {
    if ours_refused {
        // tower-http lets it through: a GET, the first of two headers, an
        // empty Origin or Sec-Fetch-Site read as absent, or a trusted origin.
        return Some(match features.sites {
            _ if features.method == "GET" && features.is_handshake() => {
                "WebSocket handshakes are judged"
            }
            _ if features.origins.len() > 1 => "a repeated Origin is refused",
            _ if features.origins == [""] => "an empty Origin is malformed, not absent",
            [""] => "an empty Sec-Fetch-Site counts as cross-site",
            [_, _, ..] => "a repeated Sec-Fetch-Site counts as cross-site",
            _ => match features.origin().filter(|origin| TRUSTED.contains(origin)) {
                Some(origin) => match policy_failure(features, rules, origin)? {
                    Failure::Method => "the method check",
                    Failure::Credentials => "the credentials refinement",
                    Failure::Override => "method overrides are judged",
                },
                None => return None,
            },
        });
    }
    // We let it through, tower-http refuses.
    if features.is_same_authority() {
        return Some(if features.origin()?.starts_with("https://") {
            "the Host comparison ignores case and default ports"
        } else {
            "the Host comparison reads any scheme's host and port"
        });
    }
    let origin = features
        .origin()
        .filter(|origin| !TRUSTED.contains(origin))?;
    let rule = matching_rule(rules, origin, features.judged_method()?)?;
    Some(if rule.origins.contains(&"*") {
        "an origin only a `*` rule allows may write without credentials"
    } else {
        "a `*.` pattern's origins are trusted, not only exact ones"
    })
}

/// The classes of disagreement, each of which must occur.
const CLASSES: [&str; 12] = [
    "WebSocket handshakes are judged",
    "a repeated Origin is refused",
    "an empty Origin is malformed, not absent",
    "an empty Sec-Fetch-Site counts as cross-site",
    "a repeated Sec-Fetch-Site counts as cross-site",
    "the method check",
    "the credentials refinement",
    "method overrides are judged",
    "the Host comparison ignores case and default ports",
    "the Host comparison reads any scheme's host and port",
    "an origin only a `*` rule allows may write without credentials",
    "a `*.` pattern's origins are trusted, not only exact ones",
];

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
    let mut unexplained = Vec::new();
    let mut unexplained_count = 0;
    let (mut requests, mut agreements, mut refused_by_both) = (0, 0, 0);
    let all = every_request();
    for (name, policy, rules) in policies() {
        for features in &all {
            requests += 1;
            let ours = policy.evaluate_request(&features.request()).is_refused();
            let response = service
                .clone()
                .oneshot(features.request())
                .await
                .expect("infallible");
            let theirs = response.status() == StatusCode::FORBIDDEN;
            let class = if ours != design_refuses(features, &rules) {
                Err("our verdict differs from the rules' model")
            } else if ours == theirs {
                agreements += 1;
                refused_by_both += usize::from(ours);
                continue;
            } else {
                classify(features, &rules, ours).ok_or("no class explains it")
            };
            match class {
                Ok(class) => *counts.entry(class).or_default() += 1,
                Err(why) => {
                    unexplained_count += 1;
                    if unexplained.len() < 10 {
                        let request = features.request();
                        let decision = policy.evaluate_request(&request);
                        unexplained.push(format!(
                            "{why}: {name}: ours refused={ours}, tower-http refused={theirs}: \
                             {features:?}: {decision}"
                        ));
                    }
                }
            }
        }
    }
    println!("{requests} requests, {agreements} agreements ({refused_by_both} refused by both)");
    for class in CLASSES {
        println!("  {:>6}  {class}", counts.get(class).copied().unwrap_or(0));
    }
    assert!(
        unexplained.is_empty(),
        "{unexplained_count} unexplained requests, the first ones:\n{}",
        unexplained.join("\n")
    );
    for class in CLASSES {
        assert!(
            counts.get(class).is_some_and(|n| *n > 0),
            "class `{class}` never occurs"
        );
    }
    assert_eq!(counts.len(), CLASSES.len(), "{counts:?}");
    assert_eq!(
        agreements + counts.values().sum::<usize>(),
        requests,
        "every request is an agreement or a classified disagreement"
    );
    assert!(
        refused_by_both > 10_000,
        "both refuse plenty: {refused_by_both}"
    );
    assert!(requests > 200_000);
}
