//! CORS policies that are checked when your code compiles.
//!
//! [`cors_policy!`] reads a service's CORS rules, refuses bad ones with a
//! compile error pointing at the offending token, and generates a static
//! matcher (a perfect hash over the allowed origins). [`Policy::evaluate`]
//! then decides each request without allocating, and the [`Decision`] it
//! returns adds exactly the right response headers.
//!
//! ```
//! use cors_runtime::{cors_policy, Policy};
//! use http::{HeaderMap, HeaderValue, Method, StatusCode};
//!
//! cors_policy! {
//!     /// The API's policy.
//!     pub static API: Policy = {
//!         allow_origins: ["https://app.example.com", "https://*.example.com"],
//!         allow_methods: [GET, POST, PUT, DELETE],
//!         allow_headers: ["content-type", "x-api-*"],
//!         expose_headers: ["etag"],
//!         max_age: 600,
//!         allow_credentials: true,
//!     };
//! }
//!
//! // A preflight from an allowed subdomain.
//! let mut request = HeaderMap::new();
//! request.insert("origin", HeaderValue::from_static("https://admin.example.com"));
//! request.insert("access-control-request-method", HeaderValue::from_static("PUT"));
//! request.insert("access-control-request-headers", HeaderValue::from_static("content-type,x-api-key"));
//! let decision = API.evaluate(&Method::OPTIONS, &request);
//! assert_eq!(decision.preflight_status(), Some(StatusCode::NO_CONTENT));
//!
//! let mut response = HeaderMap::new();
//! decision.apply(&mut response);
//! assert_eq!(response["access-control-allow-origin"], "https://admin.example.com");
//! assert_eq!(response["access-control-allow-credentials"], "true");
//! assert_eq!(response["access-control-max-age"], "600");
//! ```
//!
//! A mistake is a compile error:
//!
//! ```compile_fail
//! cors_runtime::cors_policy! {
//!     static API: cors_runtime::Policy = {
//!         allow_origins: ["*"],          // any origin...
//!         allow_methods: [GET],
//!         allow_credentials: true,       // ...with credentials: refused
//!     };
//! }
//! ```
//!
//! See the README for the whole DSL and the list of compile-time checks.
//!
//! # Module map
//!
//! A request flows one way, front end -> matcher -> protection -> answer ->
//! writer, and the private modules are grouped by that way (no module, and
//! no folder, imports one that imports it back; `tests/module_layout.rs`
//! checks it):
//!
//! - `front`: the request front end. Reads a request's CORS parts once (its
//!   kind, `Origin` in `front::origin`, and the `Access-Control-Request-*` a
//!   preflight asks with in `front::preflight`) into a `CorsRequest`,
//!   over the private `RequestHeaderMap` trait, so `http` 1.x maps and
//!   actix-web's `http` 0.2 maps go through the same code;
//! - `matcher`: the matchers, which only decide: `matcher::dsl` (a
//!   `cors_policy!` or run-time DSL policy: the perfect-hash
//!   `matcher::origin_index` whose checked keys also prove a request's host
//!   valid, `matcher::rule` and `matcher::rule_set`, and the policy's
//!   `matcher::protection_settings`) and `matcher::s3` (S3's semantics, its
//!   tables laid out by `cors_s3::__private::layout`); both walk their candidate rules
//!   with `matcher::rule_walk`, which checks and matches the requested header
//!   list in one pass, skipping rules by the policy-wide
//!   `matcher::rule_index`;
//! - `protection`: the cross-origin protection, which judges a write or
//!   WebSocket handshake after the DSL matcher has decided (it asks the
//!   matcher for the rule that would answer, and reads `Sec-Fetch-Site`,
//!   `Host`, `Cookie` and the like only for writes);
//! - `answer`: what an allowed request gets. A matcher returns the allowing
//!   rule's `RuleAnswer` (its id and prebuilt values, one neutral type for
//!   both matchers' rules) with the request's values, and the answer (`*` or
//!   the origin echoed, credentials, methods, headers, expose, max-age, the
//!   preflight status) is derived from them where it is written, with
//!   `answer::value` (a policy's prebuilt header values);
//!   `answer::decision`: [`Decision`], that allowed request, the [`Denial`]
//!   (`answer::denial`) or the [`Refusal`]
//!   (`answer::refusal`), and the `answer::vary` tokens the response needs;
//!   `answer::writer`: the one writer, turning an answer and its `Vary` into
//!   headers of either header-map type, over the private `ResponseHeaders`
//!   trait;
//! - `policy`: [`Policy`], which holds one matcher and runs front end ->
//!   matcher -> protection ([`Policy::evaluate_request`]);
//! - `load`: run-time policies, laid out in owned memory for the same
//!   matchers (`load::config` for DSL policies, `load::s3` for S3
//!   configurations, `load::aws` for the AWS services' configurations);
//! - `adapters`: `tower`, `actix`, `poem`, `salvo`, `rocket`, which all call
//!   the same front end, matchers and writer, with `adapters::source`
//!   (policy sources, `SharedPolicy`) and `adapters::trace` (events);
//! - `generated`: what the macro's output names, its `const fn`
//!   constructors and the element types of its statics (`__private`).
//!
//! # Glossary
//!
//! - **policy**: [`Policy`], the rules a service answers CORS requests
//!   with, from `cors_policy!`, a file or an S3 configuration.
//! - **rule**: one entry of a policy (origins, methods, headers, ...); the
//!   first rule that matches a request answers it.
//! - **CORS request**: a request with an `Origin` header; a **preflight** is
//!   an `OPTIONS` CORS request with `Access-Control-Request-Method`, any other
//!   is an **actual** request ([`RequestKind`]).
//! - **front end**: reads a request's CORS parts once.
//! - **matcher**: decides which rule answers, if any (`DslMatcher` for DSL
//!   policies, `S3Matcher` for S3's semantics).
//! - **answer**: what an allowed request gets: the `Access-Control-*`
//!   values, built from **prebuilt values** fixed when the policy was built.
//! - **denial** ([`Denial`]): why no rule allowed a CORS request; the
//!   response then carries no CORS headers.
//! - **cross-origin protection** and **refusal** ([`Refusal`]): a
//!   cross-origin write or WebSocket handshake the rules do not allow,
//!   answered `403` before the service runs.
//! - **decision** ([`Decision`]): the answer, denial or refusal for one
//!   request, with the `Vary` tokens the response needs.
//! - **writer**: turns a decision into response headers.
//! - **reply**: what an adapter does with a decision: answer a preflight
//!   itself, or add headers to the service's response.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

