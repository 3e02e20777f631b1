//! Each service's limits and refusals, and the one check that applies
//! them. Readers turn a document into [`Raw`] strings with their paths;
//! writers spell the model as the same strings, with the target's paths;
//! both run [`build`], so a writer refuses exactly what the reader of its
//! output would refuse, with the same messages.

use cors_grammar::{is_token, quote};

use crate::error::{ProblemKind, Problems};
use crate::json::{key_path, Item};
use crate::model::{AwsCors, AwsOrigin, Headers, Methods, Scheme};
use crate::origin;

/// The methods API Gateway (HTTP and REST) names, `*` aside.
const APIGW_METHODS: &[&str] = &["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

/// The methods a Lambda function URL accepts, `*` aside (CloudFormation's
/// list; `OPTIONS` is refused).
const LAMBDA_METHODS: &[&str] = &["GET", "PUT", "HEAD", "POST", "PATCH", "DELETE"];

/// CloudFront's method enum without `ALL`, in the API model's order.
pub(crate) const CLOUDFRONT_METHODS: &[&str] =
    &["GET", "POST", "OPTIONS", "PUT", "DELETE", "PATCH", "HEAD"];

/// One service's limits and refusals.
#[derive(Debug)]
pub(crate) struct Rules {
    /// The service, as messages name it.
    pub(crate) service: &'static str,
    /// The origin forms it accepts, as messages list them.
    pub(crate) origin_forms: &'static str,
    /// Whether `http://*` and `https://*` are accepted.
    pub(crate) scheme_wildcards: bool,
    /// Whether `*.base` (no scheme) is accepted.
    pub(crate) subdomains: bool,
    /// The most origins, and the longest origin in characters.
    pub(crate) max_origins: Option<usize>,
    pub(crate) origin_len: Option<usize>,
    /// The methods accepted, besides the spelling of "any".
    pub(crate) methods: &'static [&'static str],
    /// How "any method" is spelt (`*`), if the service has it.
    pub(crate) any_method: Option<&'static str>,
    /// CloudFront's `ALL`: a shorthand for every method of `methods`.
    pub(crate) all_methods: Option<&'static str>,
    /// The most methods.
    pub(crate) max_methods: Option<usize>,
    /// The most headers per list, and the longest header.
    pub(crate) max_headers: Option<usize>,
    pub(crate) header_len: Option<usize>,
    /// Whether `*` in the allowed headers may go with credentials.
    pub(crate) any_header_with_credentials: bool,
    /// Whether the allowed headers may be empty.
    pub(crate) empty_allow_headers: bool,
    /// The max age's range.
    pub(crate) max_age: (i64, i64),
    /// Whether `OriginOverride: false` can be held.
    pub(crate) origin_override_false: bool,
}

/// API Gateway HTTP APIs (`apigw-http` and `apigw-openapi`).
pub(crate) const HTTP_API: Rules = Rules {
    service: "API Gateway HTTP APIs",
    origin_forms: "an exact origin, `*`, `http://*` or `https://*`",
    scheme_wildcards: true,
    subdomains: false,
    max_origins: None,
    origin_len: None,
    methods: APIGW_METHODS,
    any_method: Some("*"),
    all_methods: None,
    max_methods: None,
    max_headers: None,
    header_len: None,
    any_header_with_credentials: true,
    empty_allow_headers: true,
    max_age: (-1, 86_400),
    origin_override_false: false,
};

/// API Gateway REST APIs (`apigw-rest`): one static header value each.
pub(crate) const REST_API: Rules = Rules {
    service: "API Gateway REST API mock integrations",
    origin_forms: "one exact origin or `*` (a static header value)",
    scheme_wildcards: false,
    subdomains: false,
    max_origins: Some(1),
    origin_len: None,
    methods: APIGW_METHODS,
    any_method: Some("*"),
    all_methods: None,
    max_methods: None,
    max_headers: None,
    header_len: None,
    any_header_with_credentials: true,
    empty_allow_headers: true,
    max_age: (0, i32::MAX as i64),
    origin_override_false: false,
};

