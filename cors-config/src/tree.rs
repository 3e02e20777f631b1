//! A document as a plain tree, read through serde from JSON or TOML: map
//! entries in document order with duplicates kept (a repeated key must be
//! reported, not silently replaced), numbers kept as written.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

/// A value of a JSON or TOML document.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tree {
    Str(String),
    Int { negative: bool, digits: String },
    Float,
    Bool(bool),
    Null,
    Other(&'static str),
    List(Vec<Tree>),
    Map(Vec<(String, Tree)>),
}

impl Tree {
    /// What kind of value this is, for messages.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Tree::Str(_) => "a string",
            Tree::Int { .. } => "an integer",
            Tree::Float => "a number with a fraction",
            Tree::Bool(_) => "a boolean",
            Tree::Null => "null",
            Tree::Other(kind) => kind,
            Tree::List(_) => "a list",
            Tree::Map(_) => "an object",
        }
    }
}

impl<'de> Deserialize<'de> for Tree {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TreeVisitor { depth: 0 })
    }
}

/// The deepest nesting read: a policy needs three levels (rules, a rule,
/// a list); anything much deeper is refused instead of recursing on.
const MAX_DEPTH: usize = 16;

struct TreeVisitor {
    depth: usize,
}

impl TreeVisitor {
    fn nested<E: de::Error>(&self) -> Result<TreeVisitor, E> {
        if self.depth >= MAX_DEPTH {
            return Err(E::custom(format!(
                "the document nests deeper than {MAX_DEPTH} levels"
            )));
        }
        Ok(TreeVisitor {
            depth: self.depth + 1,
        })
    }
}

/// Deserializes one element with a visitor one level deeper.
struct Nested(usize);

impl<'de> de::DeserializeSeed<'de> for Nested {
    type Value = Tree;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Tree, D::Error> {
        deserializer.deserialize_any(TreeVisitor { depth: self.0 })
    }
}

impl<'de> Visitor<'de> for TreeVisitor {
    type Value = Tree;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON or TOML value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Tree, E> {
        Ok(Tree::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Tree, E> {
        Ok(Tree::Int {
            negative: value < 0,
            digits: value.unsigned_abs().to_string(),
        })
    }

    fn visit_u64<E>(self, value: u64) -> Result<Tree, E> {
        Ok(Tree::Int {
            negative: false,
            digits: value.to_string(),
        })
    }

    fn visit_f64<E>(self, _: f64) -> Result<Tree, E> {
        Ok(Tree::Float)
    }

    fn visit_str<E>(self, value: &str) -> Result<Tree, E> {
        Ok(Tree::Str(value.to_owned()))
    }

    fn visit_string<E>(self, value: String) -> Result<Tree, E> {
        Ok(Tree::Str(value))
    }

    fn visit_unit<E>(self) -> Result<Tree, E> {
        Ok(Tree::Null)
    }

    fn visit_none<E>(self) -> Result<Tree, E> {
        Ok(Tree::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Tree, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Tree, A::Error> {
        let depth = self.nested()?.depth;
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(Nested(depth))? {
            items.push(item);
        }
        Ok(Tree::List(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Tree, A::Error> {
        let depth = self.nested()?.depth;
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value_seed(Nested(depth))?;
            entries.push((key, value));
        }
        Ok(Tree::Map(entries))
    }

    fn visit_bytes<E>(self, _: &[u8]) -> Result<Tree, E> {
        Ok(Tree::Other("bytes"))
    }
}
