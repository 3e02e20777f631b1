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

#[cfg(all(test, feature = "std"))]
mod tests {
    use alloc::format;
    use alloc::string::ToString;

    use super::*;
    use crate::MAX_RULES;

    /// Rule bits of `rules`.
    fn bits(rules: &[usize]) -> RuleBits {
        let mut bits = RuleBits::default();
        for &rule in rules {
            crate::insert_rule(&mut bits, rule);
        }
        bits
    }

    fn strings(names: &[&str]) -> Vec<String> {
        names.iter().map(|name| name.to_string()).collect()
    }

    fn pairs(patterns: &[(&str, &str)]) -> Vec<(String, String)> {
        patterns
            .iter()
            .map(|(prefix, suffix)| (prefix.to_string(), suffix.to_string()))
            .collect()
    }

    /// The keys ending at every node `text` walks through (the root
    /// included), as the matcher reads a trie: the keys that start `text`.
    fn keys_starting(trie: &TrieLayout, text: &[u8]) -> u64 {
        let mut node = 0;
        let mut found = trie.nodes[0].1;
        for byte in text {
            let ((start, end), _) = trie.nodes[node];
            let edges = &trie.edges[start as usize..end as usize];
            match edges.binary_search_by_key(byte, |&(byte, _)| byte) {
                Ok(at) => node = edges[at].1 as usize,
                Err(_) => break,
            }
            found |= trie.nodes[node].1;
        }
        found
    }

    #[test]
    fn the_trie_of_no_keys_is_a_bare_root() {
        let trie = TrieLayout::of([]);
        assert_eq!(trie.nodes, [((0, 0), 0)]);
        assert!(trie.edges.is_empty());
        assert_eq!(keys_starting(&trie, b"anything"), 0);
    }

    #[test]
    fn the_empty_key_ends_at_the_root() {
        let trie = TrieLayout::of([&b""[..], b"a"]);
        assert_eq!(trie.nodes, [((0, 1), 0b01), ((1, 1), 0b10)]);
        assert_eq!(trie.edges, [(b'a', 1)]);
        assert_eq!(keys_starting(&trie, b""), 0b01);
        assert_eq!(keys_starting(&trie, b"ab"), 0b11);
        assert_eq!(keys_starting(&trie, b"b"), 0b01);
    }

    /// Nodes are numbered in the order keys create them; each node's edges
    /// are sorted by byte whatever the order of the keys.
    #[test]
    fn the_trie_is_flat_in_creation_order_with_edges_sorted_by_byte() {
        let trie = TrieLayout::of([&b"ab"[..], b"a", b"b"]);
        assert_eq!(
            trie.nodes,
            [
                ((0, 2), 0),
                ((2, 3), 0b010),
                ((3, 3), 0b001),
                ((3, 3), 0b100)
            ]
        );
        assert_eq!(trie.edges, [(b'a', 1), (b'b', 3), (b'b', 2)]);
        let reversed = TrieLayout::of([&b"b"[..], b"a"]);
        assert_eq!(
            reversed.nodes,
            [((0, 2), 0), ((2, 2), 0b01), ((2, 2), 0b10)]
        );
        assert_eq!(reversed.edges, [(b'a', 2), (b'b', 1)]);
    }

    #[test]
    fn a_key_listed_twice_sets_both_bits_on_one_node() {
        let trie = TrieLayout::of([&b"x-"[..], b"x-"]);
        assert_eq!(trie.nodes.len(), 3);
        assert_eq!(trie.nodes[2].1, 0b11);
        assert_eq!(keys_starting(&trie, b"x-a"), 0b11);
    }

    #[test]
    fn a_walk_finds_exactly_the_keys_that_start_the_text() {
        let trie = TrieLayout::of([&b"x-"[..], b"x-a", b"", b"y", b"x-ab"]);
        assert_eq!(keys_starting(&trie, b"x-abc"), 0b10111);
        assert_eq!(keys_starting(&trie, b"x-b"), 0b00101);
        assert_eq!(keys_starting(&trie, b"x"), 0b00100);
        assert_eq!(keys_starting(&trie, b"yy"), 0b01100);
    }

    /// Keys past [`TRIE_KEYS`] are left out (a node's keys are one `u64`).
    #[test]
    fn keys_past_the_limit_are_left_out() {
        let keys: Vec<[u8; 1]> = (0..=TRIE_KEYS as u8).map(|byte| [byte]).collect();
        let trie = TrieLayout::of(keys.iter().map(|key| &key[..]));
        assert_eq!(trie.nodes.len(), TRIE_KEYS + 1);
        assert_eq!(trie.edges.len(), TRIE_KEYS);
        assert_eq!(keys_starting(&trie, &[TRIE_KEYS as u8 - 1]), 1 << 63);
        assert_eq!(keys_starting(&trie, &[TRIE_KEYS as u8]), 0);
    }

    #[test]
    fn no_rules_lay_out_empty_indexes() {
        let index = layout([]);
        assert_eq!(
            index,
            RuleIndexLayout {
                pattern_prefixes: TrieLayout::of([]),
                pattern_suffixes: TrieLayout::of([]),
                ..RuleIndexLayout::default()
            }
        );
    }

