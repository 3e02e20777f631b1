//! API Gateway REST APIs: CORS as the console's "Enable CORS" writes it in
//! an OpenAPI 3 document. Each resource gets an `options` operation whose
//! mock integration answers with static header values (single-quoted
//! literals in `responseParameters`), and the gateway responses
//! `DEFAULT_4XX`/`DEFAULT_5XX` carry `Access-Control-Allow-Origin` so that
//! errors stay readable. There is no CORS logic in the service: what the
//! literals say is what every browser gets.

use cors_grammar::quote;

use crate::error::{ProblemKind, Problems};
use crate::json::{self, index_path, key_path, Node, Object};
use crate::model::AwsCors;
use crate::rules::{self, Fields, List, Raw, REST_API};

/// The six CORS headers, as the console writes them.
const ALLOW_ORIGIN: &str = "Access-Control-Allow-Origin";
const ALLOW_METHODS: &str = "Access-Control-Allow-Methods";
const ALLOW_HEADERS: &str = "Access-Control-Allow-Headers";
const EXPOSE_HEADERS: &str = "Access-Control-Expose-Headers";
const ALLOW_CREDENTIALS: &str = "Access-Control-Allow-Credentials";
const MAX_AGE: &str = "Access-Control-Max-Age";
const HEADERS: [&str; 6] = [
    ALLOW_ORIGIN,
    ALLOW_METHODS,
    ALLOW_HEADERS,
    EXPOSE_HEADERS,
    ALLOW_CREDENTIALS,
    MAX_AGE,
];

/// The headers the writer puts in the gateway responses: those that matter
/// on an actual (non-preflight) response.
const GATEWAY_HEADERS: [&str; 3] = [ALLOW_ORIGIN, ALLOW_CREDENTIALS, EXPOSE_HEADERS];

/// The gateway responses read and written.
const GATEWAY_RESPONSES: [&str; 2] = ["DEFAULT_4XX", "DEFAULT_5XX"];

const METHOD_PREFIX: &str = "method.response.header.";
const GATEWAY_PREFIX: &str = "gatewayresponse.header.";
const GATEWAY_KEY: &str = "x-amazon-apigateway-gateway-responses";
const INTEGRATION_KEY: &str = "x-amazon-apigateway-integration";

/// The most paths a disagreement names; the others are counted.
const MAX_NAMED_PATHS: usize = 10;

/// The paths the writer gives an `options` operation when none are named:
/// the greedy proxy resource, which matches every path below the root.
pub const DEFAULT_REST_PATHS: &[&str] = &["/{proxy+}"];

/// The CORS header literals of one `options` operation or gateway
/// response: `values[i]` belongs to `HEADERS[i]`, with its path.
#[derive(Debug, Default, Clone)]
struct Literals {
    values: [Option<json::Item>; 6],
}

impl Literals {
    fn value(&self, index: usize) -> Option<&str> {
        self.values[index].as_ref().map(|item| item.value.as_str())
    }

    /// The value as compared between operations: the lists
    /// (`Access-Control-Allow-Methods`, `-Headers`, `Expose-Headers`) without
    /// the spaces around their commas, which mean nothing.
    fn meaning(&self, index: usize) -> Option<String> {
        let value = self.value(index)?;
        Some(if (1..=3).contains(&index) {
            let items: Vec<&str> = value
                .split(',')
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .collect();
            items.join(",")
        } else {
            value.to_owned()
        })
    }
}

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
                format!("`{}` says {}", quote(path), shown(literals.value(index)))
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
                    quote(&reference.0),
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
    value.map_or_else(|| "no value".to_owned(), |v| format!("`'{}'`", quote(v)))
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
    let list = |index: usize, problems: &mut Problems| {
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
    };
    let origins = list(0, problems);
    let methods = list(1, problems);
    let headers = list(2, problems);
    let expose = list(3, problems);
    let credentials = match &literals.values[4] {
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
    };
    let max_age = literals.values[5].as_ref().and_then(|item| {
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
    });
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
    let mut paths_node = Vec::new();
    for path in paths {
        paths_node.push((path.to_string(), options_operation(path, &values)));
    }
    let gateway: Vec<(&str, Node)> = GATEWAY_RESPONSES
        .iter()
        .map(|name| {
            let parameters = HEADERS
                .iter()
                .zip(&values)
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
        (GATEWAY_KEY, Node::object(gateway)),
    ])
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
    fn literals_and_mapping_expressions() {
        assert_eq!(literal("'x'"), Ok("x"));
        assert_eq!(literal("''"), Ok(""));
        assert!(literal("x").unwrap_err().contains("mapping expression"));
        assert!(literal("'").unwrap_err().contains("mapping expression"));
        assert!(literal("'a'b'").unwrap_err().contains("inside its quotes"));
    }

    #[test]
    fn path_templates_declare_their_parameters() {
        assert_eq!(path_parameters("/items").len(), 0);
        assert_eq!(path_parameters("/{proxy+}").len(), 1);
        assert_eq!(path_parameters("/a/{id}/b/{x}").len(), 2);
    }
}