/// Lambda function URLs (`lambda-url`).
pub(crate) const LAMBDA_URL: Rules = Rules {
    service: "Lambda function URLs",
    origin_forms: "an exact origin or `*`",
    scheme_wildcards: false,
    subdomains: false,
    max_origins: Some(100),
    origin_len: Some(253),
    methods: LAMBDA_METHODS,
    any_method: Some("*"),
    all_methods: None,
    max_methods: Some(6),
    max_headers: Some(100),
    header_len: Some(1024),
    any_header_with_credentials: true,
    empty_allow_headers: true,
    max_age: (0, 86_400),
    origin_override_false: false,
};

/// CloudFront response headers policies (`cloudfront`).
pub(crate) const CLOUDFRONT: Rules = Rules {
    service: "CloudFront response headers policies",
    origin_forms: "an exact origin, `*`, or `*.` as the whole leftmost label of a host \
                   without a scheme (`*.example.org`)",
    scheme_wildcards: false,
    subdomains: true,
    max_origins: None,
    origin_len: None,
    methods: CLOUDFRONT_METHODS,
    any_method: None,
    all_methods: Some("ALL"),
    max_methods: None,
    max_headers: None,
    header_len: None,
    any_header_with_credentials: false,
    empty_allow_headers: false,
    max_age: (0, i32::MAX as i64),
    origin_override_false: true,
};

/// A list field: its path and its strings.
#[derive(Debug, Default)]
pub(crate) struct List {
    pub(crate) path: String,
    pub(crate) items: Vec<Item>,
}

/// What a document says, before any check: strings with their paths.
#[derive(Debug, Default)]
pub(crate) struct Raw {
    pub(crate) origins: List,
    pub(crate) methods: List,
    pub(crate) headers: List,
    pub(crate) expose: List,
    /// The max age and its path.
    pub(crate) max_age: Option<(String, i128)>,
    /// Credentials and the path of their field.
    pub(crate) credentials: (String, bool),
    /// CloudFront's `OriginOverride` and its path.
    pub(crate) origin_override: Option<(String, bool)>,
}

/// Names of a format's fields, for writers' paths.
pub(crate) struct Fields {
    pub(crate) origins: &'static str,
    pub(crate) methods: &'static str,
    pub(crate) headers: &'static str,
    pub(crate) expose: &'static str,
    pub(crate) max_age: &'static str,
    pub(crate) credentials: &'static str,
    pub(crate) origin_override: &'static str,
    /// What follows a list's path before the index (`.Items` in
    /// CloudFront).
    pub(crate) items: &'static str,
}

/// The model spelt as strings, with paths named after `fields`: what a
/// writer checks with [`build`] and then emits.
pub(crate) fn spell(cors: &AwsCors, fields: &Fields, prefix: &str) -> Raw {
    let list = |name: &str, values: Vec<String>| {
        let path = key_path(prefix, name);
        let base = format!("{path}{}", fields.items);
        List {
            path,
            items: values
                .into_iter()
                .enumerate()
                .map(|(index, value)| Item {
                    path: format!("{base}[{index}]"),
                    value,
                })
                .collect(),
        }
    };
    let headers = |headers: &Headers| {
        let star = headers.any.then(|| "*".to_owned());
        star.into_iter()
            .chain(headers.names.iter().cloned())
            .collect()
    };
    let methods = match &cors.allow_methods {
        Methods::Any => vec!["*".to_owned()],
        Methods::List(names) => names.clone(),
    };
    Raw {
        origins: list(
            fields.origins,
            cors.allow_origins.iter().map(ToString::to_string).collect(),
        ),
        methods: list(fields.methods, methods),
        headers: list(fields.headers, headers(&cors.allow_headers)),
        expose: list(fields.expose, headers(&cors.expose_headers)),
        max_age: cors
            .max_age
            .map(|age| (key_path(prefix, fields.max_age), i128::from(age))),
        credentials: (key_path(prefix, fields.credentials), cors.allow_credentials),
        origin_override: cors
            .origin_override
            .map(|value| (key_path(prefix, fields.origin_override), value)),
    }
}

