//! An AWS configuration as a policy of the project's DSL, answering every
//! request as a browser reads the service's answer, or refused (feature
//! `dsl`): what `Policy::from_aws` and the `include_*!` forms of the AWS
//! formats load.
//!
//! The DSL's matcher then answers the requests. Where the two models mean
//! the same, the value is carried; where they differ, the configuration is
//! refused with the value named, never widened or narrowed:
//!
//! - origins: exact origins and `*` are carried; `https://*` (any origin of
//!   a scheme) has no DSL form, nor has CloudFront's `*.base` (any scheme);
//!   `scheme://*.base` is the DSL's own pattern;
//! - methods: a listed method is allowed, and `GET`, `HEAD` and `POST` are
//!   added, since a browser lets them through from an allowed origin
//!   whatever the service lists (the Fetch standard asks no permission for
//!   them); `*` is carried without credentials and refused with them (it
//!   then allows only a method named `*`, which no DSL list says);
//! - allowed headers: names are carried; `*` covers every header but
//!   `Authorization`, and only without credentials, so it is carried as the
//!   DSL's `"*"` only without credentials and beside `Authorization`, and
//!   refused otherwise (with credentials, list the headers);
//! - exposed headers: names, and `*` without credentials;
//! - max age: `-1` (HTTP APIs) is a browser's default, as no max age; above
//!   the DSL's 86400 seconds is refused;
//! - credentials are carried; `OriginOverride: false` is refused (the
//!   origin server's own headers win, so the configuration alone does not
//!   say how requests are answered);
//! - the cross-origin protection is off, as for S3 configurations: it
//!   belongs to the serving layer, and an AWS configuration has none.
//!
//! The DSL's checker then judges the result like any policy; where the
//! service allows what the DSL makes explicit (a plain-`http` origin or a
//! wildcard over a public suffix with credentials), the matching
//! `dangerously_*` switch is set, since it changes no answer.

use cors_config::{PolicyConfig, PolicyModel, RuleConfig};
use cors_grammar::quote;

use crate::error::Problems;
use crate::{AwsCors, AwsError, AwsOrigin, Format, Headers, Methods, ProblemKind};

/// The methods a browser sends without asking (Fetch's CORS-safelisted
/// methods).
const SAFELISTED_METHODS: [&str; 3] = ["GET", "HEAD", "POST"];

/// The DSL's largest max age, in seconds.
const DSL_MAX_AGE: i32 = 86_400;

/// `cors`, read from `format`, as a checked DSL policy that answers every
/// request as the service's answer does in a browser; every value the DSL
/// cannot carry exactly is a problem of [`ProblemKind::Unsupported`].
pub fn to_policy(format: Format, cors: &AwsCors) -> Result<PolicyModel, AwsError> {
    let mut problems = Problems::default();
    let config = to_config(cors, &mut problems);
    if !problems.is_empty() {
        return Err(problems.into_error(format));
    }
    check(format, config)
}

/// The DSL's keys for `cors`; problems for what they cannot say.
fn to_config(cors: &AwsCors, problems: &mut Problems) -> PolicyConfig {
    let credentials = cors.allow_credentials;
    if cors.origin_override == Some(false) {
        unsupported(
            problems,
            "OriginOverride",
            "with `OriginOverride: false` the origin server's own CORS headers win, so the \
             configuration alone does not say how requests are answered"
                .to_owned(),
        );
    }
    let origins = dsl_origins(&cors.allow_origins, problems);
    let methods = dsl_methods(&cors.allow_methods, credentials, problems);
    let headers = dsl_allowed_headers(&cors.allow_headers, credentials, problems);
    let mut expose: Vec<String> = cors
        .expose_headers
        .names
        .iter()
        .map(|name| name.to_ascii_lowercase())
        .collect();
    if cors.expose_headers.any {
        expose = vec!["*".to_owned()];
    }
    let max_age = dsl_max_age(cors.max_age, problems);
    PolicyConfig {
        cross_origin_protection: Some(false),
        open_paths: None,
        rules: vec![RuleConfig {
            id: None,
            allow_origins: Some(origins),
            allow_methods: Some(methods),
            allow_headers: (!headers.is_empty()).then_some(headers),
            expose_headers: (!expose.is_empty()).then_some(expose),
            max_age,
            allow_credentials: credentials.then_some(true),
            dangerously_allow_insecure_origins: None,
            dangerously_allow_public_suffix_wildcards: None,
        }],
    }
}

