//! The five AWS formats: an [`AwsCors`] into neutral form, and neutral form
//! into the one rule an AWS configuration holds, written by
//! [`cors_aws::write`] with that service's limits.
//!
//! The AWS model is a browser's reading of the service's headers
//! ([`cors_aws::AwsCors::preflight`]): `GET`, `HEAD` and `POST` pass
//! unlisted, `*` methods and headers cover nothing with credentials, and a
//! `*` header never covers `Authorization`. Reading puts those meanings
//! into the neutral form; writing refuses what they cannot express.

use cors_aws::{AwsCors, AwsOrigin, Headers, Scheme};

use super::model::{
    AllowedHeaders, AnyHeaders, Expose, Methods, Neutral, Origin, Rule, SAFELISTED,
};
use super::{rule_label, Report};

/// An AWS configuration in neutral form: one rule.
pub(super) fn read(cors: &AwsCors) -> Neutral {
    let credentials = cors.allow_credentials;
    let origins = cors.allow_origins.iter().map(neutral_origin).collect();
    let (methods, implicit_methods) = neutral_methods(&cors.allow_methods, credentials);
    let names: Vec<String> = cors
        .allow_headers
        .names
        .iter()
        .map(|name| name.to_ascii_lowercase())
        .collect();
    let authorization = names.iter().any(|name| name == "authorization");
    let any = cors
        .allow_headers
        .any
        .then_some(if authorization && !credentials {
            // Without credentials, `*` and `Authorization` cover every header.
            AnyHeaders::All
        } else {
            AnyHeaders::AllButAuthorization
        });
    let rule = Rule {
        id: None,
        origins,
        methods,
        headers: AllowedHeaders {
            any,
            names,
            patterns: Vec::new(),
        },
        expose: Expose {
            all: cors.expose_headers.any,
            names: cors
                .expose_headers
                .names
                .iter()
                .map(|name| name.to_ascii_lowercase())
                .collect(),
        },
        max_age: cors.max_age.map(i64::from),
        credentials,
        implicit_methods,
    };
    Neutral {
        rules: vec![rule],
        protection: None,
        origin_override: cors.origin_override,
    }
}

/// An AWS origin in neutral form.
fn neutral_origin(origin: &AwsOrigin) -> Origin {
    match origin {
        AwsOrigin::Exact(origin) => Origin::Exact(origin.clone()),
        AwsOrigin::Any => Origin::Any,
        AwsOrigin::AnyWithScheme(scheme) => Origin::AnyWithScheme(scheme.as_str().to_owned()),
        AwsOrigin::Subdomains { scheme, base } => Origin::Subdomains {
            scheme: scheme.map(|s| s.as_str().to_owned()),
            base: base.clone(),
        },
    }
}

/// AWS methods in neutral form, as a browser reads them, and the
/// safelisted methods added to a list because a browser lets them through
/// unlisted; `*` with credentials covers only requests without them.
fn neutral_methods(methods: &cors_aws::Methods, credentials: bool) -> (Methods, Vec<String>) {
    let mut implicit_methods = Vec::new();
    let methods = match methods {
        cors_aws::Methods::Any if credentials => Methods::AnyWithoutCredentials,
        cors_aws::Methods::Any => Methods::Any,
        cors_aws::Methods::List(listed) => {
            // A browser lets the safelisted methods through unlisted.
            let mut methods = listed.clone();
            for method in SAFELISTED {
                if !methods.iter().any(|m| m == method) {
                    methods.push(method.to_owned());
                    implicit_methods.push(method.to_owned());
                }
            }
            Methods::List(methods)
        }
    };
    (methods, implicit_methods)
}

/// `policy` in `format`; `None` when something cannot be carried (recorded
/// in `report`).
pub(super) fn write(
    policy: &Neutral,
    format: cors_aws::Format,
    report: &mut Report,
) -> Option<String> {
    let cors = to_cors(policy, format, report)?;
    // The service's own limits are checked even when something was refused
    // already, so that every problem is named at once.
    let written = cors_aws::write(format, &cors);
    if let Err(error) = &written {
        for problem in error.problems() {
            report.refuse(format!("{format} refuses the result"), problem.to_string());
        }
        let more = error.total() - error.problems().len();
        if more > 0 {
            report.refuse(
                format!("{format} refuses the result"),
                format!("and {more} more problems"),
            );
        }
    }
    written.ok().filter(|_| report.refusals.is_empty())
}

