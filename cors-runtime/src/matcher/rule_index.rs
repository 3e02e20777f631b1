//! [`RuleIndex`]: which rules allow which methods and request headers,
//! policy-wide, so that a request whose origin several rules match is
//! matched against all of them at once.
//!
//! Without it, each rule the origin matches is tried in turn, and a
//! preflight's header list is read once per rule: a policy of hundreds of
//! rules on one origin, each refusing a name near the end of a 4 KB list,
//! would read the list hundreds of times. With it, the list is read once:
//! each name is looked up once (a binary search over every name the policy
//! lists, then the few header patterns of the rules still in the running),
//! and the rules still allowing every name so far are kept as a bitset. The
//! cost of a request then grows with the logarithm of the policy's size, not
//! with its number of rules.

use std::borrow::Cow;

use crate::answer::decision::Allowed;
use crate::answer::denial::{Denial, RuleRef};
use crate::front::preflight;
use crate::front::{RequestKind, RequestValue, Requested};
use crate::matcher::bits::SetBits;
use crate::matcher::rule::{search_lowercase, HeaderPattern};
use crate::matcher::rule_set::RuleSet;
use crate::matcher::rule_walk::{self, allowed_by, WalkedRule};

/// Every method and request header name the rules of a policy list, each
/// with the rules listing it.
#[derive(Debug, Clone)]
pub struct RuleIndex {
    /// The rules that allow any method (`"*"`).
    pub(crate) any_method: RuleSet,
    /// Every method some rule names, sorted by bytes.
    pub(crate) methods: Cow<'static, [IndexedName]>,
    /// The rules that allow any request header (`"*"`).
    pub(crate) any_header: RuleSet,
    /// Every exact request header name some rule names, lowercase, sorted by
    /// bytes.
    pub(crate) headers: Cow<'static, [IndexedName]>,
    /// Every distinct header pattern some rule names: at most
    /// `cors_grammar::rule_index::TRIE_KEYS`, all held by the tries (the
    /// checkers refuse policies that list more).
    pub(crate) header_patterns: Cow<'static, [IndexedPattern]>,
    /// The patterns' prefixes, as a trie.
    pub(crate) pattern_prefixes: PatternTrie,
    /// The patterns' suffixes, read backwards, as a trie.
    pub(crate) pattern_suffixes: PatternTrie,
}

/// The most header patterns a policy may list for a request matched by one
/// rule to be answered by that rule's own sets (trying each pattern on each
/// name); with more, the pattern tries answer, in steps per byte of a name.
const WALKED_PATTERNS: usize = 8;

/// A byte trie over the header patterns' prefixes (or reversed suffixes),
/// lowercase: walking it with a name's bytes finds every pattern whose
/// prefix starts the name in one step per byte, however many patterns
/// there are.
#[derive(Debug, Clone)]
pub(crate) struct PatternTrie {
    /// The nodes, root first.
    pub(crate) nodes: Cow<'static, [TrieNode]>,
    /// Every node's edges, each node's together, sorted by byte.
    pub(crate) edges: Cow<'static, [TrieEdge]>,
}

/// A node of a [`PatternTrie`].
#[derive(Debug, Clone, Copy)]
pub struct TrieNode {
    /// `edges[edges.0..edges.1]` leave this node.
    pub(crate) edges: (u32, u32),
    /// The patterns (bit `i`: the `i`-th) whose key ends here.
    pub(crate) ends: u64,
}

/// An edge of a [`PatternTrie`]: a lowercase byte and the node it leads to.
#[derive(Debug, Clone, Copy)]
pub struct TrieEdge {
    /// The byte.
    pub(crate) byte: u8,
    /// The node it leads to.
    pub(crate) child: u32,
}

impl PatternTrie {
    /// A trie without keys.
    pub(crate) const EMPTY: PatternTrie = PatternTrie {
        nodes: Cow::Borrowed(&[]),
        edges: Cow::Borrowed(&[]),
    };

    /// The keys (as a bitset) that `bytes`, lowercased, start with. Never
    /// panics, whatever the trie holds.
    #[inline]
    fn keys_starting(&self, mut bytes: impl Iterator<Item = u8>) -> u64 {
        let mut found = 0;
        let mut node = 0;
        while let Some(current) = self.nodes.get(node) {
            found |= current.ends;
            let Some(byte) = bytes.next() else {
                break;
            };
            let byte = byte.to_ascii_lowercase();
            let edges = self
                .edges
                .get(current.edges.0 as usize..current.edges.1 as usize)
                .unwrap_or_default();
            match edges.iter().find(|edge| edge.byte == byte) {
                Some(edge) => node = edge.child as usize,
                None => break,
            }
        }
        found
    }
}

