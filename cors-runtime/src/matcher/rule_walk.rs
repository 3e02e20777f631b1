//! The rule walk both matchers share: the rules whose origins match are
//! tried in order, and the first that allows the method and every requested
//! header answers.

use crate::answer::decision::Allowed;
use crate::answer::denial::{Denial, RuleRef};
use crate::answer::RuleAnswer;
use crate::front::preflight;
use crate::front::{RequestKind, RequestValue, Requested};

/// One rule, as the walk tries it.
pub(crate) trait WalkedRule {
    /// What the rule answers the requests it allows with.
    fn answer(&self) -> &RuleAnswer;
    /// The rule's `id`, if it has one.
    fn id(&self) -> Option<&str> {
        self.answer().id.as_deref()
    }
    /// Whether the rule allows the (requested) method.
    fn allows_method(&self, method: &str) -> bool;
    /// Whether the rule allows the requested header `name`.
    fn allows_header(&self, name: &[u8]) -> bool;
    /// Whether the header `list` is the rule's own names joined by commas,
    /// the form browsers send (see [`preflight::lists_only`]): then it is
    /// well formed and allowed without a scan. `false` leaves it to the scan.
    fn lists_only_allowed_names(&self, list: &[u8]) -> bool;
}

/// Walks the origin-matching `rules` (index and rule) in order and returns
/// the first that allows the method and every requested header, or the
/// reason the first of them refused. The requested header list is checked
/// and matched in one pass per rule tried.
#[inline]
pub(crate) fn first_allowing<'a, R: WalkedRule + 'a>(
    kind: RequestKind,
    origin: RequestValue<'a>,
    requested: Requested<'a>,
    rules: impl Iterator<Item = (usize, &'a R)>,
) -> Result<Allowed<'a>, Denial<'a>> {
    let mut first_refusal = None;
    for (index, rule) in rules {
        let rule_ref = || RuleRef {
            index,
            id: rule.id(),
        };
        if !rule.allows_method(requested.method) {
            first_refusal.get_or_insert(Denial::MethodNotAllowed {
                rule: rule_ref(),
                method: requested.method,
            });
            continue;
        }
        let mut list = None;
        if let Some(value) = requested.headers {
            // The rule's own names joined by commas need no scan (and name
            // some header).
            let has_names = if rule.lists_only_allowed_names(value.as_bytes()) {
                true
            } else {
                let scanned = preflight::scan(value.as_bytes(), |name| rule.allows_header(name))
                    .map_err(Denial::MalformedPreflight)?;
                if let Some(header) = scanned.refused {
                    first_refusal.get_or_insert(Denial::HeaderNotAllowed {
                        rule: rule_ref(),
                        header: std::str::from_utf8(header).unwrap_or_default(),
                    });
                    continue;
                }
                scanned.has_names
            };
            // Echo the list only when it names some header.
            if has_names {
                list = Some(value);
            }
        }
        return Ok(allowed_by(index, rule, kind, origin, &requested, list));
    }
    Err(first_refusal.unwrap_or(Denial::OriginNotAllowed {
        origin: origin.text(),
    }))
}

/// The request allowed by `rule` (the `index`-th of the policy); `list` is
/// the requested header list when it names at least one header.
#[inline]
pub(crate) fn allowed_by<'a, R: WalkedRule>(
    index: usize,
    rule: &'a R,
    kind: RequestKind,
    origin: RequestValue<'a>,
    requested: &Requested<'a>,
    list: Option<RequestValue<'a>>,
) -> Allowed<'a> {
    Allowed {
        kind,
        index,
        rule: rule.answer(),
        origin,
        method: requested.method,
        method_value: requested.method_value,
        request_headers: list,
    }
}
