//! Values quoted in messages: short, and unable to rewrite the terminal or
//! log line they are printed in.

use core::fmt;

/// The most characters of a value a message quotes; a longer value is cut
/// to its first `MAX_QUOTED_CHARS - 1` characters and `…`.
pub const MAX_QUOTED_CHARS: usize = 80;

/// Whether a message shows `c` escaped (as `\u{202e}`) rather than as
/// itself: a control character (C0, DEL, C1: `\n`, ESC, NUL, ...), a line or
/// paragraph separator (U+2028, U+2029), or one of Unicode's bidirectional
/// formatting characters (U+061C, U+200E, U+200F, U+202A–U+202E,
/// U+2066–U+2069), which reorder the text around them. A rule id may not
/// contain any of them.
pub fn is_escaped_in_messages(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
        )
}

/// `text` as a message quotes it: at most [`MAX_QUOTED_CHARS`] characters
/// (the last one `…` when it was cut), every character
/// [`is_escaped_in_messages`] written as `\u{..}`. Short, ordinary values
/// are shown as they are.
///
/// ```
/// use cors_grammar::{quote, MAX_QUOTED_CHARS};
///
/// assert_eq!(quote("https://app.example.com").to_string(), "https://app.example.com");
/// assert_eq!(quote("a\u{202E}b\nc").to_string(), "a\\u{202e}b\\u{a}c");
/// let cut = quote(&"x".repeat(1_000_000)).to_string();
/// assert_eq!(cut.chars().count(), MAX_QUOTED_CHARS);
/// assert!(cut.ends_with('…'));
/// ```
pub fn quote(text: &str) -> Quoted<'_> {
    quote_to(text, MAX_QUOTED_CHARS)
}

/// Like [`quote`], with at most `max` characters (at least 1) instead of
/// [`MAX_QUOTED_CHARS`]: for longer texts such as a parser's message.
pub fn quote_to(text: &str, max: usize) -> Quoted<'_> {
    let max = max.max(1);
    // Where the shown part ends: after `max` characters when the text has no
    // more than that, else after `max - 1` and `…` follows.
    let mut chars = text.char_indices();
    let cut = match chars.nth(max) {
        None => None,
        Some(_) => text.char_indices().nth(max - 1).map(|(at, _)| at),
    };
    Quoted { text, cut }
}

/// A value as a message quotes it: see [`quote`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quoted<'a> {
    text: &'a str,
    /// The byte index where the value was cut, when it was.
    cut: Option<usize>,
}

impl<'a> Quoted<'a> {
    /// The part of the value shown, before escaping.
    fn shown(&self) -> &'a str {
        match self.cut {
            Some(end) => self.text.get(..end).unwrap_or(self.text),
            None => self.text,
        }
    }

    /// Whether the value is shown exactly as it is (not cut, nothing
    /// escaped), so that a caller may borrow it instead of formatting it.
    pub fn is_verbatim(&self) -> bool {
        self.cut.is_none() && !self.text.chars().any(is_escaped_in_messages)
    }
}

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = self.shown();
        let mut rest = shown;
        // Runs of ordinary characters are written at once.
        while let Some(at) = rest.find(is_escaped_in_messages) {
            f.write_str(&rest[..at])?;
            let mut tail = rest[at..].chars();
            if let Some(c) = tail.next() {
                fmt::Display::fmt(&c.escape_unicode(), f)?;
            }
            rest = tail.as_str();
        }
        f.write_str(rest)?;
        if self.cut.is_some() {
            f.write_str("…")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use std::string::{String, ToString};

    use super::*;

    #[test]
    fn short_ordinary_values_are_unchanged() {
        for text in ["", "x-api-key", "https://app.example.com:8443", "é ü 名前"] {
            assert_eq!(quote(text).to_string(), text);
            assert!(quote(text).is_verbatim());
        }
        let exact = "a".repeat(MAX_QUOTED_CHARS);
        assert_eq!(quote(&exact).to_string(), exact);
    }

    #[test]
    fn long_values_are_cut_on_character_boundaries() {
        let long = "é".repeat(MAX_QUOTED_CHARS + 1);
        let cut = quote(&long).to_string();
        assert_eq!(cut.chars().count(), MAX_QUOTED_CHARS);
        assert!(cut.ends_with('…') && !quote(&long).is_verbatim());
        assert_eq!(quote_to("abcdef", 3).to_string(), "ab…");
        assert_eq!(quote_to("abc", 0).to_string(), "…");
    }

    #[test]
    fn control_and_bidirectional_characters_are_escaped() {
        let hostile = "\u{1b}[31mred\u{0}\r\n\u{202E}\u{2066}\u{200F}\u{61C}\u{85}\u{2028}";
        let shown = quote(hostile).to_string();
        assert_eq!(
            shown,
            "\\u{1b}[31mred\\u{0}\\u{d}\\u{a}\\u{202e}\\u{2066}\\u{200f}\\u{61c}\\u{85}\\u{2028}"
        );
        assert!(!shown.chars().any(is_escaped_in_messages));
        // Escapes lengthen a value by at most ten bytes per character shown.
        let worst: String = core::iter::repeat_n('\u{202E}', 1000).collect();
        assert!(quote(&worst).to_string().len() <= MAX_QUOTED_CHARS * 10);
    }
}
