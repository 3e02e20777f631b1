//! The CORS configurations of API Gateway, Lambda function URLs and
//! CloudFront: five AWS formats read into one service-neutral model,
//! [`AwsCors`], and written back from it, each with that service's own
//! limits and refusals.
//!
//! ```
//! use cors_aws::{read, write, AwsOrigin, Format};
//!
//! let cors = read(Format::LambdaUrl, r#"{"Cors": {
//!     "AllowOrigins": ["https://app.example.com"],
//!     "AllowMethods": ["GET", "PUT"],
//!     "AllowCredentials": true,
//!     "MaxAge": 600
//! }}"#)?;
//! assert_eq!(cors.allow_origins, [AwsOrigin::Exact("https://app.example.com".into())]);
//!
//! // The same configuration as a CloudFront response headers policy.
//! let cloudfront = write(Format::CloudFront, &cors);
//! // CloudFront refuses an empty list of allowed headers, and says so.
//! let error = cloudfront.unwrap_err();
//! assert_eq!(error.problems()[0].path, "AccessControlAllowHeaders");
//! # Ok::<(), cors_aws::AwsError>(())
//! ```
//!
//! # Formats
//!
//! | [`Format`] | document | read | written |
//! | --- | --- | --- | --- |
//! | `apigw-http` | HTTP API `CorsConfiguration`, PascalCase (`AllowOrigins`, ...) | bare or `{"CorsConfiguration": {...}}` | bare (what `aws apigatewayv2 update-api --cors-configuration` takes) |
//! | `apigw-openapi` | an OpenAPI document whose root has `x-amazon-apigateway-cors`, camelCase | the extension; every other member of the document is ignored | a minimal OpenAPI 3 document: `openapi`, `info`, empty `paths`, the extension |
//! | `apigw-rest` | an OpenAPI 3 document of a REST API: mock-integration `options` operations and the `DEFAULT_4XX`/`DEFAULT_5XX` gateway responses | every `options` operation; they must agree | one `options` operation per path ([`write_rest`]; [`DEFAULT_REST_PATHS`] otherwise) and both gateway responses |
//! | `lambda-url` | function URL `Cors`, PascalCase | bare or `{"Cors": {...}}` | bare (what `aws lambda create-function-url-config --cors` takes) |
//! | `cloudfront` | `ResponseHeadersPolicyCorsConfig` as JSON, lists as `{"Quantity": n, "Items": [...]}` | bare or `{"CorsConfig": {...}}` | bare |
//!
//! Writers print two-space indented JSON with a final newline, fields in
//! the order of the AWS API model, lists in the model's order; empty lists
//! and an absent max age are left out (CloudFront's three required lists
//! excepted). `read(format, &write(format, &cors)?)` gives `cors` back.
//!
//! # What the fields mean
//!
//! **Origins.** An [`AwsOrigin::Exact`] origin is compared with the
//! request's `Origin` as a browser serialises it, so it must be in that
//! form (lowercase, no default port, no path). `*` is any origin. API
//! Gateway HTTP APIs also have `http://*` and `https://*`, any origin of
//! that scheme. CloudFront has `*.example.org`, the subdomains of a domain
//! (any scheme). Lambda and REST APIs have only exact origins and `*`; a
//! REST API answers with one static value, so it holds one origin.
//!
//! **Methods.** `*` ([`Methods::Any`]) is any method; CloudFront spells
//! "all" `ALL`, but there it means only its seven methods, so it is read as
//! that list. By the Fetch standard a literal `*` is a wildcard only for
//! requests without credentials ([`Methods::allows`]).
//!
//! **Allowed headers.** `*` covers every request header **except
//! `Authorization`**, which must be listed by name (CloudFront documents
//! this; the Fetch standard says the same of a literal `*`), and only
//! without credentials ([`Headers::allows`]). CloudFront refuses `*` with
//! credentials outright.
//!
//! **Expose headers.** `*` exposes every response header, only without
//! credentials; every reader refuses it with credentials (it would expose
//! nothing).
//!
//! **Max age.** Seconds a browser may cache the preflight's answer (browsers
//! cap it: Chromium at 2 hours, Firefox at 24). HTTP APIs accept -1 to
//! 86400, Lambda 0 to 86400, CloudFront and REST literals any non-negative
//! 32-bit value.
//!
//! **Credentials.** `true` adds `Access-Control-Allow-Credentials: true`.
//! Every reader here refuses `*` (any origin) with credentials, even where
//! the service accepts it (Lambda then reflects any origin with
//! credentials; a REST API sends both headers, which browsers refuse).
//!
//! **Who answers.** HTTP APIs answer preflights themselves and replace the
//! integration's CORS headers; Lambda function URLs add theirs to every
//! response, replacing the function's; CloudFront adds them to cached and
//! origin responses, replacing the origin's only with `OriginOverride: true`
//! ([`AwsCors::origin_override`]; only CloudFront can hold `false`, and the
//! CloudFront writer writes `true` when the model says nothing, so the
//! policy alone decides); a REST API answers with what its mock
//! integrations and gateway responses say, nothing more.
//!
//! # Decisions on points AWS does not document
//!
//! Where the documentation is silent, the Fetch standard's answer is taken,
//! and when that does not settle it, the configuration is refused.
//!
//! - HTTP API `MaxAge: -1`: kept as `Some(-1)` (only HTTP APIs hold it). A
//!   browser reads `-1` as an invalid max age and uses its default.
//! - HTTP API `http://*`/`https://*` with credentials: refused (whether the
//!   service echoes the origin is not documented, and either way every site
//!   of that scheme would get credentials).
//! - Lambda partial wildcards (`https://*.example.com`): refused; only exact
//!   origins and `*` are documented.
//! - CloudFront wildcards with a scheme (`https://*.example.org`): refused;
//!   only `*.example.org` is documented. `*.example.org` is read as one or
//!   more labels before `example.org` (the project's meaning of `*.`),
//!   never `example.org` itself; a wildcard over a single label (`*.com`) or
//!   an IP address is refused.
//! - CloudFront origin `*` with credentials: refused, as everywhere.
//! - CloudFront max age: the model gives no range; non-negative 32-bit
//!   values are accepted.
//! - Methods of HTTP and REST APIs: `GET HEAD POST PUT PATCH DELETE OPTIONS`
//!   and `*`, uppercase (methods are case-sensitive).
//! - `*` in allowed headers of HTTP APIs, Lambda and REST APIs: read as
//!   the Fetch standard reads a literal `*` (not `Authorization`, not with
//!   credentials), whether or not the service echoes requested headers.
//! - Origin case: exact origins must be lowercase, as browsers send them;
//!   whether a service compares them without regard to case is not
//!   documented, so a mixed-case origin is refused with its lowercase form.
//! - An absent max age stays `None`: Lambda's default (0 in the API
//!   reference, 5 in the developer guide) is not assumed.
//! - Preflight status codes, `Vary`, and whether a service echoes the
//!   origin or sends `*` are not part of the model (they do not change
//!   whether a browser lets a request through).
//! - REST gateway responses: only `DEFAULT_4XX` and `DEFAULT_5XX` are read
//!   and written; each CORS header they carry must equal the `options`
//!   operations' value. `Access-Control-Allow-Credentials` other than
//!   `'true'` is refused (browsers honour only `true`).
//!
//! # Bounded input
//!
//! Every reader refuses text over [`MAX_DOCUMENT_LEN`] bytes and nesting
//! deeper than [`MAX_NESTING`] ([`MAX_OPENAPI_NESTING`] for the OpenAPI
//! formats) before parsing; the error lists at most
//! [`MAX_REPORTED`] problems and quotes values shortened, with control
//! characters escaped. No input makes a reader or a writer panic.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod answer;
mod check;
mod cloudfront;
#[cfg(feature = "dsl")]
mod dsl;
mod error;
mod flat;
mod json;
mod model;
mod origin;
mod print;
mod rest;
mod rules;

