//! What the code `cors_policy!` generates calls: `const fn` constructors of
//! the runtime's internal types, behind one interface version. Not public
//! API: re-exported, hidden, as `cors_runtime::__private`.
//!
//! No field of [`Policy`] or of the types it holds is public: the generated
//! code builds everything through the functions here, so the layout can
//! change without touching what users can name. `cors-runtime` depends on
//! the exact version of `cors-macros` it was released with; a `cors-macros`
//! used directly with another `cors-runtime` is caught by
//! [`expect_interface`], which every expansion calls first, with a message
//! that says what to do instead of type errors about private fields.

pub use crate::answer::value::PrebuiltValue;
pub use crate::front::origin::OriginEntry;
pub use crate::front::origin::PortPattern;
pub use crate::matcher::origin_index::{OriginIndex, Slot};
pub use crate::matcher::protection_settings::{OpenPath, Protection};
pub use crate::matcher::rule::{HeaderPattern, HeaderSet, MethodSet, Rule};
pub use crate::matcher::rule_index::{
    IndexedName, IndexedPattern, PatternTrie, RuleIndex, TrieEdge, TrieNode,
};
pub use crate::matcher::rule_set::RuleSet;
#[cfg(feature = "s3")]
pub use crate::matcher::s3::{ExactOrigin, Glob, S3Matcher, S3Rule, S3RuleSpec, Wildcard};
pub use cors_macros::cors_policy;
pub use std::borrow::Cow;

use crate::matcher::dsl::DslMatcher;
#[cfg(feature = "s3")]
use crate::matcher::s3::{S3Headers, Written};
use crate::policy::{Matcher, Policy};

/// The version of the interface between the generated code and this crate:
/// raised whenever what `cors_policy!` emits changes.
pub const INTERFACE: u32 = 7;

/// Fails the build (a `const` panic) unless the generated code was written
/// for this crate's [`INTERFACE`].
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

/// A DSL policy laid out in static memory.
pub const fn dsl_policy(
    rules: &'static [Rule],
    origins: OriginIndex,
    any_origin: RuleSet,
    origin_independent: bool,
    protection: Protection,
    rule_index: RuleIndex,
) -> Policy {
    Policy {
        matcher: Matcher::Dsl(DslMatcher {
            rules: Cow::Borrowed(rules),
            origins,
            any_origin,
            origin_independent,
            protection,
            rule_index,
        }),
    }
}

/// Which rules allow which methods and request headers, policy-wide: the
/// rules allowing any method, every method named (sorted by bytes) with its
/// rules, the rules allowing any header, every header name (lowercase,
/// sorted by bytes) with its rules, every distinct header pattern with its
/// rules, and the tries of the patterns' prefixes and reversed suffixes.
pub const fn rule_index(
    any_method: RuleSet,
    methods: &'static [IndexedName],
    any_header: RuleSet,
    headers: &'static [IndexedName],
    header_patterns: &'static [IndexedPattern],
    pattern_prefixes: PatternTrie,
    pattern_suffixes: PatternTrie,
) -> RuleIndex {
    RuleIndex {
        any_method,
        methods: Cow::Borrowed(methods),
        any_header,
        headers: Cow::Borrowed(headers),
        header_patterns: Cow::Borrowed(header_patterns),
        pattern_prefixes,
        pattern_suffixes,
    }
}

/// A byte trie of header-pattern prefixes or reversed suffixes: its nodes,
/// root first, and their edges.
pub const fn pattern_trie(nodes: &'static [TrieNode], edges: &'static [TrieEdge]) -> PatternTrie {
    PatternTrie {
        nodes: Cow::Borrowed(nodes),
        edges: Cow::Borrowed(edges),
    }
}

/// A trie node: the range of its edges, and the patterns ending there.
pub const fn trie_node(edges: (u32, u32), ends: u64) -> TrieNode {
    TrieNode { edges, ends }
}

/// A trie edge: a lowercase byte and the node it leads to.
pub const fn trie_edge(byte: u8, child: u32) -> TrieEdge {
    TrieEdge { byte, child }
}

/// A name of a [`RuleIndex`] and the rules that list it.
pub const fn indexed_name(name: &'static str, rules: RuleSet) -> IndexedName {
    IndexedName {
        name: Cow::Borrowed(name),
        rules,
    }
}

/// A header pattern of a [`RuleIndex`] and the rules that list it.
pub const fn indexed_pattern(pattern: HeaderPattern, rules: RuleSet) -> IndexedPattern {
    IndexedPattern { pattern, rules }
}

