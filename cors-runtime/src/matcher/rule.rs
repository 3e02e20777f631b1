//! One CORS rule, as the `cors_policy!` macro lays it out in static memory
//! (every `Cow` borrowed) or a run-time loader builds it (owned).
//!
//! The generated code names [`Rule`] and [`HeaderPattern`] (the element
//! types of its statics), so they are `pub`, reached only through the
//! hidden `__private` module; every field is private to the crate.

use std::borrow::Cow;

use crate::answer::RuleAnswer;

/// One rule of a [`Policy`](crate::Policy): which methods and request headers it
/// allows, and the precomputed response header values it answers with.
///
/// Which origins a rule allows is not stored here but in the policy's origin
/// index, so that one lookup serves every rule.
#[derive(Debug, Clone)]
pub struct Rule {
    /// The methods the rule allows.
    pub(crate) methods: MethodSet,
    /// The request headers the rule allows.
    pub(crate) headers: HeaderSet,
    /// The rule's id and the precomputed response header values it answers
    /// with (`Access-Control-Allow-Methods`, `-Expose-Headers` and
    /// `-Max-Age` joined at expansion time).
    pub(crate) answer: RuleAnswer,
}

/// The methods one rule allows. Methods are case-sensitive (Fetch standard).
#[derive(Debug, Clone)]
pub(crate) struct MethodSet {
    /// `"*"`: any method.
    pub(crate) any: bool,
    /// The allowed method names, exactly as they must appear on the wire.
    pub(crate) names: Cow<'static, [Cow<'static, str>]>,
    /// Standard methods among `names`, one bit each (see
    /// [`standard_method`]): a request with one of them is allowed without
    /// a scan of the names.
    pub(crate) standard: u16,
}

impl MethodSet {
    /// The set of `names` (or of any method), its standard methods found.
    pub(crate) const fn of_static(any: bool, names: &'static [Cow<'static, str>]) -> MethodSet {
        let mut standard = 0;
        let mut at = 0;
        while at < names.len() {
            // A name owned in a constant is empty: no standard method.
            if let Cow::Borrowed(name) = &names[at] {
                standard |= standard_method(name.as_bytes());
            }
            at += 1;
        }
        MethodSet {
            any,
            names: Cow::Borrowed(names),
            standard,
        }
    }

    /// Whether `method` (compared byte for byte) is allowed.
    #[inline]
    pub(crate) fn allows(&self, method: &str) -> bool {
        self.standard & standard_method(method.as_bytes()) != 0
            || self.any
            || self
                .names
                .iter()
                .any(|name| short_eq(name.as_bytes(), method.as_bytes()))
    }
}

cfg_run_time_dsl_policies! {
    impl MethodSet {
        /// The set of `names` (or of any method) built at run time.
        pub(crate) fn of_owned(any: bool, names: Vec<Cow<'static, str>>) -> MethodSet {
            let standard = names
                .iter()
                .fold(0, |bits, name| bits | standard_method(name.as_bytes()));
            MethodSet {
                any,
                names: Cow::Owned(names),
                standard,
            }
        }
    }
}

/// The bit of a standard method, compared byte for byte (`get` is not
/// `GET`); 0 for any other method.
#[inline]
pub(crate) const fn standard_method(method: &[u8]) -> u16 {
    match method {
        b"GET" => 1,
        b"HEAD" => 1 << 1,
        b"POST" => 1 << 2,
        b"PUT" => 1 << 3,
        b"DELETE" => 1 << 4,
        b"PATCH" => 1 << 5,
        b"OPTIONS" => 1 << 6,
        _ => 0,
    }
}

/// The request headers one rule allows. Header names are case-insensitive.
#[derive(Debug, Clone)]
pub(crate) struct HeaderSet {
    /// `"*"`: any header, `authorization` included.
    pub(crate) any: bool,
    /// Exact names, lowercase, sorted by bytes (binary-searched).
    pub(crate) names: Cow<'static, [Cow<'static, str>]>,
    /// Names with one `*` inside, such as `x-amz-*`.
    pub(crate) patterns: Cow<'static, [HeaderPattern]>,
}

impl HeaderSet {
    /// Whether the header `name` (any case) is allowed.
    #[inline]
    pub(crate) fn allows(&self, name: &[u8]) -> bool {
        self.any || self.has_name(name) || self.patterns.iter().any(|pattern| pattern.matches(name))
    }

