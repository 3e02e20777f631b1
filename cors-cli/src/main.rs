//! `cors-cli`: the policy files of `cors_policy!`, Amazon S3 and five AWS
//! services, from the command line.
//!
//! ```text
//! cors-cli explain --policy cors.toml --origin https://a.example.com --method PUT --header x-api-key
//! cors-cli explain --policy cors.json --origin https://a.example.com --method GET --actual
//! cors-cli explain --policy cors.toml --origin https://evil.example --method POST --sec-fetch-site cross-site --cookie
//! cors-cli check cors.toml
//! cors-cli check --from s3-json - < bucket-cors.json
//! cors-cli convert --to cloudfront cors.toml
//! cors-cli diff cors.toml bucket-cors.json
//! ```
//!
//! Files: a DSL policy as TOML or JSON, an S3 configuration as JSON
//! (`{"CORSRules": [...]}` or a bare array of rules with S3's keys) or XML,
//! or one of the AWS formats of the `cors-aws` crate (`apigw-http`,
//! `apigw-openapi`, `apigw-rest`, `lambda-url`, `cloudfront`); `--from`
//! names the format, or it is told from the file's extension, first bytes
//! and top-level keys ([`format::Format::detect`]). `explain` prints the
//! decision in one line (which rule allowed the request, or why it was
//! denied), for a write or a WebSocket handshake the cross-origin
//! protection's verdict, then the status the middleware answers with itself
//! (a preflight, a refused write) and the exact response headers; `check`
//! prints every problem of a file and exits non-zero; `convert` writes a
//! policy in another format with the same CORS answers or names what the
//! target cannot carry ([`convert`]); `diff` tells whether two policies
//! answer alike ([`diff`]).
//!
//! The command line is parsed by `clap`: `--help` and `--version` print to
//! standard output and exit 0; every error (clap's own, ours, an unreadable
//! file) prints to standard error and exits 2.

mod answers;
mod convert;
mod diff;
mod explain;
mod format;
mod verdict;

use std::io::Read;
use std::process::ExitCode;

use clap::error::ErrorKind;
use clap::{Args, CommandFactory, Parser, Subcommand};

use explain::Explain;
use format::{Format, Loaded};

/// Explain how a CORS policy file answers a request, check, convert and compare policy files
#[derive(Debug, Parser)]
#[command(name = "cors-cli", version, after_help = AFTER_HELP)]
#[command(subcommand_required = true, arg_required_else_help = true)]
struct Cli {
    /// What to do.
    #[command(subcommand)]
    command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
enum Command {
    /// Check a policy file: print every problem
    #[command(after_long_help = CHECK_AFTER_HELP)]
    Check(Check),
    /// Explain how a policy answers a request: the decision, the status and the response headers
    #[command(long_about = explain::LONG_ABOUT, after_long_help = explain::AFTER_HELP)]
    Explain(Explain),
    /// Convert a policy into another format, keeping every CORS answer, or refuse
    #[command(after_long_help = convert::AFTER_HELP)]
    Convert(convert::Convert),
    /// Tell whether two policies give every request the same CORS answers
    #[command(after_long_help = diff::AFTER_HELP)]
    Diff(diff::Diff),
}

/// The tail of `cors-cli --help`.
const AFTER_HELP: &str = "\
A policy file is a `cors_policy!` policy as TOML or JSON, an Amazon S3 bucket-CORS
configuration as JSON or XML, or one of five AWS CORS configurations (apigw-http,
apigw-openapi, apigw-rest, lambda-url, cloudfront); without --from, its format is told from the
file's extension, first bytes and top-level keys (a bare HTTP API or Lambda URL configuration
needs --from). Exit status: 0 success, 1 a denied request or a policy with problems, 2 a usage
error or an unreadable file.";

/// The tail of `check --help`.
const CHECK_AFTER_HELP: &str = "\
Exit status: 0 when the file is a valid policy, 1 when it has problems (each printed on
standard output), 2 on a usage error or an unreadable file.";

/// The arguments of `check`.
#[derive(Debug, Args)]
struct Check {
    /// The file's format [default: told from its extension and first bytes]
    #[arg(long, value_name = "FORMAT")]
    from: Option<Format>,
    /// The policy file; `-` reads standard input
    #[arg(value_name = "FILE")]
    file: String,
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Check(args) => check(&args),
        Command::Explain(args) => explain::run(&args),
        Command::Convert(args) => convert::run(&args),
        Command::Diff(args) => diff::run(&args),
    };
    result.unwrap_or_else(|error| error.exit())
}

