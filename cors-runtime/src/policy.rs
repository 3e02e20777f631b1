//! [`Policy`]: the static matcher the `cors_policy!` macro generates, and its
//! request evaluation.

use std::borrow::Cow;

use http::header::{ACCESS_CONTROL_REQUEST_HEADERS, ACCESS_CONTROL_REQUEST_METHOD, ORIGIN};
use http::{HeaderMap, Method};

use crate::decision::{Allowed, Decision, Denial, RequestKind, RuleData, RuleRef, Semantics};
use crate::origin::{MalformedOrigin, RequestOrigin};
use crate::origin_index::OriginIndex;
use crate::request_headers::{self, MalformedPreflight};
use crate::rule::Rule;
use crate::rule_set::RuleSet;
use crate::s3_matcher::S3Policy;

/// A CORS policy checked at compile time by [`cors_policy!`](crate::cors_policy).
///
/// A policy is one or more rules. A request is allowed by the first rule, in
/// order, whose origin patterns match the request's `Origin`, whose methods
/// include the (requested) method and whose headers cover every requested
/// header. Policies live in `static`s; evaluation allocates nothing.
///
/// ```
/// use cors_runtime::{cors_policy, Policy};
/// use http::{HeaderMap, HeaderValue, Method};
///
/// cors_policy! {
///     static API: Policy = {
///         allow_origins: ["https://app.example.com"],
///         allow_methods: [GET, PUT],
///     };
/// }
///
/// let mut request = HeaderMap::new();
/// request.insert("origin", HeaderValue::from_static("https://app.example.com"));
/// let decision = API.evaluate(&Method::GET, &request);
/// assert!(decision.is_allowed());
/// ```
#[derive(Debug)]
pub struct Policy {
    /// How the policy matches: the DSL's strict matcher, or S3's.
    pub(crate) matcher: Matcher,
}

/// The matchers a [`Policy`] can hold.
#[derive(Debug)]
pub(crate) enum Matcher {
    /// A `cors_policy!` policy written in the DSL: static data.
    Strict(StrictPolicy),
    /// An S3 configuration imported at compile time: static tables.
    S3Static(&'static S3Policy),
    /// An S3 configuration loaded at run time.
    #[cfg_attr(not(feature = "s3"), allow(dead_code))]
    S3Owned(Box<S3Policy>),
}

/// The DSL's matcher, laid out in static memory by `cors_policy!`.
#[derive(Debug)]
pub(crate) struct StrictPolicy {
    /// The rules, in order.
    pub(crate) rules: Cow<'static, [Rule]>,
    /// Perfect-hash index from a host (exact patterns) or a base domain
    /// (`*.` patterns), as bytes, to the patterns keyed there.
    pub(crate) origins: OriginIndex,
    /// The rules that allow any origin (`"*"`).
    pub(crate) any_origin: RuleSet,
    /// The length of the longest `*.` base domain; 0 when there is none, so
    /// that the subdomain walk is skipped.
    pub(crate) longest_wildcard_base: usize,
    /// `true` when every rule allows `"*"`: the answer to an actual request
    /// then never depends on the origin, and no `Vary: Origin` is needed.
    pub(crate) origin_independent: bool,
}

impl Policy {
    /// The policy the macro emits in place of one that failed its checks, so
    /// that a compile error is not followed by unrelated ones. It denies
    /// everything.
    pub(crate) const INVALID: Policy = Policy {
        matcher: Matcher::Strict(StrictPolicy {
            rules: Cow::Borrowed(&[]),
            origins: OriginIndex::EMPTY,
            any_origin: RuleSet::EMPTY,
            longest_wildcard_base: 0,
            origin_independent: false,
        }),
    };