/// A writer's check: [`build`] on the model spelt for the target, and then
/// the model that text would read back as compared with the model given,
/// so that a value spelt like another (an exact origin `"*"`, a method
/// named `*`, a header named `*`, CloudFront's `ALL` in a list) is refused
/// instead of silently changing on the way back.
pub(crate) fn check_written(cors: &AwsCors, raw: &Raw, rules: &Rules, problems: &mut Problems) {
    let before = problems.total();
    let back = build(raw, rules, problems);
    if problems.total() > before {
        return;
    }
    let changed = |spelt: &str, back: String, given: String| {
        format!(
            "`{}` would read back as `{}`, not as the `{}` given; write the value in the \
             form it reads back as",
            quote(spelt),
            quote(&back),
            quote(&given)
        )
    };
    for ((item, back), given) in raw
        .origins
        .items
        .iter()
        .zip(&back.allow_origins)
        .zip(&cors.allow_origins)
    {
        if back != given {
            problems.push(
                ProblemKind::Origin,
                &item.path,
                changed(&item.value, format!("{back:?}"), format!("{given:?}")),
            );
        }
    }
    let lists = [
        (
            &raw.methods,
            ProblemKind::Method,
            format!("{:?}", back.allow_methods),
            format!("{:?}", cors.allow_methods),
        ),
        (
            &raw.headers,
            ProblemKind::Header,
            format!("{:?}", back.allow_headers),
            format!("{:?}", cors.allow_headers),
        ),
        (
            &raw.expose,
            ProblemKind::Header,
            format!("{:?}", back.expose_headers),
            format!("{:?}", cors.expose_headers),
        ),
    ];
    for (list, kind, back, given) in lists {
        if back != given {
            let spelt: Vec<&str> = list.items.iter().map(|i| i.value.as_str()).collect();
            problems.push(kind, &list.path, changed(&spelt.join(","), back, given));
        }
    }
}

/// Applies `rules` to what a document says; every problem goes to
/// `problems`, and the model is meaningful only when none was found.
pub(crate) fn build(raw: &Raw, rules: &Rules, problems: &mut Problems) -> AwsCors {
    let credentials = raw.credentials.1;
    let allow_origins = origins(&raw.origins, rules, credentials, problems);
    let allow_methods = methods(&raw.methods, rules, problems);
    let allow_headers = headers(&raw.headers, rules, credentials, false, problems);
    let expose_headers = headers(&raw.expose, rules, credentials, true, problems);
    let max_age = raw.max_age.as_ref().and_then(|(path, age)| {
        let (low, high) = rules.max_age;
        if (i128::from(low)..=i128::from(high)).contains(age) {
            i32::try_from(*age).ok()
        } else {
            let hint = if *age == -1 {
                " (only API Gateway HTTP APIs accept -1); leave the max age out instead"
            } else {
                ""
            };
            problems.push(
                ProblemKind::MaxAge,
                path,
                format!(
                    "max age {age} is out of range: {} accept {low} to {high} seconds{hint}",
                    rules.service
                ),
            );
            None
        }
    });
    let origin_override = match &raw.origin_override {
        Some((path, false)) if !rules.origin_override_false => {
            problems.push(
                ProblemKind::Unsupported,
                path,
                format!(
                    "{} always replace the CORS headers of the backend with their own, so \
                     `OriginOverride: false` (the backend's headers win) cannot be held; only \
                     CloudFront has it",
                    rules.service
                ),
            );
            None
        }
        Some((_, value)) if rules.origin_override_false => Some(*value),
        _ => None,
    };
    AwsCors {
        allow_origins,
        allow_methods,
        allow_headers,
        expose_headers,
        max_age,
        allow_credentials: credentials,
        origin_override,
    }
}

fn too_many(list: &List, max: Option<usize>, what: &str, rules: &Rules, problems: &mut Problems) {
    if let Some(max) = max {
        if list.items.len() > max {
            let (count, extra) = if max == 1 {
                (format!("one {}", what.trim_end_matches('s')), " (several origins need a template that echoes the request's origin, which is not a static configuration)")
            } else {
                (format!("at most {max} {what}"), "")
            };
            problems.push(
                ProblemKind::Limit,
                &list.path,
                format!(
                    "{} accept {count}{extra}; this list has {}: remove {}",
                    rules.service,
                    list.items.len(),
                    list.items.len() - max
                ),
            );
        }
    }
}

