//! Meaning: the tokens are read into `cors-config`'s [`RawPolicy`] tree,
//! every rule of the DSL is checked there (the same checker run-time
//! policies use), and each problem is reported at the span of the token its
//! [`Location`] names. Only what exists in the token syntax alone is
//! checked here: the declared type and literal suffixes.

mod file;
#[cfg(any(feature = "json", feature = "toml", feature = "s3", feature = "aws"))]
mod reading;

use cors_config::{Location, PolicyModel, RawField, RawItem, RawPolicy, RawRule, RawValue};
use proc_macro2::Span;
use syn::ext::IdentExt;

use crate::ctxt::Ctxt;
use crate::parse::{Element, Field, PolicyBody, PolicyItem, RuleBody, Value};

/// A checked S3 configuration file.
#[cfg(feature = "s3")]
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
    Dsl(PolicyModel, Option<String>),
    /// Imported from an S3 configuration file.
    #[cfg(feature = "s3")]
    S3(S3Model),
}

/// Checks one `static` item and lowers it; errors go to `cx`.
pub(crate) fn check_item(cx: &Ctxt, item: &PolicyItem) -> Checked {
    check_type(cx, item);
    let (raw, spans) = match &item.body {
        PolicyBody::File(included) => return file::check_file(cx, included),
        PolicyBody::Single(body) => read_braced(cx, body),
        PolicyBody::Rules { span, rules } => {
            let (rules, rule_spans) = read_rules(cx, rules);
            (
                RawPolicy::rules_only(rules),
                Spans {
                    policy: *span,
                    fields: FieldSpans::default(),
                    rules: rule_spans,
                },
            )
        }
    };
    match cors_config::check(&raw) {
        Ok(model) => Checked::Dsl(model, None),
        Err(problems) => {
            for problem in problems {
                cx.error_at(spans.of(problem.at), problem.message);
            }
            Checked::Dsl(unchecked(), None)
        }
    }
}

/// The model standing in for a policy whose checks failed (never expanded:
/// the static becomes `INVALID_POLICY`).
pub(crate) fn unchecked() -> PolicyModel {
    PolicyModel {
        rules: Vec::new(),
        cross_origin_protection: true,
        open_paths: Vec::new(),
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
    /// The policy's own fields (a one-rule policy: its rule's fields).
    fields: FieldSpans,
    rules: Vec<RuleSpans>,
}

struct RuleSpans {
    body: Span,
    fields: FieldSpans,
}

/// Where each field of a list of fields was written.
#[derive(Clone, Default)]
struct FieldSpans {
    keys: Vec<Span>,
    values: Vec<Span>,
    items: Vec<Vec<Span>>,
}

impl FieldSpans {
    fn key(&self, field: usize) -> Option<Span> {
        self.keys.get(field).copied()
    }

    fn value(&self, field: usize) -> Option<Span> {
        self.values.get(field).copied()
    }

    fn item(&self, field: usize, item: usize) -> Option<Span> {
        self.items.get(field)?.get(item).copied()
    }
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
            Location::Key { rule: index, field } => rule(index).and_then(|r| r.fields.key(field)),
            Location::Value { rule: index, field } => {
                rule(index).and_then(|r| r.fields.value(field))
            }
            Location::Item {
                rule: index,
                field,
                item,
            } => rule(index).and_then(|r| r.fields.item(field, item)),
            Location::PolicyKey { field } => self.fields.key(field),
            Location::PolicyValue { field } => self.fields.value(field),
            Location::PolicyItem { field, item } => self.fields.item(field, item),
            _ => None,
        };
        found.unwrap_or(self.policy)
    }
}

