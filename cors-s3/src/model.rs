//! The S3 CORS configuration model, values kept exactly as written (order
//! and case), so that a stored configuration reads back as it was put.

use serde::{Deserialize, Serialize};

/// The most rules a configuration may have (S3's limit).
pub const MAX_RULES: usize = 100;

/// The longest rule `ID` (S3's limit, in characters).
pub const MAX_ID_LEN: usize = 255;

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

impl CorsRule {
    /// How errors and decisions name the rule: its `ID` if it has one.
    pub fn label(&self, index: usize) -> String {
        match &self.id {
            Some(id) => format!("rule {index} (`{id}`)"),
            None => format!("rule {index}"),
        }
    }
}
