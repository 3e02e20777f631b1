//! Rules that can never apply: with first match wins, a rule whose every
//! request (origin, method and request headers) some earlier rule already
//! allows is never chosen, so its own answer (credentials, exposed headers,
//! max age) never reaches a browser.
//!
//! What is detected, exactly: a later rule is unreachable when, **for each
//! of its origin patterns**, some earlier rule has an origin pattern that
//! covers it (`*` covers all; `*.base` covers hosts beneath `base` and
//! `*.b2` for `b2` at or beneath `base`; `:*` covers every port) and allows
//! every method and every request header (name or pattern) the later rule
//! allows. The earlier rules may differ from one origin pattern to the next
//! (coverage by a union of earlier rules, origin by origin), but for one
//! origin pattern a single earlier rule must allow all the methods and
//! headers, because a preflight is answered by one rule. The check is sound:
//! every request the later rule allows is allowed by an earlier rule. It is
//! not complete: a rule whose methods are split across earlier rules, or
//! one origin pattern covered only by several earlier patterns together, is
//! not reported.
//!
//! Cost: one pass over every rule builds indexes from each origin key,
//! method, header name and distinct header pattern to the set of rules
//! listing it (a 256-bit set); each later rule is then judged by set
//! intersections: a hash lookup per method and header name, a glob test per
//! distinct header pattern once per distinct header name, and a lookup per
//! label of each origin pattern's host. Time is linear in the policy's size
//! times the number of distinct header patterns (bounded by
//! `cors_grammar::MAX_HEADER_PATTERNS`), never quadratic in its rules or lists.

use std::collections::HashMap;

use cors_grammar::work;
use cors_grammar::RULE_SET_WORDS;

use crate::model::{OriginPattern, Port, RuleModel};

/// A set of rules, by index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Rules([u64; RULE_SET_WORDS]);

impl Rules {
    const NONE: Rules = Rules([0; RULE_SET_WORDS]);
    const ALL: Rules = Rules([u64::MAX; RULE_SET_WORDS]);

    fn insert(&mut self, index: usize) {
        cors_grammar::insert_rule(&mut self.0, index);
    }

    /// The rules before `index`.
    fn below(index: usize) -> Rules {
        let mut words = [0; RULE_SET_WORDS];
        for (at, word) in words.iter_mut().enumerate() {
            let start = at * 64;
            *word = match index.saturating_sub(start) {
                0 => 0,
                n if n >= 64 => u64::MAX,
                n => (1u64 << n) - 1,
            };
        }
        Rules(words)
    }

    fn and(self, other: Rules) -> Rules {
        let mut words = self.0;
        for (word, other) in words.iter_mut().zip(other.0) {
            *word &= other;
        }
        Rules(words)
    }

    fn or(self, other: Rules) -> Rules {
        let mut words = self.0;
        for (word, other) in words.iter_mut().zip(other.0) {
            *word |= other;
        }
        Rules(words)
    }

    /// The indexes in the set, in order.
    fn indexes(self) -> Vec<usize> {
        let mut indexes = Vec::new();
        for (at, mut word) in self.0.into_iter().enumerate() {
            while word != 0 {
                work::step();
                indexes.push(at * 64 + word.trailing_zeros() as usize);
                word &= word - 1;
            }
        }
        indexes
    }

    /// The lowest index in the set.
    fn first(self) -> Option<usize> {
        self.0
            .iter()
            .enumerate()
            .find(|(_, word)| **word != 0)
            .map(|(at, word)| at * 64 + word.trailing_zeros() as usize)
    }
}

/// Why a rule is never chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Covering {
    /// One earlier rule allows every request it allows.
    One(usize),
    /// Each of its origin patterns is covered by one of these earlier
    /// rules (in order), none of which covers them all.
    Several(Vec<usize>),
}

