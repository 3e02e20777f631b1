//! The DSL's matcher: a `cors_policy!` policy (static data laid out by the
//! macro) or a run-time DSL policy (the same layout, owned). It parses the
//! origin strictly, finds the candidate rules with one perfect-hash lookup
//! per host suffix, walks them, and answers as DESIGN.md specifies: `204` to
//! an allowed preflight, `Vary` on every preflight answer and `Vary: Origin`
//! on the others unless every rule allows `"*"`.

use std::borrow::Cow;

use http::StatusCode;

use crate::answer::{Answer, Value};
use crate::decision::{Decision, Denial};
use crate::front::{CorsRequest, RequestKind, RequestValue, Requested};
use crate::origin::{OriginEntry, RequestOrigin};
use crate::origin_index::OriginIndex;
use crate::rule::Rule;
use crate::rule_set::RuleSet;
use crate::rule_walk::{first_allowing, WalkedRule};
use crate::vary::VaryOn;

/// The DSL's matcher, laid out in static memory by `cors_policy!`.
#[derive(Debug)]
pub(crate) struct StrictPolicy {
    /// The rules, in order.
    pub(crate) rules: Cow<'static, [Rule]>,
    /// Perfect-hash index from a host (exact patterns) or a base domain
    /// (`*.` patterns), as bytes, to the patterns keyed there.
    pub(crate) origins: OriginIndex,
    /// The rules that allow any origin (`"*"`).
    pub(crate) any_origin: RuleSet,
    /// `true` when every rule allows `"*"`: the answer to an actual request
    /// then never depends on the origin, and no `Vary: Origin` is needed.
    pub(crate) origin_independent: bool,
}

impl StrictPolicy {
    /// The `Vary` of an answer that is not a preflight's.
    pub(crate) fn vary_outside_preflights(&self) -> Option<VaryOn> {
        (!self.origin_independent).then_some(VaryOn::Origin)
    }

    /// Decides a CORS request.
    pub(crate) fn decide<'a>(&'a self, request: CorsRequest<'a>) -> Decision<'a> {
        let kind = request.kind;
        let vary = match kind {
            RequestKind::Preflight => Some(VaryOn::Preflight),
            _ => self.vary_outside_preflights(),
        };
        let parsed = if request.origin_repeated {
            Err(crate::origin::MalformedOrigin::Repeated)
        } else {
            RequestOrigin::parse(request.origin.as_bytes())
        };
        // A malformed origin can still be allowed by a `"*"` rule: such a
        // rule answers `Access-Control-Allow-Origin: *` and echoes nothing.
        let candidates = match &parsed {
            Ok(origin) => self.rules_for_origin(origin),
            Err(_) => self.any_origin,
        };
        if candidates.is_empty() {
            let denial = match parsed {
                // The origin passed the grammar, so it is ASCII.
                Ok(_) => Denial::OriginNotAllowed {
                    origin: request.origin.text(),
                },
                Err(why) => Denial::MalformedOrigin(why),
            };
            return Decision::denied(kind, denial, vary);
        }
        let requested = match request.requested {
            Ok(requested) => requested,
            Err(why) => return Decision::denied(kind, Denial::MalformedPreflight(why), vary),
        };
        let rules = candidates
            .iter()
            .filter_map(|index| Some((index, self.rules.get(index)?)));
        match first_allowing(kind, request.origin, requested, rules) {
            Ok(allowed) => Decision::allowed(kind, allowed, vary),
            Err(denial) => Decision::denied(kind, denial, vary),
        }
    }

    /// The rules whose origin patterns match `origin` (rules allowing `"*"`
    /// included): one perfect-hash lookup for the host, then one per proper
    /// label suffix of the host no longer than the longest `*.` base; the
    /// index skips the hash for a length no key of that kind has.
    pub(crate) fn rules_for_origin(&self, origin: &RequestOrigin<'_>) -> RuleSet {
        let mut rules = self.any_origin;
        if let Some(entries) = self.origins.get_host(origin.host) {
            collect(&mut rules, &self.origins, entries, origin, false);
        }
        let longest_base = self.origins.longest_base();
        if longest_base == 0 || origin.host.first() == Some(&b'[') {
            return rules;
        }
        let host = origin.host;
        // Only bases no longer than the longest `*.` base can match.
        let shortest_start = host.len().saturating_sub(longest_base);
        for (dot, _) in host.iter().enumerate().filter(|(_, b)| **b == b'.') {
            let base = &host[dot + 1..];
            if dot + 1 < shortest_start || base.is_empty() {
                continue;
            }
            if let Some(entries) = self.origins.get_base(base) {
                collect(&mut rules, &self.origins, entries, origin, true);
            }
        }
        rules
    }
}

/// Adds to `rules` the rules of the `entries` that match `origin`, looking
/// only at subdomain patterns when the key was a proper suffix of the host
/// and only at exact ones when it was the host itself.
fn collect(
    rules: &mut RuleSet,
    index: &OriginIndex,
    entries: &[OriginEntry],
    origin: &RequestOrigin<'_>,
    suffix: bool,
) {
    for entry in entries {
        if entry.subdomains == suffix
            && index.scheme(entry).as_bytes() == origin.scheme
            && entry.port.matches(origin.port)
        {
            rules.insert(entry.rule);
        }
    }
}

impl WalkedRule for Rule {
    fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }

    #[inline]
    fn allows_method(&self, method: &str) -> bool {
        self.methods.allows(method)
    }

    #[inline]
    fn allows_header(&self, name: &[u8]) -> bool {
        self.headers.allows(name)
    }

    /// `*` without credentials, else the origin echoed; a preflight gets the
    /// methods (the requested one echoed when any is allowed), the requested
    /// headers echoed and the max-age; an actual request the expose list.
    #[inline]
    fn answer<'a>(
        &'a self,
        kind: RequestKind,
        origin: RequestValue<'a>,
        requested: &Requested<'a>,
        list: Option<RequestValue<'a>>,
    ) -> Answer<'a> {
        let allow_origin = if self.any_origin && !self.credentials {
            Value::Constant("*")
        } else {
            Value::Echo(origin)
        };
        let preflight = kind == RequestKind::Preflight;
        let allow_methods = preflight.then_some(match requested.method_value {
            Some(method) if self.methods.any => Value::Echo(method),
            _ => Value::Policy(&self.allow_methods),
        });
        Answer {
            allow_origin,
            allow_credentials: self.credentials,
            allow_methods,
            allow_headers: if preflight {
                list.map(Value::Echo)
            } else {
                None
            },
            expose_headers: if preflight {
                None
            } else {
                self.expose_headers.as_ref()
            },
            max_age: if preflight {
                self.max_age.as_ref()
            } else {
                None
            },
            preflight_status: StatusCode::NO_CONTENT,
        }
    }
}
