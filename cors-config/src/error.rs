//! [`ConfigError`]: every problem of a policy read at run time, bounded,
//! each with its place (`rules[1].allow_origins[0]`), the offending value,
//! and the checker's message (the words of the compile error).

use std::fmt;

use cors_grammar::report::{shorten, MAX_REPORTED};

use crate::problem::{Location, OptIn, Problem};
use crate::raw::{RawItem, RawPolicy, RawValue};

#[cfg(any(feature = "json", feature = "toml", feature = "env"))]
/// The most characters kept of a parser's message.
const MAX_SYNTAX_MESSAGE_CHARS: usize = 300;

/// Where a policy came from, for naming places.
#[derive(Debug, Clone)]
pub(crate) enum Source {
    /// JSON, TOML or [`PolicyConfig`](crate::PolicyConfig): `rules[1].key[0]`.
    Document,
    /// Environment variables: `CORS_ALLOW_ORIGINS[0]`.
    #[cfg(feature = "env")]
    Environment { prefix: String },
}

/// Why a policy was refused: its problems, in the order found (at most
/// [`MAX_REPORTED`] listed, the rest counted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    listed: Vec<ConfigProblem>,
    total: usize,
}

/// One problem of a policy read at run time.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ConfigProblem {
    /// Where, as a path: `rules[1].allow_origins[0]` (a one-rule document:
    /// `allow_origins[0]`; the environment: `CORS_ALLOW_ORIGINS[0]`; a key
    /// of the policy's own: `open_paths[1]`, `CORS_OPEN_PATHS[1]`); empty
    /// for the document as a whole.
    pub path: String,
    /// The rule's index, when the problem is inside a rule (not for the
    /// policy's own keys, `cross_origin_protection` and `open_paths`).
    pub rule: Option<usize>,
    /// The rule's id, when it has one (quoted: shortened, control and
    /// bidirectional-formatting characters escaped, see
    /// [`cors_grammar::quote`]).
    pub id: Option<String>,
    /// The key, when the problem is about a field (quoted).
    pub key: Option<String>,
    /// The element's index, when the problem is about a list element.
    pub item: Option<usize>,
    /// The offending value as written, when there is one (quoted).
    pub value: Option<String>,
    /// What is wrong and how to fix it: the compile error's words (values
    /// in it quoted).
    pub message: String,
    /// The rule's `dangerously_*` switch that would accept what this
    /// problem refuses, when one would.
    pub opt_in: Option<OptIn>,
}

impl fmt::Display for ConfigProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

impl fmt::Display for ConfigError {
    /// One problem per line, then `and N more problems`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, problem) in self.listed.iter().enumerate() {
            if index > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{problem}")?;
        }
        match self.unlisted() {
            0 => Ok(()),
            more => write!(f, "\n{}", cors_grammar::report::Unlisted(more)),
        }
    }
}

impl std::error::Error for ConfigError {}

impl ConfigError {
    /// The problems listed, in the order found.
    pub fn problems(&self) -> &[ConfigProblem] {
        &self.listed
    }

    /// How many problems there were in all.
    pub fn total(&self) -> usize {
        self.total
    }

    /// How many problems were counted but not listed.
    pub fn unlisted(&self) -> usize {
        self.total - self.listed.len()
    }

    /// A document that could not be read at all.
    #[cfg(any(feature = "json", feature = "toml", feature = "env"))]
    pub(crate) fn syntax(message: String) -> Self {
        ConfigError {
            listed: vec![ConfigProblem {
                path: String::new(),
                rule: None,
                id: None,
                key: None,
                item: None,
                value: None,
                message: cors_grammar::report::shorten_to(&message, MAX_SYNTAX_MESSAGE_CHARS)
                    .into_owned(),
                opt_in: None,
            }],
            total: 1,
        }
    }

    /// Problems already placed: the first of `total`.
    #[cfg(feature = "env")]
    pub(crate) fn listed(listed: Vec<ConfigProblem>, total: usize) -> Self {
        ConfigError { listed, total }
    }