/// `policy` as the one rule of an AWS configuration, without the values
/// refused (the reasons are in `report`); `None` for a policy without rules.
pub(crate) fn to_cors(
    policy: &Neutral,
    format: cors_aws::Format,
    report: &mut Report,
) -> Option<AwsCors> {
    if policy.protection.as_ref().is_some_and(|p| p.on) {
        report.note(format!(
            "the cross-origin protection is dropped: it belongs to the serving layer, and \
             {format} configurations have none"
        ));
    }
    let first = policy.rules.first()?;
    let origins = merged_origins(policy, first, format, report);
    let label = if policy.rules.len() > 1 {
        "the merged rule".to_owned()
    } else {
        rule_label(0, first.id.as_deref())
    };
    let credentials = first.credentials;
    let allow_origins = aws_origins(origins, &label, report);
    let allow_methods = aws_methods(first, &label, report);
    let allow_headers = aws_allowed_headers(first, &label, report);
    let expose_headers = Headers {
        any: first.expose.all,
        names: first.expose.names.clone(),
    };
    let max_age = aws_max_age(first.max_age, format, &label, report);
    let cors = AwsCors {
        allow_origins,
        allow_methods,
        allow_headers,
        expose_headers,
        max_age,
        allow_credentials: credentials,
        origin_override: policy.origin_override,
    };
    Some(cors)
}

/// The origins of every rule in `policy`, each once and in order, with a
/// refusal for every field in which a rule differs from `first` (the one
/// rule AWS holds can stand for several only when they differ in their
/// origins alone) and notes on the merge and the dropped ids.
fn merged_origins<'a>(
    policy: &'a Neutral,
    first: &Rule,
    format: cors_aws::Format,
    report: &mut Report,
) -> Vec<&'a Origin> {
    let mut origins: Vec<&Origin> = Vec::new();
    for (index, rule) in policy.rules.iter().enumerate() {
        let differs = [
            ("methods", rule.methods != first.methods),
            ("allowed headers", rule.headers != first.headers),
            ("expose headers", rule.expose != first.expose),
            ("max age", rule.max_age != first.max_age),
            ("credentials", rule.credentials != first.credentials),
        ];
        for (field, different) in differs {
            if different {
                report.refuse(
                    rule_label(index, rule.id.as_deref()),
                    format!(
                        "`{format}` holds one rule, and this rule differs from {} in its \
                         {field}; rules can be merged only when they differ in their origins \
                         alone",
                        rule_label(0, first.id.as_deref())
                    ),
                );
            }
        }
        for origin in &rule.origins {
            if !origins.contains(&origin) {
                origins.push(origin);
            }
        }
    }
    if policy.rules.len() > 1 && report.refusals.is_empty() {
        report.note(format!(
            "{} rules that differ only in their origins merged into one",
            policy.rules.len()
        ));
    }
    if policy.rules.iter().any(|rule| rule.id.is_some()) {
        report.note(format!("rule ids dropped: `{format}` has none"));
    }
    origins
}

/// `origins` as AWS origins, in order, with a refusal (under `label`) for
/// every origin AWS cannot name.
fn aws_origins(origins: Vec<&Origin>, label: &str, report: &mut Report) -> Vec<AwsOrigin> {
    let mut allow_origins = Vec::new();
    for origin in origins {
        match aws_origin(origin) {
            Ok(aws) => allow_origins.push(aws),
            Err(why) => report.refuse(format!("{label}, origin `{origin}`"), why),
        }
    }
    allow_origins
}

/// One origin as an AWS origin, or why AWS cannot name it.
fn aws_origin(origin: &Origin) -> Result<AwsOrigin, &'static str> {
    let scheme = |name: &str| match name {
        "http" => Ok(Scheme::Http),
        "https" => Ok(Scheme::Https),
        _ => Err("AWS wildcards name only `http` and `https`"),
    };
    match origin {
        Origin::Any => Ok(AwsOrigin::Any),
        Origin::Exact(origin) => Ok(AwsOrigin::Exact(origin.clone())),
        Origin::AnyWithScheme(name) => scheme(name).map(AwsOrigin::AnyWithScheme),
        Origin::Subdomains { scheme: None, base } => Ok(AwsOrigin::Subdomains {
            scheme: None,
            base: base.clone(),
        }),
        // The writers refuse the form with a scheme, by name.
        Origin::Subdomains {
            scheme: Some(name),
            base,
        } => scheme(name).map(|scheme| AwsOrigin::Subdomains {
            scheme: Some(scheme),
            base: base.clone(),
        }),
        Origin::AnyPort { .. } | Origin::SubdomainsPort { .. } => Err(
            "AWS origins name no port wildcard and no port beside a wildcard; list the \
             origins",
        ),
        Origin::Glob(_) => Err(
            "S3's `*` matches any run of characters; AWS has only `*`, `http://*`, \
             `https://*` (HTTP APIs) and `*.domain` (CloudFront)",
        ),
    }
}

