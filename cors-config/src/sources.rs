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
//! - Environment: one rule from `{P}_...` variables (see the `env` module).
//!
//! A document has at most [`MAX_DOCUMENT_LEN`] bytes, holds at most
//! [`MAX_DOCUMENT_VALUES`] values and [`MAX_DOCUMENT_TABLES`] tables, and
//! nests at most [`MAX_NESTING`] levels, all checked before any parser
//! runs.

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

use crate::error::{ConfigError, Source};
use crate::model::PolicyModel;
#[cfg(any(feature = "json", feature = "toml"))]
use crate::nesting::{self, Syntax, MAX_DOCUMENT_TABLES, MAX_DOCUMENT_VALUES, MAX_NESTING};
use crate::problem::OptIn;
use crate::raw::{RawField, RawItem, RawPolicy, RawRule, RawValue};
#[cfg(any(feature = "json", feature = "toml"))]
use crate::tree::Tree;

/// The largest JSON or TOML document read, in bytes: far above any real
/// policy (10,000 origins take about 300 KB), and a bound on the work a
/// hostile document can cause.
pub const MAX_DOCUMENT_LEN: usize = 1 << 20;

/// A policy as a plain data structure, with the DSL's key names: build it
/// in code, or deserialize it from any serde format. `None` means the key
/// was left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(Serialize, Deserialize),
    serde(deny_unknown_fields)
)]
pub struct PolicyConfig {
    /// `cross_origin_protection`: `Some(false)` turns the protection off
    /// (left out, it is on).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub cross_origin_protection: Option<bool>,
    /// `open_paths`: the paths that stay open to cross-site `POST`s
    /// (`/pay/callback`, or a prefix `/hooks/*`).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub open_paths: Option<Vec<String>>,
    /// The rules, in order: the first that matches a request wins.
    pub rules: Vec<RuleConfig>,
}

/// One rule of a [`PolicyConfig`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(Serialize, Deserialize),
    serde(deny_unknown_fields)
)]
pub struct RuleConfig {
    /// Names the rule in decisions and logs.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub id: Option<String>,
    /// Origin patterns (required).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub allow_origins: Option<Vec<String>>,
    /// Methods (required), case-sensitive.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub allow_methods: Option<Vec<String>>,
    /// Request headers a preflight may ask for.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub allow_headers: Option<Vec<String>>,
    /// Response headers scripts may read.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub expose_headers: Option<Vec<String>>,
    /// `Access-Control-Max-Age`, in seconds.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub max_age: Option<u64>,
    /// `allow_credentials: true`.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub allow_credentials: Option<bool>,
    /// Lets a credentialed rule allow insecure origins.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub dangerously_allow_insecure_origins: Option<bool>,
    /// Lets a credentialed rule allow wildcards over public suffixes.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub dangerously_allow_public_suffix_wildcards: Option<bool>,
}

impl RuleConfig {
    /// Turns on the rule's `dangerously_*` switch `opt_in` (a problem's
    /// [`ConfigProblem::opt_in`](crate::ConfigProblem::opt_in)); whether it
    /// was unset before.
    pub fn turn_on(&mut self, opt_in: OptIn) -> bool {
        let switch = match opt_in {
            OptIn::InsecureOrigins => &mut self.dangerously_allow_insecure_origins,
            OptIn::PublicSuffixWildcards => &mut self.dangerously_allow_public_suffix_wildcards,
        };
        let was_unset = switch.is_none();
        *switch = Some(true);
        was_unset
    }

