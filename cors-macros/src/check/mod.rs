//! Meaning: every rule of the DSL, each checked on its own, every mistake
//! recorded in the [`Ctxt`] (checking goes on with what is left), and the
//! result lowered to a [`PolicyModel`].

mod header;
mod method;
pub(crate) mod origin;
mod public_suffix;
mod s3_file;

use std::collections::{HashMap, HashSet};

use proc_macro2::Span;
use syn::ext::IdentExt;
use syn::{LitBool, LitStr};

use crate::ctxt::Ctxt;
use crate::model::{OriginPattern, PolicyModel, RuleModel, S3Model};
use crate::parse::{Element, Field, PolicyBody, PolicyItem, RuleBody, Value};

/// Every key a rule may have, in the order the messages list them.
const KEYS: [&str; 9] = [
    "id",
    "allow_origins",
    "allow_methods",
    "allow_headers",
    "expose_headers",
    "max_age",
    "allow_credentials",
    "dangerously_allow_insecure_origins",
    "dangerously_allow_public_suffix_wildcards",
];

/// The most rules a policy may have (the runtime's fixed-size rule set).
const MAX_RULES: usize = 256;

/// Firefox's cap on `Access-Control-Max-Age`, the highest of all browsers.
const MAX_AGE_LIMIT: u64 = 86_400;

/// Amazon S3's limit on a rule ID.
const MAX_ID_LEN: usize = 255;

/// An HTTP token (RFC 9110 §5.6.2), by the rule the S3 validation shares.
pub(crate) use cors_s3::is_token;

/// A checked policy, ready for code generation.
pub(crate) enum Checked {
    /// Written in the DSL.
    Strict(PolicyModel),
    /// Imported from an S3 configuration file.
    S3(S3Model),
}

/// Checks one `static` item and lowers it; errors go to `cx`.
pub(crate) fn check_item(cx: &Ctxt, item: &PolicyItem) -> Checked {
    check_type(cx, item);
    let bodies: Vec<&RuleBody> = match &item.body {
        PolicyBody::S3File(file) => return Checked::S3(s3_file::check(cx, file)),
        PolicyBody::Single(rule) => vec![rule],
        PolicyBody::Rules { span, rules } => {
            if rules.is_empty() {
                cx.error_at(*span, "a policy needs at least one rule; add `{ allow_origins: [..], allow_methods: [..] }`");
            }
            if rules.len() > MAX_RULES {
                cx.error_at(*span, format!(
                    "a policy has at most {MAX_RULES} rules (Amazon S3 allows 100); this one has {}",
                    rules.len()
                ));
            }
            rules.iter().collect()
        }
    };
    let rules: Vec<RuleModel> = bodies.iter().map(|body| check_rule(cx, body)).collect();
    check_unique_ids(cx, &bodies, &rules);
    Checked::Strict(PolicyModel { rules })
}

/// Whether the item's type is written as `Policy` (any path ending in it).
pub(crate) fn is_policy_type(ty: &syn::Type) -> bool {
    match ty {
        syn::Type::Path(path) => path
            .path
            .segments
            .last()
            .is_some_and(|s| s.ident == "Policy" && s.arguments.is_empty()),
        _ => false,
    }
}

/// The item's type must be the runtime's `Policy`.
fn check_type(cx: &Ctxt, item: &PolicyItem) {
    if !is_policy_type(&item.ty) {
        cx.push(syn::Error::new_spanned(
            &item.ty,
            "a `cors_policy!` static must have the type `Policy` (`cors_runtime::Policy`)",
        ));
    }
}

/// Rule IDs name rules in decisions and logs, so two rules may not share one.
fn check_unique_ids(cx: &Ctxt, bodies: &[&RuleBody], rules: &[RuleModel]) {
    let mut seen = HashSet::new();
    for (body, rule) in bodies.iter().zip(rules) {
        let Some(id) = &rule.id else { continue };
        if !seen.insert(id.clone()) {
            let span = Fields::new(cx, body, false)
                .span_of("id")
                .unwrap_or(body.span);
            cx.error_at(
                span,
                format!("duplicate rule id `{id}`; give each rule its own id"),
            );
        }
    }
}

/// A rule's fields by key, after the unknown and repeated ones were reported.
struct Fields<'a> {
    by_key: HashMap<String, &'a Field>,
}

