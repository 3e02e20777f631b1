//! The cross-origin protection's verdict on the request `explain` sends, in
//! one line.
//!
//! The verdict is the runtime's: a refusal is [`Decision::refusal`] as the
//! runtime words it. A [`Decision`] says only that a write passes, not why,
//! so the reason is found by asking the same policy about variants of the
//! request (with `Origin: null`, `Sec-Fetch-Site: cross-site`, a path no
//! open path matches), never by judging the request here.

use cors_runtime::{Decision, Policy};
use http::{HeaderValue, Uri};

use crate::explain::RequestSpec;

/// Why the protection lets a request through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pass {
    /// The policy turns the protection off (S3 configurations always do).
    Off,
    /// Not a write: `GET`, `HEAD` or `OPTIONS` that opens no WebSocket.
    NotAWrite,
    /// A write to one of the policy's open paths.
    OpenPath,
    /// `Sec-Fetch-Site` says the request is not cross-origin.
    SecFetchSite,
    /// No `Origin` (and, for a write, no `Sec-Fetch-Site`): not sent by a
    /// browser page.
    NotFromBrowser,
    /// No `Sec-Fetch-Site`, and `Origin` names the request's own host.
    SameHost,
    /// A cross-origin write that the policy lets this origin make.
    Allowed,
}

/// The protection's verdict on `spec`, whose decision is `decision`:
/// `refused (403): <the refusal>` or `passes (<why>)`.
pub(crate) fn line(policy: &Policy, spec: &RequestSpec, decision: &Decision<'_>) -> String {
    if let Some(refusal) = decision.refusal() {
        let status = decision.preflight_status().map_or(403, |s| s.as_u16());
        return format!("refused ({status}): {refusal}");
    }
    match why_it_passes(policy, spec) {
        Pass::Off => String::from("passes (protection off for this policy)"),
        Pass::NotAWrite => String::from(
            "passes (not a write: GET, HEAD and OPTIONS pass unless they open a WebSocket)",
        ),
        Pass::OpenPath => format!(
            "passes ({} is an open path of this policy)",
            spec.uri.path()
        ),
        Pass::SecFetchSite => {
            let site = spec
                .sec_fetch_site
                .as_ref()
                .and_then(|value| value.to_str().ok())
                .unwrap_or_default();
            format!("passes (`{site}` per Sec-Fetch-Site: not a cross-origin request)")
        }
        Pass::NotFromBrowser if spec.sec_fetch_site.is_none() => {
            String::from("passes (no Origin and no Sec-Fetch-Site: not sent by a browser page)")
        }
        Pass::NotFromBrowser => String::from("passes (no Origin: not sent by a browser page)"),
        Pass::SameHost => String::from("passes (same-origin: the Origin is the request's Host)"),
        Pass::Allowed => match decision.matched_rule() {
            Some(rule) => format!("passes (the policy lets this origin act: {rule})"),
            None => String::from("passes (the policy lets this origin act)"),
        },
    }
}

/// Why `spec`, which the protection does not refuse, passes: each step
/// asks the policy about a variant of the request.
fn why_it_passes(policy: &Policy, spec: &RequestSpec) -> Pass {
    if !policy.cross_origin_protection() {
        return Pass::Off;
    }
    let null = HeaderValue::from_static("null");
    let cross_site = HeaderValue::from_static("cross-site");
    // A cross-site write from `null` is refused wherever no open path
    // applies, and a path with `%` is never an open path.
    let from_null = RequestSpec {
        origin: Some(null.clone()),
        sec_fetch_site: Some(cross_site.clone()),
        ..spec.clone()
    };
    let nowhere = RequestSpec {
        uri: Uri::from_static("/%25"),
        ..from_null.clone()
    };
    if !refuses(policy, &nowhere) {
        return Pass::NotAWrite;
    }
    if !refuses(policy, &from_null) {
        return Pass::OpenPath;
    }
    if spec.sec_fetch_site.is_some() {
        // Even `null` passes with this Sec-Fetch-Site: the origin is not
        // judged at all.
        let own_site_from_null = RequestSpec {
            origin: Some(null),
            ..spec.clone()
        };
        if !refuses(policy, &own_site_from_null) {
            return Pass::SecFetchSite;
        }
    }
    if spec.origin.is_none() {
        // A write that gets here has no Sec-Fetch-Site (one saying
        // cross-site without Origin is refused); a WebSocket handshake
        // without Origin passes whatever Sec-Fetch-Site says.
        return Pass::NotFromBrowser;
    }
    if spec.sec_fetch_site.is_some() {
        return Pass::Allowed;
    }
    let declared_cross_site = RequestSpec {
        sec_fetch_site: Some(cross_site),
        ..spec.clone()
    };
    if refuses(policy, &declared_cross_site) {
        Pass::SameHost
    } else {
        Pass::Allowed
    }
}

/// Whether the protection refuses `spec`.
fn refuses(policy: &Policy, spec: &RequestSpec) -> bool {
    policy.evaluate_request(&spec.request()).is_refused()
}
