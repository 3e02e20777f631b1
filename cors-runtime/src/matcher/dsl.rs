//! The DSL's matcher: a `cors_policy!` policy (static data laid out by the
//! macro) or a run-time DSL policy (the same layout, owned). It holds the
//! origin to the strict grammar (proven by a checked key of the index, or
//! parsed in full), finds the candidate rules with one origin-index lookup
//! for the host and one per `*.` base length, walks them, and answers as
//! the README's response table says: `204` to an allowed preflight, `Vary` on every
//! preflight answer and `Vary: Origin` on the others unless every rule
//! allows `"*"`.

use std::borrow::Cow;

use crate::answer::decision::Decision;
use crate::answer::denial::Denial;
use crate::answer::refusal::Pass;
use crate::answer::vary::VaryOn;
use crate::answer::RuleAnswer;
use crate::front::origin::{
    is_domain, is_subdomain_labels, port_value, MalformedOrigin, OriginEntry, PortPattern,
    RequestOrigin,
};
use crate::front::{preflight, CorsRequest, RequestKind, Requested};
use crate::matcher::origin_index::OriginIndex;
use crate::matcher::protection_settings::Protection;
use crate::matcher::rule::{short_eq, Rule};
use crate::matcher::rule_index::RuleIndex;
use crate::matcher::rule_set::RuleSet;
use crate::matcher::rule_walk::WalkedRule;
use cors_grammar::MAX_HOST_LEN;

/// The DSL's matcher, laid out in static memory by `cors_policy!`.
#[derive(Debug)]
pub(crate) struct DslMatcher {
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
    /// The cross-origin protection: on unless the policy turns it off.
    pub(crate) protection: Protection,
    /// Which rules allow which methods and request headers: a request whose
    /// origin several rules match is matched against all of them at once.
    pub(crate) rule_index: RuleIndex,
}

impl DslMatcher {
    /// The `Vary` of an answer that is not a preflight's.
    pub(crate) fn vary_outside_preflights(&self) -> Option<VaryOn> {
        (!self.origin_independent).then_some(VaryOn::Origin)
    }

    /// Decides a CORS request; `pass` is what the cross-origin protection
    /// already said about it ([`Pass::Off`] when it has not judged it), set
    /// in the decision as it is built (the decision is then returned in
    /// place, not copied).
    pub(crate) fn decide<'a>(&'a self, request: CorsRequest<'a>, pass: Pass) -> Decision<'a> {
        let kind = request.kind;
        let vary = match kind {
            RequestKind::Preflight => Some(VaryOn::Preflight),
            _ => self.vary_outside_preflights(),
        };
        // Two `Origin` headers name no one origin: denied under every rule,
        // `"*"` included, as S3's matcher and the protection do.
        if request.origin_repeated {
            let denial = Denial::MalformedOrigin(MalformedOrigin::Repeated);
            return Decision::denied(kind, denial, vary, pass);
        }
        let matched = self.match_origin(request.origin.as_bytes());
        // A malformed origin can still be allowed by a `"*"` rule: such a
        // rule answers `Access-Control-Allow-Origin: *` and echoes nothing.
        let candidates = match matched {
            Ok(rules) => rules,
            Err(_) => self.any_origin,
        };
        if candidates.is_empty() {
            return match matched {
                Ok(_) => Decision::origin_not_allowed(kind, request.origin, vary, pass),
                Err(why) => Decision::denied(kind, Denial::MalformedOrigin(why), vary, pass),
            };
        }
        // Only a preflight carries `Access-Control-Request-*` for this
        // matcher (the front end leaves them out of actual requests).
        let requested = if kind == RequestKind::Preflight {
            match request.requested() {
                Ok(requested) => requested,
                Err(why) => {
                    let denial = Denial::MalformedPreflight(why);
                    return Decision::denied(kind, denial, vary, pass);
                }
            }
        } else {
            Requested {
                method: request.method,
                method_value: None,
                headers: None,
            }
        };
        self.rule_index.choose(
            &self.rules,
            kind,
            request.origin,
            requested,
            candidates,
            |walked| match walked {
                Ok(allowed) => Decision::allowed(kind, allowed, vary, pass),
                Err(denial) => Decision::denied(kind, denial, vary, pass),
            },
        )
    }

