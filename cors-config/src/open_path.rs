//! Open paths: the paths a policy keeps open to cross-site `POST`s, exact
//! (`/pay/callback`) or a prefix (`/hooks/*`: one or more segments under
//! `/hooks/`).
//!
//! The runtime matches them byte for byte against the raw request path, and
//! a request path with `%`, an empty segment or a `.`/`..` segment never
//! matches (a server may normalise such a path into another route). So a
//! pattern that no browser-sent path could match is refused here, with the
//! form that would match as the fix, instead of an exemption that silently
//! never applies; and a pattern another one already covers is refused as
//! noise that hides what is really open.

use cors_grammar::{quote, Quoted, MAX_OPEN_PATH_LEN};

use crate::problem::ItemSink;
use crate::raw::RawItem;

/// A checked open path.
struct OpenPath {
    /// The exact path, or a prefix's part before its `*` (ending in `/`).
    base: String,
    /// `true` for a `/*` pattern.
    prefix: bool,
}

impl OpenPath {
    /// Whether every path `other` opens is already open through `self`.
    fn covers(&self, other: &OpenPath) -> bool {
        self.prefix && other.base.len() > self.base.len() && other.base.starts_with(&self.base)
    }
}

/// The layout of a checked open path: `(path, false)`, or for `/hooks/*`
/// `("/hooks/", true)`.
pub(crate) fn layout(text: &str) -> (String, bool) {
    match text.strip_suffix('*') {
        Some(base) => (base.to_owned(), true),
        None => (text.to_owned(), false),
    }
}

/// Checks every element of `open_paths`, reporting in the order written:
/// the paths that passed, as written.
pub(crate) fn check_all(sink: &mut ItemSink<'_>, items: &[RawItem]) -> Vec<String> {
    let mut parsed: Vec<Result<(&str, OpenPath), String>> = Vec::with_capacity(items.len());
    for item in items {
        cors_grammar::work::add(1 + item.text().len());
        parsed.push(match item {
            RawItem::Str(text) => parse(text).map(|path| (text.as_str(), path)),
            RawItem::Ident(text) => Err(format!(
                "open paths are strings; write `\"/{}\"`",
                quote(text)
            )),
            RawItem::Other(kind) => Err(format!(
                "open paths are strings such as `\"/pay/callback\"`, not {kind}"
            )),
        });
    }
    let mut valid: Vec<&(&str, OpenPath)> = Vec::with_capacity(parsed.len());
    for path in parsed.iter().flatten() {
        valid.push(path);
    }
    let mut kept = Vec::new();
    for (index, result) in parsed.iter().enumerate() {
        let (text, path) = match result {
            Ok(valid) => valid,
            Err(message) => {
                sink.at(index, message.clone());
                continue;
            }
        };
        // Comparing with every earlier and every valid path: quadratic in
        // the paths, which are at most `MAX_OPEN_PATHS`.
        cors_grammar::work::add(index + valid.len());
        let earlier = parsed[..index].iter().filter_map(|p| p.as_ref().ok());
        if earlier.clone().any(|(other, _)| other == text) {
            sink.at(
                index,
                format!("duplicate open path `{}`; remove it", quote(text)),
            );
            continue;
        }
        let covering = valid
            .iter()
            .find(|(other_text, other)| other_text != text && other.covers(path));
        if let Some((by, by_path)) = covering {
            sink.at(
                index,
                format!(
                    "`{}` is already open: `{}` opens every path under `{}`; remove it",
                    quote(text),
                    quote(by),
                    quote(&by_path.base)
                ),
            );
            continue;
        }
        kept.push((*text).to_owned());
    }
    kept
}