/// A policy's cross-origin protection: whether it is on, and the paths
/// that stay open to cross-site `POST`s.
pub const fn protection(enabled: bool, open_paths: &'static [OpenPath]) -> Protection {
    Protection {
        enabled,
        open_paths: Cow::Borrowed(open_paths),
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
/// and the rules as written (for reading the configuration back).
pub const fn s3_matcher(
    rules: &'static [S3Rule],
    exact: &'static [ExactOrigin],
    wildcards: &'static [Wildcard],
    any_origin: RuleSet,
    rule_index: RuleIndex,
    written: &'static [S3RuleSpec<'static>],
) -> S3Matcher {
    S3Matcher {
        rules: Cow::Borrowed(rules),
        exact: Cow::Borrowed(exact),
        wildcards: Cow::Borrowed(wildcards),
        any_origin,
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
        id: match id {
            Some(id) => Some(Cow::Borrowed(id)),
            None => None,
        },
        methods: Cow::Borrowed(methods),
        headers: S3Headers {
            any: any_header,
            names: Cow::Borrowed(header_names),
            patterns: Cow::Borrowed(header_patterns),
        },
        any_origin,
        allow_methods: PrebuiltValue::from_static(allow_methods),
        expose_headers: match expose_headers {
            Some(text) => Some(PrebuiltValue::from_static(text)),
            None => None,
        },
        max_age: match max_age {
            Some(text) => Some(PrebuiltValue::from_static(text)),
            None => None,
        },
    }
}

#[cfg(feature = "s3")]
/// An allowed origin without `*`, and the rules listing it.
pub const fn exact_origin(origin: &'static str, rules: RuleSet) -> ExactOrigin {
    ExactOrigin {
        origin: Cow::Borrowed(origin),
        rules,
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
/// An allowed origin with one `*`, and its rule.
pub const fn wildcard(glob: Glob, rule: u16) -> Wildcard {
    Wildcard { glob, rule }
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

/// The set of rules (by index) that allow any origin.
pub const fn rule_set(words: [u64; cors_grammar::RULE_SET_WORDS]) -> RuleSet {
    RuleSet(words)
}

/// One rule: its id, whether it allows any origin and sends credentials,
/// the methods and request headers it allows, and its precomputed
/// `Access-Control-Allow-Methods`, `-Expose-Headers` and `-Max-Age` values.
#[allow(clippy::too_many_arguments)]
pub const fn rule(
    id: Option<&'static str>,
    any_origin: bool,
    credentials: bool,
    methods: MethodSet,
    headers: HeaderSet,
    allow_methods: PrebuiltValue,
    expose_headers: Option<PrebuiltValue>,
    max_age: Option<PrebuiltValue>,
) -> Rule {
    Rule {
        id: match id {
            Some(id) => Some(Cow::Borrowed(id)),
            None => None,
        },
        any_origin,
        credentials,
        methods,
        headers,
        allow_methods,
        expose_headers,
        max_age,
    }
}

/// The methods a rule allows: any (`"*"`), or these names.
pub const fn method_set(any: bool, names: &'static [Cow<'static, str>]) -> MethodSet {
    MethodSet {
        any,
        names: Cow::Borrowed(names),
    }
}

/// The request headers a rule allows: any (`"*"`), these lowercase names
/// (sorted by bytes), or names matching these patterns.
pub const fn header_set(
    any: bool,
    names: &'static [Cow<'static, str>],
    patterns: &'static [HeaderPattern],
) -> HeaderSet {
    HeaderSet {
        any,
        names: Cow::Borrowed(names),
        patterns: Cow::Borrowed(patterns),
    }
}

/// A header-name pattern with one `*` between `prefix` and `suffix`.
pub const fn header_pattern(prefix: &'static str, suffix: &'static str) -> HeaderPattern {
    HeaderPattern {
        prefix: Cow::Borrowed(prefix),
        suffix: Cow::Borrowed(suffix),
    }
}

/// A response header value fixed at expansion time.
pub const fn static_value(text: &'static str) -> PrebuiltValue {
    PrebuiltValue::from_static(text)
}

/// The origin index of a policy, from `phf_generator`'s PtrHash state.
pub const fn origin_index(
    seed: u64,
    pilots: &'static [u8],
    remap: &'static [u32],
    slots: &'static [Slot],
    hosts: &'static [u8],
    entries: &'static [OriginEntry],
    schemes: &'static [Cow<'static, str>],
) -> OriginIndex {
    OriginIndex::from_static(seed, pilots, remap, slots, hosts, entries, schemes)
}

/// The index of a policy without exact or `*.` origin patterns.
pub const EMPTY_ORIGIN_INDEX: OriginIndex = OriginIndex::EMPTY;

/// One slot of the origin index: where its key lies in the host bytes, and
/// where its entries lie in the entry array.
pub const fn slot(host: (u32, u32), entries: (u32, u32)) -> Slot {
    Slot { host, entries }
}

/// One origin pattern in the index: its scheme (an index into the scheme
/// table), its port, whether it is a `*.` pattern, and its rule.
pub const fn origin_entry(
    scheme: u16,
    port: PortPattern,
    subdomains: bool,
    rule: u16,
) -> OriginEntry {
    OriginEntry {
        scheme,
        port,
        subdomains,
        rule,
    }
}