use std::fmt;
use std::str::FromStr;

pub use answer::{Exposed, Readable};
#[cfg(feature = "dsl")]
pub use dsl::to_policy;
pub use error::{AwsError, Problem, ProblemKind, MAX_REPORTED};
pub use model::{AwsCors, AwsOrigin, Headers, Methods, Scheme};
pub use rest::DEFAULT_REST_PATHS;

use error::Problems;

/// The longest document read, in bytes (1 MiB, the limit of the project's
/// other loaders); longer text is refused before it is parsed.
pub const MAX_DOCUMENT_LEN: usize = 1_048_576;

/// The deepest nesting of lists and objects read in the configuration
/// formats (`apigw-http`, `lambda-url`, `cloudfront`; they need at most 4).
pub const MAX_NESTING: usize = 16;

/// The deepest nesting read in OpenAPI documents (`apigw-openapi`,
/// `apigw-rest`), which hold whole APIs (the REST writer's own output
/// nests 9 deep).
pub const MAX_OPENAPI_NESTING: usize = 64;

/// One of the five AWS formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// `apigw-http`: API Gateway HTTP API `CorsConfiguration`.
    ApigwHttp,
    /// `apigw-openapi`: an OpenAPI document with `x-amazon-apigateway-cors`.
    ApigwOpenapi,
    /// `apigw-rest`: an OpenAPI 3 document of a REST API with mock
    /// `options` integrations.
    ApigwRest,
    /// `lambda-url`: Lambda function URL `Cors`.
    LambdaUrl,
    /// `cloudfront`: CloudFront `ResponseHeadersPolicyCorsConfig`.
    CloudFront,
}

