//! Syntax of the `cors_policy!` DSL: one `Parse` impl per element, no meaning.
//!
//! Keys are parsed as plain identifiers and values by their shape, so that an
//! unknown key or a value of the wrong kind is reported by the checker,
//! together with every other mistake, instead of stopping the parse.

use proc_macro2::{Span, TokenStream};
use syn::parse::{Parse, ParseStream};
use syn::{
    braced, bracketed, parenthesized, Attribute, Ident, LitBool, LitInt, LitStr, Token, Type,
    Visibility,
};

/// The whole invocation: `($crate) item*`, as forwarded by the runtime's
/// `macro_rules!` front end.
pub(crate) struct Input {
    /// The path to the runtime crate (`$crate`), so the expansion survives a
    /// renamed dependency.
    pub(crate) krate: TokenStream,
    pub(crate) items: Vec<PolicyItem>,
}

impl Parse for Input {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let content;
        parenthesized!(content in input);
        let krate = content.parse()?;
        let mut items = Vec::new();
        while !input.is_empty() {
            items.push(input.parse()?);
        }
        Ok(Input { krate, items })
    }
}

/// `#[attr]* vis static NAME: Policy = body;`
pub(crate) struct PolicyItem {
    pub(crate) attrs: Vec<Attribute>,
    pub(crate) vis: Visibility,
    pub(crate) static_token: Token![static],
    pub(crate) name: Ident,
    pub(crate) ty: Type,
    pub(crate) body: PolicyBody,
}

impl Parse for PolicyItem {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let attrs = input.call(Attribute::parse_outer)?;
        let vis = input.parse()?;
        let static_token = input.parse()?;
        let name = input.parse()?;
        input.parse::<Token![:]>()?;
        let ty = input.parse()?;
        input.parse::<Token![=]>()?;
        let body = input.parse()?;
        input.parse::<Token![;]>()?;
        Ok(PolicyItem {
            attrs,
            vis,
            static_token,
            name,
            ty,
            body,
        })
    }
}

/// `{ field, .. }` (one rule, or with `rules: [ { .. }, .. ]` the policy's
/// own fields beside its rules: the checker tells them apart),
/// `[ { .. }, { .. } ]` (rules in order), or a policy file: `include_json!("cors.json")`, `include_toml!("cors.toml")`
/// (the DSL's keys), `include_s3_json!("cors.json")`,
/// `include_s3_xml!("cors.xml")` (Amazon S3 configurations), or one of the
/// AWS forms (`include_apigw_http!("cors.json")`, ...).
pub(crate) enum PolicyBody {
    Single(RuleBody),
    Rules { span: Span, rules: Vec<RuleBody> },
    File(IncludedFile),
}

/// `include_json!("path")`, `include_toml!("path")`, `include_s3_json!("path")`,
/// `include_s3_xml!("path")`, or an AWS form (`include_apigw_http!("path")`,
/// ...).
pub(crate) struct IncludedFile {
    pub(crate) format: FileFormat,
    /// The span of the `include_..!` name (for the error of a form whose
    /// reader's feature is off).
    #[cfg(not(all(feature = "json", feature = "toml", feature = "s3", feature = "aws")))]
    pub(crate) keyword: Span,
    /// The file's path (kept only when some reader's feature is on: every
    /// form is an error otherwise).
    #[cfg(any(feature = "json", feature = "toml", feature = "s3", feature = "aws"))]
    pub(crate) path: LitStr,
}

/// The format of an included policy file.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum FileFormat {
    /// A DSL policy as JSON.
    Json,
    /// A DSL policy as TOML.
    Toml,
    /// An S3 configuration as JSON.
    S3Json,
    /// An S3 configuration as XML.
    S3Xml,
    /// An AWS service's CORS configuration.
    Aws(AwsForm),
}