/// Records a problem of [`ProblemKind::Unsupported`] at `path`.
fn unsupported(problems: &mut Problems, path: &str, message: String) {
    problems.push(ProblemKind::Unsupported, path, message);
}

/// The DSL's origins for `allow_origins`, in order; a problem for each
/// origin that has no DSL form.
fn dsl_origins(allow_origins: &[AwsOrigin], problems: &mut Problems) -> Vec<String> {
    let mut origins = Vec::new();
    for (index, origin) in allow_origins.iter().enumerate() {
        let path = format!("AllowOrigins[{index}]");
        match origin {
            AwsOrigin::Exact(text) => origins.push(text.clone()),
            AwsOrigin::Any => origins.push("*".to_owned()),
            AwsOrigin::Subdomains {
                scheme: Some(scheme),
                base,
            } => origins.push(format!("{}://*.{base}", scheme.as_str())),
            AwsOrigin::Subdomains { scheme: None, base } => unsupported(
                problems,
                &path,
                format!(
                    "`*.{}` matches every scheme, and a policy pattern names one \
                     (`https://*.{}`); list the patterns of the schemes meant",
                    quote(base),
                    quote(base)
                ),
            ),
            AwsOrigin::AnyWithScheme(scheme) => unsupported(
                problems,
                &path,
                format!(
                    "`{}://*` (any origin of a scheme) has no policy pattern; list the origins, \
                     or use `{}://*.` under a domain",
                    scheme.as_str(),
                    scheme.as_str()
                ),
            ),
        }
    }
    origins
}

/// The DSL's methods for `allow_methods`: a list gains the safelisted
/// methods a browser sends anyway; `*` with credentials is a problem.
fn dsl_methods(allow_methods: &Methods, credentials: bool, problems: &mut Problems) -> Vec<String> {
    match allow_methods {
        Methods::Any if credentials => {
            unsupported(
                problems,
                "AllowMethods",
                "with credentials, a browser reads `*` as a method named `*`, not as every \
                 method; list the methods"
                    .to_owned(),
            );
            Vec::new()
        }
        Methods::Any => vec!["*".to_owned()],
        Methods::List(listed) => {
            let mut methods = listed.clone();
            for method in SAFELISTED_METHODS {
                if !methods.iter().any(|m| m == method) {
                    methods.push(method.to_owned());
                }
            }
            methods
        }
    }
}

/// The DSL's allowed headers for `allow_headers`, in lower case; `*` is
/// carried only without credentials and beside `Authorization`, and is a
/// problem otherwise.
fn dsl_allowed_headers(
    allow_headers: &Headers,
    credentials: bool,
    problems: &mut Problems,
) -> Vec<String> {
    let mut headers: Vec<String> = allow_headers
        .names
        .iter()
        .map(|name| name.to_ascii_lowercase())
        .collect();
    if allow_headers.any {
        if !credentials && headers.iter().any(|name| name == "authorization") {
            headers = vec!["*".to_owned()];
        } else {
            unsupported(
                problems,
                "AllowHeaders",
                if credentials {
                    "with credentials, a browser reads `*` as a header named `*`, not as every \
                     header; list the headers"
                        .to_owned()
                } else {
                    "`*` covers every request header but `Authorization`, and a policy's `*` \
                     covers `authorization` too; list `Authorization` beside `*`, or list the \
                     headers"
                        .to_owned()
                },
            );
        }
    }
    headers
}

/// The DSL's max age for `max_age`: `-1` (a browser's default) is none,
/// and a value outside the DSL's range is a problem.
fn dsl_max_age(max_age: Option<i32>, problems: &mut Problems) -> Option<u64> {
    match max_age {
        None | Some(-1) => None,
        Some(seconds) if (0..=DSL_MAX_AGE).contains(&seconds) => u64::try_from(seconds).ok(),
        Some(seconds) => {
            unsupported(
                problems,
                "MaxAge",
                format!("{seconds} seconds; a policy's max age is 0 to {DSL_MAX_AGE} seconds"),
            );
            None
        }
    }
}

