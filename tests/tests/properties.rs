//! Property tests: `evaluate` and `evaluate_request` never panic on
//! arbitrary header bytes (the protection's headers included, repeated
//! ones too, and arbitrary paths for open paths), and `evaluate` agrees
//! with a plain, obviously-correct reference matcher written here from the
//! DSL's text (string comparisons, no hashing, no index), and with a
//! reference of the cross-origin protection written from the README's rules
//! for cross-origin writes (which writes are refused: `Sec-Fetch-Site`, `Host`,
//! `Cookie`, `Authorization`, method overrides, WebSocket handshakes).

use cors_runtime::{Policy, RequestKind};
use cors_tests::protection_table::{OPEN_API, SHOP, TIERED};
use cors_tests::*;
use http::{HeaderMap, HeaderValue, Method, Request};
use proptest::prelude::*;

/// A rule as the DSL spells it.
struct RefRule {
    origins: &'static [&'static str],
    methods: &'static [&'static str],
    headers: &'static [&'static str],
    credentials: bool,
}

const FULL_REF: &[RefRule] = &[RefRule {
    origins: &[
        "https://app.example.com",
        "https://*.example.com",
        "http://localhost:*",
    ],
    methods: &["GET", "POST", "PUT", "DELETE"],
    headers: &["content-type", "x-api-*"],
    credentials: true,
}];

const LAYERED_REF: &[RefRule] = &[
    RefRule {
        origins: &["https://app.example.com"],
        methods: &["GET"],
        headers: &[],
        credentials: false,
    },
    RefRule {
        origins: &["https://app.example.com", "https://*.example.net"],
        methods: &["PUT"],
        headers: &["x-a"],
        credentials: true,
    },
    RefRule {
        origins: &["https://app.example.com"],
        methods: &["PUT", "DELETE"],
        headers: &["x-a", "x-b"],
        credentials: false,
    },
    RefRule {
        origins: &["*"],
        methods: &["DELETE"],
        headers: &[],
        credentials: false,
    },
];

const DEEP_REF: &[RefRule] = &[RefRule {
    origins: &["https://*.a.example.com", "https://example.org"],
    methods: &["GET", "patch", "PATCH"],
    headers: &["x-*-token"],
    credentials: false,
}];

const PORTS_REF: &[RefRule] = &[RefRule {
    origins: &[
        "http://127.0.0.1:*",
        "https://example.com:8443",
        "http://[::1]:*",
    ],
    methods: &["GET"],
    headers: &[],
    credentials: false,
}];

const BUCKET_REF: &[RefRule] = &[
    RefRule {
        origins: &["*"],
        methods: &["GET", "HEAD"],
        headers: &[],
        credentials: false,
    },
    RefRule {
        origins: &["https://www.example.com"],
        methods: &["PUT", "POST", "DELETE"],
        headers: &["*"],
        credentials: false,
    },
];

/// The protection table's first-match policy: the page may `POST` without
/// credentials (rule 0) before it may with them (rule 1).
const TIERED_REF: &[RefRule] = &[
    RefRule {
        origins: &["https://app.example.com"],
        methods: &["GET", "POST"],
        headers: &[],
        credentials: false,
    },
    RefRule {
        origins: &["https://app.example.com"],
        methods: &["POST", "PUT", "DELETE"],
        headers: &[],
        credentials: true,
    },
    RefRule {
        origins: &["*"],
        methods: &["GET"],
        headers: &[],
        credentials: false,
    },
];

/// A public API: anyone may read and `POST`, never with credentials.
const OPEN_API_REF: &[RefRule] = &[RefRule {
    origins: &["*"],
    methods: &["GET", "POST"],
    headers: &[],
    credentials: false,
}];

fn policies() -> [(&'static Policy, &'static [RefRule]); 7] {
    [
        (&FULL, FULL_REF),
        (&LAYERED, LAYERED_REF),
        (&DEEP, DEEP_REF),
        (&PORTS, PORTS_REF),
        (&BUCKET, BUCKET_REF),
        (&TIERED, TIERED_REF),
        (&OPEN_API, OPEN_API_REF),
    ]
}

