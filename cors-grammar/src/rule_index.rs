//! The policy-wide index of which rules allow which methods and request
//! headers, as both layouts (the DSL's in `cors-config`, S3's in `cors-s3`)
//! compute it and the runtime's matcher reads it: a request that several
//! rules' origins match is matched against all of them at once, reading its
//! header list once, so that its cost does not grow with the number of
//! rules, names or patterns.

use alloc::borrow::ToOwned;
use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use crate::RULE_SET_WORDS;

/// What one rule allows of methods and request headers, for [`layout`].
#[derive(Debug, Clone, Copy)]
pub struct RuleNames<'a> {
    /// The rule allows any method (`"*"`).
    pub any_method: bool,
    /// The methods, as written (compared byte for byte).
    pub methods: &'a [String],
    /// The rule allows any request header (`"*"`).
    pub any_header: bool,
    /// Exact request header names, lowercase.
    pub headers: &'a [String],
    /// Request header patterns, lowercase: `(prefix, suffix)` around one `*`.
    pub header_patterns: &'a [(String, String)],
}

/// A bitset over the rules.
pub type RuleBits = [u64; RULE_SET_WORDS];

/// Which rules allow which methods and request headers, policy-wide: one
/// lookup per requested method or header name answers for every rule, so
/// the cost of a request does not grow with the number of rules.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RuleIndexLayout {
    /// The rules that allow any method (`"*"`).
    pub any_method: RuleBits,
    /// Every method some rule names, sorted by bytes (methods are
    /// case-sensitive), with the rules naming it.
    pub methods: Vec<(String, RuleBits)>,
    /// The rules that allow any request header (`"*"`).
    pub any_header: RuleBits,
    /// Every exact request header name some rule names, lowercase, sorted by
    /// bytes, with the rules naming it.
    pub headers: Vec<(String, RuleBits)>,
    /// Every distinct header pattern (`(prefix, suffix)` around one `*`),
    /// with the rules naming it.
    pub header_patterns: Vec<((String, String), RuleBits)>,
    /// A trie of the patterns' prefixes: a name's bytes walk it once to
    /// find every pattern whose prefix starts the name.
    pub pattern_prefixes: TrieLayout,
    /// A trie of the patterns' suffixes, read backwards: a name's bytes,
    /// last first, walk it once to find every pattern whose suffix ends it.
    pub pattern_suffixes: TrieLayout,
}

/// How many keys a [`TrieLayout`] holds: a node's keys are one `u64`.
pub const TRIE_KEYS: usize = 64;

/// A byte trie over at most [`TRIE_KEYS`] keys, flat: node 0 is the root; each node
/// holds the range of its edges in `edges` and the keys (a bitset of their
/// indexes) that end there; each edge a byte and the node it leads to.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TrieLayout {
    /// `(edges.0..edges.1, keys ending here)`, root first.
    pub nodes: Vec<((u32, u32), u64)>,
    /// `(byte, child node)`, each node's edges together, sorted by byte.
    pub edges: Vec<(u8, u32)>,
}

impl TrieLayout {
    /// The trie of `keys` (key `i` sets bit `i`; keys past [`TRIE_KEYS`]
    /// are left out: the checkers refuse policies that list more).
    pub fn of<'k>(keys: impl IntoIterator<Item = &'k [u8]>) -> TrieLayout {
        // Children by byte, and the keys ending at each node.
        let mut children: Vec<BTreeMap<u8, usize>> = vec![BTreeMap::new()];
        let mut ends: Vec<u64> = vec![0];
        for (index, key) in keys.into_iter().take(TRIE_KEYS).enumerate() {
            let mut node = 0;
            for &byte in key {
                let next = children.len();
                let child = *children[node].entry(byte).or_insert(next);
                if child == next {
                    children.push(BTreeMap::new());
                    ends.push(0);
                }
                node = child;
            }
            ends[node] |= 1 << index;
        }
        let mut trie = TrieLayout::default();
        for (node_children, node_ends) in children.iter().zip(ends) {
            let start = offset(trie.edges.len());
            trie.edges.extend(
                node_children
                    .iter()
                    .map(|(byte, child)| (*byte, offset(*child))),
            );
            trie.nodes
                .push(((start, offset(trie.edges.len())), node_ends));
        }
        trie
    }
}

/// The policy-wide method and header indexes of `rules` (in order: the
/// first is rule 0): one pass over every rule's names, each inserted into
/// a sorted map (`O(n log n)` in the names).
pub fn layout<'a>(rules: impl IntoIterator<Item = RuleNames<'a>>) -> RuleIndexLayout {
    let mut index = RuleIndexLayout::default();
    let mut methods: BTreeMap<&str, RuleBits> = BTreeMap::new();
    let mut headers: BTreeMap<&str, RuleBits> = BTreeMap::new();
    let mut patterns: BTreeMap<(&str, &str), RuleBits> = BTreeMap::new();
    for (rule_index, rule) in rules.into_iter().enumerate() {
        let insert = |bits: &mut RuleBits| crate::insert_rule(bits, rule_index);
        if rule.any_method {
            insert(&mut index.any_method);
        }
        for method in rule.methods {
            insert(methods.entry(method.as_str()).or_default());
        }
        if rule.any_header {
            insert(&mut index.any_header);
        }
        for header in rule.headers {
            insert(headers.entry(header.as_str()).or_default());
        }
        for (prefix, suffix) in rule.header_patterns {
            insert(
                patterns
                    .entry((prefix.as_str(), suffix.as_str()))
                    .or_default(),
            );
        }
    }
    let owned = |(name, bits): (&str, RuleBits)| (name.to_owned(), bits);
    index.methods = methods.into_iter().map(owned).collect();
    index.headers = headers.into_iter().map(owned).collect();
    index.header_patterns = patterns
        .into_iter()
        .map(|((prefix, suffix), bits)| ((prefix.to_owned(), suffix.to_owned()), bits))
        .collect();
    index.pattern_prefixes = TrieLayout::of(
        index
            .header_patterns
            .iter()
            .map(|((prefix, _), _)| prefix.as_bytes()),
    );
    let reversed: Vec<Vec<u8>> = index
        .header_patterns
        .iter()
        .map(|((_, suffix), _)| suffix.bytes().rev().collect())
        .collect();
    index.pattern_suffixes = TrieLayout::of(reversed.iter().map(Vec::as_slice));
    index
}

/// An offset into a trie's arrays (a policy's patterns are far below 4 GB).
fn offset(len: usize) -> u32 {
    u32::try_from(len).unwrap_or(u32::MAX)
}
