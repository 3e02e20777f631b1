//! `cors-cli`: the policy files of `cors_policy!` and Amazon S3, from the
//! command line.
//!
//! ```text
//! cors-cli explain --policy cors.toml --origin https://a.example.com --method PUT --header x-api-key
//! cors-cli explain --policy cors.json --origin https://a.example.com --method GET --actual
//! cors-cli explain --policy cors.toml --origin https://evil.example --method POST --sec-fetch-site cross-site --cookie
//! cors-cli check cors.toml
//! ```
//!
//! Files: a DSL policy as TOML (`.toml`) or JSON, or an S3 configuration as
//! JSON (`{"CORSRules": [...]}` or a bare array of rules with S3's keys) or
//! XML (`.xml`). `explain` prints the decision in one line (which rule
//! allowed the request, or why it was denied), for a write or a WebSocket
//! handshake the cross-origin protection's verdict, then the status the
//! middleware answers with itself (a preflight, a refused write) and the
//! exact response headers; `check` prints every problem of a file and exits
//! non-zero.

mod explain;
mod verdict;

use std::collections::HashMap;
use std::io::Read;
use std::process::ExitCode;

use cors_runtime::Policy;
use serde::de::IgnoredAny;

use explain::explain;

/// `--help`, and the tail of every usage error.
const USAGE: &str = "usage:
  cors-cli explain --policy FILE --origin ORIGIN [--method METHOD] [--header NAME]... [--actual]
                   [--sec-fetch-site VALUE] [--cookie] [--authorization SCHEME] [--websocket]
                   [--path PATH] [--host HOST]
  cors-cli check FILE

explain: a preflight for METHOD (default GET) with the headers, or with --actual the request
itself; for a write (any method but GET, HEAD, OPTIONS) or a WebSocket handshake, also the
cross-origin protection's verdict: `cross-origin protection: passes (why)` or
`cross-origin protection: refused (403): why`.
  --sec-fetch-site VALUE  the request's Sec-Fetch-Site, any value (the policy decides what counts)
  --cookie                the request carries a Cookie header
  --authorization SCHEME  the request carries `Authorization: SCHEME x` (Basic, Bearer, ...)
  --websocket             a WebSocket handshake: GET with `Upgrade: websocket` (no other --method)
  --path PATH             the request's path (default /), for the policy's open paths
  --host HOST             the request's Host (default none: a write with an Origin and no
                          Sec-Fetch-Site is cross-origin unless HOST is the Origin's host[:port])
  These six describe the request itself, which the protection judges: they imply --actual, and
  --origin becomes optional with them (a cross-site write without Origin is refused, and explained).
exit status of explain: 0 when the policy allows the request (or, without --origin, when the
protection lets it through); 1 when the policy denies it or the cross-origin protection refuses
it (answered 403, the service never called); 2 on a usage error or an unreadable file.

check: every problem of the file; exit status 1 when there is one.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("explain") => explain(&args[1..]),
        Some("check") => check(&args[1..]),
        Some("--help" | "-h" | "help") => {
            println!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        _ => Err(format!("unknown command\n{USAGE}")),
    };
    result.unwrap_or_else(|message| {
        eprintln!("cors-cli: {message}");
        ExitCode::from(2)
    })
}

/// What a policy file holds, by its name and content.
enum Kind {
    DslToml,
    DslJson,
    S3Json,
    S3Xml,
}

fn kind_of(path: &str, text: &str) -> Kind {
    if path.ends_with(".toml") {
        return Kind::DslToml;
    }
    if path.ends_with(".xml")
        || text
            .trim_start_matches('\u{feff}')
            .trim_start()
            .starts_with('<')
    {
        return Kind::S3Xml;
    }
    // S3's JSON has `CORSRules`, or is an array of rules with S3's keys.
    // Only the keys are read: every value is skipped, not built.
    type Keys = HashMap<String, IgnoredAny>;
    let s3 = if let Ok(keys) = serde_json::from_str::<Keys>(text) {
        keys.contains_key("CORSRules")
    } else if let Ok(rules) = serde_json::from_str::<Vec<Keys>>(text) {
        rules.first().is_some_and(|rule| {
            rule.contains_key("AllowedOrigins") || rule.contains_key("AllowedMethods")
        })
    } else {
        false
    };
    if s3 {
        Kind::S3Json
    } else {
        Kind::DslJson
    }
}

/// The most bytes a policy file of any format may have: the DSL readers'
/// limit, the largest (S3's documents are refused past 64 KB by their own).
const MAX_FILE_LEN: usize = cors_runtime::config::MAX_DOCUMENT_LEN;

/// A policy file's text, read up to one byte past [`MAX_FILE_LEN`] so that
/// a huge or endless file (`/dev/zero`) is refused without being read whole.
fn read_bounded(path: &str) -> Result<String, String> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|file| file.take(MAX_FILE_LEN as u64 + 1).read_to_end(&mut bytes))
        .map_err(|e| format!("cannot read {path}: {e}"))?;
    if bytes.len() > MAX_FILE_LEN {
        return Err(format!(
            "{path} is larger than {MAX_FILE_LEN} bytes, the most a policy file may have"
        ));
    }
    String::from_utf8(bytes).map_err(|_| format!("{path} is not UTF-8 text"))
}

/// Loads a policy file: the policy, or every problem as text.
pub(crate) fn load(path: &str) -> Result<Result<Policy, String>, String> {
    let text = read_bounded(path)?;
    Ok(match kind_of(path, &text) {
        Kind::DslToml => Policy::from_toml(&text).map_err(|e| e.to_string()),
        Kind::DslJson => Policy::from_json(&text).map_err(|e| e.to_string()),
        Kind::S3Json => Policy::from_s3_json(&text).map_err(|e| e.to_string()),
        Kind::S3Xml => Policy::from_s3_xml(&text).map_err(|e| e.to_string()),
    })
}

fn check(args: &[String]) -> Result<ExitCode, String> {
    let [path] = args else {
        return Err(format!("check takes one file\n{USAGE}"));
    };
    match load(path)? {
        Ok(policy) => {
            println!("{path}: ok ({} rule(s))", policy.rule_count());
            Ok(ExitCode::SUCCESS)
        }
        Err(problems) => {
            println!("{path}:\n{problems}");
            Ok(ExitCode::FAILURE)
        }
    }
}
