//! Instructions per `Policy::evaluate` of one preflight with a 4 KB
//! `Access-Control-Request-Headers`, against policies of hostile shapes
//! within the documented limits, for callgrind:
//! `valgrind --tool=callgrind --toggle-collect='shape_cost::evaluate_one'
//! target/release/shape_cost SHAPE CASE` (`bench/shape_instructions.sh`
//! runs every shape and case and prints the ratios to `three_origins`).
//!
//! Every shape answers the same two requests from `https://app.example.com`
//! (`PUT` requested): `allowed` lists 370 header names (`x-hdr-0000` to
//! `x-hdr-0369`, 4,069 bytes) that the policy allows; `denied` lists the
//! same names but the last, replaced by one no rule allows. The shapes:
//!
//! - `three_origins`: one rule, three origins, the 370 names: the yardstick.
//! - `ports`: one rule, the 370 names, and 30,000 ports of the request's
//!   host before the request's own origin (no port).
//! - `schemes`: the same with 20,000 schemes of the request's host.
//! - `rules`: as many rules as 1 MiB holds (about 200), each on the
//!   request's origin and method, each allowing the 370 names but one near
//!   the end of the list (a different one each), the last allowing all: every
//!   rule but the last refuses late in the list.
//! - `methods`: 255 rules of 340 other methods each on the request's
//!   origin, then the 3-origin rule.
//! - `names`: one rule with the 370 names and 60,000 other names.
//! - `patterns`: the 370 names and 32 header patterns no requested name
//!   matches, in 256 rules on the request's origin (each allowing one
//!   pattern and the names but one), then the 3-origin rule.
//! - `pattern_scan`: a rule on the request's origin allowing only 32
//!   patterns, the 28 that sort first matching no requested name, the last
//!   four (`x-hdr-0*` to `x-hdr-3*`) matching them all, then the 3-origin
//!   rule: every name is tried against every pattern.
//! - `s3`: an S3 configuration of 100 rules (S3's limit, in its 64 KB
//!   document limit) on the request's origin and method, each allowing the
//!   names by 37 patterns (`x-hdr-00*` to `x-hdr-36*`) but one, the last
//!   allowing all.
//! - `s3_patterns`: an S3 configuration of one rule at the pattern limit
//!   (64 distinct, `cors_grammar::MAX_S3_HEADER_PATTERNS`): 63 patterns
//!   that share the names' first six bytes and then fail (`x-hdr-z00*` to
//!   `x-hdr-z62*`), then `x-hdr-0*`: every name is tried against every
//!   pattern.

use std::hint::black_box;

use cors_runtime::Policy;
use http::{HeaderMap, HeaderValue, Method};

/// Evaluations per run: divide a collected count by this.
const ROUNDS: usize = 1_000;

/// The request's origin.
const ORIGIN: &str = "https://app.example.com";

/// How many header names the request lists.
const NAMES: usize = 370;

fn name(index: usize) -> String {
    format!("x-hdr-{index:04}")
}

/// The request's names, all allowed by every shape's last rule.
fn allowed_names() -> Vec<String> {
    (0..NAMES).map(name).collect()
}

fn quoted(items: impl IntoIterator<Item = String>) -> String {
    let items: Vec<String> = items
        .into_iter()
        .map(|item| format!("\"{item}\""))
        .collect();
    format!("[{}]", items.join(","))
}

fn rule(origins: &[String], methods: &[String], headers: &[String]) -> String {
    format!(
        r#"{{"allow_origins":{},"allow_methods":{},"allow_headers":{}}}"#,
        quoted(origins.iter().cloned()),
        quoted(methods.iter().cloned()),
        quoted(headers.iter().cloned()),
    )
}

fn three_origins_rule() -> String {
    let origins = [
        ORIGIN.to_owned(),
        "https://admin.example.com".to_owned(),
        "https://example.org".to_owned(),
    ];
    rule(&origins, &["PUT".to_owned()], &allowed_names())
}

