//! Origin patterns: `*`, `scheme://host[:port]`, `scheme://*.base[:port]` and
//! `scheme://host:*`.
//!
//! Browsers serialise an origin as lowercase scheme and host, without a
//! default port, path or trailing slash (Fetch standard, "origin" header
//! grammar; RFC 6454 §6.2), and the runtime compares origins byte for byte.
//! So anything a browser cannot send is refused here, with the form it would
//! send as the fix, instead of being a pattern that silently never matches.

use std::net::{Ipv4Addr, Ipv6Addr};

use cors_grammar::quote;

use crate::domain_ascii;
use crate::model::{OriginPattern, Port};

/// What an origin literal means.
pub(crate) enum Origin {
    /// `*`: any origin.
    Any,
    Pattern(OriginPattern),
}

use cors_grammar::{is_label_byte, is_scheme_byte, MAX_HOST_LEN, MAX_LABEL_LEN, MAX_SCHEME_LEN};

/// Parses one origin pattern, or says what is wrong and how to write it
/// (every value in the message quoted with [`quote`]).
pub(crate) fn parse(text: &str) -> Result<Origin, String> {
    if text == "*" {
        return Ok(Origin::Any);
    }
    if text == "null" {
        return Err(
            "the `null` origin cannot be allowed: sandboxed iframes, `data:` and `file:` \
                    documents and some redirects all send it, so any site can forge it; \
                    remove it (use `\"*\"` if every origin is really meant)"
                .into(),
        );
    }
    if text.chars().any(char::is_whitespace) {
        return Err(format!(
            "origin `{}` contains whitespace; write it as `{}`",
            quote(text),
            quote(&text.split_whitespace().collect::<String>())
        ));
    }
    let Some((scheme, rest)) = text.split_once("://") else {
        if text.starts_with("file:") {
            return Err(file_scheme());
        }
        let text = quote(text);
        return Err(format!(
            "origin `{text}` is not of the form `scheme://host[:port]`; write e.g. `https://{text}`"
        ));
    };
    check_scheme(scheme, rest)?;
    let bare = strip_beyond_origin(text, scheme, rest)?;
    let (host, port) = split_port(scheme, bare)?;
    let port = check_port(text, scheme, host, port)?;
    let (host, subdomains) = match host.strip_prefix("*.") {
        Some(base) => (base, true),
        None => (host, false),
    };
    check_host(text, host, subdomains)?;
    Ok(Origin::Pattern(OriginPattern {
        scheme: scheme.to_owned(),
        host: host.to_owned(),
        subdomains,
        port,
    }))
}

fn file_scheme() -> String {
    "`file:` origins cannot be allowed: browsers serialise them as `null`, which any site \
     can forge; serve the page over `http://localhost` instead"
        .into()
}

/// A lowercase scheme: `[a-z][a-z0-9+.-]*`, not `file`, not a wildcard.
fn check_scheme(scheme: &str, rest: &str) -> Result<(), String> {
    let shown = quote(scheme);
    let rest = quote(rest);
    if scheme.contains('*') {
        return Err(format!(
            "the scheme cannot be a wildcard; list each scheme, e.g. `https://{rest}`"
        ));
    }
    if scheme.eq_ignore_ascii_case("file") {
        return Err(file_scheme());
    }
    let lower = scheme.to_ascii_lowercase();
    let valid = lower.len() <= MAX_SCHEME_LEN
        && lower.starts_with(|c: char| c.is_ascii_lowercase())
        && lower.bytes().all(is_scheme_byte);
    if !valid {
        return Err(format!(
            "`{shown}` is not a valid scheme: it must start with a letter and contain only \
             letters, digits, `+`, `-` and `.` (at most {MAX_SCHEME_LEN}); write e.g. `https://{rest}`"
        ));
    }
    if lower != scheme {
        return Err(format!(
            "the scheme `{shown}` must be lowercase, as browsers send it; write `{}://{rest}`",
            quote(&lower)
        ));
    }
    Ok(())
}

