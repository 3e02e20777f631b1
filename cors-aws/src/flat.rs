//! The three formats whose configuration is one flat object of six fields:
//! API Gateway HTTP API `CorsConfiguration` (PascalCase, bare or wrapped),
//! its OpenAPI extension `x-amazon-apigateway-cors` (camelCase, at the root
//! of an OpenAPI document), and the Lambda function URL `Cors` (PascalCase,
//! bare or wrapped).

use crate::error::Problems;
use crate::json::{self, key_path, Node, Object};
use crate::model::AwsCors;
use crate::rules::{self, Fields, List, Raw, Rules};

/// The six fields' names in one casing.
pub(crate) struct Names {
    credentials: &'static str,
    headers: &'static str,
    methods: &'static str,
    origins: &'static str,
    expose: &'static str,
    max_age: &'static str,
}

/// `AllowOrigins`, ... (HTTP API through the SDK, CLI and CloudFormation;
/// Lambda function URLs).
pub(crate) const PASCAL: Names = Names {
    credentials: "AllowCredentials",
    headers: "AllowHeaders",
    methods: "AllowMethods",
    origins: "AllowOrigins",
    expose: "ExposeHeaders",
    max_age: "MaxAge",
};

/// `allowOrigins`, ... (the OpenAPI extension).
pub(crate) const CAMEL: Names = Names {
    credentials: "allowCredentials",
    headers: "allowHeaders",
    methods: "allowMethods",
    origins: "allowOrigins",
    expose: "exposeHeaders",
    max_age: "maxAge",
};

impl Names {
    /// In the API model's order, which is also the order the writers use.
    fn all(&self) -> [&'static str; 6] {
        [
            self.credentials,
            self.headers,
            self.methods,
            self.origins,
            self.expose,
            self.max_age,
        ]
    }

    fn fields(&self) -> Fields {
        Fields {
            origins: self.origins,
            methods: self.methods,
            headers: self.headers,
            expose: self.expose,
            max_age: self.max_age,
            credentials: self.credentials,
            origin_override: "OriginOverride",
            items: "",
        }
    }
}

/// The configuration object at `path` of a document (`what` names it in
/// messages), checked with `rules`.
pub(crate) fn read_object(
    node: &Node,
    path: &str,
    what: &str,
    names: &Names,
    rules: &Rules,
    problems: &mut Problems,
) -> AwsCors {
    let Some(object) = json::object(node, path, what, Some(&names.all()), problems) else {
        return AwsCors::default();
    };
    let raw = raw(&object, names, problems);
    rules::build(&raw, rules, problems)
}

fn raw(object: &Object<'_>, names: &Names, problems: &mut Problems) -> Raw {
    let list = |key: &str, problems: &mut Problems| match object.get(key, problems) {
        Some((node, path)) => List {
            items: json::strings(node, &path, problems),
            path,
        },
        None => List {
            path: key_path(&object.path, key),
            items: Vec::new(),
        },
    };
    let origins = list(names.origins, problems);
    let methods = list(names.methods, problems);
    let headers = list(names.headers, problems);
    let expose = list(names.expose, problems);
    let max_age = object
        .get(names.max_age, problems)
        .and_then(|(node, path)| json::integer(node, &path, problems).map(|age| (path, age)));
    let credentials = object
        .get(names.credentials, problems)
        .and_then(|(node, path)| json::boolean(node, &path, problems).map(|value| (path, value)))
        .unwrap_or_else(|| (key_path(&object.path, names.credentials), false));
    Raw {
        origins,
        methods,
        headers,
        expose,
        max_age,
        credentials,
        origin_override: None,
    }
}

/// The root of a bare or wrapped document: `{"<wrapper>": {...}}` when the
/// root has that key (then it may have no other), else the root itself.
pub(crate) fn unwrap<'a>(
    root: &'a Node,
    wrapper: &str,
    what: &str,
    problems: &mut Problems,
) -> Option<(&'a Node, String)> {
    let wrapped =
        matches!(root, Node::Object(members) if members.iter().any(|(k, _)| k == wrapper));
    if !wrapped {
        return Some((root, String::new()));
    }
    let object = json::object(root, "", what, Some(&[wrapper]), problems)?;
    object.get(wrapper, problems)
}

/// Checks `cors` with `rules` as the object of `names` at `prefix`, and
/// builds that object.
pub(crate) fn write_object(
    cors: &AwsCors,
    names: &Names,
    prefix: &str,
    rules: &Rules,
    problems: &mut Problems,
) -> Node {
    let raw = rules::spell(cors, &names.fields(), prefix);
    rules::check_written(cors, &raw, rules, problems);
    let strings = |list: &List| {
        Node::Array(
            list.items
                .iter()
                .map(|item| Node::str(&item.value))
                .collect(),
        )
    };
    let mut members = vec![(names.credentials, Node::Bool(cors.allow_credentials))];
    for (name, list) in [
        (names.headers, &raw.headers),
        (names.methods, &raw.methods),
        (names.origins, &raw.origins),
        (names.expose, &raw.expose),
    ] {
        if !list.items.is_empty() {
            members.push((name, strings(list)));
        }
    }
    if let Some(age) = cors.max_age {
        members.push((names.max_age, Node::Int(age.into())));
    }
    Node::object(members)
}
