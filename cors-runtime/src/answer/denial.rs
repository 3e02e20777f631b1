//! [`Denial`]: why a CORS request was denied, naming the [`RuleRef`] that
//! came closest.

use std::fmt;

use crate::front::origin::MalformedOrigin;
use crate::front::preflight::MalformedPreflight;

/// A rule of a policy, as a decision names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleRef<'a> {
    /// The rule's position in the policy, from 0.
    pub index: usize,
    /// The rule's `id`, if it has one.
    pub id: Option<&'a str>,
}

impl fmt::Display for RuleRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.id {
            Some(id) => write!(f, "rule {} (`{id}`)", self.index),
            None => write!(f, "rule {}", self.index),
        }
    }
}

/// Why a CORS request was denied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Denial<'a> {
    /// The `Origin` header was sent more than once (denied under every
    /// rule), or could not be trusted and no rule allows `"*"`.
    MalformedOrigin(MalformedOrigin),
    /// The origin is well formed but no rule's origin patterns match it.
    OriginNotAllowed {
        /// The request's origin.
        origin: &'a str,
    },
    /// The preflight's `Access-Control-Request-*` headers are malformed.
    MalformedPreflight(MalformedPreflight),
    /// The first rule whose origins match does not allow the method (and no
    /// later rule allows the whole request).
    MethodNotAllowed {
        /// The first rule whose origin patterns matched.
        rule: RuleRef<'a>,
        /// The (requested) method.
        method: &'a str,
    },
    /// The first rule whose origins and method match does not allow one of
    /// the requested headers (and no later rule allows the whole request).
    HeaderNotAllowed {
        /// The first rule whose origin patterns and methods matched.
        rule: RuleRef<'a>,
        /// The first requested header the rule does not allow.
        header: &'a str,
    },
}

impl fmt::Display for Denial<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Denial::MalformedOrigin(why) => write!(f, "malformed origin: {why}"),
            Denial::OriginNotAllowed { origin } => {
                write!(f, "origin `{origin}` is not allowed by any rule")
            }
            Denial::MalformedPreflight(why) => write!(f, "malformed preflight: {why}"),
            Denial::MethodNotAllowed { rule, method } => write!(
                f,
                "the origin matches {rule}, but its methods do not include `{method}` \
                 (methods are case-sensitive)"
            ),
            Denial::HeaderNotAllowed { rule, header } => write!(
                f,
                "the origin and method match {rule}, but it does not allow the request header `{header}`"
            ),
        }
    }
}

impl std::error::Error for Denial<'_> {
    /// The malformed header behind a [`Denial::MalformedOrigin`] or
    /// [`Denial::MalformedPreflight`].
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Denial::MalformedOrigin(malformed) => Some(malformed),
            Denial::MalformedPreflight(malformed) => Some(malformed),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::error::Error;

    #[test]
    fn denials_are_errors_whose_source_is_the_malformed_header() {
        let origin = Denial::MalformedOrigin(MalformedOrigin::Null);
        let source = origin.source().map(ToString::to_string);
        assert_eq!(source, Some(MalformedOrigin::Null.to_string()));
        let preflight = Denial::MalformedPreflight(MalformedPreflight::InvalidMethod);
        let source = preflight.source().map(ToString::to_string);
        assert_eq!(source, Some(MalformedPreflight::InvalidMethod.to_string()));
        let not_allowed = Denial::OriginNotAllowed {
            origin: "https://evil.example",
        };
        assert!(not_allowed.source().is_none());
        assert!(not_allowed.to_string().contains("https://evil.example"));
    }
}
