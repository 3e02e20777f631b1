//! The grammar and limits every crate of the `cors_policy!` project shares,
//! written once: the checker (`cors-config`, behind the macro and the
//! run-time loaders), the S3 validation (`cors-s3`) and the request-time
//! matcher (`cors-runtime`) all read them from here, so a check and the
//! matcher can never disagree on what a token, a label or a limit is. Values
//! quoted in their messages go through [`quote`]: short, and with control
//! and bidirectional-formatting characters escaped.
//!
//! ```
//! assert!(cors_grammar::is_token(b"x-api-key"));
//! assert!(!cors_grammar::is_token(b"x api"));
//! assert!(cors_grammar::glob_matches_ignoring_case(b"x-amz-", b"", b"X-Amz-Date"));
//! assert!(cors_grammar::is_label_byte(b'_') && !cors_grammar::is_label_byte(b'A'));
//! ```
#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod quote;
pub mod report;
// Shared between this workspace's crates (`cors-config` and `cors-s3` lay the
// index out, `cors-macros` and `cors-runtime` read it), not public API: hidden
// from the documentation and outside semver, like serde's `__private`.
#[doc(hidden)]
pub mod rule_index;
#[cfg(feature = "std")]
pub mod work;

pub use quote::{is_escaped_in_messages, quote, quote_to, Quoted, MAX_QUOTED_CHARS};

/// The most rules one policy may have: the runtime keeps the rules that
/// match an origin in a fixed-size bitset of this many bits (Amazon S3
/// allows 100).
pub const MAX_RULES: usize = 256;

/// The words of that bitset.
pub const RULE_SET_WORDS: usize = MAX_RULES / 64;

/// Adds rule `index` to a rule bitset; an index of [`MAX_RULES`] or more
/// is ignored (the checkers refuse such policies before any bitset is
/// built).
#[inline]
pub fn insert_rule(words: &mut [u64; RULE_SET_WORDS], index: usize) {
    if let Some(word) = words.get_mut(index / 64) {
        *word |= 1 << (index % 64);
    }
}

/// The longest rule id, in characters (Amazon S3's limit).
pub const MAX_ID_LEN: usize = 255;

/// The most `open_paths` one policy may list: an open path is an exception
/// to the cross-origin protection, and a list longer than this is better
/// written as a prefix (`/hooks/*`).
pub const MAX_OPEN_PATHS: usize = 64;

/// The longest open path, in bytes (far above a real route, and a bound on
/// what the matcher compares per request).
pub const MAX_OPEN_PATH_LEN: usize = 1024;

/// The most distinct request-header patterns (`x-amz-*`) one policy may
/// list across its rules: each request header is tested against every one
/// of them (at check time against each distinct header name, at run time
/// against each requested header), so the count bounds both costs.
pub const MAX_HEADER_PATTERNS: usize = 32;

/// The most distinct request-header patterns (`x-amz-*`, compared without
/// case) one S3 configuration may list across its rules. S3 itself sets no
/// such limit; this one lets the matcher hold every pattern in its two
/// pattern tries (of this many keys), so that a request's cost does
/// not grow with the number of patterns a 64 KB configuration can hold (up
/// to about 6,000).
pub const MAX_S3_HEADER_PATTERNS: usize = rule_index::TRIE_KEYS;

const _: () = assert!(MAX_HEADER_PATTERNS <= rule_index::TRIE_KEYS);

/// The longest scheme of an origin (jub0bs/cors's cap).
pub const MAX_SCHEME_LEN: usize = 64;

/// The longest host, without its optional trailing dot (RFC 1035).
pub const MAX_HOST_LEN: usize = 253;

/// The longest label of a host (RFC 1035).
pub const MAX_LABEL_LEN: usize = 63;

/// The longest bracketed IPv6 address between its brackets.
pub const MAX_IPV6_LEN: usize = 39;

/// The longest valid origin: a scheme, `://`, a host with a trailing dot,
/// and `:65535`.
pub const MAX_ORIGIN_LEN: usize = MAX_SCHEME_LEN + 3 + MAX_HOST_LEN + 1 + 6;

const TOKEN: u8 = 1;
const SCHEME: u8 = 2;
const LABEL: u8 = 4;
const IPV6: u8 = 8;

/// `CLASSES[b]` has the bit of each class `b` belongs to: HTTP `tchar`s (RFC
/// 9110 §5.6.2), scheme characters `a-z 0-9 + - .`, host label characters
/// `a-z 0-9 - _`, and the characters of a bracketed IPv6 address
/// `0-9 a-f : .`.
const CLASSES: [u8; 256] = {
    let mut classes = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        let lower = c.is_ascii_lowercase();
        let digit = c.is_ascii_digit();
        if c.is_ascii_alphanumeric()
            || matches!(
                c,
                b'!' | b'#'
                    | b'$'
                    | b'%'
                    | b'&'
                    | b'\''
                    | b'*'
                    | b'+'
                    | b'-'
                    | b'.'
                    | b'^'
                    | b'_'
                    | b'`'
                    | b'|'
                    | b'~'
            )
        {
            classes[b] |= TOKEN;
        }
        if lower || digit || c == b'+' || c == b'-' || c == b'.' {
            classes[b] |= SCHEME;
        }
        if lower || digit || c == b'-' || c == b'_' {
            classes[b] |= LABEL;
        }
        if digit || (c >= b'a' && c <= b'f') || c == b':' || c == b'.' {
            classes[b] |= IPV6;
        }
        b += 1;
    }
    classes
};

