//! The `Vary` tokens an answer depends on, and which values to append so
//! that a response lists them without replacing what it already has.

use http::HeaderValue;

/// The request headers a CORS answer can depend on.
#[derive(Debug, Clone, Copy)]
#[repr(u8)]
pub(crate) enum VaryOn {
    /// `Vary: Origin` (actual and non-CORS requests).
    Origin,
    /// `Vary: Origin, Access-Control-Request-Method, Access-Control-Request-Headers`
    /// (preflights).
    Preflight,
    /// `Vary: Origin, Access-Control-Request-Headers, Access-Control-Request-Method`,
    /// S3's exact value on every answer of a rule that matched.
    #[cfg(feature = "s3")]
    S3,
}

/// One `Vary` value the runtime may append. The values that add every
/// token of a [`VaryOn`] at once come first, in `VaryOn`'s order, so that
/// [`VaryOn::combined`] keeps the discriminant and compiles to nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum VaryValue {
    Origin = 0,
    /// All three at once, when the response lists none of them.
    Preflight = 1,
    /// All three at once, in S3's order.
    #[cfg(feature = "s3")]
    S3 = 2,
    RequestMethod = 3,
    RequestHeaders = 4,
}

/// The values as text, indexed by [`VaryValue`].
const TEXTS: [&str; 5] = [
    "Origin",
    "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
    "Origin, Access-Control-Request-Headers, Access-Control-Request-Method",
    "Access-Control-Request-Method",
    "Access-Control-Request-Headers",
];

impl VaryValue {
    /// The value as text (for adapters on other `http` versions).
    #[cfg(any(test, feature = "actix"))]
    pub(crate) fn text(self) -> &'static str {
        TEXTS[self as usize]
    }

    /// The value, ready to append: each built at compile time (no byte
    /// check, and no call through `Bytes`'s vtable as a clone would make).
    #[inline]
    pub(crate) fn header_value(self) -> HeaderValue {
        match self {
            VaryValue::Origin => const { HeaderValue::from_static(TEXTS[0]) },
            VaryValue::Preflight => const { HeaderValue::from_static(TEXTS[1]) },
            #[cfg(feature = "s3")]
            VaryValue::S3 => const { HeaderValue::from_static(TEXTS[2]) },
            VaryValue::RequestMethod => const { HeaderValue::from_static(TEXTS[3]) },
            VaryValue::RequestHeaders => const { HeaderValue::from_static(TEXTS[4]) },
        }
    }
}

impl VaryOn {
    /// The tokens, lowercase, with the value that adds each one alone.
    fn tokens(self) -> &'static [(&'static str, VaryValue)] {
        const TOKENS: [(&str, VaryValue); 3] = [
            ("origin", VaryValue::Origin),
            ("access-control-request-method", VaryValue::RequestMethod),
            ("access-control-request-headers", VaryValue::RequestHeaders),
        ];
        #[cfg(feature = "s3")]
        const S3_TOKENS: [(&str, VaryValue); 3] = [
            ("origin", VaryValue::Origin),
            ("access-control-request-headers", VaryValue::RequestHeaders),
            ("access-control-request-method", VaryValue::RequestMethod),
        ];
        match self {
            VaryOn::Origin => &TOKENS[..1],
            VaryOn::Preflight => &TOKENS,
            #[cfg(feature = "s3")]
            VaryOn::S3 => &S3_TOKENS,
        }
    }

    /// The value that adds every token at once.
    pub(crate) fn combined(self) -> VaryValue {
        match self {
            VaryOn::Origin => VaryValue::Origin,
            VaryOn::Preflight => VaryValue::Preflight,
            #[cfg(feature = "s3")]
            VaryOn::S3 => VaryValue::S3,
        }
    }
}

/// The `Vary` values to append so that a response whose `Vary` values are
/// `existing` also varies on `on` (at most three): none when they are all
/// listed already or `Vary: *` is present, the combined value when none is,
/// else each missing one.
pub(crate) fn additions<'v>(
    existing: impl Iterator<Item = &'v [u8]>,
    on: VaryOn,
) -> [Option<VaryValue>; 3] {
    let tokens = on.tokens();
    let mut present = [false; 3];
    for value in existing {
        for token in value.split(|b| *b == b',') {
            let token = token.trim_ascii();
            if token == b"*" {
                return [None; 3];
            }
            for (seen, (wanted, _)) in present.iter_mut().zip(tokens) {
                *seen |= token.eq_ignore_ascii_case(wanted.as_bytes());
            }
        }
    }
    let present = &present[..tokens.len()];
    let mut additions = [None; 3];
    if present.iter().all(|seen| !seen) {
        additions[0] = Some(on.combined());
    } else {
        for ((addition, seen), (_, value)) in additions.iter_mut().zip(present).zip(tokens) {
            if !seen {
                *addition = Some(*value);
            }
        }
    }
    additions
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `Vary` values a response has after the writer's merge.
    fn vary_after(existing: &[&'static str], on: VaryOn) -> Vec<String> {
        let mut values: Vec<String> = existing.iter().map(|v| (*v).to_owned()).collect();
        let added = additions(existing.iter().map(|v| v.as_bytes()), on);
        values.extend(added.into_iter().flatten().map(|v| v.text().to_owned()));
        values
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

    /// Each value's header is its text, and each `VaryOn`'s combined value
    /// lists its tokens in order.
    #[test]
    fn values_and_texts_agree() {
        let mut values = vec![
            VaryValue::Origin,
            VaryValue::Preflight,
            VaryValue::RequestMethod,
            VaryValue::RequestHeaders,
        ];
        #[cfg(feature = "s3")]
        values.push(VaryValue::S3);
        for value in values {
            assert_eq!(value.header_value(), value.text(), "{value:?}");
        }
        let mut ons = vec![VaryOn::Origin, VaryOn::Preflight];
        #[cfg(feature = "s3")]
        ons.push(VaryOn::S3);
        for on in ons {
            let tokens: Vec<&str> = on.tokens().iter().map(|(token, _)| *token).collect();
            assert_eq!(
                on.combined().text().to_ascii_lowercase(),
                tokens.join(", "),
                "{on:?}"
            );
        }
    }
}
