//! S3's `PutBucketCors` validation rules, in one place for the compile-time
//! import and the run-time loaders.

use crate::model::{trim_space, CorsConfiguration, CorsRule, MAX_ID_LEN, MAX_RULES, METHODS};
use crate::report::ErrorCode::{InvalidRequest, MalformedXml};
use crate::report::{shorten, ErrorCode, ValidationError, ValidationErrors};
use cors_grammar::{work, MAX_S3_HEADER_PATTERNS};
use std::collections::BTreeSet;

/// Checks a configuration with S3's rules and reports every error found,
/// bounded (see [`ValidationErrors`]): 1 to 100 rules; each with at least
/// one origin and one method; methods among `GET PUT POST DELETE HEAD`; at
/// most one `*` per origin and per allowed header; no `*` and only
/// header-name characters in expose headers; no control characters in any
/// value; an ID of at most 255 characters; a non-negative 32-bit max age;
/// and, beyond S3's own rules, at most [`MAX_S3_HEADER_PATTERNS`] distinct
/// allowed-header patterns in all.
///
/// Costs time linear in the configuration's size: messages are built only
/// for the problems listed.
pub fn validate(config: &CorsConfiguration) -> Result<(), ValidationErrors> {
    let mut errors = ValidationErrors::default();
    let mut whole = |message: String, code| {
        errors.push_with(|| ValidationError {
            rule: None,
            id: None,
            field: "CORSRules",
            message,
            code,
        })
    };
    if config.rules.is_empty() {
        whole(
            "a configuration needs at least one rule".into(),
            ErrorCode::MalformedXml,
        );
    }
    if config.rules.len() > MAX_RULES {
        whole(
            format!(
                "at most {MAX_RULES} rules are allowed; this configuration has {}",
                config.rules.len()
            ),
            ErrorCode::InvalidRequest,
        );
    }
    for (index, rule) in config.rules.iter().enumerate() {
        let mut report = |field: &'static str, message: &dyn Fn() -> String, code| {
            errors.push_with(|| ValidationError {
                rule: Some(index),
                id: rule.id.as_deref().map(|id| shorten(id).into_owned()),
                field,
                message: message(),
                code,
            })
        };
        check_rule(rule, &mut report);
    }
    if let Some((index, count)) = past_pattern_limit(config) {
        let rule = config.rules.get(index);
        errors.push_with(|| ValidationError {
            rule: Some(index),
            id: rule
                .and_then(|rule| rule.id.as_deref())
                .map(|id| shorten(id).into_owned()),
            field: "AllowedHeaders",
            message: format!(
                "a configuration lists at most {MAX_S3_HEADER_PATTERNS} distinct AllowedHeader patterns (values with a `*`, other than `*` itself) across its rules, and with this rule's it lists {count}; every requested header is tested against each pattern, so list exact names, use `*`, or merge patterns (`x-*` covers `x-a-*`)"
            ),
            code: InvalidRequest,
        });
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// The first rule with which the configuration lists more than
/// [`MAX_S3_HEADER_PATTERNS`] distinct header patterns (compared without
/// case, as they match), and the count with it. S3 sets no such limit; the
/// matcher holds every pattern in two tries of at most that many keys, so
/// that a request's cost does not grow with the patterns.
fn past_pattern_limit(config: &CorsConfiguration) -> Option<(usize, usize)> {
    let mut distinct = BTreeSet::new();
    for (index, rule) in config.rules.iter().enumerate() {
        for header in &rule.allowed_headers {
            work::add(1 + header.len());
            if header.contains('*') && header != "*" {
                distinct.insert(header.to_ascii_lowercase());
            }
        }
        if distinct.len() > MAX_S3_HEADER_PATTERNS {
            return Some((index, distinct.len()));
        }
    }
    None
}

/// Reports one problem: the field, a message built only if it is listed,
/// and the S3 code.
type Report<'r> = dyn FnMut(&'static str, &dyn Fn() -> String, ErrorCode) + 'r;

/// Checks one rule, field by field, in document order.
fn check_rule(rule: &CorsRule, report: &mut Report<'_>) {
    work::step();
    check_surrounding_space(rule, report);
    check_id(rule, report);
    check_origins(rule, report);
    check_methods(rule, report);
    check_allowed_headers(rule, report);
    check_expose_headers(rule, report);
    check_max_age(rule, report);
}

/// `ID`: at most 255 characters, no control characters.
fn check_id(rule: &CorsRule, report: &mut Report<'_>) {
    if let Some(id) = &rule.id {
        work::add(id.len());
        let len = id.chars().count();
        if len > MAX_ID_LEN {
            report(
                "ID",
                &|| format!("an ID has at most {MAX_ID_LEN} characters; this one has {len}"),
                InvalidRequest,
            );
        }
        if let Some(c) = forbidden_char(id) {
            report("ID", &|| control_message("ID", id, c), InvalidRequest);
        }
    }
}

/// `AllowedOrigins`: at least one, each with at most one `*` and no control characters.
fn check_origins(rule: &CorsRule, report: &mut Report<'_>) {
    if rule.allowed_origins.is_empty() {
        report(
            "AllowedOrigins",
            &|| {
                "a rule needs at least one origin, e.g. \"https://www.example.com\" or \"*\"".into()
            },
            MalformedXml,
        );
    }
    for origin in &rule.allowed_origins {
        work::add(1 + origin.len());
        if let Some(c) = forbidden_char(origin) {
            report(
                "AllowedOrigins",
                &|| control_message("AllowedOrigin", origin, c),
                InvalidRequest,
            );
        } else if origin.matches('*').count() > 1 {
            report(
                "AllowedOrigins",
                &|| {
                    format!(
                        "AllowedOrigin \"{}\" can not have more than one wildcard.",
                        shorten(origin)
                    )
                },
                InvalidRequest,
            );
        }
    }
}

