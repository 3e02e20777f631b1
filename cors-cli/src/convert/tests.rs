//! Every conversion that succeeds keeps every CORS answer: random small
//! policies in each source format are converted into every format, and the
//! source and the result are asked the same requests (preflights and actual
//! requests from origins, methods and headers drawn from the policies' own
//! values plus others, with and without credentials).

use proptest::prelude::*;

use super::{convert, Outcome};
use crate::answers::Subject;
use crate::format::{Format, Loaded};

const ORIGINS: &[&str] = &[
    "https://a.example.com",
    "https://b.example.com",
    "http://localhost:8080",
    "https://*.example.com",
    "http://localhost:*",
    "*",
    "https://*",
    "*.example.org",
    "https://*.example.org",
    "http://a.example.com",
    "http://localhost",
];
const METHODS: &[&str] = &["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "*"];
const HEADERS: &[&str] = &["x-a", "X-Api-Key", "authorization", "x-amz-*", "*"];
const EXPOSE: &[&str] = &["etag", "x-id", "*"];

/// Requests: origins as browsers send them.
pub(crate) const REQUEST_ORIGINS: &[&str] = &[
    "https://a.example.com",
    "https://b.example.com",
    "http://a.example.com",
    "http://localhost:8080",
    "http://localhost",
    "http://localhost:3000",
    "https://x.example.com",
    "https://x.y.example.com",
    "https://example.com",
    "https://x.example.org",
    "http://x.example.org",
    "https://x.example.org:8443",
    "https://a.example.com:8443",
    "https://other.test",
];
pub(crate) const REQUEST_METHODS: &[&str] =
    &["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"];
pub(crate) const REQUEST_HEADERS: &[&[&str]] = &[
    &[],
    &["x-a"],
    &["x-api-key"],
    &["authorization"],
    &["x-amz-meta"],
    &["x-other"],
    &["x-a", "authorization"],
];

pub(crate) const ALL: [Format; 9] = [
    Format::Json,
    Format::Toml,
    Format::S3Json,
    Format::S3Xml,
    Format::ApigwHttp,
    Format::ApigwOpenapi,
    Format::ApigwRest,
    Format::LambdaUrl,
    Format::Cloudfront,
];

/// One generated rule, as indices into the pools.
#[derive(Debug, Clone)]
pub(crate) struct RuleSpec {
    pub(crate) origins: Vec<usize>,
    pub(crate) methods: Vec<usize>,
    pub(crate) headers: Vec<usize>,
    pub(crate) expose: Vec<usize>,
    pub(crate) max_age: Option<i64>,
    pub(crate) credentials: bool,
}

fn rule_spec() -> impl Strategy<Value = RuleSpec> {
    (
        proptest::sample::subsequence((0..ORIGINS.len()).collect::<Vec<_>>(), 1..=3),
        proptest::sample::subsequence((0..METHODS.len()).collect::<Vec<_>>(), 1..=5),
        proptest::sample::subsequence((0..HEADERS.len()).collect::<Vec<_>>(), 0..=3),
        proptest::sample::subsequence((0..EXPOSE.len()).collect::<Vec<_>>(), 0..=2),
        prop_oneof![Just(None), Just(Some(0)), Just(Some(600)), Just(Some(-1))],
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(origins, mut methods, mut headers, expose, max_age, credentials, safelisted)| {
                // Half the rules list GET, HEAD and POST, which AWS formats
                // let through anyway; a `*` stands alone, as the DSL wants.
                if safelisted {
                    methods.retain(|&m| m > 2);
                    methods.splice(0..0, [0, 1, 2]);
                }
                let star = METHODS.len() - 1;
                if methods.contains(&star) {
                    methods = vec![star];
                }
                let star = HEADERS.len() - 1;
                if headers.contains(&star) {
                    headers = vec![star];
                }
                RuleSpec {
                    origins,
                    methods,
                    headers,
                    expose,
                    max_age,
                    credentials,
                }
            },
        )
}

/// A policy: one to three rules (AWS sources use the first), protection on
/// or off, and whether the later rules copy the first one's fields (so
/// that merging into one rule is tried).
pub(crate) fn policy_spec() -> impl Strategy<Value = (Vec<RuleSpec>, bool)> {
    (
        proptest::collection::vec(rule_spec(), 1..=3),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(mut rules, protection, same)| {
            if same {
                let first = rules[0].clone();
                for rule in rules.iter_mut().skip(1) {
                    *rule = RuleSpec {
                        origins: rule.origins.clone(),
                        ..first.clone()
                    };
                }
            }
            (rules, protection)
        })
}

fn strings(pool: &[&str], picks: &[usize]) -> Vec<String> {
    picks.iter().map(|&i| pool[i].to_owned()).collect()
}

/// `picks` without the values a format refuses, or `fallback` when none
/// is left.
fn keep(pool: &[&str], picks: &[usize], refused: &[&str], fallback: &[&str]) -> Vec<String> {
    let kept: Vec<String> = picks
        .iter()
        .map(|&i| pool[i])
        .filter(|value| !refused.contains(value))
        .map(str::to_owned)
        .collect();
    if kept.is_empty() {
        fallback.iter().map(|v| (*v).to_owned()).collect()
    } else {
        kept
    }
}

fn json_list(items: &[String]) -> String {
    serde_json::to_string(items).unwrap_or_default()
}

/// The DSL as JSON and TOML.
pub(crate) fn dsl(rules: &[RuleSpec], protection: bool) -> (String, String) {
    let mut json_rules = Vec::new();
    let mut toml = format!("cross_origin_protection = {protection}\n");
    for rule in rules {
        let refused: &[&str] = if rule.credentials {
            &["https://*", "*.example.org", "*", "http://a.example.com"]
        } else {
            &["https://*", "*.example.org"]
        };
        let origins = keep(ORIGINS, &rule.origins, refused, &["https://a.example.com"]);
        let mut fields = vec![
            ("allow_origins", json_list(&origins)),
            ("allow_methods", json_list(&strings(METHODS, &rule.methods))),
        ];
        if !rule.headers.is_empty() {
            fields.push(("allow_headers", json_list(&strings(HEADERS, &rule.headers))));
        }
        let refused: &[&str] = if rule.credentials { &["*"] } else { &[] };
        let expose = keep(EXPOSE, &rule.expose, refused, &[]);
        if !expose.is_empty() {
            fields.push(("expose_headers", json_list(&expose)));
        }
        if let Some(seconds) = rule.max_age.filter(|s| *s >= 0) {
            fields.push(("max_age", seconds.to_string()));
        }
        fields.push(("allow_credentials", rule.credentials.to_string()));
        let json: Vec<String> = fields
            .iter()
            .map(|(k, v)| format!("\"{k}\": {v}"))
            .collect();
        json_rules.push(format!("{{{}}}", json.join(", ")));
        toml.push_str("\n[[rules]]\n");
        for (key, value) in &fields {
            toml.push_str(&format!("{key} = {value}\n"));
        }
    }
    let json = format!(
        "{{\"cross_origin_protection\": {protection}, \"rules\": [{}]}}",
        json_rules.join(", ")
    );
    (json, toml)
}

/// S3 as JSON and XML.
pub(crate) fn s3(rules: &[RuleSpec]) -> (String, String) {
    let mut json_rules = Vec::new();
    let mut xml = String::from("<CORSConfiguration>");
    for rule in rules {
        let origins = strings(ORIGINS, &rule.origins);
        let methods = keep(METHODS, &rule.methods, &["PATCH", "*"], &["GET"]);
        let headers = strings(HEADERS, &rule.headers);
        let expose = keep(EXPOSE, &rule.expose, &["*"], &[]);
        let mut fields = vec![
            format!("\"AllowedOrigins\": {}", json_list(&origins)),
            format!("\"AllowedMethods\": {}", json_list(&methods)),
            format!("\"AllowedHeaders\": {}", json_list(&headers)),
            format!("\"ExposeHeaders\": {}", json_list(&expose)),
        ];
        xml.push_str("<CORSRule>");
        for (tag, values) in [
            ("AllowedOrigin", &origins),
            ("AllowedMethod", &methods),
            ("AllowedHeader", &headers),
            ("ExposeHeader", &expose),
        ] {
            for value in values {
                xml.push_str(&format!("<{tag}>{value}</{tag}>"));
            }
        }
        if let Some(seconds) = rule.max_age.filter(|s| *s >= 0) {
            fields.push(format!("\"MaxAgeSeconds\": {seconds}"));
            xml.push_str(&format!("<MaxAgeSeconds>{seconds}</MaxAgeSeconds>"));
        }
        xml.push_str("</CORSRule>");
        json_rules.push(format!("{{{}}}", fields.join(", ")));
    }
    xml.push_str("</CORSConfiguration>");
    (
        format!("{{\"CORSRules\": [{}]}}", json_rules.join(", ")),
        xml,
    )
}

/// The first rule as each AWS format (those whose service accepts it):
/// written as an HTTP API configuration, read, and written again by the
/// AWS crate's own writers.
pub(crate) fn aws(rule: &RuleSpec) -> Vec<(Format, String)> {
    // `*` beside `Authorization` is every header without credentials.
    let mut aws_headers = strings(HEADERS, &rule.headers);
    if aws_headers == ["*"] && rule.max_age == Some(0) {
        aws_headers.push("Authorization".into());
    }
    let mut fields = vec![
        format!(
            "\"AllowOrigins\": {}",
            json_list(&strings(ORIGINS, &rule.origins))
        ),
        format!(
            "\"AllowMethods\": {}",
            json_list(&strings(METHODS, &rule.methods))
        ),
        format!("\"AllowHeaders\": {}", json_list(&aws_headers)),
        format!(
            "\"ExposeHeaders\": {}",
            json_list(&strings(EXPOSE, &rule.expose))
        ),
        format!("\"AllowCredentials\": {}", rule.credentials),
    ];
    if let Some(seconds) = rule.max_age {
        fields.push(format!("\"MaxAge\": {seconds}"));
    }
    let http = format!("{{{}}}", fields.join(", "));
    let mut sources = Vec::new();
    // CloudFront reads `*.example.org`, which HTTP APIs refuse: try the
    // model with the wildcard too.
    let cors = cors_aws::read(cors_aws::Format::ApigwHttp, &http).ok();
    let mut models = Vec::new();
    if let Some(cors) = cors {
        models.push(cors);
    } else if let Ok(cors) = cors_aws::read(
        cors_aws::Format::ApigwHttp,
        &http.replace("*.example.org", "https://*"),
    ) {
        let mut cors = cors;
        for origin in &mut cors.allow_origins {
            if *origin == cors_aws::AwsOrigin::AnyWithScheme(cors_aws::Scheme::Https) {
                *origin = cors_aws::AwsOrigin::Subdomains {
                    scheme: None,
                    base: "example.org".into(),
                };
            }
        }
        models.push(cors);
    }
    for cors in models {
        for format in &ALL[4..] {
            let aws = format.aws().unwrap_or(cors_aws::Format::ApigwHttp);
            if let Ok(text) = cors_aws::write(aws, &cors) {
                sources.push((*format, text));
            }
        }
    }
    sources
}

fn subject(format: Format, text: &str) -> Option<Subject> {
    match format.read(text).ok()? {
        Loaded::Policy(policy) => Some(Subject::Policy(policy)),
        Loaded::Aws(_, cors) => Some(Subject::Aws(cors)),
    }
}

/// The first request the two subjects answer differently, if any.
fn difference(a: &Subject, b: &Subject) -> Option<String> {
    for origin in REQUEST_ORIGINS {
        for credentials in [false, true] {
            for method in REQUEST_METHODS {
                for headers in REQUEST_HEADERS {
                    let (x, y) = (
                        a.preflight_answer(origin, method, headers, credentials),
                        b.preflight_answer(origin, method, headers, credentials),
                    );
                    if x != y {
                        return Some(format!(
                            "preflight {origin} {method} {headers:?} credentials {credentials}: \
                             source {x:?}, converted {y:?}"
                        ));
                    }
                }
                // An actual request a browser would send.
                let sent = matches!(*method, "GET" | "HEAD" | "POST")
                    || a.preflight(origin, method, &[], credentials);
                if sent {
                    let (x, y) = (
                        a.actual(origin, method, credentials),
                        b.actual(origin, method, credentials),
                    );
                    if x != y {
                        return Some(format!(
                            "actual {origin} {method} credentials {credentials}: source {x:?}, \
                             converted {y:?}"
                        ));
                    }
                }
            }
        }
    }
    None
}

fn check_all(sources: Vec<(Format, String)>) -> Result<(), TestCaseError> {
    for (from, text) in sources {
        let Some(source) = subject(from, &text) else {
            continue;
        };
        for to in ALL {
            match convert(from, &text, to) {
                Outcome::Invalid(problems) => {
                    return Err(TestCaseError::fail(format!(
                        "{} read it but convert did not: {problems}\n{text}",
                        from.name()
                    )))
                }
                Outcome::Refused(_) => {}
                Outcome::Converted(converted, _) => {
                    let target = subject(to, &converted).ok_or_else(|| {
                        TestCaseError::fail(format!(
                            "{} -> {}: the result does not read back\n{text}\n{converted}",
                            from.name(),
                            to.name()
                        ))
                    })?;
                    if let Some(request) = difference(&source, &target) {
                        return Err(TestCaseError::fail(format!(
                            "{} -> {}: {request}\nsource:\n{text}\nconverted:\n{converted}",
                            from.name(),
                            to.name()
                        )));
                    }
                }
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn conversions_keep_every_answer((rules, protection) in policy_spec()) {
        let (json, toml) = dsl(&rules, protection);
        let (s3_json, s3_xml) = s3(&rules);
        let mut sources = vec![
            (Format::Json, json),
            (Format::Toml, toml),
            (Format::S3Json, s3_json),
            (Format::S3Xml, s3_xml),
        ];
        // The first rule alone, as the DSL's and S3's, so that one-rule
        // targets are tried more often.
        if rules.len() > 1 {
            let (one_json, one_toml) = dsl(&rules[..1], protection);
            let (one_s3_json, one_s3_xml) = s3(&rules[..1]);
            sources.push((Format::Json, one_json));
            sources.push((Format::Toml, one_toml));
            sources.push((Format::S3Json, one_s3_json));
            sources.push((Format::S3Xml, one_s3_xml));
        }
        sources.extend(aws(&rules[0]));
        check_all(sources)?;
    }
}