impl Format {
    /// Every format, in the order of the documentation.
    pub const ALL: [Format; 5] = [
        Format::ApigwHttp,
        Format::ApigwOpenapi,
        Format::ApigwRest,
        Format::LambdaUrl,
        Format::CloudFront,
    ];

    /// The name `cors-cli` uses: `apigw-http`, `apigw-openapi`,
    /// `apigw-rest`, `lambda-url`, `cloudfront`.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::ApigwHttp => "apigw-http",
            Format::ApigwOpenapi => "apigw-openapi",
            Format::ApigwRest => "apigw-rest",
            Format::LambdaUrl => "lambda-url",
            Format::CloudFront => "cloudfront",
        }
    }

    fn max_nesting(self) -> usize {
        match self {
            Format::ApigwOpenapi | Format::ApigwRest => MAX_OPENAPI_NESTING,
            _ => MAX_NESTING,
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A name that is not one of the five formats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownFormat(String);

impl fmt::Display for UnknownFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = Format::ALL.iter().map(|f| f.as_str()).collect();
        write!(
            f,
            "unknown AWS format `{}`; use one of {}",
            cors_grammar::quote(&self.0),
            names.join(", ")
        )
    }
}

impl std::error::Error for UnknownFormat {}

impl FromStr for Format {
    type Err = UnknownFormat;

    /// Parses a name [`Format::as_str`] gives (exactly, lowercase).
    ///
    /// ```
    /// use cors_aws::Format;
    ///
    /// assert_eq!("lambda-url".parse::<Format>(), Ok(Format::LambdaUrl));
    /// assert!("Lambda-URL".parse::<Format>().is_err());
    /// ```
    fn from_str(name: &str) -> Result<Format, UnknownFormat> {
        Format::ALL
            .into_iter()
            .find(|format| format.as_str() == name)
            .ok_or_else(|| UnknownFormat(name.to_owned()))
    }
}

