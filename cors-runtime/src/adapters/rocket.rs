//! The `rocket` adapter: a fairing for Rocket 0.5 (`rocket::build().attach(Cors::new(&POLICY))`).
//!
//! It behaves like the other adapters, within what a fairing can do:
//!
//! - A preflight, or a write the cross-origin protection refuses, is
//!   answered by the fairing: `on_request` decides, and reroutes the request
//!   to an `OPTIONS` route the fairing mounts (so no route of the
//!   application runs for it, and no `404` is logged); `on_response` writes
//!   the `204` or `403` and the CORS headers.
//! - Every other request reaches its route, and the response gets the CORS
//!   headers (`Access-Control-*` replaced, `Vary` merged). Responses of
//!   catchers (a `404`, a guard's `401`) go through `on_response` too, so
//!   they get the headers as well.
//!
//! Rocket has its own header types: the request headers CORS and the
//! cross-origin protection read are copied into an `http` map to be decided
//! (a small allocation per request that the other adapters avoid), and the
//! answer is written back as text.

use http::header::VARY;
use http::{HeaderMap, HeaderName, HeaderValue};
use rocket::fairing::{self, Fairing, Info, Kind};
use rocket::http::{Header, Method, Status};
use rocket::{Build, Data, Request, Response, Rocket};

use crate::adapters::source::{PolicySource, Reply};
use crate::answer::decision::ActualHeaders;
use crate::front::MethodRef;
use crate::protection::Target;

/// The request headers a decision reads: CORS's and the protection's.
const READ: [&str; 12] = [
    "origin",
    "access-control-request-method",
    "access-control-request-headers",
    "sec-fetch-site",
    "cookie",
    "authorization",
    "upgrade",
    "sec-websocket-version",
    "host",
    "x-http-method-override",
    "x-http-method",
    "x-method-override",
];

/// A Rocket fairing applying a [`Policy`](crate::Policy).
#[derive(Debug, Clone)]
#[must_use]
pub struct Cors {
    policy: PolicySource,
}

impl Cors {
    /// A fairing applying `policy`: a `&'static Policy`, a `Policy` or
    /// `Arc<Policy>`, or a `SharedPolicy` (feature `shared-policy`).
    pub fn new(policy: impl Into<PolicySource>) -> Self {
        Cors {
            policy: policy.into(),
        }
    }
}

/// What the fairing decided for one request, kept in its local cache.
enum Outcome {
    /// The request went through no CORS decision (a catcher's own request).
    Undecided,
    /// A preflight: its status and every header of the answer.
    Preflight { status: u16, headers: HeaderMap },
    /// Any other request: the headers its response gets.
    Actual(ActualHeaders),
}

/// The catch-all route preflights are rerouted to; the fairing writes the
/// real answer in `on_response`.
#[rocket::options("/__cors_runtime/preflight")]
fn preflight() -> Status {
    Status::NoContent
}

#[rocket::async_trait]
impl Fairing for Cors {
    fn info(&self) -> Info {
        Info {
            name: "cors_runtime::rocket::Cors",
            kind: Kind::Ignite | Kind::Request | Kind::Response,
        }
    }

    async fn on_ignite(&self, rocket: Rocket<Build>) -> fairing::Result {
        Ok(rocket.mount("/", rocket::routes![preflight]))
    }

    async fn on_request(&self, request: &mut Request<'_>, _: &mut Data<'_>) {
        let mut headers = HeaderMap::new();
        for name in READ {
            for value in request.headers().get(name) {
                // A value http refuses (a control character) is left out:
                // then the request is decided as if it were not sent.
                if let Ok(value) = HeaderValue::from_str(value) {
                    headers.append(HeaderName::from_static(name), value);
                }
            }
        }
        let path = request.uri().path();
        let target = Target {
            path: Some(path.as_str()),
            authority: None,
        };
        let answer = self.policy.decide(
            MethodRef::Text(request.method().as_str()),
            target,
            &headers,
            |status, decision| {
                let mut answer = HeaderMap::new();
                decision.apply(&mut answer);
                Outcome::Preflight {
                    status: status.as_u16(),
                    headers: answer,
                }
            },
        );
        let outcome = match answer {
            Reply::Preflight(outcome) => {
                // A refused write is rerouted like a preflight: no route of
                // the application runs.
                request.set_method(Method::Options);
                request.set_uri(rocket::uri!(preflight()));
                outcome
            }
            Reply::Actual(headers) => Outcome::Actual(headers),
        };
        let _ = request.local_cache(|| outcome);
    }

    async fn on_response<'r>(&self, request: &'r Request<'_>, response: &mut Response<'r>) {
        match request.local_cache(|| Outcome::Undecided) {
            Outcome::Undecided => {}
            Outcome::Preflight { status, headers } => {
                response.set_status(Status::new(*status));
                response.set_sized_body(0, std::io::Cursor::new(""));
                write(headers, response);
            }
            Outcome::Actual(headers) => {
                // Merge into the response's own `Vary`, as the other
                // adapters do: collect it, apply, write back.
                let mut merged = HeaderMap::new();
                for value in response.headers().get(VARY.as_str()) {
                    if let Ok(value) = HeaderValue::from_str(value) {
                        merged.append(VARY, value);
                    }
                }
                headers.apply(&mut merged);
                write(&merged, response);
            }
        }
    }
}

/// Writes `headers` into Rocket's response: each name replaces the
/// response's own values of it.
fn write(headers: &HeaderMap, response: &mut Response<'_>) {
    for name in headers.keys() {
        response.remove_header(name.as_str());
        for value in headers.get_all(name) {
            if let Ok(text) = value.to_str() {
                response.adjoin_header(Header::new(name.as_str().to_owned(), text.to_owned()));
            }
        }
    }
}
