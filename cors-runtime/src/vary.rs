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

    fn combined(self) -> &'static str {
        match self {
            VaryOn::Origin => "Origin",
            VaryOn::Preflight => {
                "Origin, Access-Control-Request-Method, Access-Control-Request-Headers"
            }
        }
    }
}

const PREFLIGHT_HEADER_NAMES: [&str; 3] = [
    "Origin",
    "Access-Control-Request-Method",
    "Access-Control-Request-Headers",
];

/// The `Vary` values to append so that a response whose `Vary` values are
/// `existing` also varies on `on` (at most three): none when they are all listed already or
/// `Vary: *` is present, the combined value when none is, else each missing one.
pub(crate) fn additions<'v>(
    existing: impl Iterator<Item = &'v [u8]>,
    on: VaryOn,
) -> [Option<&'static str>; 3] {
    let tokens = on.tokens();
    let mut present = [false; 3];
    let mut star = false;
    for value in existing {
        for token in value.split(|b| *b == b',') {
            let token = token.trim_ascii();
            star |= token == b"*";
            for (seen, wanted) in present.iter_mut().zip(tokens) {
                *seen |= token.eq_ignore_ascii_case(wanted.as_bytes());
            }
        }
    }
    let present = &present[..tokens.len()];
    let none_present = present.iter().all(|seen| !seen);
    let mut additions = [None; 3];
    if star {
        // `Vary: *` already covers everything.
    } else if none_present {
        additions[0] = Some(on.combined());
    } else {
        for ((addition, seen), name) in additions
            .iter_mut()
            .zip(present)
            .zip(PREFLIGHT_HEADER_NAMES)
        {
            if !seen {
                *addition = Some(name);
            }
        }
    }
    additions
}

/// Appends the `Vary` tokens of `on` that `headers` does not list yet. An
/// existing `Vary` is never replaced.
pub(crate) fn merge(headers: &mut HeaderMap, on: VaryOn) {
    let existing = headers.get_all(VARY).iter().map(HeaderValue::as_bytes);
    for value in additions(existing, on).into_iter().flatten() {
        headers.append(VARY, HeaderValue::from_static(value));
    }
}

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
