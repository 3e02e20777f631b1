//! What the code `cors_policy!` generates calls: `const fn` constructors of
//! the runtime's internal types, behind one interface version. Not public
//! API: re-exported, hidden, as `cors_runtime::__private`, which holds only
//! what the generated code must name.
//!
//! No field of [`Policy`] or of the types it holds is public: the generated
//! code builds everything through the functions here, so the layout can
//! change without touching what users can name. `cors-runtime` depends on
//! the exact version of `cors-macros` it was released with; a `cors-macros`
//! used directly with another `cors-runtime` is caught by
//! [`expect_interface`], which every expansion calls first, with a message
//! that says what to do instead of type errors about private fields.
//!
//! # What `__private` holds, and why
//!
//! A generated policy is a block of `static`s ending in a call that builds
//! the `Policy`. A table whose elements own `Cow`s or header values (types
//! with drop glue) cannot be borrowed from a temporary in a constant
//! expression, so it is a `static`, and a `static` must write its type: the
//! element types of those tables are the only types here. Tables of plain
//! `Copy` data (the origin index's slots and entries, the header-pattern
//! tries) are built from tuples by one `const fn` whose result the compiler
//! promotes to static memory, so their types need no name; nor do the types
//! only passed to or returned by a constructor.
//!
//! - `cors_policy`: the procedural macro, called by the `cors_policy!`
//!   `macro_rules!` wrapper with the path of this crate;
//! - [`expect_interface`]: the first item of every expansion;
//! - [`INVALID_POLICY`]: the value of a policy whose checks failed;
//! - a DSL policy: [`dsl_policy`] builds it from its rules ([`Rule`],
//!   [`rule`]), each with its header patterns ([`HeaderPattern`],
//!   [`header_pattern`]), its open paths ([`OpenPath`], [`open_path`]), its
//!   origin index ([`origin_index`] over [`origin_tables`]) and its
//!   rule index ([`rule_index`] over methods and header names
//!   ([`IndexedName`], [`indexed_name`]), header patterns
//!   ([`IndexedPattern`], [`indexed_pattern`]) and two tries ([`trie`]));
//! - an imported S3 configuration (feature `s3`): [`s3_policy`] borrows its
//!   matcher, a `static` ([`S3Matcher`], [`s3_matcher`]) built from its
//!   rules ([`S3Rule`], [`s3_rule_matcher`]), each with its header patterns
//!   ([`Glob`], [`glob`]), its exact and one-`*` origins ([`ExactOrigin`],
//!   [`exact_origin`], [`Wildcard`], [`wildcard`]), a [`rule_index`], and
//!   the rules as written ([`s3_rule`]).
//!
//! Sets of rules are passed as the words of their bitset
//! (`[u64; cors_grammar::RULE_SET_WORDS]`), text as `&'static str`, and
//! lists of text as slices of `Cow::Borrowed(..)`: `Cow` is re-exported so
//! that the generated code needs no `::std` path (a `#![no_std]` crate has
//! none without `extern crate std`).

pub use std::borrow::Cow;

use crate::answer::value::PrebuiltValue;
use crate::answer::{AnswerShape, RuleAnswer};
use crate::front::origin::{OriginEntry, PortPattern};
use crate::matcher::dsl::DslMatcher;
use crate::matcher::origin_index::{OriginIndex, Slot};
pub use crate::matcher::protection_settings::OpenPath;
use crate::matcher::protection_settings::Protection;
pub use crate::matcher::rule::{HeaderPattern, Rule};
use crate::matcher::rule::{HeaderSet, MethodSet};
pub use crate::matcher::rule_index::{IndexedName, IndexedPattern};
use crate::matcher::rule_index::{PatternTrie, RuleIndex, TrieEdge, TrieNode};
use crate::matcher::rule_set::RuleSet;
#[cfg(feature = "s3")]
pub use crate::matcher::s3::{ExactOrigin, Glob, S3Matcher, S3Rule, Wildcard};
#[cfg(feature = "s3")]
use crate::matcher::s3::{S3Headers, S3RuleSpec, Written};
use crate::policy::{Matcher, Policy};
pub use cors_macros::cors_policy;

/// The words of a rule bitset, as the generated code writes a set of rules.
type RuleWords = [u64; cors_grammar::RULE_SET_WORDS];

/// The version of the interface between the generated code and this crate:
/// raised whenever what `cors_policy!` emits changes.
const INTERFACE: u32 = 8;

