//! Bounded error reports: whatever a configuration holds, a report names at
//! most [`MAX_REPORTED`] problems and quotes at most [`MAX_QUOTED_CHARS`]
//! characters of any value, so that loading hostile input costs time and
//! memory linear in its size and an error message stays short.

use std::fmt;

pub use cors_grammar::report::{shorten, shorten_to, Unlisted, MAX_REPORTED};
pub use cors_grammar::MAX_QUOTED_CHARS;

use crate::validate::ValidationError;

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
