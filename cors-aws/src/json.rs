//! JSON in: the size and nesting bounds checked before parsing, a tree
//! that keeps every member of an object (so that a key written twice is
//! seen, where `serde_json::Value` would keep only the last), and typed
//! access that reports what it finds with its path.

pub(crate) use crate::print::to_pretty;

use std::fmt;

use cors_grammar::{quote, quote_to};
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::error::{ProblemKind, Problems};

/// The most characters of the JSON parser's message kept in a problem.
const MAX_SYNTAX_MESSAGE_CHARS: usize = 300;

/// A parsed JSON value; objects keep their members in document order,
/// duplicates included.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    Null,
    Bool(bool),
    /// Every integer JSON writes without a fraction or exponent and that
    /// fits in 64 bits, signed or not.
    Int(i128),
    /// Any other number.
    Float(f64),
    Str(String),
    Array(Vec<Node>),
    Object(Vec<(String, Node)>),
}

impl Node {
    /// The JSON type, as messages name it.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Node::Null => "null",
            Node::Bool(_) => "a boolean",
            Node::Int(_) => "an integer",
            Node::Float(_) => "a number that is not a whole number of at most 64 bits",
            Node::Str(_) => "a string",
            Node::Array(_) => "a list",
            Node::Object(_) => "an object",
        }
    }

    /// A string node.
    pub(crate) fn str(text: &str) -> Node {
        Node::Str(text.to_owned())
    }

    /// An object node from `(key, value)` pairs.
    pub(crate) fn object(members: Vec<(&str, Node)>) -> Node {
        Node::Object(
            members
                .into_iter()
                .map(|(key, value)| (key.to_owned(), value))
                .collect(),
        )
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_bool<E>(self, value: bool) -> Result<Node, E> {
        Ok(Node::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Node, E> {
        Ok(Node::Int(value.into()))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Node, E> {
        Ok(Node::Int(value.into()))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Node, E> {
        Ok(Node::Float(value))
    }

    fn visit_str<E>(self, value: &str) -> Result<Node, E> {
        Ok(Node::Str(value.to_owned()))
    }

    fn visit_string<E>(self, value: String) -> Result<Node, E> {
        Ok(Node::Str(value))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Node>()? {
            items.push(item);
        }
        Ok(Node::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut members = Vec::new();
        while let Some((key, value)) = map.next_entry::<String, Node>()? {
            members.push((key, value));
        }
        Ok(Node::Object(members))
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Node, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

/// The deepest nesting of `[` and `{` in `text`, strings skipped: one pass,
/// no allocation, whatever the text (unbalanced brackets included).
pub(crate) fn depth(text: &str) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    let (mut in_string, mut escaped) = (false, false);
    for byte in text.bytes() {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// Parses `text` after checking its size and nesting, or records why not.
pub(crate) fn parse(text: &str, max_depth: usize, problems: &mut Problems) -> Option<Node> {
    if text.len() > crate::MAX_DOCUMENT_LEN {
        problems.push(
            ProblemKind::TooLarge,
            "",
            format!(
                "the document is {} bytes, and at most {} (1 MiB) are read; a CORS \
                 configuration is far smaller, so check that this is the right file",
                text.len(),
                crate::MAX_DOCUMENT_LEN
            ),
        );
        return None;
    }
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let deepest = depth(text);
    if deepest > max_depth {
        problems.push(
            ProblemKind::TooDeep,
            "",
            format!(
                "the document nests lists and objects {deepest} levels deep, and at most \
                 {max_depth} are read; remove the extra levels"
            ),
        );
        return None;
    }
    match serde_json::from_str::<Node>(text) {
        Ok(node) => Some(node),
        Err(error) => {
            problems.push(
                ProblemKind::Syntax,
                "",
                format!(
                    "not JSON: {}",
                    quote_to(&error.to_string(), MAX_SYNTAX_MESSAGE_CHARS)
                ),
            );
            None
        }
    }
}

/// The path of member `key` of the value at `base`: `base.Key`, or
/// `base["/a b"]` for a key that is not a plain word.
pub(crate) fn key_path(base: &str, key: &str) -> String {
    let plain = !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    match (plain, base.is_empty()) {
        (true, true) => key.to_owned(),
        (true, false) => format!("{base}.{key}"),
        (false, _) => format!("{base}[\"{}\"]", quote(key)),
    }
}

/// The path of item `index` of the list at `base`.
pub(crate) fn index_path(base: &str, index: usize) -> String {
    format!("{base}[{index}]")
}

/// The place of a value in the document, as messages name it: `the
/// document` for the root.
pub(crate) fn place(path: &str) -> String {
    if path.is_empty() {
        "the document".to_owned()
    } else {
        format!("`{path}`")
    }
}

/// An object being read: its members and its path.
pub(crate) struct Object<'a> {
    pub(crate) path: String,
    members: &'a [(String, Node)],
}

/// The object at `path`, its unknown members reported when `known` is
/// given (`what` names the object in messages: `a Lambda function URL
/// \`Cors\``), or `None` (reported) when it is not an object.
pub(crate) fn object<'a>(
    node: &'a Node,
    path: &str,
    what: &str,
    known: Option<&[&str]>,
    problems: &mut Problems,
) -> Option<Object<'a>> {
    let Node::Object(members) = node else {
        problems.push(
            ProblemKind::WrongType,
            path,
            format!(
                "{} must be an object ({what}); found {}",
                place(path),
                node.kind()
            ),
        );
        return None;
    };
    if let Some(known) = known {
        for (key, _) in members {
            if !known.contains(&key.as_str()) {
                problems.push(
                    ProblemKind::UnknownField,
                    &key_path(path, key),
                    format!(
                        "unknown field `{}` in {what}; its fields are {}: remove it or fix its \
                         spelling (names are case-sensitive)",
                        quote(key),
                        known.join(", ")
                    ),
                );
            }
        }
    }
    Some(Object {
        path: path.to_owned(),
        members,
    })
}

impl<'a> Object<'a> {
    /// Whether the object has member `key`.
    pub(crate) fn has(&self, key: &str) -> bool {
        self.members.iter().any(|(k, _)| k == key)
    }

    /// The members, in document order.
    pub(crate) fn members(&self) -> &'a [(String, Node)] {
        self.members
    }

    /// Member `key` and its path; `None` when absent, or when written more
    /// than once (reported: which of the values was meant is unknowable).
    pub(crate) fn get(&self, key: &str, problems: &mut Problems) -> Option<(&'a Node, String)> {
        let mut found = self.members.iter().filter(|(k, _)| k == key);
        let first = found.next()?;
        let more = found.count();
        let path = key_path(&self.path, key);
        if more > 0 {
            problems.push(
                ProblemKind::DuplicateKey,
                &path,
                format!(
                    "field `{}` is written {} times in the same object, and JSON readers \
                     disagree on which one counts; keep one",
                    quote(key),
                    more + 1
                ),
            );
            return None;
        }
        Some((&first.1, path))
    }

    /// Member `key`, reported as missing when absent (`what` says what it
    /// holds).
    pub(crate) fn require(
        &self,
        key: &str,
        what: &str,
        problems: &mut Problems,
    ) -> Option<(&'a Node, String)> {
        if !self.has(key) {
            problems.push(
                ProblemKind::MissingField,
                &key_path(&self.path, key),
                format!(
                    "{} needs the field `{key}` ({what}); add it",
                    place(&self.path)
                ),
            );
            return None;
        }
        self.get(key, problems)
    }
}

/// One string of a list, with its path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Item {
    pub(crate) path: String,
    pub(crate) value: String,
}

/// The strings of the list at `path`; items of another type are reported
/// and skipped.
pub(crate) fn strings(node: &Node, path: &str, problems: &mut Problems) -> Vec<Item> {
    let Node::Array(items) = node else {
        problems.push(
            ProblemKind::WrongType,
            path,
            format!(
                "{} must be a list of strings, e.g. [\"GET\"]; found {}",
                place(path),
                node.kind()
            ),
        );
        return Vec::new();
    };
    let mut out = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        let path = index_path(path, index);
        match item {
            Node::Str(value) => out.push(Item {
                path,
                value: value.clone(),
            }),
            other => problems.push(
                ProblemKind::WrongType,
                &path,
                format!("{} must be a string; found {}", place(&path), other.kind()),
            ),
        }
    }
    out
}

/// The boolean at `path`, or `None` (reported).
pub(crate) fn boolean(node: &Node, path: &str, problems: &mut Problems) -> Option<bool> {
    match node {
        Node::Bool(value) => Some(*value),
        other => {
            problems.push(
                ProblemKind::WrongType,
                path,
                format!(
                    "{} must be `true` or `false` (without quotes); found {}",
                    place(path),
                    other.kind()
                ),
            );
            None
        }
    }
}

/// The integer at `path`, or `None` (reported).
pub(crate) fn integer(node: &Node, path: &str, problems: &mut Problems) -> Option<i128> {
    match node {
        Node::Int(value) => Some(*value),
        other => {
            problems.push(
                ProblemKind::WrongType,
                path,
                format!(
                    "{} must be a whole number without quotes, e.g. 600; found {}",
                    place(path),
                    other.kind()
                ),
            );
            None
        }
    }
}

/// The string at `path`, or `None` (reported).
pub(crate) fn string<'a>(node: &'a Node, path: &str, problems: &mut Problems) -> Option<&'a str> {
    match node {
        Node::Str(value) => Some(value),
        other => {
            problems.push(
                ProblemKind::WrongType,
                path,
                format!("{} must be a string; found {}", place(path), other.kind()),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_skips_strings_and_escapes() {
        assert_eq!(depth(""), 0);
        assert_eq!(depth("[[{}]]"), 3);
        assert_eq!(depth(r#"["[[[[", "\"[[["]"#), 1);
        assert_eq!(depth("]]]]["), 1);
    }

    #[test]
    fn keeps_duplicate_members() {
        let mut problems = Problems::default();
        let node = parse(r#"{"a": 1, "a": 2}"#, 4, &mut problems);
        assert_eq!(
            node,
            Some(Node::Object(vec![
                ("a".into(), Node::Int(1)),
                ("a".into(), Node::Int(2))
            ]))
        );
    }

    #[test]
    fn paths_quote_keys_that_are_not_words() {
        assert_eq!(key_path("", "Cors"), "Cors");
        assert_eq!(key_path("paths", "/a"), "paths[\"/a\"]");
        assert_eq!(index_path("AllowOrigins", 2), "AllowOrigins[2]");
    }
}
