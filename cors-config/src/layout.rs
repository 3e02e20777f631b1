//! The matcher's layout, computed once from a checked [`PolicyModel`]: what
//! `cors_policy!` writes into statics at expansion time and what the
//! run-time loaders build in memory, so that both produce the same matcher
//! (the same perfect hash, the same rule data, the same flags).

use cors_grammar::rule_index::{RuleIndexLayout, RuleNames};

use crate::model::{OriginPattern, PolicyModel, Port, RuleModel};

/// The words of the runtime's rule set, a bitset over the rules.
const RULE_SET_WORDS: usize = cors_grammar::RULE_SET_WORDS;

/// A policy laid out for the runtime's matcher.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// The rules, in order.
    pub rules: Vec<RuleLayout>,
    /// The perfect-hash origin index.
    pub index: IndexLayout,
    /// The rules that allow any origin, as a bitset.
    pub any_origin: [u64; RULE_SET_WORDS],
    /// Every rule allows `"*"`: the answer never depends on the origin.
    pub origin_independent: bool,
    /// The cross-origin protection.
    pub protection: ProtectionLayout,
    /// Policy-wide indexes of the rules' methods and request headers, so
    /// that a request is matched against every rule at once.
    pub rule_index: RuleIndexLayout,
}

/// A policy's cross-origin protection, laid out for the runtime.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtectionLayout {
    /// `cross_origin_protection`.
    pub enabled: bool,
    /// `open_paths`, in order, as `(path_or_prefix, is_prefix)`: an exact
    /// path, or a `/hooks/*` pattern as the prefix `"/hooks/"`.
    pub open_paths: Vec<(String, bool)>,
}

/// One rule's data, with its response header values already formatted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleLayout {
    /// The rule's id.
    pub id: Option<String>,
    /// `"*"` origin.
    pub any_origin: bool,
    /// `allow_credentials: true`.
    pub credentials: bool,
    /// `"*"` method.
    pub any_method: bool,
    /// The methods, as written.
    pub methods: Vec<String>,
    /// `"*"` request header.
    pub any_header: bool,
    /// Exact request header names, lowercase, sorted by bytes.
    pub headers: Vec<String>,
    /// Request header patterns: `(prefix, suffix)` around one `*`.
    pub header_patterns: Vec<(String, String)>,
    /// `Access-Control-Allow-Methods`: the methods joined by `", "`, or `*`.
    pub allow_methods: String,
    /// `Access-Control-Expose-Headers`, when the rule exposes any.
    pub expose_headers: Option<String>,
    /// `Access-Control-Max-Age`, when set.
    pub max_age: Option<String>,
}

/// The origin index, flat: `phf_generator`'s PtrHash state, and per slot
/// (in the order the hash maps to) the ranges of its key in `hosts` and of its
/// patterns in `entries`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexLayout {
    /// The hash seed.
    pub seed: u64,
    /// One pilot per bucket.
    pub pilots: Vec<u8>,
    /// Where the slots past the last key's slot lead (PtrHash's remap).
    pub remap: Vec<u32>,
    /// The slots, in the order the hash maps to.
    pub slots: Vec<SlotLayout>,
    /// Every key's bytes (a host, or the base of `*.` patterns), end to end.
    pub hosts: Vec<u8>,
    /// Every pattern's entry, slot after slot.
    pub entries: Vec<EntryLayout>,
    /// The schemes entries name by index.
    pub schemes: Vec<String>,
}

/// Where one slot's key and patterns lie.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlotLayout {
    /// `hosts[host.0..host.1]`.
    pub host: (u32, u32),
    /// `entries[entries.0..entries.1]`.
    pub entries: (u32, u32),
}

/// One origin pattern's entry in the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntryLayout {
    /// The scheme, as an index into [`IndexLayout::schemes`].
    pub scheme: u16,
    /// The port.
    pub port: Port,
    /// A `*.` pattern: the key is its base.
    pub subdomains: bool,
    /// The rule it belongs to.
    pub rule: u16,
}

/// Lays a checked policy out for the matcher.
pub fn layout(model: &PolicyModel) -> Layout {
    let mut any_origin = [0u64; RULE_SET_WORDS];
    for (index, rule) in model.rules.iter().enumerate() {
        if rule.any_origin {
            cors_grammar::insert_rule(&mut any_origin, index);
        }
    }
    let mut rules = Vec::with_capacity(model.rules.len());
    for rule in &model.rules {
        rules.push(rule_layout(rule));
    }
    let mut open_paths = Vec::with_capacity(model.open_paths.len());
    for path in &model.open_paths {
        open_paths.push(crate::open_path::layout(path));
    }
    Layout {
        rules,
        index: index_layout(model),
        any_origin,
        origin_independent: model.rules.iter().all(|rule| rule.any_origin),
        protection: ProtectionLayout {
            enabled: model.cross_origin_protection,
            open_paths,
        },
        rule_index: rule_index_layout(model),
    }
}

/// The policy-wide method and header indexes of the model's rules.
fn rule_index_layout(model: &PolicyModel) -> RuleIndexLayout {
    cors_grammar::rule_index::layout(model.rules.iter().map(|rule| RuleNames {
        any_method: rule.any_method,
        methods: &rule.methods,
        any_header: rule.any_header,
        headers: &rule.headers,
        header_patterns: &rule.header_patterns,
    }))
}

