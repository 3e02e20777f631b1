//! Amazon S3's bucket-CORS semantics, which differ from the DSL's on
//! purpose (S3-compatible servers must answer exactly as S3 does):
//!
//! - origins are compared as plain, case-sensitive strings; one `*` anywhere
//!   in an allowed origin matches any run of characters, possibly empty;
//! - the rules are tried in order and a rule that matches the origin but not
//!   the method or the requested headers falls through to the next;
//! - the requested method and headers are matched when sent, on actual
//!   requests too; header patterns are case-insensitive, a rule without
//!   allowed headers allows none;
//! - a matching rule answers, on preflights and actual requests alike,
//!   `Access-Control-Allow-Origin` (the origin, or `*` for a rule listing
//!   `*`), `-Allow-Credentials: true` unless that is `*`, `-Allow-Methods`
//!   (all the rule's methods), `-Allow-Headers` (the requested names,
//!   lowercase), `-Expose-Headers`, `-Max-Age` and
//!   `Vary: Origin, Access-Control-Request-Headers, Access-Control-Request-Method`;
//!   a request no rule matches gets no CORS header and no `Vary`;
//! - an allowed preflight is answered `200`, a denied one `403`.
//!
//! The matcher's tables are laid out once by `cors_s3::__private::layout` from a
//! configuration validated with S3's rules: written as statics by the macro
//! for `include_s3_json!`/`include_s3_xml!` (nothing is built on the first
//! request, and nothing can fail then), owned by the loaders of the `s3`
//! feature, which keep the configuration for reading it back. Evaluating a
//! request allocates nothing.

use std::borrow::Cow;

use crate::answer::decision::Decision;
use crate::answer::denial::Denial;
use crate::answer::refusal::Pass;
use crate::answer::vary::VaryOn;
use crate::answer::RuleAnswer;
use crate::front::origin::MalformedOrigin;
use crate::front::{preflight, CorsRequest};
use crate::matcher::rule::glob_matches_ignoring_case;
use crate::matcher::rule_index::RuleIndex;
use crate::matcher::rule_set::RuleSet;
use crate::matcher::rule_walk::WalkedRule;

/// One S3 rule as written, in static memory: what a compile-time import
/// reads back (`Policy::s3_configuration`). Not public API.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct S3RuleSpec<'a> {
    /// `ID`.
    pub(crate) id: Option<&'a str>,
    /// `AllowedOrigins`.
    pub(crate) allowed_origins: &'a [&'a str],
    /// `AllowedMethods`.
    pub(crate) allowed_methods: &'a [&'a str],
    /// `AllowedHeaders`.
    pub(crate) allowed_headers: &'a [&'a str],
    /// `ExposeHeaders`.
    pub(crate) expose_headers: &'a [&'a str],
    /// `MaxAgeSeconds`.
    pub(crate) max_age_seconds: Option<i64>,
}

/// An S3 configuration, ready to evaluate requests: static tables for a
/// compile-time import, owned ones for a run-time configuration, both laid
/// out by `cors_s3::__private::layout`. Not public API: it is reached through
/// [`Policy`](crate::Policy).
#[doc(hidden)]
#[derive(Debug)]
pub struct S3Matcher {
    pub(crate) rules: Cow<'static, [S3Rule]>,
    /// Origins without `*`, sorted by bytes, to the rules listing them.
    pub(crate) exact: Cow<'static, [ExactOrigin]>,
    /// Origins with one `*` inside.
    pub(crate) wildcards: Cow<'static, [Wildcard]>,
    /// Rules listing the lone `*`.
    pub(crate) any_origin: RuleSet,
    /// Which rules allow which methods and request headers: a request
    /// several rules' origins match reads its header list once.
    pub(crate) rule_index: RuleIndex,
    /// The configuration as written, for reading it back (with the `s3`
    /// feature).
    pub(crate) written: Written,
}

/// The configuration an [`S3Matcher`] was built from, as written.
#[derive(Debug)]
pub(crate) enum Written {
    /// A compile-time import's rules.
    Static(&'static [S3RuleSpec<'static>]),
    /// A run-time configuration, kept as loaded.
    #[cfg(feature = "s3")]
    Owned(cors_s3::CorsConfiguration),
}

/// An allowed origin without `*`, and the rules listing it.
#[doc(hidden)]
#[derive(Debug, Clone)]
pub struct ExactOrigin {
    pub(crate) origin: Cow<'static, str>,
    pub(crate) rules: RuleSet,
}

/// A value with one `*`: any run of characters (possibly empty) between
/// `prefix` and `suffix`. The length check keeps the two from overlapping
/// (`app.*.example.org` never matches `app.example.org`).
#[doc(hidden)]
#[derive(Debug, Clone)]
pub struct Glob {
    pub(crate) prefix: Cow<'static, str>,
    pub(crate) suffix: Cow<'static, str>,
}