#[inline]
const fn is(class: u8, byte: u8) -> bool {
    CLASSES[byte as usize] & class != 0
}

/// Whether `byte` is an HTTP `tchar`: what method and header names are made of.
#[inline]
pub const fn is_tchar(byte: u8) -> bool {
    is(TOKEN, byte)
}

/// Whether `bytes` is an HTTP token: a non-empty run of `tchar`s.
#[inline]
pub fn is_token(bytes: &[u8]) -> bool {
    !bytes.is_empty() && bytes.iter().all(|b| is_tchar(*b))
}

/// Whether `byte` may appear in a lowercase scheme (`a-z 0-9 + - .`).
#[inline]
pub const fn is_scheme_byte(byte: u8) -> bool {
    is(SCHEME, byte)
}

/// Whether `byte` may appear in a lowercase host label (`a-z 0-9 - _`).
#[inline]
pub const fn is_label_byte(byte: u8) -> bool {
    is(LABEL, byte)
}

/// Whether `byte` may appear inside the brackets of an IPv6 host
/// (`0-9 a-f : .`, lowercase as browsers serialise it).
#[inline]
pub const fn is_ipv6_byte(byte: u8) -> bool {
    is(IPV6, byte)
}

/// Whether `name` is `prefix`, then any run of bytes (possibly empty), then
/// `suffix`, ignoring ASCII case; prefix and suffix never overlap. Header
/// patterns with one `*` (`x-amz-*`) match this way, in the DSL and in S3
/// configurations.
#[inline]
pub fn glob_matches_ignoring_case(prefix: &[u8], suffix: &[u8], name: &[u8]) -> bool {
    name.len() >= prefix.len() + suffix.len()
        && name[..prefix.len()].eq_ignore_ascii_case(prefix)
        && name[name.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each byte class against its definition, byte by byte.
    #[test]
    fn byte_classes_hold_exactly_their_bytes() {
        let tchar_symbols = b"!#$%&'*+-.^_`|~";
        for byte in 0..=u8::MAX {
            let c = byte as char;
            assert_eq!(
                is_tchar(byte),
                c.is_ascii_alphanumeric() || tchar_symbols.contains(&byte),
                "tchar {byte:#04x}"
            );
            assert_eq!(
                is_scheme_byte(byte),
                c.is_ascii_lowercase() || c.is_ascii_digit() || b"+-.".contains(&byte),
                "scheme {byte:#04x}"
            );
            assert_eq!(
                is_label_byte(byte),
                c.is_ascii_lowercase() || c.is_ascii_digit() || b"-_".contains(&byte),
                "label {byte:#04x}"
            );
            assert_eq!(
                is_ipv6_byte(byte),
                c.is_ascii_digit() || ('a'..='f').contains(&c) || b":.".contains(&byte),
                "ipv6 {byte:#04x}"
            );
        }
    }

    #[test]
    fn tokens_are_non_empty_runs_of_tchars() {
        for token in ["GET", "x-api-key", "X_Custom.1", "!#$%&'*+-.^_`|~"] {
            assert!(is_token(token.as_bytes()), "{token}");
        }
        for not in ["", "x api", "x:y", "é", "a,b", "(x)", "a\tb", "\"q\""] {
            assert!(!is_token(not.as_bytes()), "{not}");
        }
    }

    #[test]
    fn globs_match_prefix_and_suffix_ignoring_case() {
        let cases: [(&str, &str, &str, bool); 9] = [
            ("x-amz-", "", "X-Amz-Date", true),
            ("x-amz-", "", "x-amz-", true),
            ("x-amz-", "", "x-am", false),
            ("", "-id", "Request-ID", true),
            ("a", "a", "a", false), // prefix and suffix never overlap
            ("a", "a", "aa", true),
            ("x-", "-y", "x-y", false),
            ("x-", "-y", "x--y", true),
            ("", "", "", true),
        ];
        for (prefix, suffix, name, expected) in cases {
            assert_eq!(
                glob_matches_ignoring_case(prefix.as_bytes(), suffix.as_bytes(), name.as_bytes()),
                expected,
                "{prefix}*{suffix} against {name}"
            );
        }
    }

    #[test]
    fn rule_sets_hold_every_rule_below_the_limit_and_ignore_the_rest() {
        let mut words = [0u64; RULE_SET_WORDS];
        for index in [0, 63, 64, 200, MAX_RULES - 1, MAX_RULES, usize::MAX] {
            insert_rule(&mut words, index);
        }
        let held: alloc::vec::Vec<usize> = (0..MAX_RULES)
            .filter(|&i| words[i / 64] & (1 << (i % 64)) != 0)
            .collect();
        assert_eq!(held, [0, 63, 64, 200, MAX_RULES - 1]);
    }

    #[test]
    fn the_longest_origin_is_the_sum_of_its_longest_parts() {
        let longest = alloc::format!(
            "{}://{}.:65535",
            "a".repeat(MAX_SCHEME_LEN),
            "b".repeat(MAX_HOST_LEN)
        );
        assert_eq!(longest.len(), MAX_ORIGIN_LEN);
    }
}
