//! The cross-origin protection's verdict on the request `explain` sends, in
//! one line, as the runtime's [`Decision`] gives it: the refusal, or the
//! reason the request passes ([`Decision::pass`]).

use cors_runtime::{Decision, Pass};

use crate::explain::RequestSpec;

/// The protection's verdict on `spec`, whose decision is `decision`:
/// `refused (403): <the refusal>` or `passes (<why>)`.
pub(crate) fn line(spec: &RequestSpec, decision: &Decision<'_>) -> String {
    if let Some(refusal) = decision.refusal() {
        let status = decision.preflight_status().map_or(403, |s| s.as_u16());
        return format!("refused ({status}): {refusal}");
    }
    let Some(pass) = decision.pass() else {
        return String::from("passes");
    };
    match pass {
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
        Pass::SameAuthority => {
            String::from("passes (same-origin: the Origin is the request's Host)")
        }
        Pass::Allowed => match decision.matched_rule() {
            Some(rule) => format!("passes (the policy lets this origin act: {rule})"),
            None => String::from("passes (the policy lets this origin act)"),
        },
        other => format!("passes ({other})"),
    }
}