    /// Decides what to answer to a request with this `method` and these
    /// request `headers`. Allocates nothing and never panics.
    ///
    /// - No `Origin` header: not a CORS request.
    /// - `OPTIONS` with `Origin` and `Access-Control-Request-Method`: a
    ///   preflight, answered by the middleware itself (see
    ///   [`Decision::preflight_status`]).
    /// - Anything else with `Origin`: an actual CORS request, passed on to the
    ///   service, whose response then gets the CORS headers from
    ///   [`Decision::apply`].
    pub fn evaluate<'a>(&'a self, method: &'a Method, headers: &'a HeaderMap) -> Decision<'a> {
        let origin = Values::of(headers.get_all(ORIGIN).iter());
        let (request_method, request_headers) =
            if self.reads_request_headers(method.as_str(), &origin) {
                (
                    Values::of(headers.get_all(ACCESS_CONTROL_REQUEST_METHOD).iter()),
                    Values::of(headers.get_all(ACCESS_CONTROL_REQUEST_HEADERS).iter()),
                )
            } else {
                (Values::Absent, Values::Absent)
            };
        self.evaluate_parts(RequestParts {
            method: method.as_str(),
            origin,
            request_method,
            request_headers,
        })
    }

    /// Whether deciding needs `Access-Control-Request-Method` and
    /// `-Headers`: not without an `Origin`, and for the DSL's matcher only on
    /// `OPTIONS` (S3's reads them on every request). Skipping the lookups
    /// saves two header-map searches on most requests.
    pub(crate) fn reads_request_headers<V>(&self, method: &str, origin: &Values<'_, V>) -> bool {
        !matches!(origin, Values::Absent)
            && (method == "OPTIONS" || !matches!(self.matcher, Matcher::Strict(_)))
    }

    /// [`Policy::evaluate`] over the parts of a request that CORS reads, with
    /// header values of any `http` version (adapters for frameworks on older
    /// `http` types call this directly, without converting).
    pub(crate) fn evaluate_parts<'a, V: AsRef<[u8]>>(
        &'a self,
        request: RequestParts<'a, V>,
    ) -> Decision<'a, V> {
        match &self.matcher {
            Matcher::Strict(strict) => strict.evaluate_parts(request),
            Matcher::S3Static(s3) => s3.evaluate_parts(request),
            Matcher::S3Owned(s3) => s3.evaluate_parts(request),
        }
    }

    /// The number of rules in the policy.
    pub fn rule_count(&self) -> usize {
        match &self.matcher {
            Matcher::Strict(strict) => strict.rules.len(),
            Matcher::S3Static(s3) => s3.rule_count(),
            Matcher::S3Owned(s3) => s3.rule_count(),
        }
    }
}

impl StrictPolicy {
    fn semantics(&self) -> Semantics {
        Semantics::Strict {
            vary_origin: !self.origin_independent,
        }
    }

    fn evaluate_parts<'a, V: AsRef<[u8]>>(
        &'a self,
        request: RequestParts<'a, V>,
    ) -> Decision<'a, V> {
        let Some(origin) = request.origin.first() else {
            return Decision::not_cors(self.semantics());
        };
        let kind = if request.method == "OPTIONS" && request.request_method.first().is_some() {
            RequestKind::Preflight
        } else {
            RequestKind::Actual
        };
        let parsed = match request.origin {
            Values::Repeated(_) => Err(MalformedOrigin::Repeated),
            _ => RequestOrigin::parse(origin.as_ref()),
        };
        // A malformed origin can still be allowed by a `"*"` rule: such a
        // rule answers `Access-Control-Allow-Origin: *` and echoes nothing.
        let candidates = match &parsed {
            Ok(origin) => self.rules_for_origin(origin),
            Err(_) => self.any_origin,
        };
        if candidates.is_empty() {
            let denial = match parsed {
                // The origin passed the grammar, so it is ASCII.
                Ok(_) => Denial::OriginNotAllowed {
                    origin: text(origin),
                },
                Err(why) => Denial::MalformedOrigin(why),
            };
            return Decision::denied(self.semantics(), kind, denial);
        }
        let requested = match kind {
            RequestKind::Preflight => match preflight_request(&request) {
                Ok(requested) => requested,
                Err(why) => {
                    return Decision::denied(
                        self.semantics(),
                        kind,
                        Denial::MalformedPreflight(why),
                    )
                }
            },
            _ => Requested {
                method: request.method,
                method_value: None,
                headers: None,
            },
        };
        let rules = candidates.iter().filter_map(|index| {
            let rule = self.rules.get(index)?;
            Some((
                RuleRef {
                    index,
                    id: rule.id.as_deref(),
                },
                RuleData::Strict(rule),
            ))
        });
        first_allowing(self.semantics(), kind, origin, requested, rules)
    }
}

/// The parts of a request that CORS reads.
pub(crate) struct RequestParts<'a, V> {
    pub(crate) method: &'a str,
    pub(crate) origin: Values<'a, V>,
    pub(crate) request_method: Values<'a, V>,
    pub(crate) request_headers: Values<'a, V>,
}

