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
//! The matcher is built once, from rules already validated with S3's rules
//! (by the macro at compile time, or by the loaders of the `s3` feature),
//! and evaluating a request allocates nothing.

use std::collections::HashMap;

use http::HeaderValue;

use crate::decision::{Decision, Denial, RequestKind, RuleData, RuleRef, Semantics};
use crate::origin::MalformedOrigin;
use crate::policy::{first_allowing, text, RequestParts, Requested, Values};
use crate::request_headers::{self, MalformedPreflight};
use crate::rule::glob_matches_ignoring_case;
use crate::rule_set::{RuleSet, MAX_RULES};

/// One S3 rule as written: the compile-time import lays these out in static
/// memory, the run-time loaders borrow them from a parsed configuration.
/// Not public API.
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

/// An S3 configuration, ready to evaluate requests. Not public API: it is
/// reached through [`Policy`](crate::Policy).
#[doc(hidden)]
#[derive(Debug)]
pub struct S3Policy {
    rules: Vec<S3Rule>,
    /// Origins without `*`, to the rules listing them.
    exact: HashMap<Box<[u8]>, RuleSet>,
    /// Origins with one `*` inside.
    wildcards: Vec<Wildcard>,
    /// Rules listing the lone `*`.
    any_origin: RuleSet,
    /// The rules as written, for reading the configuration back.
    pub(crate) written: Vec<WrittenRule>,
}

/// A rule as written, owned.
#[derive(Debug, Clone, Default)]
#[cfg_attr(not(feature = "s3"), allow(dead_code))]
pub(crate) struct WrittenRule {
    pub(crate) id: Option<String>,
    pub(crate) allowed_origins: Vec<String>,
    pub(crate) allowed_methods: Vec<String>,
    pub(crate) allowed_headers: Vec<String>,
    pub(crate) expose_headers: Vec<String>,
    pub(crate) max_age_seconds: Option<i64>,
}

/// A value with one `*`: any run of characters (possibly empty) between
/// `prefix` and `suffix`. The length check keeps the two from overlapping
/// (`app.*.example.org` never matches `app.example.org`).
#[derive(Debug)]
struct Glob {
    prefix: Box<[u8]>,
    suffix: Box<[u8]>,
}

impl Glob {
    fn new(prefix: &str, suffix: &str) -> Self {
        Glob {
            prefix: prefix.as_bytes().into(),
            suffix: suffix.as_bytes().into(),
        }
    }

    /// Case-sensitive, as S3 compares origins.
    fn matches(&self, value: &[u8]) -> bool {
        value.len() >= self.prefix.len() + self.suffix.len()
            && value.starts_with(&self.prefix)
            && value.ends_with(&self.suffix)
    }

    /// Case-insensitive, as S3 compares header names (the glob is lowercase).
    fn matches_ignoring_case(&self, value: &[u8]) -> bool {
        glob_matches_ignoring_case(&self.prefix, &self.suffix, value)
    }
}

/// An allowed origin with one `*`, and its rule.
#[derive(Debug)]
struct Wildcard {
    glob: Glob,
    rule: u16,
}

/// One rule of an S3 configuration, with its response values built.
#[derive(Debug)]
pub(crate) struct S3Rule {
    pub(crate) id: Option<Box<str>>,
    methods: Vec<Box<str>>,
    headers: S3Headers,
    /// The rule lists the lone `*` origin: it answers `*`, without credentials.
    pub(crate) any_origin: bool,
    /// All the rule's methods, joined by `", "`.
    pub(crate) allow_methods: HeaderValue,
    /// The expose headers as written, joined by `", "`.
    pub(crate) expose_headers: Option<HeaderValue>,
    pub(crate) max_age: Option<HeaderValue>,
}

/// The request headers one rule allows, lowercase.
#[derive(Debug, Default)]
struct S3Headers {
    any: bool,
    names: Vec<Box<[u8]>>,
    patterns: Vec<Glob>,
}

impl S3Rule {
    /// Whether the rule lists `method` (compared byte for byte).
    pub(crate) fn allows_method(&self, method: &str) -> bool {
        self.methods.iter().any(|allowed| **allowed == *method)
    }

    /// Whether the rule allows the request header `name` (any case).
    pub(crate) fn allows_header(&self, name: &[u8]) -> bool {
        self.headers.allows(name)
    }
}

impl S3Headers {
    fn allows(&self, name: &[u8]) -> bool {
        self.any
            || self
                .names
                .iter()
                .any(|allowed| allowed.eq_ignore_ascii_case(name))
            || self
                .patterns
                .iter()
                .any(|glob| glob.matches_ignoring_case(name))
    }
}