/// Runs `check`: `Err` is an unreadable file (exit 2).
fn check(args: &Check) -> Result<ExitCode, clap::Error> {
    let name = display_name(&args.file);
    match load(&args.file, args.from)? {
        Ok(Loaded::Policy(policy)) => {
            println!("{name}: ok ({} rule(s))", policy.rule_count());
            Ok(ExitCode::SUCCESS)
        }
        Ok(Loaded::Aws(..)) => {
            println!("{name}: ok (1 rule)");
            Ok(ExitCode::SUCCESS)
        }
        Err(problems) => {
            println!("{name}:\n{problems}");
            Ok(ExitCode::FAILURE)
        }
    }
}

/// How messages name the file at `path`: `-` is `<stdin>`.
pub(crate) fn display_name(path: &str) -> &str {
    if path == "-" {
        "<stdin>"
    } else {
        path
    }
}

/// A usage error found after clap's parsing, shown as clap shows its own
/// (`error: ...`, then the usage of `subcommand`), exiting 2.
pub(crate) fn usage_error(subcommand: &str, kind: ErrorKind, message: String) -> clap::Error {
    let mut command = Cli::command();
    command.build();
    match command.find_subcommand_mut(subcommand) {
        Some(subcommand) => clap::Error::raw(kind, message).format(subcommand),
        None => command.error(kind, message),
    }
}

/// An error that is not the command line's (an unreadable file): `error:
/// ...` on standard error, without the usage, exiting 2.
pub(crate) fn file_error(message: String) -> clap::Error {
    clap::Error::raw(ErrorKind::Io, format!("{message}\n"))
}

/// The most bytes a policy file of any format may have: the DSL readers'
/// limit, the largest (S3's documents are refused past 64 KB by their own).
const MAX_FILE_LEN: usize = cors_runtime::config::MAX_DOCUMENT_LEN;

/// A policy file's text (`-`: standard input), read up to one byte past
/// [`MAX_FILE_LEN`] so that a huge or endless file (`/dev/zero`, a pipe
/// that never ends) is refused without being read whole.
fn read_bounded(path: &str) -> Result<String, String> {
    let name = display_name(path);
    let limit = MAX_FILE_LEN as u64 + 1;
    let mut bytes = Vec::new();
    let read = if path == "-" {
        std::io::stdin().lock().take(limit).read_to_end(&mut bytes)
    } else {
        std::fs::File::open(path).and_then(|file| file.take(limit).read_to_end(&mut bytes))
    };
    read.map_err(|e| format!("cannot read {name}: {e}"))?;
    if bytes.len() > MAX_FILE_LEN {
        return Err(format!(
            "{name} is larger than {MAX_FILE_LEN} bytes, the most a policy file may have"
        ));
    }
    String::from_utf8(bytes).map_err(|_| format!("{name} is not UTF-8 text"))
}

/// Loads the policy file at `path` (`-`: standard input) as `from`, or as
/// its detected format: `Err` when it cannot be read or its format cannot be
/// told (exit 2), `Ok(Err)` with every problem as text when it is not a
/// valid policy (exit 1).
///
/// When `--from` names a format the file does not look like, the problems
/// end with a note naming the format it looks like.
pub(crate) fn load(
    path: &str,
    from: Option<Format>,
) -> Result<Result<Loaded, String>, clap::Error> {
    let text = read_bounded(path).map_err(file_error)?;
    let (format, text) = resolve(path, from, text)?;
    Ok(format
        .read(&text)
        .map_err(|problems| match Format::detect(path, &text) {
            Ok(detected) if detected != format => format!(
                "{problems}\nnote: read as `{}` (--from); the file looks like `{}`",
                format.name(),
                detected.name()
            ),
            _ => problems,
        }))
}

/// The format to read `text` (the file at `path`) as: `from`, or the
/// detected one; `Err` (exit 2) when the content fits several formats and
/// `--from` is missing.
pub(crate) fn resolve(
    path: &str,
    from: Option<Format>,
    text: String,
) -> Result<(Format, String), clap::Error> {
    if let Some(format) = from {
        return Ok((format, text));
    }
    match Format::detect(path, &text) {
        Ok(format) => Ok((format, text)),
        Err(ambiguous) => {
            let names: Vec<String> = ambiguous
                .candidates
                .iter()
                .map(|f| format!("`--from {}`", f.name()))
                .collect();
            Err(file_error(format!(
                "cannot tell the format of {}: {}; name it with {}",
                display_name(path),
                ambiguous.why,
                names.join(" or ")
            )))
        }
    }
}

/// Reads the file at `path` (`-`: standard input) as text, bounded like
/// every policy file: `Err` (exit 2) when it cannot be read.
pub(crate) fn read_text(path: &str) -> Result<String, clap::Error> {
    read_bounded(path).map_err(file_error)
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
