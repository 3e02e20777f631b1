//! The policy-wide index of which rules allow which methods and request
//! headers, as both layouts (the DSL's in `cors-config`, S3's in `cors-s3`)
//! compute it and the runtime's matcher reads it: a request that several
//! rules' origins match is matched against all of them at once, reading its
//! header list once, so that its cost does not grow with the number of
//! rules, names or patterns.

#[cfg(feature = "std")]
use alloc::borrow::ToOwned;
use alloc::string::String;
#[cfg(feature = "std")]
use alloc::vec;
use alloc::vec::Vec;

use crate::RULE_SET_WORDS;

/// What one rule allows of methods and request headers, for `layout` (with
/// the `std` feature).
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

// The builders below are compiled only with `std`, the feature of the
// loaders that lay policies out (`cors-config`, `cors-s3`): the matcher only
// reads their layouts, so a build of the runtime alone compiles none of them.
#[cfg(feature = "std")]
impl TrieLayout {
    /// The trie of `keys` (key `i` sets bit `i`; keys past [`TRIE_KEYS`]
    /// are left out: the checkers refuse policies that list more).
    pub fn of<'k>(keys: impl IntoIterator<Item = &'k [u8]>) -> TrieLayout {
        TrieLayout::of_keys(&keys.into_iter().take(TRIE_KEYS).collect::<Vec<_>>())
    }

    /// [`TrieLayout::of`] on a slice (not generic: compiled once, here).
    fn of_keys(keys: &[&[u8]]) -> TrieLayout {
        // Each node's children, `(byte, node)` sorted by byte, and the keys
        // ending at each node.
        let mut children: Vec<Vec<(u8, usize)>> = vec![Vec::new()];
        let mut ends: Vec<u64> = vec![0];
        for (index, key) in keys.iter().take(TRIE_KEYS).enumerate() {
            let mut node = 0;
            for &byte in *key {
                let next = children.len();
                node = match children[node].binary_search_by_key(&byte, |&(byte, _)| byte) {
                    Ok(found) => children[node][found].1,
                    Err(at) => {
                        children[node].insert(at, (byte, next));
                        children.push(Vec::new());
                        ends.push(0);
                        next
                    }
                };
            }
            ends[node] |= 1 << index;
        }
        let mut trie = TrieLayout::default();
        for (node_children, node_ends) in children.iter().zip(ends) {
            let start = offset(trie.edges.len());
            for &(byte, child) in node_children {
                trie.edges.push((byte, offset(child)));
            }
            trie.nodes
                .push(((start, offset(trie.edges.len())), node_ends));
        }
        trie
    }
}

/// The policy-wide method and header indexes of `rules` (in order: the
/// first is rule 0): one pass over every rule's names, then one sort of
/// them (`O(n log n)` in the names).
#[cfg(feature = "std")]
pub fn layout<'a>(rules: impl IntoIterator<Item = RuleNames<'a>>) -> RuleIndexLayout {
    layout_of(&rules.into_iter().collect::<Vec<_>>())
}

/// [`layout`] on a slice (not generic: compiled once, here).
#[cfg(feature = "std")]
fn layout_of(rules: &[RuleNames<'_>]) -> RuleIndexLayout {
    let mut index = RuleIndexLayout::default();
    // `(name, "", rule)` for methods and header names, `(prefix, suffix,
    // rule)` for patterns: one element type, so one sort.
    let mut methods: Vec<(&str, &str, usize)> = Vec::new();
    let mut headers: Vec<(&str, &str, usize)> = Vec::new();
    let mut patterns: Vec<(&str, &str, usize)> = Vec::new();
    for (rule_index, rule) in rules.iter().enumerate() {
        if rule.any_method {
            crate::insert_rule(&mut index.any_method, rule_index);
        }
        for method in rule.methods {
            methods.push((method, "", rule_index));
        }
        if rule.any_header {
            crate::insert_rule(&mut index.any_header, rule_index);
        }
        for header in rule.headers {
            headers.push((header, "", rule_index));
        }
        for (prefix, suffix) in rule.header_patterns {
            patterns.push((prefix, suffix, rule_index));
        }
    }
    for ((method, _), bits) in grouped(methods) {
        index.methods.push((method.to_owned(), bits));
    }
    for ((header, _), bits) in grouped(headers) {
        index.headers.push((header.to_owned(), bits));
    }
    for ((prefix, suffix), bits) in grouped(patterns) {
        index
            .header_patterns
            .push(((prefix.to_owned(), suffix.to_owned()), bits));
    }
    let mut prefixes: Vec<&[u8]> = Vec::with_capacity(index.header_patterns.len());
    let mut reversed: Vec<Vec<u8>> = Vec::with_capacity(index.header_patterns.len());
    for ((prefix, suffix), _) in &index.header_patterns {
        prefixes.push(prefix.as_bytes());
        let mut suffix = suffix.as_bytes().to_vec();
        suffix.reverse();
        reversed.push(suffix);
    }
    index.pattern_prefixes = TrieLayout::of_keys(&prefixes);
    let mut suffixes: Vec<&[u8]> = Vec::with_capacity(reversed.len());
    for suffix in &reversed {
        suffixes.push(suffix);
    }
    index.pattern_suffixes = TrieLayout::of_keys(&suffixes);
    index
}

/// The distinct keys of `named` (`(key, key, rule)`), sorted, each with the
/// rules naming it.
#[cfg(feature = "std")]
fn grouped<'a>(mut named: Vec<(&'a str, &'a str, usize)>) -> Vec<((&'a str, &'a str), RuleBits)> {
    named.sort_unstable();
    let mut grouped: Vec<((&str, &str), RuleBits)> = Vec::new();
    for (first, second, rule) in named {
        let key = (first, second);
        match grouped.last_mut() {
            Some((last, bits)) if *last == key => crate::insert_rule(bits, rule),
            _ => {
                let mut bits = RuleBits::default();
                crate::insert_rule(&mut bits, rule);
                grouped.push((key, bits));
            }
        }
    }
    grouped
}

/// An offset into a trie's arrays (a policy's patterns are far below 4 GB).
#[cfg(feature = "std")]
fn offset(len: usize) -> u32 {
    u32::try_from(len).unwrap_or(u32::MAX)
}