/// A request as [`RuleIndex::first_allowing`] matches it, built only where
/// that path is taken (the one-candidate path then keeps the request's
/// values in registers).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Asked<'a> {
    /// The kind of the request.
    pub(crate) kind: RequestKind,
    /// Its `Origin`.
    pub(crate) origin: RequestValue<'a>,
    /// What it asks for.
    pub(crate) requested: Requested<'a>,
    /// The rules whose origins match.
    pub(crate) candidates: RuleSet,
}

/// A method or header name, and the rules that list it.
#[derive(Debug, Clone)]
pub struct IndexedName {
    /// The name (a header name lowercase).
    pub(crate) name: Cow<'static, str>,
    /// The rules listing it.
    pub(crate) rules: RuleSet,
}

/// A header pattern, and the rules that list it.
#[derive(Debug, Clone)]
pub struct IndexedPattern {
    /// The pattern.
    pub(crate) pattern: HeaderPattern,
    /// The rules listing it.
    pub(crate) rules: RuleSet,
}

impl RuleIndex {
    /// The index of a policy without rules.
    pub(crate) const EMPTY: RuleIndex = RuleIndex {
        any_method: RuleSet::EMPTY,
        methods: Cow::Borrowed(&[]),
        any_header: RuleSet::EMPTY,
        headers: Cow::Borrowed(&[]),
        header_patterns: Cow::Borrowed(&[]),
        pattern_prefixes: PatternTrie::EMPTY,
        pattern_suffixes: PatternTrie::EMPTY,
    };

    /// The rules that allow `method` (compared byte for byte).
    #[inline]
    fn method_rules(&self, method: &str) -> RuleSet {
        let mut rules = self.any_method;
        if let Ok(found) = self
            .methods
            .binary_search_by(|probe| probe.name.as_bytes().cmp(method.as_bytes()))
        {
            if let Some(entry) = self.methods.get(found) {
                rules.union(&entry.rules);
            }
        }
        rules
    }

    /// The rules among `wanted` that allow the request header `name` (any
    /// case), possibly with others: one binary search, then, if rules of
    /// `wanted` are still unsettled, one walk of each pattern trie (the
    /// patterns whose prefix starts the name and whose suffix ends it), so
    /// that the cost does not grow with the number of patterns.
    #[inline]
    fn header_rules(&self, name: &[u8], wanted: &RuleSet) -> RuleSet {
        let mut rules = self.any_header;
        let found = search_lowercase(&self.headers, |probe| probe.name.as_bytes(), name);
        if let Some(entry) = found.and_then(|found| self.headers.get(found)) {
            rules.union(&entry.rules);
        }
        if self.header_patterns.is_empty() || wanted.without(&rules).is_empty() {
            return rules;
        }
        let starting = self.pattern_prefixes.keys_starting(name.iter().copied());
        if starting != 0 {
            let ending = self
                .pattern_suffixes
                .keys_starting(name.iter().rev().copied());
            for index in SetBits::new([starting & ending]) {
                // The prefix and suffix must not overlap in the name.
                if let Some(pattern) = self.header_patterns.get(index) {
                    if pattern.pattern.fits(name) {
                        rules.union(&pattern.rules);
                    }
                }
            }
        }
        rules
    }

