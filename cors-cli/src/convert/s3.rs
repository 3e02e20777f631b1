//! S3 (`s3-json`, `s3-xml`): a validated configuration into neutral form,
//! and neutral form into a configuration S3's validation accepts.
//!
//! S3's meanings: origins are patterns with at most one `*` matching any
//! run of characters; a rule that lists `*` answers `*` without
//! credentials, any other rule sends `Access-Control-Allow-Credentials:
//! true`; allowed headers may be `*` (every header, echoed) or hold one
//! `*`; expose headers cannot be `*`.

use cors_s3::{CorsConfiguration, CorsRule};

use super::model::{AllowedHeaders, AnyHeaders, Expose, Methods, Neutral, Origin, Rule};
use super::{rule_label, Report};

/// A validated S3 configuration in neutral form.
pub(super) fn read(config: &CorsConfiguration) -> Neutral {
    let rules = config
        .rules
        .iter()
        .map(|rule| {
            let mut headers = AllowedHeaders::default();
            for header in &rule.allowed_headers {
                let header = header.to_ascii_lowercase();
                match header.split_once('*') {
                    _ if header == "*" => headers.any = Some(AnyHeaders::All),
                    Some((prefix, suffix)) => {
                        headers
                            .patterns
                            .push((prefix.to_owned(), suffix.to_owned()));
                    }
                    None => headers.names.push(header),
                }
            }
            Rule {
                id: rule.id.clone(),
                origins: any_ports(rule.allowed_origins.iter().map(|o| origin(o)).collect()),
                methods: Methods::List(rule.allowed_methods.clone()),
                headers,
                expose: Expose {
                    all: false,
                    names: rule
                        .expose_headers
                        .iter()
                        .map(|name| name.to_ascii_lowercase())
                        .collect(),
                },
                max_age: rule.max_age_seconds,
                credentials: !rule.allowed_origins.iter().any(|o| o == "*"),
                implicit_methods: Vec::new(),
            }
        })
        .collect();
    Neutral {
        rules,
        protection: None,
        origin_override: None,
    }
}

/// `scheme://host` and `scheme://host:*` in one rule are the DSL's
/// `scheme://host:*` (any port, or none): the pair becomes one pattern, in
/// the place of the first.
fn any_ports(origins: Vec<Origin>) -> Vec<Origin> {
    let paired = |glob: &str| -> Option<(String, String)> {
        let exact = glob.strip_suffix(":*")?;
        let (scheme, host) = exact.split_once("://")?;
        (is_domain(host) && origins.contains(&Origin::Exact(exact.to_owned())))
            .then(|| (scheme.to_owned(), host.to_owned()))
    };
    let pairs: Vec<(String, String)> = origins
        .iter()
        .filter_map(|origin| match origin {
            Origin::Glob(glob) => paired(glob),
            _ => None,
        })
        .collect();
    let mut out = Vec::new();
    for origin in origins.iter() {
        let pair = match origin {
            Origin::Exact(exact) => pairs
                .iter()
                .find(|(scheme, host)| *exact == format!("{scheme}://{host}")),
            Origin::Glob(glob) => pairs
                .iter()
                .find(|(scheme, host)| *glob == format!("{scheme}://{host}:*")),
            _ => None,
        };
        let origin = match pair {
            Some((scheme, host)) => Origin::AnyPort {
                scheme: scheme.clone(),
                host: host.clone(),
                subdomains: false,
            },
            None => origin.clone(),
        };
        if !out.contains(&origin) {
            out.push(origin);
        }
    }
    out
}

/// Whether `host` is a domain of lowercase labels (`a-z 0-9 - _`).
fn is_domain(host: &str) -> bool {
    !host.is_empty()
        && host.split('.').all(|label| {
            !label.is_empty()
                && label
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        })
}

/// One S3 origin pattern, recognised as the neutral form it is equivalent
/// to (for origins as browsers send them), or kept as a glob.
fn origin(pattern: &str) -> Origin {
    if pattern == "*" {
        return Origin::Any;
    }
    if !pattern.contains('*') {
        return Origin::Exact(pattern.to_owned());
    }
    if let Some(base) = pattern.strip_prefix("*.").filter(|base| is_domain(base)) {
        return Origin::Subdomains {
            scheme: None,
            base: base.to_owned(),
        };
    }
    let Some((scheme, rest)) = pattern.split_once("://") else {
        return Origin::Glob(pattern.to_owned());
    };
    if matches!(scheme, "http" | "https") && rest == "*" {
        return Origin::AnyWithScheme(scheme.to_owned());
    }
    let scheme_ok = !scheme.is_empty()
        && scheme
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"+-.".contains(&b));
    if let Some(host) = rest.strip_prefix("*.").filter(|_| scheme_ok) {
        if is_domain(host) {
            return Origin::Subdomains {
                scheme: Some(scheme.to_owned()),
                base: host.to_owned(),
            };
        }
        if let Some((base, port)) = host.split_once(':') {
            let port = port
                .parse::<u16>()
                .ok()
                .filter(|n| *n != 0 && n.to_string() == port);
            if let (true, Some(port)) = (is_domain(base), port) {
                return Origin::SubdomainsPort {
                    scheme: scheme.to_owned(),
                    base: base.to_owned(),
                    port,
                };
            }
        }
    }
    Origin::Glob(pattern.to_owned())
}

