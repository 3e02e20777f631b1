//! `allow_methods`: case-sensitive method tokens, as the Fetch standard says.

use std::collections::HashSet;

use crate::problem::ItemSink;
use crate::raw::RawItem;
use cors_grammar::quote;

/// The methods browsers uppercase before sending (`fetch(u, {method: "put"})`
/// sends `PUT`). Any other method is sent exactly as the page wrote it.
const NORMALISED: [&str; 6] = ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"];

/// Methods scripts can never use (Fetch "forbidden method"), in any case.
const FORBIDDEN: [&str; 3] = ["CONNECT", "TRACE", "TRACK"];

/// The checked methods: `(any, names)`.
pub(crate) fn check(sink: &mut ItemSink<'_>, items: &[RawItem]) -> (bool, Vec<String>) {
    cors_grammar::work::add(items.len());
    let any = items
        .iter()
        .any(|e| matches!(e, RawItem::Str(s) if s == "*"));
    let mut names = Vec::new();
    let mut seen = HashSet::new();
    for (index, item) in items.iter().enumerate() {
        cors_grammar::work::add(1 + item.text().len());
        let name = match item {
            RawItem::Str(text) | RawItem::Ident(text) => text.clone(),
            RawItem::Other(kind) => {
                sink.at(
                    index,
                    format!("a method is a string such as `\"GET\"`, not {kind}"),
                );
                continue;
            }
        };
        if name == "*" {
            if !matches!(item, RawItem::Str(_)) {
                sink.at(index, "write the any-method wildcard as the string `\"*\"`");
            }
            continue;
        }
        let shown = quote(&name);
        if any {
            sink.at(
                index,
                format!("`{shown}` is redundant: `\"*\"` already allows every method; remove it"),
            );
            continue;
        }
        if let Some(message) = problem(&name, matches!(item, RawItem::Ident(_))) {
            sink.at(index, message);
            continue;
        }
        if !seen.insert(name.clone()) {
            sink.at(index, format!("duplicate method `{shown}`; remove it"));
            continue;
        }
        names.push(name);
    }
    (any, names)
}

/// What is wrong with one method name, if anything. `bare` means it was
/// written as an identifier rather than a string.
fn problem(name: &str, bare: bool) -> Option<String> {
    let upper = name.to_ascii_uppercase();
    if name.is_empty() {
        return Some("an empty string is not a method; remove it, or write e.g. `GET`".into());
    }
    let (shown, upper_shown) = (quote(name), quote(&upper));
    if !cors_grammar::is_token(name.as_bytes()) {
        return Some(format!(
            "`{shown}` is not a valid HTTP method: a method is a non-empty token of letters, \
             digits and ``!#$%&'*+-.^_`|~``, e.g. `GET`"
        ));
    }
    if FORBIDDEN.contains(&upper.as_str()) {
        return Some(format!(
            "`{shown}` is a forbidden method: browsers never let scripts send it, so it cannot be \
             allowed; remove it"
        ));
    }
    if name != upper && NORMALISED.contains(&upper.as_str()) {
        return Some(format!(
            "write `{upper_shown}`, not `{shown}`: browsers uppercase `{shown}` before sending it, and \
             methods are compared case-sensitively"
        ));
    }
    if bare && name != upper {
        return Some(format!(
            "`{shown}` is not uppercase, and browsers send methods other than DELETE, GET, HEAD, \
             OPTIONS, POST and PUT exactly as the page wrote them; write `{upper_shown}`, or the string \
             `\"{shown}\"` if pages really send it in this case"
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explains_each_mistake() {
        assert!(problem("GET", true).is_none());
        assert!(problem("PATCH", true).is_none());
        assert!(problem("patch", false).is_none());
        assert!(problem("patch", true).is_some_and(|m| m.contains("write `PATCH`")));
        assert!(problem("get", true).is_some_and(|m| m.contains("write `GET`")));
        assert!(problem("Post", false).is_some_and(|m| m.contains("write `POST`")));
        assert!(problem("trace", true).is_some_and(|m| m.contains("forbidden")));
        assert!(problem("GE T", false).is_some_and(|m| m.contains("not a valid")));
        assert!(problem("", false).is_some());
    }
}
