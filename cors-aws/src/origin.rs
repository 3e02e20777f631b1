//! Exact origins and wildcard bases, checked as the project checks origins
//! everywhere: `scheme://host[:port]` as a browser serialises it
//! (lowercase scheme and host, no default port, no path, query or user
//! information), because origins are compared byte for byte and a value a
//! browser never sends is a rule that silently never matches.

use std::net::{Ipv4Addr, Ipv6Addr};

use cors_grammar::{
    is_label_byte, is_scheme_byte, quote, MAX_HOST_LEN, MAX_LABEL_LEN, MAX_SCHEME_LEN,
};

/// Checks an exact origin; the error says what is wrong and how to write
/// it.
pub(crate) fn check_exact(text: &str) -> Result<(), String> {
    let shown = quote(text);
    if text == "null" {
        return Err(
            "the `null` origin cannot be allowed: sandboxed documents and some \
                    redirects send it, so any site can forge it; remove it"
                .into(),
        );
    }
    if text.chars().any(char::is_whitespace) {
        return Err(format!(
            "origin `{shown}` contains whitespace; write it as `{}`",
            quote(&text.split_whitespace().collect::<String>())
        ));
    }
    let Some((scheme, rest)) = text.split_once("://") else {
        let example = if text.contains(':') {
            "https://app.example.com".to_owned()
        } else {
            format!("https://{shown}")
        };
        return Err(format!(
            "origin `{shown}` is not of the form `scheme://host[:port]`; write e.g. `{example}`"
        ));
    };
    let lower = scheme.to_ascii_lowercase();
    let valid_scheme = !lower.is_empty()
        && lower.len() <= MAX_SCHEME_LEN
        && lower.starts_with(|c: char| c.is_ascii_lowercase())
        && lower.bytes().all(is_scheme_byte);
    if !valid_scheme {
        return Err(format!(
            "`{}` in `{shown}` is not a scheme: it starts with a letter and has only letters, \
             digits, `+`, `-` and `.`; write e.g. `https://{}`",
            quote(scheme),
            quote(rest)
        ));
    }
    if lower != scheme {
        return Err(format!(
            "the scheme in `{shown}` must be lowercase, as browsers send it; write `{}://{}`",
            quote(&lower),
            quote(rest)
        ));
    }
    if lower == "file" {
        return Err(
            "`file:` origins cannot be allowed: browsers send them as `null`, which \
                    any site can forge; serve the page over `http://localhost` instead"
                .into(),
        );
    }
    if let Some(end) = rest.find(['/', '?', '#', '@']) {
        let what = match rest.as_bytes().get(end) {
            Some(b'/') if end + 1 == rest.len() => "a trailing slash",
            Some(b'/') => "a path",
            Some(b'?') => "a query",
            Some(b'#') => "a fragment",
            _ => "user information",
        };
        let host = rest.rsplit('@').next().unwrap_or(rest);
        let host = host.split(['/', '?', '#']).next().unwrap_or(host);
        return Err(format!(
            "origin `{shown}` has {what}, but an origin is only `scheme://host[:port]`; \
             write `{}://{}`",
            quote(scheme),
            quote(host)
        ));
    }
    let (host, port) = split_port(rest);
    if let Some(port) = port {
        check_port(text, scheme, host, port)?;
    }
    check_host(text, host)
}

/// `host` and the text after its `:` (a bracketed IPv6 host has colons of
/// its own).
fn split_port(rest: &str) -> (&str, Option<&str>) {
    let end = if rest.starts_with('[') {
        rest.find(']').map_or(rest.len(), |close| close + 1)
    } else {
        rest.find(':').unwrap_or(rest.len())
    };
    let (host, tail) = rest.split_at(end);
    (
        host,
        tail.strip_prefix(':')
            .or(Some(tail))
            .filter(|_| !tail.is_empty()),
    )
}

fn check_port(text: &str, scheme: &str, host: &str, port: &str) -> Result<(), String> {
    let shown = quote(text);
    let without = quote(&format!("{scheme}://{host}")).to_string();
    let number = port
        .parse::<u16>()
        .ok()
        .filter(|n| *n != 0 && port.bytes().all(|b| b.is_ascii_digit()));
    let Some(number) = number else {
        return Err(format!(
            "`{}` in `{shown}` is not a port: write a decimal number from 1 to 65535, or \
             leave the port out (`{without}`)",
            quote(port)
        ));
    };
    if port.starts_with('0') {
        return Err(format!(
            "the port in `{shown}` has a leading zero, which browsers never send; write \
             `{without}:{number}`"
        ));
    }
    let default = match scheme {
        "http" | "ws" => Some(80),
        "https" | "wss" => Some(443),
        _ => None,
    };
    if default == Some(number) {
        return Err(format!(
            "`:{number}` is the default port of `{}`, which browsers leave out of the origin; \
             write `{without}`",
            quote(scheme)
        ));
    }
    Ok(())
}