/// The values of one request header: CORS needs to know only the first, and
/// whether there were more.
pub(crate) enum Values<'a, V> {
    Absent,
    One(&'a V),
    Repeated(&'a V),
}

impl<'a, V> Values<'a, V> {
    pub(crate) fn of(mut values: impl Iterator<Item = &'a V>) -> Self {
        match (values.next(), values.next()) {
            (None, _) => Values::Absent,
            (Some(first), None) => Values::One(first),
            (Some(first), Some(_)) => Values::Repeated(first),
        }
    }

    pub(crate) fn first(&self) -> Option<&'a V> {
        match self {
            Values::Absent => None,
            Values::One(first) | Values::Repeated(first) => Some(first),
        }
    }
}

/// A header value as text, for messages; empty if it is not UTF-8.
pub(crate) fn text<V: AsRef<[u8]>>(value: &V) -> &str {
    std::str::from_utf8(value.as_ref()).unwrap_or_default()
}

/// What a request asks for: the method, and for a preflight the raw
/// `Access-Control-Request-*` values (echoed in the answer).
pub(crate) struct Requested<'a, V> {
    pub(crate) method: &'a str,
    pub(crate) method_value: Option<&'a V>,
    pub(crate) headers: Option<&'a V>,
}

/// Walks the origin-matching `rules` in order and returns the first that
/// allows the method and every requested header, or the reason the first of
/// them refused. The requested header list is checked and matched in one
/// pass per rule tried. Shared by the DSL's matcher and S3's.
pub(crate) fn first_allowing<'a, V: AsRef<[u8]>>(
    semantics: Semantics,
    kind: RequestKind,
    origin: &'a V,
    request: Requested<'a, V>,
    rules: impl Iterator<Item = (RuleRef<'a>, RuleData<'a>)>,
) -> Decision<'a, V> {
    let mut first_refusal = None;
    for (rule, data) in rules {
        if !data.allows_method(request.method) {
            first_refusal.get_or_insert(Denial::MethodNotAllowed {
                rule,
                method: request.method,
            });
            continue;
        }
        let list = match request.headers {
            Some(value) => {
                match request_headers::scan(value.as_ref(), |name| data.allows_header(name)) {
                    Ok(list) => Some((value, list)),
                    Err(why) => {
                        return Decision::denied(semantics, kind, Denial::MalformedPreflight(why))
                    }
                }
            }
            None => None,
        };
        if let Some(header) = list.and_then(|(_, list)| list.refused) {
            first_refusal.get_or_insert(Denial::HeaderNotAllowed {
                rule,
                header: std::str::from_utf8(header).unwrap_or_default(),
            });
            continue;
        }
        // Echo the list only when it names some header.
        let request_headers = list
            .filter(|(_, list)| list.has_names)
            .map(|(value, _)| value);
        return Decision::allowed(
            semantics,
            kind,
            Allowed {
                rule,
                rule_data: data,
                origin,
                method: request.method,
                method_value: request.method_value,
                request_headers,
            },
        );
    }
    let denial = first_refusal.unwrap_or(Denial::OriginNotAllowed {
        origin: text(origin),
    });
    Decision::denied(semantics, kind, denial)
}

/// Reads a preflight's `Access-Control-Request-Method` (checked here) and
/// `Access-Control-Request-Headers`.
fn preflight_request<'a, V: AsRef<[u8]>>(
    request: &RequestParts<'a, V>,
) -> Result<Requested<'a, V>, MalformedPreflight> {
    let method_value = match request.request_method {
        Values::One(value) => value,
        Values::Repeated(_) => return Err(MalformedPreflight::RepeatedMethod),
        Values::Absent => return Err(MalformedPreflight::InvalidMethod),
    };
    if !request_headers::is_token(method_value.as_ref()) {
        return Err(MalformedPreflight::InvalidMethod);
    }
    let method = text(method_value);
    let list = match request.request_headers {
        Values::Absent => None,
        Values::One(list) => Some(list),
        Values::Repeated(_) => return Err(MalformedPreflight::RepeatedHeaders),
    };
    // The list is checked (syntax, length) while rules are matched.
    Ok(Requested {
        method,
        method_value: Some(method_value),
        headers: list,
    })
}