/// Fails the build (a `const` panic) unless the generated code was written
/// for this crate's interface version.
pub const fn expect_interface(version: u32) {
    if version != INTERFACE {
        panic!(
            "cors_policy! was expanded by a cors-macros that does not match this cors-runtime: \
             use the macro cors-runtime re-exports (`cors_runtime::cors_policy!`) and remove the \
             direct cors-macros dependency"
        );
    }
}

/// The policy emitted in place of one that failed its checks, so that a
/// compile error is not followed by unrelated ones. It denies everything.
pub const INVALID_POLICY: Policy = Policy::INVALID;

/// A DSL policy laid out in static memory: its rules, origin index, the
/// rules allowing any origin, whether every rule does, its cross-origin
/// protection (on or off, and the paths open to cross-site `POST`s) and its
/// rule index.
pub const fn dsl_policy(
    rules: &'static [Rule],
    origins: OriginIndex,
    any_origin: RuleWords,
    origin_independent: bool,
    protection: bool,
    open_paths: &'static [OpenPath],
    rule_index: RuleIndex,
) -> Policy {
    Policy {
        matcher: Matcher::Dsl(DslMatcher {
            rules: Cow::Borrowed(rules),
            origins,
            any_origin: RuleSet(any_origin),
            origin_independent,
            protection: Protection {
                enabled: protection,
                open_paths: Cow::Borrowed(open_paths),
            },
            rule_index,
        }),
    }
}

/// Which rules allow which methods and request headers, policy-wide: the
/// rules allowing any method, every method named (sorted by bytes) with its
/// rules, the rules allowing any header, every header name (lowercase,
/// sorted by bytes) with its rules, every distinct header pattern with its
/// rules, and the tries ([`trie`]) of the patterns' prefixes and reversed
/// suffixes.
pub const fn rule_index<const PN: usize, const PE: usize, const SN: usize, const SE: usize>(
    any_method: RuleWords,
    methods: &'static [IndexedName],
    any_header: RuleWords,
    headers: &'static [IndexedName],
    header_patterns: &'static [IndexedPattern],
    pattern_prefixes: &'static ([TrieNode; PN], [TrieEdge; PE]),
    pattern_suffixes: &'static ([TrieNode; SN], [TrieEdge; SE]),
) -> RuleIndex {
    RuleIndex {
        any_method: RuleSet(any_method),
        methods: Cow::Borrowed(methods),
        any_header: RuleSet(any_header),
        headers: Cow::Borrowed(headers),
        header_patterns: Cow::Borrowed(header_patterns),
        pattern_prefixes: PatternTrie {
            nodes: Cow::Borrowed(&pattern_prefixes.0),
            edges: Cow::Borrowed(&pattern_prefixes.1),
        },
        pattern_suffixes: PatternTrie {
            nodes: Cow::Borrowed(&pattern_suffixes.0),
            edges: Cow::Borrowed(&pattern_suffixes.1),
        },
    }
}

/// The tables of a byte trie of header-pattern prefixes or reversed
/// suffixes: its nodes, root first, each `((first edge, end of its edges),
/// the patterns ending there)`, and their edges, each `(lowercase byte,
/// node it leads to)`.
pub const fn trie<const N: usize, const E: usize>(
    nodes: [((u32, u32), u64); N],
    edges: [(u8, u32); E],
) -> ([TrieNode; N], [TrieEdge; E]) {
    let mut trie_nodes = [TrieNode {
        edges: (0, 0),
        ends: 0,
    }; N];
    let mut i = 0;
    while i < N {
        let (edges, ends) = nodes[i];
        trie_nodes[i] = TrieNode { edges, ends };
        i += 1;
    }
    let mut trie_edges = [TrieEdge { byte: 0, child: 0 }; E];
    let mut i = 0;
    while i < E {
        let (byte, child) = edges[i];
        trie_edges[i] = TrieEdge { byte, child };
        i += 1;
    }
    (trie_nodes, trie_edges)
}

/// A name of a rule index and the rules that list it.
pub const fn indexed_name(name: &'static str, rules: RuleWords) -> IndexedName {
    IndexedName {
        name: Cow::Borrowed(name),
        rules: RuleSet(rules),
    }
}

/// A header pattern of a rule index (`prefix`, any run, `suffix`) and
/// the rules that list it.
pub const fn indexed_pattern(
    prefix: &'static str,
    suffix: &'static str,
    rules: RuleWords,
) -> IndexedPattern {
    IndexedPattern {
        pattern: header_pattern(prefix, suffix),
        rules: RuleSet(rules),
    }
}

