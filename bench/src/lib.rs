//! What the benchmarks share: one policy written for every contender, the
//! five request cases, the hand-written floor, and the scaling policies.
//!
//! Every contender gets the same configuration: three exact origins,
//! `GET POST PUT DELETE`, two allowed request headers, one exposed header,
//! `max-age` 600 and credentials.

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use cors_runtime::{cors_policy, Policy};
use http::header::{
    ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS,
    ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_EXPOSE_HEADERS, ACCESS_CONTROL_MAX_AGE, VARY,
};
use http::{HeaderMap, HeaderValue, Method, Request, Response, StatusCode};

pub mod browser_shaped;
pub mod callgrind;
pub mod protection;

/// The generated scaling policies: `ORIGINS_{1,10,100,1000,10000}` and `RULES_{1,10,100}`.
pub mod scaling {
    include!(concat!(env!("OUT_DIR"), "/scaling_policies.rs"));

    /// The origin counts measured, with their policies.
    pub const BY_ORIGIN_COUNT: [(usize, &cors_runtime::Policy); 5] = [
        (1, &ORIGINS_1),
        (10, &ORIGINS_10),
        (100, &ORIGINS_100),
        (1_000, &ORIGINS_1000),
        (10_000, &ORIGINS_10000),
    ];

    /// The rule counts measured, with their policies.
    pub const BY_RULE_COUNT: [(usize, &cors_runtime::Policy); 3] =
        [(1, &RULES_1), (10, &RULES_10), (100, &RULES_100)];

    /// The `i`-th origin of the generated policies (the build script's naming).
    pub fn origin(i: usize) -> String {
        format!("https://app{i}.example.com")
    }
}

cors_policy! {
    /// The policy every comparison uses.
    pub static BENCH: Policy = {
        allow_origins: ["https://app.example.com", "https://admin.example.com", "https://www.example.com"],
        allow_methods: [GET, POST, PUT, DELETE],
        allow_headers: ["content-type", "x-requested-with"],
        expose_headers: ["etag"],
        max_age: 600,
        allow_credentials: true,
    };
}

/// The allowed origins of [`BENCH`], for the other contenders.
pub const ORIGINS: [&str; 3] = [
    "https://app.example.com",
    "https://admin.example.com",
    "https://www.example.com",
];

/// What every benchmark preflight asks for: `PUT` with two headers.
pub const PREFLIGHT_HEADERS: [(&str, &str); 2] = [
    ("access-control-request-method", "PUT"),
    (
        "access-control-request-headers",
        "content-type,x-requested-with",
    ),
];

/// The five requests every contender answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    /// `OPTIONS` from an allowed origin for `PUT` with two requested headers.
    AllowedPreflight,
    /// The same from an unknown origin.
    DeniedPreflight,
    /// `GET` from an allowed origin.
    AllowedGet,
    /// `GET` from an unknown origin.
    DeniedGet,
    /// `GET` without `Origin`.
    NoOrigin,
}

impl Case {
    /// Every case, in report order.
    pub const ALL: [Case; 5] = [
        Case::AllowedPreflight,
        Case::DeniedPreflight,
        Case::AllowedGet,
        Case::DeniedGet,
        Case::NoOrigin,
    ];

    /// The case with this benchmark id, or a message naming every id (for
    /// the command-line tools).
    pub fn from_name(name: &str) -> Result<Case, String> {
        Case::ALL
            .into_iter()
            .find(|case| case.name() == name)
            .ok_or_else(|| {
                format!(
                    "unknown case `{name}`; one of: {:?}",
                    Case::ALL.map(Case::name)
                )
            })
    }

