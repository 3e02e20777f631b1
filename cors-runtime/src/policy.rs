//! [`Policy`]: the static matcher the `cors_policy!` macro generates, and its
//! request evaluation.

use http::header::{ACCESS_CONTROL_REQUEST_HEADERS, ACCESS_CONTROL_REQUEST_METHOD, ORIGIN};
use http::{HeaderMap, HeaderValue, Method};

use crate::decision::{Allowed, Decision, Denial, RequestKind, RuleRef};
use crate::origin::{MalformedOrigin, OriginEntry, RequestOrigin};
use crate::request_headers::{self, MalformedPreflight};
use crate::rule::Rule;
use crate::rule_set::RuleSet;

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
    /// The rules, in order.
    #[doc(hidden)]
    pub rules: &'static [Rule],
    /// Perfect-hash index from a host (exact patterns) or a base domain
    /// (`*.` patterns) to the patterns keyed there.
    #[doc(hidden)]
    pub origins: phf::Map<&'static str, &'static [OriginEntry]>,
    /// The rules that allow any origin (`"*"`).
    #[doc(hidden)]
    pub any_origin: RuleSet,
    /// The length of the longest `*.` base domain; 0 when there is none, so
    /// that the subdomain walk is skipped.
    #[doc(hidden)]
    pub longest_wildcard_base: usize,
    /// `true` when every rule allows `"*"`: the answer to an actual request
    /// then never depends on the origin, and no `Vary: Origin` is needed.
    #[doc(hidden)]
    pub origin_independent: bool,
}

impl Policy {
    /// The policy the macro emits in place of one that failed its checks, so
    /// that a compile error is not followed by unrelated ones. It denies
    /// everything.
    #[doc(hidden)]
    pub const INVALID: Policy = Policy {
        rules: &[],
        origins: phf::Map::new(),
        any_origin: RuleSet::EMPTY,
        longest_wildcard_base: 0,
        origin_independent: false,
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
        let mut origins = headers.get_all(ORIGIN).iter();
        let Some(origin) = origins.next() else {
            return Decision::not_cors(self);
        };
        let kind =
            if method == Method::OPTIONS && headers.contains_key(ACCESS_CONTROL_REQUEST_METHOD) {
                RequestKind::Preflight
            } else {
                RequestKind::Actual
            };
        let parsed = if origins.next().is_some() {
            Err(MalformedOrigin::Repeated)
        } else {
            RequestOrigin::parse(origin.as_bytes())
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
                    origin: origin.to_str().unwrap_or_default(),
                },
                Err(why) => Denial::MalformedOrigin(why),
            };
            return Decision::denied(self, kind, denial);
        }
        let request = match kind {
            RequestKind::Preflight => match preflight_request(headers) {
                Ok(request) => request,
                Err(why) => return Decision::denied(self, kind, Denial::MalformedPreflight(why)),
            },
            _ => Requested {
                method: method.as_str(),
                method_value: None,
                headers: None,
            },
        };
        self.first_matching_rule(kind, candidates, origin, request)
    }

    /// Walks the origin-matching rules in order and returns the first that
    /// allows the method and every requested header, or the reason the first
    /// of them refused.
    fn first_matching_rule<'a>(
        &'a self,
        kind: RequestKind,
        candidates: RuleSet,
        origin: &'a HeaderValue,
        request: Requested<'a>,
    ) -> Decision<'a> {
        let mut first_refusal = None;
        for index in candidates.iter() {
            let Some(rule) = self.rules.get(index) else {
                continue;
            };
            let rule_ref = RuleRef { index, id: rule.id };
            if !rule.methods.allows(request.method) {
                first_refusal.get_or_insert(Denial::MethodNotAllowed {
                    rule: rule_ref,
                    method: request.method,
                });
                continue;
            }
            let refused_header = request
                .headers
                .and_then(|list| request_headers::first_refused(list.as_bytes(), &rule.headers));
            if let Some(header) = refused_header {
                first_refusal.get_or_insert(Denial::HeaderNotAllowed {
                    rule: rule_ref,
                    header: std::str::from_utf8(header).unwrap_or_default(),
                });
                continue;
            }
            return Decision::allowed(
                self,
                kind,
                Allowed {
                    rule: rule_ref,
                    rule_data: rule,
                    origin,
                    method: request.method,
                    method_value: request.method_value,
                    request_headers: request.headers,
                },
            );
        }
        let denial = first_refusal.unwrap_or(Denial::OriginNotAllowed {
            origin: origin.to_str().unwrap_or_default(),
        });
        Decision::denied(self, kind, denial)
    }

    /// The number of rules in the policy.
    pub fn rule_count(&self) -> usize {
        self.rules.len()
    }
}

/// What a request asks for: the method, and for a preflight the raw
/// `Access-Control-Request-*` values (echoed in the answer).
struct Requested<'a> {
    method: &'a str,
    method_value: Option<&'a HeaderValue>,
    headers: Option<&'a HeaderValue>,
}

/// Reads and checks a preflight's `Access-Control-Request-Method` and
/// `Access-Control-Request-Headers`.
fn preflight_request(headers: &HeaderMap) -> Result<Requested<'_>, MalformedPreflight> {
    let method_value = single(headers, &ACCESS_CONTROL_REQUEST_METHOD)
        .map_err(|()| MalformedPreflight::RepeatedMethod)?
        .ok_or(MalformedPreflight::InvalidMethod)?;
    if !request_headers::is_token(method_value.as_bytes()) {
        return Err(MalformedPreflight::InvalidMethod);
    }
    let method = method_value
        .to_str()
        .map_err(|_| MalformedPreflight::InvalidMethod)?;
    let list = single(headers, &ACCESS_CONTROL_REQUEST_HEADERS)
        .map_err(|()| MalformedPreflight::RepeatedHeaders)?;
    if let Some(list) = list {
        request_headers::check_header_list(list.as_bytes())?;
    }
    // An empty or all-whitespace list requests no header: nothing to echo.
    let list = list.filter(|list| {
        list.as_bytes()
            .iter()
            .any(|b| !b.is_ascii_whitespace() && *b != b',')
    });
    Ok(Requested {
        method,
        method_value: Some(method_value),
        headers: list,
    })
}

/// The header's only value, `Ok(None)` when absent, `Err` when repeated.
fn single<'h>(
    headers: &'h HeaderMap,
    name: &http::header::HeaderName,
) -> Result<Option<&'h HeaderValue>, ()> {
    let mut values = headers.get_all(name).iter();
    let first = values.next();
    match values.next() {
        Some(_) => Err(()),
        None => Ok(first),
    }
}