/// Refuses a path, query, fragment or userinfo: an origin is only
/// `scheme://host[:port]`. Returns `host[:port]`.
fn strip_beyond_origin<'t>(text: &str, scheme: &str, rest: &'t str) -> Result<&'t str, String> {
    if let Some(end) = rest.find(['/', '?', '#']) {
        let what = match rest.as_bytes()[end] {
            b'/' if end + 1 == rest.len() => "a trailing slash",
            b'/' => "a path",
            b'?' => "a query",
            _ => "a fragment",
        };
        return Err(format!(
            "origin `{}` has {what}, but an origin is only `scheme://host[:port]` and \
             browsers never send more; write `{}://{}`",
            quote(text),
            quote(scheme),
            quote(&rest[..end])
        ));
    }
    if let Some(at) = rest.rfind('@') {
        return Err(format!(
            "origin `{}` has user information before `@`, which browsers never send in \
             an origin; write `{}://{}`",
            quote(text),
            quote(scheme),
            quote(&rest[at + 1..])
        ));
    }
    Ok(rest)
}

/// Splits `host[:port]`; a bracketed IPv6 host has colons of its own.
fn split_port<'t>(scheme: &str, bare: &'t str) -> Result<(&'t str, Option<&'t str>), String> {
    let origin = || quote(scheme).to_string() + "://" + &quote(bare).to_string();
    let host_end = if bare.starts_with('[') {
        match bare.find(']') {
            Some(close) => close + 1,
            None => {
                return Err(format!(
                    "the IPv6 address in `{}` has no closing `]`",
                    origin()
                ))
            }
        }
    } else {
        bare.find(':').unwrap_or(bare.len())
    };
    let (host, tail) = bare.split_at(host_end);
    if tail.is_empty() {
        return Ok((host, None));
    }
    match tail.strip_prefix(':') {
        Some(port) => Ok((host, Some(port))),
        None => Err(format!(
            "unexpected `{}` after the host in `{}`; a port is written `:8080`",
            quote(tail),
            origin()
        )),
    }
}

/// A port is `*`, or a decimal from 1 to 65535 without a leading zero and
/// other than the scheme's default (browsers leave the default out).
fn check_port(text: &str, scheme: &str, host: &str, port: Option<&str>) -> Result<Port, String> {
    let Some(port) = port else {
        return Ok(Port::Absent);
    };
    if port == "*" {
        return Ok(Port::Any);
    }
    let without = quote(&format!("{scheme}://{host}")).to_string();
    let (text, shown) = (quote(text), quote(port));
    if port.is_empty() {
        return Err(format!(
            "origin `{text}` ends with `:` but has no port; write `{without}` or add a port"
        ));
    }
    let number = port
        .parse::<u16>()
        .ok()
        .filter(|n| *n != 0 && port.bytes().all(|b| b.is_ascii_digit()));
    let Some(number) = number else {
        return Err(format!(
            "`{shown}` in `{text}` is not a port: write a decimal number from 1 to 65535, \
             or `*` for any port"
        ));
    };
    if port.starts_with('0') {
        return Err(format!(
            "the port `{shown}` has a leading zero, which browsers never send; write `{without}:{number}`"
        ));
    }
    if default_port(scheme) == Some(number) {
        return Err(format!(
            "`:{number}` is the default port of `{}`, and browsers leave it out of the \
             origin, so this pattern would never match; write `{without}`",
            quote(scheme)
        ));
    }
    Ok(Port::Exact(number))
}

fn default_port(scheme: &str) -> Option<u16> {
    match scheme {
        "http" | "ws" => Some(80),
        "https" | "wss" => Some(443),
        _ => None,
    }
}

