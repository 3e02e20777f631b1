//! Meaning: the tokens are read into `cors-config`'s [`RawPolicy`] tree,
//! every rule of the DSL is checked there (the same checker run-time
//! policies use), and each problem is reported at the span of the token its
//! [`Location`] names. Only what exists in the token syntax alone is
//! checked here: the declared type and literal suffixes.

mod file;

use cors_config::{Location, PolicyModel, RawField, RawItem, RawPolicy, RawRule, RawValue};
use proc_macro2::Span;
use syn::ext::IdentExt;

use crate::ctxt::Ctxt;
use crate::parse::{Element, FileFormat, PolicyBody, PolicyItem, RuleBody, Value};

/// A checked S3 configuration file.
pub(crate) struct S3Model {
    /// The file's absolute path (the build re-runs when it changes).
    pub(crate) path: String,
    /// The configuration, validated with S3's rules, values as written.
    pub(crate) config: cors_s3::CorsConfiguration,
}

/// A checked policy, ready for code generation.
pub(crate) enum Checked {
    /// Written in the DSL, inline or in a file (its absolute path: the build
    /// re-runs when it changes).
    Strict(PolicyModel, Option<String>),
    /// Imported from an S3 configuration file.
    S3(S3Model),
}

/// Checks one `static` item and lowers it; errors go to `cx`.
pub(crate) fn check_item(cx: &Ctxt, item: &PolicyItem) -> Checked {
    check_type(cx, item);
    let (raw, spans) = match &item.body {
        PolicyBody::File(included) => {
            return match included.format {
                FileFormat::S3Json | FileFormat::S3Xml => Checked::S3(file::check_s3(cx, included)),
                FileFormat::Json | FileFormat::Toml => match file::check_policy(cx, included) {
                    Some((model, path)) => Checked::Strict(model, Some(path)),
                    None => Checked::Strict(PolicyModel { rules: Vec::new() }, None),
                },
            }
        }
        PolicyBody::Single(rule) => {
            let (rule, spans) = read_rule(cx, rule);
            (
                RawPolicy::Single(rule),
                Spans {
                    policy: spans.body,
                    rules: vec![spans],
                },
            )
        }
        PolicyBody::Rules { span, rules } => {
            let (rules, rule_spans) = rules.iter().map(|rule| read_rule(cx, rule)).unzip();
            (
                RawPolicy::Rules(rules),
                Spans {
                    policy: *span,
                    rules: rule_spans,
                },
            )
        }
    };
    match cors_config::check(&raw) {
        Ok(model) => Checked::Strict(model, None),
        Err(problems) => {
            for problem in problems {
                cx.error_at(spans.of(problem.at), problem.message);
            }
            Checked::Strict(PolicyModel { rules: Vec::new() }, None)
        }
    }
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

/// Where each part of the raw tree was written.
struct Spans {
    policy: Span,
    rules: Vec<RuleSpans>,
}

struct RuleSpans {
    body: Span,
    keys: Vec<Span>,
    values: Vec<Span>,
    items: Vec<Vec<Span>>,
}

impl Spans {
    /// The span of the token a problem's location names (the nearest
    /// enclosing one if the tree has no such part, which cannot happen for
    /// locations the checker reports).
    fn of(&self, at: Location) -> Span {
        let rule = |index: usize| self.rules.get(index);
        let found = match at {
            Location::Policy => None,
            Location::Rule(index) => rule(index).map(|r| r.body),
            Location::Key { rule: index, field } => {
                rule(index).and_then(|r| r.keys.get(field).copied())
            }
            Location::Value { rule: index, field } => {
                rule(index).and_then(|r| r.values.get(field).copied())
            }
            Location::Item {
                rule: index,
                field,
                item,
            } => rule(index).and_then(|r| r.items.get(field)?.get(item).copied()),
        };
        found.unwrap_or(self.policy)
    }
}

/// Reads one rule's tokens into the raw tree, refusing literal suffixes
/// (Rust syntax the DSL gives no meaning to) on the way.
fn read_rule(cx: &Ctxt, body: &RuleBody) -> (RawRule, RuleSpans) {
    let mut spans = RuleSpans {
        body: body.span,
        keys: Vec::new(),
        values: Vec::new(),
        items: Vec::new(),
    };
    let fields = body
        .fields
        .iter()
        .map(|field| {
            check_suffixes(cx, &field.value);
            spans.keys.push(field.key.span());
            spans.values.push(field.value.span());
            let (value, item_spans) = read_value(&field.value);
            spans.items.push(item_spans);
            RawField {
                key: field.key.unraw().to_string(),
                value,
            }
        })
        .collect();
    (RawRule { fields }, spans)
}

fn read_value(value: &Value) -> (RawValue, Vec<Span>) {
    match value {
        Value::Str(lit) => (RawValue::Str(lit.value()), Vec::new()),
        Value::Int { minus, lit } => (
            RawValue::Int {
                negative: minus.is_some(),
                digits: lit.base10_digits().to_owned(),
            },
            Vec::new(),
        ),
        Value::Bool(lit) => (RawValue::Bool(lit.value), Vec::new()),
        Value::List { elements, .. } => {
            let items = elements
                .iter()
                .map(|element| match element {
                    Element::Str(lit) => RawItem::Str(lit.value()),
                    Element::Ident(ident) => RawItem::Ident(ident.unraw().to_string()),
                })
                .collect();
            (
                RawValue::List(items),
                elements.iter().map(Element::span).collect(),
            )
        }
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