/// Every rule that can never be chosen, in order, with the earlier rules
/// that take its requests.
pub(crate) fn unreachable_rules(rules: &[RuleModel]) -> Vec<(usize, Covering)> {
    let index = Index::new(rules);
    let mut header_memo = HashMap::new();
    let mut found = Vec::new();
    for (later, rule) in rules.iter().enumerate().skip(1) {
        work::step();
        let earlier = Rules::below(later);
        let methods = index.covering_methods(rule).and(earlier);
        if methods == Rules::NONE {
            continue;
        }
        let takers = methods.and(index.covering_headers(rule, &mut header_memo));
        if takers == Rules::NONE {
            continue;
        }
        if let Some(covering) = index.covering_origins(rule, takers) {
            found.push((later, covering));
        }
    }
    found
}

/// The rules by what they list.
struct Index<'a> {
    any_origin: Rules,
    /// Exact origin patterns by `(scheme, host)`.
    hosts: HashMap<(&'a str, &'a str), PortRules>,
    /// `*.` origin patterns by `(scheme, base)`.
    bases: HashMap<(&'a str, &'a str), PortRules>,
    any_method: Rules,
    methods: HashMap<&'a str, Rules>,
    any_header: Rules,
    header_names: HashMap<&'a str, Rules>,
    /// Each distinct header pattern once, with the rules listing it.
    header_patterns: Vec<((&'a str, &'a str), Rules)>,
}

/// The rules of one origin key, by port.
#[derive(Default)]
struct PortRules {
    any: Rules,
    absent: Rules,
    exact: HashMap<u16, Rules>,
}

impl PortRules {
    fn insert(&mut self, port: Port, rule: usize) {
        match port {
            Port::Any => self.any.insert(rule),
            Port::Absent => self.absent.insert(rule),
            Port::Exact(port) => self.exact.entry(port).or_default().insert(rule),
        }
    }

    /// The rules whose port pattern covers `port`: `:*`, or the same.
    fn covering(&self, port: Port) -> Rules {
        let same = match port {
            Port::Any => Rules::NONE,
            Port::Absent => self.absent,
            Port::Exact(port) => self.exact.get(&port).copied().unwrap_or_default(),
        };
        self.any.or(same)
    }
}

impl<'a> Index<'a> {
    fn new(rules: &'a [RuleModel]) -> Self {
        let mut index = Index {
            any_origin: Rules::NONE,
            hosts: HashMap::new(),
            bases: HashMap::new(),
            any_method: Rules::NONE,
            methods: HashMap::new(),
            any_header: Rules::NONE,
            header_names: HashMap::new(),
            header_patterns: Vec::new(),
        };
        let mut pattern_slots: HashMap<(&str, &str), usize> = HashMap::new();
        for (at, rule) in rules.iter().enumerate() {
            work::step();
            if rule.any_origin {
                index.any_origin.insert(at);
            }
            for pattern in &rule.origins {
                work::add(1 + pattern.scheme.len() + pattern.host.len());
                let key = (pattern.scheme.as_str(), pattern.host.as_str());
                let table = if pattern.subdomains {
                    &mut index.bases
                } else {
                    &mut index.hosts
                };
                table.entry(key).or_default().insert(pattern.port, at);
            }
            if rule.any_method {
                index.any_method.insert(at);
            }
            for method in &rule.methods {
                work::add(1 + method.len());
                index.methods.entry(method).or_default().insert(at);
            }
            if rule.any_header {
                index.any_header.insert(at);
            }
            for name in &rule.headers {
                work::add(1 + name.len());
                index.header_names.entry(name).or_default().insert(at);
            }
            for (prefix, suffix) in &rule.header_patterns {
                work::add(1 + prefix.len() + suffix.len());
                let key = (prefix.as_str(), suffix.as_str());
                let slot = *pattern_slots.entry(key).or_insert_with(|| {
                    index.header_patterns.push((key, Rules::NONE));
                    index.header_patterns.len() - 1
                });
                if let Some((_, listed)) = index.header_patterns.get_mut(slot) {
                    listed.insert(at);
                }
            }
        }
        index
    }

