//! `cors-cli`: the policy files of `cors_policy!` and Amazon S3, from the
//! command line.
//!
//! ```text
//! cors-cli explain --policy cors.toml --origin https://a.example.com --method PUT --header x-api-key
//! cors-cli explain --policy cors.json --origin https://a.example.com --method GET --actual
//! cors-cli check cors.toml
//! ```
//!
//! Files: a DSL policy as TOML (`.toml`) or JSON, or an S3 configuration as
//! JSON (`{"CORSRules": [...]}` or a bare array of rules with S3's keys) or
//! XML (`.xml`). `explain` prints the decision in one line (which rule
//! allowed the request, or why it was denied), then the status of a
//! preflight answer and the exact response headers; `check` prints every
//! problem of a file and exits non-zero.

use std::process::ExitCode;

use cors_runtime::Policy;
use http::{HeaderMap, HeaderName, HeaderValue, Method};

const USAGE: &str = "usage:
  cors-cli explain --policy FILE --origin ORIGIN [--method METHOD] [--header NAME]... [--actual]
  cors-cli check FILE

explain: a preflight for METHOD (default GET) with the headers, or with --actual the request itself";

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
    let s3 = match serde_json::from_str::<serde_json::Value>(text) {
        Ok(serde_json::Value::Object(map)) => map.contains_key("CORSRules"),
        Ok(serde_json::Value::Array(rules)) => rules.first().is_some_and(|rule| {
            rule.get("AllowedOrigins").is_some() || rule.get("AllowedMethods").is_some()
        }),
        _ => false,
    };
    if s3 {
        Kind::S3Json
    } else {
        Kind::DslJson
    }
}

/// Loads a policy file: the policy, or every problem as text.
fn load(path: &str) -> Result<Result<Policy, String>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
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

fn explain(args: &[String]) -> Result<ExitCode, String> {
    let mut policy_path = None;
    let mut origin = None;
    let mut method = String::from("GET");
    let mut headers: Vec<String> = Vec::new();
    let mut actual = false;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let mut value = || {
            rest.next()
                .cloned()
                .ok_or_else(|| format!("{arg} needs a value\n{USAGE}"))
        };
        match arg.as_str() {
            "--policy" => policy_path = Some(value()?),
            "--origin" => origin = Some(value()?),
            "--method" => method = value()?,
            "--header" => headers.push(value()?),
            "--actual" => actual = true,
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    let policy_path = policy_path.ok_or_else(|| format!("--policy is required\n{USAGE}"))?;
    let policy = match load(&policy_path)? {
        Ok(policy) => policy,
        Err(problems) => {
            println!("{policy_path}:\n{problems}");
            return Ok(ExitCode::FAILURE);
        }
    };
    let value = |text: &str| {
        HeaderValue::from_str(text).map_err(|_| format!("`{text}` is not a valid header value"))
    };
    let mut request = HeaderMap::new();
    if let Some(origin) = &origin {
        request.insert(http::header::ORIGIN, value(origin)?);
    }
    let request_method = if actual {
        for header in &headers {
            let name = HeaderName::from_bytes(header.as_bytes())
                .map_err(|_| format!("`{header}` is not a header name"))?;
            request.append(name, HeaderValue::from_static("1"));
        }
        Method::from_bytes(method.as_bytes()).map_err(|_| format!("`{method}` is not a method"))?
    } else {
        request.insert(http::header::ACCESS_CONTROL_REQUEST_METHOD, value(&method)?);
        if !headers.is_empty() {
            request.insert(
                http::header::ACCESS_CONTROL_REQUEST_HEADERS,
                value(&headers.join(","))?,
            );
        }
        Method::OPTIONS
    };
    let decision = policy.evaluate(&request_method, &request);
    println!("{decision}");
    if let Some(status) = decision.preflight_status() {
        println!("status: {}", status.as_u16());
    }
    let mut response = HeaderMap::new();
    decision.apply(&mut response);
    for (name, value) in &response {
        println!("{name}: {}", value.to_str().unwrap_or("<not text>"));
    }
    Ok(if decision.is_allowed() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
