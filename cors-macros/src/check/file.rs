//! Policy files read at compile time, relative to the crate's
//! `CARGO_MANIFEST_DIR` (the build re-runs when they change):
//!
//! - `include_json!("cors.json")` / `include_toml!("cors.toml")`: a DSL
//!   policy, checked by the same checker (and read by the same readers) as
//!   `Policy::from_json`/`from_toml` at run time; errors name the file and
//!   the key path (`rules[1].allow_origins[0]`).
//! - `include_s3_json!("cors.json")` / `include_s3_xml!("cors.xml")`: an
//!   Amazon S3 CORS configuration, validated with S3's own rules (the same
//!   code the run-time loaders use, from the `cors-s3` crate); errors name
//!   the file, the rule (index and ID) and the field.

use std::path::PathBuf;

use cors_config::PolicyModel;

use crate::check::S3Model;
use crate::ctxt::Ctxt;
use crate::parse::{FileFormat, IncludedFile};

/// A file's absolute path and text, or `None` when an error was reported.
fn read(cx: &Ctxt, file: &IncludedFile, what: &str, limit: usize) -> Option<(String, String)> {
    let written = file.path.value();
    let shown = cors_s3::shorten(&written);
    let span = file.path.span();
    if !file.path.suffix().is_empty() {
        cx.error_at(
            span,
            format!(
                "the suffix `{}` means nothing here; remove it: write `{written:?}`",
                file.path.suffix()
            ),
        );
    }
    let base = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_default();
    let path = base.join(&written);
    match read_bounded(&path, limit) {
        Ok(text) => Some((path.to_string_lossy().into_owned(), text)),
        Err(problem) => {
            cx.error_at(span, format!("cannot read the {what} `{shown}`: {problem}"));
            None
        }
    }
}

/// Reads and checks a DSL policy file: the model and the file's path, or
/// `None` when an error was reported.
pub(crate) fn check_policy(cx: &Ctxt, file: &IncludedFile) -> Option<(PolicyModel, String)> {
    let (path, text) = read(cx, file, "policy file", cors_config::MAX_DOCUMENT_LEN)?;
    let loaded = match file.format {
        FileFormat::Toml => cors_config::from_toml(&text),
        _ => cors_config::from_json(&text),
    };
    match loaded {
        Ok(model) => Some((model, path)),
        Err(error) => {
            let written = file.path.value();
            let written = cors_s3::shorten(&written);
            for problem in error.problems() {
                cx.error_at(file.path.span(), format!("`{written}`: {problem}"));
            }
            if error.unlisted() > 0 {
                cx.error_at(
                    file.path.span(),
                    format!(
                        "`{written}`: and {} more problems (only the first {} are listed)",
                        error.unlisted(),
                        error.problems().len()
                    ),
                );
            }
            None
        }
    }
}

/// Reads and validates an S3 configuration file; `path` is empty when an
/// error was reported.
pub(crate) fn check_s3(cx: &Ctxt, file: &IncludedFile) -> S3Model {
    let written = file.path.value();
    let written = cors_s3::shorten(&written);
    let span = file.path.span();
    let failed = || S3Model {
        path: String::new(),
        config: cors_s3::CorsConfiguration::default(),
    };
    let Some((path, text)) = read(cx, file, "S3 CORS configuration", cors_s3::MAX_DOCUMENT_LEN)
    else {
        return failed();
    };
    let loaded = match file.format {
        FileFormat::S3Xml => cors_s3::from_xml(&text),
        _ => cors_s3::from_json(&text),
    };
    match loaded {
        Ok(config) => S3Model { path, config },
        Err(cors_s3::LoadError::Invalid(errors)) => {
            for error in &errors {
                cx.error_at(
                    span,
                    format!(
                        "`{written}`: {error} (S3 would answer {})",
                        error.code.as_str()
                    ),
                );
            }
            if errors.unlisted() > 0 {
                cx.error_at(
                    span,
                    format!(
                        "`{written}`: and {} more problems (only the first {} are listed)",
                        errors.unlisted(),
                        cors_s3::MAX_REPORTED
                    ),
                );
            }
            failed()
        }
        Err(other) => {
            cx.error_at(
                span,
                format!(
                    "`{written}`: {other} (S3 would answer {})",
                    other.code().as_str()
                ),
            );
            failed()
        }
    }
}

/// Reads at most one byte more than `limit`, so that a huge or endless file
/// (`/dev/zero`) is refused without being read whole.
fn read_bounded(path: &std::path::Path, limit: usize) -> Result<String, String> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => {
            "entity not found; the path is relative to the directory of the crate's Cargo.toml"
                .to_owned()
        }
        kind => kind.to_string(),
    })?;
    let mut bytes = Vec::new();
    let cap = limit as u64 + 1;
    file.take(cap)
        .read_to_end(&mut bytes)
        .map_err(|e| e.kind().to_string())?;
    if bytes.len() as u64 == cap {
        return Err(format!("the file is larger than {limit} bytes"));
    }
    String::from_utf8(bytes).map_err(|_| "the file is not UTF-8 text".to_owned())
}
