//! The problems a reader or a writer found, all of them (bounded), each
//! with the place it concerns and a message that says how to fix it.

use std::fmt;

use crate::Format;

/// The most problems an [`AwsError`] lists; the rest are only counted, so
/// that a hostile document of a million bad values costs a bounded report
/// (the bound every loader of the project shares).
pub const MAX_REPORTED: usize = cors_grammar::report::MAX_REPORTED;

/// What kind of refusal a [`Problem`] is: one variant per class of
/// mistake, so that callers and tests can tell them apart without parsing
/// messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ProblemKind {
    /// The document is longer than [`MAX_DOCUMENT_LEN`](crate::MAX_DOCUMENT_LEN)
    /// bytes; it was not parsed.
    TooLarge,
    /// The document nests lists and objects deeper than the format's limit
    /// ([`MAX_NESTING`](crate::MAX_NESTING) or
    /// [`MAX_OPENAPI_NESTING`](crate::MAX_OPENAPI_NESTING)); it was not parsed.
    TooDeep,
    /// The text is not JSON (the parser's message, shortened).
    Syntax,
    /// A field the format does not have.
    UnknownField,
    /// A field written more than once in the same object.
    DuplicateKey,
    /// A field the format requires is missing.
    MissingField,
    /// A value of the wrong JSON type (a string where a list belongs, a
    /// fraction where an integer belongs, ...).
    WrongType,
    /// An origin that is not well formed, or a form the service lacks.
    Origin,
    /// A method outside the service's set, or misspelt.
    Method,
    /// A header that is not a header name, or a wildcard the service lacks.
    Header,
    /// A value listed twice.
    Duplicate,
    /// More values, or longer values, than the service accepts.
    Limit,
    /// A max age outside the service's range.
    MaxAge,
    /// A combination with credentials that a browser or the service
    /// refuses, or whose meaning is not documented.
    Credentials,
    /// A list that must not be empty is empty.
    Empty,
    /// A value that says nothing next to a wildcard: methods listed beside
    /// `*` (or CloudFront's `ALL`).
    Redundant,
    /// A CloudFront list whose `Quantity` differs from its `Items`' length.
    Quantity,
    /// REST API: a header value that is a mapping expression, not a
    /// single-quoted literal.
    MappingExpression,
    /// REST API: `options` operations or gateway responses that do not all
    /// say the same thing.
    Disagreement,
    /// Something the target format cannot hold at all (for example a
    /// non-mock `options` integration, or `OriginOverride: false` outside
    /// CloudFront).
    Unsupported,
}

/// One problem: where, and what is wrong and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The class of refusal.
    pub kind: ProblemKind,
    /// Where, as a JSON path in the document read or written:
    /// `AllowOrigins[2]`, `CorsConfig.AccessControlAllowMethods.Items[0]`,
    /// `paths["/items"].options`; empty for the document as a whole.
    pub path: String,
    /// What is wrong and how to fix it; values in it are quoted with
    /// [`cors_grammar::quote`] (short, control characters escaped).
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

/// Every problem found while reading or writing one format: the first
/// [`MAX_REPORTED`] in document order, and how many there were in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsError {
    format: Format,
    listed: Vec<Problem>,
    total: usize,
}

impl AwsError {
    /// The format being read or written.
    pub fn format(&self) -> Format {
        self.format
    }

    /// The problems listed, in document order (at most [`MAX_REPORTED`]).
    pub fn problems(&self) -> &[Problem] {
        &self.listed
    }

    /// How many problems were found, listed or not.
    pub fn total(&self) -> usize {
        self.total
    }

    /// Whether some problem of this kind is listed.
    pub fn has(&self, kind: ProblemKind) -> bool {
        self.listed.iter().any(|p| p.kind == kind)
    }
}

impl fmt::Display for AwsError {
    /// `apigw-http: AllowOrigins[0]: ...; MaxAge: ...; and 3 more problems`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.format.as_str())?;
        for (index, problem) in self.listed.iter().enumerate() {
            if index > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{problem}")?;
        }
        match self.total - self.listed.len() {
            0 => Ok(()),
            more => write!(f, "; {}", cors_grammar::report::Unlisted(more)),
        }
    }
}

impl std::error::Error for AwsError {}

/// The collector readers and writers push problems into.
#[derive(Debug, Default)]
pub(crate) struct Problems {
    listed: Vec<Problem>,
    total: usize,
}

impl Problems {
    /// Records a problem; past [`MAX_REPORTED`] it is only counted.
    pub(crate) fn push(&mut self, kind: ProblemKind, path: &str, message: String) {
        if self.listed.len() < MAX_REPORTED {
            self.listed.push(Problem {
                kind,
                path: path.to_owned(),
                message,
            });
        }
        self.total += 1;
    }

    /// How many problems were found so far.
    pub(crate) fn total(&self) -> usize {
        self.total
    }

    /// Whether nothing was found.
    pub(crate) fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// `Ok(value)` when nothing was found, else every problem.
    pub(crate) fn finish<T>(self, format: Format, value: T) -> Result<T, AwsError> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(self.into_error(format))
        }
    }

    /// The problems as an error of `format`.
    pub(crate) fn into_error(self, format: Format) -> AwsError {
        AwsError {
            format,
            listed: self.listed,
            total: self.total,
        }
    }
}