fn rule_layout(rule: &RuleModel) -> RuleLayout {
    RuleLayout {
        id: rule.id.clone(),
        any_origin: rule.any_origin,
        credentials: rule.credentials,
        any_method: rule.any_method,
        methods: rule.methods.clone(),
        any_header: rule.any_header,
        headers: {
            let mut headers = rule.headers.clone();
            sort_names(&mut headers, false);
            headers
        },
        header_patterns: rule.header_patterns.clone(),
        allow_methods: if rule.any_method {
            "*".to_owned()
        } else {
            rule.methods.join(", ")
        },
        expose_headers: (!rule.expose_headers.is_empty()).then(|| rule.expose_headers.join(", ")),
        max_age: rule.max_age.map(|seconds| seconds.to_string()),
    }
}

/// Sorts `names` by bytes, in place, each comparison a counted step when
/// `counted` (equal names are equal strings, so an unstable sort gives the
/// one order).
pub(crate) fn sort_names<T: Ord>(names: &mut [T], counted: bool) {
    names.sort_unstable_by(|a, b| {
        if counted {
            cors_grammar::work::step();
        }
        a.cmp(b)
    });
}

/// The perfect-hash map from host (or `*.` base) to the patterns keyed there.
///
/// Schemes are numbered in byte order, and each key's entries are sorted by
/// [`entry_order`] (kind, scheme, port, rule), so that the matcher can
/// binary-search a key that holds many patterns (thousands of ports or
/// schemes on one host) instead of scanning them.
fn index_layout(model: &PolicyModel) -> IndexLayout {
    // Sorted and without repeats: a scheme's number is its position.
    let mut scheme_names: Vec<&str> = Vec::new();
    for rule in &model.rules {
        for pattern in &rule.origins {
            scheme_names.push(&pattern.scheme);
        }
    }
    sort_names(&mut scheme_names, false);
    scheme_names.dedup();
    let schemes: Vec<String> = scheme_names.iter().map(|name| (*name).to_owned()).collect();
    // Every pattern's key and entry, sorted by key, then by `entry_order`
    // (which tells every two different entries apart).
    let mut patterns: Vec<(&str, EntryLayout)> = Vec::new();
    for (index, rule) in model.rules.iter().enumerate() {
        for pattern in &rule.origins {
            let scheme = schemes
                .binary_search(&pattern.scheme)
                .unwrap_or(usize::from(u16::MAX));
            patterns.push((pattern.host.as_str(), entry(pattern, scheme, index)));
        }
    }
    patterns.sort_unstable_by(|(a, a_entry), (b, b_entry)| {
        a.cmp(b)
            .then_with(|| entry_order(a_entry).cmp(&entry_order(b_entry)))
    });
    let mut layout = IndexLayout {
        seed: 0,
        pilots: Vec::new(),
        remap: Vec::new(),
        slots: Vec::new(),
        hosts: Vec::new(),
        entries: Vec::new(),
        schemes,
    };
    if patterns.is_empty() {
        return layout;
    }
    // One group per key, in key order.
    let mut keys: Vec<&[u8]> = Vec::new();
    let mut grouped: Vec<&[(&str, EntryLayout)]> = Vec::new();
    for group in patterns.chunk_by(|(a, _), (b, _)| a == b) {
        keys.push(group[0].0.as_bytes());
        grouped.push(group);
    }
    let state = phf_generator::ptrhash::generate_hash(&keys);
    layout.seed = state.seed;
    layout.pilots = state.pilots;
    layout.remap = state.remap;
    for &slot in &state.map {
        let (Some(host), Some(entries)) = (keys.get(slot), grouped.get(slot)) else {
            continue;
        };
        let host_start = offset(layout.hosts.len());
        layout.hosts.extend_from_slice(host);
        let entries_start = offset(layout.entries.len());
        for (_, entry) in *entries {
            layout.entries.push(*entry);
        }
        layout.slots.push(SlotLayout {
            host: (host_start, offset(layout.hosts.len())),
            entries: (entries_start, offset(layout.entries.len())),
        });
    }
    layout
}

/// An offset into the index's arrays: a policy's hosts fit in `u32` (at most
/// 256 rules of checked origins, each host at most 254 bytes, in a source or
/// document far below 4 GB).
fn offset(len: usize) -> u32 {
    u32::try_from(len).unwrap_or(u32::MAX)
}

/// The order of a key's entries: `*.` patterns after exact ones, then by
/// scheme number (byte order of the schemes), then by port (absent, `:*`,
/// then exact ports ascending), then by rule.
fn entry_order(entry: &EntryLayout) -> (bool, u16, u8, u16, u16) {
    let (port_kind, port) = match entry.port {
        Port::Absent => (0, 0),
        Port::Any => (1, 0),
        Port::Exact(port) => (2, port),
    };
    (entry.subdomains, entry.scheme, port_kind, port, entry.rule)
}

fn entry(pattern: &OriginPattern, scheme: usize, rule: usize) -> EntryLayout {
    EntryLayout {
        scheme: u16::try_from(scheme).unwrap_or(u16::MAX),
        port: pattern.port,
        subdomains: pattern.subdomains,
        // At most 256 rules (checked), so the index fits.
        rule: u16::try_from(rule).unwrap_or(u16::MAX),
    }
}