/// `AllowedMethods`: at least one, each one of S3's five.
fn check_methods(rule: &CorsRule, report: &mut Report<'_>) {
    if rule.allowed_methods.is_empty() {
        report(
            "AllowedMethods",
            &|| "a rule needs at least one method: GET, PUT, POST, DELETE or HEAD".into(),
            MalformedXml,
        );
    }
    for method in &rule.allowed_methods {
        work::add(1 + method.len());
        if !METHODS.contains(&method.as_str()) {
            report(
                "AllowedMethods",
                &|| {
                    format!("Found unsupported HTTP method in CORS config. Unsupported method is {} (use GET, PUT, POST, DELETE or HEAD, uppercase)", shorten(&method.escape_debug().to_string()))
                },
                InvalidRequest,
            );
        }
    }
}

/// `AllowedHeaders`: header names with at most one `*` each.
fn check_allowed_headers(rule: &CorsRule, report: &mut Report<'_>) {
    for header in &rule.allowed_headers {
        work::add(1 + header.len());
        if let Some(c) = forbidden_char(header) {
            report(
                "AllowedHeaders",
                &|| control_message("AllowedHeader", header, c),
                InvalidRequest,
            );
        } else if header.matches('*').count() > 1 {
            report(
                "AllowedHeaders",
                &|| {
                    format!(
                        "AllowedHeader \"{}\" can not have more than one wildcard.",
                        shorten(header)
                    )
                },
                InvalidRequest,
            );
        } else if !is_token(&header.replace('*', "a")) {
            report(
                "AllowedHeaders",
                &|| {
                    format!("AllowedHeader \"{}\" contains invalid character; a header name has only letters, digits and !#$%&'+-.^_`|~", shorten(header))
                },
                InvalidRequest,
            );
        }
    }
}

/// `ExposeHeaders`: header names, no `*`.
fn check_expose_headers(rule: &CorsRule, report: &mut Report<'_>) {
    for header in &rule.expose_headers {
        work::add(1 + header.len());
        if let Some(c) = forbidden_char(header) {
            report(
                "ExposeHeaders",
                &|| control_message("ExposeHeader", header, c),
                InvalidRequest,
            );
        } else if header.contains('*') {
            report(
                "ExposeHeaders",
                &|| {
                    format!("ExposeHeader \"{}\" contains a wildcard. Wildcards are not supported for ExposeHeader; list each header", shorten(header))
                },
                InvalidRequest,
            );
        } else if !is_token(header) {
            report(
                "ExposeHeaders",
                &|| {
                    format!("ExposeHeader \"{}\" contains invalid character; a header name has only letters, digits and !#$%&'+-.^_`|~", shorten(header))
                },
                InvalidRequest,
            );
        }
    }
}

/// `MaxAgeSeconds`: a non-negative 32-bit number.
fn check_max_age(rule: &CorsRule, report: &mut Report<'_>) {
    if let Some(seconds) = rule.max_age_seconds {
        if !(0..=i64::from(i32::MAX)).contains(&seconds) {
            report(
                "MaxAgeSeconds",
                &|| {
                    format!(
                        "MaxAgeSeconds {seconds} is out of range: use 0 to {}",
                        i32::MAX
                    )
                },
                InvalidRequest,
            );
        }
    }
}

/// Values with surrounding whitespace: the text loaders trim them (as S3
/// trims element text), so only a configuration built in code can hold one,
/// and it would not read back as it was stored.
fn check_surrounding_space(rule: &CorsRule, report: &mut Report<'_>) {
    let fields: [(&'static str, &str, &[String]); 5] = [
        ("ID", "ID", rule.id.as_slice()),
        ("AllowedOrigins", "AllowedOrigin", &rule.allowed_origins),
        ("AllowedMethods", "AllowedMethod", &rule.allowed_methods),
        ("AllowedHeaders", "AllowedHeader", &rule.allowed_headers),
        ("ExposeHeaders", "ExposeHeader", &rule.expose_headers),
    ];
    for (field, element, values) in fields {
        for value in values {
            work::add(1 + value.len());
            if trim_space(value).len() != value.len() {
                report(
                    field,
                    &|| {
                        format!(
                            "{element} \"{}\" has surrounding whitespace; write \"{}\"",
                            shorten(value),
                            shorten(trim_space(value))
                        )
                    },
                    ErrorCode::InvalidRequest,
                );
            }
        }
    }
}

/// The first character of `text` that may not appear in a stored value: a
/// control character (C0, DEL, C1), or U+FFFE/U+FFFF, which XML 1.0 cannot
/// carry. Such a value would read back as XML that does not parse (and no
/// browser sends it in a header).
fn forbidden_char(text: &str) -> Option<char> {
    text.chars()
        .find(|c| c.is_control() || matches!(c, '\u{FFFE}' | '\u{FFFF}'))
}

fn control_message(element: &str, value: &str, c: char) -> String {
    format!(
        "{element} \"{}\" contains the control character U+{:04X}, which no browser sends and XML cannot carry; remove it",
        shorten(&value.escape_debug().to_string()),
        u32::from(c)
    )
}

/// Whether `text` is an HTTP token (RFC 9110 §5.6.2): what method and
/// header names are made of.
pub(crate) fn is_token(text: &str) -> bool {
    cors_grammar::is_token(text.as_bytes())
}
