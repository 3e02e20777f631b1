//! The `poem` adapter: middleware for poem 3 (`Route::new().at(..).with(Cors::new(&POLICY))`).
//!
//! It behaves exactly like the [`tower`](crate#features) adapter: preflights
//! are answered by the middleware (`204` or `403`), every other request
//! reaches the endpoint and its response gets the CORS headers, `Vary`
//! merged. An error of the endpoint is turned into its response first, so it
//! gets the CORS headers too. poem uses `http` 1.x, so the request's own
//! header map is evaluated as it is.
//!
//! ```
//! use cors_runtime::{cors_policy, poem::Cors, Policy};
//! use poem::{handler, test::TestClient, EndpointExt, Route};
//!
//! cors_policy! {
//!     static API: Policy = {
//!         allow_origins: ["https://app.example.com"],
//!         allow_methods: [GET, PUT],
//!     };
//! }
//!
//! #[handler]
//! fn hello() -> &'static str {
//!     "hello"
//! }
//!
//! # tokio_test::block_on(async {
//! let app = Route::new().at("/", hello).with(Cors::new(&API));
//! let response = TestClient::new(app)
//!     .get("/")
//!     .header("origin", "https://app.example.com")
//!     .send()
//!     .await;
//! response.assert_status_is_ok();
//! response.assert_header("access-control-allow-origin", "https://app.example.com");
//! # });
//! ```

use poem::{Endpoint, IntoResponse, Middleware, Request, Response, Result};

use crate::adapters::source::{PolicySource, Reply};
use crate::front::MethodRef;
use crate::protection::Target;

/// poem middleware applying a [`Policy`](crate::Policy).
#[derive(Debug, Clone)]
#[must_use]
pub struct Cors {
    policy: PolicySource,
}

impl Cors {
    /// Middleware applying `policy`: a `&'static Policy`, a `Policy` or
    /// `Arc<Policy>`, or a `SharedPolicy` (feature `shared-policy`).
    pub fn new(policy: impl Into<PolicySource>) -> Self {
        Cors {
            policy: policy.into(),
        }
    }
}

impl<E: Endpoint> Middleware<E> for Cors {
    type Output = CorsEndpoint<E>;

    fn transform(&self, inner: E) -> CorsEndpoint<E> {
        CorsEndpoint {
            inner,
            policy: self.policy.clone(),
        }
    }
}

/// An endpoint wrapped by [`Cors`].
#[derive(Debug)]
pub struct CorsEndpoint<E> {
    inner: E,
    policy: PolicySource,
}

impl<E: Endpoint> Endpoint for CorsEndpoint<E> {
    type Output = Response;

    async fn call(&self, request: Request) -> Result<Response> {
        // One policy decides the whole request.
        let answer = self.policy.decide(
            MethodRef::Http(request.method()),
            Target::of(request.uri()),
            request.headers(),
            |status, decision| {
                let mut response = Response::builder().status(status).finish();
                decision.apply(response.headers_mut());
                response
            },
        );
        let headers = match answer {
            Reply::Actual(headers) => headers,
            Reply::Preflight(preflight) => return Ok(preflight),
        };
        let mut response = match self.inner.call(request).await {
            Ok(output) => output.into_response(),
            Err(error) => error.into_response(),
        };
        headers.apply(response.headers_mut());
        Ok(response)
    }
}
