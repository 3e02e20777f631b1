//! [`Policy`]: one matcher (the DSL's or S3's, static or loaded at run
//! time), and [`Policy::evaluate`], which runs the request front end, then
//! that matcher, then (for DSL policies that keep it on) the cross-origin
//! protection, which may refuse a cross-origin write the matcher let through.

use http::{HeaderMap, Method};

use crate::answer::decision::Decision;
use crate::answer::refusal::Pass;
use crate::front::{self, MethodRef, RequestHeaderMap, Scope};
use crate::matcher::dsl::DslMatcher;
use crate::matcher::origin_index::OriginIndex;
use crate::matcher::protection_settings::Protection;
use crate::matcher::rule_set::RuleSet;
#[cfg(feature = "s3")]
use crate::matcher::s3::S3Matcher;
use crate::protection::{self, Target};

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
    /// How the policy matches: the DSL's matcher, or S3's.
    pub(crate) matcher: Matcher,
}

/// The matchers a [`Policy`] can hold.
#[derive(Debug)]
// The DSL's matcher is inline (it lives in a `static`, built by a `const fn`,
// and is the common case): boxing it would cost every request a pointer chase.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Matcher {
    /// A `cors_policy!` policy written in the DSL: static data.
    Dsl(DslMatcher),
    /// An S3 configuration imported at compile time: static tables.
    #[cfg(feature = "s3")]
    S3Static(&'static S3Matcher),
    /// An S3 configuration loaded at run time.
    #[cfg(feature = "s3")]
    S3Owned(Box<S3Matcher>),
}

impl Matcher {
    /// The DSL matcher, for tests that look inside a DSL policy.
    #[cfg(all(test, feature = "json"))]
    pub(crate) fn dsl(&self) -> Option<&DslMatcher> {
        match self {
            Matcher::Dsl(dsl) => Some(dsl),
            #[cfg(feature = "s3")]
            _ => None,
        }
    }
}

impl Policy {
    /// The policy the macro emits in place of one that failed its checks, so
    /// that a compile error is not followed by unrelated ones. It denies
    /// everything.
    pub(crate) const INVALID: Policy = Policy {
        matcher: Matcher::Dsl(DslMatcher {
            rules: std::borrow::Cow::Borrowed(&[]),
            origins: OriginIndex::EMPTY,
            any_origin: RuleSet::EMPTY,
            origin_independent: false,
            protection: Protection::ON,
            rule_index: crate::matcher::rule_index::RuleIndex::EMPTY,
        }),
    };

