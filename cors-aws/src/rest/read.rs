//! Reading: every `options` operation, which must agree, and the gateway
//! responses, which must agree with them.

use cors_grammar::quote;

use super::{
    Literals, ALLOW_CREDENTIALS, ALLOW_ORIGIN, GATEWAY_KEY, GATEWAY_PREFIX, GATEWAY_RESPONSES,
    HEADERS, INTEGRATION_KEY, MAX_AGE, MAX_NAMED_PATHS, METHOD_PREFIX,
};
use crate::error::{ProblemKind, Problems};
use crate::json::{self, key_path, Node, Object};
use crate::model::AwsCors;
use crate::rules::{self, List, Raw, REST_API};

/// Reads a parsed document: the configuration every `options` operation
/// agrees on, and the paths that have one.
pub(crate) fn read(root: &Node, problems: &mut Problems) -> (AwsCors, Vec<String>) {
    let empty = (AwsCors::default(), Vec::new());
    let Some(root) = json::object(root, "", "an OpenAPI document", None, problems) else {
        return empty;
    };
    let mut operations: Vec<(String, Literals)> = Vec::new();
    if let Some((paths, paths_path)) = root.get("paths", problems) {
        if let Some(paths) = json::object(paths, &paths_path, "the OpenAPI `paths`", None, problems)
        {
            read_paths(&paths, &mut operations, problems);
        }
    }
    if operations.is_empty() {
        if problems.is_empty() {
            problems.push(
                ProblemKind::MissingField,
                "paths",
                "the document has no `options` operation with a mock integration, so it holds \
                 no CORS configuration; export the stage with `extensions=integrations` after \
                 enabling CORS"
                    .to_owned(),
            );
        }
        return empty;
    }
    let reference = &operations[0];
    for (index, header) in HEADERS.iter().enumerate() {
        let mut differing = operations[1..]
            .iter()
            .filter(|(_, literals)| literals.meaning(index) != reference.1.meaning(index));
        // The message names the first few paths that differ and counts the
        // rest, so that it stays short whatever the document holds.
        let mut named: Vec<String> = differing
            .by_ref()
            .take(MAX_NAMED_PATHS)
            .map(|(path, literals)| {
                format!("`{}` says {}", short(path), shown(literals.value(index)))
            })
            .collect();
        let more = differing.count();
        if more > 0 {
            named.push(format!("and {more} more"));
        }
        if !named.is_empty() {
            problems.push(
                ProblemKind::Disagreement,
                "paths",
                format!(
                    "the `options` operations disagree on `{header}`: `{}` says {}, but {}; one \
                     configuration can hold only one answer, so make them equal",
                    short(&reference.0),
                    shown(reference.1.value(index)),
                    named.join(", ")
                ),
            );
        }
    }
    if let Some((node, path)) = root.get(GATEWAY_KEY, problems) {
        read_gateway_responses(node, &path, &reference.1, problems);
    }
    let cors = to_model(&reference.1, problems);
    (cors, operations.into_iter().map(|(path, _)| path).collect())
}

/// `'value'`, or `no value` for an absent header.
fn shown(value: Option<&str>) -> String {
    value.map_or_else(|| "no value".to_owned(), |v| format!("`'{}'`", short(v)))
}

/// The most characters of a path or value quoted in a disagreement, which
/// names several of each: half the usual bound keeps the message short.
const MAX_DISAGREEMENT_QUOTE: usize = 40;

/// `text` quoted in a disagreement: cut shorter than elsewhere.
fn short(text: &str) -> cors_grammar::Quoted<'_> {
    cors_grammar::quote_to(text, MAX_DISAGREEMENT_QUOTE)
}

fn read_paths(paths: &Object<'_>, out: &mut Vec<(String, Literals)>, problems: &mut Problems) {
    for (resource, item) in paths.members() {
        let item_path = key_path(&paths.path, resource);
        let Node::Object(members) = item else {
            continue;
        };
        let options: Vec<&Node> = members
            .iter()
            .filter(|(k, _)| k == "options")
            .map(|(_, v)| v)
            .collect();
        if options.len() > 1 {
            problems.push(
                ProblemKind::DuplicateKey,
                &key_path(&item_path, "options"),
                format!(
                    "`{}` has {} `options` operations; keep one",
                    quote(resource),
                    options.len()
                ),
            );
            continue;
        }
        if let Some(operation) = options.first() {
            let op_path = key_path(&item_path, "options");
            if let Some(literals) = read_operation(operation, &op_path, problems) {
                out.push((resource.clone(), literals));
            }
        }
    }
}