/// The given items, compiled only when some policy can be built at run
/// time: a reader's feature (`json`, `toml`, `env`, `serde`, `aws`, `s3`)
/// is on. One place for the list that owned layouts depend on.
macro_rules! cfg_run_time_policies {
    ($($item:item)*) => {
        $(
            #[cfg(any(
                feature = "json",
                feature = "toml",
                feature = "env",
                feature = "serde",
                feature = "aws",
                feature = "s3"
            ))]
            $item
        )*
    };
}

/// The given items, compiled only when a DSL policy can be built at run
/// time: `json`, `toml`, `env`, `serde` or `aws` (an AWS configuration is
/// loaded as a DSL policy).
macro_rules! cfg_run_time_dsl_policies {
    ($($item:item)*) => {
        $(
            #[cfg(any(
                feature = "json",
                feature = "toml",
                feature = "env",
                feature = "serde",
                feature = "aws"
            ))]
            $item
        )*
    };
}

/// The given items, compiled only when an adapter is: `tower`, `actix`,
/// `poem`, `rocket` or `salvo` (`policy-sources` alone gives the types of
/// the policy sources, not the per-request path through them).
macro_rules! cfg_adapters {
    ($($item:item)*) => {
        $(
            #[cfg(any(
                feature = "tower",
                feature = "actix",
                feature = "poem",
                feature = "rocket",
                feature = "salvo"
            ))]
            $item
        )*
    };
}

mod adapters;
mod answer;
mod front;
mod generated;
mod load;
mod matcher;
mod policy;
mod protection;

/// Run-time DSL policies (features `json`, `toml`, `env`, `serde`): the
/// configuration model and errors of the `cors-config` crate, which
/// `cors_policy!` checks with too.
#[cfg(any(feature = "json", feature = "toml", feature = "env", feature = "serde"))]
#[cfg_attr(
    docsrs,
    doc(cfg(any(feature = "json", feature = "toml", feature = "env", feature = "serde")))
)]
pub mod config {
    pub use cors_config::{ConfigError, ConfigProblem, PolicyConfig, RuleConfig, MAX_DOCUMENT_LEN};
}

/// The CORS configurations of API Gateway, Lambda function URLs and
/// CloudFront (feature `aws`): the formats, and the errors of their readers
/// (the `cors-aws` crate). See [`Policy::from_aws`].
#[cfg(feature = "aws")]
#[cfg_attr(docsrs, doc(cfg(feature = "aws")))]
pub mod aws {
    pub use cors_aws::{
        AwsCors, AwsError, AwsOrigin, Format, Headers, Methods, Problem, ProblemKind, Scheme,
        MAX_DOCUMENT_LEN,
    };
}

/// S3 configurations at run time: the model, formats and errors of the
/// `cors-s3` crate (feature `s3`).
#[cfg(feature = "s3")]
#[cfg_attr(docsrs, doc(cfg(feature = "s3")))]
pub mod s3 {
    pub use cors_s3::answers;
    pub use cors_s3::{
        CorsConfiguration, CorsRule, ErrorCode, LoadError, ValidationError, ValidationErrors,
        MAX_DOCUMENT_LEN,
    };
}
#[cfg(feature = "actix")]
pub use adapters::actix;
#[cfg(feature = "poem")]
pub use adapters::poem;
#[cfg(feature = "rocket")]
pub use adapters::rocket;
#[cfg(feature = "salvo")]
pub use adapters::salvo;
#[cfg(feature = "tower")]
pub use adapters::tower;