/// `rule`'s methods as AWS methods, without the safelisted ones it lists
/// only implicitly; refuses a `*` with credentials and a list that leaves
/// out a method a browser lets through anyway.
fn aws_methods(rule: &Rule, label: &str, report: &mut Report) -> cors_aws::Methods {
    match &rule.methods {
        Methods::Any if rule.credentials => {
            report.refuse(
                format!("{label}, methods `*`"),
                "this `*` allows every method with credentials too; AWS's `*` covers no \
                 method with credentials (the Fetch standard reads a literal `*` as no \
                 wildcard then): list the methods",
            );
            cors_aws::Methods::Any
        }
        Methods::Any | Methods::AnyWithoutCredentials => cors_aws::Methods::Any,
        Methods::List(methods) => {
            let missing: Vec<&str> = SAFELISTED
                .into_iter()
                .filter(|safe| !methods.iter().any(|m| m == safe))
                .collect();
            if !missing.is_empty() {
                report.refuse(
                    format!("{label}, methods"),
                    format!(
                        "a browser lets GET, HEAD and POST through from an allowed origin \
                         whatever AllowMethods says (the Fetch standard asks no permission \
                         for them), and this rule refuses `{}`: add {} to its methods to \
                         convert it",
                        missing.join("`, `"),
                        if missing.len() == 1 { "it" } else { "them" }
                    ),
                );
            }
            let listed = methods
                .iter()
                .filter(|m| !rule.implicit_methods.contains(m))
                .cloned()
                .collect();
            cors_aws::Methods::List(listed)
        }
    }
}

/// `rule`'s allowed headers as AWS headers; refuses header patterns and a
/// `*` that would cover `authorization` with credentials.
fn aws_allowed_headers(rule: &Rule, label: &str, report: &mut Report) -> Headers {
    let mut allow_headers = Headers::names(rule.headers.names.iter().cloned());
    for (prefix, suffix) in &rule.headers.patterns {
        report.refuse(
            format!("{label}, allowed header `{prefix}*{suffix}`"),
            "AWS has no header patterns: list the headers",
        );
    }
    match rule.headers.any {
        Some(AnyHeaders::All) if rule.credentials => report.refuse(
            format!("{label}, allowed header `*`"),
            "this `*` covers every header with credentials too, `authorization` included; \
             AWS's `*` covers no header with credentials and never `Authorization`: list \
             the headers",
        ),
        Some(AnyHeaders::All) => {
            // Without credentials, `*` and `Authorization` cover every header.
            allow_headers.any = true;
            if !allow_headers
                .names
                .iter()
                .any(|name| name.eq_ignore_ascii_case("authorization"))
            {
                allow_headers.names.push("authorization".to_owned());
            }
        }
        Some(AnyHeaders::AllButAuthorization) => allow_headers.any = true,
        None => {}
    }
    allow_headers
}

/// `max_age` in AWS's range: -1 (a browser's default) becomes no max age
/// outside the HTTP API formats (noted), and a value beyond `i32` is
/// refused.
fn aws_max_age(
    max_age: Option<i64>,
    format: cors_aws::Format,
    label: &str,
    report: &mut Report,
) -> Option<i32> {
    let http_api = matches!(
        format,
        cors_aws::Format::ApigwHttp | cors_aws::Format::ApigwOpenapi
    );
    match max_age {
        Some(-1) if !http_api => {
            report.note(format!(
                "{label}: max age -1 (a browser's default) written as no max age"
            ));
            None
        }
        Some(seconds) => match i32::try_from(seconds) {
            Ok(seconds) => Some(seconds),
            Err(_) => {
                report.refuse(
                    format!("{label}, max age {seconds}"),
                    "out of every AWS format's range",
                );
                None
            }
        },
        None => None,
    }
}