fn read_operation(node: &Node, path: &str, problems: &mut Problems) -> Option<Literals> {
    let operation = json::object(node, path, "an `options` operation", None, problems)?;
    let (integration, integration_path) = operation.require(
        INTEGRATION_KEY,
        "the mock integration that answers preflights",
        problems,
    )?;
    let integration = json::object(
        integration,
        &integration_path,
        "an API Gateway integration",
        None,
        problems,
    )?;
    let (kind, kind_path) = integration.require("type", "`mock`", problems)?;
    let kind = json::string(kind, &kind_path, problems)?;
    if !kind.eq_ignore_ascii_case("mock") {
        problems.push(
            ProblemKind::Unsupported,
            &kind_path,
            format!(
                "this `options` operation has a `{}` integration, so its CORS headers come from \
                 the backend and cannot be read from the document; use a `mock` integration \
                 with static header values",
                quote(kind)
            ),
        );
        return None;
    }
    let (responses, responses_path) =
        integration.require("responses", "the integration responses", problems)?;
    let responses = json::object(
        responses,
        &responses_path,
        "the integration responses",
        None,
        problems,
    )?;
    let (default, default_path) = responses.require(
        "default",
        "the integration response that carries the CORS headers",
        problems,
    )?;
    let default = json::object(
        default,
        &default_path,
        "an integration response",
        None,
        problems,
    )?;
    let literals = match default.get("responseParameters", problems) {
        Some((node, path)) => read_parameters(node, &path, METHOD_PREFIX, problems)?,
        None => Literals::default(),
    };
    if literals.values[0].is_none() {
        problems.push(
            ProblemKind::MissingField,
            &key_path(&default_path, "responseParameters"),
            format!(
                "this `options` operation sends no `{ALLOW_ORIGIN}`, so no preflight through it \
                 succeeds; add `\"{METHOD_PREFIX}{ALLOW_ORIGIN}\": \"'https://app.example'\"`"
            ),
        );
        return None;
    }
    Some(literals)
}

/// The CORS literals of a `responseParameters` object whose keys start with
/// `prefix`; other headers are ignored, an unknown `Access-Control-*`
/// header is refused.
fn read_parameters(
    node: &Node,
    path: &str,
    prefix: &str,
    problems: &mut Problems,
) -> Option<Literals> {
    let parameters = json::object(node, path, "the response parameters", None, problems)?;
    let mut literals = Literals::default();
    let mut ok = true;
    for (key, value) in parameters.members() {
        let value_path = key_path(path, key);
        let Some(header) = key.strip_prefix(prefix) else {
            continue;
        };
        if !header
            .get(..15)
            .is_some_and(|start| start.eq_ignore_ascii_case("access-control-"))
        {
            continue;
        }
        let Some(index) = HEADERS.iter().position(|h| h.eq_ignore_ascii_case(header)) else {
            problems.push(
                ProblemKind::Unsupported,
                &value_path,
                format!(
                    "`{}` is not one of the CORS response headers read here ({}); remove it",
                    quote(header),
                    HEADERS.join(", ")
                ),
            );
            ok = false;
            continue;
        };
        if let Some(first) = &literals.values[index] {
            problems.push(
                ProblemKind::DuplicateKey,
                &value_path,
                format!(
                    "`{}` is already set at `{}`; keep one",
                    HEADERS[index], first.path
                ),
            );
            ok = false;
            continue;
        }
        let Some(text) = json::string(value, &value_path, problems) else {
            ok = false;
            continue;
        };
        match literal(text) {
            Ok(inner) => {
                literals.values[index] = Some(json::Item {
                    path: value_path,
                    value: inner.to_owned(),
                })
            }
            Err(message) => {
                problems.push(ProblemKind::MappingExpression, &value_path, message);
                ok = false;
            }
        }
    }
    ok.then_some(literals)
}

/// The text between the single quotes of a static value.
fn literal(text: &str) -> Result<&str, String> {
    let inner = text
        .strip_prefix('\'')
        .and_then(|rest| rest.strip_suffix('\''));
    match inner {
        Some(inner) if !inner.contains('\'') => Ok(inner),
        Some(_) => Err(format!(
            "`{}` has a `'` inside its quotes, which a static value cannot hold; remove it",
            quote(text)
        )),
        None => Err(format!(
            "`{}` is not in single quotes, so API Gateway reads it as a mapping expression (a \
             value taken from the request or the integration at run time), which no static \
             configuration can say; write a single-quoted literal such as \
             `'https://app.example'`",
            quote(text)
        )),
    }
}