/// A path open to cross-site `POST`s: exact, or (`prefix`) the part of a
/// `/*` pattern before the `*`.
pub const fn open_path(path: &'static str, prefix: bool) -> OpenPath {
    OpenPath {
        path: Cow::Borrowed(path),
        prefix,
    }
}

#[cfg(feature = "s3")]
/// An S3 configuration imported at compile time: its static matcher.
pub const fn s3_policy(matcher: &'static S3Matcher) -> Policy {
    Policy {
        matcher: Matcher::S3Static(matcher),
    }
}

#[cfg(feature = "s3")]
/// The matcher of an imported S3 configuration: its rules, its exact
/// origins (sorted by bytes), its one-`*` origins, the rules listing `*`,
/// and the rules as written ([`s3_rule`], for reading the configuration
/// back).
pub const fn s3_matcher(
    rules: &'static [S3Rule],
    exact: &'static [ExactOrigin],
    wildcards: &'static [Wildcard],
    any_origin: RuleWords,
    rule_index: RuleIndex,
    written: &'static [S3RuleSpec<'static>],
) -> S3Matcher {
    S3Matcher {
        rules: Cow::Borrowed(rules),
        exact: Cow::Borrowed(exact),
        wildcards: Cow::Borrowed(wildcards),
        any_origin: RuleSet(any_origin),
        rule_index,
        written: Written::Static(written),
    }
}

#[cfg(feature = "s3")]
/// One rule of an imported S3 configuration: its id, methods, allowed
/// request headers (any, lowercase names, lowercase patterns), whether it
/// lists the `*` origin, and its response values.
#[allow(clippy::too_many_arguments)]
pub const fn s3_rule_matcher(
    id: Option<&'static str>,
    methods: &'static [Cow<'static, str>],
    any_header: bool,
    header_names: &'static [Cow<'static, str>],
    header_patterns: &'static [Glob],
    any_origin: bool,
    allow_methods: &'static str,
    expose_headers: Option<&'static str>,
    max_age: Option<&'static str>,
) -> S3Rule {
    S3Rule {
        methods: Cow::Borrowed(methods),
        headers: S3Headers {
            any: any_header,
            names: Cow::Borrowed(header_names),
            patterns: Cow::Borrowed(header_patterns),
        },
        answer: RuleAnswer {
            id: static_id(id),
            any_origin,
            credentials: !any_origin,
            echo_method: false,
            allow_methods: PrebuiltValue::from_static(allow_methods),
            expose_headers: optional_value(expose_headers),
            max_age: optional_value(max_age),
            shape: AnswerShape::S3,
        },
    }
}

#[cfg(feature = "s3")]
/// An allowed origin without `*`, and the rules listing it.
pub const fn exact_origin(origin: &'static str, rules: RuleWords) -> ExactOrigin {
    ExactOrigin {
        origin: Cow::Borrowed(origin),
        rules: RuleSet(rules),
    }
}

#[cfg(feature = "s3")]
/// A value with one `*` between `prefix` and `suffix`.
pub const fn glob(prefix: &'static str, suffix: &'static str) -> Glob {
    Glob {
        prefix: Cow::Borrowed(prefix),
        suffix: Cow::Borrowed(suffix),
    }
}

#[cfg(feature = "s3")]
/// An allowed origin with one `*` between `prefix` and `suffix`, and its
/// rule.
pub const fn wildcard(prefix: &'static str, suffix: &'static str, rule: u16) -> Wildcard {
    Wildcard {
        glob: glob(prefix, suffix),
        rule,
    }
}

#[cfg(feature = "s3")]
/// One S3 rule as written in the imported configuration.
pub const fn s3_rule(
    id: Option<&'static str>,
    allowed_origins: &'static [&'static str],
    allowed_methods: &'static [&'static str],
    allowed_headers: &'static [&'static str],
    expose_headers: &'static [&'static str],
    max_age_seconds: Option<i64>,
) -> S3RuleSpec<'static> {
    S3RuleSpec {
        id,
        allowed_origins,
        allowed_methods,
        allowed_headers,
        expose_headers,
        max_age_seconds,
    }
}