fn check_host(text: &str, host: &str) -> Result<(), String> {
    let shown = quote(text);
    if host.is_empty() {
        return Err(format!(
            "origin `{shown}` has no host; write e.g. `https://example.com`"
        ));
    }
    if let Some(inner) = host.strip_prefix('[') {
        let inner = inner.strip_suffix(']').unwrap_or(inner);
        return match inner.parse::<Ipv6Addr>() {
            Ok(ip) if format!("[{ip}]") == host => Ok(()),
            Ok(ip) => Err(format!(
                "the IPv6 address in `{shown}` is not in the compressed lowercase form browsers \
                 send; write `[{ip}]`"
            )),
            Err(_) => Err(format!("the host of `{shown}` is not a valid IPv6 address")),
        };
    }
    check_domain(text, host)?;
    let last = host.rsplit('.').next().unwrap_or(host);
    if last.bytes().all(|b| b.is_ascii_digit()) {
        return match host.parse::<Ipv4Addr>() {
            Ok(ip) if ip.to_string() == host => Ok(()),
            _ => Err(format!(
                "the host of `{shown}` is not a canonical IPv4 address (four numbers from 0 to \
                 255 without leading zeros, e.g. `127.0.0.1`), and a domain's last label cannot \
                 be a number"
            )),
        };
    }
    Ok(())
}

/// A lowercase ASCII domain of non-empty labels (`a-z 0-9 - _`).
fn check_domain(text: &str, host: &str) -> Result<(), String> {
    let shown = quote(text);
    if host.contains('*') {
        return Err(format!(
            "misplaced wildcard in `{shown}`: the service accepts `*` only in the forms listed \
             above"
        ));
    }
    if !host.is_ascii() {
        return Err(format!(
            "the host of `{shown}` is not ASCII; write the punycode (`xn--`) form a browser \
             sends"
        ));
    }
    let lower = host.to_ascii_lowercase();
    if lower != host {
        return Err(format!(
            "the host of `{shown}` must be lowercase, as browsers send it; write `{}`",
            quote(&text.replace(host, &lower))
        ));
    }
    if host.len() > MAX_HOST_LEN {
        return Err(format!(
            "the host of `{shown}` is longer than {MAX_HOST_LEN} characters"
        ));
    }
    if host.split('.').any(str::is_empty) {
        return Err(format!(
            "the host of `{shown}` has an empty label (`..`, or a leading or trailing dot); \
             remove the extra dot"
        ));
    }
    if let Some(bad) = host.bytes().find(|&b| b != b'.' && !is_label_byte(b)) {
        return Err(format!(
            "the host of `{shown}` contains `{}`; a host has only letters, digits, `-`, `_` and \
             dots",
            quote(&char::from(bad).to_string())
        ));
    }
    if let Some(long) = host.split('.').find(|l| l.len() > MAX_LABEL_LEN) {
        return Err(format!(
            "the label `{}` of `{shown}` is longer than {MAX_LABEL_LEN} characters",
            quote(long)
        ));
    }
    Ok(())
}

/// Checks the base of a `*.base` wildcard: a domain of at least two labels
/// (`*.com` would be every site under a top-level domain), not an IP
/// address, without a port.
pub(crate) fn check_base(text: &str, base: &str) -> Result<(), String> {
    let shown = quote(text);
    if base.contains(':') {
        return Err(format!(
            "`{shown}` has a port or a scheme after the wildcard; CloudFront's wildcard form is \
             `*.example.org` alone"
        ));
    }
    check_domain(text, base)?;
    if !base.contains('.') {
        return Err(format!(
            "`{shown}` allows every site under a top-level domain; name a registrable domain, \
             e.g. `*.example.org`"
        ));
    }
    let last = base.rsplit('.').next().unwrap_or(base);
    if last.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "`{shown}` puts a wildcard in front of an IP address, which has no subdomains; list \
             the address itself"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_what_browsers_send() {
        for ok in [
            "https://a.example",
            "http://localhost:8080",
            "https://127.0.0.1",
            "http://[::1]:3000",
            "chrome-extension://abcdef",
        ] {
            assert_eq!(check_exact(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn refuses_what_browsers_never_send() {
        let cases = [
            ("https://A.example", "must be lowercase"),
            ("HTTPS://a.example", "scheme in"),
            ("https://a.example/", "a trailing slash"),
            ("https://a.example/x", "a path"),
            ("https://u@a.example", "user information"),
            ("https://a.example:443", "default port"),
            ("https://a.example:08", "leading zero"),
            ("https://a.example:99999", "not a port"),
            ("https://a.example:", "not a port"),
            ("a.example", "not of the form"),
            ("null", "`null`"),
            ("https://a..example", "empty label"),
            ("https://[::0001]", "compressed"),
            ("https://1.2.3.04", "IPv4"),
            ("https://a b", "whitespace"),
            ("file://x", "`file:`"),
            ("https://a.ex%61mple", "contains"),
        ];
        for (text, needle) in cases {
            let message = check_exact(text).expect_err(text);
            assert!(message.contains(needle), "{text}: {message}");
        }
    }

    #[test]
    fn wildcard_bases() {
        assert_eq!(check_base("*.example.org", "example.org"), Ok(()));
        assert!(check_base("*.com", "com").is_err());
        assert!(check_base("*.1.2.3.4", "1.2.3.4").is_err());
        assert!(check_base("*.a.example:8080", "a.example:8080").is_err());
        assert!(check_base("*.*.example", "*.example").is_err());
    }
}
