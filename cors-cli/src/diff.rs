//! `cors-cli diff`: whether two policies, in any formats, give every
//! request the same CORS answers, decided from their patterns.
//!
//! The requests asked are built from the union of both policies' values:
//! for each origin pattern the origins it names or covers (and their
//! neighbours: the other scheme, a port, the base of a wildcard), each
//! listed method with the safelisted ones, `OPTIONS` and a fresh one, and
//! each listed header (a pattern filled in) with `authorization` and a fresh
//! one, alone, in pairs and all together, with and without credentials;
//! plus a fresh origin. Every pattern form matches a browser origin only
//! through what it names, so two policies that agree on these requests
//! agree on all (the property test in this module checks it against
//! sampling). The cross-origin protection counts only when both sides are
//! DSL policies.

use std::fmt;
use std::process::ExitCode;

use cors_aws::{AwsCors, Exposed};
use http::{HeaderMap, HeaderValue, Method};

use crate::answers::{Preflight, Subject};
use crate::convert::model::{Methods, Neutral, Origin, SAFELISTED};
use crate::format::{Format, Loaded};

/// The arguments of `diff`.
#[derive(Debug, clap::Args)]
pub(crate) struct Diff {
    /// The format of A [default: told from its extension and first bytes]
    #[arg(long, value_name = "FORMAT")]
    from_a: Option<Format>,
    /// The format of B [default: told from its extension and first bytes]
    #[arg(long, value_name = "FORMAT")]
    from_b: Option<Format>,
    /// The first policy file; `-` reads standard input
    #[arg(value_name = "A")]
    a: String,
    /// The second policy file; `-` reads standard input
    #[arg(value_name = "B")]
    b: String,
}

/// The tail of `diff --help`.
pub(crate) const AFTER_HELP: &str = "\
Compares CORS answers: whether a preflight passes and for how long it may be cached, whether
a response is readable, with credentials, and which headers it exposes (not status codes, Vary, or `*` versus an echoed
origin). Exit status: 0 `equivalent`; 1 the policies differ (one request that tells them apart,
with each policy's answer); 2 a usage error, an unreadable file or a policy with problems.";

/// A request both policies are asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Probe {
    /// The `Origin`.
    pub(crate) origin: String,
    /// The method (a preflight's requested one).
    pub(crate) method: String,
    /// The requested headers (preflights only).
    pub(crate) headers: Vec<String>,
    /// Whether the request is credentialed.
    pub(crate) credentials: bool,
    /// An actual request, not a preflight.
    pub(crate) actual: bool,
}

impl fmt::Display for Probe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.actual {
            write!(f, "a {} request from {}", self.method, self.origin)?;
        } else {
            write!(f, "a preflight from {} for {}", self.origin, self.method)?;
            if !self.headers.is_empty() {
                write!(f, " with headers {}", self.headers.join(", "))?;
            }
        }
        f.write_str(if self.credentials {
            ", with credentials"
        } else {
            ", without credentials"
        })
    }
}

/// A policy read for comparison: its answers and its patterns.
pub(crate) struct Side {
    /// How it answers.
    pub(crate) subject: Subject,
    /// Its values, for building requests.
    pub(crate) neutral: Neutral,
}

impl Side {
    /// Reads `text` as `format`: `Err` with its problems.
    pub(crate) fn read(format: Format, text: &str) -> Result<Side, String> {
        let subject = match format.read(text)? {
            Loaded::Policy(policy) => Subject::Policy(policy),
            Loaded::Aws(_, cors) => Subject::Aws(cors),
        };
        let neutral = crate::convert::read(format, text)?;
        Ok(Side { subject, neutral })
    }

    /// What a browser reads from this side's answer to `probe`, comparable
    /// with the other side's.
    fn reading(&self, probe: &Probe) -> BrowserReading {
        let headers: Vec<&str> = probe.headers.iter().map(String::as_str).collect();
        if probe.actual {
            BrowserReading::Actual(self.subject.actual(
                &probe.origin,
                &probe.method,
                probe.credentials,
            ))
        } else {
            BrowserReading::Preflight(self.subject.preflight_answer(
                &probe.origin,
                &probe.method,
                &headers,
                probe.credentials,
            ))
        }
    }
}