/// The policy checked by the DSL's checker, with the `dangerously_*`
/// switches it asks for turned on (they change no answer: the service
/// allows what they allow); any other problem refuses the configuration.
fn check(format: Format, mut config: PolicyConfig) -> Result<PolicyModel, AwsError> {
    let first = match cors_config::from_config(&config) {
        Ok(model) => return Ok(model),
        Err(error) => error,
    };
    let checked = if !config.turn_on_opt_ins(&first).is_empty() {
        cors_config::from_config(&config)
    } else {
        Err(first)
    };
    checked.map_err(|error| {
        let mut problems = Problems::default();
        for problem in error.problems() {
            problems.push(
                ProblemKind::Unsupported,
                "",
                format!("as a policy: {problem}"),
            );
        }
        problems.into_error(format)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read;

    fn policy(format: Format, text: &str) -> Result<PolicyModel, AwsError> {
        to_policy(format, &read(format, text).expect("a valid configuration"))
    }

    #[test]
    fn exact_values_are_carried_with_the_safelisted_methods() {
        let model = policy(
            Format::ApigwHttp,
            r#"{"AllowOrigins": ["https://app.example.com"], "AllowMethods": ["PUT"],
                "AllowHeaders": ["Content-Type"], "ExposeHeaders": ["ETag"],
                "AllowCredentials": true, "MaxAge": 600}"#,
        )
        .expect("carried");
        let rule = &model.rules[0];
        assert_eq!(rule.methods, ["PUT", "GET", "HEAD", "POST"]);
        assert_eq!(rule.headers, ["content-type"]);
        assert_eq!(rule.expose_headers, ["etag"]);
        assert_eq!(rule.max_age, Some(600));
        assert!(rule.credentials);
        assert!(!model.cross_origin_protection);
    }

    #[test]
    fn forms_the_policy_lacks_are_refused_by_name() {
        let error = policy(
            Format::ApigwHttp,
            r#"{"AllowOrigins": ["https://*"], "AllowMethods": ["GET"], "AllowHeaders": ["*"]}"#,
        )
        .unwrap_err();
        assert_eq!(error.total(), 2, "{error}");
        assert!(error.problems()[0]
            .message
            .contains("any origin of a scheme"));
        assert!(error.problems()[1].message.contains("but `Authorization`"));
        let error = policy(
            Format::CloudFront,
            r#"{"AccessControlAllowOrigins": {"Quantity": 1, "Items": ["*.example.org"]},
                "AccessControlAllowHeaders": {"Quantity": 1, "Items": ["x-a"]},
                "AccessControlAllowMethods": {"Quantity": 1, "Items": ["GET"]},
                "AccessControlAllowCredentials": false, "OriginOverride": false}"#,
        )
        .unwrap_err();
        assert_eq!(error.total(), 2, "{error}");
    }

    #[test]
    fn wildcards_without_credentials_are_the_policy_s_wildcards() {
        let model = policy(
            Format::LambdaUrl,
            r#"{"AllowOrigins": ["*"], "AllowMethods": ["*"],
                "AllowHeaders": ["*", "Authorization"], "ExposeHeaders": ["*"], "MaxAge": 0}"#,
        )
        .expect("carried");
        let rule = &model.rules[0];
        assert!(rule.any_origin && rule.any_method && rule.any_header);
        assert_eq!(rule.expose_headers, ["*"]);
        assert_eq!(rule.max_age, Some(0));
    }

    #[test]
    fn insecure_origins_with_credentials_get_the_switch_they_need() {
        let model = policy(
            Format::ApigwHttp,
            r#"{"AllowOrigins": ["http://app.example.com"], "AllowMethods": ["GET"],
                "AllowCredentials": true}"#,
        )
        .expect("carried");
        assert!(model.rules[0].credentials);
    }
}
