//! A document as a plain tree, read through serde from JSON or TOML: map
//! entries in document order with duplicates kept (a repeated key must be
//! reported, not silently replaced), numbers kept as written.

use std::cell::Cell;
use std::fmt;

use serde_core::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

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
        deserializer.deserialize_any(TreeVisitor {
            depth: 0,
            numbers: None,
        })
    }
}

impl Tree {
    /// Reads a JSON document, numbers kept as written: JSON parsers hand
    /// `-0` and integers past 64 bits over as floats, and the policy's
    /// messages name them as written (`max_age: 18446744073709551616`).
    #[cfg(feature = "json")]
    pub(crate) fn from_json(text: &str) -> Result<Tree, serde_json::Error> {
        let numbers = JsonNumbers {
            text,
            next: Cell::new(0),
        };
        let mut parser = serde_json::Deserializer::from_str(text);
        let tree = de::DeserializeSeed::deserialize(
            Nested {
                depth: 0,
                numbers: Some(&numbers),
            },
            &mut parser,
        )?;
        parser.end()?;
        Ok(tree)
    }
}

/// The number tokens of a JSON document, in order: the parser visits
/// every number once, in document order, so the visitor of the `n`th
/// number reads the `n`th token (the scan only moves forward: linear in
/// the document).
struct JsonNumbers<'t> {
    text: &'t str,
    /// Where the scan for the next number starts.
    next: Cell<usize>,
}

impl<'t> JsonNumbers<'t> {
    /// The next number token, outside strings.
    fn next_token(&self) -> &'t str {
        let start = self.next.get();
        let token = self.scan(start);
        cors_grammar::work::add(self.next.get().saturating_sub(start));
        token
    }

    /// [`next_token`](Self::next_token) from `start`, uncounted.
    fn scan(&self, start: usize) -> &'t str {
        let bytes = self.text.as_bytes();
        let mut at = start;
        while let Some(&byte) = bytes.get(at) {
            match byte {
                b'"' => {
                    at += 1;
                    while let Some(&byte) = bytes.get(at) {
                        at += if byte == b'\\' { 2 } else { 1 };
                        if byte == b'"' {
                            break;
                        }
                    }
                }
                b'-' | b'0'..=b'9' => {
                    let end = bytes[at..]
                        .iter()
                        .position(|b| !matches!(b, b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9'))
                        .map_or(bytes.len(), |len| at + len);
                    self.next.set(end);
                    return self.text.get(at..end).unwrap_or_default();
                }
                _ => at += 1,
            }
        }
        self.next.set(bytes.len());
        ""
    }
}

/// The deepest nesting read: the documents are measured before parsing
/// (see `nesting`); the TOML parser's own levels for the top-level table
/// and a date-time come on top. Anything deeper is refused instead of
/// recursed into.
const MAX_DEPTH: usize = crate::nesting::MAX_NESTING + 2;

struct TreeVisitor<'n> {
    depth: usize,
    /// A JSON document's number tokens.
    numbers: Option<&'n JsonNumbers<'n>>,
}

impl<'n> TreeVisitor<'n> {
    fn nested<E: de::Error>(&self) -> Result<Nested<'n>, E> {
        if self.depth >= MAX_DEPTH {
            return Err(E::custom(format!(
                "the document nests deeper than {MAX_DEPTH} levels; a policy document nests at most {}",
                crate::nesting::MAX_NESTING
            )));
        }
        Ok(Nested {
            depth: self.depth + 1,
            numbers: self.numbers,
        })
    }

    /// Moves the JSON number scan past the number just visited.
    fn skip_number(&self) {
        if let Some(numbers) = self.numbers {
            numbers.next_token();
        }
    }
}

/// The one key of the map the TOML parser hands a date-time over as.
const TOML_DATETIME: &str = "$__toml_private_datetime";

/// Deserializes one value with a visitor at `depth`.
#[derive(Clone, Copy)]
struct Nested<'n> {
    depth: usize,
    numbers: Option<&'n JsonNumbers<'n>>,
}

impl<'de> de::DeserializeSeed<'de> for Nested<'_> {
    type Value = Tree;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Tree, D::Error> {
        deserializer.deserialize_any(TreeVisitor {
            depth: self.depth,
            numbers: self.numbers,
        })
    }
}

impl<'de> Visitor<'de> for TreeVisitor<'_> {
    type Value = Tree;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON or TOML value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Tree, E> {
        Ok(Tree::Bool(value))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Tree, E> {
        self.visit_i128(i128::from(value))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Tree, E> {
        self.visit_u128(u128::from(value))
    }

    /// An integer past 64 bits, as the TOML parser hands it over (TOML
    /// itself allows only 64-bit integers): an integer as written, so that
    /// the message names it (`max_age: 18446744073709551616`).
    fn visit_i128<E>(self, value: i128) -> Result<Tree, E> {
        self.skip_number();
        Ok(Tree::Int {
            negative: value < 0,
            digits: value.unsigned_abs().to_string(),
        })
    }

    fn visit_u128<E>(self, value: u128) -> Result<Tree, E> {
        self.skip_number();
        Ok(Tree::Int {
            negative: false,
            digits: value.to_string(),
        })
    }

    /// A float, or in JSON an integer written without fraction or exponent
    /// that the parser gives as a float (`-0`, or past 64 bits): an
    /// integer as written.
    fn visit_f64<E>(self, _: f64) -> Result<Tree, E> {
        let Some(numbers) = self.numbers else {
            return Ok(Tree::Float);
        };
        let token = numbers.next_token();
        let (negative, digits) = match token.strip_prefix('-') {
            Some(digits) => (true, digits),
            None => (false, token),
        };
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Tree::Int {
                negative,
                digits: digits.to_owned(),
            })
        } else {
            Ok(Tree::Float)
        }
    }

    fn visit_str<E>(self, value: &str) -> Result<Tree, E> {
        cors_grammar::work::add(value.len());
        Ok(Tree::Str(value.to_owned()))
    }

    fn visit_string<E>(self, value: String) -> Result<Tree, E> {
        cors_grammar::work::add(value.len());
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
        let nested = self.nested()?;
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(nested)? {
            cors_grammar::work::step();
            items.push(item);
        }
        Ok(Tree::List(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Tree, A::Error> {
        let nested = self.nested()?;
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            if key == TOML_DATETIME && entries.is_empty() {
                // How the TOML parser hands over a date-time.
                map.next_value::<de::IgnoredAny>()?;
                return Ok(Tree::Other("a date-time"));
            }
            let value = map.next_value_seed(nested)?;
            cors_grammar::work::add(1 + key.len());
            entries.push((key, value));
        }
        Ok(Tree::Map(entries))
    }

    fn visit_bytes<E>(self, _: &[u8]) -> Result<Tree, E> {
        Ok(Tree::Other("bytes"))
    }
}
