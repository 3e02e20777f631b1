//! The request's `Origin` header, parsed strictly, and the origin patterns
//! of the DSL's index (what an index entry requires of an origin).
//!
//! The parser accepts exactly what the Fetch standard's `Origin` grammar lets a
//! browser send (`scheme "://" host [":" port]`, lowercase, no default port),
//! plus `_` inside labels and one trailing dot, which real URL parsers keep.
//! Anything else is rejected *before* matching, so that the subdomain walk
//! can only ever split the host on real label dots: `/`, `%`, `` ` ``,
//! whitespace or uppercase can never be part of a matched host.

use std::fmt;

use cors_grammar::{
    is_ipv6_byte, is_label_byte, is_scheme_byte, MAX_HOST_LEN, MAX_IPV6_LEN, MAX_LABEL_LEN,
    MAX_ORIGIN_LEN, MAX_SCHEME_LEN,
};

/// An origin pattern's entry in a policy's origin index, keyed by host (an
/// exact pattern) or by base domain (a `*.` pattern).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OriginEntry {
    /// The scheme the origin must have (e.g. `https`), as an index into the
    /// origin index's scheme table.
    pub(crate) scheme: u16,
    /// The port the origin must have.
    pub(crate) port: PortPattern,
    /// `true` for `scheme://*.base`: the key is the base, and one or more
    /// labels must come before it.
    pub(crate) subdomains: bool,
    /// The index of the rule the pattern belongs to.
    pub(crate) rule: u16,
}

/// The port part of an origin pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PortPattern {
    /// No port: the scheme's default.
    Absent,
    /// Exactly this port.
    Exact(u16),
    /// `:*`: any port, or none.
    Any,
}

impl PortPattern {
    /// Whether a request's port matches: `None` when it has none, else its
    /// value (`None` for digits that are not a port, which only `:*`
    /// matches).
    #[inline]
    pub(crate) fn matches(self, port: Option<Option<u16>>) -> bool {
        match (self, port) {
            (PortPattern::Any, _) | (PortPattern::Absent, None) => true,
            (PortPattern::Exact(want), Some(got)) => got == Some(want),
            _ => false,
        }
    }
}

/// The value of at most five decimal digits.
pub(crate) fn port_value(digits: &[u8]) -> Option<u16> {
    if digits.is_empty() || digits.len() > 5 {
        return None;
    }
    let mut value: u32 = 0;
    for &b in digits {
        value = value * 10 + u32::from(b.checked_sub(b'0').filter(|d| *d <= 9)?);
    }
    u16::try_from(value).ok()
}

/// A request origin that passed the grammar check, split into its parts
/// (all ASCII).
#[derive(Debug, Clone, Copy)]
pub(crate) struct RequestOrigin<'a> {
    pub(crate) scheme: &'a [u8],
    pub(crate) host: &'a [u8],
    pub(crate) port: Option<&'a [u8]>,
}

/// Why an `Origin` header value was refused before any matching.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum MalformedOrigin {
    /// The header was sent more than once.
    Repeated,
    /// The value is `null` (sandboxed iframes, `file:` pages, redirects): it
    /// is shared by unrelated documents and can be forged, so only `"*"`
    /// rules ever accept it.
    Null,
    /// The value is longer than any valid origin.
    TooLong,
    /// The scheme is missing or is not lowercase `[a-z][a-z0-9+.-]*`.
    Scheme,
    /// The host is empty or is not a lowercase domain, IPv4 or `[IPv6]`.
    Host,
    /// The port is not a canonical decimal number from 1 to 65535.
    Port,
}

impl fmt::Display for MalformedOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            MalformedOrigin::Repeated => "the Origin header was sent more than once",
            MalformedOrigin::Null => "the `null` origin is shared by sandboxed and local documents and can be forged",
            MalformedOrigin::TooLong => "the Origin header is longer than any valid origin",
            MalformedOrigin::Scheme => "the Origin header has no valid lowercase scheme followed by `://`",
            MalformedOrigin::Host => "the Origin header's host is not a lowercase domain name or IP address (paths, uppercase, empty labels and other characters are refused)",
            MalformedOrigin::Port => "the Origin header's port is not a decimal number from 1 to 65535 without leading zeros",
        })
    }
}

impl std::error::Error for MalformedOrigin {}

