//! `include_s3_json!("cors.json")` / `include_s3_xml!("cors.xml")`: reads an
//! Amazon S3 CORS configuration at compile time, relative to the crate's
//! `CARGO_MANIFEST_DIR`, and validates it with S3's own rules (the same
//! code the run-time loaders use, from the `cors-s3` crate). Every error
//! names the file, the rule (index and ID) and the field.

use std::path::PathBuf;

use crate::check::S3Model;
use crate::ctxt::Ctxt;
use crate::parse::{S3File, S3Format};

/// Reads and validates the file; `path` is empty when an error was reported.
pub(crate) fn check(cx: &Ctxt, file: &S3File) -> S3Model {
    let written = file.path.value();
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
    let failed = || S3Model {
        path: String::new(),
        config: cors_s3::CorsConfiguration::default(),
    };
    let base = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_default();
    let path = base.join(&written);
    let text = match read_bounded(&path) {
        Ok(text) => text,
        Err(problem) => {
            cx.error_at(
                span,
                format!("cannot read the S3 CORS configuration `{written}`: {problem}"),
            );
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

/// Reads at most one byte more than S3's document limit, so that a huge or
/// endless file (`/dev/zero`) is refused without being read whole.
fn read_bounded(path: &std::path::Path) -> Result<String, String> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => {
            "entity not found; the path is relative to the directory of the crate's Cargo.toml"
                .to_owned()
        }
        kind => kind.to_string(),
    })?;
    let mut bytes = Vec::new();
    let limit = cors_s3::MAX_DOCUMENT_LEN as u64 + 1;
    file.take(limit)
        .read_to_end(&mut bytes)
        .map_err(|e| e.kind().to_string())?;
    if bytes.len() as u64 == limit {
        return Err(format!(
            "the file is larger than {} bytes, S3's limit on a CORS configuration",
            cors_s3::MAX_DOCUMENT_LEN
        ));
    }
    String::from_utf8(bytes).map_err(|_| "the file is not UTF-8 text".to_owned())
}
