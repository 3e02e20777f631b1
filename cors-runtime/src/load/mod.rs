//! Policies read at run time and laid out in owned memory for the same
//! matchers: [`config`] for DSL policies (JSON, TOML, the environment,
//! `PolicyConfig`), [`s3`] for Amazon S3 configurations and [`aws`] for
//! the AWS formats (as DSL policies that answer as the service does).

#[cfg(feature = "aws")]
mod aws;
cfg_run_time_dsl_policies! {
    mod config;
}
#[cfg(feature = "s3")]
mod s3;