    /// The decision `decide` makes of the rule of `rules` that answers,
    /// among the `candidates` (the rules whose origins match), or of the
    /// first candidate's refusal: with several candidates, or in a policy of
    /// more than `WALKED_PATTERNS` header patterns, found by
    /// [`RuleIndex::first_allowing`] with one read of the header list; with
    /// one, by the rule's own sets, as cheaply.
    // Inlined into both matchers, `decide` called on each path: the one-rule
    // walk then builds its decision in place instead of copying it.
    #[inline(always)]
    pub(crate) fn choose<'a, R: WalkedRule, D>(
        &self,
        rules: &'a [R],
        kind: RequestKind,
        origin: RequestValue<'a>,
        requested: Requested<'a>,
        candidates: RuleSet,
        decide: impl Fn(Result<Allowed<'a>, Denial<'a>>) -> D,
    ) -> D {
        // A one-rule policy, the commonest, never has several. A rule with
        // many header patterns is read through the tries too: the walk
        // would try each pattern on each requested name.
        if (rules.len() > 1 && candidates.has_several())
            || self.header_patterns.len() > WALKED_PATTERNS
        {
            let asked = Asked {
                kind,
                origin,
                requested,
                candidates,
            };
            return decide(self.first_allowing(rules, &asked));
        }
        // At most one candidate is left to try (a one-rule policy's rule,
        // if it is a candidate, without walking the set).
        let candidate = match rules {
            [only] => candidates.contains(0).then_some((0, only)),
            _ => candidates
                .first()
                .and_then(|index| Some((index, rules.get(index)?))),
        };
        decide(rule_walk::first_allowing(
            kind,
            origin,
            requested,
            candidate.into_iter(),
        ))
    }

    /// What [`first_allowing`](crate::matcher::rule_walk::first_allowing) answers
    /// for the `candidates` (the rules whose origins match, of `rules`),
    /// found with one read of the header list: the first candidate that
    /// allows the method and every requested header answers; if none does,
    /// the first candidate's refusal (its method, or the first requested
    /// header it does not allow) is the reason. A malformed header list is
    /// refused when some candidate allows the method, as the walk refuses it
    /// on reading the list for the first such rule.
    // Kept out of line: the common request has one candidate rule.
    #[inline(never)]
    pub(crate) fn first_allowing<'a, R: WalkedRule>(
        &self,
        rules: &'a [R],
        asked: &Asked<'a>,
    ) -> Result<Allowed<'a>, Denial<'a>> {
        let Asked {
            kind,
            origin,
            requested,
            candidates,
        } = *asked;
        let first = candidates.first();
        let mut allowing = candidates;
        allowing.intersect(&self.method_rules(requested.method));
        // The first name the first candidate refuses, if it allows the
        // method (it is still in `allowing` then): its refusal.
        let mut refused_by_first: Option<&'a [u8]> = None;
        let mut list = None;
        if let Some(value) = requested.headers {
            if !allowing.is_empty() {
                let has_names = preflight::visit_names(value.as_bytes(), |name| {
                    // Once no rule is left, the first candidate's refusal is
                    // known: the rest of the list is only checked.
                    if allowing.is_empty() {
                        return;
                    }
                    let allowed = self.header_rules(name, &allowing);
                    if let Some(first) = first {
                        if refused_by_first.is_none()
                            && allowing.contains(first)
                            && !allowed.contains(first)
                        {
                            refused_by_first = Some(name);
                        }
                    }
                    allowing.intersect(&allowed);
                })
                .map_err(Denial::MalformedPreflight)?;
                if has_names {
                    list = Some(value);
                }
            }
        }
        if let Some((index, rule)) = allowing
            .first()
            .and_then(|index| Some((index, rules.get(index)?)))
        {
            return Ok(allowed_by(index, rule, kind, origin, &requested, list));
        }
        let Some((index, rule)) = first.and_then(|index| Some((index, rules.get(index)?))) else {
            return Err(Denial::OriginNotAllowed {
                origin: origin.text(),
            });
        };
        let rule = RuleRef {
            index,
            id: rule.id(),
        };
        // A first candidate that allows the method but no one refused name
        // cannot be here: it would still be in `allowing`.
        Err(match refused_by_first {
            Some(header) => Denial::HeaderNotAllowed {
                rule,
                header: std::str::from_utf8(header).unwrap_or_default(),
            },
            None => Denial::MethodNotAllowed {
                rule,
                method: requested.method,
            },
        })
    }
}

cfg_run_time_policies! {
    use cors_grammar::rule_index::{RuleBits, RuleIndexLayout, TrieLayout};

    impl RuleIndex {
        /// The index laid out by `cors-config` or `cors-s3`, owned: built by
        /// the run-time loaders.
        pub(crate) fn owned(layout: RuleIndexLayout) -> RuleIndex {
            let names = |names: Vec<(String, RuleBits)>| {
                names
                    .into_iter()
                    .map(|(name, rules)| IndexedName {
                        name: Cow::Owned(name),
                        rules: RuleSet(rules),
                    })
                    .collect::<Vec<_>>()
            };
            RuleIndex {
                any_method: RuleSet(layout.any_method),
                methods: Cow::Owned(names(layout.methods)),
                any_header: RuleSet(layout.any_header),
                headers: Cow::Owned(names(layout.headers)),
                header_patterns: Cow::Owned(
                    layout
                        .header_patterns
                        .into_iter()
                        .map(|((prefix, suffix), rules)| IndexedPattern {
                            pattern: HeaderPattern {
                                prefix: Cow::Owned(prefix),
                                suffix: Cow::Owned(suffix),
                            },
                            rules: RuleSet(rules),
                        })
                        .collect(),
                ),
                pattern_prefixes: owned_trie(layout.pattern_prefixes),
                pattern_suffixes: owned_trie(layout.pattern_suffixes),
            }
        }
    }

    /// A pattern trie, owned.
    fn owned_trie(layout: TrieLayout) -> PatternTrie {
        PatternTrie {
            nodes: Cow::Owned(
                layout
                    .nodes
                    .into_iter()
                    .map(|(edges, ends)| TrieNode { edges, ends })
                    .collect(),
            ),
            edges: Cow::Owned(
                layout
                    .edges
                    .into_iter()
                    .map(|(byte, child)| TrieEdge { byte, child })
                    .collect(),
            ),
        }
    }
}