/// What a browser concludes from one answer: whether the preflight passes (and
/// for how long), or whether the response is readable and which headers.
#[derive(Debug, Clone, PartialEq, Eq)]
enum BrowserReading {
    Preflight(Preflight),
    Actual(Option<Exposed>),
}

impl fmt::Display for BrowserReading {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BrowserReading::Preflight(Some(None)) => f.write_str("the preflight passes"),
            BrowserReading::Preflight(Some(Some(seconds))) => {
                write!(f, "the preflight passes, cached for {seconds} s")
            }
            BrowserReading::Preflight(None) => f.write_str("the preflight fails"),
            BrowserReading::Actual(None) => f.write_str("the response is not readable"),
            BrowserReading::Actual(Some(Exposed::All)) => {
                f.write_str("the response is readable, every header exposed")
            }
            BrowserReading::Actual(Some(Exposed::Names(names))) if names.is_empty() => {
                f.write_str("the response is readable, no header exposed")
            }
            BrowserReading::Actual(Some(Exposed::Names(names))) => {
                write!(f, "the response is readable, exposing {}", names.join(", "))
            }
        }
    }
}

/// How two policies differ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Difference {
    /// A request they answer differently.
    Request(Probe),
    /// Both are DSL policies and their cross-origin protections differ.
    Protection,
}

/// A port and a label no policy is expected to name, so that a wildcard's
/// candidate is not also some exact origin's.
const FRESH_PORT: u16 = 61_234;
const FRESH_LABEL: &str = "fresh-x";

/// The origins to ask about.
fn origins(a: &Neutral, b: &Neutral) -> Vec<String> {
    let mut out = Vec::new();
    let mut push = |origin: String| {
        if !out.contains(&origin) {
            out.push(origin);
        }
    };
    for rule in a.rules.iter().chain(&b.rules) {
        for origin in &rule.origins {
            match origin {
                Origin::Any => {}
                Origin::Exact(exact) => {
                    push(exact.clone());
                    if let Some((scheme, rest)) = exact.split_once("://") {
                        let other = if scheme == "https" { "http" } else { "https" };
                        push(format!("{other}://{rest}"));
                        if !rest.contains(':') {
                            push(format!("{exact}:8443"));
                        }
                    }
                }
                Origin::AnyPort {
                    scheme,
                    host,
                    subdomains,
                } => {
                    let host = if *subdomains {
                        format!("x.{host}")
                    } else {
                        host.clone()
                    };
                    push(format!("{scheme}://{host}"));
                    push(format!("{scheme}://{host}:8080"));
                    push(format!("{scheme}://{host}:{FRESH_PORT}"));
                }
                Origin::SubdomainsPort { scheme, base, port } => {
                    push(format!("{scheme}://x.{base}:{port}"));
                    push(format!("{scheme}://x.{base}"));
                    push(format!("{scheme}://{base}:{port}"));
                }
                Origin::Subdomains { scheme, base } => {
                    let schemes = match scheme {
                        Some(scheme) => vec![scheme.as_str(), "http"],
                        None => vec!["https", "http", "wss"],
                    };
                    for scheme in schemes {
                        push(format!("{scheme}://x.{base}"));
                        push(format!("{scheme}://x.y.{base}"));
                        push(format!("{scheme}://{FRESH_LABEL}.{base}"));
                        push(format!("{scheme}://{base}"));
                        push(format!("{scheme}://x.{base}:8443"));
                    }
                }
                Origin::AnyWithScheme(scheme) => {
                    push(format!("{scheme}://fresh.invalid"));
                    push(format!("{scheme}://fresh.invalid:8443"));
                }
                Origin::Glob(glob) => {
                    let port = FRESH_PORT.to_string();
                    let label_port = format!("{FRESH_LABEL}:{FRESH_PORT}");
                    for fill in ["x", "x.y", "", "8080", FRESH_LABEL, &port, &label_port] {
                        push(glob.replacen('*', fill, 1));
                    }
                }
            }
        }
    }
    push("https://fresh.invalid".to_owned());
    push("http://fresh.invalid".to_owned());
    out.retain(|origin| is_browser_origin(origin));
    out
}