/// A braced body: one rule, or, when it has a `rules` key, the policy's own
/// fields beside its rules (the first `rules` list holds them; any other
/// `rules` stays among the fields for the checker to report).
fn read_braced(cx: &Ctxt, body: &RuleBody) -> (RawPolicy, Spans) {
    let is_rules = |field: &Field| field.key.unraw() == "rules";
    if !body.fields.iter().any(is_rules) {
        let (rule, spans) = read_rule(cx, body);
        let policy = Spans {
            policy: spans.body,
            fields: spans.fields.clone(),
            rules: vec![spans],
        };
        return (RawPolicy::Single(rule), policy);
    }
    let mut rules: Option<(Vec<RawRule>, Vec<RuleSpans>)> = None;
    let mut own = Vec::new();
    for field in &body.fields {
        match &field.value {
            Value::Rules { rules: bodies, .. } if is_rules(field) && rules.is_none() => {
                rules = Some(read_rules(cx, bodies));
            }
            Value::List { elements, .. } if is_rules(field) && rules.is_none() => {
                let mut read = (Vec::new(), Vec::new());
                for element in elements {
                    let (rule, spans) = not_a_rule(element);
                    read.0.push(rule);
                    read.1.push(spans);
                }
                rules = Some(read);
            }
            _ => own.push(field),
        }
    }
    let (fields, field_spans) = read_fields(cx, &own);
    let (rules, rule_spans) = rules.unwrap_or_default();
    (
        RawPolicy::Rules { fields, rules },
        Spans {
            policy: body.span,
            fields: field_spans,
            rules: rule_spans,
        },
    )
}

/// An element of `rules: [..]` that is not `{ .. }`: a rule whose only key
/// names what was written instead, which the checker reports as unknown
/// (as the run-time readers do with a JSON array element that is no
/// object).
fn not_a_rule(element: &Element) -> (RawRule, RuleSpans) {
    let kind = match element {
        Element::Str(_) => "a string",
        Element::Ident(_) => "an identifier",
    };
    let span = element.span();
    let rule = RawRule {
        fields: vec![RawField {
            key: format!("({kind} instead of a rule)"),
            value: RawValue::Other(kind),
        }],
    };
    let spans = RuleSpans {
        body: span,
        fields: FieldSpans {
            keys: vec![span],
            values: vec![span],
            items: vec![Vec::new()],
        },
    };
    (rule, spans)
}

/// Reads rules' tokens into the raw tree.
fn read_rules(cx: &Ctxt, bodies: &[RuleBody]) -> (Vec<RawRule>, Vec<RuleSpans>) {
    let mut read = (Vec::new(), Vec::new());
    for body in bodies {
        let (rule, spans) = read_rule(cx, body);
        read.0.push(rule);
        read.1.push(spans);
    }
    read
}

/// Reads one rule's tokens into the raw tree.
fn read_rule(cx: &Ctxt, body: &RuleBody) -> (RawRule, RuleSpans) {
    let fields: Vec<&Field> = body.fields.iter().collect();
    let (fields, spans) = read_fields(cx, &fields);
    (
        RawRule { fields },
        RuleSpans {
            body: body.span,
            fields: spans,
        },
    )
}

/// Reads fields into the raw tree, refusing literal suffixes (Rust syntax
/// the DSL gives no meaning to) on the way.
fn read_fields(cx: &Ctxt, written: &[&Field]) -> (Vec<RawField>, FieldSpans) {
    let mut spans = FieldSpans::default();
    let mut fields = Vec::new();
    for field in written {
        check_suffixes(cx, &field.value);
        spans.keys.push(field.key.span());
        spans.values.push(field.value.span());
        let (value, item_spans) = read_value(&field.value);
        spans.items.push(item_spans);
        fields.push(RawField {
            key: field.key.unraw().to_string(),
            value,
        });
    }
    (fields, spans)
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
            let mut items = Vec::new();
            let mut spans = Vec::new();
            for element in elements {
                items.push(match element {
                    Element::Str(lit) => RawItem::Str(lit.value()),
                    Element::Ident(ident) => RawItem::Ident(ident.unraw().to_string()),
                });
                spans.push(element.span());
            }
            (RawValue::List(items), spans)
        }
        // Rules where a list of strings belongs: each element is "a rule".
        Value::Rules { rules, .. } => {
            let mut items = Vec::new();
            let mut spans = Vec::new();
            for rule in rules {
                items.push(RawItem::Other("a rule"));
                spans.push(rule.span);
            }
            (RawValue::List(items), spans)
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
