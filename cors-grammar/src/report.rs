//! Bounded reports, shared by every loader: a report names at most
//! [`MAX_REPORTED`] problems and counts the rest ([`Unlisted`]), and quotes
//! values through [`shorten`] (at most [`MAX_QUOTED_CHARS`] characters,
//! control and bidirectional-formatting characters escaped), so that loading
//! hostile input costs time and memory linear in its size and an error
//! message stays short.

use alloc::borrow::Cow;
use alloc::string::ToString;
use core::fmt;

use crate::{quote_to, MAX_QUOTED_CHARS};

/// The most problems a report lists; the rest are counted ("and 12 more").
pub const MAX_REPORTED: usize = 10;

/// `text` as quoted in a message: at most [`MAX_QUOTED_CHARS`] characters,
/// with `…` where it was cut, and control and bidirectional-formatting
/// characters escaped (`\u{202e}`), so that a value cannot rewrite the
/// terminal or log line it is shown in ([`quote`](crate::quote)).
pub fn shorten(text: &str) -> Cow<'_, str> {
    shorten_to(text, MAX_QUOTED_CHARS)
}

/// `text` cut to at most `max` characters, with `…` where it was cut, and
/// escaped as [`shorten`] escapes it.
pub fn shorten_to(text: &str, max: usize) -> Cow<'_, str> {
    let quoted = quote_to(text, max);
    if quoted.is_verbatim() {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(quoted.to_string())
    }
}

/// The words that count the problems found but not listed, shared by every
/// bounded report: `and 1 more problem`, `and N more problems` (nothing for
/// zero).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unlisted(pub usize);

impl fmt::Display for Unlisted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            0 => Ok(()),
            1 => f.write_str("and 1 more problem"),
            more => write!(f, "and {more} more problems"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;
    use alloc::string::String;

    #[test]
    fn shortens_long_values_on_character_boundaries() {
        assert_eq!(shorten("short"), "short");
        let exact = "a".repeat(MAX_QUOTED_CHARS);
        assert_eq!(shorten(&exact), exact.as_str());
        let long = "é".repeat(1000);
        let cut = shorten(&long);
        assert_eq!(cut.chars().count(), MAX_QUOTED_CHARS);
        assert!(cut.ends_with('…'));
        assert_eq!(shorten("id\u{202E}\n"), "id\\u{202e}\\u{a}");
    }

    #[test]
    fn counts_what_it_does_not_list() {
        assert_eq!(format!("{}", Unlisted(0)), String::new());
        assert_eq!(format!("{}", Unlisted(1)), "and 1 more problem");
        assert_eq!(format!("{}", Unlisted(12)), "and 12 more problems");
    }
}
