//! The policy as written, before any check: keys and values by their shape,
//! in order, duplicates and unknown keys kept. Every source (the macro's
//! tokens, and later JSON, TOML or the environment) is read into this tree,
//! so that one checker judges them all alike.

/// A whole policy: one rule, or a list of rules in order.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RawPolicy {
    /// `{ key: value, .. }`: one rule, with the policy's own keys
    /// (`cross_origin_protection`, `open_paths`) among its fields.
    Single(RawRule),
    /// `[ { .. }, { .. } ]`, or `{ key: value, .., rules: [ { .. }, .. ] }`:
    /// the policy's own fields beside its rules.
    Rules {
        /// The policy's own fields, in order: every field written beside
        /// `rules` but the `rules` list the rules were read from (a repeated
        /// `rules`, or one that is not a list, stays here to be reported).
        fields: Vec<RawField>,
        /// The rules, in order (possibly none, which is an error).
        rules: Vec<RawRule>,
    },
}

impl RawPolicy {
    /// Rules in order, with no field of the policy's own (`[ { .. }, .. ]`).
    pub fn rules_only(rules: Vec<RawRule>) -> Self {
        RawPolicy::Rules {
            fields: Vec::new(),
            rules,
        }
    }

    /// The rules, in order.
    pub fn rules(&self) -> &[RawRule] {
        match self {
            RawPolicy::Single(rule) => std::slice::from_ref(rule),
            RawPolicy::Rules { rules, .. } => rules,
        }
    }

    /// The fields the policy's own keys are read from: a one-rule policy's
    /// fields (the rule's and the policy's keys together), or the fields
    /// written beside `rules`. [`Location::PolicyKey`](crate::Location) and
    /// its siblings index into these.
    pub fn policy_fields(&self) -> &[RawField] {
        match self {
            RawPolicy::Single(rule) => &rule.fields,
            RawPolicy::Rules { fields, .. } => fields,
        }
    }
}

/// One rule: its fields in the order written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawRule {
    /// The fields, duplicates and unknown keys included.
    pub fields: Vec<RawField>,
}

/// `key: value`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawField {
    /// The key as written (a raw identifier already unescaped: `r#id` is `id`).
    pub key: String,
    /// The value.
    pub value: RawValue,
}

/// A value, by its shape.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RawValue {
    /// A string.
    Str(String),
    /// An integer: its sign and decimal digits as written (any size).
    Int {
        /// Written with a leading `-`.
        negative: bool,
        /// The digits, e.g. `600`.
        digits: String,
    },
    /// `true` or `false`.
    Bool(bool),
    /// `[item, ..]`.
    List(Vec<RawItem>),
    /// Anything else a source can hold (a JSON object or float, ...): named
    /// for the message, e.g. "an object".
    Other(&'static str),
}

/// A list element.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RawItem {
    /// A string.
    Str(String),
    /// A bare identifier, such as `GET` (only the macro's syntax has them).
    Ident(String),
    /// Anything else, named for the message, e.g. "a number".
    Other(&'static str),
}

impl RawValue {
    /// What kind of value this is, for "expected X, found Y" messages.
    pub fn kind(&self) -> &'static str {
        match self {
            RawValue::Str(_) => "a string",
            RawValue::Int { .. } => "an integer",
            RawValue::Bool(_) => "a boolean",
            RawValue::List(_) => "a list",
            RawValue::Other(kind) => kind,
        }
    }
}

impl RawItem {
    /// The element's text: the string's contents or the identifier; empty
    /// for any other element.
    pub fn text(&self) -> &str {
        match self {
            RawItem::Str(text) | RawItem::Ident(text) => text,
            RawItem::Other(_) => "",
        }
    }
}
