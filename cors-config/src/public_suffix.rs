//! Whether a credentialed `*.base` wildcard reaches sites that anyone can
//! register: the base is itself a public suffix (`co.uk`), a bare top-level
//! domain (`ck`), or a Public Suffix List rule lies beneath it
//! (`s3.amazonaws.com` under `amazonaws.com`, `*.kawasaki.jp` under
//! `kawasaki.jp`), so that `https://*.base` also matches `evil.<that suffix>`.
//!
//! Both questions are answered from the list's rules, compiled in from
//! `data/public_suffix_list.ascii.txt` (ASCII form, one rule a line; see that
//! folder's README for where it comes from and how to regenerate it). At
//! first use they are put into hash sets, over which the list's own
//! algorithm (<https://publicsuffix.org/list/>) finds a name's suffix.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// The Public Suffix List's rules, one a line, non-ASCII labels in punycode:
/// plain (`co.uk`), wildcard (`*.kawasaki.jp`) and exception
/// (`!city.kawasaki.jp`) rules.
const RULES: &str = include_str!("../data/public_suffix_list.ascii.txt");

/// The rules, by kind, for lookups by name.
struct List {
    /// Plain rules: `co.uk`.
    plain: HashSet<&'static str>,
    /// The domains that wildcard rules stand under: `kawasaki.jp` for
    /// `*.kawasaki.jp`.
    wildcard: HashSet<&'static str>,
    /// Exception rules without their `!`: `city.kawasaki.jp`.
    exception: HashSet<&'static str>,
    /// For every domain that a plain or wildcard rule lies at or beneath
    /// (each label suffix of the rule's literal part), the shortest such rule
    /// as listed (fewest labels, then fewest bytes, then first in byte
    /// order): one lookup per base instead of a scan of the whole list.
    /// Exception rules name registrable domains and are left out.
    beneath: HashMap<&'static str, &'static str>,
}

impl List {
    /// The rules of [`RULES`], sorted into sets at first use.
    fn get() -> &'static List {
        static LIST: OnceLock<List> = OnceLock::new();
        LIST.get_or_init(|| List::parse(RULES))
    }

    fn parse(rules: &'static str) -> List {
        let count = rules.lines().count();
        let mut list = List {
            plain: HashSet::with_capacity(count),
            wildcard: HashSet::new(),
            exception: HashSet::new(),
            beneath: HashMap::with_capacity(count + count / 4),
        };
        let order = |rule: &str| (rule.split('.').count(), rule.len());
        for rule in rules.lines().map(str::trim).filter(|line| !line.is_empty()) {
            if let Some(name) = rule.strip_prefix('!') {
                list.exception.insert(name);
                continue;
            }
            let literal = match rule.strip_prefix("*.") {
                Some(literal) => {
                    list.wildcard.insert(literal);
                    literal
                }
                None => {
                    list.plain.insert(rule);
                    rule
                }
            };
            for domain in label_suffixes(literal) {
                let best = list.beneath.entry(domain).or_insert(rule);
                if (order(rule), rule) < (order(best), *best) {
                    *best = rule;
                }
            }
        }
        list
    }
}

/// `name` and each shorter name its labels end with, longest first:
/// `a.b.c`, `b.c`, `c`.
fn label_suffixes(name: &str) -> impl Iterator<Item = &str> {
    std::iter::once(name).chain(name.match_indices('.').map(|(dot, _)| &name[dot + 1..]))
}

/// `name` without its first label, if it has more than one.
fn parent(name: &str) -> Option<&str> {
    name.split_once('.').map(|(_, parent)| parent)
}

/// A name's public suffix, as the list's algorithm finds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Suffix<'a> {
    /// The suffix: the name's last labels, with the name's trailing dot if
    /// it has one.
    name: &'a str,
    /// Whether a rule of the list gave it, rather than the default rule `*`
    /// (under which the last label is the suffix of every name no rule
    /// matches).
    known: bool,
}

