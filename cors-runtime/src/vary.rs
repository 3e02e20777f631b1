//! Merging `Vary` into a response without replacing what is already there.

use http::header::VARY;
use http::{HeaderMap, HeaderValue};

/// The request headers a CORS answer can depend on.
#[derive(Debug, Clone, Copy)]
pub(crate) enum VaryOn {
    /// `Vary: Origin` (actual and non-CORS requests).
    Origin,
    /// `Vary: Origin, Access-Control-Request-Method, Access-Control-Request-Headers`
    /// (preflights).
    Preflight,
}

const PREFLIGHT_TOKENS: [&str; 3] = [
    "origin",
    "access-control-request-method",
    "access-control-request-headers",
];

impl VaryOn {
    fn tokens(self) -> &'static [&'static str] {
        match self {
            VaryOn::Origin => &PREFLIGHT_TOKENS[..1],
            VaryOn::Preflight => &PREFLIGHT_TOKENS,
        }
    }

    fn combined(self) -> HeaderValue {
        match self {
            VaryOn::Origin => HeaderValue::from_static("Origin"),
            VaryOn::Preflight => HeaderValue::from_static(
                "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
            ),
        }
    }
}

/// Adds the `Vary` tokens of `on` that the response does not list yet. An
/// existing `Vary` is never replaced, and `Vary: *` already covers everything.
pub(crate) fn merge(headers: &mut HeaderMap, on: VaryOn) {
    let tokens = on.tokens();
    let mut present = [false; 3];
    for value in headers.get_all(VARY) {
        for token in value.as_bytes().split(|b| *b == b',') {
            let token = token.trim_ascii();
            if token == b"*" {
                return;
            }
            for (seen, wanted) in present.iter_mut().zip(tokens) {
                *seen |= token.eq_ignore_ascii_case(wanted.as_bytes());
            }
        }
    }
    let present = &present[..tokens.len()];
    if present.iter().all(|seen| !seen) {
        headers.append(VARY, on.combined());
        return;
    }
    for (seen, name) in present.iter().zip(PREFLIGHT_HEADER_NAMES) {
        if !seen {
            headers.append(VARY, HeaderValue::from_static(name));
        }
    }
}

const PREFLIGHT_HEADER_NAMES: [&str; 3] = [
    "Origin",
    "Access-Control-Request-Method",
    "Access-Control-Request-Headers",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn vary_after(existing: &[&'static str], on: VaryOn) -> Vec<String> {
        let mut headers = HeaderMap::new();
        for value in existing {
            headers.append(VARY, HeaderValue::from_static(value));
        }
        merge(&mut headers, on);
        headers
            .get_all(VARY)
            .iter()
            .map(|v| v.to_str().unwrap_or_default().to_owned())
            .collect()
    }

    #[test]
    fn appends_without_replacing_or_repeating() {
        assert_eq!(vary_after(&[], VaryOn::Origin), ["Origin"]);
        assert_eq!(
            vary_after(&["Accept-Encoding"], VaryOn::Origin),
            ["Accept-Encoding", "Origin"]
        );
        assert_eq!(
            vary_after(&["accept, ORIGIN"], VaryOn::Origin),
            ["accept, ORIGIN"]
        );
        assert_eq!(vary_after(&["*"], VaryOn::Preflight), ["*"]);
        assert_eq!(
            vary_after(&["origin"], VaryOn::Preflight),
            [
                "origin",
                "Access-Control-Request-Method",
                "Access-Control-Request-Headers"
            ]
        );
    }
}