fn is_label(label: &str) -> bool {
    !label.is_empty()
        && label.len() <= 63
        && label
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

fn is_port(port: &str) -> bool {
    !port.is_empty()
        && !port.starts_with('0')
        && port.len() <= 5
        && port.bytes().all(|b| b.is_ascii_digit())
        && port.parse::<u32>().is_ok_and(|p| p <= 65535)
}

/// Does `origin` match `pattern`? Written from the DSL's definition.
fn origin_matches(pattern: &str, origin: &str) -> bool {
    if pattern == "*" {
        return true;
    }
    let (pattern, any_port) = match pattern.strip_suffix(":*") {
        Some(p) => (p, true),
        None => (pattern, false),
    };
    let origin = if any_port {
        match origin.rsplit_once(':') {
            Some((rest, port)) if !rest.ends_with('/') && !port.contains(']') && is_port(port) => {
                rest
            }
            _ => origin,
        }
    } else {
        origin
    };
    match pattern.split_once("://*.") {
        None => origin == pattern,
        Some((scheme, base)) => {
            let Some(host) = origin.strip_prefix(&format!("{scheme}://")) else {
                return false;
            };
            let Some(subdomains) = host.strip_suffix(&format!(".{base}")) else {
                return false;
            };
            subdomains.split('.').all(is_label)
        }
    }
}

fn header_allowed(patterns: &[&str], name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    patterns.iter().any(|p| match p.split_once('*') {
        None => *p == name,
        Some((prefix, suffix)) => {
            name.len() >= prefix.len() + suffix.len()
                && name.starts_with(prefix)
                && name.ends_with(suffix)
        }
    })
}

fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// The reference decision: `(kind, index of the allowing rule)`.
fn reference(
    rules: &[RefRule],
    method: &str,
    origin: Option<&str>,
    acrm: Option<&str>,
    acrh: Option<&str>,
) -> (RequestKind, Option<usize>) {
    let Some(origin) = origin else {
        return (RequestKind::NotCors, None);
    };
    let preflight = method == "OPTIONS" && acrm.is_some();
    let kind = if preflight {
        RequestKind::Preflight
    } else {
        RequestKind::Actual
    };
    let wanted_method = if preflight {
        acrm.unwrap_or_default()
    } else {
        method
    };
    if preflight && !is_token(wanted_method) {
        return (kind, None);
    }
    let mut names = Vec::new();
    if let (true, Some(list)) = (preflight, acrh) {
        let elements: Vec<&str> = list
            .split(',')
            .map(|e| e.trim_matches([' ', '\t']))
            .collect();
        let empty = elements.iter().filter(|e| e.is_empty()).count();
        if list.len() > 4096 || empty > 16 || elements.iter().any(|e| !e.is_empty() && !is_token(e))
        {
            return (kind, None);
        }
        names = elements.into_iter().filter(|e| !e.is_empty()).collect();
    }
    let matched = rules.iter().position(|rule| {
        rule.origins.iter().any(|p| origin_matches(p, origin))
            && rule.methods.contains(&wanted_method)
            && names
                .iter()
                .all(|n| rule.headers.contains(&"*") || header_allowed(rule.headers, n))
    });
    (kind, matched)
}

/// What a request carries besides its CORS headers, for the protection.
#[derive(Debug, Clone)]
struct Context {
    /// `Sec-Fetch-Site` values, each sent as its own header.
    sec_fetch_site: Vec<&'static str>,
    host: Option<&'static str>,
    cookie: bool,
    authorization: Option<&'static str>,
    /// A method-override header's name and value.
    method_override: Option<(&'static str, &'static str)>,
    websocket: bool,
}

impl Context {
    /// Whether the request carries a credential a browser attaches by
    /// itself: any `Cookie`, or an `Authorization` whose scheme is `Basic`,
    /// `Digest`, `Negotiate` or `NTLM` (schemes are case-insensitive).
    fn has_credentials(&self) -> bool {
        let scheme = |value: &str| {
            value
                .split([' ', '\t'])
                .find(|part| !part.is_empty())
                .unwrap_or_default()
                .to_ascii_lowercase()
        };
        self.cookie
            || self.authorization.is_some_and(|value| {
                ["basic", "digest", "negotiate", "ntlm"].contains(&scheme(value).as_str())
            })
    }
}

/// Whether `origin` is one a browser could send, by the DSL's text: a
/// lowercase scheme, `://`, a lowercase host (labels of `a-z 0-9 - _`, one
/// optional trailing dot) or a bracketed IPv6 address, and a canonical
/// port.
fn well_formed(origin: &str) -> bool {
    if origin.len() > 64 + 3 + 253 + 1 + 6 {
        return false;
    }
    let Some((scheme, rest)) = origin.split_once("://") else {
        return false;
    };
    let scheme_ok = scheme.len() <= 64
        && scheme.starts_with(|c: char| c.is_ascii_lowercase())
        && scheme
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"+.-".contains(&b));
    if !scheme_ok {
        return false;
    }
    let (host, port) = if let Some(inner) = rest.strip_prefix('[') {
        let Some((address, tail)) = inner.split_once(']') else {
            return false;
        };
        let address_ok = !address.is_empty()
            && address.len() <= 39
            && address
                .bytes()
                .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.');
        if !address_ok {
            return false;
        }
        (None, tail)
    } else {
        match rest.find(':') {
            Some(at) => (Some(&rest[..at]), &rest[at..]),
            None => (Some(rest), ""),
        }
    };
    if let Some(host) = host {
        let trimmed = host
            .strip_suffix('.')
            .filter(|h| !h.is_empty())
            .unwrap_or(host);
        if trimmed.len() > 253 || !trimmed.split('.').all(is_label) {
            return false;
        }
    }
    match port {
        "" => true,
        port => port.strip_prefix(':').is_some_and(is_port),
    }
}

