//! Feature `tracing`: one event per CORS request, from every adapter.
//! Denials and writes the cross-origin protection refuses at `DEBUG` with
//! why (`Decision`'s `Display`), allowed requests at `TRACE` with the rule. Fields are borrowed and `reason` is formatted only
//! by a subscriber that wants the event: with the level off, nothing is
//! formatted or allocated.

use crate::answer::decision::Decision;
use crate::answer::denial::Denial;
use crate::answer::refusal::{Refusal, RefusalReason};
use crate::front::RequestKind;

/// Emits the event for one decided request (nothing for non-CORS ones).
/// `origin` reads the request's `Origin` header as text, only when the
/// event's level is on; `method` is the request's method.
pub(crate) fn record<'r>(decision: &Decision<'_>, origin: impl FnOnce() -> &'r str, method: &str) {
    if let Some(refusal) = decision.refusal() {
        record_refusal(decision, &refusal, method);
        return;
    }
    let kind = match decision.kind() {
        RequestKind::NotCors => return,
        RequestKind::Preflight => "preflight",
        RequestKind::Actual => "actual",
    };
    let enabled = if decision.is_allowed() {
        tracing::enabled!(target: "cors_runtime", tracing::Level::TRACE)
    } else {
        tracing::enabled!(target: "cors_runtime", tracing::Level::DEBUG)
    };
    if !enabled {
        return;
    }
    let origin = origin();
    if decision.is_allowed() {
        let rule = decision.matched_rule();
        tracing::trace!(
            target: "cors_runtime",
            kind,
            origin,
            method,
            rule_index = rule.map(|r| r.index),
            rule_id = rule.and_then(|r| r.id),
            "CORS request allowed"
        );
    } else {
        // The rule that matched the origin but refused the method or a
        // header, when there was one.
        let rule = match decision.denial() {
            Some(Denial::MethodNotAllowed { rule, .. } | Denial::HeaderNotAllowed { rule, .. }) => {
                Some(rule)
            }
            _ => None,
        };
        tracing::debug!(
            target: "cors_runtime",
            kind,
            origin,
            method,
            reason = %decision,
            rule_index = rule.map(|r| r.index),
            rule_id = rule.and_then(|r| r.id),
            "CORS request denied"
        );
    }
}

/// The event of a write the cross-origin protection refused: at `DEBUG`,
/// like a denial, with the reason.
fn record_refusal(decision: &Decision<'_>, refusal: &Refusal<'_>, method: &str) {
    if !tracing::enabled!(target: "cors_runtime", tracing::Level::DEBUG) {
        return;
    }
    let rule = match refusal.reason {
        RefusalReason::WithoutCredentials { rule, .. }
        | RefusalReason::NotAllowed(Denial::MethodNotAllowed { rule, .. }) => Some(rule),
        _ => None,
    };
    tracing::debug!(
        target: "cors_runtime",
        kind = "write",
        origin = refusal.origin.unwrap_or_default(),
        method,
        reason = %decision,
        rule_index = rule.map(|r| r.index),
        rule_id = rule.and_then(|r| r.id),
        "CORS request refused by the cross-origin protection"
    );
}