/// Whether `origin` has the form a browser sends: `scheme://host[:port]`,
/// lowercase, a domain of `a-z 0-9 - _` labels or a bracketed IPv6 address,
/// a decimal port from 1 without leading zeros. Other strings would only
/// tell apart how two readers treat a malformed `Origin`.
fn is_browser_origin(origin: &str) -> bool {
    let Some((scheme, rest)) = origin.split_once("://") else {
        return false;
    };
    let scheme_ok = scheme.starts_with(|c: char| c.is_ascii_lowercase())
        && scheme
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"+-.".contains(&b));
    let (host, port) = match rest.rsplit_once(':') {
        Some((host, port)) if !host.ends_with(':') && !port.contains(']') => (host, Some(port)),
        _ => (rest, None),
    };
    let port_ok = port.is_none_or(|port| {
        port.parse::<u16>()
            .is_ok_and(|n| n != 0 && n.to_string() == port)
    });
    let host_ok = if host.starts_with('[') {
        host.ends_with(']')
    } else {
        !host.is_empty()
            && host.split('.').all(|label| {
                !label.is_empty()
                    && label.bytes().all(|b| {
                        b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_'
                    })
            })
    };
    scheme_ok && port_ok && host_ok
}

/// The methods to ask about.
fn methods(a: &Neutral, b: &Neutral) -> Vec<String> {
    let mut out: Vec<String> = SAFELISTED.iter().map(|m| (*m).to_owned()).collect();
    for rule in a.rules.iter().chain(&b.rules) {
        if let Methods::List(methods) = &rule.methods {
            for method in methods {
                if !out.contains(method) {
                    out.push(method.clone());
                }
            }
        }
    }
    for method in ["OPTIONS", "PUT", "FRESH"] {
        if !out.iter().any(|m| m == method) {
            out.push(method.to_owned());
        }
    }
    out
}

/// The sets of request headers to ask about: none, each alone, each pair,
/// all together.
fn header_sets(a: &Neutral, b: &Neutral) -> Vec<Vec<String>> {
    let mut names: Vec<String> = Vec::new();
    let mut push = |name: String| {
        if !names.contains(&name) {
            names.push(name);
        }
    };
    for rule in a.rules.iter().chain(&b.rules) {
        rule.headers.names.iter().cloned().for_each(&mut push);
        for (prefix, suffix) in &rule.headers.patterns {
            push(format!("{prefix}x{suffix}"));
        }
    }
    push("authorization".to_owned());
    push("x-fresh".to_owned());
    let mut sets = vec![Vec::new()];
    sets.extend(names.iter().map(|name| vec![name.clone()]));
    for (i, first) in names.iter().enumerate() {
        for second in &names[i + 1..] {
            sets.push(vec![first.clone(), second.clone()]);
        }
    }
    if names.len() > 2 {
        sets.push(names);
    }
    sets
}

/// The first request `a` and `b` answer differently, or a protection
/// difference; `None` when they are equivalent.
pub(crate) fn first_difference(a: &Side, b: &Side) -> Option<Difference> {
    let origins = origins(&a.neutral, &b.neutral);
    let methods = methods(&a.neutral, &b.neutral);
    let sets = header_sets(&a.neutral, &b.neutral);
    for credentials in [false, true] {
        for headers in &sets {
            for origin in &origins {
                for method in &methods {
                    let probe = Probe {
                        origin: origin.clone(),
                        method: method.clone(),
                        headers: headers.clone(),
                        credentials,
                        actual: false,
                    };
                    if a.reading(&probe) != b.reading(&probe) {
                        return Some(Difference::Request(probe));
                    }
                }
            }
        }
        for origin in &origins {
            for method in &methods {
                // An actual request a browser would send: safelisted, or
                // after a preflight that passed (on both sides, or the
                // preflight above told them apart).
                let sent = SAFELISTED.contains(&method.as_str())
                    || a.subject.preflight(origin, method, &[], credentials);
                let probe = Probe {
                    origin: origin.clone(),
                    method: method.clone(),
                    headers: Vec::new(),
                    credentials,
                    actual: true,
                };
                if sent && a.reading(&probe) != b.reading(&probe) {
                    return Some(Difference::Request(probe));
                }
            }
        }
    }
    match (&a.neutral.protection, &b.neutral.protection) {
        (Some(x), Some(y)) if x != y => Some(Difference::Protection),
        _ => None,
    }
}

