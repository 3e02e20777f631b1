//! The nesting depth of a JSON or TOML document, measured before it is
//! parsed: the parsers recurse once per level, so a short document of
//! nested brackets could exhaust a small thread stack. A policy needs at
//! most four levels (a table of rules, a rule, a list, an item); anything
//! past [`MAX_NESTING`] is refused before any parser runs.
//!
//! The scan skips strings (JSON's, and TOML's four kinds) and TOML comments,
//! so a bracket inside a string neither opens nor closes a level, and it
//! never counts fewer levels than the parser will see.

/// The deepest nesting of arrays and tables (objects) a policy document
/// may have.
pub const MAX_NESTING: usize = 32;

/// Which grammar's strings and comments to skip.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Syntax {
    Json,
    Toml,
}

/// The deepest nesting of `[`/`{` in `text`, outside strings and comments.
pub(crate) fn depth(text: &str, syntax: Syntax) -> usize {
    let bytes = text.as_bytes();
    let mut deepest = 0;
    let mut open: usize = 0;
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        at += 1;
        match byte {
            b'[' | b'{' => {
                open += 1;
                deepest = deepest.max(open);
            }
            b']' | b'}' => open = open.saturating_sub(1),
            b'"' => at = skip_string(bytes, at, b'"', syntax),
            b'\'' if syntax == Syntax::Toml => at = skip_string(bytes, at, b'\'', syntax),
            b'#' if syntax == Syntax::Toml => {
                at = bytes[at..]
                    .iter()
                    .position(|b| *b == b'\n')
                    .map_or(bytes.len(), |end| at + end);
            }
            _ => {}
        }
    }
    deepest
}

/// The index after the string whose opening `quote` ends just before
/// `start` (TOML's tripled quotes included); the end of the text if it is
/// never closed.
fn skip_string(bytes: &[u8], start: usize, quote: u8, syntax: Syntax) -> usize {
    let tripled =
        syntax == Syntax::Toml && bytes.get(start..start + 2) == Some(&[quote, quote][..]);
    let escapes = quote == b'"';
    let mut at = if tripled { start + 2 } else { start };
    while let Some(&byte) = bytes.get(at) {
        at += 1;
        if escapes && byte == b'\\' {
            at += 1;
        } else if byte == quote {
            if !tripled {
                return at;
            }
            if bytes.get(at..at + 2) == Some(&[quote, quote][..]) {
                // A closing `"""` may be followed by up to two more quotes
                // that belong to the string.
                let mut end = at + 2;
                while bytes.get(end) == Some(&quote) && end < at + 4 {
                    end += 1;
                }
                return end;
            }
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_levels_outside_strings_and_comments() {
        assert_eq!(depth(r#"{"a": [1, [2]]}"#, Syntax::Json), 3);
        assert_eq!(depth(r#"{"a": "]]]]", "b": [[[[]]]]}"#, Syntax::Json), 5);
        assert_eq!(depth(r#"["\"]]]", [[]]]"#, Syntax::Json), 3);
        assert_eq!(depth("a = [[1]] # ]]]]\nb = [[[[]]]]", Syntax::Toml), 4);
        assert_eq!(depth("a = ']]]]'\nb = [[[[]]]]", Syntax::Toml), 4);
        assert_eq!(depth("a = \"\"\"]]\"]]\"\"\"\nb = [[[]]]", Syntax::Toml), 3);
        assert_eq!(depth("a = '''\n]]]]'''\nb = [[[]]]", Syntax::Toml), 3);
        assert_eq!(
            depth(
                "[[rules]]\nallow_origins = [\"http://[::1]:3000\"]",
                Syntax::Toml
            ),
            2
        );
    }

    #[test]
    fn closing_brackets_in_strings_cannot_hide_levels() {
        let hidden = format!("{}\"{}\"{}", "[".repeat(40), "]".repeat(40), "]".repeat(40));
        assert_eq!(depth(&hidden, Syntax::Json), 40);
        assert_eq!(depth(&format!("a = {hidden}"), Syntax::Toml), 40);
    }
}
