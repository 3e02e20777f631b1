//! Writing: one `options` operation per path, and the two default gateway
//! responses.

use cors_grammar::quote;

use super::{
    ALLOW_CREDENTIALS, ALLOW_HEADERS, ALLOW_METHODS, ALLOW_ORIGIN, EXPOSE_HEADERS, GATEWAY_HEADERS,
    GATEWAY_KEY, GATEWAY_PREFIX, GATEWAY_RESPONSES, HEADERS, INTEGRATION_KEY, MAX_AGE,
    METHOD_PREFIX,
};
use crate::error::{ProblemKind, Problems};
use crate::json::{index_path, Node};
use crate::model::AwsCors;
use crate::rules::{self, Fields, List, REST_API};

const FIELDS: Fields = Fields {
    origins: ALLOW_ORIGIN,
    methods: ALLOW_METHODS,
    headers: ALLOW_HEADERS,
    expose: EXPOSE_HEADERS,
    max_age: MAX_AGE,
    credentials: ALLOW_CREDENTIALS,
    origin_override: "OriginOverride",
    items: "",
};

/// Checks `cors` with the REST rules and builds the document, one `options`
/// operation per path.
pub(crate) fn write(cors: &AwsCors, paths: &[&str], problems: &mut Problems) -> Node {
    let raw = rules::spell(cors, &FIELDS, "");
    rules::check_written(cors, &raw, &REST_API, problems);
    check_paths(paths, problems);
    check_literals(&raw, problems);
    let values = literal_values(cors, &raw);
    let mut paths_node = Vec::new();
    for path in paths {
        paths_node.push((path.to_string(), options_operation(path, &values)));
    }
    Node::object(vec![
        ("openapi", Node::str("3.0.1")),
        (
            "info",
            Node::object(vec![
                ("title", Node::str("CORS")),
                ("version", Node::str("1.0")),
            ]),
        ),
        ("paths", Node::Object(paths_node)),
        (GATEWAY_KEY, gateway_responses(&values)),
    ])
}

/// Problems for what the single-quoted literals cannot say: no origin, and
/// a header with a `'`.
fn check_literals(raw: &rules::Raw, problems: &mut Problems) {
    if raw.origins.items.is_empty() {
        problems.push(
            ProblemKind::Empty,
            ALLOW_ORIGIN,
            format!(
                "a REST API's `options` operation needs `{ALLOW_ORIGIN}`, one origin or `*`; \
                 without it no preflight succeeds, so add the origin to allow"
            ),
        );
    }
    for list in [&raw.headers, &raw.expose] {
        for item in &list.items {
            if item.value.contains('\'') {
                problems.push(
                    ProblemKind::Unsupported,
                    &item.path,
                    format!(
                        "header `{}` has a `'`, which a single-quoted API Gateway literal cannot \
                         hold; rename or remove it",
                        quote(&item.value)
                    ),
                );
            }
        }
    }
}

/// The value of each of [`HEADERS`], if sent: the first origin, the lists
/// joined by commas, `true` for credentials, and the max age.
fn literal_values(cors: &AwsCors, raw: &rules::Raw) -> [Option<String>; 6] {
    let joined = |list: &List| {
        let values: Vec<&str> = list.items.iter().map(|i| i.value.as_str()).collect();
        values.join(",")
    };
    let mut values: [Option<String>; 6] = Default::default();
    values[0] = raw.origins.items.first().map(|i| i.value.clone());
    let lists = [(1, &raw.methods), (2, &raw.headers), (3, &raw.expose)];
    for (index, list) in lists {
        if !list.items.is_empty() {
            values[index] = Some(joined(list));
        }
    }
    if cors.allow_credentials {
        values[4] = Some("true".to_owned());
    }
    values[5] = cors.max_age.map(|age| age.to_string());
    values
}