/// Checks one open path, or says what is wrong and how to write it.
fn parse(text: &str) -> Result<OpenPath, String> {
    let shown = quote(text);
    if text.is_empty() {
        return Err(
            "an open path cannot be empty; write an absolute path such as `/pay/callback`".into(),
        );
    }
    if text.len() > MAX_OPEN_PATH_LEN {
        return Err(format!(
            "the open path `{shown}` is {} bytes; an open path has at most {MAX_OPEN_PATH_LEN}: open a prefix such as `/hooks/*` instead",
            text.len()
        ));
    }
    check_characters(text, shown)?;
    let Some(segments) = text.strip_prefix('/') else {
        return Err(match text.split_once("://") {
            Some((_, rest)) => {
                let path = rest.find('/').map_or("", |start| &rest[start..]);
                let path = path.split(['?', '#']).next().unwrap_or_default();
                let fix = if path.len() > 1 {
                    format!("write `{}`", quote(path))
                } else {
                    "write the path alone, such as `/pay/callback`".to_owned()
                };
                format!(
                    "the open path `{shown}` is a URL, but an open path is only the path: {fix}"
                )
            }
            None => format!("the open path `{shown}` must start with `/`; write `/{shown}`"),
        });
    };
    if let Some(at) = text.find(['?', '#']) {
        let what = if text.as_bytes()[at] == b'?' {
            "a query, but an open path is matched against the path alone"
        } else {
            "a fragment, which browsers never send"
        };
        return Err(format!(
            "the open path `{shown}` has {what}; write `{}`",
            quote(&text[..at])
        ));
    }
    if text == "/*" {
        return Err("`/*` would open every path to cross-site form posts; set `cross_origin_protection: false` if that is meant (it turns the protection off for every path), or list the paths that must stay open".into());
    }
    let segments: Vec<&str> = segments.split('/').collect();
    check_segments(text, &segments)?;
    let last = segments.len() - 1;
    for (index, segment) in segments.iter().enumerate() {
        if !segment.contains('*') || (index == last && *segment == "*") {
            continue;
        }
        if index < last {
            return Err(format!(
                "the open path `{shown}` has `*` before its last segment; `*` stands only for a whole last segment (`/hooks/*` opens every path under `/hooks/`): list the paths one by one"
            ));
        }
        let fix = match segment.strip_suffix('*') {
            Some(stem) if !stem.contains('*') => {
                format!("write `{}/*`", quote(&text[..text.len() - 1]))
            }
            _ => "list the paths one by one".to_owned(),
        };
        return Err(format!(
            "the open path `{shown}` has `*` inside a segment; `*` stands only for a whole last segment (`/hooks/*` opens every path under `/hooks/`): {fix}"
        ));
    }
    let (base, prefix) = layout(text);
    Ok(OpenPath { base, prefix })
}

/// Refuses what a browser never sends in a path as written: whitespace,
/// control characters, non-ASCII, `%` and the characters browsers
/// percent-encode or rewrite.
fn check_characters(text: &str, shown: Quoted<'_>) -> Result<(), String> {
    if text.chars().any(char::is_whitespace) {
        let trimmed = text.trim();
        let fix = if trimmed.is_empty() || trimmed.chars().any(char::is_whitespace) {
            "choose a path without it".to_owned()
        } else {
            format!("write `{}`", quote(trimmed))
        };
        return Err(format!(
            "the open path `{shown}` contains whitespace, which browsers send percent-encoded, so no request would match it; {fix}"
        ));
    }
    if text.chars().any(char::is_control) {
        return Err(format!(
            "the open path `{shown}` contains a control character, which no request path has; remove it"
        ));
    }
    if let Some(c) = text.chars().find(|c| !c.is_ascii()) {
        return Err(format!(
            "the open path `{shown}` is not ASCII: browsers send `{}` percent-encoded, and a request path with `%` never matches an open path; choose an ASCII path",
            quote(c.encode_utf8(&mut [0; 4]))
        ));
    }
    if text.contains('%') {
        return Err(format!(
            "the open path `{shown}` contains `%`: a request path with a percent-escape never matches an open path (servers decode escapes in different ways, so the exemption could reach another route); write the path without escapes"
        ));
    }
    if let Some(c) = text
        .chars()
        .find(|c| matches!(c, '"' | '<' | '>' | '`' | '{' | '}'))
    {
        return Err(format!(
            "the open path `{shown}` contains `{c}`, which browsers send percent-encoded, so no request would match it; choose a path without it"
        ));
    }
    if text.contains('\\') {
        return Err(format!(
            "the open path `{shown}` contains `\\`, which browsers send as `/`; write `{}`",
            quote(&text.replace('\\', "/"))
        ));
    }
    Ok(())
}

