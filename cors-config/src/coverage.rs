//! Rules that can never apply: with first match wins, a rule whose every
//! origin, method and request header an earlier rule already allows is never
//! chosen, so its own answer (credentials, exposed headers, max age) never
//! reaches a browser. Coverage here is exact, pattern by pattern.

use crate::model::{OriginPattern, Port, RuleModel};

/// The index of the first earlier rule that covers `rules[later]`, if any.
pub(crate) fn covering_rule(rules: &[RuleModel], later: usize) -> Option<usize> {
    let rule = rules.get(later)?;
    rules[..later]
        .iter()
        .position(|earlier| covers(earlier, rule))
}

/// Whether every request `later` allows, `earlier` allows too.
fn covers(earlier: &RuleModel, later: &RuleModel) -> bool {
    covers_origins(earlier, later)
        && covers_methods(earlier, later)
        && covers_headers(earlier, later)
}

fn covers_origins(earlier: &RuleModel, later: &RuleModel) -> bool {
    if earlier.any_origin {
        return true;
    }
    !later.any_origin
        && later
            .origins
            .iter()
            .all(|pattern| earlier.origins.iter().any(|q| origin_covers(q, pattern)))
}

/// Whether every origin `p` matches, `q` matches too.
fn origin_covers(q: &OriginPattern, p: &OriginPattern) -> bool {
    if q.scheme != p.scheme || !port_covers(q.port, p.port) {
        return false;
    }
    match (q.subdomains, p.subdomains) {
        // An exact host covers only itself.
        (false, false) => q.host == p.host,
        (false, true) => false,
        // `*.base` covers hosts strictly beneath `base`, and `*.b2` when
        // `b2` is `base` or beneath it.
        (true, false) => is_beneath(&p.host, &q.host),
        (true, true) => p.host == q.host || is_beneath(&p.host, &q.host),
    }
}

/// `host` is one or more labels followed by `.base`.
fn is_beneath(host: &str, base: &str) -> bool {
    host.len() > base.len() + 1
        && host.ends_with(base)
        && host.as_bytes()[host.len() - base.len() - 1] == b'.'
}

fn port_covers(q: Port, p: Port) -> bool {
    q == Port::Any || q == p
}

fn covers_methods(earlier: &RuleModel, later: &RuleModel) -> bool {
    earlier.any_method
        || (!later.any_method && later.methods.iter().all(|m| earlier.methods.contains(m)))
}

fn covers_headers(earlier: &RuleModel, later: &RuleModel) -> bool {
    if earlier.any_header {
        return true;
    }
    if later.any_header {
        return false;
    }
    let name_allowed = |name: &str| {
        earlier.headers.iter().any(|h| h == name)
            || earlier
                .header_patterns
                .iter()
                .any(|(prefix, suffix)| glob(prefix, suffix, name))
    };
    later.headers.iter().all(|name| name_allowed(name))
        && later.header_patterns.iter().all(|(prefix, suffix)| {
            // Every `prefix…suffix` name is `prefix_e…suffix_e` exactly when
            // the earlier pattern's parts are a prefix and a suffix of these.
            earlier
                .header_patterns
                .iter()
                .any(|(p, s)| prefix.starts_with(p.as_str()) && suffix.ends_with(s.as_str()))
        })
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

    #[test]
    fn origin_patterns_cover_exactly() {
        let covers = |q: &str, p: &str| origin_covers(&origin(q), &origin(p));
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
    }

    #[test]
    fn header_patterns_cover_exactly() {
        let rule = |names: &[&str], patterns: &[(&str, &str)], any: bool| RuleModel {
            id: None,
            any_origin: true,
            origins: vec![],
            any_method: true,
            methods: vec![],
            any_header: any,
            headers: names.iter().map(|n| (*n).to_owned()).collect(),
            header_patterns: patterns
                .iter()
                .map(|(p, s)| ((*p).to_owned(), (*s).to_owned()))
                .collect(),
            expose_headers: vec![],
            max_age: None,
            credentials: false,
        };
        assert!(covers_headers(
            &rule(&[], &[("x-", "")], false),
            &rule(&["x-a"], &[("x-a-", "")], false)
        ));
        assert!(!covers_headers(
            &rule(&[], &[("x-a", "")], false),
            &rule(&[], &[("x-", "")], false)
        ));
        assert!(covers_headers(&rule(&[], &[], true), &rule(&[], &[], true)));
        assert!(!covers_headers(
            &rule(&["x-a"], &[], false),
            &rule(&[], &[], true)
        ));
        assert!(covers_headers(
            &rule(&["x-a"], &[], false),
            &rule(&[], &[], false)
        ));
        assert!(!covers_headers(
            &rule(&["x-a"], &[], false),
            &rule(&["x-b"], &[], false)
        ));
    }
}