/// The default gateway responses, each sending those of `values` that
/// [`GATEWAY_HEADERS`] names.
fn gateway_responses(values: &[Option<String>; 6]) -> Node {
    let gateway: Vec<(&str, Node)> = GATEWAY_RESPONSES
        .iter()
        .map(|name| {
            let parameters = HEADERS
                .iter()
                .zip(values)
                .filter(|(header, _)| GATEWAY_HEADERS.contains(header))
                .filter_map(|(header, value)| {
                    value.as_ref().map(|v| {
                        (
                            format!("{GATEWAY_PREFIX}{header}"),
                            Node::Str(format!("'{v}'")),
                        )
                    })
                })
                .collect();
            (
                *name,
                Node::object(vec![("responseParameters", Node::Object(parameters))]),
            )
        })
        .collect();
    Node::object(gateway)
}

fn check_paths(paths: &[&str], problems: &mut Problems) {
    if paths.is_empty() {
        problems.push(
            ProblemKind::Empty,
            "paths",
            "a REST API document needs at least one path for its `options` operation; use \
             `/{proxy+}` for every path"
                .to_owned(),
        );
    }
    let mut seen = std::collections::HashSet::new();
    for (index, path) in paths.iter().enumerate() {
        let at = index_path("paths", index);
        if !path.starts_with('/')
            || path
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || c == '?' || c == '#')
        {
            problems.push(
                ProblemKind::Unsupported,
                &at,
                format!(
                    "`{}` is not a resource path: it starts with `/` and has no spaces, `?` or \
                     `#`, e.g. `/items/{{id}}`",
                    quote(path)
                ),
            );
        }
        if !seen.insert(*path) {
            problems.push(
                ProblemKind::Duplicate,
                &at,
                format!("path `{}` is listed twice; remove one", quote(path)),
            );
        }
    }
}

/// The `options` operation of one path.
fn options_operation(path: &str, values: &[Option<String>; 6]) -> Node {
    let string_schema = || {
        Node::object(vec![(
            "schema",
            Node::object(vec![("type", Node::str("string"))]),
        )])
    };
    let declared: Vec<(String, Node)> = HEADERS
        .iter()
        .zip(values)
        .filter(|(_, value)| value.is_some())
        .map(|(header, _)| (header.to_string(), string_schema()))
        .collect();
    let parameters: Vec<(String, Node)> = HEADERS
        .iter()
        .zip(values)
        .filter_map(|(header, value)| {
            value.as_ref().map(|v| {
                (
                    format!("{METHOD_PREFIX}{header}"),
                    Node::Str(format!("'{v}'")),
                )
            })
        })
        .collect();
    let mut operation = Vec::new();
    let template_parameters = path_parameters(path);
    if !template_parameters.is_empty() {
        operation.push(("parameters", Node::Array(template_parameters)));
    }
    operation.push((
        "responses",
        Node::object(vec![(
            "200",
            Node::object(vec![
                ("description", Node::str("CORS preflight")),
                ("headers", Node::Object(declared)),
            ]),
        )]),
    ));
    operation.push((
        INTEGRATION_KEY,
        Node::object(vec![
            ("type", Node::str("mock")),
            (
                "requestTemplates",
                Node::object(vec![(
                    "application/json",
                    Node::str("{\"statusCode\": 200}"),
                )]),
            ),
            ("passthroughBehavior", Node::str("never")),
            (
                "responses",
                Node::object(vec![(
                    "default",
                    Node::object(vec![
                        ("statusCode", Node::str("200")),
                        ("responseParameters", Node::Object(parameters)),
                    ]),
                )]),
            ),
        ]),
    ));
    Node::object(vec![("options", Node::object(operation))])
}

/// The path parameters a template declares: `{id}` and the greedy
/// `{proxy+}` both name a required string parameter.
fn path_parameters(path: &str) -> Vec<Node> {
    path.split('/')
        .filter_map(|segment| segment.strip_prefix('{')?.strip_suffix('}'))
        .map(|name| name.strip_suffix('+').unwrap_or(name))
        .filter(|name| !name.is_empty())
        .map(|name| {
            Node::object(vec![
                ("name", Node::str(name)),
                ("in", Node::str("path")),
                ("required", Node::Bool(true)),
                ("schema", Node::object(vec![("type", Node::str("string"))])),
            ])
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_templates_declare_their_parameters() {
        assert_eq!(path_parameters("/items").len(), 0);
        assert_eq!(path_parameters("/{proxy+}").len(), 1);
        assert_eq!(path_parameters("/a/{id}/b/{x}").len(), 2);
    }
}
