//! The `salvo` adapter: a native salvo `Handler` for `hoop`.
//!
//! It behaves exactly like the [`tower`](crate#features) adapter: preflights
//! are answered by the handler (`204` or `403`, the rest of the chain is
//! skipped), every other request goes on down the chain and its response
//! gets the CORS headers, `Vary` merged. Attach it to the `Service`
//! (`Service::new(router).hoop(Cors::new(&POLICY))`), so that it also sees
//! preflights to paths whose routes do not accept `OPTIONS`.

use salvo_core::{async_trait, Depot, FlowCtrl, Handler, Request, Response};

use crate::adapters::source::{PolicySource, Reply};
use crate::front::MethodRef;
use crate::protection::Target;

/// salvo middleware applying a [`Policy`](crate::Policy).
#[derive(Debug, Clone)]
#[must_use]
pub struct Cors {
    policy: PolicySource,
}

impl Cors {
    /// A handler applying `policy`: a `&'static Policy`, a `Policy` or
    /// `Arc<Policy>`, or a `SharedPolicy` (feature `shared-policy`).
    pub fn new(policy: impl Into<PolicySource>) -> Self {
        Cors {
            policy: policy.into(),
        }
    }
}

#[async_trait]
impl Handler for Cors {
    async fn handle(
        &self,
        request: &mut Request,
        depot: &mut Depot,
        response: &mut Response,
        ctrl: &mut FlowCtrl,
    ) {
        // One policy decides the whole request: the preflight answer is
        // written now, or the headers the response will get are taken now.
        let answer = self.policy.decide(
            MethodRef::Http(request.method()),
            Target::of(request.uri()),
            request.headers(),
            |status, decision| {
                response.status_code(status);
                decision.apply(response.headers_mut());
            },
        );
        match answer {
            Reply::Preflight(()) => ctrl.skip_rest(),
            Reply::Actual(headers) => {
                ctrl.call_next(request, depot, response).await;
                headers.apply(response.headers_mut());
            }
        }
    }
}
