//! The `actix` adapter: middleware for actix-web 4.
//!
//! It behaves exactly like the [`tower`](crate#features) adapter: preflights
//! are answered by the middleware (`204` or `403`), every other request
//! reaches the service and its response gets the CORS headers, `Vary` merged.
//!
//! When the wrapped service returns an error (another middleware's `401`),
//! the middleware builds the error's response, adds the CORS headers, and
//! passes the error on carrying that response (actix answers with it), so
//! that the page sees the real status instead of a CORS failure.
//!
//! actix-web uses `http` 0.2 types. The runtime's request front end and
//! answer writer read and write them directly (the same code as for `http`
//! 1.x maps): values are built from the policy's static text or cloned from
//! the request, so nothing is converted or copied per request.
//!
//! ```
//! use actix_web::{test, web, App, HttpResponse};
//! use cors_runtime::{actix::Cors, cors_policy, Policy};
//!
//! cors_policy! {
//!     static API: Policy = {
//!         allow_origins: ["https://app.example.com"],
//!         allow_methods: [GET, PUT],
//!     };
//! }
//!
//! # actix_web::rt::System::new().block_on(async {
//! let app = test::init_service(
//!     App::new()
//!         .wrap(Cors::new(&API))
//!         .route("/", web::get().to(|| async { HttpResponse::Ok().body("hello") })),
//! )
//! .await;
//! let request = test::TestRequest::get()
//!     .uri("/")
//!     .insert_header(("origin", "https://app.example.com"))
//!     .to_request();
//! let response = test::call_service(&app, request).await;
//! let allowed = response.headers().get("access-control-allow-origin");
//! assert_eq!(allowed.and_then(|v| v.to_str().ok()), Some("https://app.example.com"));
//! # });
//! ```

use std::future::{ready, Future, Ready};
use std::pin::Pin;
use std::task::{Context, Poll};

use actix_web::body::EitherBody;
use actix_web::dev::{forward_ready, Service, ServiceRequest, ServiceResponse, Transform};
use actix_web::error::InternalError;
use actix_web::http::StatusCode;
use actix_web::{Error, HttpResponse};
use pin_project_lite::pin_project;

use crate::adapters::source::{PolicySource, Reply};
use crate::answer::decision::ActualHeaders;
use crate::front::MethodRef;
use crate::protection::Target;

/// actix-web middleware applying a [`Policy`](crate::Policy):
/// `App::new().wrap(Cors::new(&POLICY))`.
#[derive(Debug, Clone)]
#[must_use]
pub struct Cors {
    policy: PolicySource,
}

impl Cors {
    /// Middleware applying `policy`: a `&'static Policy` (a `static`
    /// declared with `cors_policy!`), an `Arc<Policy>` or `Policy` loaded at
    /// run time, or a `SharedPolicy` (feature `shared-policy`) to replace while
    /// the server runs.
    pub fn new(policy: impl Into<PolicySource>) -> Self {
        Cors {
            policy: policy.into(),
        }
    }
}

impl<S, B> Transform<S, ServiceRequest> for Cors
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Transform = CorsMiddleware<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(CorsMiddleware {
            service,
            policy: self.policy.clone(),
        }))
    }
}

/// The service [`Cors`] wraps around an actix-web service.
#[derive(Debug)]
pub struct CorsMiddleware<S> {
    service: S,
    policy: PolicySource,
}

impl<S, B> Service<ServiceRequest> for CorsMiddleware<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Future = CorsFuture<S::Future, B>;

    forward_ready!(service);

    fn call(&self, request: ServiceRequest) -> Self::Future {
        // One policy decides the whole request: the preflight answer, or the
        // headers the response will get, all taken now. The front end and
        // the writer read and write actix's `http` 0.2 maps directly.
        let uri = request.uri();
        let target = Target {
            path: Some(uri.path()),
            authority: uri.authority().map(|authority| authority.as_str()),
        };
        let answer = self.policy.decide(
            MethodRef::Text(request.method().as_str()),
            target,
            request.headers(),
            |status, decision| {
                let status = StatusCode::from_u16(status.as_u16()).unwrap_or(StatusCode::FORBIDDEN);
                let mut response = HttpResponse::new(status);
                decision.apply_to(response.headers_mut());
                response
            },
        );
        let headers = match answer {
            Reply::Actual(headers) => headers,
            Reply::Preflight(response) => {
                let response = request.into_response(response.map_into_right_body());
                return CorsFuture {
                    kind: Kind::Preflight {
                        response: Some(response),
                    },
                };
            }
        };
        CorsFuture {
            kind: Kind::Actual {
                future: self.service.call(request),
                headers: Some(headers),
            },
        }
    }
}

pin_project! {
    /// The response future of [`CorsMiddleware`].
    pub struct CorsFuture<F, B> {
        #[pin]
        kind: Kind<F, B>,
    }
}

pin_project! {
    #[project = KindProjection]
    enum Kind<F, B> {
        Preflight { response: Option<ServiceResponse<EitherBody<B>>> },
        Actual {
            #[pin]
            future: F,
            headers: Option<ActualHeaders>,
        },
    }
}

impl<F, B> Future for CorsFuture<F, B>
where
    F: Future<Output = Result<ServiceResponse<B>, Error>>,
{
    type Output = Result<ServiceResponse<EitherBody<B>>, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project().kind.project() {
            // A future polled after completion may stay pending (never panic).
            KindProjection::Preflight { response } => match response.take() {
                Some(response) => Poll::Ready(Ok(response)),
                None => Poll::Pending,
            },
            KindProjection::Actual { future, headers } => {
                match std::task::ready!(future.poll(cx)) {
                    Ok(response) => {
                        let mut response = response.map_into_left_body();
                        if let Some(headers) = headers.take() {
                            headers.apply(response.headers_mut());
                        }
                        Poll::Ready(Ok(response))
                    }
                    // An error of the wrapped service (another middleware's
                    // 401, a guard's 400) is answered by actix with the
                    // error's own response: build that response now, add the
                    // CORS headers, and pass the error on carrying it, so the
                    // page sees the real status instead of a CORS failure.
                    Err(error) => {
                        let mut response = error.error_response();
                        if let Some(headers) = headers.take() {
                            headers.apply(response.headers_mut());
                        }
                        Poll::Ready(Err(InternalError::from_response(error, response).into()))
                    }
                }
            }
        }
    }
}

impl<F, B> std::fmt::Debug for CorsFuture<F, B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CorsFuture").finish_non_exhaustive()
    }
}
