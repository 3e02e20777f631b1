//! The matchers, which only decide: [`dsl`] for a `cors_policy!` or
//! run-time DSL policy (the perfect-hash [`origin_index`] over the
//! patterns of [`crate::front::origin`], the rules of [`rule`] and the sets of
//! [`rule_set`]) and [`s3`] for Amazon S3's semantics. Both walk their
//! candidate rules with [`rule_walk`], which checks and matches the
//! requested header list in one pass, and skip rules that cannot allow the
//! request with the policy-wide [`rule_index`]. A DSL policy also holds
//! its cross-origin protection's settings ([`protection_settings`]), which
//! [`crate::protection`] reads after the matcher has decided.

pub(crate) mod bits;
pub(crate) mod dsl;
#[cfg(all(test, feature = "json"))]
mod index_tests;
pub(crate) mod origin_index;
pub(crate) mod protection_settings;
pub(crate) mod rule;
pub(crate) mod rule_index;
pub(crate) mod rule_set;
pub(crate) mod rule_walk;
#[cfg(feature = "s3")]
pub(crate) mod s3;
