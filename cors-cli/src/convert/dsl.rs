//! The DSL (`json`, `toml`): its checked model into neutral form, and
//! neutral form into a [`PolicyConfig`] the DSL's checker accepts, printed
//! with the DSL's keys in the README's order.

use cors_config::{OriginPattern, PolicyConfig, PolicyModel, Port, RuleConfig};

use super::model::{
    AllowedHeaders, AnyHeaders, Expose, Methods, Neutral, Origin, Protection, Rule,
};
use super::{rule_label, Report};

/// A checked DSL policy in neutral form.
pub(super) fn read(model: &PolicyModel) -> Neutral {
    let rules = model
        .rules
        .iter()
        .map(|rule| {
            let mut origins = Vec::new();
            if rule.any_origin {
                origins.push(Origin::Any);
            }
            origins.extend(rule.origins.iter().map(origin));
            let expose_all = rule.expose_headers.iter().any(|name| name == "*");
            Rule {
                id: rule.id.clone(),
                origins,
                methods: if rule.any_method {
                    Methods::Any
                } else {
                    Methods::List(rule.methods.clone())
                },
                headers: AllowedHeaders {
                    any: rule.any_header.then_some(AnyHeaders::All),
                    names: rule.headers.clone(),
                    patterns: rule.header_patterns.clone(),
                },
                expose: Expose {
                    all: expose_all,
                    names: rule
                        .expose_headers
                        .iter()
                        .filter(|name| *name != "*")
                        .cloned()
                        .collect(),
                },
                max_age: rule.max_age.map(i64::from),
                credentials: rule.credentials,
                implicit_methods: Vec::new(),
            }
        })
        .collect();
    Neutral {
        rules,
        protection: Some(Protection {
            on: model.cross_origin_protection,
            open_paths: model.open_paths.clone(),
        }),
        origin_override: None,
    }
}

/// One checked origin pattern.
fn origin(pattern: &OriginPattern) -> Origin {
    let OriginPattern {
        scheme,
        host,
        subdomains,
        port,
    } = pattern;
    match (port, subdomains) {
        (Port::Any, _) => Origin::AnyPort {
            scheme: scheme.clone(),
            host: host.clone(),
            subdomains: *subdomains,
        },
        (Port::Absent, false) => Origin::Exact(format!("{scheme}://{host}")),
        (Port::Exact(port), false) => Origin::Exact(format!("{scheme}://{host}:{port}")),
        (Port::Absent, true) => Origin::Subdomains {
            scheme: Some(scheme.clone()),
            base: host.clone(),
        },
        (Port::Exact(port), true) => Origin::SubdomainsPort {
            scheme: scheme.clone(),
            base: host.clone(),
            port: *port,
        },
    }
}

/// `policy` as DSL TOML (`toml`) or JSON, checked by the DSL's checker;
/// `None` when something cannot be carried (recorded in `report`).
pub(super) fn write(policy: &Neutral, toml: bool, report: &mut Report) -> Option<String> {
    let mut config = config(policy, report);
    if !report.refusals.is_empty() {
        return None;
    }
    if let Err(error) = cors_config::from_config(&config) {
        // The dangerous flags change no answer; the checker asks for them
        // where a source format allowed what the DSL makes explicit.
        let turned_on = config.turn_on_opt_ins(&error);
        for &(index, opt_in) in &turned_on {
            let id = config.rules.get(index).and_then(|rule| rule.id.as_deref());
            report.note(format!(
                "{}: set `{}: true`, which the DSL asks for to allow what the source allows",
                rule_label(index, id),
                opt_in.key()
            ));
        }
        let checked = if !turned_on.is_empty() {
            cors_config::from_config(&config)
        } else {
            Err(error)
        };
        if let Err(error) = checked {
            for problem in error.problems() {
                report.refuse("the DSL refuses the result", problem.to_string());
            }
            return None;
        }
    }
    Some(if toml {
        print_toml(&config)
    } else {
        print_json(&config)
    })
}