    /// The rule's boolean keys with their values, in the DSL's key order:
    /// `allow_credentials` and the `dangerously_*` switches.
    pub fn flags(&self) -> [(&'static str, Option<bool>); 3] {
        [
            ("allow_credentials", self.allow_credentials),
            (
                OptIn::InsecureOrigins.key(),
                self.dangerously_allow_insecure_origins,
            ),
            (
                OptIn::PublicSuffixWildcards.key(),
                self.dangerously_allow_public_suffix_wildcards,
            ),
        ]
    }
}

impl PolicyConfig {
    /// Turns on every `dangerously_*` switch that a listed problem of
    /// `error` (found checking this policy) asks for; the switches turned
    /// on, with their rule's index. For a tool writing a policy for a
    /// configuration of a format that allows what the DSL makes explicit.
    pub fn turn_on_opt_ins(&mut self, error: &ConfigError) -> Vec<(usize, OptIn)> {
        let mut turned_on = Vec::new();
        for problem in error.problems() {
            let (Some(index), Some(opt_in)) = (problem.rule, problem.opt_in) else {
                continue;
            };
            if let Some(rule) = self.rules.get_mut(index) {
                if rule.turn_on(opt_in) {
                    turned_on.push((index, opt_in));
                }
            }
        }
        turned_on
    }
}

/// Checks a policy written as JSON: one rule as an object with the DSL's
/// keys, several as an array of such objects, or as `{"rules": [...]}` with
/// the policy's own keys (`cross_origin_protection`, `open_paths`) beside
/// `rules`.
#[cfg(feature = "json")]
pub fn from_json(text: &str) -> Result<PolicyModel, ConfigError> {
    let tree = read(text, "JSON", Syntax::JSON, |text| {
        Tree::from_json(text).map_err(|e| e.to_string())
    })?;
    check_raw(json_policy(tree), Source::Document)
}

/// Checks a policy written as TOML: one rule as top-level keys, or several
/// as `[[rules]]` tables with the policy's own keys at the top level.
#[cfg(feature = "toml")]
pub fn from_toml(text: &str) -> Result<PolicyModel, ConfigError> {
    let tree = read(text, "TOML", Syntax::TOML, |text| {
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

#[cfg(any(feature = "json", feature = "toml"))]
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
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let nesting::Shape {
        depth,
        values,
        tables,
    } = nesting::shape(text, syntax);
    if depth > MAX_NESTING {
        let counted = syntax.nests;
        return Err(ConfigError::syntax(format!(
            "the {format} document nests {depth} levels deep (counting {counted}); a policy document nests at most {MAX_NESTING} (a policy needs 4), and deeper documents are refused before they are parsed"
        )));
    }
    if tables > MAX_DOCUMENT_TABLES {
        let counted = syntax.tables;
        return Err(ConfigError::syntax(format!(
            "the {format} document holds more than {MAX_DOCUMENT_TABLES} {counted}; a policy needs one per rule (at most 256) and one around them, and larger documents are refused before they are parsed, to bound the parser's memory"
        )));
    }
    if values > MAX_DOCUMENT_VALUES {
        let delimiters = syntax.delimiters;
        return Err(ConfigError::syntax(format!(
            "the {format} document holds more than {MAX_DOCUMENT_VALUES} values (counting the {delimiters} outside strings); a policy document holds at most {MAX_DOCUMENT_VALUES} (10,000 origins are about 10,000), and larger ones are refused before they are parsed, to bound the parser's memory"
        )));
    }
    parse(text)
        .map_err(|message| ConfigError::syntax(format!("not a policy in {format}: {message}")))
}

/// Checks `raw` read from `source`: the model, or the problems placed in
/// `raw` (the first [`MAX_REPORTED`](cors_grammar::report::MAX_REPORTED) listed).
pub(crate) fn check_raw(raw: RawPolicy, source: Source) -> Result<PolicyModel, ConfigError> {
    crate::check::check_keeping(&raw, cors_grammar::report::MAX_REPORTED)
        .map_err(|(problems, total)| ConfigError::new(&raw, source, problems, total))
}

/// JSON: an object is one rule, an array is several, and so is an object
/// with a `rules` key (the form [`PolicyConfig`] serializes to, and the one
/// that carries the policy's own keys beside the rules).
#[cfg(feature = "json")]
fn json_policy(tree: Tree) -> RawPolicy {
    match tree {
        Tree::List(rules) => RawPolicy::rules_only(rules.into_iter().map(rule_of_tree).collect()),
        other => rules_table(other),
    }
}

/// TOML: top-level keys are one rule; with `[[rules]]` tables, they are
/// several, and the top-level keys are the policy's own.
#[cfg(feature = "toml")]
fn toml_policy(tree: Tree) -> RawPolicy {
    rules_table(tree)
}

/// A table with a `rules` key is several rules: the first `rules` list
/// holds them, and every other entry (a repeated `rules` too) is one of the
/// policy's own fields, for the checker to judge. Any other table is one
/// rule.
#[cfg(any(feature = "json", feature = "toml"))]
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
#[cfg(any(feature = "json", feature = "toml"))]
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

#[cfg(any(feature = "json", feature = "toml"))]
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
    for (key, flag) in rule.flags() {
        if let Some(flag) = flag {
            push(key, RawValue::Bool(flag));
        }
    }
    RawRule { fields }
}

/// A list of strings.
fn strings(values: &[String]) -> RawValue {
    let mut items = Vec::with_capacity(values.len());
    for value in values {
        items.push(RawItem::Str(value.clone()));
    }
    RawValue::List(items)
}