impl<'a> Fields<'a> {
    fn new(cx: &Ctxt, body: &'a RuleBody, report: bool) -> Self {
        let mut by_key = HashMap::new();
        for field in &body.fields {
            let key = field.key.unraw().to_string();
            if !KEYS.contains(&key.as_str()) {
                if report {
                    cx.error_at(
                        field.key.span(),
                        format!(
                            "unknown key `{key}`; expected one of {}",
                            KEYS.map(|k| format!("`{k}`")).join(", ")
                        ),
                    );
                }
                continue;
            }
            if by_key.contains_key(&key) {
                if report {
                    cx.error_at(
                        field.key.span(),
                        format!(
                            "duplicate key `{key}`; each key may appear once in a rule, remove one"
                        ),
                    );
                }
                continue;
            }
            by_key.insert(key, field);
        }
        Fields { by_key }
    }

    fn span_of(&self, key: &str) -> Option<Span> {
        self.by_key.get(key).map(|f| f.value.span())
    }

    fn wrong_kind(cx: &Ctxt, field: &Field, expected: &str, example: &str) {
        let key = field.key.unraw();
        cx.error_at(
            field.value.span(),
            format!(
                "`{key}` takes {expected}, found {}; write e.g. `{key}: {example}`",
                field.value.kind(),
            ),
        );
    }

    fn list(&self, cx: &Ctxt, key: &str, example: &str) -> Option<(&'a [Element], Span)> {
        let field = self.by_key.get(key)?;
        match &field.value {
            Value::List { elements, span } => Some((elements, *span)),
            _ => {
                Self::wrong_kind(cx, field, "a list", example);
                None
            }
        }
    }

    fn string(&self, cx: &Ctxt, key: &str) -> Option<&'a LitStr> {
        let field = self.by_key.get(key)?;
        match &field.value {
            Value::Str(lit) => Some(lit),
            _ => {
                Self::wrong_kind(cx, field, "a string", "\"uploads\"");
                None
            }
        }
    }

    fn boolean(&self, cx: &Ctxt, key: &str) -> Option<&'a LitBool> {
        let field = self.by_key.get(key)?;
        match &field.value {
            Value::Bool(lit) => Some(lit),
            _ => {
                Self::wrong_kind(cx, field, "`true` or `false`", "true");
                None
            }
        }
    }
}

/// Checks one rule and lowers it (with what survived its errors).
fn check_rule(cx: &Ctxt, body: &RuleBody) -> RuleModel {
    let fields = Fields::new(cx, body, true);
    for field in &body.fields {
        check_suffixes(cx, &field.value);
    }
    let credentials = fields.boolean(cx, "allow_credentials");
    let credentials_on = credentials.filter(|b| b.value);
    let id = check_id(cx, &fields);
    let (any_origin, origins) = check_origins(cx, &fields, body, credentials_on);
    let (any_method, methods) = match fields.list(cx, "allow_methods", "[GET, POST]") {
        Some((elements, span)) => {
            if elements.is_empty() {
                cx.error_at(
                    span,
                    "`allow_methods` is empty; list at least one method, e.g. `[GET]`",
                );
            }
            method::check(cx, elements)
        }
        None => {
            if !fields.by_key.contains_key("allow_methods") {
                cx.error_at(
                    body.span,
                    "this rule has no `allow_methods`; add e.g. `allow_methods: [GET, POST]`",
                );
            }
            (false, Vec::new())
        }
    };
    let headers = fields
        .list(cx, "allow_headers", "[\"content-type\"]")
        .map(|(elements, _)| header::check_request(cx, elements, credentials_on.is_some()))
        .unwrap_or_default();
    let expose_headers = fields
        .list(cx, "expose_headers", "[\"etag\"]")
        .map(|(elements, _)| header::check_expose(cx, elements))
        .unwrap_or_default();
    if let Some(credentials) = credentials_on {
        if expose_headers.iter().any(|h| h == "*") {
            let span = fields.span_of("expose_headers").unwrap_or(body.span);
            cx.error_at(span, "`expose_headers: [\"*\"]` does not work with `allow_credentials: true`: browsers read `*` as a header literally named `*` on credentialed requests; list the headers to expose");
            cx.error_at(credentials.span, "`allow_credentials: true` makes `expose_headers: [\"*\"]` expose nothing; list the headers to expose");
        }
    }
    RuleModel {
        id,
        any_origin,
        origins,
        any_method,
        methods,
        any_header: headers.any,
        headers: headers.names,
        header_patterns: headers.patterns,
        expose_headers,
        max_age: check_max_age(cx, &fields),
        credentials: credentials_on.is_some(),
    }
}