/// The policy of a shape, as JSON.
fn policy_json(shape: &str) -> Option<String> {
    let put = ["PUT".to_owned()];
    Some(match shape {
        "three_origins" => three_origins_rule(),
        "ports" => {
            let mut origins: Vec<String> = (1..=30_001)
                .filter(|&port| port != 443)
                .map(|port| format!("{ORIGIN}:{port}"))
                .collect();
            origins.push(ORIGIN.to_owned());
            rule(&origins, &put, &allowed_names())
        }
        "schemes" => {
            let mut origins: Vec<String> = (0..20_000)
                .map(|n| format!("s{n}://app.example.com"))
                .collect();
            origins.push(ORIGIN.to_owned());
            rule(&origins, &put, &allowed_names())
        }
        "rules" => {
            let mut rules = Vec::new();
            let mut size = three_origins_rule().len() + 2;
            for skipped in (0..NAMES - 1).rev() {
                let names: Vec<String> = (0..NAMES).filter(|&n| n != skipped).map(name).collect();
                let next = rule(&[ORIGIN.to_owned()], &put, &names);
                if size + next.len() + 1 > (1 << 20) - 64 || rules.len() == 255 {
                    break;
                }
                size += next.len() + 1;
                rules.push(next);
            }
            rules.push(three_origins_rule());
            format!("[{}]", rules.join(","))
        }
        "methods" => {
            let mut rules: Vec<String> = (0..255)
                .map(|r| {
                    let methods: Vec<String> = (0..340).map(|m| format!("M{r}X{m}")).collect();
                    rule(&[ORIGIN.to_owned()], &methods, &["x-a".to_owned()])
                })
                .collect();
            rules.push(three_origins_rule());
            format!("[{}]", rules.join(","))
        }
        "names" => {
            let mut names = allowed_names();
            names.extend((0..60_000).map(|n| format!("x-other-{n}")));
            rule(&[ORIGIN.to_owned()], &put, &names)
        }
        "patterns" => {
            let mut rules: Vec<String> = (0..256 - 1)
                .map(|r| {
                    let mut names: Vec<String> = (0..NAMES)
                        .filter(|&n| n != NAMES - 2 - r % (NAMES - 2))
                        .map(name)
                        .collect();
                    names.push(format!("x-pattern-{}-*", r % 32));
                    rule(&[ORIGIN.to_owned()], &put, &names)
                })
                .collect();
            rules.push(three_origins_rule());
            let json = format!("[{}]", rules.join(","));
            if json.len() > 1 << 20 {
                // Fewer rules: the document limit comes first.
                let keep = rules.len() * (1 << 20) / json.len() - 2;
                let last = rules.pop()?;
                rules.truncate(keep);
                rules.push(last);
                return Some(format!("[{}]", rules.join(",")));
            }
            json
        }
        "pattern_scan" => {
            let mut patterns: Vec<String> = (0..28).map(|k| format!("a{k:02}-*")).collect();
            patterns.extend((0..4).map(|digit| format!("x-hdr-{digit}*")));
            let first = rule(&[ORIGIN.to_owned()], &put, &patterns);
            format!("[{first},{}]", three_origins_rule())
        }
        "s3" => {
            // 100 rules (S3's limit) in 64 KB (its document limit), each
            // allowing the names by 37 decade patterns but one.
            let rules: Vec<String> = (0..100)
                .map(|r| {
                    let missing = 36 - r % 37;
                    let headers: Vec<String> = (0..37)
                        .filter(|&decade| decade != missing || r == 99)
                        .map(|decade| format!("x-hdr-{decade:02}*"))
                        .collect();
                    format!(
                        r#"{{"AllowedOrigins":["{ORIGIN}"],"AllowedMethods":["PUT"],"AllowedHeaders":{}}}"#,
                        quoted(headers)
                    )
                })
                .collect();
            format!(r#"{{"CORSRules":[{}]}}"#, rules.join(","))
        }
        "s3_patterns" => {
            let mut headers: Vec<String> = (0..63).map(|n| format!("x-hdr-z{n:02}*")).collect();
            headers.push("x-hdr-0*".to_owned());
            format!(
                r#"{{"CORSRules":[{{"AllowedOrigins":["{ORIGIN}"],"AllowedMethods":["PUT"],"AllowedHeaders":{}}}]}}"#,
                quoted(headers)
            )
        }
        _ => return None,
    })
}

fn request(case: &str) -> Option<HeaderMap> {
    let mut names = allowed_names();
    match case {
        "allowed" => {}
        "denied" => {
            names.pop();
            names.push("x-hdr-none".to_owned());
        }
        _ => return None,
    }
    let mut headers = HeaderMap::new();
    headers.insert("origin", HeaderValue::from_static(ORIGIN));
    headers.insert(
        "access-control-request-method",
        HeaderValue::from_static("PUT"),
    );
    headers.insert(
        "access-control-request-headers",
        HeaderValue::from_str(&names.join(",")).ok()?,
    );
    Some(headers)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let usage =
        "usage: shape_cost three_origins|ports|schemes|rules|methods|names|patterns|pattern_scan|s3|s3_patterns allowed|denied";
    let (Some(shape), Some(case)) = (args.next(), args.next()) else {
        eprintln!("{usage}");
        std::process::exit(2);
    };
    let (Some(json), Some(headers)) = (policy_json(&shape), request(&case)) else {
        eprintln!("{usage}");
        std::process::exit(2);
    };
    let loaded = if shape.starts_with("s3") {
        Policy::from_s3_json(&json).map_err(|error| error.to_string())
    } else {
        Policy::from_json(&json).map_err(|error| error.to_string())
    };
    let policy = match loaded {
        Ok(policy) => policy,
        Err(error) => {
            eprintln!(
                "the {shape} policy ({} bytes) is refused: {error}",
                json.len()
            );
            std::process::exit(1);
        }
    };
    let first = policy.evaluate(&Method::OPTIONS, &headers);
    let expected = case == "allowed";
    if first.is_allowed() != expected {
        eprintln!("{shape}/{case}: expected allowed = {expected}, got: {first}");
        std::process::exit(1);
    }
    eprintln!("{shape}: {} bytes of JSON; {case}: {first}", json.len());
    for _ in 0..ROUNDS {
        evaluate_one(&policy, black_box(&headers));
    }
}

/// One evaluation: the function callgrind collects.
#[inline(never)]
fn evaluate_one(policy: &Policy, headers: &HeaderMap) {
    black_box(policy.evaluate(&Method::OPTIONS, headers).is_allowed());
}
