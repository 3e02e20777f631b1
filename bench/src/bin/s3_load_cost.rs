//! Time and peak memory of loading hostile S3 configurations (issue: bounded
//! error reports and document-size limits). One case per process, so that
//! the peak resident size (`VmHWM`) belongs to that case alone:
//!
//! ```text
//! cargo run --release -p cors-bench --bin s3_load_cost -- long-id-empty-methods
//! ```
//!
//! Cases: `long-id-empty-methods` (one rule, a 50,000-character ID and 20,000
//! empty methods, about 130 KB), `empty-rules` (1 MiB of `[{},{},...]`),
//! `wildcard-origins` (1 MiB of `https://aN*` origins), XML documents of one
//! repeated piece (`xml-empty-rules`, `xml-nesting`, `xml-ampersands`,
//! `xml-attributes`, `xml-comments`, 1 MiB), and `-64k` variants of each cut
//! to just under the 64 KB document limit.

use std::time::Instant;

fn long_id_empty_methods(id_len: usize, methods: usize) -> String {
    let methods = vec!["\"\""; methods].join(", ");
    format!(
        "{{\"CORSRules\":[{{\"ID\":\"{}\",\"AllowedOrigins\":[\"*\"],\"AllowedMethods\":[{methods}]}}]}}",
        "i".repeat(id_len)
    )
}

fn empty_rules(budget: usize) -> String {
    let rules = budget.saturating_sub(2) / 3;
    format!("[{}]", vec!["{}"; rules].join(","))
}

fn wildcard_origins(budget: usize) -> String {
    let mut origins = Vec::new();
    let mut len = 80;
    let mut n = 0;
    while len < budget.saturating_sub(32) {
        let origin = format!("\"https://a{n}*\"");
        len += origin.len() + 1;
        origins.push(origin);
        n += 1;
    }
    format!(
        "{{\"CORSRules\":[{{\"AllowedOrigins\":[{}],\"AllowedMethods\":[\"GET\"]}}]}}",
        origins.join(",")
    )
}

/// XML documents of about `budget` bytes made of one repeated piece.
fn xml_case(name: &str, budget: usize) -> Option<String> {
    let (open, piece, close) = match name {
        "xml-empty-rules" => ("<CORSConfiguration>", "<CORSRule/>", "</CORSConfiguration>"),
        "xml-nesting" => ("", "<a>", ""),
        "xml-ampersands" => (
            "<CORSConfiguration><CORSRule><ID>",
            "&",
            "</ID></CORSRule></CORSConfiguration>",
        ),
        "xml-attributes" => ("<CORSConfiguration", " xmlns:a=\"b\"", "/>"),
        "xml-comments" => ("<CORSConfiguration>", "<!---->", "</CORSConfiguration>"),
        _ => return None,
    };
    let count = budget.saturating_sub(open.len() + close.len()) / piece.len();
    Some(format!("{open}{}{close}", piece.repeat(count)))
}

/// The peak resident set size of this process, in KiB (Linux).
fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn main() {
    let case = std::env::args().nth(1).unwrap_or_default();
    let (name, small) = match case.strip_suffix("-64k") {
        Some(name) => (name, true),
        None => (case.as_str(), false),
    };
    let budget = if small { 64 * 1024 - 1 } else { 1 << 20 };
    let input = match name {
        // Just under 64 KiB: a 21,000-character ID and 11,000 empty methods.
        "long-id-empty-methods" if small => long_id_empty_methods(21_000, 11_000),
        "long-id-empty-methods" => long_id_empty_methods(50_000, 20_000),
        "empty-rules" => empty_rules(budget),
        "wildcard-origins" => wildcard_origins(budget),
        other => match xml_case(other, budget) {
            Some(xml) => xml,
            None => {
                eprintln!("usage: s3_load_cost long-id-empty-methods|empty-rules|wildcard-origins|xml-empty-rules|xml-nesting|xml-ampersands|xml-attributes|xml-comments[-64k]");
                std::process::exit(2);
            }
        },
    };
    let before = peak_rss_kib();
    let start = Instant::now();
    let result = if name.starts_with("xml-") {
        cors_runtime::Policy::from_s3_xml(&input)
    } else {
        cors_runtime::Policy::from_s3_json(&input)
    };
    let message = match &result {
        Ok(_) => String::from("accepted"),
        Err(error) => error.to_string(),
    };
    let elapsed = start.elapsed();
    println!(
        "{case}: input {} bytes, {} in {:.3} s, peak RSS {} MiB (before loading {} MiB), message {} bytes: {}",
        input.len(),
        if result.is_ok() { "accepted" } else { "refused" },
        elapsed.as_secs_f64(),
        peak_rss_kib() / 1024,
        before / 1024,
        message.len(),
        message.chars().take(160).collect::<String>()
    );
}
