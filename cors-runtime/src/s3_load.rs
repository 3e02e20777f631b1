//! Run-time S3 configurations (feature `s3`): per-bucket CORS rules that
//! arrive over an API, loaded with the same validation and evaluated with
//! the same matcher as `include_s3_json!`/`include_s3_xml!` at compile time.

use cors_s3::{CorsConfiguration, CorsRule, ErrorCode, LoadError, ValidationError};

use crate::policy::Matcher;
use crate::s3_matcher::{S3Policy, S3RuleSpec};
use crate::Policy;

impl Policy {
    /// Loads an S3 CORS configuration in JSON (`{"CORSRules": [...]}`, as
    /// `aws s3api put-bucket-cors` takes it, or the console's bare array),
    /// validated with S3's rules. A document larger than
    /// [`MAX_DOCUMENT_LEN`](crate::s3::MAX_DOCUMENT_LEN) (S3's 64 KB) is
    /// refused before parsing; the error lists at most
    /// [`MAX_REPORTED`](crate::s3::MAX_REPORTED) problems, so loading any
    /// input costs time and memory linear in its size.
    ///
    /// ```
    /// let policy = cors_runtime::Policy::from_s3_json(
    ///     r#"{"CORSRules":[{"AllowedOrigins":["https://*.example.com"],"AllowedMethods":["GET"]}]}"#,
    /// )?;
    /// let mut request = http::HeaderMap::new();
    /// request.insert("origin", http::HeaderValue::from_static("https://app.example.com"));
    /// assert!(policy.evaluate(&http::Method::GET, &request).is_allowed());
    /// # Ok::<(), cors_runtime::s3::LoadError>(())
    /// ```
    pub fn from_s3_json(text: &str) -> Result<Policy, LoadError> {
        Policy::from_s3_configuration(&cors_s3::from_json(text)?)
    }

    /// Loads an S3 CORS configuration in XML (`<CORSConfiguration>`, as
    /// `PUT /?cors` takes it), validated with S3's rules, with the same
    /// size limit and bounded errors as [`Policy::from_s3_json`].
    pub fn from_s3_xml(text: &str) -> Result<Policy, LoadError> {
        Policy::from_s3_configuration(&cors_s3::from_xml(text)?)
    }

    /// Builds a policy from a parsed configuration, validated with S3's rules.
    pub fn from_s3_configuration(config: &CorsConfiguration) -> Result<Policy, LoadError> {
        cors_s3::validate(config).map_err(LoadError::Invalid)?;
        let columns: Vec<[Vec<&str>; 4]> = config
            .rules
            .iter()
            .map(|rule| {
                [
                    strings(&rule.allowed_origins),
                    strings(&rule.allowed_methods),
                    strings(&rule.allowed_headers),
                    strings(&rule.expose_headers),
                ]
            })
            .collect();
        let specs: Vec<S3RuleSpec<'_>> = config
            .rules
            .iter()
            .zip(&columns)
            .map(|(rule, [origins, methods, headers, expose])| S3RuleSpec {
                id: rule.id.as_deref(),
                allowed_origins: origins,
                allowed_methods: methods,
                allowed_headers: headers,
                expose_headers: expose,
                max_age_seconds: rule.max_age_seconds,
            })
            .collect();
        let matcher = S3Policy::build(&specs).map_err(|message| {
            LoadError::Invalid(
                ValidationError {
                    rule: None,
                    id: None,
                    field: "CORSRules",
                    message,
                    code: ErrorCode::InvalidRequest,
                }
                .into(),
            )
        })?;
        Ok(Policy {
            matcher: Matcher::S3Owned(Box::new(matcher)),
        })
    }

    /// The S3 configuration this policy was built from, values as written;
    /// `None` for a policy written in the DSL.
    pub fn s3_configuration(&self) -> Option<CorsConfiguration> {
        let matcher = match &self.matcher {
            Matcher::Strict(_) => return None,
            Matcher::S3Static(matcher) => &**matcher,
            Matcher::S3Owned(matcher) => &**matcher,
        };
        let rules = matcher
            .written
            .iter()
            .map(|rule| CorsRule {
                id: rule.id.clone(),
                allowed_headers: rule.allowed_headers.clone(),
                allowed_methods: rule.allowed_methods.clone(),
                allowed_origins: rule.allowed_origins.clone(),
                expose_headers: rule.expose_headers.clone(),
                max_age_seconds: rule.max_age_seconds,
            })
            .collect();
        Some(CorsConfiguration { rules })
    }

    /// The configuration as `aws s3api get-bucket-cors` prints it; `None` for
    /// a policy written in the DSL.
    pub fn to_s3_json(&self) -> Option<String> {
        self.s3_configuration().map(|config| config.to_json())
    }

    /// The configuration as `GET /?cors` answers; `None` for a policy
    /// written in the DSL.
    pub fn to_s3_xml(&self) -> Option<String> {
        self.s3_configuration().map(|config| config.to_xml())
    }
}

/// The values as `&str`s, for [`S3RuleSpec`].
fn strings(values: &[String]) -> Vec<&str> {
    values.iter().map(String::as_str).collect()
}