/// The public suffix of `name` (lowercase ASCII labels, an optional trailing
/// dot): an exception rule that matches prevails and gives its name without
/// the first label; otherwise the longest matching plain or wildcard rule
/// gives the suffix; otherwise the default rule `*`, the last label. (The
/// `psl` crate, 2.1.247, answers the same but for a name that a wildcard
/// rule matches and that has another wildcard rule beneath it, such as
/// `ex.futurecms.at`: see the tests.)
fn public_suffix(name: &str) -> Suffix<'_> {
    let list = List::get();
    let labels = name.strip_suffix('.').unwrap_or(name);
    let matched = match label_suffixes(labels).find(|c| list.exception.contains(c)) {
        Some(exception) => parent(exception),
        None => label_suffixes(labels).find(|candidate| {
            list.plain.contains(candidate)
                || parent(candidate).is_some_and(|under| list.wildcard.contains(under))
        }),
    };
    let (suffix, known) = match matched {
        Some(suffix) => (suffix, true),
        None => (labels.rsplit('.').next().unwrap_or(labels), false),
    };
    Suffix {
        name: &name[labels.len() - suffix.len()..],
        known,
    }
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
    let suffix = public_suffix(base);
    if suffix.known && suffix.name == base {
        return Some(OpenBase::IsSuffix);
    }
    if !base.contains('.') {
        return Some(OpenBase::BareTld);
    }
    List::get()
        .beneath
        .get(base)
        .map(|rule| OpenBase::SuffixBeneath((*rule).to_owned()))
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
    use std::collections::BTreeSet;

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
    fn the_algorithm_on_each_kind_of_rule() {
        let suffix = |name| {
            let found = public_suffix(name);
            (found.name, found.known)
        };
        // Plain rules, the longest matching one.
        assert_eq!(suffix("example.co.uk"), ("co.uk", true));
        assert_eq!(suffix("a.b.example.com"), ("com", true));
        // A wildcard rule (`*.kawasaki.jp`) and its exception.
        assert_eq!(suffix("a.b.kawasaki.jp"), ("b.kawasaki.jp", true));
        assert_eq!(suffix("kawasaki.jp"), ("jp", true));
        assert_eq!(suffix("a.city.kawasaki.jp"), ("kawasaki.jp", true));
        assert_eq!(suffix("city.kawasaki.jp"), ("kawasaki.jp", true));
        // The default rule `*`, and a trailing dot kept.
        assert_eq!(suffix("a.b.internal"), ("internal", false));
        assert_eq!(suffix("example.co.uk."), ("co.uk.", true));
        assert_eq!(suffix("internal."), ("internal.", false));
    }

    #[test]
    fn every_rule_of_the_data_is_one_the_psl_crate_knows() {
        // If this fails, the data file and the `psl` crate (the version in
        // Cargo.lock) drifted apart: regenerate the file (data/README.md).
        let is_suffix =
            |name: &str| psl::suffix(name.as_bytes()).is_some_and(|s| s.is_known() && s == name);
        let mut kinds = [0; 3];
        for rule in RULES.lines() {
            assert!(
                !rule.is_empty() && rule.is_ascii() && rule.trim() == rule,
                "{rule:?}"
            );
            if let Some(name) = rule.strip_prefix('!') {
                // The exception is registrable: its suffix is its parent.
                let suffix = psl::suffix(name.as_bytes()).expect(rule);
                assert!(
                    suffix.is_known() && parent(name).is_some_and(|p| suffix == p),
                    "{rule}"
                );
                kinds[2] += 1;
            } else if let Some(literal) = rule.strip_prefix("*.") {
                assert!(is_suffix(&format!("x.{literal}")), "{rule}");
                kinds[1] += 1;
            } else {
                assert!(is_suffix(rule), "{rule}");
                kinds[0] += 1;
            }
        }
        let list = List::get();
        assert_eq!(
            [list.plain.len(), list.wildcard.len(), list.exception.len()],
            kinds,
            "a rule listed twice"
        );
        assert!(
            kinds[0] > 9_000 && kinds[1] > 100 && kinds[2] > 0,
            "{kinds:?}"
        );
        assert_eq!(example_site("*.kawasaki.jp"), "evil.x.kawasaki.jp");
        assert_eq!(example_site("s3.amazonaws.com"), "evil.s3.amazonaws.com");
    }

    /// `open_base` with the `psl` crate answering whether the base is a
    /// public suffix: the reference the sets are compared with.
    fn open_base_by_psl(base: &str) -> Option<OpenBase> {
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
        List::get()
            .beneath
            .get(base)
            .map(|rule| OpenBase::SuffixBeneath((*rule).to_owned()))
    }

    /// Where `psl` 2.1.247 departs from the list's algorithm: when a
    /// wildcard rule gives a name's suffix (`*.futurecms.at` matches
    /// `ex.futurecms.at`) but more rules lie beneath that suffix
    /// (`*.ex.futurecms.at`) and it is no rule itself, `psl` answers with the
    /// rule above the wildcard instead (`at`).
    fn psl_misses_wildcard(name: &str) -> bool {
        let list = List::get();
        let Suffix { name, known } = public_suffix(name);
        let suffix = name.strip_suffix('.').unwrap_or(name);
        known
            && !list.plain.contains(suffix)
            && parent(suffix).is_some_and(|under| list.wildcard.contains(under))
            && list.beneath.contains_key(suffix)
    }

    #[test]
    fn the_sets_answer_as_the_psl_crate_on_the_whole_list() {
        // Every rule's literal part, each label suffix of it, and a name
        // under each of those (a wildcard's expansion, a registrable domain);
        // exception names and their parents are among them.
        let mut names = BTreeSet::new();
        for rule in RULES.lines() {
            let literal = rule.trim_start_matches('!').trim_start_matches("*.");
            for domain in label_suffixes(literal) {
                names.insert(domain.to_owned());
                names.insert(format!("x.{domain}"));
            }
            names.insert(format!("sub.x.{literal}"));
        }
        for name in [
            "example.com",
            "a.b.example.co.uk",
            "www.ck",
            "a.www.ck",
            "localhost",
            "foo.localhost",
            "localhost.localdomain",
            "internal",
            "corp.internal",
            "example",
            "test",
            "local",
            "a",
            "_dmarc.example.com",
            "xn--fiqs8s",
            "example.xn--fiqs8s",
            "0b6a1c2e-0e6f.moz-extension",
        ] {
            names.insert(name.to_owned());
        }
        // Trailing-dot forms, which `open_base` accepts.
        let with_dots: Vec<String> = names.iter().map(|name| format!("{name}.")).collect();
        names.extend(with_dots);
        let (mut differ, mut psl_wrong) = (Vec::new(), 0);
        for name in &names {
            let psl = psl::suffix(name.as_bytes()).expect(name);
            let ours = public_suffix(name);
            let (old, new) = (open_base_by_psl(name), open_base(name));
            if psl_misses_wildcard(name) {
                // The list's answer, not `psl`'s; both refuse the base.
                psl_wrong += 1;
                let shorter = ours.name.len() > psl.as_bytes().len() && psl.is_known();
                if !shorter || old.is_none() || new.is_none() {
                    differ.push(format!(
                        "{name}: psl {psl:?} {old:?}, ours {ours:?} {new:?}"
                    ));
                }
                continue;
            }
            if (psl.as_bytes(), psl.is_known()) != (ours.name.as_bytes(), ours.known) {
                differ.push(format!("public_suffix({name}): psl {psl:?}, ours {ours:?}"));
            }
            if old != new {
                differ.push(format!("open_base({name}): psl {old:?}, ours {new:?}"));
            }
        }
        println!(
            "compared {} names with the psl crate ({psl_wrong} where psl misses a wildcard)",
            names.len()
        );
        assert!(names.len() > 60_000, "{}", names.len());
        assert_eq!(psl_wrong, 44, "names where psl misses a wildcard");
        assert!(
            differ.is_empty(),
            "{} differences: {:#?}",
            differ.len(),
            &differ[..differ.len().min(20)]
        );
    }

    #[test]
    fn first_use_cost() {
        // Not an assertion (the machine may be busy): the fastest of five
        // builds, shown with `--nocapture`; `--release` for optimised code.
        let mut fastest = std::time::Duration::MAX;
        for _ in 0..5 {
            let start = std::time::Instant::now();
            let list = List::parse(RULES);
            fastest = fastest.min(start.elapsed());
            assert!(list.beneath.len() > list.plain.len());
        }
        println!("public suffix sets built in {fastest:?}");
    }

    /// Writes `data/public_suffix_list.ascii.txt` from the Public Suffix List
    /// file named by `PUBLIC_SUFFIX_DAT` (see data/README.md): its rules in
    /// order, comments and blank lines left out, non-ASCII rules in the
    /// ASCII form `idna::domain_to_ascii` gives (the form browsers send).
    #[test]
    #[ignore = "regenerates the data file; see data/README.md"]
    fn regenerate_ascii_list() {
        let path = std::env::var("PUBLIC_SUFFIX_DAT")
            .expect("PUBLIC_SUFFIX_DAT names the list to convert (see data/README.md)");
        let dat = std::fs::read_to_string(&path).expect("PUBLIC_SUFFIX_DAT is readable");
        let mut ascii = String::new();
        for rule in dat.lines().map(str::trim) {
            if rule.is_empty() || rule.starts_with("//") {
                continue;
            }
            let split = rule.len() - rule.trim_start_matches('!').trim_start_matches("*.").len();
            let (kind, literal) = rule.split_at(split);
            let literal = if literal.is_ascii() {
                literal.to_owned()
            } else {
                idna::domain_to_ascii(literal)
                    .unwrap_or_else(|e| panic!("{rule}: not a domain name: {e}"))
            };
            ascii.push_str(kind);
            ascii.push_str(&literal);
            ascii.push('\n');
        }
        let out = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/data/public_suffix_list.ascii.txt"
        );
        std::fs::write(out, ascii).expect("the data file is writable");
    }
}
