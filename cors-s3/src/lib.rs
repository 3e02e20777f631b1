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
mod layout;
mod model;
mod report;
mod validate;
mod xml;

use std::fmt;

pub use model::{CorsConfiguration, CorsRule, MAX_DOCUMENT_LEN, MAX_ID_LEN, MAX_RULES, METHODS};
pub use report::{ErrorCode, ValidationError, ValidationErrors};
pub use validate::validate;

/// Not public API: the matcher's tables of a configuration, shared between
/// this workspace's crates (`cors-macros` writes them into statics,
/// `cors-runtime` builds them in memory). Hidden from the documentation and
/// outside semver, like serde's `__private`; they change with the runtime's
/// matcher.
#[doc(hidden)]
pub mod __private {
    pub use crate::layout::{layout, S3Layout, S3RuleLayout};
}

/// The most characters of a parser's message kept in [`LoadError::Syntax`].
const MAX_SYNTAX_MESSAGE_CHARS: usize = 300;

/// The format a configuration was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `{"CORSRules": [...]}` or a bare array of rules.
    Json,
    /// `<CORSConfiguration>`.
    Xml,
}

/// Why a configuration could not be loaded. Every variant is small whatever
/// the input: values are quoted shortened and at most
/// [`MAX_REPORTED`](cors_grammar::report::MAX_REPORTED) problems are listed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum LoadError {
    /// The document is larger than S3's limit ([`MAX_DOCUMENT_LEN`]); it
    /// was not parsed.
    TooLarge {
        /// The format expected.
        format: Format,
        /// The document's size in bytes.
        len: usize,
    },
    /// The text is not a configuration in that format.
    Syntax {
        /// The format expected.
        format: Format,
        /// What the parser found: at most 300 of its characters, then `…`, with
        /// control and bidirectional-formatting characters escaped (`\u{202e}`).
        message: String,
    },
    /// The configuration breaks S3's rules: the problems, each with its rule
    /// and field (bounded).
    Invalid(ValidationErrors),
}

fn format_name(format: Format) -> &'static str {
    match format {
        Format::Json => "JSON",
        Format::Xml => "XML",
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::TooLarge { format, .. } | LoadError::Syntax { format, .. } => write!(
                f,
                "not an S3 CORS configuration in {}: {}",
                format_name(*format),
                self.s3_message()
            ),
            LoadError::Invalid(errors) => write!(f, "invalid S3 CORS configuration: {errors}"),
        }
    }
}

impl std::error::Error for LoadError {}

impl LoadError {
    /// The S3 error code `PutBucketCors` would answer.
    pub fn code(&self) -> ErrorCode {
        match self {
            LoadError::TooLarge { .. } => ErrorCode::MaxMessageLengthExceeded,
            LoadError::Syntax { .. } => ErrorCode::MalformedXml,
            LoadError::Invalid(errors) => {
                errors.first().map_or(ErrorCode::MalformedXml, |e| e.code)
            }
        }
    }

    /// The message of S3's error answer: like S3, it names only the first
    /// problem.
    pub fn s3_message(&self) -> String {
        match self {
            LoadError::TooLarge { len, .. } => format!(
                "Your request was too big: the document is {len} bytes; S3 accepts at most {MAX_DOCUMENT_LEN}"
            ),
            LoadError::Syntax { message, .. } => message.clone(),
            LoadError::Invalid(errors) => errors
                .first()
                .map_or_else(String::new, ToString::to_string),
        }
    }
}

/// The document without a leading byte-order mark, after checking S3's
/// size limit on the document as sent.
fn prepare(text: &str, format: Format) -> Result<&str, LoadError> {
    if text.len() > MAX_DOCUMENT_LEN {
        return Err(LoadError::TooLarge {
            format,
            len: text.len(),
        });
    }
    Ok(text.strip_prefix('\u{FEFF}').unwrap_or(text))
}

fn syntax(format: Format, message: &str) -> LoadError {
    LoadError::Syntax {
        format,
        message: cors_grammar::report::shorten_to(message, MAX_SYNTAX_MESSAGE_CHARS).into_owned(),
    }
}

/// Reads and validates the JSON form (at most [`MAX_DOCUMENT_LEN`] bytes,
/// checked before parsing; a leading byte-order mark is skipped; values
/// are trimmed of surrounding whitespace, as S3 trims the XML the CLI
/// sends).
pub fn from_json(text: &str) -> Result<CorsConfiguration, LoadError> {
    let text = prepare(text, Format::Json)?;
    let config = json::parse(text).map_err(|message| syntax(Format::Json, &message))?;
    validate(&config).map_err(LoadError::Invalid)?;
    Ok(config)
}

/// Reads and validates the XML form (at most [`MAX_DOCUMENT_LEN`] bytes,
/// checked before parsing). It accepts what S3 accepts: S3's namespace as
/// the default or under any prefix (or none), comments, processing
/// instructions, CDATA, the predefined entities and character references,
/// and values trimmed as S3 trims them; it refuses a `<!DOCTYPE>`, elements
/// in another namespace, text outside values and anything after the root.
pub fn from_xml(text: &str) -> Result<CorsConfiguration, LoadError> {
    let text = prepare(text, Format::Xml)?;
    let config = xml::parse(text).map_err(|message| syntax(Format::Xml, &message))?;
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
