//! The preflight's `Access-Control-Request-Method` and
//! `Access-Control-Request-Headers`: syntax checks and header-list matching,
//! in one pass and without allocation.

use std::fmt;

/// The longest `Access-Control-Request-Headers` value accepted. Browsers send
/// only the names a page set, so a longer list is an attack on the server's
/// time (rs/cors #170), not a real request.
const MAX_REQUEST_HEADERS_LEN: usize = 4096;

/// How many empty list elements (`a,,b`) are tolerated before the list is
/// refused; browsers send none.
const MAX_EMPTY_ELEMENTS: usize = 16;

/// Why a preflight's request method or header list was refused before any
/// rule was consulted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum MalformedPreflight {
    /// `Access-Control-Request-Method` was sent more than once.
    RepeatedMethod,
    /// `Access-Control-Request-Method` is empty or not an HTTP token.
    InvalidMethod,
    /// `Access-Control-Request-Headers` was sent more than once.
    RepeatedHeaders,
    /// `Access-Control-Request-Headers` is not a comma-separated list of
    /// header names, or is unreasonably long.
    InvalidHeaders,
}

impl fmt::Display for MalformedPreflight {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            MalformedPreflight::RepeatedMethod => {
                "Access-Control-Request-Method was sent more than once"
            }
            MalformedPreflight::InvalidMethod => {
                "Access-Control-Request-Method is empty or not a valid method token"
            }
            MalformedPreflight::RepeatedHeaders => {
                "Access-Control-Request-Headers was sent more than once"
            }
            MalformedPreflight::InvalidHeaders => {
                "Access-Control-Request-Headers is not a short comma-separated list of header names"
            }
        })
    }
}

impl std::error::Error for MalformedPreflight {}

pub(crate) use cors_grammar::{is_tchar, is_token};

/// What one pass over an `Access-Control-Request-Headers` value found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct HeaderList<'v> {
    /// The first requested name the rule does not allow.
    pub(crate) refused: Option<&'v [u8]>,
    /// Whether the list names any header at all (`""` or `" , "` do not).
    pub(crate) has_names: bool,
}

/// Checks the syntax of an `Access-Control-Request-Headers` value and, in the
/// same pass, finds the first name `allows` refuses. Names are header-name
/// tokens separated by commas and optional whitespace.
#[inline]
pub(crate) fn scan<'v>(
    value: &'v [u8],
    allows: impl Fn(&[u8]) -> bool,
) -> Result<HeaderList<'v>, MalformedPreflight> {
    let mut refused = None;
    let has_names = visit_names(value, |name| {
        if refused.is_none() && !allows(name) {
            refused = Some(name);
        }
    })?;
    Ok(HeaderList { refused, has_names })
}

/// Whether `value` is the form browsers send, listed only from `names`:
/// one or more of them, byte for byte, joined by single commas, with no
/// whitespace and no empty element. Each of `names` must be a header-name
/// token (a policy's names are). Such a list is well formed and every name
/// in it is one of `names`, so [`scan`] would refuse none of it; every other
/// list, or a name list longer than [`SHORT_NAME_LIST`], is left to [`scan`]
/// (`false`).
#[inline]
pub(crate) fn lists_only(value: &[u8], names: &[impl AsRef<str>]) -> bool {
    if value.len() > MAX_REQUEST_HEADERS_LEN || names.len() > SHORT_NAME_LIST {
        return false;
    }
    let mut rest = value;
    'elements: loop {
        for name in names {
            let name = name.as_ref().as_bytes();
            // The first byte first: most names differ there, and a slice
            // comparison is a call.
            if name.is_empty() || rest.first() != name.first() {
                continue;
            }
            let Some(after) = rest.strip_prefix(name) else {
                continue;
            };
            match after.split_first() {
                None => return true,
                Some((b',', next)) => {
                    rest = next;
                    continue 'elements;
                }
                Some(_) => {}
            }
        }
        return false;
    }
}

/// The most names [`lists_only`] tries at each element of a list, so that a
/// list costs at most this many comparisons per element before [`scan`]
/// reads it; a rule with more names is left to [`scan`].
pub(crate) const SHORT_NAME_LIST: usize = 16;

