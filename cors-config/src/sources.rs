//! Policies known only at run time: JSON, TOML, environment variables and
//! [`PolicyConfig`], each read into the same [`RawPolicy`] tree the macro
//! builds from its tokens, then judged by the same checker.
//!
//! - JSON: one rule as an object with the DSL's keys, or several rules as an
//!   array of such objects (first match wins), or as an object with the
//!   policy's own keys beside `rules`:
//!   `{"cross_origin_protection": false, "rules": [...]}`.
//! - TOML: one rule as top-level keys, or several as `[[rules]]` tables,
//!   with the policy's own keys at the top level.
//! - Environment: `{P}_ALLOW_ORIGINS`, `{P}_ALLOW_METHODS`,
//!   `{P}_ALLOW_HEADERS`, `{P}_EXPOSE_HEADERS`, `{P}_OPEN_PATHS`
//!   (comma-separated, surrounding spaces ignored), `{P}_MAX_AGE`,
//!   `{P}_ALLOW_CREDENTIALS` and `{P}_CROSS_ORIGIN_PROTECTION` (`true` or
//!   `false`), `{P}_ID` and the two `{P}_DANGEROUSLY_...` switches; one rule.
//!   Any other `{P}_...` variable is an error: a typo must not silently
//!   weaken the policy.

use serde::{Deserialize, Serialize};

use crate::error::{ConfigError, Source};
use crate::model::PolicyModel;
use crate::nesting::{self, Syntax, MAX_NESTING};
use crate::raw::{RawField, RawItem, RawPolicy, RawRule, RawValue};
use crate::tree::Tree;

/// The largest JSON or TOML document read, in bytes: far above any real
/// policy (10,000 origins take about 300 KB), and a bound on the work a
/// hostile document can cause.
pub const MAX_DOCUMENT_LEN: usize = 1 << 20;

/// A policy as a plain data structure, with the DSL's key names: build it
/// in code, or deserialize it from any serde format. `None` means the key
/// was left out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyConfig {
    /// `cross_origin_protection`: `Some(false)` turns the protection off
    /// (left out, it is on).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cross_origin_protection: Option<bool>,
    /// `open_paths`: the paths that stay open to cross-site `POST`s
    /// (`/pay/callback`, or a prefix `/hooks/*`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub open_paths: Option<Vec<String>>,
    /// The rules, in order: the first that matches a request wins.
    pub rules: Vec<RuleConfig>,
}

/// One rule of a [`PolicyConfig`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleConfig {
    /// Names the rule in decisions and logs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Origin patterns (required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_origins: Option<Vec<String>>,
    /// Methods (required), case-sensitive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_methods: Option<Vec<String>>,
    /// Request headers a preflight may ask for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_headers: Option<Vec<String>>,
    /// Response headers scripts may read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expose_headers: Option<Vec<String>>,
    /// `Access-Control-Max-Age`, in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_age: Option<u64>,
    /// `allow_credentials: true`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_credentials: Option<bool>,
    /// Lets a credentialed rule allow insecure origins.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dangerously_allow_insecure_origins: Option<bool>,
    /// Lets a credentialed rule allow wildcards over public suffixes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dangerously_allow_public_suffix_wildcards: Option<bool>,
}

/// Checks a policy written as JSON: one rule as an object with the DSL's
/// keys, several as an array of such objects, or as `{"rules": [...]}` with
/// the policy's own keys (`cross_origin_protection`, `open_paths`) beside
/// `rules`.
pub fn from_json(text: &str) -> Result<PolicyModel, ConfigError> {
    let tree = read(text, "JSON", Syntax::Json, |text| {
        serde_json::from_str::<Tree>(text).map_err(|e| e.to_string())
    })?;
    check_raw(json_policy(tree), Source::Document)
}

/// Checks a policy written as TOML: one rule as top-level keys, or several
/// as `[[rules]]` tables with the policy's own keys at the top level.
pub fn from_toml(text: &str) -> Result<PolicyModel, ConfigError> {
    let tree = read(text, "TOML", Syntax::Toml, |text| {
        toml::from_str::<Tree>(text).map_err(|e| e.message().to_owned())
    })?;
    check_raw(toml_policy(tree), Source::Document)
}

/// Checks a policy given as [`PolicyConfig`] (owned or borrowed).
pub fn from_config(
    config: impl std::borrow::Borrow<PolicyConfig>,
) -> Result<PolicyModel, ConfigError> {
    let config = config.borrow();
    let mut fields = Vec::new();
    if let Some(flag) = config.cross_origin_protection {
        fields.push(RawField {
            key: "cross_origin_protection".to_owned(),
            value: RawValue::Bool(flag),
        });
    }
    if let Some(paths) = &config.open_paths {
        fields.push(RawField {
            key: "open_paths".to_owned(),
            value: strings(paths),
        });
    }
    let rules = config.rules.iter().map(rule_of_config).collect();
    check_raw(RawPolicy::Rules { fields, rules }, Source::Document)
}