    /// The rules that allow every method `rule` allows.
    fn covering_methods(&self, rule: &RuleModel) -> Rules {
        if rule.any_method {
            return self.any_method;
        }
        rule.methods.iter().fold(Rules::ALL, |covering, method| {
            work::add(1 + method.len());
            let listing = self.methods.get(method.as_str()).copied();
            covering.and(self.any_method.or(listing.unwrap_or_default()))
        })
    }

    /// The rules that allow every request header `rule` allows. `memo`
    /// keeps each header name's rules, found once per policy.
    fn covering_headers(&self, rule: &'a RuleModel, memo: &mut HashMap<&'a str, Rules>) -> Rules {
        if rule.any_header {
            return self.any_header;
        }
        let mut covering = Rules::ALL;
        for name in &rule.headers {
            work::add(1 + name.len());
            let allowing = *memo
                .entry(name.as_str())
                .or_insert_with(|| self.allowing_name(name));
            covering = covering.and(allowing);
            if covering == Rules::NONE {
                return covering;
            }
        }
        for (prefix, suffix) in &rule.header_patterns {
            // Every `prefix…suffix` name matches `p…s` exactly when `p`
            // starts `prefix` and `s` ends `suffix`.
            work::add(self.header_patterns.len() * (1 + prefix.len() + suffix.len()));
            let allowing = self
                .header_patterns
                .iter()
                .filter(|((p, s), _)| prefix.starts_with(p) && suffix.ends_with(s))
                .fold(self.any_header, |rules, (_, listing)| rules.or(*listing));
            covering = covering.and(allowing);
        }
        covering
    }

    /// The rules that allow the request header `name`.
    fn allowing_name(&self, name: &str) -> Rules {
        let listed = self.header_names.get(name).copied().unwrap_or_default();
        work::add(self.header_patterns.len() * (1 + name.len()));
        self.header_patterns
            .iter()
            .filter(|((prefix, suffix), _)| glob(prefix, suffix, name))
            .fold(self.any_header.or(listed), |rules, (_, listing)| {
                rules.or(*listing)
            })
    }

    /// Whether each origin pattern of `rule` is covered by one of the
    /// `takers` (earlier rules allowing all its methods and headers), and
    /// by which.
    fn covering_origins(&self, rule: &RuleModel, takers: Rules) -> Option<Covering> {
        if rule.any_origin {
            return self.any_origin.and(takers).first().map(Covering::One);
        }
        let mut every = takers;
        // A set, not a list searched for each origin: a rule of n origins
        // each covered by another earlier rule stays linear.
        let mut firsts = Rules::NONE;
        for pattern in &rule.origins {
            work::step();
            let covering = self.covering_pattern(pattern).and(takers);
            let first = covering.first()?;
            every = every.and(covering);
            firsts.insert(first);
        }
        match every.first() {
            Some(one) => Some(Covering::One(one)),
            None => Some(Covering::Several(firsts.indexes())),
        }
    }

    /// The rules with an origin pattern that covers `pattern`.
    fn covering_pattern(&self, pattern: &OriginPattern) -> Rules {
        let scheme = pattern.scheme.as_str();
        let host = pattern.host.as_str();
        let port = pattern.port;
        let at = |table: &HashMap<(&str, &str), PortRules>, key: &str| {
            work::add(1 + scheme.len() + key.len());
            table
                .get(&(scheme, key))
                .map_or(Rules::NONE, |rules| rules.covering(port))
        };
        let mut covering = self.any_origin;
        if pattern.subdomains {
            // `*.base` covers `*.base`.
            covering = covering.or(at(&self.bases, host));
        } else {
            // An exact host covers only itself.
            covering = covering.or(at(&self.hosts, host));
        }
        // `*.base` covers every host and base strictly beneath `base`.
        let mut rest = host;
        while let Some((_, parent)) = rest.split_once('.') {
            covering = covering.or(at(&self.bases, parent));
            rest = parent;
        }
        covering
    }
}

