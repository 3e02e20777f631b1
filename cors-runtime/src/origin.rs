//! The request's `Origin` header: a strict parser, and the lookup of the rules
//! whose origin patterns match it.
//!
//! The parser accepts exactly what the Fetch standard's `Origin` grammar lets a
//! browser send (`scheme "://" host [":" port]`, lowercase, no default port),
//! plus `_` inside labels and one trailing dot, which real URL parsers keep.
//! Anything else is rejected *before* matching, so that the subdomain walk
//! can only ever split the host on real label dots: `/`, `%`, `` ` ``,
//! whitespace or uppercase can never be part of a matched host.

use std::fmt;

use crate::rule_set::RuleSet;
use crate::Policy;

/// The longest origin the parser accepts: a 64-byte scheme, `://`, a 254-byte
/// host (253 plus a trailing dot) and `:65535`.
const MAX_ORIGIN_LEN: usize = 64 + 3 + 254 + 6;

/// An origin pattern's entry in a policy's origin index, keyed by host (an
/// exact pattern) or by base domain (a `*.` pattern).
#[derive(Debug)]
pub struct OriginEntry {
    /// The scheme the origin must have, e.g. `https`.
    #[doc(hidden)]
    pub scheme: &'static str,
    /// The port the origin must have.
    #[doc(hidden)]
    pub port: PortPattern,
    /// `true` for `scheme://*.base`: the key is the base, and one or more
    /// labels must come before it.
    #[doc(hidden)]
    pub subdomains: bool,
    /// The index of the rule the pattern belongs to.
    #[doc(hidden)]
    pub rule: u16,
}

/// The port part of an origin pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PortPattern {
    /// No port: the scheme's default.
    Absent,
    /// Exactly this decimal port (canonical: no leading zero).
    Exact(&'static str),
    /// `:*`: any port, or none.
    Any,
}

impl PortPattern {
    fn matches(self, port: Option<&str>) -> bool {
        match (self, port) {
            (PortPattern::Any, _) | (PortPattern::Absent, None) => true,
            (PortPattern::Exact(want), Some(got)) => want == got,
            _ => false,
        }
    }
}

/// A request origin that passed the grammar check, split into its parts.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RequestOrigin<'a> {
    pub(crate) scheme: &'a str,
    pub(crate) host: &'a str,
    pub(crate) port: Option<&'a str>,
}

/// Why an `Origin` header value was refused before any matching.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

impl<'a> RequestOrigin<'a> {
    /// Parses an `Origin` header value, refusing anything a browser would
    /// not send.
    pub(crate) fn parse(value: &'a [u8]) -> Result<Self, MalformedOrigin> {
        if value == b"null" {
            return Err(MalformedOrigin::Null);
        }
        if value.len() > MAX_ORIGIN_LEN {
            return Err(MalformedOrigin::TooLong);
        }
        // Only ASCII passes the checks below, so this never fails for a
        // value that parses; checking first keeps the slicing on `str`.
        let text = std::str::from_utf8(value).map_err(|_| MalformedOrigin::Scheme)?;
        let (scheme, rest) = text.split_once("://").ok_or(MalformedOrigin::Scheme)?;
        if !is_scheme(scheme) {
            return Err(MalformedOrigin::Scheme);
        }
        let (host, port) = split_port(rest)?;
        if !is_host(host) {
            return Err(MalformedOrigin::Host);
        }
        Ok(RequestOrigin { scheme, host, port })
    }
}

/// `[a-z][a-z0-9+.-]*`, at most 64 bytes.
fn is_scheme(scheme: &str) -> bool {
    let bytes = scheme.as_bytes();
    matches!(bytes.first(), Some(b'a'..=b'z'))
        && bytes.len() <= 64
        && bytes
            .iter()
            .all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'+' | b'-' | b'.'))
}

/// Splits `host[:port]`, where an IPv6 host is bracketed and so may contain
/// colons of its own.
fn split_port(rest: &str) -> Result<(&str, Option<&str>), MalformedOrigin> {
    let host_end = if rest.starts_with('[') {
        rest.find(']').map(|i| i + 1).ok_or(MalformedOrigin::Host)?
    } else {
        rest.find(':').unwrap_or(rest.len())
    };
    let (host, tail) = rest.split_at(host_end);
    if tail.is_empty() {
        return Ok((host, None));
    }
    let port = tail.strip_prefix(':').ok_or(MalformedOrigin::Host)?;
    if is_port(port) {
        Ok((host, Some(port)))
    } else {
        Err(MalformedOrigin::Port)
    }
}

/// A decimal port from 1 to 65535 with no leading zero.
fn is_port(port: &str) -> bool {
    let bytes = port.as_bytes();
    (1..=5).contains(&bytes.len())
        && bytes[0] != b'0'
        && bytes.iter().all(u8::is_ascii_digit)
        && port.parse::<u32>().is_ok_and(|n| n <= 65535)
}

/// A bracketed IPv6 address (lowercase hex, colons and dots), or dot-separated
/// non-empty labels of `a-z 0-9 - _` with at most one trailing dot.
fn is_host(host: &str) -> bool {
    if let Some(inner) = host.strip_prefix('[') {
        let Some(inner) = inner.strip_suffix(']') else {
            return false;
        };
        return !inner.is_empty()
            && inner.len() <= 39
            && inner
                .bytes()
                .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f' | b':' | b'.'));
    }
    let labels = host.strip_suffix('.').unwrap_or(host);
    !labels.is_empty()
        && host.len() <= 254
        && labels.split('.').all(|label| {
            (1..=63).contains(&label.len())
                && label
                    .bytes()
                    .all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_'))
        })
}

impl Policy {
    /// The rules whose origin patterns match `origin` (rules allowing `"*"`
    /// included): one perfect-hash lookup for the host, then one per proper
    /// label suffix of the host no longer than the longest `*.` base.
    pub(crate) fn rules_for_origin(&self, origin: &RequestOrigin<'_>) -> RuleSet {
        let mut rules = self.any_origin;
        if let Some(entries) = self.origins.get(origin.host) {
            collect(&mut rules, entries, origin, false);
        }
        if self.longest_wildcard_base == 0 || origin.host.starts_with('[') {
            return rules;
        }
        let host = origin.host;
        for (dot, _) in host.match_indices('.') {
            let base = &host[dot + 1..];
            if base.len() > self.longest_wildcard_base || base.is_empty() {
                continue;
            }
            if let Some(entries) = self.origins.get(base) {
                collect(&mut rules, entries, origin, true);
            }
        }
        rules
    }
}

/// Adds to `rules` the rules of the `entries` that match `origin`, looking
/// only at subdomain patterns when the key was a proper suffix of the host
/// and only at exact ones when it was the host itself.
fn collect(rules: &mut RuleSet, entries: &[OriginEntry], origin: &RequestOrigin<'_>, suffix: bool) {
    for entry in entries {
        if entry.subdomains == suffix
            && entry.scheme == origin.scheme
            && entry.port.matches(origin.port)
        {
            rules.insert(entry.rule);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(value: &str) -> Result<(String, String, Option<String>), MalformedOrigin> {
        RequestOrigin::parse(value.as_bytes()).map(|o| {
            (
                o.scheme.to_owned(),
                o.host.to_owned(),
                o.port.map(str::to_owned),
            )
        })
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