/// Checks a one-rule policy given as `{prefix}_...` environment variables,
/// from `variables` (e.g. `std::env::vars()`); variables without the prefix
/// are ignored.
pub fn from_env_vars(
    prefix: &str,
    variables: impl IntoIterator<Item = (String, String)>,
) -> Result<PolicyModel, ConfigError> {
    let start = format!("{prefix}_");
    let mut found: Vec<(String, String)> = variables
        .into_iter()
        .filter(|(name, _)| name.starts_with(&start))
        .collect();
    // The environment has no order: name order makes messages stable.
    found.sort();
    for (name, value) in &found {
        if value.len() > MAX_DOCUMENT_LEN {
            return Err(ConfigError::syntax(format!(
                "{name} is {} bytes long; a policy variable has at most {MAX_DOCUMENT_LEN}",
                value.len()
            )));
        }
        if value.trim_matches(ENV_SPACE).is_empty() {
            return Err(ConfigError::syntax(format!(
                "{name} is set but empty; unset it to leave its key out (`unset {name}`)"
            )));
        }
    }
    let fields = found
        .into_iter()
        .map(|(name, value)| {
            let key = name[start.len()..].to_ascii_lowercase();
            let value = env_value(&key, &value);
            RawField { key, value }
        })
        .collect();
    check_raw(
        RawPolicy::Single(RawRule { fields }),
        Source::Environment {
            prefix: prefix.to_owned(),
        },
    )
}

/// Checks a one-rule policy from this process's `{prefix}_...` environment
/// variables. A variable with the prefix whose value is not UTF-8 is an
/// error.
pub fn from_env(prefix: &str) -> Result<PolicyModel, ConfigError> {
    let start = format!("{prefix}_");
    let mut variables = Vec::new();
    for (name, value) in std::env::vars_os() {
        let Some(name) = name.to_str().map(str::to_owned) else {
            continue;
        };
        if !name.starts_with(&start) {
            continue;
        }
        if value.len() > MAX_DOCUMENT_LEN {
            return Err(ConfigError::syntax(format!(
                "{name} is {} bytes long; a policy variable has at most {MAX_DOCUMENT_LEN}",
                value.len()
            )));
        }
        match value.into_string() {
            Ok(value) => variables.push((name, value)),
            Err(_) => {
                return Err(ConfigError::syntax(format!(
                    "{name} is not UTF-8 text; write it in UTF-8"
                )))
            }
        }
    }
    from_env_vars(prefix, variables)
}

fn read(
    text: &str,
    format: &str,
    syntax: Syntax,
    parse: impl FnOnce(&str) -> Result<Tree, String>,
) -> Result<Tree, ConfigError> {
    if text.len() > MAX_DOCUMENT_LEN {
        return Err(ConfigError::syntax(format!(
            "the {format} document is {} bytes; a policy document has at most {MAX_DOCUMENT_LEN}",
            text.len()
        )));
    }
    let depth = nesting::depth(text, syntax);
    if depth > MAX_NESTING {
        return Err(ConfigError::syntax(format!(
            "the {format} document nests arrays and tables {depth} levels deep; a policy document nests at most {MAX_NESTING} (a policy needs 4)"
        )));
    }
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    parse(text)
        .map_err(|message| ConfigError::syntax(format!("not a policy in {format}: {message}")))
}

fn check_raw(raw: RawPolicy, source: Source) -> Result<PolicyModel, ConfigError> {
    crate::check(&raw).map_err(|problems| ConfigError::new(&raw, source, problems))
}

/// JSON: an object is one rule, an array is several, and so is an object
/// with a `rules` key (the form [`PolicyConfig`] serializes to, and the one
/// that carries the policy's own keys beside the rules).
fn json_policy(tree: Tree) -> RawPolicy {
    match tree {
        Tree::List(rules) => RawPolicy::rules_only(rules.into_iter().map(rule_of_tree).collect()),
        other => rules_table(other),
    }
}

/// TOML: top-level keys are one rule; with `[[rules]]` tables, they are
/// several, and the top-level keys are the policy's own.
fn toml_policy(tree: Tree) -> RawPolicy {
    rules_table(tree)
}

/// A table with a `rules` key is several rules: the first `rules` list
/// holds them, and every other entry (a repeated `rules` too) is one of the
/// policy's own fields, for the checker to judge. Any other table is one
/// rule.
fn rules_table(tree: Tree) -> RawPolicy {
    match tree {
        Tree::Map(entries) if entries.iter().any(|(key, _)| key == "rules") => {
            let mut rules = None;
            let mut fields = Vec::new();
            for (key, value) in entries {
                match value {
                    Tree::List(list) if key == "rules" && rules.is_none() => {
                        rules = Some(list.into_iter().map(rule_of_tree).collect());
                    }
                    value => fields.push(RawField {
                        key,
                        value: value_of_tree(value),
                    }),
                }
            }
            RawPolicy::Rules {
                fields,
                rules: rules.unwrap_or_default(),
            }
        }
        other => RawPolicy::Single(rule_of_tree(other)),
    }
}