impl<'a> RequestOrigin<'a> {
    /// Parses an `Origin` header value, refusing anything a browser would
    /// not send. One pass over the bytes, no allocation.
    pub(crate) fn parse(value: &'a [u8]) -> Result<Self, MalformedOrigin> {
        if value == b"null" {
            return Err(MalformedOrigin::Null);
        }
        if value.len() > MAX_ORIGIN_LEN {
            return Err(MalformedOrigin::TooLong);
        }
        let (scheme, rest) = split_scheme(value)?;
        let host_len = if rest.first() == Some(&b'[') {
            ipv6_len(rest)?
        } else {
            domain_len(rest)?
        };
        let (host, tail) = rest.split_at(host_len);
        let port = match tail {
            [] => None,
            [b':', port @ ..] if is_port(port) => Some(port),
            [b':', ..] => return Err(MalformedOrigin::Port),
            _ => return Err(MalformedOrigin::Host),
        };
        Ok(RequestOrigin { scheme, host, port })
    }
}

impl<'a> RequestOrigin<'a> {
    /// Splits an `Origin` value of the common shape `http://` or
    /// `https://`, a host without brackets, and an optional `:port`, checking
    /// the scheme and the port but **not the host's bytes**: the caller must
    /// prove the host valid, by finding it among a policy's checked keys (or
    /// the labels before a checked `*.` base with [`is_subdomain_labels`]),
    /// or fall back to [`RequestOrigin::parse`]. `None` for any other shape,
    /// and for a port `parse` would refuse (so that it says why).
    ///
    /// When `parse` accepts `value`, it splits it into the same parts: a valid
    /// host has no `:`, so the port starts at the last one.
    #[inline]
    pub(crate) fn split_unchecked(value: &'a [u8]) -> Option<Self> {
        if value.len() > MAX_ORIGIN_LEN {
            return None;
        }
        let (scheme, rest) = split_web_scheme(value)?;
        if rest.first() == Some(&b'[') {
            return None;
        }
        // A port is at most five digits after the last `:`.
        let digits = rest
            .iter()
            .rev()
            .take(6)
            .take_while(|b| b.is_ascii_digit())
            .count();
        let colon = rest.len().checked_sub(digits + 1);
        match colon {
            Some(colon) if rest[colon] == b':' => {
                let port = &rest[colon + 1..];
                is_port(port).then_some(RequestOrigin {
                    scheme,
                    host: &rest[..colon],
                    port: Some(port),
                })
            }
            _ => Some(RequestOrigin {
                scheme,
                host: rest,
                port: None,
            }),
        }
    }
}

/// Whether `host`, split off by [`RequestOrigin::split_unchecked`], is a
/// domain or IPv4 host as [`RequestOrigin::parse`] accepts it.
#[inline]
pub(crate) fn is_domain(host: &[u8]) -> bool {
    domain_len(host) == Ok(host.len())
}

/// Whether `labels` (the part of a request's host before the dot that
/// starts a checked `*.` base) is one or more labels as the parser accepts
/// them: `a-z 0-9 - _`, 1 to 63 bytes each, separated by single dots (a
/// domain without the trailing dot a whole host may end with).
#[inline]
pub(crate) fn is_subdomain_labels(labels: &[u8]) -> bool {
    // `is_domain` without a trailing dot, in one loop of one table lookup
    // per byte (the label's length is counted as it goes).
    if labels.len() > MAX_HOST_LEN + 1 {
        return false;
    }
    let mut label = 0;
    for &b in labels {
        if is_label_byte(b) {
            label += 1;
        } else if b == b'.' && label != 0 && label <= MAX_LABEL_LEN {
            label = 0;
        } else {
            return false;
        }
    }
    label != 0 && label <= MAX_LABEL_LEN
}

/// Splits `https://` or `http://` (what nearly every request has) off the
/// front of `value`, without scanning for the end of the scheme.
#[inline]
fn split_web_scheme(value: &[u8]) -> Option<(&[u8], &[u8])> {
    if let Some(rest) = value.strip_prefix(b"https://") {
        return Some((&value[..5], rest));
    }
    let rest = value.strip_prefix(b"http://")?;
    Some((&value[..4], rest))
}

