//! `allow_headers` (request headers a preflight may ask for) and
//! `expose_headers` (response headers scripts may read).

use std::collections::HashSet;

use cors_grammar::quote;

use crate::problem::ItemSink;
use crate::raw::RawItem;

/// Fetch "forbidden request-header" names: scripts cannot set them, so
/// allowing them only shows a misunderstanding (or a typo of another name).
const FORBIDDEN_REQUEST: [&str; 21] = [
    "accept-charset",
    "accept-encoding",
    "access-control-request-headers",
    "access-control-request-method",
    "connection",
    "content-length",
    "cookie",
    "cookie2",
    "date",
    "dnt",
    "expect",
    "host",
    "keep-alive",
    "origin",
    "referer",
    "set-cookie",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "via",
];

/// Prefixes of forbidden request-header names.
const FORBIDDEN_REQUEST_PREFIXES: [&str; 2] = ["proxy-", "sec-"];

/// Response headers scripts can never read (Fetch "forbidden response-header name").
const FORBIDDEN_RESPONSE: [&str; 2] = ["set-cookie", "set-cookie2"];

/// Headers of the CORS protocol itself: exposing them makes no sense.
const PROTOCOL_RESPONSE: [&str; 3] = [
    "origin",
    "access-control-request-method",
    "access-control-request-headers",
];

/// The checked `allow_headers`.
#[derive(Default)]
pub(crate) struct AllowedHeaders {
    pub(crate) any: bool,
    pub(crate) names: Vec<String>,
    pub(crate) patterns: Vec<(String, String)>,
}

/// Checks `allow_headers`: valid names or one-`*` patterns, none forbidden,
/// and with `credentials` no pattern that covers `authorization` by accident.
pub(crate) fn check_request(
    sink: &mut ItemSink<'_>,
    items: &[RawItem],
    credentials: bool,
) -> AllowedHeaders {
    cors_grammar::work::add(items.len());
    let mut headers = AllowedHeaders {
        any: items.iter().any(|e| e.text() == "*"),
        ..AllowedHeaders::default()
    };
    let mut seen = HashSet::new();
    for (name, index) in strings(sink, items, "allow_headers") {
        cors_grammar::work::add(1 + name.len());
        if name == "*" {
            continue;
        }
        let shown = quote(&name);
        if headers.any {
            sink.at(
                index,
                format!(
                    "`{shown}` is redundant: `\"*\"` already allows every request header, \
                 `authorization` included; remove it"
                ),
            );
            continue;
        }
        if let Some(message) = request_problem(&name) {
            sink.at(index, message);
            continue;
        }
        if !seen.insert(name.clone()) {
            sink.at(
                index,
                format!("duplicate header `{shown}` (names are case-insensitive); remove it"),
            );
            continue;
        }
        match name.split_once('*') {
            Some((prefix, suffix)) => {
                if credentials && covers(prefix, suffix, "authorization") {
                    sink.at(
                        index,
                        format!(
                        "`{shown}` also allows `authorization`, and this rule sends credentials: a \
                         pattern should not grant the header that carries users' credentials by \
                         accident; list `authorization` explicitly if it is meant, and narrow the \
                         pattern (e.g. `x-{shown}`)"
                    ),
                    );
                    continue;
                }
                headers.patterns.push((prefix.into(), suffix.into()));
            }
            None => headers.names.push(name),
        }
    }
    // Equal names are equal strings, so an unstable sort gives the same order.
    crate::layout::sort_names(&mut headers.names, true);
    headers
}

/// Whether the one-`*` pattern `prefix*suffix` matches `name` (the runtime's
/// rule: the star covers any run of characters, possibly empty).
fn covers(prefix: &str, suffix: &str, name: &str) -> bool {
    cors_grammar::glob_matches_ignoring_case(prefix.as_bytes(), suffix.as_bytes(), name.as_bytes())
}

/// What is wrong with one lowercase `allow_headers` entry, if anything.
fn request_problem(name: &str) -> Option<String> {
    let shown = quote(name);
    let stars = name.matches('*').count();
    if stars > 1 {
        return Some(format!(
            "`{shown}` has more than one `*`; a pattern has one, e.g. `x-amz-*`"
        ));
    }
    if !cors_grammar::is_token(name.replace('*', "a").as_bytes()) {
        return Some(invalid(name));
    }
    if name.starts_with("access-control-") {
        return Some(format!(
            "`{shown}` is a CORS response header, not a request header: it does not belong in \
             `allow_headers`; remove it"
        ));
    }
    let prefix = name.split('*').next().unwrap_or(name);
    let forbidden_prefix = FORBIDDEN_REQUEST_PREFIXES.iter().find(|p| {
        prefix.starts_with(*p) || (stars == 1 && p.starts_with(prefix) && !prefix.is_empty())
    });
    if FORBIDDEN_REQUEST.contains(&name) || forbidden_prefix.is_some() {
        return Some(format!(
            "`{shown}` is a forbidden request header: browsers set it themselves and never let \
             scripts send it, so allowing it has no effect; remove it"
        ));
    }
    None
}