/// A rule must be an object (a table); anything else becomes a rule with
/// one field under an impossible key, which the checker reports as unknown.
fn rule_of_tree(tree: Tree) -> RawRule {
    match tree {
        Tree::Map(entries) => RawRule {
            fields: entries
                .into_iter()
                .map(|(key, value)| RawField {
                    key,
                    value: value_of_tree(value),
                })
                .collect(),
        },
        other => RawRule {
            fields: vec![RawField {
                key: format!("({} instead of a rule)", other.kind()),
                value: RawValue::Other(other.kind()),
            }],
        },
    }
}

fn value_of_tree(tree: Tree) -> RawValue {
    match tree {
        Tree::Str(text) => RawValue::Str(text),
        Tree::Int { negative, digits } => RawValue::Int { negative, digits },
        Tree::Bool(flag) => RawValue::Bool(flag),
        Tree::List(items) => RawValue::List(
            items
                .into_iter()
                .map(|item| match item {
                    Tree::Str(text) => RawItem::Str(text),
                    other => RawItem::Other(other.kind()),
                })
                .collect(),
        ),
        other => RawValue::Other(other.kind()),
    }
}

fn rule_of_config(rule: &RuleConfig) -> RawRule {
    let mut fields = Vec::new();
    let mut push = |key: &str, value: RawValue| {
        fields.push(RawField {
            key: key.to_owned(),
            value,
        });
    };
    let list = |values: &Vec<String>| strings(values);
    if let Some(id) = &rule.id {
        push("id", RawValue::Str(id.clone()));
    }
    if let Some(values) = &rule.allow_origins {
        push("allow_origins", list(values));
    }
    if let Some(values) = &rule.allow_methods {
        push("allow_methods", list(values));
    }
    if let Some(values) = &rule.allow_headers {
        push("allow_headers", list(values));
    }
    if let Some(values) = &rule.expose_headers {
        push("expose_headers", list(values));
    }
    if let Some(seconds) = rule.max_age {
        push(
            "max_age",
            RawValue::Int {
                negative: false,
                digits: seconds.to_string(),
            },
        );
    }
    for (key, flag) in [
        ("allow_credentials", rule.allow_credentials),
        (
            "dangerously_allow_insecure_origins",
            rule.dangerously_allow_insecure_origins,
        ),
        (
            "dangerously_allow_public_suffix_wildcards",
            rule.dangerously_allow_public_suffix_wildcards,
        ),
    ] {
        if let Some(flag) = flag {
            push(key, RawValue::Bool(flag));
        }
    }
    RawRule { fields }
}

/// A list of strings.
fn strings(values: &[String]) -> RawValue {
    RawValue::List(values.iter().cloned().map(RawItem::Str).collect())
}

/// An environment variable's value by its key: lists split at commas,
/// numbers and booleans parsed, anything unparsable kept as text (which the
/// checker then refuses as a value of the wrong kind).
/// The only characters trimmed around an environment value and its list
/// items: ASCII spaces and tabs (never Unicode spaces such as U+00A0, which
/// would otherwise hide inside a value).
const ENV_SPACE: [char; 2] = [' ', '\t'];

fn env_value(key: &str, value: &str) -> RawValue {
    let trimmed = value.trim_matches(ENV_SPACE);
    match key {
        "allow_origins" | "allow_methods" | "allow_headers" | "expose_headers" | "open_paths" => {
            if trimmed.is_empty() {
                RawValue::List(Vec::new())
            } else {
                RawValue::List(
                    trimmed
                        .split(',')
                        .map(|item| RawItem::Str(item.trim_matches(ENV_SPACE).to_owned()))
                        .collect(),
                )
            }
        }
        "max_age" => {
            let (negative, digits) = match trimmed.strip_prefix('-') {
                Some(digits) => (true, digits),
                None => (false, trimmed),
            };
            if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
                RawValue::Int {
                    negative,
                    digits: digits.to_owned(),
                }
            } else {
                RawValue::Str(value.to_owned())
            }
        }
        "allow_credentials"
        | "cross_origin_protection"
        | "dangerously_allow_insecure_origins"
        | "dangerously_allow_public_suffix_wildcards" => match trimmed {
            "true" => RawValue::Bool(true),
            "false" => RawValue::Bool(false),
            _ => RawValue::Str(value.to_owned()),
        },
        _ => RawValue::Str(value.to_owned()),
    }
}