#[cfg(feature = "policy-sources")]
#[cfg_attr(docsrs, doc(cfg(feature = "policy-sources")))]
pub use adapters::source::PolicySource;
#[cfg(feature = "shared-policy")]
#[cfg_attr(docsrs, doc(cfg(feature = "shared-policy")))]
pub use adapters::source::SharedPolicy;
pub use answer::decision::Decision;
pub use answer::denial::{Denial, RuleRef};
pub use answer::refusal::{Attempt, Credential, Pass, Refusal, RefusalReason, Relation};
pub use front::origin::MalformedOrigin;
pub use front::preflight::MalformedPreflight;
pub use front::RequestKind;
pub use matcher::rule_set::MAX_RULES;
pub use policy::Policy;

/// Declares one or more CORS policies as `static` items, checked at compile time.
///
/// ```
/// use cors_runtime::{cors_policy, Policy};
///
/// cors_policy! {
///     /// Doc comments and attributes pass through.
///     pub static API: Policy = {
///         allow_origins: ["https://app.example.com", "https://*.example.com", "http://localhost:*"],
///         allow_methods: [GET, POST, PUT, DELETE],
///         allow_headers: ["content-type", "x-api-*"],
///         expose_headers: ["etag", "x-request-id"],
///         max_age: 600,
///         allow_credentials: true,
///     };
///
///     // Several rules: the first that matches origin, method and every
///     // requested header wins (Amazon S3 bucket-CORS semantics).
///     pub static BUCKET: Policy = [
///         { id: "public-read", allow_origins: ["*"], allow_methods: [GET, HEAD] },
///         { id: "uploads",
///           allow_origins: ["https://www.example.com"],
///           allow_methods: [PUT, POST, DELETE],
///           allow_headers: ["*"],
///           expose_headers: ["etag", "x-amz-request-id"],
///           max_age: 3000 },
///     ];
///
///     // The policy's own keys, beside `rules`: the paths that stay open
///     // to cross-site form posts (a payment provider's callback).
///     pub static SHOP: Policy = {
///         open_paths: ["/pay/callback", "/hooks/*"],
///         rules: [
///             { allow_origins: ["https://shop.example.com"], allow_methods: [GET, POST], allow_credentials: true },
///             { allow_origins: ["*"], allow_methods: [GET] },
///         ],
///     };
/// }
/// # assert_eq!(BUCKET.rule_count(), 2);
/// # assert!(SHOP.cross_origin_protection());
/// ```
///
/// Keys of a rule: `id`, `allow_origins` (required), `allow_methods`
/// (required), `allow_headers`, `expose_headers`, `max_age`,
/// `allow_credentials`, `dangerously_allow_insecure_origins`,
/// `dangerously_allow_public_suffix_wildcards`.
///
/// Keys of the policy, which apply to every rule: `cross_origin_protection`
/// (`true` unless written `false`: refuse the cross-origin writes and
/// WebSocket handshakes the rules do not allow) and `open_paths` (exact
/// paths such as `"/pay/callback"`, or prefixes such as `"/hooks/*"`, that
/// stay open to cross-site `POST`s; not with the protection off). A one-rule
/// policy writes them among its keys; a policy of several rules writes them
/// beside `rules`, in the form `{ open_paths: [..], rules: [{ .. }, { .. }] }`
/// (the form `[{ .. }, { .. }]` has no place for them). Inside a rule of
/// several they are a compile error.
///
/// A policy can also live in a file, checked here by the same checker that
/// `Policy::from_json`/`from_toml` use at run time:
/// `include_json!("cors.json")` (feature `json`) or
/// `include_toml!("cors.toml")` (feature `toml`), relative to the crate's
/// `CARGO_MANIFEST_DIR`; errors name the file and the key path, and the
/// build re-runs when the file changes.
///
/// A policy can also be an Amazon S3 bucket-CORS configuration file, read
/// and validated with S3's rules at compile time and evaluated with S3's
/// semantics (feature `s3`): `include_s3_json!("cors.json")` or
/// `include_s3_xml!("cors.xml")`, relative to the crate's
/// `CARGO_MANIFEST_DIR` (see the README's S3 section).
///
/// With a form's feature off, the form is a compile error that names the
/// feature to turn on.
#[macro_export]
macro_rules! cors_policy {
    ($($tokens:tt)*) => {
        $crate::__private::cors_policy! { ($crate) $($tokens)* }
    };
}

/// Not public API: what the code generated by `cors_policy!` names (see
/// the `generated` module).
#[doc(hidden)]
pub mod __private {
    pub use crate::generated::*;
}
