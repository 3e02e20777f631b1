//! `cors-cli convert`: a policy from one format to another, exactly or not
//! at all.
//!
//! The source is read with its own reader into the [`model::Neutral`] form
//! (`dsl`, `s3`, `aws` read their formats), then written by the target's
//! writer, which names every rule and value the target cannot carry and
//! why; the target's own checker then judges the result (the DSL's checker,
//! S3's validation, the AWS writers' limits), and what it refuses is
//! refused too. Nothing is widened, narrowed or dropped silently: what is
//! dropped without changing any answer (rule ids in a one-rule format, the
//! DSL's cross-origin protection, which belongs to the serving layer) is
//! said on standard error.

mod aws;
mod dsl;
pub(crate) mod model;
mod s3;

use std::process::ExitCode;

use crate::format::Format;
use model::Neutral;

/// The arguments of `convert`.
#[derive(Debug, clap::Args)]
pub(crate) struct Convert {
    /// The file's format [default: told from its extension and first bytes]
    #[arg(long, value_name = "FORMAT")]
    from: Option<Format>,
    /// The format to write
    #[arg(long, value_name = "FORMAT")]
    to: Format,
    /// The policy file; `-` reads standard input
    #[arg(value_name = "FILE")]
    file: String,
}

/// The tail of `convert --help`.
pub(crate) const AFTER_HELP: &str = "\
Writes the policy in the --to format on standard output, or refuses: a conversion keeps every
CORS answer (whether a preflight passes, whether a response is readable, with credentials, and
which headers it exposes) or is not made. Exit status: 0 converted (notes on standard error);
1 the file has problems (on standard error); 2 a usage error, an unreadable file, or a policy
the target cannot carry (every rule and value that cannot, and why, on standard error).";

/// What a conversion gave.
#[derive(Debug)]
pub(crate) enum Outcome {
    /// The source is not a valid policy: its problems.
    Invalid(String),
    /// The target cannot carry the policy: every reason, and the notes.
    Refused(Report),
    /// The policy in the target format, and the notes.
    Converted(String, Report),
}

/// What a conversion refused, and what it noted.
#[derive(Debug, Default)]
pub(crate) struct Report {
    /// Every rule and value the target cannot carry, and why.
    pub(crate) refusals: Vec<String>,
    /// What was dropped or rewritten without changing any answer.
    pub(crate) notes: Vec<String>,
}

impl Report {
    /// Records that `what` cannot be carried, because `why`.
    pub(crate) fn refuse(&mut self, what: impl AsRef<str>, why: impl AsRef<str>) {
        self.refusals
            .push(format!("{}: {}", what.as_ref(), why.as_ref()));
    }

    /// Records a note.
    pub(crate) fn note(&mut self, note: impl Into<String>) {
        let note = note.into();
        if !self.notes.contains(&note) {
            self.notes.push(note);
        }
    }
}

/// How messages name rule `index` (from 0): `rule 2 (`uploads`)`.
pub(crate) fn rule_label(index: usize, id: Option<&str>) -> String {
    match id {
        Some(id) => format!("rule {} (`{}`)", index + 1, cors_grammar::quote(id)),
        None => format!("rule {}", index + 1),
    }
}

/// Reads `text` as `from` into neutral form: `Err` with the problems.
pub(crate) fn read(from: Format, text: &str) -> Result<Neutral, String> {
    match from {
        Format::Json => cors_config::from_json(text)
            .map(|model| dsl::read(&model))
            .map_err(|e| e.to_string()),
        Format::Toml => cors_config::from_toml(text)
            .map(|model| dsl::read(&model))
            .map_err(|e| e.to_string()),
        Format::S3Json => cors_s3::from_json(text)
            .map(|config| s3::read(&config))
            .map_err(|e| e.to_string()),
        Format::S3Xml => cors_s3::from_xml(text)
            .map(|config| s3::read(&config))
            .map_err(|e| e.to_string()),
        Format::ApigwHttp
        | Format::ApigwOpenapi
        | Format::ApigwRest
        | Format::LambdaUrl
        | Format::Cloudfront => {
            let format = from.aws().unwrap_or(cors_aws::Format::ApigwHttp);
            cors_aws::read(format, text)
                .map(|cors| aws::read(&cors))
                .map_err(|e| crate::format::aws_problems(&e))
        }
    }
}

/// Writes `policy` as `to`, or says why it cannot.
pub(crate) fn write(policy: &Neutral, to: Format) -> Result<(String, Report), Report> {
    let mut report = Report::default();
    if to.aws().is_none() {
        for (index, rule) in policy.rules.iter().enumerate() {
            if !rule.implicit_methods.is_empty() {
                report.note(format!(
                    "{}: `{}` added to the methods: a browser lets GET, HEAD and POST through \
                     from an allowed origin whatever AllowMethods says",
                    rule_label(index, rule.id.as_deref()),
                    rule.implicit_methods.join("`, `")
                ));
            }
        }
    }
    let text = match to {
        Format::Json | Format::Toml => dsl::write(policy, to == Format::Toml, &mut report),
        Format::S3Json | Format::S3Xml => s3::write(policy, to == Format::S3Xml, &mut report),
        _ => {
            let format = to.aws().unwrap_or(cors_aws::Format::ApigwHttp);
            aws::write(policy, format, &mut report)
        }
    };
    match text {
        Some(text) if report.refusals.is_empty() => Ok((text, report)),
        _ => Err(report),
    }
}

/// Converts `text`, read as `from`, into `to`.
pub(crate) fn convert(from: Format, text: &str, to: Format) -> Outcome {
    let policy = match read(from, text) {
        Ok(policy) => policy,
        Err(problems) => return Outcome::Invalid(problems),
    };
    match write(&policy, to) {
        Ok((text, report)) => Outcome::Converted(text, report),
        Err(report) => Outcome::Refused(report),
    }
}

/// Runs `convert`: `Err` is a usage error or an unreadable file (exit 2).
pub(crate) fn run(args: &Convert) -> Result<ExitCode, clap::Error> {
    let name = crate::display_name(&args.file);
    let text = crate::read_text(&args.file)?;
    let (from, text) = crate::resolve(&args.file, args.from, text)?;
    match convert(from, &text, args.to) {
        Outcome::Invalid(problems) => {
            eprintln!("{name}:\n{problems}");
            Ok(ExitCode::FAILURE)
        }
        Outcome::Refused(report) => {
            eprintln!(
                "cannot convert {name} from `{}` to `{}` without changing its answers:",
                from.name(),
                args.to.name()
            );
            for refusal in &report.refusals {
                eprintln!("  {refusal}");
            }
            for note in &report.notes {
                eprintln!("note: {note}");
            }
            Ok(ExitCode::from(2))
        }
        Outcome::Converted(text, report) => {
            for note in &report.notes {
                eprintln!("note: {note}");
            }
            print!("{text}");
            Ok(ExitCode::SUCCESS)
        }
    }
}

#[cfg(test)]
pub(crate) mod tests;