impl Glob {
    /// Case-sensitive, as S3 compares origins.
    fn matches(&self, value: &[u8]) -> bool {
        let (prefix, suffix) = (self.prefix.as_bytes(), self.suffix.as_bytes());
        value.len() >= prefix.len() + suffix.len()
            && value.starts_with(prefix)
            && value.ends_with(suffix)
    }

    /// Case-insensitive, as S3 compares header names (the glob is lowercase).
    fn matches_ignoring_case(&self, value: &[u8]) -> bool {
        glob_matches_ignoring_case(self.prefix.as_bytes(), self.suffix.as_bytes(), value)
    }
}

/// An allowed origin with one `*`, and its rule.
#[doc(hidden)]
#[derive(Debug, Clone)]
pub struct Wildcard {
    pub(crate) glob: Glob,
    pub(crate) rule: u16,
}

/// One rule of an S3 configuration, with its response values built.
#[doc(hidden)]
#[derive(Debug, Clone)]
pub struct S3Rule {
    pub(crate) methods: Cow<'static, [Cow<'static, str>]>,
    pub(crate) headers: S3Headers,
    /// The id and the response values: `*` without credentials when the
    /// rule lists the lone `*` origin, all the rule's methods joined by
    /// `", "`, the expose headers as written.
    pub(crate) answer: RuleAnswer,
}

/// The request headers one rule allows, lowercase.
#[doc(hidden)]
#[derive(Debug, Clone)]
pub(crate) struct S3Headers {
    pub(crate) any: bool,
    pub(crate) names: Cow<'static, [Cow<'static, str>]>,
    pub(crate) patterns: Cow<'static, [Glob]>,
}

impl WalkedRule for S3Rule {
    fn answer(&self) -> &RuleAnswer {
        &self.answer
    }

    /// Whether the rule lists `method` (compared byte for byte).
    fn allows_method(&self, method: &str) -> bool {
        self.methods.iter().any(|allowed| allowed == method)
    }

    /// Whether the rule allows the request header `name` (any case).
    fn allows_header(&self, name: &[u8]) -> bool {
        self.headers.allows(name)
    }

    /// The rule's exact names as the configuration spells them (each a
    /// header-name token, as the validator checks): a list that needs `"*"`,
    /// a pattern or a case-insensitive match is scanned.
    fn lists_only_allowed_names(&self, list: &[u8]) -> bool {
        preflight::lists_only(list, &self.headers.names)
    }
}

impl S3Headers {
    fn allows(&self, name: &[u8]) -> bool {
        self.any
            || self
                .names
                .iter()
                .any(|allowed| allowed.as_bytes().eq_ignore_ascii_case(name))
            || self
                .patterns
                .iter()
                .any(|glob| glob.matches_ignoring_case(name))
    }
}

impl S3Matcher {
    /// The number of rules.
    pub(crate) fn rule_count(&self) -> usize {
        self.rules.len()
    }

    /// The rules whose allowed origins match `origin`.
    pub(crate) fn rules_for_origin(&self, origin: &[u8]) -> RuleSet {
        let mut rules = self.any_origin;
        if let Ok(found) = self
            .exact
            .binary_search_by(|exact| exact.origin.as_bytes().cmp(origin))
        {
            if let Some(exact) = self.exact.get(found) {
                rules.union(&exact.rules);
            }
        }
        for wildcard in self.wildcards.iter() {
            if wildcard.glob.matches(origin) {
                rules.insert(wildcard.rule);
            }
        }
        rules
    }

    /// Decides a CORS request with S3's semantics (see the module docs).
    pub(crate) fn decide<'a>(&'a self, request: CorsRequest<'a>) -> Decision<'a> {
        let kind = request.kind;
        if request.origin_repeated {
            return Decision::denied(
                kind,
                Denial::MalformedOrigin(MalformedOrigin::Repeated),
                None,
                Pass::Off,
            );
        }
        // S3 matches the requested method and headers whenever they are
        // sent, on actual requests too.
        let requested = match request.requested() {
            Ok(requested) => requested,
            Err(why) => {
                let denial = Denial::MalformedPreflight(why);
                return Decision::denied(kind, denial, None, Pass::Off);
            }
        };
        let candidates = self.rules_for_origin(request.origin.as_bytes());
        self.rule_index.choose(
            &self.rules,
            kind,
            request.origin,
            requested,
            candidates,
            |walked| match walked {
                Ok(allowed) => Decision::allowed(kind, allowed, Some(VaryOn::S3), Pass::Off),
                Err(denial) => Decision::denied(kind, denial, None, Pass::Off),
            },
        )
    }
}