/// Checks the syntax of an `Access-Control-Request-Headers` value and hands
/// each name it lists to `visit`, in order, in the same pass; answers
/// whether the list names any header at all (`""` or `" , "` do not).
#[inline]
pub(crate) fn visit_names<'v>(
    value: &'v [u8],
    mut visit: impl FnMut(&'v [u8]),
) -> Result<bool, MalformedPreflight> {
    if value.len() > MAX_REQUEST_HEADERS_LEN {
        return Err(MalformedPreflight::InvalidHeaders);
    }
    let mut has_names = false;
    let mut empty = 0;
    // One pass over the bytes: each element is optional whitespace, a
    // header-name token, optional whitespace; `start..end` is the token.
    let mut at = 0;
    loop {
        while at < value.len() && value[at].is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        // Eight bytes at a time while they are all token bytes (each chunk
        // tested without a branch per byte), then byte by byte.
        while let Some(chunk) = value.get(at..at + 8) {
            if !chunk.iter().fold(true, |all, b| all & is_tchar(*b)) {
                break;
            }
            at += 8;
        }
        while at < value.len() && is_tchar(value[at]) {
            at += 1;
        }
        let end = at;
        while at < value.len() && value[at].is_ascii_whitespace() {
            at += 1;
        }
        if at < value.len() && value[at] != b',' {
            return Err(MalformedPreflight::InvalidHeaders);
        }
        if start == end {
            empty += 1;
            if empty > MAX_EMPTY_ELEMENTS {
                return Err(MalformedPreflight::InvalidHeaders);
            }
        } else {
            has_names = true;
            visit(&value[start..end]);
        }
        if at == value.len() {
            break;
        }
        at += 1;
    }
    Ok(has_names)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matcher::rule::{HeaderPattern, HeaderSet};
    use std::borrow::Cow;

    const SET: HeaderSet = HeaderSet {
        any: false,
        names: Cow::Borrowed(&[Cow::Borrowed("content-type"), Cow::Borrowed("x-a")]),
        patterns: Cow::Borrowed(&[HeaderPattern {
            prefix: Cow::Borrowed("x-amz-"),
            suffix: Cow::Borrowed(""),
        }]),
    };

    fn refused(value: &[u8]) -> Result<Option<&[u8]>, MalformedPreflight> {
        scan(value, |name| SET.allows(name)).map(|list| list.refused)
    }

    /// The definition the one-pass scan implements: split at commas, trim
    /// ASCII whitespace, each element empty or a token.
    fn reference(value: &[u8]) -> Result<Option<&[u8]>, MalformedPreflight> {
        let mut refused = None;
        let mut empty = 0;
        for element in value.split(|b| *b == b',') {
            let name = element.trim_ascii();
            if name.is_empty() {
                empty += 1;
                if empty > MAX_EMPTY_ELEMENTS {
                    return Err(MalformedPreflight::InvalidHeaders);
                }
            } else if !is_token(name) {
                return Err(MalformedPreflight::InvalidHeaders);
            } else if refused.is_none() && !SET.allows(name) {
                refused = Some(name);
            }
        }
        Ok(refused)
    }

    /// Every byte string of at most `max_len` bytes of `alphabet`.
    fn every_list(alphabet: &[u8], max_len: u32) -> impl Iterator<Item = Vec<u8>> + '_ {
        (0..=max_len).flat_map(move |len| {
            (0..alphabet.len().pow(len)).map(move |mut n| {
                let mut value = Vec::new();
                for _ in 0..len {
                    value.push(alphabet[n % alphabet.len()]);
                    n /= alphabet.len();
                }
                value
            })
        })
    }

    #[test]
    fn the_scan_agrees_with_the_definition_on_every_short_list() {
        const ALPHABET: [u8; 7] = [b'x', b'-', b'A', b',', b' ', b'\t', b';'];
        let mut checked = 0;
        for value in every_list(&ALPHABET, 6) {
            assert_eq!(refused(&value), reference(&value), "{value:?}");
            checked += 1;
        }
        assert!(checked > 100_000);
    }

    /// Longer lists, whose names span the scan's eight-byte chunks: a
    /// deterministic sample of lists up to 40 bytes over the same alphabet
    /// with more name bytes.
    #[test]
    fn the_scan_agrees_with_the_definition_on_long_lists() {
        const ALPHABET: [u8; 12] = [
            b'x', b'-', b'a', b'A', b'e', b'1', b',', b' ', b'\t', b';', b'x', b'-',
        ];
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..200_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let len = (state % 41) as usize;
            let mut bits = state;
            let mut value = Vec::with_capacity(len);
            for i in 0..len {
                if i % 16 == 0 {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    bits = state;
                }
                value.push(ALPHABET[(bits % 12) as usize]);
                bits /= 12;
            }
            assert_eq!(refused(&value), reference(&value), "{value:?}");
        }
        for value in [
            &b"content-type,x-requested-with"[..],
            b"x-requested-with-and-more-than-eight",
            b"abcdefgh,abcdefgh , abcdefg;h",
            b"abcdefghijklmnop",
            b"abcdefgh\x80ijklmnop",
        ] {
            assert_eq!(refused(value), reference(value), "{value:?}");
        }
    }

    #[test]
    fn lists_are_checked_and_matched_in_one_pass() {
        assert_eq!(refused(b"content-type,x-a"), Ok(None));
        assert_eq!(refused(b" content-type , X-A ,"), Ok(None));
        assert_eq!(refused(b"x-amz-date,x-b"), Ok(Some(&b"x-b"[..])));
        assert_eq!(refused(b"x-b,x-c"), Ok(Some(&b"x-b"[..])));
        assert!(refused(b"content type").is_err());
        assert!(
            refused(b"x-b,x-a;").is_err(),
            "a bad name after a refused one"
        );
        assert!(refused(&[b','; 20]).is_err());
        assert!(refused(&[b'a'; 5000]).is_err());
        assert_eq!(
            scan(b"", |name| SET.allows(name)).map(|l| l.has_names),
            Ok(false)
        );
        assert_eq!(
            scan(b" , ", |name| SET.allows(name)).map(|l| l.has_names),
            Ok(false)
        );
        assert_eq!(
            scan(b"x-a", |name| SET.allows(name)).map(|l| l.has_names),
            Ok(true)
        );
    }

    /// Every list `lists_only` accepts is one the scan reads as well formed,
    /// naming headers, none refused; it accepts the browser form of the
    /// names and nothing with whitespace, case changes or empty elements.
    #[test]
    fn a_list_of_only_allowed_names_is_one_the_scan_allows() {
        const NAMES: [&str; 3] = ["x-a", "x", "a-x-a"];
        const ALPHABET: [u8; 7] = [b'x', b'-', b'a', b',', b' ', b'A', b'b'];
        let allows = |name: &[u8]| NAMES.iter().any(|allowed| allowed.as_bytes() == name);
        let mut accepted = 0;
        for value in every_list(&ALPHABET, 7) {
            if lists_only(&value, &NAMES) {
                accepted += 1;
                let list = scan(&value, allows).expect("a well-formed list");
                assert_eq!(list.refused, None, "{value:?}");
                assert!(list.has_names, "{value:?}");
                let mut listed = value.split(|b| *b == b',');
                assert!(listed.all(allows), "{value:?}");
            }
        }
        // Every join of the names up to seven bytes: x, x-a, a-x-a, x,x,
        // x,x-a, x-a,x, x,x,x, then seven bytes: x-a,x-a, x,a-x-a,
        // a-x-a,x, x,x,x,x, x,x,x-a, x,x-a,x, x-a,x,x.
        assert_eq!(accepted, 14);
        for value in [&b"x-a,x,a-x-a"[..], b"x", b"x,x,x-a"] {
            assert!(lists_only(value, &NAMES), "{value:?}");
        }
        for value in [
            &b""[..],
            b"x,",
            b",x",
            b"x,,x",
            b"x ,x",
            b" x",
            b"X-A",
            b"x-",
            b"x-ab",
            b"x-a,y",
            b"a-x",
        ] {
            assert!(!lists_only(value, &NAMES), "{value:?}");
        }
    }

    /// A list longer than the scan accepts, or a name list too long to try
    /// at each element, is left to the scan.
    #[test]
    fn long_lists_and_long_name_lists_are_left_to_the_scan() {
        let long = vec![b'x'; MAX_REQUEST_HEADERS_LEN + 1];
        assert!(!lists_only(
            &long,
            &["x".repeat(MAX_REQUEST_HEADERS_LEN + 1)]
        ));
        let names: Vec<String> = (0..=SHORT_NAME_LIST).map(|n| format!("x-{n}")).collect();
        assert!(!lists_only(b"x-0", &names));
        assert!(lists_only(b"x-0", &names[..SHORT_NAME_LIST]));
    }
}