/// `policy` as S3 XML (`xml`) or JSON, validated as S3 validates; `None`
/// when something cannot be carried (recorded in `report`).
pub(super) fn write(policy: &Neutral, xml: bool, report: &mut Report) -> Option<String> {
    if policy.protection.as_ref().is_some_and(|p| p.on) {
        report.note(
            "the cross-origin protection is dropped: it belongs to the serving layer, and S3 \
             configurations have none",
        );
    }
    if policy.origin_override == Some(false) {
        report.refuse(
            "OriginOverride: false",
            "the origin server's own CORS headers win over this configuration's; S3 has no \
             such layering",
        );
    }
    let rules = policy
        .rules
        .iter()
        .enumerate()
        .map(|(index, rule)| rule_config(index, rule, report))
        .collect();
    let config = CorsConfiguration { rules };
    // S3's own validation runs even when something was refused already, so
    // that every problem is named at once.
    if let Err(errors) = cors_s3::validate(&config) {
        for error in errors.iter() {
            report.refuse("S3 refuses the result", error.to_string());
        }
    }
    if !report.refusals.is_empty() {
        return None;
    }
    let mut text = if xml {
        config.to_xml()
    } else {
        config.to_json()
    };
    text.push('\n');
    Some(text)
}

/// `rule` as an S3 rule, without the values refused (the reasons are in
/// `report`).
fn rule_config(index: usize, rule: &Rule, report: &mut Report) -> CorsRule {
    let label = rule_label(index, rule.id.as_deref());
    let origins = s3_origins(rule, &label, report);
    check_credentials(rule, &label, report);
    let methods = match &rule.methods {
        Methods::List(methods) => methods.clone(),
        Methods::Any | Methods::AnyWithoutCredentials => {
            report.refuse(
                format!("{label}, methods `*`"),
                "S3 has no `*` method: list the methods (GET, PUT, POST, DELETE, HEAD)",
            );
            vec!["GET".to_owned()]
        }
    };
    let headers = s3_allowed_headers(rule, &label, report);
    if rule.expose.all {
        report.refuse(
            format!("{label}, expose header `*`"),
            "S3 refuses `*` in ExposeHeaders: list the headers",
        );
    }
    let max_age_seconds = match rule.max_age {
        Some(-1) => {
            report.note(format!(
                "{label}: max age -1 (a browser's default) written as no max age"
            ));
            None
        }
        other => other,
    };
    CorsRule {
        id: rule.id.clone(),
        allowed_headers: headers,
        allowed_methods: methods,
        allowed_origins: origins,
        expose_headers: rule.expose.names.clone(),
        max_age_seconds,
    }
}

/// `rule`'s origins as S3 writes them, in order: a host on any port, or
/// none, becomes two origins (noted); subdomains on any port are refused.
fn s3_origins(rule: &Rule, label: &str, report: &mut Report) -> Vec<String> {
    let mut origins = Vec::new();
    for origin in &rule.origins {
        match origin {
            Origin::AnyPort {
                scheme,
                host,
                subdomains: false,
            } => {
                report.note(format!(
                    "{label}: `{origin}` (any port, or none) written as `{scheme}://{host}` \
                     and `{scheme}://{host}:*`"
                ));
                origins.push(format!("{scheme}://{host}"));
                origins.push(format!("{scheme}://{host}:*"));
            }
            Origin::AnyPort { .. } => report.refuse(
                format!("{label}, origin `{origin}`"),
                "subdomains on any port need two wildcards; S3 allows one `*` per origin",
            ),
            _ => origins.push(origin.to_string()),
        }
    }
    origins
}

/// Refuses `rule` when its credentials differ from S3's, which sends them
/// to every origin of a rule unless the rule lists `*`.
fn check_credentials(rule: &Rule, label: &str, report: &mut Report) {
    let lists_any = rule.origins.contains(&Origin::Any);
    if lists_any && rule.credentials {
        report.refuse(
            format!("{label}, credentials"),
            "S3 sends no credentials to any origin of a rule that lists `*`, and this rule \
             sends them to its other origins: put `*` in a rule of its own",
        );
    }
    if !lists_any && !rule.credentials {
        report.refuse(
            format!("{label}, credentials"),
            "S3 sends `Access-Control-Allow-Credentials: true` to every origin but `*`, and \
             this rule sends no credentials: a credentialed request it blocks, S3 would let \
             through (allow credentials to convert it)",
        );
    }
}

/// `rule`'s allowed headers as S3 writes them; refuses AWS's `*`, which
/// leaves out `Authorization` and covers no request with credentials.
fn s3_allowed_headers(rule: &Rule, label: &str, report: &mut Report) -> Vec<String> {
    let mut headers = Vec::new();
    match rule.headers.any {
        Some(AnyHeaders::All) => headers.push("*".to_owned()),
        Some(AnyHeaders::AllButAuthorization) => report.refuse(
            format!("{label}, allowed header `*`"),
            "AWS's `*` covers every header but `Authorization`, and only for requests without \
             credentials; S3's `*` covers every header, with credentials too",
        ),
        None => {}
    }
    headers.extend(rule.headers.listed());
    headers
}