/// The host: a canonical IPv4, a canonical bracketed IPv6, or a lowercase
/// ASCII domain of non-empty labels (`a-z 0-9 - _`, one optional trailing
/// dot). `subdomains` means the host is the base of a `*.` pattern.
fn check_host(text: &str, host: &str, subdomains: bool) -> Result<(), String> {
    let shown = quote(text);
    if host.contains('*') {
        return Err(format!(
            "misplaced wildcard in `{shown}`: `*` may only be the whole leftmost label \
             (`https://*.example.com`, one or more subdomains) or the whole port \
             (`http://localhost:*`)"
        ));
    }
    if host.is_empty() {
        return Err(format!(
            "origin `{shown}` has no host; write e.g. `https://example.com`"
        ));
    }
    if let Some(inner) = host.strip_prefix('[') {
        return check_ipv6(text, host, inner, subdomains);
    }
    if !host.is_ascii() {
        return Err(non_ascii_host(text, host));
    }
    check_domain_labels(text, host)?;
    let labels = host.strip_suffix('.').unwrap_or(host);
    // The URL Standard's "ends in a number": such a host is parsed (and
    // rewritten) as IPv4 by browsers; any other host is a domain, even one
    // whose last label starts with a digit (`moz-extension://0b6a1c2e-...`).
    let last = labels.rsplit('.').next().unwrap_or(labels);
    let hex = last
        .strip_prefix("0x")
        .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()));
    if last.bytes().all(|b| b.is_ascii_digit()) || hex.is_some() {
        return check_ipv4(text, labels, subdomains);
    }
    Ok(())
}

/// The message for a host that is not ASCII, naming the form a browser
/// sends where it can be worked out.
fn non_ascii_host(text: &str, host: &str) -> String {
    // What a browser sends: the URL Standard's "domain to ASCII" (UTS #46
    // mapping, then punycode), where `domain_ascii` can decide it.
    match domain_ascii::domain_to_ascii(host) {
        Some(ascii) if !ascii.is_empty() => format!(
            "the host `{}` is not ASCII, and browsers send it as `{}` (IDNA mapping \
             and punycode); write `{}`",
            quote(host),
            quote(&ascii),
            quote(&text.replace(host, &ascii))
        ),
        _ => format!(
            "the host `{}` is not ASCII, and the checker cannot work out the form a \
             browser sends (it is not a valid internationalised domain name, or it needs \
             Unicode normalisation, bidi or joiner rules); write the ASCII (`xn--`) form \
             a browser would send",
            quote(host)
        ),
    }
}

/// Checks an ASCII host as a domain: lowercase, not too long, of non-empty
/// labels of `a-z 0-9 - _`, none too long.
fn check_domain_labels(text: &str, host: &str) -> Result<(), String> {
    let shown = quote(text);
    let lower = host.to_ascii_lowercase();
    if lower != host {
        return Err(format!(
            "the host in `{shown}` must be lowercase: browsers send it lowercase and origins are \
             compared byte for byte; write `{}`",
            quote(&text.replace(host, &lower))
        ));
    }
    let labels = host.strip_suffix('.').unwrap_or(host);
    if host.len() > MAX_HOST_LEN + 1 {
        return Err(format!(
            "the host in `{shown}` is longer than {MAX_HOST_LEN} characters"
        ));
    }
    if labels.is_empty() || labels.split('.').any(str::is_empty) {
        return Err(format!(
            "the host in `{shown}` has an empty label (`..`, or a leading or extra trailing dot)"
        ));
    }
    if let Some(bad) = host
        .chars()
        .find(|&c| c != '.' && !(c.is_ascii() && is_label_byte(c as u8)))
    {
        return Err(format!(
            "the host in `{shown}` contains `{}`; a host has only letters, digits, `-`, `_` \
             and dots",
            quote(bad.encode_utf8(&mut [0; 4]))
        ));
    }
    if let Some(long) = labels.split('.').find(|l| l.len() > MAX_LABEL_LEN) {
        return Err(format!(
            "the label `{}` in `{shown}` is longer than {MAX_LABEL_LEN} characters",
            quote(long)
        ));
    }
    Ok(())
}

