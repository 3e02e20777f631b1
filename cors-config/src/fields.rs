//! A list of fields by key, for the checks of a rule and of the policy's
//! own keys: each key is looked up once, the unknown, misplaced and
//! repeated ones already reported.

use crate::problem::{Location, Owner, Problems};
use crate::raw::{RawField, RawItem, RawValue};

/// What a key means where it is written.
pub(crate) enum KeyRole {
    /// A key of this place: indexed (the first of each; a repeat is
    /// reported).
    Known,
    /// Read by another check of the same fields (a one-rule policy's fields
    /// hold the rule's keys and the policy's), or reported by one.
    Elsewhere,
    /// Not a key of this place: what is wrong and what to do.
    Misplaced(String),
}

/// Fields by key (the first of each), after the unknown, misplaced and
/// repeated ones were reported.
pub(crate) struct Fields<'a> {
    pub(crate) owner: Owner,
    fields: &'a [RawField],
    /// `(key, field)`: only known keys, each once, so a handful (a scan
    /// beats hashing them).
    by_key: Vec<(&'a str, usize)>,
}

impl<'a> Fields<'a> {
    /// Indexes `fields`, reporting each key `role` does not know, and each
    /// known key written twice in `place` ("a rule", "a policy").
    pub(crate) fn new(
        problems: &mut Problems,
        owner: Owner,
        fields: &'a [RawField],
        role: impl Fn(&str) -> KeyRole,
        place: &str,
    ) -> Self {
        Self::index(Some((problems, place)), owner, fields, &role)
    }

    /// Indexes `fields` without reporting anything.
    pub(crate) fn quiet(
        owner: Owner,
        fields: &'a [RawField],
        role: impl Fn(&str) -> KeyRole,
    ) -> Self {
        Self::index(None, owner, fields, &role)
    }

    fn index(
        mut report: Option<(&mut Problems, &str)>,
        owner: Owner,
        fields: &'a [RawField],
        role: &dyn Fn(&str) -> KeyRole,
    ) -> Self {
        let mut by_key: Vec<(&str, usize)> = Vec::new();
        for (field, RawField { key, .. }) in fields.iter().enumerate() {
            cors_grammar::work::add(1 + key.len());
            let at = owner.key(field);
            match role(key) {
                KeyRole::Known => {}
                KeyRole::Elsewhere => continue,
                KeyRole::Misplaced(message) => {
                    if let Some((problems, _)) = report.as_mut() {
                        problems.at(at, message);
                    }
                    continue;
                }
            }
            if by_key.iter().any(|(known, _)| known == key) {
                if let Some((problems, place)) = report.as_mut() {
                    problems.at(
                        at,
                        format!(
                            "duplicate key `{key}`; each key may appear once in {place}, remove one"
                        ),
                    );
                }
                continue;
            }
            by_key.push((key.as_str(), field));
        }
        Fields {
            owner,
            fields,
            by_key,
        }
    }

    pub(crate) fn index_of(&self, key: &str) -> Option<usize> {
        self.by_key
            .iter()
            .find(|(known, _)| *known == key)
            .map(|&(_, field)| field)
    }

    pub(crate) fn has(&self, key: &str) -> bool {
        self.index_of(key).is_some()
    }

    /// The value's location and the value of `key`, if present.
    pub(crate) fn get(&self, key: &str) -> Option<(Location, &'a RawValue)> {
        let field = self.index_of(key)?;
        Some((self.owner.value(field), &self.fields[field].value))
    }

    pub(crate) fn wrong_kind(
        problems: &mut Problems,
        at: Location,
        key: &str,
        value: &RawValue,
        expected: &str,
        example: &str,
    ) {
        problems.at(
            at,
            format!(
                "`{key}` takes {expected}, found {}; write e.g. `{key}: {example}`",
                value.kind(),
            ),
        );
    }

    /// The list under `key`: its elements, the list's location and the
    /// field's index.
    pub(crate) fn list(
        &self,
        problems: &mut Problems,
        key: &str,
        example: &str,
    ) -> Option<(&'a [RawItem], Location, usize)> {
        let (at, value) = self.get(key)?;
        match value {
            RawValue::List(items) => Some((items, at, self.index_of(key)?)),
            _ => {
                Self::wrong_kind(problems, at, key, value, "a list", example);
                None
            }
        }
    }

    pub(crate) fn string(&self, problems: &mut Problems, key: &str) -> Option<(&'a str, Location)> {
        let (at, value) = self.get(key)?;
        match value {
            RawValue::Str(text) => Some((text, at)),
            _ => {
                Self::wrong_kind(problems, at, key, value, "a string", "\"uploads\"");
                None
            }
        }
    }

    /// The boolean under `key`; `example` is the value a message suggests.
    pub(crate) fn boolean(
        &self,
        problems: &mut Problems,
        key: &str,
        example: &str,
    ) -> Option<(bool, Location)> {
        let (at, value) = self.get(key)?;
        match value {
            RawValue::Bool(flag) => Some((*flag, at)),
            _ => {
                Self::wrong_kind(problems, at, key, value, "`true` or `false`", example);
                None
            }
        }
    }
}

/// `expected one of `a`, `b``: the keys a message lists.
pub(crate) fn one_of(keys: &[&str]) -> String {
    let mut quoted = Vec::with_capacity(keys.len());
    for key in keys {
        quoted.push(format!("`{key}`"));
    }
    quoted.join(", ")
}
