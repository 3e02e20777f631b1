//! What a validation reports: each problem ([`ValidationError`], with the S3
//! [`ErrorCode`] it maps to), and the bounded list of them: whatever a
//! configuration holds, a report names at most [`MAX_REPORTED`] problems and quotes at most
//! [`MAX_QUOTED_CHARS`](cors_grammar::MAX_QUOTED_CHARS)
//! characters of any value, so that loading hostile input costs time and
//! memory linear in its size and an error message stays short.

use std::fmt;

pub(crate) use cors_grammar::report::{shorten, Unlisted, MAX_REPORTED};

/// The S3 error code a mistake maps to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorCode {
    /// `MalformedXML`: the document's structure is wrong (no rule, a rule
    /// without origins or methods, text that is not XML or JSON).
    MalformedXml,
    /// `InvalidRequest`: a value is not allowed.
    InvalidRequest,
    /// `MaxMessageLengthExceeded`: the document is larger than S3's 64 KB.
    MaxMessageLengthExceeded,
}

impl ErrorCode {
    /// The code as S3 writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::MalformedXml => "MalformedXML",
            ErrorCode::InvalidRequest => "InvalidRequest",
            ErrorCode::MaxMessageLengthExceeded => "MaxMessageLengthExceeded",
        }
    }
}

/// One validation error: where (rule index and ID, field) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    /// The rule's position, from 0; `None` for the configuration as a whole.
    pub rule: Option<usize>,
    /// The rule's `ID`, if it has one, shortened for messages (at most
    /// [`MAX_QUOTED_CHARS`](cors_grammar::MAX_QUOTED_CHARS) characters).
    pub id: Option<String>,
    /// The field, as S3 names it in JSON (`AllowedOrigins`, ...).
    pub field: &'static str,
    /// What is wrong and how to fix it (values quoted in it are shortened).
    pub message: String,
    /// The S3 error code `PutBucketCors` would answer.
    pub code: ErrorCode,
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.rule, &self.id) {
            (Some(index), Some(id)) => write!(f, "rule {index} (`{id}`), {}: ", self.field)?,
            (Some(index), None) => write!(f, "rule {index}, {}: ", self.field)?,
            (None, _) => write!(f, "{}: ", self.field)?,
        }
        f.write_str(&self.message)
    }
}

/// Every problem found in a configuration, bounded: the first
/// [`MAX_REPORTED`](cors_grammar::report::MAX_REPORTED) in document order,
/// and how many more there were.
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

    /// The problems listed, in document order (at most
    /// [`MAX_REPORTED`](cors_grammar::report::MAX_REPORTED)).
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
