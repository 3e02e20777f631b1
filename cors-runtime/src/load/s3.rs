//! Run-time S3 configurations (feature `s3`): per-bucket CORS rules that
//! arrive over an API, loaded with the same validation and evaluated with
//! the same matcher as `include_s3_json!`/`include_s3_xml!` at compile time.

use std::borrow::Cow;

use cors_s3::__private::S3RuleLayout;
use cors_s3::{CorsConfiguration, CorsRule, ErrorCode, LoadError, ValidationError};

use crate::answer::value::PrebuiltValue;
use crate::answer::{AnswerShape, RuleAnswer};
use crate::matcher::rule_index::RuleIndex;
use crate::matcher::rule_set::RuleSet;
use crate::matcher::s3::{ExactOrigin, Glob, S3Headers, S3Matcher, S3Rule, Wildcard, Written};
use crate::policy::Matcher;
use crate::Policy;

impl Policy {
    /// Loads an S3 CORS configuration in JSON (`{"CORSRules": [...]}`, as
    /// `aws s3api put-bucket-cors` takes it, or the console's bare array),
    /// validated with S3's rules. A document larger than
    /// [`MAX_DOCUMENT_LEN`](crate::s3::MAX_DOCUMENT_LEN) (S3's 64 KB) is
    /// refused before parsing; the error lists at most
    /// ten problems ([`ValidationErrors::unlisted`](crate::s3::ValidationErrors::unlisted)
    /// counts the rest), so loading any
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
        from_validated(cors_s3::from_json(text)?)
    }

    /// Loads an S3 CORS configuration in XML (`<CORSConfiguration>`, as
    /// `PUT /?cors` takes it), validated with S3's rules, with the same
    /// size limit and bounded errors as [`Policy::from_s3_json`].
    pub fn from_s3_xml(text: &str) -> Result<Policy, LoadError> {
        from_validated(cors_s3::from_xml(text)?)
    }

    /// Builds a policy from a parsed configuration, validated with S3's
    /// rules; the configuration is kept for reading back.
    pub fn from_s3_configuration(config: &CorsConfiguration) -> Result<Policy, LoadError> {
        cors_s3::validate(config).map_err(LoadError::Invalid)?;
        from_validated(config.clone())
    }

    /// The S3 configuration this policy was built from, values as written;
    /// `None` for a policy written in the DSL.
    pub fn s3_configuration(&self) -> Option<CorsConfiguration> {
        let matcher = match &self.matcher {
            Matcher::Dsl(_) => return None,
            Matcher::S3Static(matcher) => *matcher,
            Matcher::S3Owned(matcher) => &**matcher,
        };
        match &matcher.written {
            Written::Owned(config) => Some(config.clone()),
            Written::Static(specs) => {
                let owned = |values: &[&str]| values.iter().map(|v| (*v).to_owned()).collect();
                let rules = specs
                    .iter()
                    .map(|spec| CorsRule {
                        id: spec.id.map(str::to_owned),
                        allowed_headers: owned(spec.allowed_headers),
                        allowed_methods: owned(spec.allowed_methods),
                        allowed_origins: owned(spec.allowed_origins),
                        expose_headers: owned(spec.expose_headers),
                        max_age_seconds: spec.max_age_seconds,
                    })
                    .collect();
                Some(CorsConfiguration { rules })
            }
        }
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

/// A policy from a configuration the loaders have validated: its layout
/// (`cors_s3::__private::layout`, as the macro lays it out) in owned memory, and the
/// configuration kept for reading back.
fn from_validated(config: CorsConfiguration) -> Result<Policy, LoadError> {
    let layout = cors_s3::__private::layout(&config);
    let rules = layout
        .rules
        .iter()
        .enumerate()
        .map(|(index, rule)| owned_rule(index, rule))
        .collect::<Result<Vec<_>, _>>()?;
    let exact = layout
        .exact
        .iter()
        .map(|(origin, rules)| ExactOrigin {
            origin: Cow::Owned(origin.clone()),
            rules: RuleSet(*rules),
        })
        .collect();
    let wildcards = layout
        .wildcards
        .iter()
        .map(|(prefix, suffix, rule)| Wildcard {
            glob: owned_glob(prefix, suffix),
            rule: *rule,
        })
        .collect();
    let matcher = S3Matcher {
        rules: Cow::Owned(rules),
        exact: Cow::Owned(exact),
        wildcards: Cow::Owned(wildcards),
        any_origin: RuleSet(layout.any_origin),
        rule_index: RuleIndex::owned(layout.rule_index),
        written: Written::Owned(config),
    };
    Ok(Policy {
        matcher: Matcher::S3Owned(Box::new(matcher)),
    })
}

/// One rule of the layout in owned memory; an error when a response value
/// is not a header value (validation has made sure it is).
fn owned_rule(index: usize, rule: &S3RuleLayout) -> Result<S3Rule, LoadError> {
    let value = |text: &str| {
        PrebuiltValue::owned(text).map_err(|error| {
            LoadError::Invalid(
                ValidationError {
                    rule: Some(index),
                    id: None,
                    field: "CORSRules",
                    message: format!(
                        "a response value of this rule is not a header value: {error}"
                    ),
                    code: ErrorCode::InvalidRequest,
                }
                .into(),
            )
        })
    };
    let owned = |texts: &[String]| -> Cow<'static, [Cow<'static, str>]> {
        Cow::Owned(texts.iter().map(|text| Cow::Owned(text.clone())).collect())
    };
    Ok(S3Rule {
        methods: owned(&rule.methods),
        headers: S3Headers {
            any: rule.any_header,
            names: owned(&rule.header_names),
            patterns: Cow::Owned(
                rule.header_patterns
                    .iter()
                    .map(|(prefix, suffix)| owned_glob(prefix, suffix))
                    .collect(),
            ),
        },
        answer: RuleAnswer {
            id: rule.id.clone().map(Cow::Owned),
            any_origin: rule.any_origin,
            credentials: !rule.any_origin,
            echo_method: false,
            allow_methods: value(&rule.allow_methods)?,
            expose_headers: rule.expose_headers.as_deref().map(value).transpose()?,
            max_age: rule.max_age.as_deref().map(value).transpose()?,
            shape: AnswerShape::S3,
        },
    })
}

fn owned_glob(prefix: &str, suffix: &str) -> Glob {
    Glob {
        prefix: Cow::Owned(prefix.to_owned()),
        suffix: Cow::Owned(suffix.to_owned()),
    }
}
