//! The preflight's `Access-Control-Request-Method` and
//! `Access-Control-Request-Headers`: syntax checks and header-list matching,
//! in one pass and without allocation.

use std::fmt;

use crate::rule::HeaderSet;

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

/// `TCHAR[b]`: whether `b` is an HTTP `tchar` (RFC 9110 §5.6.2).
const TCHAR: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric()
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
            );
        b += 1;
    }
    table
};

/// A non-empty run of `tchar`s.
pub(crate) fn is_token(bytes: &[u8]) -> bool {
    !bytes.is_empty() && bytes.iter().all(|b| TCHAR[usize::from(*b)])
}

/// The names in an `Access-Control-Request-Headers` value, with optional
/// whitespace trimmed and empty elements skipped.
fn names(value: &[u8]) -> impl Iterator<Item = &[u8]> {
    value
        .split(|b| *b == b',')
        .map(|element| element.trim_ascii())
        .filter(|name| !name.is_empty())
}

/// Checks the syntax of an `Access-Control-Request-Headers` value.
pub(crate) fn check_header_list(value: &[u8]) -> Result<(), MalformedPreflight> {
    if value.len() > MAX_REQUEST_HEADERS_LEN {
        return Err(MalformedPreflight::InvalidHeaders);
    }
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
        }
    }
    Ok(())
}

/// The first requested header name that `allowed` does not cover, if any.
/// The list must have passed [`check_header_list`].
pub(crate) fn first_refused<'v>(value: &'v [u8], allowed: &HeaderSet) -> Option<&'v [u8]> {
    if allowed.any {
        return None;
    }
    names(value).find(|name| !allowed.allows(name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rule::HeaderPattern;

    const SET: HeaderSet = HeaderSet {
        any: false,
        names: &["content-type", "x-a"],
        patterns: &[HeaderPattern {
            prefix: "x-amz-",
            suffix: "",
        }],
    };

    #[test]
    fn lists_are_checked_and_matched() {
        assert!(check_header_list(b"content-type,x-a").is_ok());
        assert!(check_header_list(b" content-type , X-A ,").is_ok());
        assert!(check_header_list(b"content type").is_err());
        assert!(check_header_list(b"x-a;").is_err());
        assert!(check_header_list(&[b','; 20]).is_err());
        assert!(check_header_list(&[b'a'; 5000]).is_err());
        assert_eq!(first_refused(b"content-type, x-a", &SET), None);
        assert_eq!(first_refused(b"x-amz-date,x-b", &SET), Some(&b"x-b"[..]));
    }
}