/// Why `side` answers `probe` as it does: the runtime's decision, or what
/// the AWS model checked.
fn explanation(side: &Side, probe: &Probe) -> String {
    match &side.subject {
        Subject::Policy(policy) => {
            let mut headers = HeaderMap::new();
            let value = |text: &str| HeaderValue::from_str(text).ok();
            if let Some(origin) = value(&probe.origin) {
                headers.insert(http::header::ORIGIN, origin);
            }
            let method = if probe.actual {
                Method::from_bytes(probe.method.as_bytes()).unwrap_or(Method::GET)
            } else {
                if let Some(method) = value(&probe.method) {
                    headers.insert(http::header::ACCESS_CONTROL_REQUEST_METHOD, method);
                }
                if let Some(list) =
                    value(&probe.headers.join(",")).filter(|_| !probe.headers.is_empty())
                {
                    headers.insert(http::header::ACCESS_CONTROL_REQUEST_HEADERS, list);
                }
                Method::OPTIONS
            };
            policy.evaluate(&method, &headers).to_string()
        }
        Subject::Aws(cors) => aws_explanation(cors, probe),
    }
}

fn aws_explanation(cors: &AwsCors, probe: &Probe) -> String {
    let origin = &probe.origin;
    if !cors.allow_origins.iter().any(|o| o.matches(origin)) {
        return format!("origin `{origin}` is not allowed");
    }
    if probe.credentials && cors.actual(origin, true).is_none() {
        return if cors.allow_credentials {
            format!("origin `{origin}` is allowed only through `*`, which is never credentialed")
        } else {
            "credentials are not allowed (AllowCredentials is false)".to_owned()
        };
    }
    if !probe.actual {
        if !cors.allow_methods.allows(&probe.method, probe.credentials) {
            return format!("method `{}` is not allowed", probe.method);
        }
        if let Some(header) = probe
            .headers
            .iter()
            .find(|h| !cors.allow_headers.allows(h, probe.credentials))
        {
            return format!("header `{header}` is not allowed");
        }
    }
    format!("origin `{origin}` is allowed")
}

/// Runs `diff`: `Err` is a usage error or an unreadable file (exit 2).
pub(crate) fn run(args: &Diff) -> Result<ExitCode, clap::Error> {
    let mut sides = Vec::new();
    for (path, from) in [(&args.a, args.from_a), (&args.b, args.from_b)] {
        let text = crate::read_text(path)?;
        let (format, text) = crate::resolve(path, from, text)?;
        let side = Side::read(format, &text).map_err(|problems| {
            crate::file_error(format!("{}:\n{problems}", crate::display_name(path)))
        })?;
        sides.push(side);
    }
    let (a, b) = (&sides[0], &sides[1]);
    let (name_a, name_b) = (crate::display_name(&args.a), crate::display_name(&args.b));
    match first_difference(a, b) {
        None => {
            println!("equivalent");
            Ok(ExitCode::SUCCESS)
        }
        Some(Difference::Protection) => {
            println!(
                "different: the cross-origin protection (on or off, or its open paths); every \
                 CORS answer is the same"
            );
            Ok(ExitCode::FAILURE)
        }
        Some(Difference::Request(probe)) => {
            println!("different: {probe}");
            for (name, side) in [(name_a, a), (name_b, b)] {
                println!(
                    "{name}: {} ({})",
                    side.reading(&probe),
                    explanation(side, &probe)
                );
            }
            Ok(ExitCode::FAILURE)
        }
    }
}

#[cfg(test)]
mod tests {

    use proptest::prelude::*;

    use super::{first_difference, Difference, Probe, Side};
    use crate::convert::tests::{
        aws, dsl, policy_spec, s3, RuleSpec, REQUEST_HEADERS, REQUEST_METHODS, REQUEST_ORIGINS,
    };
    use crate::convert::{convert, Outcome};
    use crate::format::Format;

    /// Requests beyond those the convert test asks.
    const MORE_ORIGINS: &[&str] = &[
        "wss://x.example.org",
        "https://x.example.com:8443",
        "https://a.example.com.evil.test",
        "https://xexample.com",
        "http://localhost:80",
    ];