/// Literal suffixes (`"https://a.example"x`, `600u8`) are Rust syntax the
/// DSL gives no meaning to: refused rather than silently dropped.
fn check_suffixes(cx: &Ctxt, value: &Value) {
    let refuse = |span: Span, suffix: &str, plain: String| {
        cx.error_at(
            span,
            format!(
                "the suffix `{suffix}` means nothing in a CORS policy; remove it: write `{plain}`"
            ),
        );
    };
    match value {
        Value::Str(lit) if !lit.suffix().is_empty() => {
            refuse(lit.span(), lit.suffix(), format!("{:?}", lit.value()));
        }
        Value::Int { lit, .. } if !lit.suffix().is_empty() => {
            refuse(lit.span(), lit.suffix(), lit.base10_digits().to_owned());
        }
        Value::List { elements, .. } => {
            for element in elements {
                if let Element::Str(lit) = element {
                    if !lit.suffix().is_empty() {
                        refuse(lit.span(), lit.suffix(), format!("{:?}", lit.value()));
                    }
                }
            }
        }
        _ => {}
    }
}

fn check_id(cx: &Ctxt, fields: &Fields<'_>) -> Option<String> {
    let lit = fields.string(cx, "id")?;
    let id = lit.value();
    if id.is_empty() || id.chars().count() > MAX_ID_LEN {
        cx.error_at(
            lit.span(),
            format!(
                "a rule id has 1 to {MAX_ID_LEN} characters; this one has {}",
                id.chars().count()
            ),
        );
    }
    Some(id)
}

fn check_max_age(cx: &Ctxt, fields: &Fields<'_>) -> Option<u32> {
    let field = fields.by_key.get("max_age")?;
    let Value::Int { minus, lit } = &field.value else {
        Fields::wrong_kind(cx, field, "a number of seconds", "600");
        return None;
    };
    if minus.is_some() {
        cx.error_at(field.value.span(), "`max_age` cannot be negative; use `max_age: 0` to stop browsers from caching preflights, or leave it out for their default (5 seconds)");
        return None;
    }
    match lit.base10_parse::<u64>() {
        Ok(seconds) if seconds <= MAX_AGE_LIMIT => u32::try_from(seconds).ok(),
        Ok(seconds) => {
            cx.error_at(lit.span(), format!("`max_age: {seconds}` is more than {MAX_AGE_LIMIT} seconds (24 hours, Firefox's cap; Chromium caps at 7200); use at most {MAX_AGE_LIMIT}"));
            None
        }
        Err(error) => {
            cx.error_at(lit.span(), format!("`max_age` must be a whole number of seconds from 0 to {MAX_AGE_LIMIT}: {error}"));
            None
        }
    }
}

