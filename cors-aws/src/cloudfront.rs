//! CloudFront's `ResponseHeadersPolicyCorsConfig` as JSON (the CLI's
//! shape: lists as `{"Quantity": n, "Items": [...]}`), bare or wrapped in
//! `{"CorsConfig": {...}}`.

use cors_grammar::quote;

use crate::error::{ProblemKind, Problems};
use crate::json::{self, key_path, Node};
use crate::model::AwsCors;
use crate::rules::{self, Fields, List, Raw, CLOUDFRONT};

const ORIGINS: &str = "AccessControlAllowOrigins";
const HEADERS: &str = "AccessControlAllowHeaders";
const METHODS: &str = "AccessControlAllowMethods";
const CREDENTIALS: &str = "AccessControlAllowCredentials";
const EXPOSE: &str = "AccessControlExposeHeaders";
const MAX_AGE: &str = "AccessControlMaxAgeSec";
const OVERRIDE: &str = "OriginOverride";

/// The fields, in the API model's order (the writer's order).
const KNOWN: [&str; 7] = [
    ORIGINS,
    HEADERS,
    METHODS,
    CREDENTIALS,
    EXPOSE,
    MAX_AGE,
    OVERRIDE,
];

const WHAT: &str = "a CloudFront `CorsConfig`";

const FIELDS: Fields = Fields {
    origins: ORIGINS,
    methods: METHODS,
    headers: HEADERS,
    expose: EXPOSE,
    max_age: MAX_AGE,
    credentials: CREDENTIALS,
    origin_override: OVERRIDE,
    items: ".Items",
};

/// Reads a parsed document.
pub(crate) fn read(root: &Node, problems: &mut Problems) -> AwsCors {
    let Some((node, path)) = crate::flat::unwrap(root, "CorsConfig", WHAT, problems) else {
        return AwsCors::default();
    };
    let Some(object) = json::object(node, &path, WHAT, Some(&KNOWN), problems) else {
        return AwsCors::default();
    };
    let list = |key: &str, what: &str, required: bool, problems: &mut Problems| {
        let found = if required {
            object.require(key, what, problems)
        } else {
            object.get(key, problems)
        };
        match found {
            Some((node, path)) => quantity_list(node, &path, problems),
            None => List {
                path: key_path(&object.path, key),
                items: Vec::new(),
            },
        }
    };
    let origins = list(ORIGINS, "the allowed origins", true, problems);
    let headers = list(HEADERS, "the allowed headers", true, problems);
    let methods = list(METHODS, "the allowed methods", true, problems);
    let expose = list(EXPOSE, "", false, problems);
    let credentials = object
        .require(CREDENTIALS, "`true` or `false`", problems)
        .and_then(|(node, path)| json::boolean(node, &path, problems).map(|value| (path, value)))
        .unwrap_or_else(|| (key_path(&object.path, CREDENTIALS), false));
    let max_age = object
        .get(MAX_AGE, problems)
        .and_then(|(node, path)| json::integer(node, &path, problems).map(|age| (path, age)));
    let origin_override = object
        .require(OVERRIDE, "`true` or `false`", problems)
        .and_then(|(node, path)| json::boolean(node, &path, problems).map(|value| (path, value)));
    let raw = Raw {
        origins,
        methods,
        headers,
        expose,
        max_age,
        credentials,
        origin_override,
    };
    rules::build(&raw, &CLOUDFRONT, problems)
}

/// `{"Quantity": n, "Items": [...]}`, `Items` optional when `n` is 0.
fn quantity_list(node: &Node, path: &str, problems: &mut Problems) -> List {
    let mut list = List {
        path: path.to_owned(),
        items: Vec::new(),
    };
    let what = "a CloudFront list, `{\"Quantity\": 1, \"Items\": [...]}`";
    let Some(object) = json::object(node, path, what, Some(&["Quantity", "Items"]), problems)
    else {
        return list;
    };
    let quantity = object
        .require("Quantity", "how many items the list has", problems)
        .and_then(|(node, path)| json::integer(node, &path, problems));
    // The count is compared only when `Items` is a list (or absent): a
    // mistyped `Items` is reported once, as such.
    let mut items_count = Some(0);
    if let Some((node, items_path)) = object.get("Items", problems) {
        items_count = match node {
            Node::Array(items) => Some(items.len()),
            _ => None,
        };
        list.items = json::strings(node, &items_path, problems);
    }
    if let (Some(quantity), Some(items_count)) = (quantity, items_count) {
        if quantity != items_count as i128 {
            problems.push(
                ProblemKind::Quantity,
                &key_path(path, "Quantity"),
                format!(
                    "`Quantity` is {} but `Items` holds {items_count} values; CloudFront refuses \
                     the mismatch: write `\"Quantity\": {items_count}`",
                    quote(&quantity.to_string())
                ),
            );
        }
    }
    list
}

/// Checks `cors` against CloudFront's rules and builds the bare document.
/// `OriginOverride` absent from the model is written `true`: the policy's
/// headers then replace the origin server's, so CloudFront answers exactly
/// what the configuration says.
pub(crate) fn write(cors: &AwsCors, problems: &mut Problems) -> Node {
    let raw = rules::spell(cors, &FIELDS, "");
    rules::check_written(cors, &raw, &CLOUDFRONT, problems);
    let list = |list: &List| {
        Node::object(vec![
            ("Quantity", Node::Int(list.items.len() as i128)),
            (
                "Items",
                Node::Array(list.items.iter().map(|i| Node::str(&i.value)).collect()),
            ),
        ])
    };
    let mut members = vec![
        (ORIGINS, list(&raw.origins)),
        (HEADERS, list(&raw.headers)),
        (METHODS, list(&raw.methods)),
        (CREDENTIALS, Node::Bool(cors.allow_credentials)),
    ];
    if !raw.expose.items.is_empty() {
        members.push((EXPOSE, list(&raw.expose)));
    }
    if let Some(age) = cors.max_age {
        members.push((MAX_AGE, Node::Int(age.into())));
    }
    members.push((OVERRIDE, Node::Bool(cors.origin_override.unwrap_or(true))));
    Node::object(members)
}