/// Reads a configuration in `format`, with that service's limits and
/// refusals.
///
/// ```
/// use cors_aws::{read, Format, ProblemKind};
///
/// let cors = read(Format::ApigwHttp, r#"{"AllowOrigins": ["https://*"], "MaxAge": -1}"#)?;
/// assert_eq!(cors.max_age, Some(-1));
///
/// let error = read(Format::LambdaUrl, r#"{"AllowMethods": ["OPTIONS"], "MaxAge": -1}"#)
///     .unwrap_err();
/// assert_eq!(error.total(), 2);
/// assert_eq!(error.problems()[0].path, "AllowMethods[0]");
/// assert_eq!(error.problems()[1].kind, ProblemKind::MaxAge);
/// # Ok::<(), cors_aws::AwsError>(())
/// ```
///
/// # Errors
///
/// Every problem found (bounded by [`MAX_REPORTED`]): text too long or
/// too deep, not JSON, unknown or repeated or missing fields, values of the
/// wrong type, and every value the service or this crate refuses (see the
/// [crate documentation](crate)).
pub fn read(format: Format, text: &str) -> Result<AwsCors, AwsError> {
    if format == Format::ApigwRest {
        return read_rest(text).map(|(cors, _)| cors);
    }
    let mut problems = Problems::default();
    let Some(root) = json::parse(text, format.max_nesting(), &mut problems) else {
        return Err(problems.into_error(format));
    };
    let cors = match format {
        Format::ApigwHttp => match flat::unwrap(
            &root,
            "CorsConfiguration",
            "an HTTP API `CorsConfiguration`",
            &mut problems,
        ) {
            Some((node, path)) => flat::read_object(
                node,
                &path,
                "an HTTP API `CorsConfiguration`",
                &flat::PASCAL,
                &rules::HTTP_API,
                &mut problems,
            ),
            None => AwsCors::default(),
        },
        Format::LambdaUrl => {
            match flat::unwrap(&root, "Cors", "a Lambda function URL `Cors`", &mut problems) {
                Some((node, path)) => flat::read_object(
                    node,
                    &path,
                    "a Lambda function URL `Cors`",
                    &flat::PASCAL,
                    &rules::LAMBDA_URL,
                    &mut problems,
                ),
                None => AwsCors::default(),
            }
        }
        Format::ApigwOpenapi => read_openapi(&root, &mut problems),
        Format::CloudFront => cloudfront::read(&root, &mut problems),
        Format::ApigwRest => AwsCors::default(),
    };
    problems.finish(format, cors)
}

const OPENAPI_KEY: &str = "x-amazon-apigateway-cors";

fn read_openapi(root: &json::Node, problems: &mut Problems) -> AwsCors {
    let Some(object) = json::object(root, "", "an OpenAPI document", None, problems) else {
        return AwsCors::default();
    };
    match object.require(OPENAPI_KEY, "the HTTP API's CORS configuration", problems) {
        Some((node, path)) => flat::read_object(
            node,
            &path,
            "`x-amazon-apigateway-cors`",
            &flat::CAMEL,
            &rules::HTTP_API,
            problems,
        ),
        None => AwsCors::default(),
    }
}

/// Reads an `apigw-rest` document: the configuration its `options`
/// operations agree on, and the paths that have one, in document order.
///
/// ```
/// use cors_aws::{read_rest, write_rest, AwsCors, AwsOrigin, Methods};
///
/// let cors = AwsCors {
///     allow_origins: vec![AwsOrigin::Exact("https://app.example.com".into())],
///     allow_methods: Methods::List(vec!["GET".into(), "PUT".into()]),
///     ..AwsCors::default()
/// };
/// let document = write_rest(&cors, &["/items", "/items/{id}"])?;
/// assert!(document.contains(r#""method.response.header.Access-Control-Allow-Methods": "'GET,PUT'""#));
/// assert_eq!(read_rest(&document)?, (cors, vec!["/items".into(), "/items/{id}".into()]));
/// # Ok::<(), cors_aws::AwsError>(())
/// ```
///
/// # Errors
///
/// As [`read`]; besides, `options` operations that disagree (naming the
/// paths that differ), a non-mock `options` integration, a header value
/// that is a mapping expression instead of a single-quoted literal, a comma
/// list in `Access-Control-Allow-Origin`, `'*'` with `'true'` credentials,
/// and gateway responses that disagree with the `options` operations.
pub fn read_rest(text: &str) -> Result<(AwsCors, Vec<String>), AwsError> {
    let mut problems = Problems::default();
    let Some(root) = json::parse(text, MAX_OPENAPI_NESTING, &mut problems) else {
        return Err(problems.into_error(Format::ApigwRest));
    };
    let read = rest::read(&root, &mut problems);
    problems.finish(Format::ApigwRest, read)
}