/// The runtime's one-`*` match: `prefix`, any run (possibly empty), `suffix`.
fn glob(prefix: &str, suffix: &str, name: &str) -> bool {
    cors_grammar::glob_matches_ignoring_case(prefix.as_bytes(), suffix.as_bytes(), name.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin(text: &str) -> OriginPattern {
        let (scheme, rest) = text.split_once("://").expect("scheme");
        let (host, port) = match rest.rsplit_once(':') {
            Some((host, "*")) => (host, Port::Any),
            Some((host, port)) => (host, Port::Exact(port.parse().expect("port"))),
            None => (rest, Port::Absent),
        };
        let (host, subdomains) = match host.strip_prefix("*.") {
            Some(base) => (base, true),
            None => (host, false),
        };
        OriginPattern {
            scheme: scheme.into(),
            host: host.into(),
            subdomains,
            port,
        }
    }

    /// A rule allowing these origins (`*` for any), methods and headers
    /// (`*` for any, `x-*` for a pattern).
    fn rule(origins: &[&str], methods: &[&str], headers: &[&str]) -> RuleModel {
        let patterns = headers
            .iter()
            .filter(|h| h.contains('*') && **h != "*")
            .map(|h| {
                let (p, s) = h.split_once('*').expect("star");
                (p.to_owned(), s.to_owned())
            })
            .collect();
        RuleModel {
            id: None,
            any_origin: origins.contains(&"*"),
            origins: origins
                .iter()
                .filter(|o| **o != "*")
                .map(|o| origin(o))
                .collect(),
            any_method: methods.contains(&"*"),
            methods: methods
                .iter()
                .filter(|m| **m != "*")
                .map(|m| (*m).to_owned())
                .collect(),
            any_header: headers.contains(&"*"),
            headers: headers
                .iter()
                .filter(|h| !h.contains('*'))
                .map(|h| (*h).to_owned())
                .collect(),
            header_patterns: patterns,
            expose_headers: vec![],
            max_age: None,
            credentials: false,
        }
    }

    /// Whether rule 1 is covered by rule 0, origin patterns only.
    fn covers(q: &str, p: &str) -> bool {
        let rules = [rule(&[q], &["GET"], &[]), rule(&[p], &["GET"], &[])];
        unreachable_rules(&rules) == vec![(1, Covering::One(0))]
    }

    #[test]
    fn origin_patterns_cover_exactly() {
        assert!(covers("https://*.example.com", "https://a.example.com"));
        assert!(covers("https://*.example.com", "https://a.b.example.com"));
        assert!(covers("https://*.example.com", "https://*.example.com"));
        assert!(covers("https://*.example.com", "https://*.a.example.com"));
        assert!(!covers("https://*.example.com", "https://example.com"));
        assert!(!covers("https://*.example.com", "https://aexample.com"));
        assert!(!covers("https://*.a.example.com", "https://*.example.com"));
        assert!(!covers("https://*.example.com", "http://a.example.com"));
        assert!(covers("http://localhost:*", "http://localhost:3000"));
        assert!(covers("http://localhost:*", "http://localhost"));
        assert!(!covers("http://localhost", "http://localhost:3000"));
        assert!(!covers("http://localhost:3000", "http://localhost:*"));
        assert!(covers(
            "https://*.example.com:*",
            "https://a.example.com:8443"
        ));
        assert!(!covers(
            "https://*.example.com",
            "https://a.example.com:8443"
        ));
        assert!(!covers("https://a.example.com", "https://*.example.com"));
        assert!(covers("*", "https://a.example.com"));
        assert!(!covers("https://a.example.com", "*"));
    }

    /// Whether rule 1 is covered by rule 0, headers only.
    fn covers_headers(q: &[&str], p: &[&str]) -> bool {
        let rules = [rule(&["*"], &["*"], q), rule(&["*"], &["*"], p)];
        !unreachable_rules(&rules).is_empty()
    }

    #[test]
    fn header_patterns_cover_exactly() {
        assert!(covers_headers(&["x-*"], &["x-a", "x-a-*"]));
        assert!(!covers_headers(&["x-a*"], &["x-*"]));
        assert!(covers_headers(&["*"], &["*"]));
        assert!(!covers_headers(&["x-a"], &["*"]));
        assert!(covers_headers(&["x-a"], &[]));
        assert!(!covers_headers(&["x-a"], &["x-b"]));
        assert!(covers_headers(&["x-a", "x-b"], &["x-b", "x-a"]));
    }

    #[test]
    fn methods_cover_exactly() {
        let pair = |q: &[&str], p: &[&str]| {
            let rules = [rule(&["*"], q, &[]), rule(&["*"], p, &[])];
            !unreachable_rules(&rules).is_empty()
        };
        assert!(pair(&["GET", "PUT"], &["PUT"]));
        assert!(pair(&["*"], &["PUT"]));
        assert!(pair(&["*"], &["*"]));
        assert!(!pair(&["GET"], &["*"]));
        assert!(!pair(&["GET"], &["PUT"]));
    }

    #[test]
    fn a_union_of_earlier_rules_covers_origin_by_origin() {
        let rules = [
            rule(&["https://a.example.com"], &["GET", "PUT"], &["x-a"]),
            rule(&["https://b.example.com"], &["GET", "PUT"], &["*"]),
            rule(
                &["https://a.example.com", "https://b.example.com"],
                &["GET"],
                &["x-a"],
            ),
        ];
        assert_eq!(
            unreachable_rules(&rules),
            vec![(2, Covering::Several(vec![0, 1]))]
        );
    }

    #[test]
    fn an_origin_no_earlier_rule_takes_keeps_a_rule_reachable() {
        // Sound: each origin needs one earlier rule allowing all its
        // methods and headers; here `c` has none, and for `a` the method is
        // split between two rules (a preflight is answered by one rule).
        let rules = [
            rule(&["https://a.example.com"], &["GET"], &[]),
            rule(&["https://a.example.com"], &["PUT"], &[]),
            rule(&["https://b.example.com"], &["GET", "PUT"], &[]),
            rule(
                &["https://a.example.com", "https://b.example.com"],
                &["GET", "PUT"],
                &[],
            ),
            rule(
                &["https://b.example.com", "https://c.example.com"],
                &["GET"],
                &[],
            ),
        ];
        assert!(unreachable_rules(&rules).is_empty());
    }

    /// `n` rules of one origin each (in reverse order), then one rule
    /// listing every origin twice: the rules covering it, each once and in
    /// order, and the steps counted.
    fn covered_origin_by_origin(n: usize) -> (Vec<(usize, Covering)>, u64) {
        let origins: Vec<String> = (0..n)
            .map(|o| format!("https://o{o}.example.com"))
            .collect();
        let mut rules: Vec<RuleModel> = origins
            .iter()
            .rev()
            .map(|o| rule(&[o], &["GET"], &[]))
            .collect();
        let twice: Vec<&str> = origins.iter().chain(&origins).map(String::as_str).collect();
        rules.push(rule(&twice, &["GET"], &[]));
        cors_grammar::work::take();
        let found = unreachable_rules(&rules);
        (found, cors_grammar::work::take())
    }

    #[test]
    fn origins_covered_by_many_earlier_rules_cost_linear_work() {
        let (found, small) = covered_origin_by_origin(127);
        assert_eq!(found, vec![(127, Covering::Several((0..127).collect()))]);
        let (found, large) = covered_origin_by_origin(255);
        assert_eq!(found, vec![(255, Covering::Several((0..255).collect()))]);
        // Searching the covering rules found so far for each origin made
        // this quadratic (2.2 times the work when the origins doubled).
        let ratio = large as f64 / small as f64;
        assert!(ratio < 2.1, "{small} then {large} steps");
    }

    #[test]
    fn the_first_rule_covering_everything_is_named() {
        let rules = [
            rule(&["https://a.example.com"], &["GET"], &[]),
            rule(&["*"], &["*"], &["*"]),
            rule(&["https://*.example.com"], &["GET"], &[]),
            rule(&["https://a.example.com"], &["GET"], &[]),
        ];
        assert_eq!(
            unreachable_rules(&rules),
            vec![(2, Covering::One(1)), (3, Covering::One(0))]
        );
    }

    /// The reference: a later rule is unreachable when every one of its
    /// origin patterns has an earlier rule covering it whole, by the plain
    /// pairwise definitions.
    fn reference(rules: &[RuleModel]) -> Vec<usize> {
        let port_covers = |q: Port, p: Port| q == Port::Any || q == p;
        let beneath = |host: &str, base: &str| {
            host.len() > base.len() + 1
                && host.ends_with(base)
                && host.as_bytes()[host.len() - base.len() - 1] == b'.'
        };
        let origin_covers = |q: &OriginPattern, p: &OriginPattern| {
            q.scheme == p.scheme
                && port_covers(q.port, p.port)
                && match (q.subdomains, p.subdomains) {
                    (false, false) => q.host == p.host,
                    (false, true) => false,
                    (true, false) => beneath(&p.host, &q.host),
                    (true, true) => p.host == q.host || beneath(&p.host, &q.host),
                }
        };
        let mh = |e: &RuleModel, l: &RuleModel| {
            let methods =
                e.any_method || (!l.any_method && l.methods.iter().all(|m| e.methods.contains(m)));
            let name_ok = |n: &str| {
                e.headers.iter().any(|h| h == n)
                    || e.header_patterns.iter().any(|(p, s)| glob(p, s, n))
            };
            let headers = e.any_header
                || (!l.any_header
                    && l.headers.iter().all(|n| name_ok(n))
                    && l.header_patterns.iter().all(|(lp, ls)| {
                        e.header_patterns
                            .iter()
                            .any(|(p, s)| lp.starts_with(p.as_str()) && ls.ends_with(s.as_str()))
                    }));
            methods && headers
        };
        (1..rules.len())
            .filter(|&later| {
                let l = &rules[later];
                let earlier = &rules[..later];
                if l.any_origin {
                    return earlier.iter().any(|e| e.any_origin && mh(e, l));
                }
                l.origins.iter().all(|p| {
                    earlier.iter().any(|e| {
                        mh(e, l) && (e.any_origin || e.origins.iter().any(|q| origin_covers(q, p)))
                    })
                })
            })
            .collect()
    }

    #[test]
    fn agrees_with_the_pairwise_reference_on_generated_policies() {
        let origins = [
            "*",
            "https://a.example.com",
            "https://b.example.com",
            "https://*.example.com",
            "https://*.a.example.com",
            "https://x.a.example.com",
            "http://localhost:*",
            "http://localhost:3000",
            "http://localhost",
        ];
        let methods = ["*", "GET", "PUT", "DELETE"];
        let headers = ["*", "x-a", "x-b", "x-*", "x-a*", "y-b"];
        // A small deterministic generator (xorshift), so failures reproduce.
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = move |bound: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % bound as u64) as usize
        };
        fn pick(
            next: &mut impl FnMut(usize) -> usize,
            from: &[&'static str],
            most: usize,
        ) -> Vec<&'static str> {
            let count = 1 + next(most);
            let mut chosen: Vec<&str> = (0..count).map(|_| from[next(from.len())]).collect();
            chosen.sort_unstable();
            chosen.dedup();
            chosen
        }
        let mut reported = 0;
        for _ in 0..3_000 {
            let count = 2 + next(5);
            let rules: Vec<RuleModel> = (0..count)
                .map(|_| {
                    let header_list = if next(3) == 0 {
                        vec![]
                    } else {
                        pick(&mut next, &headers, 3)
                    };
                    let origin_list = pick(&mut next, &origins, 3);
                    rule(&origin_list, &pick(&mut next, &methods, 2), &header_list)
                })
                .collect();
            let found: Vec<usize> = unreachable_rules(&rules)
                .iter()
                .map(|(at, _)| *at)
                .collect();
            assert_eq!(found, reference(&rules), "{rules:#?}");
            reported += found.len();
        }
        assert!(
            reported > 500,
            "the generator finds unreachable rules ({reported})"
        );
    }
}
