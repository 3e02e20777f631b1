//! Policy files read at compile time, relative to the crate's
//! `CARGO_MANIFEST_DIR` (the build re-runs when they change), each with the
//! cargo feature of `cors-runtime` that brings its reader (`json`, `toml`,
//! `s3`; without it the form is an error that names the feature):
//!
//! - `include_json!("cors.json")` / `include_toml!("cors.toml")`: a DSL
//!   policy, checked by the same checker (and read by the same readers) as
//!   `Policy::from_json`/`from_toml` at run time; errors name the file and
//!   the key path (`rules[1].allow_origins[0]`).
//! - `include_s3_json!("cors.json")` / `include_s3_xml!("cors.xml")`: an
//!   Amazon S3 CORS configuration, validated with S3's own rules (the same
//!   code the run-time loaders use, from the `cors-s3` crate); errors name
//!   the file, the rule (index and ID) and the field.
//! - `include_apigw_http!`, `include_apigw_openapi!`, `include_apigw_rest!`,
//!   `include_lambda_url!`, `include_cloudfront!` (feature `aws`): an AWS
//!   service's CORS configuration, read with that service's limits and
//!   loaded as the DSL policy that answers as the service does (as
//!   `Policy::from_aws` does at run time); errors name the file and the
//!   field.

#[cfg(feature = "aws")]
use crate::check::reading::check_aws;
#[cfg(any(feature = "json", feature = "toml"))]
use crate::check::reading::check_policy;
#[cfg(feature = "s3")]
use crate::check::reading::check_s3;
use crate::check::Checked;
use crate::ctxt::Ctxt;
use crate::parse::{FileFormat, IncludedFile};

/// Reads and checks an included policy file; errors go to `cx`.
pub(crate) fn check_file(cx: &Ctxt, file: &IncludedFile) -> Checked {
    match file.format {
        FileFormat::Json => {
            #[cfg(feature = "json")]
            return check_policy(cx, file, cors_config::from_json);
            #[cfg(not(feature = "json"))]
            return feature_off(cx, file, "include_json", "json");
        }
        FileFormat::Toml => {
            #[cfg(feature = "toml")]
            return check_policy(cx, file, cors_config::from_toml);
            #[cfg(not(feature = "toml"))]
            return feature_off(cx, file, "include_toml", "toml");
        }
        FileFormat::S3Json | FileFormat::S3Xml => {
            #[cfg(feature = "s3")]
            return Checked::S3(check_s3(cx, file));
            #[cfg(not(feature = "s3"))]
            return feature_off(
                cx,
                file,
                if file.format == FileFormat::S3Json {
                    "include_s3_json"
                } else {
                    "include_s3_xml"
                },
                "s3",
            );
        }
        FileFormat::Aws(form) => {
            #[cfg(feature = "aws")]
            return check_aws(cx, file, form);
            #[cfg(not(feature = "aws"))]
            return feature_off(cx, file, form.keyword(), "aws");
        }
    }
}

/// The error for a file form whose reader is behind a feature that is off.
#[cfg(not(all(feature = "json", feature = "toml", feature = "s3", feature = "aws")))]
fn feature_off(cx: &Ctxt, file: &IncludedFile, form: &str, feature: &str) -> Checked {
    cx.error_at(
        file.keyword,
        format!(
            "`{form}!` needs the `{feature}` feature of `cors-runtime`, which is off; turn it \
             on in Cargo.toml: `cors-runtime = {{ version = \"0.1\", features = [\"{feature}\"] }}`"
        ),
    );
    Checked::Dsl(super::unchecked(), None)
}
