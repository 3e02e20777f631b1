//! Policies read at run time and laid out in owned memory for the same
//! matchers: [`config`] for DSL policies (JSON, TOML, the environment,
//! `PolicyConfig`) and [`s3`] for Amazon S3 configurations.

#[cfg(any(feature = "json", feature = "toml", feature = "env", feature = "serde"))]
mod config;
#[cfg(feature = "s3")]
mod s3;