/// Checks `allow_origins` and the combinations that depend on credentials.
fn check_origins(
    cx: &Ctxt,
    fields: &Fields<'_>,
    body: &RuleBody,
    credentials: Option<&LitBool>,
) -> (bool, Vec<OriginPattern>) {
    let Some((elements, list_span)) = fields.list(cx, "allow_origins", "[\"https://example.com\"]")
    else {
        if !fields.by_key.contains_key("allow_origins") {
            cx.error_at(body.span, "this rule has no `allow_origins`; add e.g. `allow_origins: [\"https://app.example.com\"]`");
        }
        return (false, Vec::new());
    };
    if elements.is_empty() {
        cx.error_at(list_span, "`allow_origins` is empty; list at least one origin, e.g. `[\"https://app.example.com\"]`");
    }
    let insecure_ok = fields.boolean(cx, "dangerously_allow_insecure_origins");
    let suffix_ok = fields.boolean(cx, "dangerously_allow_public_suffix_wildcards");
    let (mut needs_insecure, mut needs_suffix) = (false, false);
    let mut any = false;
    let mut patterns = Vec::new();
    let mut seen = HashSet::new();
    let parsed: Vec<(origin::Origin, Span)> = elements
        .iter()
        .filter_map(|element| {
            let Element::Str(lit) = element else {
                cx.error_at(
                    element.span(),
                    format!(
                        "origins are strings; write `\"https://{}\"`",
                        element.text()
                    ),
                );
                return None;
            };
            match origin::parse(&lit.value()) {
                Ok(parsed) => Some((parsed, lit.span())),
                Err(message) => {
                    cx.error_at(lit.span(), message);
                    None
                }
            }
        })
        .collect();
    let has_star = parsed.iter().any(|(o, _)| matches!(o, origin::Origin::Any));
    for (parsed, span) in parsed {
        let pattern = match parsed {
            origin::Origin::Any => {
                if any {
                    cx.error_at(span, "duplicate origin `*`; remove it");
                }
                any = true;
                if let Some(credentials) = credentials {
                    cx.error_at(span, "the `\"*\"` origin cannot be combined with `allow_credentials: true`: browsers refuse `Access-Control-Allow-Origin: *` on credentialed requests, and reflecting any origin instead would let every site read your users' data; list the trusted origins");
                    cx.error_at(credentials.span, "`allow_credentials: true` cannot be combined with the `\"*\"` origin; list the trusted origins, or drop credentials");
                }
                continue;
            }
            origin::Origin::Pattern(pattern) => pattern,
        };
        let text = origin::display(&pattern);
        if has_star {
            cx.error_at(
                span,
                format!("`{text}` is redundant: `\"*\"` already allows every origin; remove it"),
            );
            continue;
        }
        if !seen.insert(text.clone()) {
            cx.error_at(span, format!("duplicate origin `{text}`; remove it"));
            continue;
        }
        if credentials.is_some() && !origin::is_secure(&pattern) {
            needs_insecure = true;
            if !insecure_ok.is_some_and(|b| b.value) {
                let https = text.replacen(&format!("{}://", pattern.scheme), "https://", 1);
                cx.error_at(span, format!("`{text}` is not a secure origin (anyone on the network can inject script into a plain `{}` page), and this rule sends credentials; use `{https}`, or set `dangerously_allow_insecure_origins: true` to accept the risk", pattern.scheme));
            }
        }
        let open_base = match credentials {
            Some(_) if pattern.subdomains => public_suffix::open_base(&pattern.host),
            _ => None,
        };
        if let Some(open_base) = open_base {
            needs_suffix = true;
            if !suffix_ok.is_some_and(|b| b.value) {
                cx.error_at(span, open_base_message(&text, &pattern.host, &open_base));
            }
        }
        patterns.push(pattern);
    }
    check_unneeded_opt_in(
        cx,
        insecure_ok,
        needs_insecure,
        "dangerously_allow_insecure_origins",
        "no origin of this rule is insecure with credentials",
    );
    check_unneeded_opt_in(
        cx,
        suffix_ok,
        needs_suffix,
        "dangerously_allow_public_suffix_wildcards",
        "no origin of this rule is a credentialed wildcard over a public suffix",
    );
    (any, patterns)
}

/// Why a credentialed `*.base` wildcard is refused, and the two ways out.
fn open_base_message(text: &str, base: &str, why: &public_suffix::OpenBase) -> String {
    use public_suffix::OpenBase;
    let base = base.strip_suffix('.').unwrap_or(base);
    let what = match why {
        OpenBase::IsSuffix => format!(
            "`{text}` allows every site under the public suffix `{base}`, which anyone can register"
        ),
        OpenBase::BareTld => format!(
            "`{text}` allows every site under the top-level domain `{base}`, where anyone can name a site"
        ),
        OpenBase::SuffixBeneath(rule) => format!(
            "`{rule}` is a public suffix under `{base}` (Public Suffix List): `{text}` also allows sites such as `{}`, which anyone can register",
            public_suffix::example_site(rule)
        ),
    };
    format!("{what}, and this rule sends credentials; list the exact origins (or a wildcard under a domain you own), or set `dangerously_allow_public_suffix_wildcards: true` to accept the risk")
}

/// A `dangerously_*: true` that nothing needs would silently approve a risky
/// origin added later, so it is refused.
fn check_unneeded_opt_in(cx: &Ctxt, flag: Option<&LitBool>, needed: bool, key: &str, why: &str) {
    if let Some(flag) = flag.filter(|b| b.value) {
        if !needed {
            cx.error_at(flag.span, format!("`{key}: true` is not needed: {why}; remove it so that a risky origin added later is caught"));
        }
    }
}