fn read_gateway_responses(node: &Node, path: &str, reference: &Literals, problems: &mut Problems) {
    let Some(responses) = json::object(node, path, "the gateway responses", None, problems) else {
        return;
    };
    for name in GATEWAY_RESPONSES {
        let Some((response, response_path)) = responses.get(name, problems) else {
            continue;
        };
        let Some(response) = json::object(
            response,
            &response_path,
            "a gateway response",
            None,
            problems,
        ) else {
            continue;
        };
        let Some((parameters, parameters_path)) = response.get("responseParameters", problems)
        else {
            continue;
        };
        let Some(literals) =
            read_parameters(parameters, &parameters_path, GATEWAY_PREFIX, problems)
        else {
            continue;
        };
        for (index, header) in HEADERS.iter().enumerate() {
            if let Some(item) = &literals.values[index] {
                if literals.meaning(index) != reference.meaning(index) {
                    problems.push(
                        ProblemKind::Disagreement,
                        &item.path,
                        format!(
                            "{name} sends `{header}: {}`, but the `options` operations say {}; \
                             make them equal",
                            quote(&item.value),
                            shown(reference.value(index))
                        ),
                    );
                }
            }
        }
    }
}

/// The literals as the service-neutral model, checked with the REST rules.
fn to_model(literals: &Literals, problems: &mut Problems) -> AwsCors {
    let origins = literal_list(literals, 0, problems);
    let methods = literal_list(literals, 1, problems);
    let headers = literal_list(literals, 2, problems);
    let expose = literal_list(literals, 3, problems);
    let credentials = literal_credentials(literals, problems);
    let max_age = literal_max_age(literals, problems);
    let raw = Raw {
        origins,
        methods,
        headers,
        expose,
        max_age,
        credentials,
        origin_override: None,
    };
    rules::build(&raw, &REST_API, problems)
}

/// The header at `index` of [`HEADERS`] as a list: the origin header holds
/// one value (a comma-separated one is a problem, read as no origin), the
/// others hold comma-separated items.
fn literal_list(literals: &Literals, index: usize, problems: &mut Problems) -> List {
    let mut list = List::default();
    if let Some(item) = &literals.values[index] {
        list.path = item.path.clone();
        if index == 0 && item.value.contains(',') {
            problems.push(
                ProblemKind::Origin,
                &item.path,
                format!(
                    "`{}` is a comma-separated list, but `{ALLOW_ORIGIN}` holds one origin \
                     or `*`, and browsers refuse a list; answer each origin with its own \
                     value (a template echoing the request's origin), or allow one origin",
                    quote(&item.value)
                ),
            );
            return list;
        }
        let values: Vec<&str> = if index == 0 {
            vec![item.value.as_str()]
        } else {
            item.value
                .split(',')
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .collect()
        };
        list.items = values
            .into_iter()
            .map(|value| json::Item {
                path: item.path.clone(),
                value: value.to_owned(),
            })
            .collect();
    } else {
        list.path = HEADERS[index].to_owned();
    }
    list
}

/// Whether the literals allow credentials, with the path of the header:
/// only `'true'` does, and any other value is a problem.
fn literal_credentials(literals: &Literals, problems: &mut Problems) -> (String, bool) {
    match &literals.values[4] {
        Some(item) if item.value == "true" => (item.path.clone(), true),
        Some(item) => {
            problems.push(
                ProblemKind::Credentials,
                &item.path,
                format!(
                    "`{ALLOW_CREDENTIALS}` is `'{}'`, but browsers honour only `'true'`; to \
                     refuse credentials leave the header out",
                    quote(&item.value)
                ),
            );
            (item.path.clone(), false)
        }
        None => (ALLOW_CREDENTIALS.to_owned(), false),
    }
}

/// The literals' max age in seconds, with the path of the header; a value
/// that is not digits is a problem.
fn literal_max_age(literals: &Literals, problems: &mut Problems) -> Option<(String, i128)> {
    literals.values[5].as_ref().and_then(|item| {
        let digits = !item.value.is_empty() && item.value.bytes().all(|b| b.is_ascii_digit());
        match item.value.parse::<i128>() {
            Ok(age) if digits => Some((item.path.clone(), age)),
            _ => {
                problems.push(
                    ProblemKind::MaxAge,
                    &item.path,
                    format!(
                        "`{MAX_AGE}` is `'{}'`, which is not a number of seconds; write e.g. \
                         `'600'`",
                        quote(&item.value)
                    ),
                );
                None
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_and_mapping_expressions() {
        assert_eq!(literal("'x'"), Ok("x"));
        assert_eq!(literal("''"), Ok(""));
        assert!(literal("x").unwrap_err().contains("mapping expression"));
        assert!(literal("'").unwrap_err().contains("mapping expression"));
        assert!(literal("'a'b'").unwrap_err().contains("inside its quotes"));
    }
}
