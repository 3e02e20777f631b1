//! The rule model, the grammars, the limits and every check of
//! `cors_policy!` policies, in one library with no proc-macro dependency.
//!
//! The macro reads its tokens into a [`RawPolicy`] and calls [`check`];
//! each [`Problem`] names its [`Location`] in that tree, which the macro
//! turns into the span of the offending token. The same checker is meant to
//! judge policies read at run time, so that a policy is accepted or refused
//! by the same rules, in the same words, whatever its source: [`from_json`],
//! [`from_toml`], [`from_env`] and [`from_config`] read a policy into the
//! same tree and report a [`ConfigError`] that names each problem's place.
//!
//! ```
//! use cors_config::{check, RawField, RawItem, RawPolicy, RawRule, RawValue, Location};
//!
//! let rule = RawRule {
//!     fields: vec![
//!         RawField { key: "allow_origins".into(), value: RawValue::List(vec![RawItem::Str("https://App.example.com".into())]) },
//!         RawField { key: "allow_methods".into(), value: RawValue::List(vec![RawItem::Ident("GET".into())]) },
//!     ],
//! };
//! let problems = check(&RawPolicy::Single(rule)).unwrap_err();
//! assert_eq!(problems[0].at, Location::Item { rule: 0, field: 0, item: 0 });
//! assert!(problems[0].message.contains("write `https://app.example.com`"));
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod check;
mod coverage;
mod domain_ascii;
#[cfg(feature = "env")]
mod env;
mod error;
mod fields;
mod header;
mod layout;
mod method;
mod model;
mod nesting;
mod open_path;
mod origin;
mod policy_keys;
mod problem;
mod public_suffix;
mod raw;
mod sources;
#[cfg(any(feature = "json", feature = "toml"))]
mod tree;

pub use check::{check, KEYS, MAX_AGE_LIMIT, MAX_ID_LEN, MAX_RULES};
#[cfg(feature = "env")]
pub use env::{from_env, from_env_vars};
pub use error::{ConfigError, ConfigProblem};
pub use model::{OriginPattern, PolicyModel, Port, RuleModel};
pub use nesting::{MAX_DOCUMENT_TABLES, MAX_DOCUMENT_VALUES, MAX_NESTING};
pub use policy_keys::{MAX_OPEN_PATHS, MAX_OPEN_PATH_LEN, POLICY_KEYS};
pub use problem::{Location, OptIn, Problem};
pub use raw::{RawField, RawItem, RawPolicy, RawRule, RawValue};
#[cfg(feature = "json")]
pub use sources::from_json;
#[cfg(feature = "toml")]
pub use sources::from_toml;
pub use sources::{from_config, PolicyConfig, RuleConfig, MAX_DOCUMENT_LEN};

/// Not public API: the matcher's layout, shared between this workspace's
/// crates (`cors-macros` writes it into statics, `cors-runtime` builds it in
/// memory). Hidden from the documentation and outside semver, like serde's
/// `__private`; it changes with the runtime's matcher.
#[doc(hidden)]
pub mod __private {
    pub use crate::layout::{
        layout, EntryLayout, IndexLayout, Layout, ProtectionLayout, RuleLayout, SlotLayout,
    };
}
