//! Where an adapter gets its policy from, per request: a `&'static Policy`
//! (from `cors_policy!`), an `Arc<Policy>` (loaded at run time), or (feature
//! `shared-policy`) a `SharedPolicy` that can be replaced while the server
//! runs. A request is decided entirely by the one policy loaded for it,
//! never half old, half new.

#[cfg(feature = "shared-policy")]
use std::fmt;
use std::sync::Arc;

#[cfg(feature = "shared-policy")]
use arc_swap::ArcSwap;

use crate::Policy;

cfg_adapters! {
    use crate::answer::decision::Decision;
    #[cfg(feature = "tracing")]
    use crate::front;
    use crate::front::{MethodRef, RequestHeaderMap};
    use crate::protection::Target;
}

/// A policy that every holder sees replaced at once: `store` swaps it for
/// every adapter holding a clone (lock-free, with `arc-swap`), requests
/// already being decided finish with the policy they loaded.
///
/// ```
/// use cors_runtime::{Policy, SharedPolicy};
///
/// let shared = SharedPolicy::new(Policy::from_json(r#"{"allow_origins": ["https://a.example.com"], "allow_methods": ["GET"]}"#)?);
/// let for_the_layer = shared.clone();
/// shared.store(Policy::from_json(r#"{"allow_origins": ["https://b.example.com"], "allow_methods": ["GET"]}"#)?);
/// let mut request = http::HeaderMap::new();
/// request.insert("origin", http::HeaderValue::from_static("https://b.example.com"));
/// assert!(for_the_layer.load().evaluate(&http::Method::GET, &request).is_allowed());
/// # Ok::<(), cors_runtime::config::ConfigError>(())
/// ```
#[cfg(feature = "shared-policy")]
#[derive(Clone)]
pub struct SharedPolicy {
    current: Arc<ArcSwap<Policy>>,
}

#[cfg(feature = "shared-policy")]
impl SharedPolicy {
    /// A shared policy starting with `policy`.
    pub fn new(policy: impl Into<Arc<Policy>>) -> Self {
        SharedPolicy {
            current: Arc::new(ArcSwap::new(policy.into())),
        }
    }

    /// Replaces the policy for every holder of a clone of this handle.
    pub fn store(&self, policy: impl Into<Arc<Policy>>) {
        self.current.store(policy.into());
    }

    /// The current policy.
    pub fn load(&self) -> Arc<Policy> {
        self.current.load_full()
    }
}

cfg_adapters! {
    #[cfg(feature = "shared-policy")]
    impl SharedPolicy {
        /// Runs `decide` with the current policy, without cloning the `Arc`.
        pub(crate) fn with<R>(&self, decide: impl FnOnce(&Policy) -> R) -> R {
            let guard = self.current.load();
            decide(&guard)
        }
    }
}

#[cfg(feature = "shared-policy")]
impl fmt::Debug for SharedPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SharedPolicy")
            .field("rules", &self.load().rule_count())
            .finish()
    }
}

/// Any of the three policy sources an adapter accepts; built with `From`
/// (`CorsLayer::new(&API)`, `CorsLayer::new(Arc::new(policy))`,
/// `CorsLayer::new(shared.clone())`).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum PolicySource {
    /// A `static` policy, usually declared with `cors_policy!`.
    Static(&'static Policy),
    /// A policy owned by the adapters that share it.
    Owned(Arc<Policy>),
    /// A policy that can be replaced while the server runs.
    #[cfg(feature = "shared-policy")]
    Shared(SharedPolicy),
}

cfg_adapters! {
    impl PolicySource {
        /// Runs `decide` with the policy for one request.
        pub(crate) fn with<R>(&self, decide: impl FnOnce(&Policy) -> R) -> R {
            match self {
                PolicySource::Static(policy) => decide(policy),
                PolicySource::Owned(policy) => decide(policy),
                #[cfg(feature = "shared-policy")]
                PolicySource::Shared(shared) => shared.with(decide),
            }
        }
    }

    impl PolicySource {
        /// Decides a request under one policy, whatever the `http` version of
        /// its header map, and emits its `tracing` event: `preflight(status,
        /// decision)` writes the middleware's own answer to a preflight or to a
        /// write the cross-origin protection refuses; any other request gets the
        /// headers its response will carry.
        #[cfg(any(
            feature = "actix",
            feature = "poem",
            feature = "rocket",
            feature = "salvo"
        ))]
        pub(crate) fn decide<H: RequestHeaderMap + ?Sized, P>(
            &self,
            method: MethodRef<'_>,
            target: Target<'_>,
            headers: &H,
            preflight: impl FnOnce(http::StatusCode, &Decision<'_>) -> P,
        ) -> Reply<P, crate::answer::decision::ActualHeaders> {
            self.decide_with(method, target, headers, preflight, |decision| {
                decision.actual_headers()
            })
        }

        /// [`PolicySource::decide`], with the headers of an actual request's
        /// response taken by `actual`.
        #[inline]
        pub(crate) fn decide_with<H: RequestHeaderMap + ?Sized, P, A>(
            &self,
            method: MethodRef<'_>,
            target: Target<'_>,
            headers: &H,
            preflight: impl FnOnce(http::StatusCode, &Decision<'_>) -> P,
            actual: impl FnOnce(&Decision<'_>) -> A,
        ) -> Reply<P, A> {
            self.with(|policy| {
                let decision = policy.decide(method, target, headers);
                // Every event is at `DEBUG` or `TRACE`: with `DEBUG` off (and so
                // `TRACE`), nothing is looked at.
                #[cfg(feature = "tracing")]
                if tracing::level_enabled!(tracing::Level::DEBUG) {
                    crate::adapters::trace::record(
                        &decision,
                        || front::origin_text(headers),
                        method.as_str(),
                    );
                }
                match decision.preflight_status() {
                    Some(status) => Reply::Preflight(preflight(status, &decision)),
                    None => Reply::Actual(actual(&decision)),
                }
            })
        }
    }
}

impl From<&'static Policy> for PolicySource {
    fn from(policy: &'static Policy) -> Self {
        PolicySource::Static(policy)
    }
}

impl From<Arc<Policy>> for PolicySource {
    fn from(policy: Arc<Policy>) -> Self {
        PolicySource::Owned(policy)
    }
}

impl From<Policy> for PolicySource {
    fn from(policy: Policy) -> Self {
        PolicySource::Owned(Arc::new(policy))
    }
}

#[cfg(feature = "shared-policy")]
impl From<SharedPolicy> for PolicySource {
    fn from(shared: SharedPolicy) -> Self {
        PolicySource::Shared(shared)
    }
}

#[cfg(feature = "shared-policy")]
impl From<&SharedPolicy> for PolicySource {
    fn from(shared: &SharedPolicy) -> Self {
        PolicySource::Shared(shared.clone())
    }
}

cfg_adapters! {
    /// What one policy decided for a request, in an adapter: the middleware's
    /// own answer to a preflight, or the headers the service's response gets.
    pub(crate) enum Reply<P, H> {
        /// The preflight response, complete.
        Preflight(P),
        /// The CORS headers for the response still to come.
        Actual(H),
    }
}