/// The AWS formats an `include_..!` form names, one per keyword.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum AwsForm {
    /// `include_apigw_http!`: an API Gateway HTTP API `CorsConfiguration`.
    ApigwHttp,
    /// `include_apigw_openapi!`: an OpenAPI document with `x-amazon-apigateway-cors`.
    ApigwOpenapi,
    /// `include_apigw_rest!`: a REST API's OpenAPI 3 document.
    ApigwRest,
    /// `include_lambda_url!`: a Lambda function URL `Cors`.
    LambdaUrl,
    /// `include_cloudfront!`: a CloudFront `ResponseHeadersPolicyCorsConfig`.
    CloudFront,
}

impl AwsForm {
    /// The form's name without `!`, for the error when the `aws` feature is
    /// off.
    #[cfg(not(feature = "aws"))]
    pub(crate) fn keyword(self) -> &'static str {
        match self {
            AwsForm::ApigwHttp => "include_apigw_http",
            AwsForm::ApigwOpenapi => "include_apigw_openapi",
            AwsForm::ApigwRest => "include_apigw_rest",
            AwsForm::LambdaUrl => "include_lambda_url",
            AwsForm::CloudFront => "include_cloudfront",
        }
    }
}

mod kw {
    syn::custom_keyword!(include_json);
    syn::custom_keyword!(include_toml);
    syn::custom_keyword!(include_s3_json);
    syn::custom_keyword!(include_s3_xml);
    syn::custom_keyword!(include_apigw_http);
    syn::custom_keyword!(include_apigw_openapi);
    syn::custom_keyword!(include_apigw_rest);
    syn::custom_keyword!(include_lambda_url);
    syn::custom_keyword!(include_cloudfront);
}

/// Whether the next token starts an `include_..!` form.
fn peek_include(lookahead: &syn::parse::Lookahead1<'_>) -> bool {
    lookahead.peek(kw::include_json)
        || lookahead.peek(kw::include_toml)
        || lookahead.peek(kw::include_s3_json)
        || lookahead.peek(kw::include_s3_xml)
        || lookahead.peek(kw::include_apigw_http)
        || lookahead.peek(kw::include_apigw_openapi)
        || lookahead.peek(kw::include_apigw_rest)
        || lookahead.peek(kw::include_lambda_url)
        || lookahead.peek(kw::include_cloudfront)
}

impl Parse for IncludedFile {
    /// Read only where [`peek_include`] saw one of the keywords: it is read
    /// as an identifier and told apart by name.
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let lookahead = input.lookahead1();
        #[cfg(not(all(feature = "json", feature = "toml", feature = "s3", feature = "aws")))]
        let keyword = input.span();
        if !peek_include(&lookahead) {
            return Err(lookahead.error());
        }
        let format = match input.parse::<Ident>()?.to_string().as_str() {
            "include_json" => FileFormat::Json,
            "include_toml" => FileFormat::Toml,
            "include_s3_json" => FileFormat::S3Json,
            "include_s3_xml" => FileFormat::S3Xml,
            "include_apigw_http" => FileFormat::Aws(AwsForm::ApigwHttp),
            "include_apigw_openapi" => FileFormat::Aws(AwsForm::ApigwOpenapi),
            "include_apigw_rest" => FileFormat::Aws(AwsForm::ApigwRest),
            "include_lambda_url" => FileFormat::Aws(AwsForm::LambdaUrl),
            "include_cloudfront" => FileFormat::Aws(AwsForm::CloudFront),
            // Not reached: `peek_include` saw one of the names above.
            _ => return Err(lookahead.error()),
        };
        input.parse::<Token![!]>()?;
        let content;
        parenthesized!(content in input);
        let path: LitStr = content.parse()?;
        #[cfg(not(any(feature = "json", feature = "toml", feature = "s3", feature = "aws")))]
        let _ = path;
        Ok(IncludedFile {
            format,
            #[cfg(not(all(feature = "json", feature = "toml", feature = "s3", feature = "aws")))]
            keyword,
            #[cfg(any(feature = "json", feature = "toml", feature = "s3", feature = "aws"))]
            path,
        })
    }
}