    /// A linear scan (lengths first) beats a binary search on the few names
    /// a rule usually lists; long lists are binary-searched.
    #[inline]
    fn has_name(&self, name: &[u8]) -> bool {
        if self.names.len() <= LINEAR_SCAN_MAX {
            // Browsers send names lowercase, as the names are stored: an
            // exact comparison first, the case-insensitive one only if needed.
            self.names.iter().any(|probe| probe.as_bytes() == name)
                || self.names.iter().any(|probe| {
                    probe.len() == name.len() && probe.as_bytes().eq_ignore_ascii_case(name)
                })
        } else {
            search_lowercase(&self.names, |probe| probe.as_bytes(), name).is_some()
        }
    }
}

/// Up to this many names, [`HeaderSet`] scans instead of binary-searching.
const LINEAR_SCAN_MAX: usize = 16;

/// A header-name pattern with one `*`: `prefix`, then any run of token
/// characters (possibly empty), then `suffix`. Both parts are lowercase.
#[derive(Debug, Clone)]
pub struct HeaderPattern {
    /// What the name must start with.
    pub(crate) prefix: Cow<'static, str>,
    /// What the name must end with.
    pub(crate) suffix: Cow<'static, str>,
}

impl HeaderPattern {
    /// Whether `name` (any case) matches the pattern.
    pub(crate) fn matches(&self, name: &[u8]) -> bool {
        glob_matches_ignoring_case(self.prefix.as_bytes(), self.suffix.as_bytes(), name)
    }

    /// Whether `name` is long enough to hold the prefix and the suffix
    /// without overlap: all that is left to check of a name that starts with
    /// the prefix and ends with the suffix.
    #[inline]
    pub(crate) fn fits(&self, name: &[u8]) -> bool {
        name.len() >= self.prefix.len() + self.suffix.len()
    }
}

/// Header patterns of the DSL and of S3 rules both match this way.
pub(crate) use cors_grammar::glob_matches_ignoring_case;

/// Binary-searches `sorted` (ordered by the bytes of its lowercase names,
/// read by `name_of`) for the header `name` in any case: the position found.
/// A lowercase `name`, as browsers send, is compared as bytes; another is
/// lowercased on the fly, without a copy.
#[inline]
pub(crate) fn search_lowercase<T>(
    sorted: &[T],
    name_of: impl Fn(&T) -> &[u8],
    name: &[u8],
) -> Option<usize> {
    let found = if name.iter().any(u8::is_ascii_uppercase) {
        sorted.binary_search_by(|probe| cmp_lowercase(name_of(probe), name))
    } else {
        sorted.binary_search_by(|probe| name_of(probe).cmp(name))
    };
    found.ok()
}

/// Compares an already-lowercase `stored` name with `name` lowercased on the
/// fly, so that lookups need no lowercase copy of the request's header name.
fn cmp_lowercase(stored: &[u8], name: &[u8]) -> std::cmp::Ordering {
    stored
        .iter()
        .copied()
        .cmp(name.iter().map(u8::to_ascii_lowercase))
}

/// Byte equality for the short strings a request is matched on (methods,
/// schemes): compared in place, cheaper than a call to `memcmp` for a few
/// bytes.
#[inline]
pub(crate) fn short_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_names_compare_without_case() {
        let set = HeaderSet {
            any: false,
            names: Cow::Borrowed(&[Cow::Borrowed("content-type"), Cow::Borrowed("x-b")]),
            patterns: Cow::Borrowed(&[HeaderPattern {
                prefix: Cow::Borrowed("x-amz-"),
                suffix: Cow::Borrowed(""),
            }]),
        };
        assert!(set.allows(b"Content-Type"));
        assert!(set.allows(b"x-b"));
        assert!(!set.allows(b"x-c"));
        assert!(set.allows(b"X-Amz-Date"));
        assert!(set.allows(b"x-amz-"));
        assert!(!set.allows(b"x-am"));
    }

    #[test]
    fn long_lists_are_searched_in_any_case() {
        let names: Vec<Cow<'static, str>> =
            (0..40).map(|n| Cow::Owned(format!("x-h{n:02}"))).collect();
        let set = HeaderSet {
            any: false,
            names: Cow::Owned(names),
            patterns: Cow::Borrowed(&[]),
        };
        for name in ["x-h00", "X-H00", "x-h39", "X-h39", "x-H17"] {
            assert!(set.allows(name.as_bytes()), "{name}");
        }
        for name in ["x-h40", "X-H40", "x-h", "", "x-h000", "y-h00"] {
            assert!(!set.allows(name.as_bytes()), "{name}");
        }
    }

    #[test]
    fn methods_are_case_sensitive() {
        let set = MethodSet::of_static(false, &[Cow::Borrowed("PATCH"), Cow::Borrowed("x")]);
        assert_eq!(set.standard, standard_method(b"PATCH"));
        assert!(set.allows("PATCH"));
        assert!(set.allows("x"));
        assert!(!set.allows("patch"));
        assert!(!set.allows("GET"));
    }
}
