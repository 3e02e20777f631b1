//! The protection table against `Policy::evaluate_request` (and
//! `evaluate_parts`, which must agree): each row's verdict, the refusal's
//! status, its reason and the absence of `Access-Control-*` headers.

use std::collections::BTreeSet;

use cors_tests::assert_no_failures;
use cors_tests::protection_table::{access_control_headers, rows, ProtectionRow, Verdict};
use http::HeaderMap;

/// How `Policy::evaluate_request`'s decision differs from the row.
fn differences(row: &ProtectionRow) -> Vec<String> {
    let name = row.name;
    let request = row.http_request(());
    let decision = row.policy.evaluate_request(&request);
    let shown = decision.to_string();
    let mut failures = Vec::new();
    let (parts, ()) = row.http_request(()).into_parts();
    let from_parts = row.policy.evaluate_parts(&parts);
    if from_parts.to_string() != shown {
        failures.push(format!(
            "{name}: evaluate_parts says `{from_parts}`, evaluate_request `{shown}`"
        ));
    }
    let mut response = HeaderMap::new();
    decision.apply(&mut response);
    match row.expected {
        Verdict::Passes => {
            if decision.is_refused() || decision.refusal().is_some() {
                failures.push(format!("{name}: refused: {shown}"));
            }
            // No row is a preflight: a request that passes reaches the service.
            if let Some(status) = decision.preflight_status() {
                failures.push(format!(
                    "{name}: answered {status} by the middleware: {shown}"
                ));
            }
        }
        Verdict::Refused(why) => {
            if !decision.is_refused() {
                failures.push(format!("{name}: not refused: {shown}"));
            }
            match decision.refusal() {
                Some(refusal) if refusal.to_string() == shown => {}
                Some(refusal) => failures.push(format!(
                    "{name}: the refusal says `{refusal}`, the decision `{shown}`"
                )),
                None => failures.push(format!("{name}: no refusal: {shown}")),
            }
            if decision.preflight_status().map(|s| s.as_u16()) != Some(403) {
                failures.push(format!(
                    "{name}: status {:?}, expected 403",
                    decision.preflight_status()
                ));
            }
            if !shown.contains(why) {
                failures.push(format!("{name}: `{shown}` does not contain `{why}`"));
            }
            if shown.contains('\n') {
                failures.push(format!("{name}: the reason is not one line: {shown:?}"));
            }
            for cors in access_control_headers(&response) {
                failures.push(format!("{name}: a refusal writes `{cors}`"));
            }
        }
    }
    failures
}

#[test]
fn protection_table() {
    let rows = rows();
    assert!(rows.len() >= 100, "the table has {} rows", rows.len());
    let refused = rows
        .iter()
        .filter(|row| matches!(row.expected, Verdict::Refused(_)))
        .count();
    assert!(
        refused >= 25 && rows.len() - refused >= 25,
        "{refused} refused rows of {}",
        rows.len()
    );
    let failures: Vec<String> = rows.iter().flat_map(differences).collect();
    assert_no_failures(&failures);
}

/// Row names are unique, so a failure names one row.
#[test]
fn row_names_are_unique() {
    let rows = rows();
    let names: BTreeSet<&str> = rows.iter().map(|row| row.name).collect();
    assert_eq!(names.len(), rows.len());
}

/// The table covers every rule the README states for cross-origin writes: every method kind and every
/// `Sec-Fetch-Site` shape, each both refused and passed where both exist.
#[test]
fn the_table_covers_methods_and_sec_fetch_site_values() {
    let rows = rows();
    let methods: BTreeSet<&str> = rows.iter().map(|row| row.method).collect();
    for method in [
        "POST", "PUT", "DELETE", "PATCH", "GET", "HEAD", "OPTIONS", "CONNECT", "post",
    ] {
        assert!(methods.contains(method), "no row with {method}");
    }
    let sites = |row: &ProtectionRow| -> Vec<&[u8]> {
        row.request
            .iter()
            .filter(|(name, _)| *name == "sec-fetch-site")
            .map(|(_, value)| *value)
            .collect()
    };
    let shapes: BTreeSet<String> = rows
        .iter()
        .map(|row| match sites(row)[..] {
            [] => "absent".to_owned(),
            [value] => String::from_utf8_lossy(value).into_owned(),
            _ => "repeated".to_owned(),
        })
        .collect();
    for shape in [
        "absent",
        "repeated",
        "same-origin",
        "same-site",
        "cross-site",
        "none",
        "",
        "Same-Origin",
        "same-host",
    ] {
        assert!(
            shapes.contains(shape),
            "no row with Sec-Fetch-Site {shape:?}"
        );
    }
}
