//! JSON out: a deterministic pretty printer (the key order is ours,
//! whatever features of `serde_json` another crate turns on).

use crate::json::Node;

/// `node` as pretty JSON: two-space indentation, `"key": value`, members
/// in the order built, a final newline.
pub(crate) fn to_pretty(node: &Node) -> String {
    let mut out = String::new();
    write_node(node, 0, &mut out);
    out.push('\n');
    out
}

fn write_node(node: &Node, indent: usize, out: &mut String) {
    match node {
        Node::Null => out.push_str("null"),
        Node::Bool(value) => out.push_str(if *value { "true" } else { "false" }),
        Node::Int(value) => out.push_str(&value.to_string()),
        Node::Float(value) => out.push_str(&value.to_string()),
        Node::Str(value) => write_string(value, out),
        Node::Array(items) if items.is_empty() => out.push_str("[]"),
        Node::Array(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                out.push_str(if index == 0 { "\n" } else { ",\n" });
                push_indent(indent + 1, out);
                write_node(item, indent + 1, out);
            }
            out.push('\n');
            push_indent(indent, out);
            out.push(']');
        }
        Node::Object(members) if members.is_empty() => out.push_str("{}"),
        Node::Object(members) => {
            out.push('{');
            for (index, (key, value)) in members.iter().enumerate() {
                out.push_str(if index == 0 { "\n" } else { ",\n" });
                push_indent(indent + 1, out);
                write_string(key, out);
                out.push_str(": ");
                write_node(value, indent + 1, out);
            }
            out.push('\n');
            push_indent(indent, out);
            out.push('}');
        }
    }
}

fn push_indent(levels: usize, out: &mut String) {
    for _ in 0..levels {
        out.push_str("  ");
    }
}

/// A JSON string literal, escaped as `serde_json` escapes it.
fn write_string(value: &str, out: &mut String) {
    // Serialising a `str` cannot fail; the fallback is never taken.
    out.push_str(&serde_json::to_string(value).unwrap_or_else(|_| String::from("\"\"")));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pretty_printing_is_stable() {
        let node = Node::object(vec![
            ("A", Node::Array(vec![Node::str("x"), Node::Int(1)])),
            ("B", Node::Object(vec![])),
            ("C", Node::Array(vec![])),
        ]);
        assert_eq!(
            to_pretty(&node),
            "{\n  \"A\": [\n    \"x\",\n    1\n  ],\n  \"B\": {},\n  \"C\": []\n}\n"
        );
    }
}