    /// The benchmark id.
    pub fn name(self) -> &'static str {
        match self {
            Case::AllowedPreflight => "preflight_allowed",
            Case::DeniedPreflight => "preflight_denied",
            Case::AllowedGet => "get_allowed",
            Case::DeniedGet => "get_denied",
            Case::NoOrigin => "no_origin",
        }
    }

    /// The request method.
    pub fn method(self) -> Method {
        match self {
            Case::AllowedPreflight | Case::DeniedPreflight => Method::OPTIONS,
            _ => Method::GET,
        }
    }

    /// The request headers, as `(name, value)`.
    pub fn headers(self) -> Vec<(&'static str, &'static str)> {
        let preflight = PREFLIGHT_HEADERS;
        match self {
            Case::AllowedPreflight => [("origin", ORIGINS[1])]
                .into_iter()
                .chain(preflight)
                .collect(),
            Case::DeniedPreflight => [("origin", "https://evil.example")]
                .into_iter()
                .chain(preflight)
                .collect(),
            Case::AllowedGet => vec![("origin", ORIGINS[1])],
            Case::DeniedGet => vec![("origin", "https://evil.example")],
            Case::NoOrigin => vec![],
        }
    }

    /// The request headers as an `http` 1.x map. Values are static, as
    /// hyper's are shared slices of its read buffer: cloning them is free.
    pub fn header_map(self) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in self.headers() {
            map.append(name, HeaderValue::from_static(value));
        }
        map
    }

    /// The request as an `http` 1.x request with an empty body.
    pub fn request(self) -> Request<()> {
        let mut request = Request::new(());
        *request.method_mut() = self.method();
        *request.headers_mut() = self.header_map();
        request
    }
}

/// The floor no CORS layer can beat: the same response headers our layer
/// sends for `case`, inserted from static strings with no checks at all.
/// Returns the preflight status, as `Decision::preflight_status` does.
pub fn floor(case: Case, headers: &mut HeaderMap) -> Option<StatusCode> {
    let preflight_vary = "Origin, Access-Control-Request-Method, Access-Control-Request-Headers";
    match case {
        Case::AllowedPreflight => {
            headers.insert(
                ACCESS_CONTROL_ALLOW_ORIGIN,
                HeaderValue::from_static(ORIGINS[1]),
            );
            headers.insert(
                ACCESS_CONTROL_ALLOW_CREDENTIALS,
                HeaderValue::from_static("true"),
            );
            headers.insert(
                ACCESS_CONTROL_ALLOW_METHODS,
                HeaderValue::from_static("GET, POST, PUT, DELETE"),
            );
            headers.insert(
                ACCESS_CONTROL_ALLOW_HEADERS,
                HeaderValue::from_static("content-type,x-requested-with"),
            );
            headers.insert(ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("600"));
            headers.append(VARY, HeaderValue::from_static(preflight_vary));
            Some(StatusCode::NO_CONTENT)
        }
        Case::DeniedPreflight => {
            headers.append(VARY, HeaderValue::from_static(preflight_vary));
            Some(StatusCode::FORBIDDEN)
        }
        Case::AllowedGet => {
            headers.insert(
                ACCESS_CONTROL_ALLOW_ORIGIN,
                HeaderValue::from_static(ORIGINS[1]),
            );
            headers.insert(
                ACCESS_CONTROL_ALLOW_CREDENTIALS,
                HeaderValue::from_static("true"),
            );
            headers.insert(
                ACCESS_CONTROL_EXPOSE_HEADERS,
                HeaderValue::from_static("etag"),
            );
            headers.append(VARY, HeaderValue::from_static("Origin"));
            None
        }
        Case::DeniedGet | Case::NoOrigin => {
            headers.append(VARY, HeaderValue::from_static("Origin"));
            None
        }
    }
}

/// The floor as a tower service: answers preflights itself and adds the
/// static headers to the inner response of every other request.
#[derive(Debug, Clone, Copy)]
pub struct FloorLayer;

impl<S> tower::Layer<S> for FloorLayer {
    type Service = Floor<S>;
    fn layer(&self, inner: S) -> Floor<S> {
        Floor(inner)
    }
}

/// See [`FloorLayer`]. It recognises the case by the request's shape only.
#[derive(Debug, Clone)]
pub struct Floor<S>(S);

impl<S, B> tower::Service<Request<B>> for Floor<S>
where
    S: tower::Service<Request<B>, Response = Response<()>>,
    S::Future: Unpin,
{
    type Response = Response<()>;
    type Error = S::Error;
    type Future = FloorFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.0.poll_ready(cx)
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        let origin = request.headers().get("origin").map(HeaderValue::as_bytes);
        let preflight = request.method() == Method::OPTIONS;
        let allowed = origin == Some(ORIGINS[1].as_bytes());
        let case = match (origin.is_some(), preflight, allowed) {
            (false, _, _) => Case::NoOrigin,
            (true, true, true) => Case::AllowedPreflight,
            (true, true, false) => Case::DeniedPreflight,
            (true, false, true) => Case::AllowedGet,
            (true, false, false) => Case::DeniedGet,
        };
        if preflight {
            let mut response = Response::new(());
            if let Some(status) = floor(case, response.headers_mut()) {
                *response.status_mut() = status;
            }
            return FloorFuture::Ready(Some(response));
        }
        FloorFuture::Inner(self.0.call(request), case)
    }
}