impl Parse for PolicyBody {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let lookahead = input.lookahead1();
        if lookahead.peek(syn::token::Brace) {
            input.parse().map(PolicyBody::Single)
        } else if lookahead.peek(syn::token::Bracket) {
            let content;
            let bracket = bracketed!(content in input);
            Ok(PolicyBody::Rules {
                span: bracket.span.join(),
                rules: comma_separated(&content)?,
            })
        } else if peek_include(&lookahead) {
            input.parse().map(PolicyBody::File)
        } else {
            Err(lookahead.error())
        }
    }
}

/// `a, b, c`, with an optional trailing comma, up to the end of `input`:
/// what `Punctuated::parse_terminated` reads (the same errors), straight
/// into a `Vec`.
fn comma_separated<T: Parse>(input: ParseStream<'_>) -> syn::Result<Vec<T>> {
    let mut items = Vec::new();
    while !input.is_empty() {
        items.push(input.parse()?);
        if input.is_empty() {
            break;
        }
        input.parse::<Token![,]>()?;
    }
    Ok(items)
}

/// `{ key: value, .. }`
pub(crate) struct RuleBody {
    pub(crate) span: Span,
    pub(crate) fields: Vec<Field>,
}

impl Parse for RuleBody {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let content;
        let brace = braced!(content in input);
        Ok(RuleBody {
            span: brace.span.join(),
            fields: comma_separated(&content)?,
        })
    }
}

/// `key: value`
pub(crate) struct Field {
    pub(crate) key: Ident,
    pub(crate) value: Value,
}

impl Parse for Field {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let key = input.parse()?;
        input.parse::<Token![:]>()?;
        let value = input.parse()?;
        Ok(Field { key, value })
    }
}

/// A value, by its shape: `"text"`, `600`, `-1`, `true`, `[element, ..]`,
/// or `[{ .. }, { .. }]` (the rules of `{ .., rules: [..] }`).
pub(crate) enum Value {
    Str(LitStr),
    Int {
        minus: Option<Token![-]>,
        lit: LitInt,
    },
    Bool(LitBool),
    List {
        span: Span,
        elements: Vec<Element>,
    },
    Rules {
        span: Span,
        rules: Vec<RuleBody>,
    },
}

impl Parse for Value {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let lookahead = input.lookahead1();
        if lookahead.peek(LitStr) {
            input.parse().map(Value::Str)
        } else if lookahead.peek(LitInt) || lookahead.peek(Token![-]) {
            Ok(Value::Int {
                minus: input.parse()?,
                lit: input.parse()?,
            })
        } else if lookahead.peek(LitBool) {
            input.parse().map(Value::Bool)
        } else if lookahead.peek(syn::token::Bracket) {
            let content;
            let bracket = bracketed!(content in input);
            let span = bracket.span.join();
            if content.peek(syn::token::Brace) {
                return Ok(Value::Rules {
                    span,
                    rules: comma_separated(&content)?,
                });
            }
            Ok(Value::List {
                span,
                elements: comma_separated(&content)?,
            })
        } else {
            Err(lookahead.error())
        }
    }
}

/// A list element: `"text"` or a bare identifier such as `GET`.
pub(crate) enum Element {
    Str(LitStr),
    Ident(Ident),
}

impl Parse for Element {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let lookahead = input.lookahead1();
        if lookahead.peek(LitStr) {
            input.parse().map(Element::Str)
        } else if lookahead.peek(Ident) {
            input.parse().map(Element::Ident)
        } else {
            Err(lookahead.error())
        }
    }
}

impl Element {
    /// Where the element was written.
    pub(crate) fn span(&self) -> Span {
        match self {
            Element::Str(lit) => lit.span(),
            Element::Ident(ident) => ident.span(),
        }
    }
}

impl Value {
    /// Where to point an error about the whole value.
    pub(crate) fn span(&self) -> Span {
        match self {
            Value::Str(lit) => lit.span(),
            Value::Int { minus, lit } => match minus {
                Some(minus) => minus.span.join(lit.span()).unwrap_or(minus.span),
                None => lit.span(),
            },
            Value::Bool(lit) => lit.span,
            Value::List { span, .. } | Value::Rules { span, .. } => *span,
        }
    }
}
