//! Amazon S3 bucket-CORS configurations: the JSON and XML formats, S3's
//! `PutBucketCors` validation rules and S3's CORS error answers.
//!
//! Shared by `cors-macros` (`include_s3_json!`/`include_s3_xml!` inside
//! `cors_policy!`) and `cors-runtime` (`Policy::from_s3_json`/`from_s3_xml`,
//! feature `s3`), so that both apply the same rules. Values are kept as
//! written, so a configuration reads back (`to_json`, `to_xml`) byte for
//! byte when its input was in canonical form.
//!
//! ```
//! let config = cors_s3::from_json(r#"{"CORSRules":[{"AllowedMethods":["GET"],"AllowedOrigins":["*"]}]}"#)?;
//! assert_eq!(config.rules[0].allowed_methods, ["GET"]);
//! assert_eq!(config.to_xml(), "<CORSConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>");
//! # Ok::<(), cors_s3::LoadError>(())
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod answers;
mod json;
mod model;
mod validate;
mod xml;

use std::fmt;

pub use model::{CorsConfiguration, CorsRule, MAX_ID_LEN, MAX_RULES, METHODS};
pub use validate::{is_token, validate, ErrorCode, ValidationError};

/// The format a configuration was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `{"CORSRules": [...]}` or a bare array of rules.
    Json,
    /// `<CORSConfiguration>`.
    Xml,
}

/// Why a configuration could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadError {
    /// The text is not a configuration in that format.
    Syntax {
        /// The format expected.
        format: Format,
        /// What the parser found.
        message: String,
    },
    /// The configuration breaks S3's rules: every problem, each with its rule
    /// and field.
    Invalid(Vec<ValidationError>),
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Syntax { format, message } => {
                let format = match format {
                    Format::Json => "JSON",
                    Format::Xml => "XML",
                };
                write!(f, "not an S3 CORS configuration in {format}: {message}")
            }
            LoadError::Invalid(errors) => {
                let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
                write!(f, "invalid S3 CORS configuration: {}", lines.join("; "))
            }
        }
    }
}

impl std::error::Error for LoadError {}

impl LoadError {
    /// The S3 error code `PutBucketCors` would answer.
    pub fn code(&self) -> ErrorCode {
        match self {
            LoadError::Syntax { .. } => ErrorCode::MalformedXml,
            LoadError::Invalid(errors) => {
                errors.first().map_or(ErrorCode::MalformedXml, |e| e.code)
            }
        }
    }
}

/// Reads and validates the JSON form.
pub fn from_json(text: &str) -> Result<CorsConfiguration, LoadError> {
    let config = json::parse(text).map_err(|message| LoadError::Syntax {
        format: Format::Json,
        message,
    })?;
    validate(&config).map_err(LoadError::Invalid)?;
    Ok(config)
}

/// Reads and validates the XML form.
pub fn from_xml(text: &str) -> Result<CorsConfiguration, LoadError> {
    let config = xml::parse(text).map_err(|message| LoadError::Syntax {
        format: Format::Xml,
        message,
    })?;
    validate(&config).map_err(LoadError::Invalid)?;
    Ok(config)
}

impl CorsConfiguration {
    /// The canonical JSON form, as `aws s3api get-bucket-cors` prints it
    /// (compact, keys in the API model's order).
    pub fn to_json(&self) -> String {
        json::serialize(self)
    }

    /// The canonical XML form, as `GET /?cors` answers.
    pub fn to_xml(&self) -> String {
        xml::serialize(self)
    }
}