/// `policy` as a [`PolicyConfig`], every value the DSL lacks refused.
fn config(policy: &Neutral, report: &mut Report) -> PolicyConfig {
    if policy.origin_override == Some(false) {
        report.refuse(
            "OriginOverride: false",
            "the origin server's own CORS headers win over this configuration's, so the \
             configuration alone does not say how requests are answered",
        );
    }
    let (cross_origin_protection, open_paths) = match &policy.protection {
        Some(protection) => (
            (!protection.on).then_some(false),
            (!protection.open_paths.is_empty()).then(|| protection.open_paths.clone()),
        ),
        None => {
            report.note(
                "S3 and AWS configurations have no cross-origin protection: written \
                 `cross_origin_protection: false` (remove it to turn the protection on, which \
                 refuses cross-origin writes the rules do not allow)",
            );
            (Some(false), None)
        }
    };
    let rules = policy
        .rules
        .iter()
        .enumerate()
        .map(|(index, rule)| rule_config(index, rule, report))
        .collect();
    PolicyConfig {
        cross_origin_protection,
        open_paths,
        rules,
    }
}

/// The DSL's keys for the rule at `index`, without the values refused (the
/// reasons are in `report`).
fn rule_config(index: usize, rule: &Rule, report: &mut Report) -> RuleConfig {
    let label = rule_label(index, rule.id.as_deref());
    let origins = rule_origins(rule, &label, report);
    let methods = match &rule.methods {
        Methods::Any => vec!["*".to_owned()],
        Methods::List(methods) => methods.clone(),
        Methods::AnyWithoutCredentials => {
            report.refuse(
                format!("{label}, methods `*`"),
                "with credentials allowed, AWS's `*` allows every method only to requests \
                 without credentials (the Fetch standard reads a literal `*` as no wildcard \
                 with credentials); the DSL's `*` allows them with credentials too: list the \
                 methods",
            );
            Vec::new()
        }
    };
    let headers = rule_allowed_headers(rule, &label, report);
    let mut expose = Vec::new();
    if rule.expose.all {
        expose.push("*".to_owned());
    }
    expose.extend(rule.expose.names.iter().cloned());
    let max_age = rule_max_age(rule.max_age, &label, report);
    RuleConfig {
        id: rule.id.clone(),
        allow_origins: Some(origins),
        allow_methods: Some(methods),
        allow_headers: (!headers.is_empty()).then_some(headers),
        expose_headers: (!expose.is_empty()).then_some(expose),
        max_age,
        allow_credentials: rule.credentials.then_some(true),
        dangerously_allow_insecure_origins: None,
        dangerously_allow_public_suffix_wildcards: None,
    }
}

/// `rule`'s origins as the DSL writes them, in order, with a refusal
/// (under `label`) for every origin the DSL has no pattern for.
fn rule_origins(rule: &Rule, label: &str, report: &mut Report) -> Vec<String> {
    let mut origins = Vec::new();
    for origin in &rule.origins {
        let refuse = |report: &mut Report, why: &str| {
            report.refuse(format!("{label}, origin `{origin}`"), why);
        };
        match origin {
            Origin::Any
            | Origin::Exact(_)
            | Origin::AnyPort { .. }
            | Origin::SubdomainsPort { .. }
            | Origin::Subdomains {
                scheme: Some(_), ..
            } => origins.push(origin.to_string()),
            Origin::Subdomains { scheme: None, .. } => refuse(
                report,
                "a wildcard of any scheme (CloudFront's `*.base`); a DSL pattern names its \
                 scheme (`https://*.base`), and no list of schemes is every scheme",
            ),
            Origin::AnyWithScheme(_) => refuse(
                report,
                "any origin of one scheme; the DSL has no such pattern (list the origins, or \
                 use `*.` under a domain)",
            ),
            Origin::Glob(_) => refuse(
                report,
                "S3's `*` matches any run of characters; the DSL has only `*.` subdomains and \
                 `:*` ports",
            ),
        }
    }
    origins
}

/// `rule`'s allowed headers as the DSL writes them; refuses AWS's `*`,
/// which leaves out `Authorization`.
fn rule_allowed_headers(rule: &Rule, label: &str, report: &mut Report) -> Vec<String> {
    let mut headers = Vec::new();
    match rule.headers.any {
        Some(AnyHeaders::All) => headers.push("*".to_owned()),
        Some(AnyHeaders::AllButAuthorization) => report.refuse(
            format!("{label}, allowed header `*`"),
            "AWS's `*` covers every header but `Authorization`, and only for requests without \
             credentials; the DSL's `*` covers `authorization` too, with credentials too (list \
             `Authorization` beside `*` in a configuration without credentials to convert it)",
        ),
        None => {}
    }
    headers.extend(rule.headers.listed());
    headers
}

