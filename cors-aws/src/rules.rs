//! Each service's limits and refusals. Readers turn a document into
//! [`Raw`] strings with their paths; writers spell the model as the same
//! strings, with the target's paths; both run [`build`], so a writer
//! refuses exactly what the reader of its output would refuse, with the
//! same messages.

use cors_grammar::quote;

pub(crate) use crate::check::build;
use crate::error::{ProblemKind, Problems};
use crate::json::{key_path, Item};
use crate::model::{AwsCors, Headers, Methods};

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