    /// The rules whose origin patterns match the `Origin` value (rules
    /// allowing `"*"` included), or why the value is malformed.
    ///
    /// An origin of the common shape (`https://host[:port]`) is looked up
    /// before its host's bytes are checked: a host equal to a key of the
    /// index, or whose labels before a `*.` base key are valid labels, is
    /// valid, because every key passed the policy's checks. An allowed
    /// origin's host is then read by the hash and the key comparison alone;
    /// only an origin that matches no key is checked in full, to tell a
    /// malformed origin from one that is not allowed.
    pub(crate) fn match_origin(&self, value: &[u8]) -> Result<RuleSet, MalformedOrigin> {
        let split = RequestOrigin::split_unchecked(value);
        if let Some(origin) = &split {
            match self.rules_for_host(origin, false) {
                Found::Valid(rules) => return Ok(rules),
                // Every lookup has missed: only `"*"` rules match, if the
                // host is valid (the scheme and port are).
                Found::NoKey if is_domain(origin.host) => return Ok(self.any_origin),
                Found::NoKey | Found::Unsure => {}
            }
        }
        let origin = RequestOrigin::parse(value)?;
        match self.rules_for_host(&origin, true) {
            Found::Valid(rules) => Ok(rules),
            // Not reached: a checked host is valid.
            Found::NoKey | Found::Unsure => Ok(self.any_origin),
        }
    }

    /// The rules whose origin patterns match `origin` (rules allowing `"*"`
    /// included): one origin-index lookup for the host (skipped when no
    /// exact pattern's host has its length), then one per proper label
    /// suffix of the host whose length some `*.` base has.
    /// `host_checked` says whether the parser has checked the host; if not,
    /// a key found proves it valid, and no key leaves it unknown.
    // Inlined into both callers: the common one then builds its rule set
    // in place instead of returning it through memory.
    #[inline(always)]
    fn rules_for_host(&self, origin: &RequestOrigin<'_>, host_checked: bool) -> Found {
        let mut rules = self.any_origin;
        let mut valid = host_checked;
        let host = origin.host;
        if let Some(entries) = self.origins.get_host(host) {
            valid = true;
            collect(&mut rules, &self.origins, entries, origin, false);
        }
        if self.origins.has_bases() && host.first() != Some(&b'[') {
            // A `*.` base is a proper label suffix of the host: for each
            // length some base has, the suffix of that length after a dot.
            for len in self.origins.base_lengths_below(host.len()) {
                let dot = host.len() - len - 1;
                if host.get(dot) != Some(&b'.') {
                    continue;
                }
                let Some(entries) = self.origins.get_base(&host[dot + 1..]) else {
                    continue;
                };
                if !valid {
                    // The base is a checked key: the labels before it decide,
                    // as the parser would.
                    if host.len() > MAX_HOST_LEN + 1 || !is_subdomain_labels(&host[..dot]) {
                        return Found::Unsure;
                    }
                    valid = true;
                }
                collect(&mut rules, &self.origins, entries, origin, true);
            }
        }
        if valid {
            Found::Valid(rules)
        } else {
            Found::NoKey
        }
    }
}

/// What [`DslMatcher::rules_for_host`] found.
enum Found {
    /// The host is valid (checked, or proven by a key), and these rules match.
    Valid(RuleSet),
    /// No key matched an unchecked host: only `"*"` rules can match, once the
    /// parser has checked the origin.
    NoKey,
    /// A `*.` base matched but the labels before it are not valid: the
    /// parser decides.
    Unsure,
}

/// Adds to `rules` the rules of the `entries` that match `origin`, looking
/// only at subdomain patterns when the key was a proper suffix of the host
/// and only at exact ones when it was the host itself.
///
/// A key's entries are sorted by kind, scheme, port and rule (see
/// `cors_config::__private::layout`): a key holding many patterns (thousands of ports
/// or schemes of one host) is binary-searched, a few are scanned.
#[inline]
fn collect(
    rules: &mut RuleSet,
    index: &OriginIndex,
    entries: &[OriginEntry],
    origin: &RequestOrigin<'_>,
    suffix: bool,
) {
    if entries.len() <= SCANNED_ENTRIES {
        collect_by_scan(rules, index, entries, origin, suffix);
    } else {
        collect_by_search(rules, index, entries, origin, suffix);
    }
}

