//! Bounded error reports: whatever a configuration holds, a report names at
//! most [`MAX_REPORTED`] problems and quotes at most [`MAX_QUOTED_CHARS`]
//! characters of any value, so that loading hostile input costs time and
//! memory linear in its size and an error message stays short.

use std::borrow::Cow;
use std::fmt;

use crate::validate::ValidationError;

/// The most problems a report lists; the rest are counted ("and 12 more").
pub const MAX_REPORTED: usize = 10;

/// The most characters of a value (an ID, an origin, a header) quoted in a
/// message; longer values are cut and end with `…` (the limit of every
/// message of the `cors_policy!` crates).
pub const MAX_QUOTED_CHARS: usize = cors_grammar::MAX_QUOTED_CHARS;

/// `text` as quoted in a message: at most [`MAX_QUOTED_CHARS`] characters,
/// with `…` where it was cut, and control and bidirectional-formatting
/// characters escaped (`\u{202e}`), so that a value cannot rewrite the
/// terminal or log line it is shown in ([`cors_grammar::quote`]).
pub fn shorten(text: &str) -> Cow<'_, str> {
    shorten_to(text, MAX_QUOTED_CHARS)
}

/// `text` cut to at most `max` characters, with `…` where it was cut, and
/// escaped as [`shorten`] escapes it.
pub fn shorten_to(text: &str, max: usize) -> Cow<'_, str> {
    let quoted = cors_grammar::quote_to(text, max);
    if quoted.is_verbatim() {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(quoted.to_string())
    }
}

/// Every problem found in a configuration, bounded: the first
/// [`MAX_REPORTED`] in document order, and how many more there were.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ValidationErrors {
    listed: Vec<ValidationError>,
    total: usize,
}

impl ValidationErrors {
    /// Records a problem; past [`MAX_REPORTED`] it is only counted, and
    /// `make` is not called (no message is built).
    pub(crate) fn push_with(&mut self, make: impl FnOnce() -> ValidationError) {
        if self.listed.len() < MAX_REPORTED {
            self.listed.push(make());
        }
        self.total += 1;
    }

    /// The problems listed, in document order (at most [`MAX_REPORTED`]).
    pub fn listed(&self) -> &[ValidationError] {
        &self.listed
    }

    /// The first problem: the one S3's error answer names.
    pub fn first(&self) -> Option<&ValidationError> {
        self.listed.first()
    }

    /// How many problems there were in all, listed or not.
    pub fn total(&self) -> usize {
        self.total
    }

    /// How many problems were counted but not listed.
    pub fn unlisted(&self) -> usize {
        self.total - self.listed.len()
    }

    /// Whether no problem was found.
    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// The problems listed, in document order.
    pub fn iter(&self) -> std::slice::Iter<'_, ValidationError> {
        self.listed.iter()
    }
}

impl From<ValidationError> for ValidationErrors {
    /// A report of one problem.
    fn from(error: ValidationError) -> Self {
        ValidationErrors {
            listed: vec![error],
            total: 1,
        }
    }
}

impl<'a> IntoIterator for &'a ValidationErrors {
    type Item = &'a ValidationError;
    type IntoIter = std::slice::Iter<'a, ValidationError>;

    fn into_iter(self) -> Self::IntoIter {
        self.listed.iter()
    }
}

impl fmt::Display for ValidationErrors {
    /// The listed problems separated by `; `, then `; and N more problems`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, error) in self.listed.iter().enumerate() {
            if index > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{error}")?;
        }
        match self.unlisted() {
            0 => Ok(()),
            more => write!(f, "; {}", Unlisted(more)),
        }
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
}
