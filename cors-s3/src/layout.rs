//! The matcher's tables for a validated S3 configuration, computed once: by
//! `cors_policy!` when it imports a file (written as statics) and by the
//! run-time loaders (owned). Both moments build the same tables from this
//! one function, as DSL policies share `cors_config::__private::layout`.

use cors_grammar::rule_index::{self, RuleBits, RuleIndexLayout, RuleNames};
use cors_grammar::{insert_rule, RULE_SET_WORDS};

use crate::CorsConfiguration;

/// The matcher's tables of one configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3Layout {
    /// The rules, in order.
    pub rules: Vec<S3RuleLayout>,
    /// Origins without `*`, sorted by bytes, each with the rules listing it.
    pub exact: Vec<(String, RuleBits)>,
    /// Origins with one `*`: prefix, suffix and rule, in rule order.
    pub wildcards: Vec<(String, String, u16)>,
    /// The rules listing the lone `*`.
    pub any_origin: RuleBits,
    /// Which rules allow which methods and request headers, configuration
    /// wide: a request several rules' origins match reads its header list
    /// once.
    pub rule_index: RuleIndexLayout,
}

/// One rule's matching data and response values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3RuleLayout {
    /// `ID`.
    pub id: Option<String>,
    /// `AllowedMethods`, as written (compared byte for byte).
    pub methods: Vec<String>,
    /// `AllowedHeaders` includes `*`.
    pub any_header: bool,
    /// `AllowedHeaders` without `*`, lowercase.
    pub header_names: Vec<String>,
    /// `AllowedHeaders` with one `*`, lowercase: prefix and suffix.
    pub header_patterns: Vec<(String, String)>,
    /// `AllowedOrigins` includes the lone `*`: the rule answers `*`.
    pub any_origin: bool,
    /// `Access-Control-Allow-Methods`: the methods joined by `", "`.
    pub allow_methods: String,
    /// `Access-Control-Expose-Headers`: `ExposeHeaders` joined by `", "`.
    pub expose_headers: Option<String>,
    /// `Access-Control-Max-Age`.
    pub max_age: Option<String>,
}

/// The tables of `config`, which must have passed [`crate::validate`]
/// (rules beyond what a rule index can hold are left out).
pub fn layout(config: &CorsConfiguration) -> S3Layout {
    let mut layout = S3Layout {
        rules: Vec::new(),
        exact: Vec::new(),
        wildcards: Vec::new(),
        any_origin: [0; RULE_SET_WORDS],
        rule_index: RuleIndexLayout::default(),
    };
    let mut exact: std::collections::BTreeMap<&str, RuleBits> = std::collections::BTreeMap::new();
    for (index, rule) in config.rules.iter().enumerate() {
        let Ok(index) = u16::try_from(index) else {
            break;
        };
        let mut any_origin = false;
        for origin in &rule.allowed_origins {
            if origin == "*" {
                any_origin = true;
                insert_rule(&mut layout.any_origin, usize::from(index));
            } else if let Some((prefix, suffix)) = origin.split_once('*') {
                layout
                    .wildcards
                    .push((prefix.to_owned(), suffix.to_owned(), index));
            } else {
                insert_rule(exact.entry(origin).or_default(), usize::from(index));
            }
        }
        let mut rule_layout = S3RuleLayout {
            id: rule.id.clone(),
            methods: rule.allowed_methods.clone(),
            any_header: false,
            header_names: Vec::new(),
            header_patterns: Vec::new(),
            any_origin,
            allow_methods: rule.allowed_methods.join(", "),
            expose_headers: (!rule.expose_headers.is_empty())
                .then(|| rule.expose_headers.join(", ")),
            max_age: rule.max_age_seconds.map(|seconds| seconds.to_string()),
        };
        for header in &rule.allowed_headers {
            let lower = header.to_ascii_lowercase();
            match lower.split_once('*') {
                _ if lower == "*" => rule_layout.any_header = true,
                Some((prefix, suffix)) => rule_layout
                    .header_patterns
                    .push((prefix.to_owned(), suffix.to_owned())),
                None => rule_layout.header_names.push(lower),
            }
        }
        layout.rules.push(rule_layout);
    }
    layout.exact = exact
        .into_iter()
        .map(|(origin, rules)| (origin.to_owned(), rules))
        .collect();
    layout.rule_index = rule_index::layout(layout.rules.iter().map(|rule| RuleNames {
        any_method: false,
        methods: &rule.methods,
        any_header: rule.any_header,
        headers: &rule.header_names,
        header_patterns: &rule.header_patterns,
    }));
    layout
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CorsRule;

    #[test]
    fn tables_follow_the_rules() {
        let rule = |origins: &[&str], headers: &[&str]| CorsRule {
            id: Some("r".into()),
            allowed_headers: headers.iter().map(|h| (*h).to_owned()).collect(),
            allowed_methods: vec!["GET".into(), "PUT".into()],
            allowed_origins: origins.iter().map(|o| (*o).to_owned()).collect(),
            expose_headers: vec!["ETag".into(), "x-amz-id".into()],
            max_age_seconds: Some(300),
        };
        let config = CorsConfiguration {
            rules: vec![
                rule(
                    &["https://b.example", "https://*.example"],
                    &["X-Amz-*", "Content-Type"],
                ),
                rule(&["*", "https://b.example", "https://a.example"], &["*"]),
            ],
        };
        let layout = layout(&config);
        assert_eq!(
            layout.exact,
            [
                ("https://a.example".to_owned(), [0b10, 0, 0, 0]),
                ("https://b.example".to_owned(), [0b11, 0, 0, 0]),
            ]
        );
        assert_eq!(
            layout.wildcards,
            [("https://".to_owned(), ".example".to_owned(), 0)]
        );
        assert_eq!(layout.any_origin, [0b10, 0, 0, 0]);
        let first = &layout.rules[0];
        assert_eq!(first.header_names, ["content-type"]);
        assert_eq!(
            first.header_patterns,
            [("x-amz-".to_owned(), String::new())]
        );
        assert_eq!(first.allow_methods, "GET, PUT");
        assert_eq!(first.expose_headers.as_deref(), Some("ETag, x-amz-id"));
        assert_eq!(first.max_age.as_deref(), Some("300"));
        assert!(layout.rules[1].any_header && layout.rules[1].any_origin);
    }
}
