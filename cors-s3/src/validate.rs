//! S3's `PutBucketCors` validation rules, in one place for the compile-time
//! import and the run-time loaders.

use std::fmt;

use crate::model::{CorsConfiguration, MAX_ID_LEN, MAX_RULES, METHODS};

/// The S3 error code a mistake maps to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    /// `MalformedXML`: the document's structure is wrong (no rule, a rule
    /// without origins or methods).
    MalformedXml,
    /// `InvalidRequest`: a value is not allowed.
    InvalidRequest,
}

impl ErrorCode {
    /// The code as S3 writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::MalformedXml => "MalformedXML",
            ErrorCode::InvalidRequest => "InvalidRequest",
        }
    }
}

/// One validation error: where (rule index and ID, field) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    /// The rule's position, from 0; `None` for the configuration as a whole.
    pub rule: Option<usize>,
    /// The rule's `ID`, if it has one.
    pub id: Option<String>,
    /// The field, as S3 names it in JSON (`AllowedOrigins`, ...).
    pub field: &'static str,
    /// What is wrong and how to fix it.
    pub message: String,
    /// The S3 error code `PutBucketCors` would answer.
    pub code: ErrorCode,
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.rule, &self.id) {
            (Some(index), Some(id)) => write!(f, "rule {index} (`{id}`), {}: ", self.field)?,
            (Some(index), None) => write!(f, "rule {index}, {}: ", self.field)?,
            (None, _) => write!(f, "{}: ", self.field)?,
        }
        f.write_str(&self.message)
    }
}

/// Checks a configuration with S3's rules and returns every error found:
/// 1 to 100 rules; each with at least one origin and one method; methods
/// among `GET PUT POST DELETE HEAD`; at most one `*` per origin and per
/// allowed header; no `*` and only header-name characters in expose
/// headers; an ID of at most 255 characters; a non-negative 32-bit max age.
pub fn validate(config: &CorsConfiguration) -> Result<(), Vec<ValidationError>> {
    let mut errors = Vec::new();
    let whole = |message: String, code| ValidationError {
        rule: None,
        id: None,
        field: "CORSRules",
        message,
        code,
    };
    if config.rules.is_empty() {
        errors.push(whole(
            "a configuration needs at least one rule".into(),
            ErrorCode::MalformedXml,
        ));
    }
    if config.rules.len() > MAX_RULES {
        errors.push(whole(
            format!(
                "at most {MAX_RULES} rules are allowed; this configuration has {}",
                config.rules.len()
            ),
            ErrorCode::InvalidRequest,
        ));
    }
    for (index, rule) in config.rules.iter().enumerate() {
        let mut error = |field, message: String, code| {
            errors.push(ValidationError {
                rule: Some(index),
                id: rule.id.clone(),
                field,
                message,
                code,
            })
        };
        if let Some(id) = &rule.id {
            if id.chars().count() > MAX_ID_LEN {
                error(
                    "ID",
                    format!(
                        "an ID has at most {MAX_ID_LEN} characters; this one has {}",
                        id.chars().count()
                    ),
                    ErrorCode::InvalidRequest,
                );
            }
        }
        if rule.allowed_origins.is_empty() {
            error(
                "AllowedOrigins",
                "a rule needs at least one origin, e.g. \"https://www.example.com\" or \"*\""
                    .into(),
                ErrorCode::MalformedXml,
            );
        }
        for origin in &rule.allowed_origins {
            if origin.matches('*').count() > 1 {
                error(
                    "AllowedOrigins",
                    format!("AllowedOrigin \"{origin}\" can not have more than one wildcard."),
                    ErrorCode::InvalidRequest,
                );
            }
        }
        if rule.allowed_methods.is_empty() {
            error(
                "AllowedMethods",
                "a rule needs at least one method: GET, PUT, POST, DELETE or HEAD".into(),
                ErrorCode::MalformedXml,
            );
        }
        for method in &rule.allowed_methods {
            if !METHODS.contains(&method.as_str()) {
                error("AllowedMethods", format!("Found unsupported HTTP method in CORS config. Unsupported method is {method} (use GET, PUT, POST, DELETE or HEAD, uppercase)"), ErrorCode::InvalidRequest);
            }
        }
        for header in &rule.allowed_headers {
            if header.matches('*').count() > 1 {
                error(
                    "AllowedHeaders",
                    format!("AllowedHeader \"{header}\" can not have more than one wildcard."),
                    ErrorCode::InvalidRequest,
                );
            } else if !is_token(&header.replace('*', "a")) {
                error("AllowedHeaders", format!("AllowedHeader \"{header}\" contains invalid character; a header name has only letters, digits and !#$%&'+-.^_`|~"), ErrorCode::InvalidRequest);
            }
        }
        for header in &rule.expose_headers {
            if header.contains('*') {
                error("ExposeHeaders", format!("ExposeHeader \"{header}\" contains a wildcard. Wildcards are not supported for ExposeHeader; list each header"), ErrorCode::InvalidRequest);
            } else if !is_token(header) {
                error("ExposeHeaders", format!("ExposeHeader \"{header}\" contains invalid character; a header name has only letters, digits and !#$%&'+-.^_`|~"), ErrorCode::InvalidRequest);
            }
        }
        if let Some(seconds) = rule.max_age_seconds {
            if !(0..=i64::from(i32::MAX)).contains(&seconds) {
                error(
                    "MaxAgeSeconds",
                    format!(
                        "MaxAgeSeconds {seconds} is out of range: use 0 to {}",
                        i32::MAX
                    ),
                    ErrorCode::InvalidRequest,
                );
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Whether `text` is an HTTP token (RFC 9110 §5.6.2): what method and
/// header names are made of.
pub fn is_token(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}