/// The protection's verdict by the README's rules: whether the request is
/// refused.
fn reference_refuses(
    rules: &[RefRule],
    method: &str,
    origin: Option<&str>,
    context: &Context,
) -> bool {
    let websocket = method == "GET" && context.websocket && origin.is_some();
    if matches!(method, "GET" | "HEAD" | "OPTIONS") && !websocket {
        return false;
    }
    let cross_site_said = match context.sec_fetch_site.as_slice() {
        ["same-origin" | "none"] => return false,
        [] => false,
        // Any other value, an empty one, or the header sent twice.
        _ => true,
    };
    let Some(origin) = origin else {
        // A cross-site write without Origin is refused; with neither
        // header it is not a browser's.
        return cross_site_said;
    };
    if origin == "null" || !well_formed(origin) {
        // Same origin needs a parsable Origin; a cross-origin write from a
        // `null` or malformed one is refused.
        return true;
    }
    if !cross_site_said {
        let (_, authority) = origin.split_once("://").expect("well formed");
        let default = if origin.starts_with("https://") {
            ":443"
        } else {
            ":80"
        };
        let with_port = |a: &str| {
            if a.contains(':') {
                a.to_owned()
            } else {
                format!("{a}{default}")
            }
        };
        if let Some(host) = context.host {
            if with_port(host).eq_ignore_ascii_case(&with_port(authority)) {
                return false;
            }
        }
    }
    // The method the write is judged with (a handshake's is GET), then the
    // method-override header's.
    let judged = if websocket { "GET" } else { method };
    let overridden = match context.method_override {
        Some((_, value)) if !websocket => Some(value),
        _ => None,
    };
    let refuses_method = |method: &str| {
        if !is_token(method) || matches!(method, "CONNECT" | "TRACE" | "TRACK") {
            return true;
        }
        let rule = rules.iter().find(|rule| {
            rule.origins.iter().any(|p| origin_matches(p, origin)) && rule.methods.contains(&method)
        });
        match rule {
            None => true,
            Some(rule) => context.has_credentials() && !rule.credentials,
        }
    };
    refuses_method(judged) || overridden.is_some_and(refuses_method)
}

fn context_strategy() -> impl Strategy<Value = Context> {
    let site = prop::sample::select(vec![
        "same-origin",
        "same-site",
        "cross-site",
        "none",
        "",
        "Same-Origin",
    ]);
    let sites = prop_oneof![
        1 => Just(Vec::new()),
        3 => site.clone().prop_map(|site| vec![site]),
        1 => prop::collection::vec(site, 2..=2),
    ];
    let host = prop::option::of(prop::sample::select(vec![
        "app.example.com",
        "APP.example.com:443",
        "www.example.com",
        "localhost:3000",
        "example.com:8443",
        "evil.com",
    ]));
    let authorization = prop::option::of(prop::sample::select(vec![
        "Basic dTpw",
        "basic dTpw",
        "Digest a=1",
        "  NTLM x",
        "Negotiate x",
        "Bearer t",
        "Token basic",
        "Basicx",
    ]));
    let method_override = prop::option::weighted(
        0.3,
        (
            prop::sample::select(vec![
                "x-http-method-override",
                "x-http-method",
                "x-method-override",
            ]),
            prop::sample::select(vec![
                "DELETE",
                "PUT",
                "POST",
                "GET",
                "delete",
                "PATCH",
                "CONNECT",
                "bad value",
                "",
            ]),
        ),
    );
    (
        sites,
        host,
        prop::bool::ANY,
        authorization,
        method_override,
        prop::bool::ANY,
    )
        .prop_map(
            |(sec_fetch_site, host, cookie, authorization, method_override, websocket)| Context {
                sec_fetch_site,
                host,
                cookie,
                authorization,
                method_override,
                websocket,
            },
        )
}

