//! The S3 CORS configuration model, values kept exactly as written (order
//! and case), so that a stored configuration reads back as it was put.

use serde::{Deserialize, Serialize};

/// The most rules a configuration may have (S3's limit).
pub const MAX_RULES: usize = 100;

/// The largest configuration document accepted, in bytes: S3's limit on the
/// XML form ("limited to 64 KB"), applied to the JSON form too.
pub const MAX_DOCUMENT_LEN: usize = 64 * 1024;

/// The longest rule `ID` (S3's limit, in characters).
pub const MAX_ID_LEN: usize = cors_grammar::MAX_ID_LEN;

/// The methods S3 accepts in `AllowedMethod`, case-sensitive.
pub const METHODS: [&str; 5] = ["GET", "PUT", "POST", "DELETE", "HEAD"];

/// A bucket's CORS configuration: `CORSConfiguration` / `{"CORSRules": [...]}`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CorsConfiguration {
    /// The rules, in order: the first that matches a request wins.
    #[serde(rename = "CORSRules")]
    pub rules: Vec<CorsRule>,
}

/// One `CORSRule`. Field order is the S3 API model's, which is also the
/// order `get-bucket-cors` prints them in.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CorsRule {
    /// `ID`: names the rule (at most 255 characters).
    #[serde(rename = "ID", default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `AllowedHeaders`: request headers a preflight may ask for; one `*` per
    /// value (`x-amz-*`), `*` alone for any. Compared case-insensitively.
    #[serde(
        rename = "AllowedHeaders",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub allowed_headers: Vec<String>,
    /// `AllowedMethods`: `GET`, `PUT`, `POST`, `DELETE`, `HEAD`.
    #[serde(rename = "AllowedMethods", default)]
    pub allowed_methods: Vec<String>,
    /// `AllowedOrigins`: compared case-sensitively, as plain strings; one `*`
    /// per value matches any run of characters, possibly empty.
    #[serde(rename = "AllowedOrigins", default)]
    pub allowed_origins: Vec<String>,
    /// `ExposeHeaders`: response headers scripts may read, as stored.
    #[serde(
        rename = "ExposeHeaders",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub expose_headers: Vec<String>,
    /// `MaxAgeSeconds`: how long a browser may cache the preflight.
    #[serde(
        rename = "MaxAgeSeconds",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub max_age_seconds: Option<i64>,
}

/// `text` without surrounding XML whitespace (space, tab, CR, LF): S3 trims
/// element text, so `<AllowedMethod> GET </AllowedMethod>` means `GET`.
pub(crate) fn trim_space(text: &str) -> &str {
    text.trim_matches([' ', '\t', '\r', '\n'])
}

impl CorsConfiguration {
    /// Trims every value of surrounding whitespace, in place (allocating
    /// only for values that change).
    pub(crate) fn trim_values(&mut self) {
        fn trim(value: &mut String) {
            cors_grammar::work::step();
            if trim_space(value).len() != value.len() {
                *value = trim_space(value).to_owned();
            }
        }
        for rule in &mut self.rules {
            rule.id.iter_mut().for_each(trim);
            for list in [
                &mut rule.allowed_headers,
                &mut rule.allowed_methods,
                &mut rule.allowed_origins,
                &mut rule.expose_headers,
            ] {
                list.iter_mut().for_each(trim);
            }
        }
    }
}