/// Up to this many entries under one key, [`collect`] scans them.
const SCANNED_ENTRIES: usize = 8;

/// [`collect`] by looking at every entry.
#[inline]
fn collect_by_scan(
    rules: &mut RuleSet,
    index: &OriginIndex,
    entries: &[OriginEntry],
    origin: &RequestOrigin<'_>,
    suffix: bool,
) {
    // The origin's port read once, not per entry.
    let port = origin.port.map(port_value);
    for entry in entries {
        if entry.subdomains == suffix
            && short_eq(index.scheme(entry).as_bytes(), origin.scheme)
            && entry.port.matches(port)
        {
            rules.insert(entry.rule);
        }
    }
}

/// [`collect`] over sorted entries: the run of the origin's kind and scheme,
/// then within it the patterns without a port (if the origin has none),
/// with `:*`, and with the origin's port. Logarithmic in the entries, plus
/// the entries that match.
#[inline(never)]
fn collect_by_search(
    rules: &mut RuleSet,
    index: &OriginIndex,
    entries: &[OriginEntry],
    origin: &RequestOrigin<'_>,
    suffix: bool,
) {
    let target = (suffix, origin.scheme);
    let start = entries
        .partition_point(|entry| (entry.subdomains, index.scheme(entry).as_bytes()) < target);
    let run = entries.get(start..).unwrap_or_default();
    let end =
        run.partition_point(|entry| (entry.subdomains, index.scheme(entry).as_bytes()) == target);
    let run = run.get(..end).unwrap_or_default();
    let wanted_port = origin.port.map(port_value);
    // Within the run: no port, then `:*`, then exact ports ascending.
    let mut insert_rank = |rank: (u8, u16)| {
        let from = run.partition_point(|entry| port_rank(entry.port) < rank);
        for entry in run.get(from..).unwrap_or_default() {
            if port_rank(entry.port) != rank {
                break;
            }
            rules.insert(entry.rule);
        }
    };
    match wanted_port {
        None => insert_rank((0, 0)),
        // A malformed port matches only `:*` (never reached: the origin's
        // port was checked).
        Some(None) => {}
        Some(Some(port)) => insert_rank((2, port)),
    }
    insert_rank((1, 0));
}

/// Where a port pattern sorts among a key's entries of one scheme.
fn port_rank(port: PortPattern) -> (u8, u16) {
    match port {
        PortPattern::Absent => (0, 0),
        PortPattern::Any => (1, 0),
        PortPattern::Exact(port) => (2, port),
    }
}

impl WalkedRule for Rule {
    #[inline]
    fn answer(&self) -> &RuleAnswer {
        &self.answer
    }

    #[inline]
    fn allows_method(&self, method: &str) -> bool {
        self.methods.allows(method)
    }

    #[inline]
    fn allows_header(&self, name: &[u8]) -> bool {
        self.headers.allows(name)
    }

    /// The exact names only (lowercase, as browsers send them); a list
    /// that needs `"*"`, a pattern or a case-insensitive match is scanned.
    #[inline]
    fn lists_only_allowed_names(&self, list: &[u8]) -> bool {
        preflight::lists_only(list, &self.headers.names)
    }
}

#[cfg(all(test, feature = "json", feature = "toml", feature = "env"))]
impl DslMatcher {
    /// What [`DslMatcher::match_origin`] must return, the long way: the
    /// full parse first, then every lookup over the checked host.
    pub(crate) fn match_origin_by_parse(&self, value: &[u8]) -> Result<RuleSet, MalformedOrigin> {
        let origin = RequestOrigin::parse(value)?;
        match self.rules_for_host(&origin, true) {
            Found::Valid(rules) => Ok(rules),
            Found::NoKey | Found::Unsure => panic!("a checked host is valid"),
        }
    }
}