/// A host whose last label is a number must be a canonical IPv4
/// address: browsers rewrite `127.1` or `0x7f.1` to dotted-quad form.
fn check_ipv4(text: &str, host: &str, subdomains: bool) -> Result<(), String> {
    let text = quote(text);
    match host.parse::<Ipv4Addr>() {
        Ok(_) if subdomains => Err(format!(
            "`{text}` puts a `*.` wildcard in front of an IP address, which has no subdomains; \
             list the address itself"
        )),
        Ok(ip) if ip.to_string() == host => Ok(()),
        _ => Err(format!(
            "the host in `{text}` is not a canonical IPv4 address (four decimal numbers from 0 to \
             255 without leading zeros, such as `127.0.0.1`), and a domain's last label cannot \
             be a number"
        )),
    }
}

/// A bracketed IPv6 address, in the compressed lowercase form of RFC 5952
/// that browsers send.
fn check_ipv6(text: &str, host: &str, inner: &str, subdomains: bool) -> Result<(), String> {
    let (shown, shown_host) = (quote(text), quote(host));
    if subdomains {
        return Err(format!(
            "`{shown}` puts a `*.` wildcard in front of an IP address, which has no subdomains; \
             list the address itself"
        ));
    }
    let inner = inner.strip_suffix(']').unwrap_or(inner);
    if inner.contains('%') {
        return Err(format!(
            "`{shown}` has an IPv6 zone identifier, which browsers never send in an origin; remove \
             the `%...` part"
        ));
    }
    match inner.parse::<Ipv6Addr>() {
        Ok(ip) if ip.to_ipv4_mapped().is_some() => Err(format!(
            "`{shown_host}` is an IPv4-mapped IPv6 address; write the IPv4 address instead"
        )),
        Ok(ip) => {
            let canonical = format!("[{ip}]");
            if canonical == host {
                Ok(())
            } else {
                Err(format!(
                    "`{shown_host}` is not in the compressed lowercase form browsers send; write `{}`",
                    quote(&text.replace(host, &canonical))
                ))
            }
        }
        Err(_) => Err(format!(
            "`{shown_host}` in `{shown}` is not a valid IPv6 address"
        )),
    }
}

/// Whether an origin with this pattern's scheme and host is "potentially
/// trustworthy" (W3C Secure Contexts): `https`/`wss`, a browser
/// extension's own scheme (extension pages are secure contexts: their code
/// is installed, never fetched over the network), or a loopback host, which
/// never leaves the machine. A plain-`http` origin's pages can be rewritten
/// by anyone on the network path.
pub(crate) fn is_secure(pattern: &OriginPattern) -> bool {
    if matches!(pattern.scheme.as_str(), "https" | "wss") || is_extension(&pattern.scheme) {
        return true;
    }
    let host = pattern.host.strip_suffix('.').unwrap_or(&pattern.host);
    let localhost = host == "localhost" || host.ends_with(".localhost");
    let loopback_ip = match host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        Some(v6) => v6.parse::<Ipv6Addr>().is_ok_and(|ip| ip.is_loopback()),
        None => !pattern.subdomains && host.parse::<Ipv4Addr>().is_ok_and(|ip| ip.is_loopback()),
    };
    localhost || loopback_ip
}

/// The schemes of browser extension origins: Chromium's, Firefox's and
/// Safari's.
fn is_extension(scheme: &str) -> bool {
    matches!(
        scheme,
        "chrome-extension" | "moz-extension" | "safari-web-extension"
    )
}