    /// Decides what to answer to a request with this `method` and these
    /// request `headers`: the CORS answer and the cross-origin protection's
    /// verdict at once. Allocates nothing and never panics.
    ///
    /// - No `Origin` header: not a CORS request.
    /// - `OPTIONS` with `Origin` and `Access-Control-Request-Method`: a
    ///   preflight, answered by the middleware itself (see
    ///   [`Decision::preflight_status`]).
    /// - A write (any method but `GET`, `HEAD`, `OPTIONS`) or WebSocket
    ///   handshake from another origin that the policy does not let act:
    ///   refused by the cross-origin protection, answered `403` by the
    ///   middleware itself ([`Decision::is_refused`]).
    /// - Anything else with `Origin`: an actual CORS request, passed on to the
    ///   service, whose response then gets the CORS headers from
    ///   [`Decision::apply`].
    ///
    /// Without the URI, the request's authority is its `Host` header and its
    /// path is unknown, so no open path applies: prefer
    /// [`Policy::evaluate_request`] or [`Policy::evaluate_parts`], which the
    /// adapters use.
    #[inline]
    pub fn evaluate<'a>(&'a self, method: &'a Method, headers: &'a HeaderMap) -> Decision<'a> {
        self.decide(MethodRef::Http(method), Target::default(), headers)
    }

    /// [`Policy::evaluate`] for a request whose URI is known: its path
    /// decides whether an open path applies, and its authority (when it has
    /// one, as HTTP/2 requests do) is the request's own origin for the
    /// cross-origin protection, else `Host` is.
    ///
    /// ```
    /// use cors_runtime::{cors_policy, Policy};
    /// use http::{Request, StatusCode};
    ///
    /// cors_policy! {
    ///     static API: Policy = {
    ///         allow_origins: ["https://app.example.com"],
    ///         allow_methods: [GET, POST],
    ///     };
    /// }
    ///
    /// let post = Request::post("https://api.example.com/orders")
    ///     .header("origin", "https://evil.example")
    ///     .header("sec-fetch-site", "cross-site")
    ///     .body(())
    ///     .unwrap();
    /// let decision = API.evaluate_request(&post);
    /// assert_eq!(decision.preflight_status(), Some(StatusCode::FORBIDDEN));
    /// assert_eq!(
    ///     decision.to_string(),
    ///     "cross-site POST from https://evil.example: no rule allows this origin"
    /// );
    /// ```
    #[inline]
    pub fn evaluate_request<'a, B>(&'a self, request: &'a http::Request<B>) -> Decision<'a> {
        self.decide(
            MethodRef::Http(request.method()),
            Target::of(request.uri()),
            request.headers(),
        )
    }

    /// [`Policy::evaluate_request`] for a request split into its parts.
    #[inline]
    pub fn evaluate_parts<'a>(&'a self, parts: &'a http::request::Parts) -> Decision<'a> {
        self.decide(
            MethodRef::Http(&parts.method),
            Target::of(&parts.uri),
            &parts.headers,
        )
    }

    /// The one entry point behind every other: the front end reads the
    /// request once, the matcher decides, the cross-origin protection judges
    /// (over a header map of any supported `http` version).
    #[inline]
    pub(crate) fn decide<'a, H: RequestHeaderMap + ?Sized>(
        &'a self,
        method: MethodRef<'a>,
        target: Target<'a>,
        headers: &'a H,
    ) -> Decision<'a> {
        match &self.matcher {
            Matcher::Dsl(dsl) => {
                let request = front::read(method, headers, Scope::Preflights);
                // Reads, preflights and requests the protection does not
                // judge: the decision is built once, with its pass, where
                // it is returned (building it through a shared closure
                // costs 12 to 23 instructions more).
                let pass = match dsl.protection.enabled {
                    false => Some(Pass::Off),
                    true => protection::pass_before_deciding(method, headers, request),
                };
                if let Some(pass) = pass {
                    return match request {
                        Some(request) => dsl.decide(request, pass),
                        None => Decision::not_cors(dsl.vary_outside_preflights(), pass),
                    };
                }
                let mut decision = match request {
                    Some(request) => dsl.decide(request, Pass::Off),
                    None => Decision::not_cors(dsl.vary_outside_preflights(), Pass::Off),
                };
                let method = method.as_str();
                match protection::judge(dsl, method, target, headers, request, &decision) {
                    Ok(pass) => decision.pass_with(pass),
                    Err(refusal) => decision.refuse(refusal),
                }
                decision
            }
            #[cfg(feature = "s3")]
            Matcher::S3Static(s3) => decide_s3(s3, method, headers),
            #[cfg(feature = "s3")]
            Matcher::S3Owned(s3) => decide_s3(s3, method, headers),
        }
    }

    /// Whether the policy refuses cross-origin writes it does not allow
    /// (on by default for DSL policies; off for S3 configurations, which
    /// keep S3's behaviour).
    pub fn cross_origin_protection(&self) -> bool {
        match &self.matcher {
            Matcher::Dsl(dsl) => dsl.protection.enabled,
            #[cfg(feature = "s3")]
            Matcher::S3Static(_) | Matcher::S3Owned(_) => false,
        }
    }

    /// The number of rules in the policy.
    pub fn rule_count(&self) -> usize {
        match &self.matcher {
            Matcher::Dsl(dsl) => dsl.rules.len(),
            #[cfg(feature = "s3")]
            Matcher::S3Static(s3) => s3.rule_count(),
            #[cfg(feature = "s3")]
            Matcher::S3Owned(s3) => s3.rule_count(),
        }
    }
}

/// S3's matcher reads `Access-Control-Request-*` on every request.
#[cfg(feature = "s3")]
fn decide_s3<'a, H: RequestHeaderMap + ?Sized>(
    s3: &'a S3Matcher,
    method: MethodRef<'a>,
    headers: &'a H,
) -> Decision<'a> {
    match front::read(method, headers, Scope::Every) {
        Some(request) => s3.decide(request),
        None => Decision::not_cors(None, Pass::Off),
    }
}