    /// Names are grouped across rules and sorted by bytes (methods case
    /// sensitively: `GET` and `get` are two methods); `*` goes to the
    /// `any_` sets; the tries hold each distinct pattern's prefix and
    /// reversed suffix, in the patterns' order.
    #[test]
    fn names_are_grouped_by_rule_and_sorted_by_bytes() {
        let (methods_0, headers_0) = (strings(&["PUT", "GET"]), strings(&["x-b", "x-a"]));
        let patterns_0 = pairs(&[("x-", "-id")]);
        let (methods_1, headers_1) = (strings(&["get", "GET"]), strings(&["x-a"]));
        let patterns_1 = pairs(&[("x-", "-id"), ("", "-token")]);
        let index = layout([
            RuleNames {
                any_method: false,
                methods: &methods_0,
                any_header: false,
                headers: &headers_0,
                header_patterns: &patterns_0,
            },
            RuleNames {
                any_method: true,
                methods: &methods_1,
                any_header: true,
                headers: &headers_1,
                header_patterns: &patterns_1,
            },
        ]);
        assert_eq!(index.any_method, bits(&[1]));
        assert_eq!(index.any_header, bits(&[1]));
        assert_eq!(
            index.methods,
            [
                ("GET".to_string(), bits(&[0, 1])),
                ("PUT".to_string(), bits(&[0])),
                ("get".to_string(), bits(&[1])),
            ]
        );
        assert_eq!(
            index.headers,
            [
                ("x-a".to_string(), bits(&[0, 1])),
                ("x-b".to_string(), bits(&[0])),
            ]
        );
        assert_eq!(
            index.header_patterns,
            [
                (("".to_string(), "-token".to_string()), bits(&[1])),
                (("x-".to_string(), "-id".to_string()), bits(&[0, 1])),
            ]
        );
        assert_eq!(index.pattern_prefixes, TrieLayout::of([&b""[..], b"x-"]));
        assert_eq!(
            index.pattern_suffixes,
            TrieLayout::of([&b"nekot-"[..], b"di-"])
        );
        // `x-request-id` starts with pattern 1's prefix and, read backwards,
        // with pattern 1's suffix; pattern 0's empty prefix starts anything.
        let name = b"x-request-id";
        let backwards: Vec<u8> = name.iter().rev().copied().collect();
        assert_eq!(keys_starting(&index.pattern_prefixes, name), 0b11);
        assert_eq!(keys_starting(&index.pattern_suffixes, &backwards), 0b10);
    }

    #[test]
    fn a_name_a_rule_lists_twice_is_one_entry() {
        let methods = strings(&["GET", "GET"]);
        let headers = strings(&["x-a", "x-a"]);
        let patterns = pairs(&[("x-", ""), ("x-", "")]);
        let index = layout([RuleNames {
            any_method: false,
            methods: &methods,
            any_header: false,
            headers: &headers,
            header_patterns: &patterns,
        }]);
        assert_eq!(index.methods, [("GET".to_string(), bits(&[0]))]);
        assert_eq!(index.headers, [("x-a".to_string(), bits(&[0]))]);
        assert_eq!(
            index.header_patterns,
            [(("x-".to_string(), "".to_string()), bits(&[0]))]
        );
        assert_eq!(index.pattern_prefixes, TrieLayout::of([&b"x-"[..]]));
    }

    /// Rules past [`MAX_RULES`] set no bit: every bit of the set is one of
    /// the first `MAX_RULES` rules.
    #[test]
    fn rules_past_the_limit_set_no_bit() {
        let methods = strings(&["GET"]);
        let rule = RuleNames {
            any_method: true,
            methods: &methods,
            any_header: false,
            headers: &[],
            header_patterns: &[],
        };
        let index = layout(core::iter::repeat_n(rule, MAX_RULES + 1));
        assert_eq!(index.any_method, [u64::MAX; RULE_SET_WORDS]);
        assert_eq!(
            index.methods,
            [("GET".to_string(), [u64::MAX; RULE_SET_WORDS])]
        );
        assert_eq!(index.any_header, RuleBits::default());
    }

    /// All patterns are listed; the tries hold the first [`TRIE_KEYS`].
    #[test]
    fn patterns_past_the_trie_limit_are_listed_but_not_in_the_tries() {
        let patterns: Vec<(String, String)> = (0..=TRIE_KEYS)
            .map(|i| (format!("p{i:02}-"), "-s".to_string()))
            .collect();
        let index = layout([RuleNames {
            any_method: false,
            methods: &[],
            any_header: false,
            headers: &[],
            header_patterns: &patterns,
        }]);
        assert_eq!(index.header_patterns.len(), TRIE_KEYS + 1);
        assert_eq!(index.header_patterns[TRIE_KEYS].0 .0, "p64-");
        assert_eq!(keys_starting(&index.pattern_prefixes, b"p63-x"), 1 << 63);
        assert_eq!(keys_starting(&index.pattern_prefixes, b"p64-x"), 0);
        assert_eq!(keys_starting(&index.pattern_suffixes, b"s-"), u64::MAX);
    }

    /// Sorted by the first key, then the second; each key's rules gathered.
    #[test]
    fn grouped_sorts_by_both_keys_and_gathers_rules() {
        let named = vec![("b", "", 0), ("a", "z", 2), ("a", "", 1), ("a", "", 3)];
        assert_eq!(
            grouped(named),
            [
                (("a", ""), bits(&[1, 3])),
                (("a", "z"), bits(&[2])),
                (("b", ""), bits(&[0])),
            ]
        );
        assert!(grouped(Vec::new()).is_empty());
    }
}