fn too_long(item: &Item, max: Option<usize>, what: &str, rules: &Rules, problems: &mut Problems) {
    let len = item.value.chars().count();
    if let Some(max) = max {
        if len > max {
            problems.push(
                ProblemKind::Limit,
                &item.path,
                format!(
                    "{what} `{}` is {len} characters long; {} accept at most {max}",
                    quote(&item.value),
                    rules.service
                ),
            );
        }
    }
}

fn duplicate(item: &Item, first: &Item, what: &str, problems: &mut Problems) {
    problems.push(
        ProblemKind::Duplicate,
        &item.path,
        format!(
            "{what} `{}` is already listed at `{}`; remove one",
            quote(&item.value),
            first.path
        ),
    );
}

fn origins(
    list: &List,
    rules: &Rules,
    credentials: bool,
    problems: &mut Problems,
) -> Vec<AwsOrigin> {
    too_many(list, rules.max_origins, "origins", rules, problems);
    let mut out = Vec::with_capacity(list.items.len());
    let mut seen = std::collections::HashMap::new();
    for item in &list.items {
        if item.value.is_empty() {
            problems.push(
                ProblemKind::Origin,
                &item.path,
                format!(
                    "an origin cannot be empty; {} accept {}",
                    rules.service, rules.origin_forms
                ),
            );
            continue;
        }
        too_long(item, rules.origin_len, "origin", rules, problems);
        if let Some(first) = seen.insert(item.value.as_str(), item) {
            duplicate(item, first, "origin", problems);
            continue;
        }
        let origin = match parse_origin(&item.value, rules) {
            Ok(origin) => origin,
            Err(message) => {
                problems.push(ProblemKind::Origin, &item.path, message);
                continue;
            }
        };
        if credentials {
            match &origin {
                AwsOrigin::Any => problems.push(
                    ProblemKind::Credentials,
                    &item.path,
                    "`*` (any origin) cannot go with allowed credentials: browsers refuse \
                     credentials with `Access-Control-Allow-Origin: *`, and answering every \
                     origin with credentials would hand any site the user's session; list the \
                     origins that need credentials, or turn credentials off"
                        .to_owned(),
                ),
                AwsOrigin::AnyWithScheme(scheme) => problems.push(
                    ProblemKind::Credentials,
                    &item.path,
                    format!(
                        "`{}://*` (any {} origin) with allowed credentials would let every such \
                         site read the user's responses, and what the service answers for it is \
                         not documented; list the origins that need credentials",
                        scheme.as_str(),
                        scheme.as_str()
                    ),
                ),
                _ => {}
            }
        }
        out.push(origin);
    }
    out
}

/// One origin in the forms `rules` accept.
fn parse_origin(text: &str, rules: &Rules) -> Result<AwsOrigin, String> {
    let shown = quote(text);
    let refuse = || {
        format!(
            "{} accept {}; `{shown}` is not one of them: list the origins one by one",
            rules.service, rules.origin_forms
        )
    };
    match text {
        "*" => return Ok(AwsOrigin::Any),
        "http://*" | "https://*" => {
            let scheme = if text.starts_with("https") {
                Scheme::Https
            } else {
                Scheme::Http
            };
            return if rules.scheme_wildcards {
                Ok(AwsOrigin::AnyWithScheme(scheme))
            } else {
                Err(refuse())
            };
        }
        _ => {}
    }
    if !text.contains('*') {
        return origin::check_exact(text).map(|()| AwsOrigin::Exact(text.to_owned()));
    }
    match text.strip_prefix("*.") {
        Some(base) if rules.subdomains => {
            origin::check_base(text, base).map(|()| AwsOrigin::Subdomains {
                scheme: None,
                base: base.to_owned(),
            })
        }
        _ => Err(refuse()),
    }
}

