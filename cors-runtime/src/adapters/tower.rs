//! The `tower` adapter: a [`Layer`] for axum, hyper and tonic services.
//!
//! - A preflight is answered by the layer itself (`204` or `403` with the
//!   CORS headers); the inner service is not called.
//! - Every other request, `OPTIONS` without `Access-Control-Request-Method`
//!   included, reaches the inner service; its response gets the CORS headers,
//!   with `Vary` merged into what the service set.
//! - An `Err` of the inner service is passed on as it is: in tower an error
//!   has no response to add headers to. Turn errors into responses inside
//!   the layer (axum's `HandleErrorLayer`, or a route that maps them), and
//!   those responses get the CORS headers like any other, so pages see the
//!   real status instead of a CORS failure.
//!
//! ```
//! use cors_runtime::{cors_policy, Policy, tower::CorsLayer};
//! use http::{Request, Response, StatusCode};
//! use tower::{service_fn, ServiceBuilder, ServiceExt};
//!
//! cors_policy! {
//!     static API: Policy = {
//!         allow_origins: ["https://app.example.com"],
//!         allow_methods: [GET, PUT],
//!     };
//! }
//!
//! # tokio_test::block_on(async {
//! let service = ServiceBuilder::new()
//!     .layer(CorsLayer::new(&API))
//!     .service(service_fn(|_request: Request<String>| async {
//!         Ok::<_, std::convert::Infallible>(Response::new(String::from("hello")))
//!     }));
//!
//! let preflight = Request::options("/")
//!     .header("origin", "https://app.example.com")
//!     .header("access-control-request-method", "PUT")
//!     .body(String::new())
//!     .unwrap();
//! let response = service.oneshot(preflight).await.unwrap();
//! assert_eq!(response.status(), StatusCode::NO_CONTENT);
//! assert_eq!(response.headers()["access-control-allow-methods"], "GET, PUT");
//! # });
//! ```

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use http::{Request, Response};
use pin_project_lite::pin_project;
use tower_layer::Layer;
use tower_service::Service;

use crate::adapters::source::{PolicySource, Reply};
use crate::answer::pending::PendingHeaders;
use crate::front::MethodRef;
use crate::protection::Target;

/// Applies a [`Policy`](crate::Policy) to every request of the wrapped service.
#[derive(Debug, Clone)]
#[must_use]
pub struct CorsLayer {
    policy: PolicySource,
}

impl CorsLayer {
    /// A layer applying `policy`: a `&'static Policy` (a `static` declared
    /// with `cors_policy!`), an `Arc<Policy>` or `Policy` loaded at run
    /// time, or a `SharedPolicy` (feature `shared-policy`) to replace while the
    /// server runs.
    pub fn new(policy: impl Into<PolicySource>) -> Self {
        CorsLayer {
            policy: policy.into(),
        }
    }
}

impl<S> Layer<S> for CorsLayer {
    type Service = Cors<S>;

    fn layer(&self, inner: S) -> Cors<S> {
        Cors {
            inner,
            policy: self.policy.clone(),
        }
    }
}

/// A service wrapped by a [`CorsLayer`].
#[derive(Debug, Clone)]
#[must_use]
pub struct Cors<S> {
    inner: S,
    policy: PolicySource,
}

impl<S> Cors<S> {
    /// Wraps `inner` with `policy` (any source [`CorsLayer::new`] takes).
    pub fn new(inner: S, policy: impl Into<PolicySource>) -> Self {
        Cors {
            inner,
            policy: policy.into(),
        }
    }

    /// The wrapped service.
    pub fn get_ref(&self) -> &S {
        &self.inner
    }
}

impl<S, ReqBody, ResBody> Service<Request<ReqBody>> for Cors<S>
where
    S: Service<Request<ReqBody>, Response = Response<ResBody>>,
    ResBody: Default,
{
    type Response = Response<ResBody>;
    type Error = S::Error;
    type Future = ResponseFuture<S::Future, ResBody>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<ReqBody>) -> Self::Future {
        // One policy decides the whole request: the preflight answer, or the
        // headers the response will get, all taken now.
        let answer = self.policy.decide_with(
            MethodRef::Http(request.method()),
            Target::of(request.uri()),
            request.headers(),
            |status, decision| {
                let mut response = Response::new(ResBody::default());
                *response.status_mut() = status;
                decision.apply(response.headers_mut());
                response
            },
            PendingHeaders::of,
        );
        let headers = match answer {
            Reply::Actual(headers) => headers,
            Reply::Preflight(response) => {
                return ResponseFuture {
                    kind: Kind::Preflight {
                        response: Some(response),
                    },
                }
            }
        };
        ResponseFuture {
            kind: Kind::Actual {
                future: self.inner.call(request),
                headers: Some(headers),
            },
        }
    }
}

pin_project! {
    /// The response future of [`Cors`].
    pub struct ResponseFuture<F, B> {
        #[pin]
        kind: Kind<F, B>,
    }
}

pin_project! {
    #[project = KindProjection]
    enum Kind<F, B> {
        Preflight { response: Option<Response<B>> },
        Actual {
            #[pin]
            future: F,
            headers: Option<PendingHeaders>,
        },
    }
}

impl<F, B, E> Future for ResponseFuture<F, B>
where
    F: Future<Output = Result<Response<B>, E>>,
    B: Default,
{
    type Output = Result<Response<B>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project().kind.project() {
            // Polled again after completion: an empty response, never a panic.
            KindProjection::Preflight { response } => {
                Poll::Ready(Ok(response.take().unwrap_or_default()))
            }
            KindProjection::Actual { future, headers } => {
                let mut response = std::task::ready!(future.poll(cx))?;
                if let Some(headers) = headers.take() {
                    headers.write(response.headers_mut());
                }
                Poll::Ready(Ok(response))
            }
        }
    }
}

impl<F, B> std::fmt::Debug for ResponseFuture<F, B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResponseFuture").finish_non_exhaustive()
    }
}