/// Refuses the root, empty segments and dot segments, which no request path
/// that can match has.
fn check_segments(text: &str, segments: &[&str]) -> Result<(), String> {
    let shown = quote(text);
    if text == "/" {
        return Err("the open path `/` never matches: a request path with an empty segment never matches an open path, and the root path is one; open the paths that receive cross-site posts by name, such as `/callback`".into());
    }
    if segments.iter().any(|s| s.is_empty()) {
        let inner = &segments[..segments.len() - 1];
        if inner.iter().all(|s| !s.is_empty()) {
            let stem = quote(&text[..text.len() - 1]);
            return Err(format!(
                "the open path `{shown}` ends with `/`: its last segment is empty, and a request path with an empty segment never matches an open path; write `{stem}`, or `{stem}/*` for every path under it"
            ));
        }
        let mut joined: Vec<String> = Vec::new();
        for segment in segments.iter().filter(|s| !s.is_empty()) {
            joined.push((*segment).to_owned());
        }
        return Err(format!(
            "the open path `{shown}` has an empty segment (`//`), and a request path with one never matches an open path; write `/{}`",
            quote(&joined.join("/"))
        ));
    }
    if let Some(dot) = segments.iter().find(|s| matches!(**s, "." | "..")) {
        let mut resolved: Vec<String> = Vec::new();
        for segment in segments {
            match *segment {
                "." => {}
                ".." => {
                    resolved.pop();
                }
                other => resolved.push(other.to_owned()),
            }
        }
        let fix = if resolved.is_empty() {
            String::new()
        } else {
            format!(", such as `/{}`", quote(&resolved.join("/")))
        };
        return Err(format!(
            "the open path `{shown}` has a `{dot}` segment, and a request path with one never matches an open path (servers resolve it to another route); write the path the exemption is meant for{fix}"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(text: &str) -> String {
        match parse(text) {
            Ok(_) => panic!("{text:?} was accepted"),
            Err(message) => message,
        }
    }

    #[test]
    fn exact_paths_and_prefixes() {
        for (text, base, prefix) in [
            ("/pay/callback", "/pay/callback", false),
            ("/hooks/*", "/hooks/", true),
            ("/a/b/*", "/a/b/", true),
            ("/oauth/form_post", "/oauth/form_post", false),
            (
                "/v1/items;x=1:a@b!$&'()+,=~",
                "/v1/items;x=1:a@b!$&'()+,=~",
                false,
            ),
        ] {
            let path = parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!((path.base.as_str(), path.prefix), (base, prefix), "{text}");
            assert_eq!(layout(text), (base.to_owned(), prefix));
        }
    }

    #[test]
    fn each_refusal_names_the_value_and_a_fix() {
        for (text, needle) in [
            ("", "cannot be empty"),
            ("pay/callback", "write `/pay/callback`"),
            ("https://api.example.com/pay?x=1", "write `/pay`"),
            ("https://api.example.com", "write the path alone"),
            ("/pay callback", "contains whitespace"),
            (" /pay", "write `/pay`"),
            ("/pay\u{0}", "`/pay\\u{0}` contains a control character"),
            ("/caf\u{e9}", "not ASCII: browsers send `\u{e9}`"),
            ("/a\u{202e}b", "`\\u{202e}`"),
            ("/pay%2Fcb", "contains `%`"),
            (
                "/cb?x=1",
                "has a query, but an open path is matched against the path alone; write `/cb`",
            ),
            (
                "/cb#top",
                "has a fragment, which browsers never send; write `/cb`",
            ),
            ("/a<b", "contains `<`"),
            ("/a\\b", "write `/a/b`"),
            ("/", "open the paths that receive cross-site posts by name"),
            (
                "/*",
                "set `cross_origin_protection: false` if that is meant",
            ),
            ("/pay/", "write `/pay`, or `/pay/*` for every path under it"),
            ("/pay//cb", "has an empty segment (`//`)"),
            ("//pay//cb/", "write `/pay/cb`"),
            ("/a/../b", "has a `..` segment"),
            ("/a/../b", "servers resolve it to another route"),
            ("/a/../b", "the exemption is meant for, such as `/b`"),
            ("/./a", "such as `/a`"),
            ("/a/..", "the exemption is meant for"),
            ("/hooks*", "write `/hooks/*`"),
            ("/ho*ks", "list the paths one by one"),
            ("/*/cb", "`*` before its last segment"),
            ("/a/**", "list the paths one by one"),
        ] {
            let message = refused(text);
            assert!(message.contains(needle), "{text:?}: {message}");
        }
        let long = format!("/{}", "a".repeat(MAX_OPEN_PATH_LEN));
        let message = refused(&long);
        assert!(message.contains("1025 bytes"), "{message}");
        assert!(message.contains('…') && message.len() < 400, "{message}");
        assert!(parse(&long[..MAX_OPEN_PATH_LEN]).is_ok());
    }

    #[test]
    fn coverage() {
        let path = |text: &str| parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert!(path("/hooks/*").covers(&path("/hooks/a")));
        assert!(path("/hooks/*").covers(&path("/hooks/a/*")));
        assert!(!path("/hooks/*").covers(&path("/hooks")));
        assert!(!path("/hooks/*").covers(&path("/hooksx/a")));
        assert!(!path("/hooks/a").covers(&path("/hooks/a")));
        assert!(!path("/hooks/a/*").covers(&path("/hooks/*")));
    }
}
