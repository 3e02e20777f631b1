//! The one check every reader and writer runs: each value against the
//! service's [`Rules`], every problem reported with its path.

use cors_grammar::{is_token, quote};

use crate::error::{ProblemKind, Problems};
use crate::json::Item;
use crate::model::{AwsCors, AwsOrigin, Headers, Methods, Scheme};
use crate::origin;
use crate::rules::{List, Raw, Rules};

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
            unaccepted_method(item, rules, problems);
        }
    }
    for (wildcard, covers) in [(any, "allows every method"), (all, "lists every method")] {
        if let Some(item) = wildcard {
            if list.items.len() > 1 {
                problems.push(
                    ProblemKind::Redundant,
                    &list.path,
                    format!(
                        "`{}` (at `{}`) {covers}, so the other methods listed beside it say \
                         nothing; write `{}` alone",
                        quote(&item.value),
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

/// A problem for the method at `item`, which the service does not accept,
/// with a hint where the mistake is a common one.
fn unaccepted_method(item: &Item, rules: &Rules, problems: &mut Problems) {
    let value = item.value.as_str();
    let accepted = || {
        let mut list = rules.methods.join(", ");
        for spelling in [rules.any_method, rules.all_methods].into_iter().flatten() {
            list.push_str(", ");
            list.push_str(spelling);
        }
        list
    };
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

/// The allowed headers (or, with `expose`, the exposed headers) in `list`,
/// checked against `rules`: a problem for each item too long, repeated, or
/// not a header name, for `*` where credentials void it, and for an empty
/// list the service refuses.
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
            check_any_header(item, rules, credentials, expose, problems);
        } else if let Some(name) = header_name(item, rules, problems) {
            out.names.push(name);
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

/// A problem for the `*` at `item` when credentials are allowed and void
/// it: exposed, always; allowed, where the service refuses it.
fn check_any_header(
    item: &Item,
    rules: &Rules,
    credentials: bool,
    expose: bool,
    problems: &mut Problems,
) {
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
}

/// The header name at `item` (other than `*`), or `None` with a problem
/// when it has a partial wildcard or is not a header name.
fn header_name(item: &Item, rules: &Rules, problems: &mut Problems) -> Option<String> {
    if item.value.contains('*') {
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
        None
    } else if is_token(item.value.as_bytes()) {
        Some(item.value.clone())
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
        None
    }
}