impl S3Policy {
    /// Builds the matcher from rules that passed S3's validation. Fails only
    /// if a response value is not a valid header value, which validation
    /// already excludes.
    pub fn build(specs: &[S3RuleSpec<'_>]) -> Result<S3Policy, String> {
        if specs.len() > MAX_RULES {
            return Err(format!("at most {MAX_RULES} rules"));
        }
        let mut policy = S3Policy::deny_all();
        for (index, spec) in specs.iter().enumerate() {
            let rule = u16::try_from(index).map_err(|_| "too many rules".to_owned())?;
            let mut any_origin = false;
            for origin in spec.allowed_origins {
                if *origin == "*" {
                    any_origin = true;
                    policy.any_origin.insert(rule);
                } else if let Some((prefix, suffix)) = origin.split_once('*') {
                    policy.wildcards.push(Wildcard {
                        glob: Glob::new(prefix, suffix),
                        rule,
                    });
                } else {
                    policy
                        .exact
                        .entry(origin.as_bytes().into())
                        .or_default()
                        .insert(rule);
                }
            }
            let mut headers = S3Headers::default();
            for header in spec.allowed_headers {
                let lower = header.to_ascii_lowercase();
                match lower.split_once('*') {
                    _ if lower == "*" => headers.any = true,
                    Some((prefix, suffix)) => headers.patterns.push(Glob::new(prefix, suffix)),
                    None => headers.names.push(lower.into_bytes().into()),
                }
            }
            let value = |text: String| {
                HeaderValue::try_from(text).map_err(|e| format!("rule {index}: {e}"))
            };
            let joined = |values: &[&str]| (!values.is_empty()).then(|| values.join(", "));
            policy.rules.push(S3Rule {
                id: spec.id.map(Into::into),
                methods: spec.allowed_methods.iter().map(|m| (*m).into()).collect(),
                headers,
                any_origin,
                allow_methods: value(spec.allowed_methods.join(", "))?,
                expose_headers: joined(spec.expose_headers).map(value).transpose()?,
                max_age: spec
                    .max_age_seconds
                    .map(|s| value(s.to_string()))
                    .transpose()?,
            });
            let owned = |values: &[&str]| values.iter().map(|v| (*v).to_owned()).collect();
            policy.written.push(WrittenRule {
                id: spec.id.map(str::to_owned),
                allowed_origins: owned(spec.allowed_origins),
                allowed_methods: owned(spec.allowed_methods),
                allowed_headers: owned(spec.allowed_headers),
                expose_headers: owned(spec.expose_headers),
                max_age_seconds: spec.max_age_seconds,
            });
        }
        Ok(policy)
    }

    /// A matcher with no rule: every CORS request is denied.
    pub fn deny_all() -> S3Policy {
        S3Policy {
            rules: Vec::new(),
            exact: HashMap::new(),
            wildcards: Vec::new(),
            any_origin: RuleSet::EMPTY,
            written: Vec::new(),
        }
    }

    /// The number of rules.
    pub(crate) fn rule_count(&self) -> usize {
        self.rules.len()
    }

    /// The rules whose allowed origins match `origin`.
    fn rules_for_origin(&self, origin: &[u8]) -> RuleSet {
        let mut rules = self.any_origin;
        if let Some(listed) = self.exact.get(origin) {
            rules.union(listed);
        }
        for wildcard in &self.wildcards {
            if wildcard.glob.matches(origin) {
                rules.insert(wildcard.rule);
            }
        }
        rules
    }

    /// Evaluates a request with S3's semantics (see the module docs).
    pub(crate) fn evaluate_parts<'a, V: AsRef<[u8]>>(
        &'a self,
        request: RequestParts<'a, V>,
    ) -> Decision<'a, V> {
        let Some(origin) = request.origin.first() else {
            return Decision::not_cors(Semantics::S3);
        };
        let kind = if request.method == "OPTIONS" && request.request_method.first().is_some() {
            RequestKind::Preflight
        } else {
            RequestKind::Actual
        };
        let deny = |denial| Decision::denied(Semantics::S3, kind, denial);
        if let Values::Repeated(_) = request.origin {
            return deny(Denial::MalformedOrigin(MalformedOrigin::Repeated));
        }
        // S3 matches the requested method and headers whenever they are
        // sent, on actual requests too.
        let (method, method_value) = match request.request_method {
            Values::One(value) if request_headers::is_token(value.as_ref()) => {
                (text(value), Some(value))
            }
            Values::One(_) => {
                return deny(Denial::MalformedPreflight(
                    MalformedPreflight::InvalidMethod,
                ))
            }
            Values::Repeated(_) => {
                return deny(Denial::MalformedPreflight(
                    MalformedPreflight::RepeatedMethod,
                ))
            }
            Values::Absent => (request.method, None),
        };
        let list = match request.request_headers {
            Values::One(list) => Some(list),
            Values::Repeated(_) => {
                return deny(Denial::MalformedPreflight(
                    MalformedPreflight::RepeatedHeaders,
                ))
            }
            Values::Absent => None,
        };
        let candidates = self.rules_for_origin(origin.as_ref());
        let rules = candidates.iter().filter_map(|index| {
            let rule = self.rules.get(index)?;
            Some((
                RuleRef {
                    index,
                    id: rule.id.as_deref(),
                },
                RuleData::S3(rule),
            ))
        });
        let requested = Requested {
            method,
            method_value,
            headers: list,
        };
        first_allowing(Semantics::S3, kind, origin, requested, rules)
    }
}

/// S3's `Access-Control-Allow-Headers`: the requested names lowercased,
/// trimmed, empty ones dropped, in request order, joined by `", "`.
pub(crate) fn lowercase_list(value: &[u8]) -> Option<HeaderValue> {
    let names: Vec<String> = value
        .split(|b| *b == b',')
        .map(<[u8]>::trim_ascii)
        .filter(|name| !name.is_empty())
        .map(|name| String::from_utf8_lossy(name).to_ascii_lowercase())
        .collect();
    if names.is_empty() {
        return None;
    }
    HeaderValue::try_from(names.join(", ")).ok()
}
