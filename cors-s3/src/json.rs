//! The JSON forms: the CLI's `{"CORSRules": [...]}` (what `get-bucket-cors`
//! prints) and the S3 console's bare array of rules.

use crate::model::{CorsConfiguration, CorsRule};

/// Parses either JSON form, values trimmed of surrounding whitespace; the
/// error is serde_json's message (it names the unknown or missing field and
/// the line and column).
pub(crate) fn parse(text: &str) -> Result<CorsConfiguration, String> {
    let mut config = if text.trim_start().starts_with('[') {
        let rules: Vec<CorsRule> = serde_json::from_str(text).map_err(|e| e.to_string())?;
        CorsConfiguration { rules }
    } else {
        serde_json::from_str(text).map_err(|e| e.to_string())?
    };
    config.trim_values();
    Ok(config)
}

/// The canonical form: compact `{"CORSRules":[...]}`, keys in the API
/// model's order, absent members left out.
pub(crate) fn serialize(config: &CorsConfiguration) -> String {
    // Serialising plain strings, lists and integers cannot fail.
    serde_json::to_string(config).unwrap_or_default()
}