/// `max_age` as the DSL writes it: -1 (a browser's default) becomes no max
/// age (noted), and a negative value is refused.
fn rule_max_age(max_age: Option<i64>, label: &str, report: &mut Report) -> Option<u64> {
    match max_age {
        Some(-1) => {
            report.note(format!(
                "{label}: max age -1 (a browser's default) written as no max age"
            ));
            None
        }
        Some(seconds) => match u64::try_from(seconds) {
            Ok(seconds) => Some(seconds),
            Err(_) => {
                report.refuse(
                    format!("{label}, max age {seconds}"),
                    "the DSL's max age is 0 to 86400 seconds",
                );
                None
            }
        },
        None => None,
    }
}

/// A value of a DSL document.
enum Value<'a> {
    Str(&'a str),
    List(&'a [String]),
    Int(u64),
    Bool(bool),
}

/// The keys of a policy and of its rules, in the README's order.
fn policy_fields(config: &PolicyConfig) -> Vec<(&'static str, Value<'_>)> {
    let mut fields = Vec::new();
    if let Some(flag) = config.cross_origin_protection {
        fields.push(("cross_origin_protection", Value::Bool(flag)));
    }
    if let Some(paths) = &config.open_paths {
        fields.push(("open_paths", Value::List(paths)));
    }
    fields
}

fn rule_fields(rule: &RuleConfig) -> Vec<(&'static str, Value<'_>)> {
    let mut fields = Vec::new();
    if let Some(id) = &rule.id {
        fields.push(("id", Value::Str(id)));
    }
    for (key, list) in [
        ("allow_origins", &rule.allow_origins),
        ("allow_methods", &rule.allow_methods),
        ("allow_headers", &rule.allow_headers),
        ("expose_headers", &rule.expose_headers),
    ] {
        if let Some(list) = list {
            fields.push((key, Value::List(list)));
        }
    }
    if let Some(seconds) = rule.max_age {
        fields.push(("max_age", Value::Int(seconds)));
    }
    for (key, flag) in rule.flags() {
        if let Some(flag) = flag {
            fields.push((key, Value::Bool(flag)));
        }
    }
    fields
}

/// A string as JSON and as a TOML basic string (JSON's escapes are TOML's;
/// TOML also wants DEL escaped).
fn quoted(text: &str) -> String {
    serde_json::Value::from(text)
        .to_string()
        .replace('\u{7f}', "\\u007F")
}

fn value(value: &Value<'_>) -> String {
    match value {
        Value::Str(text) => quoted(text),
        Value::List(items) => {
            let items: Vec<String> = items.iter().map(|item| quoted(item)).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Int(number) => number.to_string(),
        Value::Bool(flag) => flag.to_string(),
    }
}

/// JSON: one rule as an object (the policy's keys among its own), several
/// as `{"rules": [...]}` beside the policy's keys; two-space indentation,
/// a final newline.
fn print_json(config: &PolicyConfig) -> String {
    let object = |fields: &[(&str, Value<'_>)], indent: &str| {
        let lines: Vec<String> = fields
            .iter()
            .map(|(key, v)| format!("{indent}  \"{key}\": {}", value(v)))
            .collect();
        format!("{{\n{}\n{indent}}}", lines.join(",\n"))
    };
    let mut fields = policy_fields(config);
    match config.rules.as_slice() {
        [rule] => {
            fields.extend(rule_fields(rule));
            format!("{}\n", object(&fields, ""))
        }
        rules => {
            let mut lines: Vec<String> = fields
                .iter()
                .map(|(key, v)| format!("  \"{key}\": {}", value(v)))
                .collect();
            let rules: Vec<String> = rules
                .iter()
                .map(|rule| format!("    {}", object(&rule_fields(rule), "    ")))
                .collect();
            lines.push(format!("  \"rules\": [\n{}\n  ]", rules.join(",\n")));
            format!("{{\n{}\n}}\n", lines.join(",\n"))
        }
    }
}

/// TOML: one rule as top-level keys, several as `[[rules]]` tables after
/// the policy's keys.
fn print_toml(config: &PolicyConfig) -> String {
    let lines = |fields: &[(&str, Value<'_>)]| -> String {
        fields
            .iter()
            .map(|(key, v)| format!("{key} = {}\n", value(v)))
            .collect()
    };
    let mut text = lines(&policy_fields(config));
    match config.rules.as_slice() {
        [rule] => text.push_str(&lines(&rule_fields(rule))),
        rules => {
            for rule in rules {
                if !text.is_empty() {
                    text.push('\n');
                }
                text.push_str("[[rules]]\n");
                text.push_str(&lines(&rule_fields(rule)));
            }
        }
    }
    text
}