/// One rule: its id, whether it allows any origin and sends credentials,
/// the methods it allows (any, or these names), the request headers it
/// allows (any, these lowercase names sorted by bytes, or names matching
/// these patterns), and its precomputed `Access-Control-Allow-Methods`,
/// `-Expose-Headers` and `-Max-Age` values.
#[allow(clippy::too_many_arguments)]
pub const fn rule(
    id: Option<&'static str>,
    any_origin: bool,
    credentials: bool,
    any_method: bool,
    methods: &'static [Cow<'static, str>],
    any_header: bool,
    headers: &'static [Cow<'static, str>],
    header_patterns: &'static [HeaderPattern],
    allow_methods: &'static str,
    expose_headers: Option<&'static str>,
    max_age: Option<&'static str>,
) -> Rule {
    Rule {
        methods: MethodSet::of_static(any_method, methods),
        headers: HeaderSet {
            any: any_header,
            names: Cow::Borrowed(headers),
            patterns: Cow::Borrowed(header_patterns),
        },
        answer: RuleAnswer {
            id: static_id(id),
            // `*` only without credentials: else the origin is echoed.
            any_origin: any_origin && !credentials,
            credentials,
            echo_method: any_method,
            allow_methods: PrebuiltValue::from_static(allow_methods),
            expose_headers: optional_value(expose_headers),
            max_age: optional_value(max_age),
            shape: AnswerShape::Dsl,
        },
    }
}

/// A rule's `id`, borrowed.
const fn static_id(id: Option<&'static str>) -> Option<Cow<'static, str>> {
    match id {
        Some(id) => Some(Cow::Borrowed(id)),
        None => None,
    }
}

/// A header-name pattern with one `*` between `prefix` and `suffix`.
pub const fn header_pattern(prefix: &'static str, suffix: &'static str) -> HeaderPattern {
    HeaderPattern {
        prefix: Cow::Borrowed(prefix),
        suffix: Cow::Borrowed(suffix),
    }
}

/// The origin index of a policy, from `phf_generator`'s PtrHash state: the
/// seed, the pilots, the remap table, the slots and entries
/// ([`origin_tables`]), the host bytes the slots point into, and the
/// schemes the entries name by index. Without slots, the index of a policy
/// without exact or `*.` origin patterns.
pub const fn origin_index<const S: usize, const E: usize>(
    seed: u64,
    pilots: &'static [u8],
    remap: &'static [u32],
    tables: &'static ([Slot; S], [OriginEntry; E]),
    hosts: &'static [u8],
    schemes: &'static [Cow<'static, str>],
) -> OriginIndex {
    if S == 0 {
        return OriginIndex::EMPTY;
    }
    OriginIndex::from_static(seed, pilots, remap, &tables.0, hosts, &tables.1, schemes)
}

/// The slots and entries of an origin index. A slot is `(host, entries)`:
/// where its key lies in the host bytes, and where its entries lie in the
/// entry array. An entry is `(scheme, port, subdomains, rule)`: the
/// pattern's scheme (an index into the scheme table); its port (`None`: no
/// port, the scheme's default; `Some(None)`: `:*`, any port or none;
/// `Some(Some(port))`: exactly `port`); whether it is a `*.` pattern; and
/// its rule.
#[allow(clippy::type_complexity)]
pub const fn origin_tables<const S: usize, const E: usize>(
    slots: [((u32, u32), (u32, u32)); S],
    entries: [(u16, Option<Option<u16>>, bool, u16); E],
) -> ([Slot; S], [OriginEntry; E]) {
    let mut index_slots = [Slot {
        host: (0, 0),
        entries: (0, 0),
    }; S];
    let mut i = 0;
    while i < S {
        let (host, entries) = slots[i];
        index_slots[i] = Slot { host, entries };
        i += 1;
    }
    let mut index_entries = [OriginEntry {
        scheme: 0,
        port: PortPattern::Absent,
        subdomains: false,
        rule: 0,
    }; E];
    let mut i = 0;
    while i < E {
        let (scheme, port, subdomains, rule) = entries[i];
        index_entries[i] = OriginEntry {
            scheme,
            port: match port {
                None => PortPattern::Absent,
                Some(None) => PortPattern::Any,
                Some(Some(port)) => PortPattern::Exact(port),
            },
            subdomains,
            rule,
        };
        i += 1;
    }
    (index_slots, index_entries)
}

/// A header value that may be absent, laid out at compile time
/// (`Option::map` is not a `const fn`).
const fn optional_value(text: Option<&'static str>) -> Option<PrebuiltValue> {
    match text {
        Some(text) => Some(PrebuiltValue::from_static(text)),
        None => None,
    }
}