/// Writes `cors` in `format` (for `apigw-rest`, with an `options`
/// operation on each of [`DEFAULT_REST_PATHS`]).
///
/// ```
/// use cors_aws::{write, AwsCors, AwsOrigin, Format, Methods};
///
/// let cors = AwsCors {
///     allow_origins: vec![AwsOrigin::Any],
///     allow_methods: Methods::List(vec!["GET".into()]),
///     max_age: Some(600),
///     ..AwsCors::default()
/// };
/// assert_eq!(
///     write(Format::LambdaUrl, &cors)?,
///     "{\n  \"AllowCredentials\": false,\n  \"AllowMethods\": [\n    \"GET\"\n  ],\n  \"AllowOrigins\": [\n    \"*\"\n  ],\n  \"MaxAge\": 600\n}\n"
/// );
/// // CloudFront has no "any method": `*` is named as a value it cannot hold.
/// let any = AwsCors { allow_methods: Methods::Any, ..cors };
/// let error = write(Format::CloudFront, &any).unwrap_err();
/// assert!(error.problems().iter().any(|p| p.path == "AccessControlAllowMethods.Items[0]"));
/// # Ok::<(), cors_aws::AwsError>(())
/// ```
///
/// # Errors
///
/// Every value the target cannot hold, each named by its place in the
/// target's fields and with the reason: an origin form the service lacks,
/// a method outside its set, more values than its limit, a max age out of
/// its range, `*` with credentials, `OriginOverride: false` outside
/// CloudFront. Nothing is dropped or widened silently.
pub fn write(format: Format, cors: &AwsCors) -> Result<String, AwsError> {
    if format == Format::ApigwRest {
        return write_rest(cors, DEFAULT_REST_PATHS);
    }
    let mut problems = Problems::default();
    let node = match format {
        Format::ApigwHttp => {
            flat::write_object(cors, &flat::PASCAL, "", &rules::HTTP_API, &mut problems)
        }
        Format::LambdaUrl => {
            flat::write_object(cors, &flat::PASCAL, "", &rules::LAMBDA_URL, &mut problems)
        }
        Format::ApigwOpenapi => {
            let extension = flat::write_object(
                cors,
                &flat::CAMEL,
                OPENAPI_KEY,
                &rules::HTTP_API,
                &mut problems,
            );
            json::Node::object(vec![
                ("openapi", json::Node::str("3.0.1")),
                (
                    "info",
                    json::Node::object(vec![
                        ("title", json::Node::str("CORS")),
                        ("version", json::Node::str("1.0")),
                    ]),
                ),
                ("paths", json::Node::Object(Vec::new())),
                (OPENAPI_KEY, extension),
            ])
        }
        Format::CloudFront => cloudfront::write(cors, &mut problems),
        Format::ApigwRest => json::Node::Null,
    };
    let text = json::to_pretty(&node);
    refuse_longer_than_readers_take(&text, &mut problems);
    problems.finish(format, text)
}

/// A written document its reader would refuse (the pretty-printed form of
/// a model read from a compact document near the limit can be longer than
/// [`MAX_DOCUMENT_LEN`]) is refused, so that whatever a writer returns
/// reads back.
fn refuse_longer_than_readers_take(text: &str, problems: &mut Problems) {
    if text.len() > MAX_DOCUMENT_LEN {
        problems.push(
            ProblemKind::TooLarge,
            "",
            format!(
                "the written document would be {} bytes, more than the {MAX_DOCUMENT_LEN} its \
                 reader takes; list fewer values",
                text.len()
            ),
        );
    }
}

/// Writes `cors` as an `apigw-rest` document with an `options` operation
/// (a mock integration answering with static headers) on each of `paths`,
/// and `DEFAULT_4XX`/`DEFAULT_5XX` gateway responses carrying
/// `Access-Control-Allow-Origin` (and `Access-Control-Allow-Credentials`
/// and `Access-Control-Expose-Headers` when set).
///
/// # Errors
///
/// As [`write()`]; besides, no path, a path that does not start with `/` or
/// has whitespace, `?` or `#`, a path listed twice, more than one origin,
/// and a header name with a `'` (which a literal cannot hold).
pub fn write_rest(cors: &AwsCors, paths: &[&str]) -> Result<String, AwsError> {
    let mut problems = Problems::default();
    let node = rest::write(cors, paths, &mut problems);
    let text = json::to_pretty(&node);
    refuse_longer_than_readers_take(&text, &mut problems);
    problems.finish(Format::ApigwRest, text)
}