/// The text a browser would send for a pattern (wildcards included), for
/// duplicate detection and messages.
pub(crate) fn display(pattern: &OriginPattern) -> String {
    let star = if pattern.subdomains { "*." } else { "" };
    let port = match pattern.port {
        Port::Absent => String::new(),
        Port::Exact(n) => format!(":{n}"),
        Port::Any => ":*".into(),
    };
    format!("{}://{star}{}{port}", pattern.scheme, pattern.host)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> OriginPattern {
        match parse(text) {
            Ok(Origin::Pattern(p)) => p,
            Ok(Origin::Any) => panic!("{text}: any"),
            Err(e) => panic!("{text}: {e}"),
        }
    }

    fn err(text: &str) -> String {
        match parse(text) {
            Err(e) => e,
            Ok(_) => panic!("{text} was accepted"),
        }
    }

    #[test]
    fn accepts_every_documented_form() {
        assert_eq!(display(&ok("https://example.com")), "https://example.com");
        assert_eq!(
            display(&ok("https://*.example.com:*")),
            "https://*.example.com:*"
        );
        assert_eq!(ok("http://localhost:*").port, Port::Any);
        assert_eq!(ok("http://127.0.0.1:8080").port, Port::Exact(8080));
        assert_eq!(ok("http://[::1]:3000").host, "[::1]");
        assert_eq!(ok("https://example.com.").host, "example.com.");
        assert_eq!(ok("chrome-extension://abc").scheme, "chrome-extension");
        assert!(matches!(parse("*"), Ok(Origin::Any)));
    }

    #[test]
    fn refuses_with_a_fix() {
        assert!(err("https://Example.com").contains("write `https://example.com`"));
        assert!(err("https://example.com/").contains("trailing slash"));
        assert!(err("https://example.com:443").contains("write `https://example.com`"));
        assert!(err("https://résumé.com").contains("write `https://xn--rsum-bpad.com`"));
        // Full-width letters map to ASCII, as in a browser's address bar.
        assert!(err("https://\u{ff45}xample.com").contains("write `https://example.com`"));
        assert!(err("https://*.RÉSUMÉ.com").contains("write `https://*.xn--rsum-bpad.com`"));
        assert!(err("http://[0:0:0:0:0:0:0:1]").contains("write `http://[::1]`"));
        for bad in [
            "null",
            "file:///x",
            "file://example.com",
            "https://example.com/path",
            "https://example.com?q",
            "https://example.com#f",
            "https://u:p@example.com",
            " https://example.com",
            "http://example.com:80",
            "https://example.com:0",
            "https://example.com:65536",
            "https://example.com:06060",
            "https://example.com:abc",
            "https://example.com:",
            "http://127.1",
            "http://0xFF000000",
            "http://foo.bar.255",
            "http://[::ffff:7f7f:7f7f]",
            "http://[fe80::1%eth0]",
            "http://**.example.com",
            "http://a.*.example.com",
            "http://*example.com",
            "http://*.127.0.0.1",
            "http://*.[::1]",
            "https://example.*",
            "*://example.com",
            "HTTPS://example.com",
            "https://a..example.com",
            "https://.example.com",
            "example.com",
            "https://",
            "https://exa$mple.com",
        ] {
            let _ = err(bad);
        }
    }

    #[test]
    fn knows_secure_origins() {
        assert!(is_secure(&ok("https://example.com")));
        assert!(is_secure(&ok("http://localhost:*")));
        assert!(is_secure(&ok("http://*.localhost")));
        assert!(is_secure(&ok("http://127.0.0.1:8080")));
        assert!(is_secure(&ok("http://[::1]")));
        assert!(!is_secure(&ok("http://example.com")));
        assert!(!is_secure(&ok("http://alocalhost")));
        assert!(is_secure(&ok(
            "chrome-extension://abcdefghijklmnopabcdefghijklmnop"
        )));
        assert!(is_secure(&ok(
            "moz-extension://0b6a1c2e-7f3d-4c1a-9e2b-123456789abc"
        )));
        assert!(is_secure(&ok("safari-web-extension://abcdef")));
        assert!(!is_secure(&ok("ftp://example.com")));
    }
}