fn origin_strategy() -> impl Strategy<Value = String> {
    let scheme = prop::sample::select(vec!["https", "http", "HTTPS", "ftp", ""]);
    let label = prop::sample::select(vec![
        "app",
        "www",
        "example",
        "com",
        "net",
        "org",
        "a",
        "b",
        "evil",
        "localhost",
        "127",
        "0",
        "1",
        "",
        "APP",
        "a_b",
        "x-y",
        "`",
        "%60",
    ]);
    let labels = prop::collection::vec(label, 1..6);
    let port = prop::sample::select(vec![
        "", ":8080", ":8443", ":0", ":443", ":08", ":99999", ":",
    ]);
    let tail = prop::sample::select(vec!["", "", "", "/", ".", "/.example.com"]);
    let special = prop::sample::select(vec![
        "null",
        "http://[::1]:3000",
        "http://127.0.0.1",
        "http://127.0.0.1:9",
    ]);
    let listed = prop::sample::select(vec![
        "https://app.example.com",
        "https://x.example.com",
        "https://a.b.example.net",
        "https://www.example.com",
        "http://localhost:3000",
        "http://localhost",
        "https://example.org",
        "https://q.a.example.com",
        "https://example.com:8443",
        "https://a.example.com",
    ]);
    prop_oneof![
        3 => listed.prop_map(str::to_owned),
        4 => (scheme, labels, port, tail).prop_map(|(s, l, p, t)| format!("{s}://{}{p}{t}", l.join("."))),
        1 => special.prop_map(str::to_owned),
    ]
}

/// Methods, with writes drawn more often so that the protection's
/// refinements (credentials, method overrides) come up.
fn method_strategy() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        2 => prop::sample::select(vec![
            "GET", "HEAD", "PUT", "POST", "DELETE", "PATCH", "patch", "OPTIONS", "get", "CONNECT",
        ]),
        1 => prop::sample::select(vec!["POST", "PUT", "DELETE"]),
    ]
}

fn acrh_strategy() -> impl Strategy<Value = Option<String>> {
    let name = prop::sample::select(vec![
        "content-type",
        "Content-Type",
        "x-api-key",
        "x-a",
        "x-b",
        "authorization",
        "x-amz-date",
        "x-csrf-token",
        "x--token",
        "bad name",
        "",
        " x-a ",
    ]);
    prop::option::of(
        (prop::collection::vec(name, 0..4), prop::bool::ANY)
            .prop_map(|(names, spaced)| names.join(if spaced { ", " } else { "," })),
    )
}

/// The request headers the evaluation reads, for the never-panics property.
const HEADER_NAMES: [&str; 12] = [
    "origin",
    "access-control-request-method",
    "access-control-request-headers",
    "sec-fetch-site",
    "host",
    "cookie",
    "authorization",
    "upgrade",
    "sec-websocket-version",
    "x-http-method-override",
    "x-http-method",
    "x-method-override",
];

/// Arbitrary bytes, or a value the protection reads specially.
fn header_value() -> impl Strategy<Value = Vec<u8>> {
    let known = prop::sample::select(vec![
        "websocket",
        "Upgrade, WebSocket",
        "same-origin",
        "cross-site",
        "none",
        "13",
        "Basic dTpw",
        "DELETE",
        "api.example.com",
        "https://app.example.com",
        "null",
        "",
    ]);
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..200),
        known.prop_map(|value| value.as_bytes().to_vec()),
    ]
}

