//! The framework adapters, each calling the same front end, matchers and
//! writer: [`tower`](crate::tower), [`actix`](crate::actix),
//! [`poem`](crate::poem), [`salvo`](crate::salvo) and
//! [`rocket`](crate::rocket), with [`source`] (where an adapter gets its
//! policy from, per request) and `trace` (one event per request, feature
//! `tracing`).

#[cfg(feature = "actix")]
#[cfg_attr(docsrs, doc(cfg(feature = "actix")))]
pub mod actix;
#[cfg(feature = "poem")]
#[cfg_attr(docsrs, doc(cfg(feature = "poem")))]
pub mod poem;
#[cfg(feature = "rocket")]
#[cfg_attr(docsrs, doc(cfg(feature = "rocket")))]
pub mod rocket;
#[cfg(feature = "salvo")]
#[cfg_attr(docsrs, doc(cfg(feature = "salvo")))]
pub mod salvo;
#[cfg(feature = "policy-sources")]
pub(crate) mod source;
#[cfg(feature = "tower")]
#[cfg_attr(docsrs, doc(cfg(feature = "tower")))]
pub mod tower;
cfg_adapters! {
    #[cfg(feature = "tracing")]
    pub(crate) mod trace;
}