    /// Every text the generators give for `rules`.
    fn texts(rules: &[RuleSpec], protection: bool) -> Vec<(Format, String)> {
        let (json, toml) = dsl(rules, protection);
        let (s3_json, s3_xml) = s3(rules);
        let mut texts = vec![
            (Format::Json, json),
            (Format::Toml, toml),
            (Format::S3Json, s3_json),
            (Format::S3Xml, s3_xml),
        ];
        texts.extend(aws(&rules[0]));
        texts
    }

    fn sides(texts: Vec<(Format, String)>) -> Vec<(Format, String, Side)> {
        texts
            .into_iter()
            .filter_map(|(format, text)| {
                let side = Side::read(format, &text).ok()?;
                Some((format, text, side))
            })
            .collect()
    }

    /// A sampled request the two sides answer differently.
    fn sampled_difference(a: &Side, b: &Side) -> Option<Probe> {
        for origin in REQUEST_ORIGINS.iter().chain(MORE_ORIGINS) {
            for credentials in [false, true] {
                for method in REQUEST_METHODS.iter().chain(&["FOO"]) {
                    for headers in REQUEST_HEADERS {
                        let probe = Probe {
                            origin: (*origin).to_owned(),
                            method: (*method).to_owned(),
                            headers: headers.iter().map(|h| (*h).to_owned()).collect(),
                            credentials,
                            actual: false,
                        };
                        if a.reading(&probe) != b.reading(&probe) {
                            return Some(probe);
                        }
                    }
                    let sent = matches!(*method, "GET" | "HEAD" | "POST")
                        || a.subject.preflight(origin, method, &[], credentials);
                    let probe = Probe {
                        origin: (*origin).to_owned(),
                        method: (*method).to_owned(),
                        headers: Vec::new(),
                        credentials,
                        actual: true,
                    };
                    if sent && a.reading(&probe) != b.reading(&probe) {
                        return Some(probe);
                    }
                }
            }
        }
        None
    }

    fn check(a: &Side, b: &Side, what: &str) -> Result<(), TestCaseError> {
        match first_difference(a, b) {
            Some(Difference::Request(probe)) => {
                prop_assert_ne!(a.reading(&probe), b.reading(&probe), "{}", what);
            }
            Some(Difference::Protection) => {
                let sampled = sampled_difference(a, b);
                prop_assert!(sampled.is_none(), "{}: {:?}", what, sampled);
            }
            None => {
                let sampled = sampled_difference(a, b);
                prop_assert!(sampled.is_none(), "{}: equivalent, but {:?}", what, sampled);
            }
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

        /// Two random policies, and a policy against its conversions: what
        /// `diff` calls equivalent, sampling cannot tell apart, and the
        /// request it names does tell them apart.
        #[test]
        fn diff_agrees_with_sampling(
            (rules_a, protection_a) in policy_spec(),
            (rules_b, protection_b) in policy_spec(),
            pick in any::<proptest::sample::Index>(),
            field in 0..6_usize,
        ) {
            // B is A with one field of its first rule taken from the other
            // random policy (or, for 0, the other policy whole), so that
            // near misses are tried.
            let mut near = rules_a.clone();
            let other = &rules_b[0];
            match field {
                1 => near[0].expose = other.expose.clone(),
                2 => near[0].headers = other.headers.clone(),
                3 => near[0].origins = other.origins.clone(),
                4 => near[0].methods = other.methods.clone(),
                5 => near[0].credentials = other.credentials,
                _ => near = rules_b.clone(),
            }
            let a_sides = sides(texts(&rules_a, protection_a));
            let b_sides = sides(texts(&near, protection_b));
            prop_assume!(!a_sides.is_empty());
            let (format, text, a) = &a_sides[pick.index(a_sides.len())];
            for (_, _, b) in &b_sides {
                check(a, b, text)?;
            }
            for (to, _, _) in &a_sides {
                if let Outcome::Converted(converted, _) = convert(*format, text, *to) {
                    if let Ok(b) = Side::read(*to, &converted) {
                        check(a, &b, &format!("{text}\n{converted}"))?;
                    }
                }
            }
        }
    }
}