/// The response future of [`Floor`].
#[derive(Debug)]
pub enum FloorFuture<F> {
    /// A preflight answer.
    Ready(Option<Response<()>>),
    /// The inner service's response, to which the headers of the case are added.
    Inner(F, Case),
}

impl<F, E> Future for FloorFuture<F>
where
    F: Future<Output = Result<Response<()>, E>> + Unpin,
{
    type Output = Result<Response<()>, E>;

    fn poll(self: std::pin::Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.get_mut() {
            FloorFuture::Ready(response) => Poll::Ready(Ok(response.take().unwrap_or_default())),
            FloorFuture::Inner(future, case) => {
                let mut response = std::task::ready!(std::pin::Pin::new(future).poll(cx))?;
                floor(*case, response.headers_mut());
                Poll::Ready(Ok(response))
            }
        }
    }
}

/// tower-http's `CorsLayer` configured like [`BENCH`].
pub fn tower_http_layer() -> tower_http::cors::CorsLayer {
    tower_http_with_origins(ORIGINS.iter().map(|o| (*o).to_owned()))
}

/// tower-http's `CorsLayer` like [`BENCH`] but with these exact origins
/// (`AllowOrigin::list`, a linear scan).
pub fn tower_http_with_origins(
    origins: impl Iterator<Item = String>,
) -> tower_http::cors::CorsLayer {
    use tower_http::cors::{AllowOrigin, CorsLayer};
    let origins: Vec<HeaderValue> = origins
        .filter_map(|o| HeaderValue::from_str(&o).ok())
        .collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([Method::GET, Method::POST, Method::PUT, Method::DELETE])
        .allow_headers([
            http::header::CONTENT_TYPE,
            http::HeaderName::from_static("x-requested-with"),
        ])
        .expose_headers([http::header::ETAG])
        .max_age(std::time::Duration::from_secs(600))
        .allow_credentials(true)
}

/// actix-cors configured like [`BENCH`].
pub fn actix_cors() -> actix_cors::Cors {
    let mut cors = actix_cors::Cors::default();
    for origin in ORIGINS {
        cors = cors.allowed_origin(origin);
    }
    cors.allowed_methods(["GET", "POST", "PUT", "DELETE"])
        .allowed_headers(["content-type", "x-requested-with"])
        .expose_headers(["etag"])
        .max_age(600)
        .supports_credentials()
}

/// The trivial inner service every layer wraps.
pub fn inner_service() -> impl tower::Service<
    Request<()>,
    Response = Response<()>,
    Error = std::convert::Infallible,
    Future = std::future::Ready<Result<Response<()>, std::convert::Infallible>>,
> + Clone {
    tower::service_fn(|_request: Request<()>| std::future::ready(Ok(Response::new(()))))
}

/// Polls a future that is ready at once (every future here is), without a
/// runtime; `None` if it was not ready.
pub fn now<F: Future>(future: F) -> Option<F::Output> {
    let mut future = pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(output) => Some(output),
        Poll::Pending => None,
    }
}

/// Calls a tower service once with `request` and returns the response.
pub fn call_tower<S>(service: &mut S, request: Request<()>) -> Option<Response<()>>
where
    S: tower::Service<Request<()>, Response = Response<()>>,
{
    now(std::future::poll_fn(|cx| service.poll_ready(cx))).and_then(Result::ok)?;
    now(service.call(request)).and_then(Result::ok)
}

/// The request as actix-web's test framework builds it.
pub fn actix_request(case: Case) -> actix_http::Request {
    let method = actix_web::http::Method::from_bytes(case.method().as_str().as_bytes())
        .unwrap_or(actix_web::http::Method::GET);
    let mut request = actix_web::test::TestRequest::default().method(method);
    for (name, value) in case.headers() {
        request = request.insert_header((name, value));
    }
    request.to_request()
}

/// What [`BENCH`] answers to `case`: the preflight status and the headers.
/// The floor must produce exactly this (a test checks it).
pub fn policy_answers(case: Case) -> (Option<StatusCode>, HeaderMap) {
    let request = case.header_map();
    let method = case.method();
    let decision = BENCH.evaluate(&method, &request);
    let mut response = HeaderMap::new();
    decision.apply(&mut response);
    (decision.preflight_status(), response)
}
