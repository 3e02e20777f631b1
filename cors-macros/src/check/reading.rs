//! Reading an included file: at most its limit plus one byte, relative to
//! the crate's `CARGO_MANIFEST_DIR`, then checked by the run-time loader of
//! its format, each problem reported at the file's path.

use std::path::PathBuf;

use cors_grammar::report::shorten;

#[cfg(any(feature = "json", feature = "toml", feature = "aws"))]
use crate::check::Checked;
#[cfg(feature = "s3")]
use crate::check::S3Model;
use crate::ctxt::Ctxt;
#[cfg(feature = "aws")]
use crate::parse::AwsForm;
#[cfg(feature = "s3")]
use crate::parse::FileFormat;
use crate::parse::IncludedFile;

/// A file's absolute path and text, or `None` when an error was reported.
fn read(cx: &Ctxt, file: &IncludedFile, what: &str, limit: usize) -> Option<(String, String)> {
    let written = file.path.value();
    let shown = shorten(&written);
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

/// Reads a DSL policy file and checks it with `load` (the run-time
/// loader of its format).
#[cfg(any(feature = "json", feature = "toml"))]
pub(crate) fn check_policy(
    cx: &Ctxt,
    file: &IncludedFile,
    load: fn(&str) -> Result<cors_config::PolicyModel, cors_config::ConfigError>,
) -> Checked {
    let failed = || Checked::Dsl(super::unchecked(), None);
    let Some((path, text)) = read(cx, file, "policy file", cors_config::MAX_DOCUMENT_LEN) else {
        return failed();
    };
    match load(&text) {
        Ok(model) => Checked::Dsl(model, Some(path)),
        Err(error) => {
            let written = file.path.value();
            let written = shorten(&written);
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
            failed()
        }
    }
}

/// Reads and validates an S3 configuration file; `path` is empty when an
/// error was reported.
#[cfg(feature = "s3")]
pub(crate) fn check_s3(cx: &Ctxt, file: &IncludedFile) -> S3Model {
    let written = file.path.value();
    let written = shorten(&written);
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
                        cors_grammar::report::MAX_REPORTED
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

/// Reads an AWS configuration file and loads it as a DSL policy (with
/// `cors-aws`'s reader of its format and `cors_aws::to_policy`, as
/// `Policy::from_aws` does at run time).
#[cfg(feature = "aws")]
pub(crate) fn check_aws(cx: &Ctxt, file: &IncludedFile, form: AwsForm) -> Checked {
    let format = match form {
        AwsForm::ApigwHttp => cors_aws::Format::ApigwHttp,
        AwsForm::ApigwOpenapi => cors_aws::Format::ApigwOpenapi,
        AwsForm::ApigwRest => cors_aws::Format::ApigwRest,
        AwsForm::LambdaUrl => cors_aws::Format::LambdaUrl,
        AwsForm::CloudFront => cors_aws::Format::CloudFront,
    };
    let failed = || Checked::Dsl(super::unchecked(), None);
    let what = format!("{} configuration", format.as_str());
    let Some((path, text)) = read(cx, file, &what, cors_aws::MAX_DOCUMENT_LEN) else {
        return failed();
    };
    let loaded = cors_aws::read(format, &text).and_then(|cors| cors_aws::to_policy(format, &cors));
    match loaded {
        Ok(model) => Checked::Dsl(model, Some(path)),
        Err(error) => {
            let written = file.path.value();
            let written = shorten(&written);
            for problem in error.problems() {
                cx.error_at(
                    file.path.span(),
                    format!("`{written}` ({}): {problem}", format.as_str()),
                );
            }
            let unlisted = error.total() - error.problems().len();
            if unlisted > 0 {
                cx.error_at(
                    file.path.span(),
                    format!(
                        "`{written}`: and {unlisted} more problems (only the first {} are listed)",
                        error.problems().len()
                    ),
                );
            }
            failed()
        }
    }
}