proptest! {
    // Cheap cases: enough of them that the protection's rarer refinements
    // (credentials, method overrides) are reached.
    #![proptest_config(ProptestConfig::with_cases(10_000))]

    #[test]
    fn agrees_with_the_reference(
        which in 0usize..7,
        origin in prop::option::weighted(0.8, origin_strategy()),
        method in method_strategy(),
        acrm in prop::option::of(prop::sample::select(vec!["GET", "PUT", "DELETE", "PATCH", "patch", "POST", "HEAD", ""])),
        acrh in acrh_strategy(),
        context in context_strategy(),
    ) {
        let (policy, rules) = &policies()[which];
        let mut request = HeaderMap::new();
        if let Some(origin) = &origin {
            request.insert("origin", HeaderValue::from_str(origin).expect("ascii"));
        }
        if let Some(acrm) = acrm {
            request.insert("access-control-request-method", HeaderValue::from_static(acrm));
        }
        if let Some(acrh) = &acrh {
            request.insert("access-control-request-headers", HeaderValue::from_str(acrh).expect("ascii"));
        }
        for site in &context.sec_fetch_site {
            request.append("sec-fetch-site", HeaderValue::from_static(site));
        }
        if let Some(host) = context.host {
            request.insert("host", HeaderValue::from_static(host));
        }
        if context.cookie {
            request.insert("cookie", HeaderValue::from_static("session=1"));
        }
        if let Some(authorization) = context.authorization {
            request.insert("authorization", HeaderValue::from_static(authorization));
        }
        if let Some((name, value)) = context.method_override {
            request.insert(name, HeaderValue::from_static(value));
        }
        if context.websocket {
            request.insert("upgrade", HeaderValue::from_static("websocket"));
        }
        let method = Method::from_bytes(method.as_bytes()).expect("method");
        let decision = policy.evaluate(&method, &request);
        let refused = reference_refuses(rules, method.as_str(), origin.as_deref(), &context);
        prop_assert_eq!(decision.is_refused(), refused, "{:?} {:?}: {}", context, origin, decision);
        if !refused {
            let (kind, rule) = reference(rules, method.as_str(), origin.as_deref(), acrm, acrh.as_deref());
            prop_assert_eq!(decision.kind(), kind);
            prop_assert_eq!(decision.matched_rule().map(|r| r.index), rule, "{}", decision);
        }
    }

}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// The generators reach allowed requests often enough to mean something.
    #[test]
    fn generators_reach_allowed_requests(origins in prop::collection::vec(origin_strategy(), 200)) {
        let allowed = origins.iter().filter(|origin| {
            let mut request = HeaderMap::new();
            request.insert("origin", HeaderValue::from_str(origin).expect("ascii"));
            FULL.evaluate(&Method::GET, &request).is_allowed()
        }).count();
        prop_assert!(allowed >= 20, "only {} of 200 generated origins are allowed", allowed);
    }

    #[test]
    fn never_panics_on_arbitrary_bytes(
        which in 0usize..7,
        origin in prop::collection::vec(any::<u8>(), 0..300),
        headers in prop::collection::vec((prop::sample::select(&HEADER_NAMES[..]), header_value()), 0..12),
        method in prop_oneof![
            prop::sample::select(vec!["GET", "POST", "PUT", "CONNECT", "OPTIONS", "TRACE"]).prop_map(str::to_owned),
            "[A-Za-z]{1,10}",
        ],
        authority in prop::option::of(prop::sample::select(vec!["api.example.com", "API.example.com:443", "[::1]:8080", "u@api.example.com"])),
        path in "(/[a-zA-Z0-9%._*-]{0,8}){0,5}",
    ) {
        let policy = [&FULL, &LAYERED, &DEEP, &PORTS, &BUCKET, &SHOP, &TIERED][which];
        let mut request = HeaderMap::new();
        if let Ok(value) = HeaderValue::from_bytes(&origin) {
            request.insert("origin", value);
        }
        // Appended: a name drawn twice is sent twice.
        for (name, value) in headers {
            if let Ok(value) = HeaderValue::from_bytes(&value) {
                request.append(name, value);
            }
        }
        let uri = match authority {
            Some(authority) => format!("https://{authority}{path}"),
            None if path.is_empty() => "/".to_owned(),
            None => path,
        };
        let method = Method::from_bytes(method.as_bytes()).expect("method");
        for method in [method, Method::OPTIONS] {
            let built = Request::builder()
                .method(method.clone())
                .uri(&uri)
                .body(())
                .ok()
                .map(|mut built| {
                    *built.headers_mut() = request.clone();
                    built
                });
            let mut decisions = vec![policy.evaluate(&method, &request)];
            decisions.extend(built.as_ref().map(|built| policy.evaluate_request(built)));
            for decision in decisions {
                let mut response = HeaderMap::new();
                decision.apply(&mut response);
                let _ = decision.to_string();
                if !decision.is_allowed() {
                    prop_assert!(response.get("access-control-allow-origin").is_none());
                }
                if decision.is_refused() {
                    prop_assert_eq!(decision.preflight_status().map(|s| s.as_u16()), Some(403));
                }
            }
        }
    }
}
