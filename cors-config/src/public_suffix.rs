//! Whether a credentialed `*.base` wildcard reaches sites that anyone can
//! register: the base is itself a public suffix (`co.uk`), a bare top-level
//! domain (`ck`), or a Public Suffix List rule lies beneath it
//! (`s3.amazonaws.com` under `amazonaws.com`, `*.kawasaki.jp` under
//! `kawasaki.jp`), so that `https://*.base` also matches `evil.<that suffix>`.
//!
//! The first question is the `psl` crate's; the rules beneath a base come
//! from a copy of the same list (`data/public_suffix_list.dat`, see its
//! README), since `psl` does not enumerate its rules.

use std::collections::HashMap;
use std::sync::OnceLock;

/// The list's rules that a domain can lie beneath: plain rules and wildcard
/// rules (`*.kawasaki.jp`), in ASCII (punycode) form. Exception rules
/// (`!city.kawasaki.jp`) name registrable domains and are left out.
fn rules() -> &'static [String] {
    static RULES: OnceLock<Vec<String>> = OnceLock::new();
    RULES.get_or_init(|| {
        include_str!("../data/public_suffix_list.dat")
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with("//") && !line.starts_with('!'))
            .filter_map(|rule| {
                let (star, literal) = match rule.strip_prefix("*.") {
                    Some(literal) => ("*.", literal),
                    None => ("", rule),
                };
                let ascii = if literal.is_ascii() {
                    literal.to_owned()
                } else {
                    idna::domain_to_ascii(literal).ok()?
                };
                Some(format!("{star}{ascii}"))
            })
            .collect()
    })
}

/// Why every site under a credentialed `*.base` is not the base owner's,
/// or `None` when the base is an ordinary registrable domain (or below one).
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum OpenBase {
    /// The base is a public suffix itself (`com`, `co.uk`, `github.io`).
    IsSuffix,
    /// The base is a single label not in the list (`example`, `internal`):
    /// a top-level domain, under which anyone may name a site.
    BareTld,
    /// A rule of the list lies beneath the base: the rule as listed, the
    /// shortest one when there are several.
    SuffixBeneath(String),
}

/// Checks the base of a `*.base` pattern (lowercase ASCII, an optional
/// trailing dot). `localhost` is exempt: its names never leave the machine.
pub(crate) fn open_base(base: &str) -> Option<OpenBase> {
    let base = base.strip_suffix('.').unwrap_or(base);
    if base == "localhost" {
        return None;
    }
    let suffix = psl::suffix(base.as_bytes());
    if suffix.is_some_and(|s| s.is_known() && s.as_bytes() == base.as_bytes()) {
        return Some(OpenBase::IsSuffix);
    }
    if !base.contains('.') {
        return Some(OpenBase::BareTld);
    }
    beneath()
        .get(base)
        .map(|rule| OpenBase::SuffixBeneath((*rule).to_owned()))
}

/// For every domain that a rule lies at or beneath (each label suffix of
/// each rule's literal part), the shortest such rule (fewest labels, then
/// fewest bytes, then first in byte order): one lookup per base instead of
/// a scan of the whole list.
fn beneath() -> &'static HashMap<&'static str, &'static str> {
    static BENEATH: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    BENEATH.get_or_init(|| {
        let mut map: HashMap<&'static str, &'static str> = HashMap::new();
        let order = |rule: &str| (rule.split('.').count(), rule.len(), rule.to_owned());
        for rule in rules() {
            let literal = rule.strip_prefix("*.").unwrap_or(rule);
            let suffixes = std::iter::once(literal).chain(
                literal
                    .match_indices('.')
                    .map(|(dot, _)| &literal[dot + 1..]),
            );
            for suffix in suffixes {
                let best = map.entry(suffix).or_insert(rule.as_str());
                if order(rule) < order(best) {
                    *best = rule.as_str();
                }
            }
        }
        map
    })
}

/// A site under `suffix_rule` that anyone could register, for messages:
/// `evil.s3.amazonaws.com`, `evil.x.kawasaki.jp`.
pub(crate) fn example_site(suffix_rule: &str) -> String {
    match suffix_rule.strip_prefix("*.") {
        Some(literal) => format!("evil.x.{literal}"),
        None => format!("evil.{suffix_rule}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn beneath(base: &str) -> Option<String> {
        match open_base(base) {
            Some(OpenBase::SuffixBeneath(rule)) => Some(rule),
            _ => None,
        }
    }

    #[test]
    fn finds_suffixes_beneath_bases_of_both_sections() {
        // The examples.
        assert_eq!(
            beneath("amazonaws.com").as_deref(),
            Some("s3.amazonaws.com")
        );
        assert_eq!(
            beneath("elb.amazonaws.com").as_deref(),
            Some("*.elb.amazonaws.com")
        );
        assert_eq!(beneath("kawasaki.jp").as_deref(), Some("*.kawasaki.jp"));
        assert_eq!(open_base("ck"), Some(OpenBase::BareTld));
        // Many more bases of both sections: `expand::tests`, through the macro.
        // Public suffixes themselves, and the registrable exception.
        for base in [
            "com",
            "co.uk",
            "github.io",
            "x.kawasaki.jp",
            "s3.amazonaws.com",
        ] {
            assert_eq!(open_base(base), Some(OpenBase::IsSuffix), "{base}");
        }
        assert_eq!(open_base("city.kawasaki.jp"), None);
        assert_eq!(open_base("www.ck"), None);
    }

    #[test]
    fn single_labels_are_top_level_domains_but_localhost() {
        for bare in ["internal", "example", "test", "local"] {
            assert_eq!(open_base(bare), Some(OpenBase::BareTld), "{bare}");
        }
        assert_eq!(open_base("localhost"), None);
        assert_eq!(open_base("example.com."), None);
    }

    #[test]
    fn the_copy_agrees_with_the_psl_crate() {
        // Every plain rule of the copy is a suffix the `psl` crate knows: if
        // this fails, the two lists drifted apart; update the copy.
        let unknown: Vec<&String> = rules()
            .iter()
            .filter(|rule| !rule.starts_with("*."))
            .filter(|rule| {
                psl::suffix(rule.as_bytes())
                    .is_none_or(|s| !s.is_known() || s.as_bytes() != rule.as_bytes())
            })
            .take(5)
            .collect();
        assert!(
            unknown.is_empty(),
            "not public suffixes for psl: {unknown:?}"
        );
        assert!(rules().len() > 9_000);
        assert_eq!(example_site("*.kawasaki.jp"), "evil.x.kawasaki.jp");
        assert_eq!(example_site("s3.amazonaws.com"), "evil.s3.amazonaws.com");
    }
}