    /// The checker's problems, placed in `raw`: those kept (at most
    /// [`MAX_REPORTED`] are listed) of `total`.
    pub(crate) fn new(
        raw: &RawPolicy,
        source: Source,
        problems: Vec<Problem>,
        total: usize,
    ) -> Self {
        let mut listed = Vec::new();
        for problem in problems.into_iter().take(MAX_REPORTED) {
            listed.push(place(raw, &source, problem));
        }
        ConfigError { listed, total }
    }
}

fn place(raw: &RawPolicy, source: &Source, problem: Problem) -> ConfigProblem {
    let rules = raw.rules();
    // The rule (None for the policy's own fields), the field and the item.
    let (rule, field, item) = match problem.at {
        Location::Policy => (None, None, None),
        Location::Rule(rule) => (Some(rule), None, None),
        Location::Key { rule, field } | Location::Value { rule, field } => {
            (Some(rule), Some(field), None)
        }
        Location::Item { rule, field, item } => (Some(rule), Some(field), Some(item)),
        Location::PolicyKey { field } | Location::PolicyValue { field } => {
            (None, Some(field), None)
        }
        Location::PolicyItem { field, item } => (None, Some(field), Some(item)),
    };
    let raw_rule = rule.and_then(|rule| rules.get(rule));
    let raw_field = match rule {
        Some(_) => raw_rule
            .zip(field)
            .and_then(|(r, field)| r.fields.get(field)),
        None => field.and_then(|field| raw.policy_fields().get(field)),
    };
    let raw_key = raw_field.map(|f| f.key.as_str());
    let key = raw_key.map(|k| shorten(k).into_owned());
    let id = raw_rule.and_then(|r| {
        r.fields.iter().find_map(|f| match (&*f.key, &f.value) {
            ("id", RawValue::Str(id)) => Some(shorten(id).into_owned()),
            _ => None,
        })
    });
    let value = match (problem.at, raw_field) {
        (Location::Key { .. } | Location::PolicyKey { .. }, Some(f)) => Some(f.key.clone()),
        (Location::Value { .. } | Location::PolicyValue { .. }, Some(f)) => value_text(&f.value),
        (Location::Item { .. } | Location::PolicyItem { .. }, Some(f)) => match &f.value {
            RawValue::List(items) => item.and_then(|item| items.get(item)).map(|i| match i {
                RawItem::Str(text) | RawItem::Ident(text) => text.clone(),
                RawItem::Other(kind) => (*kind).to_owned(),
            }),
            _ => None,
        },
        _ => None,
    }
    .map(|v| shorten(&v).into_owned());
    let path = path(raw, source, rule, raw_key, item);
    ConfigProblem {
        path,
        rule,
        id,
        key,
        item,
        value,
        message: problem.message,
        opt_in: problem.opt_in,
    }
}

fn value_text(value: &RawValue) -> Option<String> {
    match value {
        RawValue::Str(text) => Some(text.clone()),
        RawValue::Int { negative, digits } => {
            Some(format!("{}{digits}", if *negative { "-" } else { "" }))
        }
        RawValue::Bool(flag) => Some(flag.to_string()),
        RawValue::List(_) | RawValue::Other(_) => None,
    }
}

fn path(
    raw: &RawPolicy,
    source: &Source,
    rule: Option<usize>,
    raw_key: Option<&str>,
    item: Option<usize>,
) -> String {
    let key = raw_key.map(|k| shorten(k).into_owned());
    let mut path = match (source, raw) {
        #[cfg(feature = "env")]
        (Source::Environment { prefix }, _) => match raw_key {
            Some(key) => shorten(&format!("{prefix}_{}", key.to_ascii_uppercase())).into_owned(),
            None => format!("{prefix}_*"),
        },
        (Source::Document, RawPolicy::Single(_)) => key.clone().unwrap_or_default(),
        (Source::Document, RawPolicy::Rules { .. }) => match (rule, &key) {
            (None, None) => "rules".to_owned(),
            // One of the policy's own fields, beside `rules`.
            (None, Some(key)) => key.clone(),
            (Some(rule), None) => format!("rules[{rule}]"),
            (Some(rule), Some(key)) => format!("rules[{rule}].{key}"),
        },
    };
    if let Some(item) = item {
        path.push_str(&format!("[{item}]"));
    }
    path
}
