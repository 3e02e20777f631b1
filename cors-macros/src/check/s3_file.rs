//! `include_s3_json!("cors.json")` / `include_s3_xml!("cors.xml")`: reads an
//! Amazon S3 CORS configuration at compile time, relative to the crate's
//! `CARGO_MANIFEST_DIR`, and validates it with S3's own rules (the same
//! code the run-time loaders use, from the `cors-s3` crate). Every error
//! names the file, the rule (index and ID) and the field.

use std::path::PathBuf;

use crate::ctxt::Ctxt;
use crate::model::S3Model;
use crate::parse::{S3File, S3Format};

/// Reads and validates the file; `path` is empty when an error was reported.
pub(crate) fn check(cx: &Ctxt, file: &S3File) -> S3Model {
    let written = file.path.value();
    let span = file.path.span();
    let failed = || S3Model {
        path: String::new(),
        config: cors_s3::CorsConfiguration::default(),
    };
    let base = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_default();
    let path = base.join(&written);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) => {
            cx.error_at(span, format!(
                "cannot read the S3 CORS configuration `{written}`: {}; the path is relative to the directory of the crate's Cargo.toml",
                error.kind()
            ));
            return failed();
        }
    };
    let loaded = match file.format {
        S3Format::Json => cors_s3::from_json(&text),
        S3Format::Xml => cors_s3::from_xml(&text),
    };
    match loaded {
        Ok(config) => S3Model {
            path: path.to_string_lossy().into_owned(),
            config,
        },
        Err(cors_s3::LoadError::Invalid(errors)) => {
            for error in errors {
                cx.error_at(
                    span,
                    format!(
                        "`{written}`: {error} (S3 would answer {})",
                        error.code.as_str()
                    ),
                );
            }
            failed()
        }
        Err(syntax) => {
            cx.error_at(span, format!("`{written}`: {syntax}"));
            failed()
        }
    }
}