/// The checked `expose_headers`: lowercase names, or `["*"]`.
pub(crate) fn check_expose(sink: &mut ItemSink<'_>, items: &[RawItem]) -> Vec<String> {
    cors_grammar::work::add(items.len());
    let any = items.iter().any(|e| e.text() == "*");
    let mut names = Vec::new();
    let mut seen = HashSet::new();
    for (name, index) in strings(sink, items, "expose_headers") {
        cors_grammar::work::add(1 + name.len());
        if name == "*" {
            names.push(name);
            continue;
        }
        let shown = quote(&name);
        if any {
            sink.at(
                index,
                format!(
                "`{shown}` is redundant: `\"*\"` already exposes every response header; remove it"
            ),
            );
            continue;
        }
        if let Some(message) = expose_problem(&name) {
            sink.at(index, message);
            continue;
        }
        if !seen.insert(name.clone()) {
            sink.at(
                index,
                format!("duplicate header `{shown}` (names are case-insensitive); remove it"),
            );
            continue;
        }
        names.push(name);
    }
    if any {
        cors_grammar::work::add(names.len());
        names.retain(|n| n == "*");
        names.truncate(1);
    }
    names
}

/// What is wrong with one lowercase `expose_headers` entry, if anything.
fn expose_problem(name: &str) -> Option<String> {
    let shown = quote(name);
    if name.contains('*') {
        return Some(format!(
            "`{shown}`: `expose_headers` takes exact names (browsers do not match patterns \
             there); list each header, or use `\"*\"` alone"
        ));
    }
    if !cors_grammar::is_token(name.as_bytes()) {
        return Some(invalid(name));
    }
    if FORBIDDEN_RESPONSE.contains(&name) {
        return Some(format!(
            "`{shown}` can never be exposed: browsers hide it from scripts whatever the server \
             says; remove it"
        ));
    }
    if PROTOCOL_RESPONSE.contains(&name) || name.starts_with("access-control-") {
        return Some(format!(
            "`{shown}` is part of the CORS protocol, not a header of your responses; remove it \
             from `expose_headers`"
        ));
    }
    None
}

fn invalid(name: &str) -> String {
    let name = quote(name);
    format!(
        "`{name}` is not a valid header name: a header name is a non-empty token of letters, \
         digits and ``!#$%&'+-.^_`|~``, e.g. `x-request-id`"
    )
}

/// The lowercase texts of the string elements with their indexes;
/// identifiers are refused, since most header names are not Rust
/// identifiers anyway.
fn strings(sink: &mut ItemSink<'_>, items: &[RawItem], key: &str) -> Vec<(String, usize)> {
    let mut strings = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        cors_grammar::work::add(1 + item.text().len());
        match item {
            RawItem::Str(text) => strings.push((text.to_ascii_lowercase(), index)),
            RawItem::Ident(ident) => sink.at(
                index,
                format!(
                    "`{key}` takes header names as strings; write `\"{}\"`",
                    quote(ident)
                ),
            ),
            RawItem::Other(kind) => sink.at(
                index,
                format!("`{key}` takes header names as strings, not {kind}"),
            ),
        }
    }
    strings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_header_rules() {
        assert!(request_problem("content-type").is_none());
        assert!(request_problem("x-amz-*").is_none());
        assert!(request_problem("authorization").is_none());
        assert!(request_problem("x-*-*").is_some());
        assert!(request_problem("cookie").is_some());
        assert!(request_problem("sec-fetch-mode").is_some());
        assert!(request_problem("proxy-authorization").is_some());
        assert!(request_problem("se*").is_some());
        assert!(request_problem("access-control-allow-origin").is_some());
        assert!(request_problem("x y").is_some());
        assert!(request_problem("").is_some());
    }

    #[test]
    fn patterns_covering_authorization() {
        for (prefix, suffix) in [
            ("a", ""),
            ("", "n"),
            ("auth", "ion"),
            ("", "authorization"),
            ("authorization", ""),
        ] {
            assert!(covers(prefix, suffix, "authorization"), "{prefix}*{suffix}");
        }
        for (prefix, suffix) in [
            ("x-", ""),
            ("authorization-", ""),
            ("b", ""),
            ("authorization", "x"),
        ] {
            assert!(
                !covers(prefix, suffix, "authorization"),
                "{prefix}*{suffix}"
            );
        }
    }

    #[test]
    fn expose_header_rules() {
        assert!(expose_problem("etag").is_none());
        assert!(expose_problem("set-cookie").is_some());
        assert!(expose_problem("x-*").is_some());
        assert!(expose_problem("access-control-max-age").is_some());
        assert!(expose_problem("origin").is_some());
    }
}