/// Splits `scheme "://"` off the front of `value`.
#[inline]
fn split_scheme(value: &[u8]) -> Result<(&[u8], &[u8]), MalformedOrigin> {
    if let Some(split) = split_web_scheme(value) {
        return Ok(split);
    }
    let scheme_len = value.iter().take_while(|b| is_scheme_byte(**b)).count();
    let (scheme, rest) = value.split_at(scheme_len);
    let rest = rest.strip_prefix(b"://").ok_or(MalformedOrigin::Scheme)?;
    if !matches!(scheme.first(), Some(b'a'..=b'z')) || scheme.len() > MAX_SCHEME_LEN {
        return Err(MalformedOrigin::Scheme);
    }
    Ok((scheme, rest))
}

/// The length of a bracketed IPv6 host at the start of `rest`.
fn ipv6_len(rest: &[u8]) -> Result<usize, MalformedOrigin> {
    let inner = rest[1..].iter().take_while(|b| is_ipv6_byte(**b)).count();
    if inner == 0 || inner > MAX_IPV6_LEN || rest.get(inner + 1) != Some(&b']') {
        return Err(MalformedOrigin::Host);
    }
    Ok(inner + 2)
}

/// The length of a domain or IPv4 host at the start of `rest`: non-empty
/// labels of `a-z 0-9 - _` (at most 63 bytes each) separated by single dots,
/// with at most one trailing dot, ending at `:` or the end of the value.
fn domain_len(rest: &[u8]) -> Result<usize, MalformedOrigin> {
    // Label bytes are the common case: one table lookup each; a label's
    // length is checked when it ends.
    let mut label_start = 0;
    let mut len = 0;
    while let Some(&b) = rest.get(len) {
        if is_label_byte(b) {
            len += 1;
        } else if b == b'.' {
            let label = len - label_start;
            if label == 0 || label > MAX_LABEL_LEN {
                return Err(MalformedOrigin::Host);
            }
            len += 1;
            label_start = len;
        } else if b == b':' {
            break;
        } else {
            return Err(MalformedOrigin::Host);
        }
    }
    let label = len - label_start;
    if label > MAX_LABEL_LEN {
        return Err(MalformedOrigin::Host);
    }
    // Empty, or only a trailing dot after the last label is allowed.
    let ends_with_dot = label == 0;
    if len == 0 || len > MAX_HOST_LEN + 1 || (ends_with_dot && len < 2) {
        return Err(MalformedOrigin::Host);
    }
    Ok(len)
}

/// A decimal port from 1 to 65535 with no leading zero.
fn is_port(port: &[u8]) -> bool {
    if port.is_empty() || port.len() > 5 || port[0] == b'0' {
        return false;
    }
    let mut value: u32 = 0;
    for &b in port {
        if !b.is_ascii_digit() {
            return false;
        }
        value = value * 10 + u32::from(b - b'0');
    }
    value <= 65535
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(value: &str) -> Result<(String, String, Option<String>), MalformedOrigin> {
        let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
        RequestOrigin::parse(value.as_bytes())
            .map(|o| (text(o.scheme), text(o.host), o.port.map(text)))
    }

    #[test]
    fn accepts_what_browsers_send() {
        assert!(parse("https://example.com").is_ok());
        assert!(parse("http://localhost:8080").is_ok());
        assert!(parse("http://127.0.0.1:3000").is_ok());
        assert!(parse("http://[::1]:3000").is_ok());
        assert!(parse("https://a_b.example.com.").is_ok());
        assert!(parse("chrome-extension://abcdef").is_ok());
        assert_eq!(
            parse("http://[::1]:80").map(|o| o.2),
            Ok(Some("80".to_owned()))
        );
    }

    #[test]
    fn refuses_everything_else() {
        use MalformedOrigin::*;
        for (value, why) in [
            ("null", Null),
            ("https//example.com", Scheme),
            ("HTTPS://example.com", Scheme),
            ("https://", Host),
            ("https://Example.com", Host),
            ("https://example.com/", Host),
            ("https://evil.com/.example.com", Host),
            ("https://a..example.com", Host),
            ("https://.example.com", Host),
            ("https://example.com..", Host),
            ("https://ex`ample.com", Host),
            ("https://ex%60ample.com", Host),
            ("https://u@example.com", Host),
            ("https://example.com:", Port),
            ("https://example.com:0", Port),
            ("https://example.com:08080", Port),
            ("https://example.com:65536", Port),
            ("https://example.com:80a", Port),
            ("http://[::1", Host),
            ("http://[::1]x", Host),
        ] {
            assert_eq!(parse(value), Err(why), "{value}");
        }
        let long = format!("https://{}.com", "a".repeat(400));
        assert_eq!(parse(&long), Err(TooLong));
    }
}