fn methods(list: &List, rules: &Rules, problems: &mut Problems) -> Methods {
    too_many(list, rules.max_methods, "methods", rules, problems);
    let mut any = None;
    let mut all = None;
    let mut names: Vec<String> = Vec::new();
    let mut seen = std::collections::HashMap::new();
    let accepted = || {
        let mut list = rules.methods.join(", ");
        for spelling in [rules.any_method, rules.all_methods].into_iter().flatten() {
            list.push_str(", ");
            list.push_str(spelling);
        }
        list
    };
    for item in &list.items {
        let value = item.value.as_str();
        if let Some(first) = seen.insert(value, item) {
            duplicate(item, first, "method", problems);
        } else if Some(value) == rules.any_method {
            any = Some(item);
        } else if Some(value) == rules.all_methods {
            all = Some(item);
        } else if rules.methods.contains(&value) {
            names.push(value.to_owned());
        } else {
            let upper = value.to_ascii_uppercase();
            let hint = if rules.methods.contains(&upper.as_str()) {
                format!(" (methods are case-sensitive: write `{upper}`)")
            } else if value == "*" && rules.all_methods.is_some() {
                " (`ALL` stands for exactly the methods listed)".to_owned()
            } else if value == "OPTIONS" {
                " (the service answers preflights itself: remove it)".to_owned()
            } else {
                String::new()
            };
            problems.push(
                ProblemKind::Method,
                &item.path,
                format!(
                    "method `{}` is not accepted: {} accept only {}{hint}",
                    quote(value),
                    rules.service,
                    accepted()
                ),
            );
        }
    }
    for (wildcard, spelling) in [
        (any, "`*` allows every method"),
        (all, "`ALL` lists every method"),
    ] {
        if let Some(item) = wildcard {
            if list.items.len() > 1 {
                problems.push(
                    ProblemKind::Empty,
                    &list.path,
                    format!(
                        "{spelling}, so the other methods listed beside it at `{}` say nothing; \
                         write `{}` alone",
                        item.path,
                        quote(&item.value)
                    ),
                );
            }
        }
    }
    if any.is_some() {
        Methods::Any
    } else if all.is_some() {
        Methods::List(rules.methods.iter().map(|m| (*m).to_owned()).collect())
    } else {
        Methods::List(names)
    }
}

fn headers(
    list: &List,
    rules: &Rules,
    credentials: bool,
    expose: bool,
    problems: &mut Problems,
) -> Headers {
    let what = if expose {
        "expose headers"
    } else {
        "allowed headers"
    };
    too_many(list, rules.max_headers, what, rules, problems);
    let mut out = Headers::none();
    let mut seen = std::collections::HashMap::new();
    for item in &list.items {
        too_long(item, rules.header_len, "header", rules, problems);
        if let Some(first) = seen.insert(item.value.to_ascii_lowercase(), item) {
            duplicate(item, first, "header", problems);
            continue;
        }
        if item.value == "*" {
            out.any = true;
            if credentials && expose {
                problems.push(
                    ProblemKind::Credentials,
                    &item.path,
                    "`*` in the expose headers exposes nothing when credentials are allowed: \
                     browsers then read it as a header named `*` (Fetch standard); list the \
                     headers scripts should read"
                        .to_owned(),
                );
            } else if credentials && !rules.any_header_with_credentials {
                problems.push(
                    ProblemKind::Credentials,
                    &item.path,
                    format!(
                        "{} refuse `*` in the allowed headers when credentials are allowed \
                         (\"The parameter Access-Control-Allow-Headers cannot contain * when \
                         allowCredentials is true.\"); list the headers",
                        rules.service
                    ),
                );
            }
        } else if item.value.contains('*') {
            problems.push(
                ProblemKind::Header,
                &item.path,
                format!(
                    "header `{}` has a partial wildcard, which {} do not document; list each \
                     header, or write `*` alone",
                    quote(&item.value),
                    rules.service
                ),
            );
        } else if is_token(item.value.as_bytes()) {
            out.names.push(item.value.clone());
        } else {
            problems.push(
                ProblemKind::Header,
                &item.path,
                format!(
                    "`{}` is not a header name: a header name has only letters, digits and \
                     !#$%&'*+-.^_`|~, without spaces; fix or remove it",
                    quote(&item.value)
                ),
            );
        }
    }
    if !expose && !rules.empty_allow_headers && list.items.is_empty() {
        problems.push(
            ProblemKind::Empty,
            &list.path,
            format!(
                "{} refuse an empty list of allowed headers; list at least one header, or `*`",
                rules.service
            ),
        );
    }
    out
}
