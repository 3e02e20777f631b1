//! Code generation: parse -> check -> lower -> `quote!`.
//!
//! Each policy becomes one `static` whose initializer is a block holding the
//! tables whose elements own `HeaderValue`s or `Cow`s (which a constant
//! expression cannot borrow from a temporary) in inner `static`s, and a call
//! to `cors_runtime::__private` that builds the `Policy`. Tables of plain
//! data (the origin index's slots and entries, from a hash state that
//! `phf_generator` computes here, at expansion time, and the header-pattern
//! tries) are written as tuples of literals, which a `const fn` turns into
//! the runtime's types in static memory. The generated code names the
//! runtime's types only where a `static` must, and never another crate's
//! types but `core`'s and `std`'s, so no dependency's features can change
//! what it must write.

use proc_macro2::{Literal, TokenStream};
use quote::{quote, ToTokens};

#[cfg(feature = "s3")]
use crate::check::S3Model;
use crate::check::{self, Checked};
use crate::ctxt::Ctxt;
use crate::parse::{Input, PolicyItem};
use cors_config::__private::{EntryLayout, IndexLayout, RuleLayout};
use cors_config::{PolicyModel, Port};
use cors_grammar::rule_index::{RuleBits, RuleIndexLayout, TrieLayout};

/// Expands a whole `cors_policy!` invocation. Items whose checks fail become
/// `__private::INVALID_POLICY` next to the errors, so that no unrelated error follows.
pub(crate) fn expand(input: TokenStream) -> syn::Result<TokenStream> {
    let input: Input = syn::parse2(input)?;
    let krate = &input.krate;
    let mut output = TokenStream::new();
    let mut errors: Option<syn::Error> = None;
    for item in &input.items {
        let cx = Ctxt::new();
        let checked = check::check_item(&cx, item);
        let failed = cx.has_errors();
        if let Err(error) = cx.check() {
            match &mut errors {
                Some(all) => all.combine(error),
                None => errors = Some(error),
            }
        }
        output.extend(if failed {
            // The declared type may itself be the mistake: then use the real
            // one, so that only our errors are reported.
            let ty = if check::is_policy_type(&item.ty) {
                item.ty.to_token_stream()
            } else {
                quote!(#krate::Policy)
            };
            static_item(item, &ty, quote!(#krate::__private::INVALID_POLICY))
        } else {
            static_item(
                item,
                &item.ty,
                match &checked {
                    Checked::Dsl(model, file) => policy(krate, model, file.as_deref()),
                    #[cfg(feature = "s3")]
                    Checked::S3(model) => s3_policy(krate, model),
                },
            )
        });
    }
    if let Some(errors) = errors {
        output.extend(errors.to_compile_error());
    }
    Ok(output)
}

/// The version of the interface to `cors_runtime::__private` this
/// expansion is written for; `cors-runtime`'s `INTERFACE` must equal it.
const INTERFACE: u32 = 8;

fn static_item(item: &PolicyItem, ty: &dyn quote::ToTokens, value: TokenStream) -> TokenStream {
    let PolicyItem {
        attrs,
        vis,
        static_token,
        name,
        ..
    } = item;
    quote! {
        #(#attrs)*
        #vis #static_token #name: #ty = #value;
    }
}

/// The `Policy` initializer: `cors-config`'s layout of the checked policy
/// (the same one the run-time loaders build from), written as statics.
fn policy(krate: &TokenStream, model: &PolicyModel, file: Option<&str>) -> TokenStream {
    let layout = cors_config::__private::layout(model);
    let private = quote!(#krate::__private);
    let rule_count = layout.rules.len();
    let (pattern_names, pattern_statics) = pattern_statics(
        layout.rules.iter().map(|rule| &rule.header_patterns[..]),
        &quote!(#private::HeaderPattern),
        &quote!(#private::header_pattern),
    );
    let rules = layout
        .rules
        .iter()
        .zip(&pattern_names)
        .map(|(rule, patterns)| rule_literal(&private, rule, patterns));
    let origins = origin_index(&private, &layout.index);
    let (rule_index_statics, rule_index) = rule_index(&private, &layout.rule_index);
    let any_origin = rule_set(&layout.any_origin);
    let origin_independent = layout.origin_independent;
    let protection_on = layout.protection.enabled;
    let open_path_count = layout.protection.open_paths.len();
    let open_paths = layout
        .protection
        .open_paths
        .iter()
        .map(|(path, prefix)| quote!(#private::open_path(#path, #prefix)));
    let rebuild_on_change = file.map(|path| {
        quote!(
            const _: &[u8] = ::core::include_bytes!(#path);
        )
    });
    quote! {{
        #rebuild_on_change
        const _: () = #private::expect_interface(#INTERFACE);
        #(#pattern_statics)*
        static RULES: [#private::Rule; #rule_count] = [#(#rules),*];
        static OPEN_PATHS: [#private::OpenPath; #open_path_count] = [#(#open_paths),*];
        #rule_index_statics
        #private::dsl_policy(
            &RULES,
            #origins,
            #any_origin,
            #origin_independent,
            #protection_on,
            &OPEN_PATHS,
            #rule_index,
        )
    }}
}

/// The `Policy` initializer of an imported S3 configuration: the matcher's
/// tables, laid out by `cors_s3::__private::layout` (as the run-time loaders lay them
/// out) and written as statics, the rules as written (for reading the
/// configuration back), and the file included as bytes so that the build
/// re-runs when it changes. Nothing is built on the first request.
#[cfg(feature = "s3")]
fn s3_policy(krate: &TokenStream, model: &S3Model) -> TokenStream {
    let private = quote!(#krate::__private);
    let path = &model.path;
    let config = &model.config;
    let layout = cors_s3::__private::layout(config);
    let count = layout.rules.len();
    let specs = config
        .rules
        .iter()
        .map(|rule| s3_rule_as_written(&private, rule));
    let (pattern_names, pattern_statics) = pattern_statics(
        layout.rules.iter().map(|rule| &rule.header_patterns[..]),
        &quote!(#private::Glob),
        &quote!(#private::glob),
    );
    let rules = layout
        .rules
        .iter()
        .zip(&pattern_names)
        .map(|(rule, patterns)| s3_rule_matcher(&private, rule, patterns));
    let exact_count = layout.exact.len();
    let exact = layout.exact.iter().map(|(origin, rules)| {
        let rules = rule_set(rules);
        quote!(#private::exact_origin(#origin, #rules))
    });
    let wildcard_count = layout.wildcards.len();
    let wildcards = layout
        .wildcards
        .iter()
        .map(|(prefix, suffix, rule)| quote!(#private::wildcard(#prefix, #suffix, #rule)));
    let any_origin = rule_set(&layout.any_origin);
    let (rule_index_statics, rule_index) = rule_index(&private, &layout.rule_index);
    quote! {{
        const _: &[u8] = ::core::include_bytes!(#path);
        const _: () = #private::expect_interface(#INTERFACE);
        #(#pattern_statics)*
        static RULES: [#private::S3Rule; #count] = [#(#rules),*];
        static EXACT: [#private::ExactOrigin; #exact_count] = [#(#exact),*];
        static WILDCARDS: [#private::Wildcard; #wildcard_count] = [#(#wildcards),*];
        #rule_index_statics
        static MATCHER: #private::S3Matcher =
            #private::s3_matcher(
                &RULES,
                &EXACT,
                &WILDCARDS,
                #any_origin,
                #rule_index,
                &[#(#specs),*],
            );
        #private::s3_policy(&MATCHER)
    }}
}

/// An S3 rule as written, for reading the configuration back.
#[cfg(feature = "s3")]
fn s3_rule_as_written(private: &TokenStream, rule: &cors_s3::CorsRule) -> TokenStream {
    let id = option(rule.id.as_ref().map(|id| quote!(#id)));
    let origins = &rule.allowed_origins;
    let methods = &rule.allowed_methods;
    let headers = &rule.allowed_headers;
    let expose = &rule.expose_headers;
    let max_age = option(rule.max_age_seconds.map(|s| {
        let s = Literal::i64_suffixed(s);
        quote!(#s)
    }));
    quote! {
        #private::s3_rule(
            #id,
            &[#(#origins),*],
            &[#(#methods),*],
            &[#(#headers),*],
            &[#(#expose),*],
            #max_age,
        )
    }
}

/// An S3 rule as the matcher reads it, its header patterns in the static
/// named `patterns`.
#[cfg(feature = "s3")]
fn s3_rule_matcher(
    private: &TokenStream,
    rule: &cors_s3::__private::S3RuleLayout,
    patterns: &syn::Ident,
) -> TokenStream {
    let id = option(rule.id.as_ref().map(|id| quote!(#id)));
    let methods = texts(private, &rule.methods);
    let any_header = rule.any_header;
    let names = texts(private, &rule.header_names);
    let any_origin = rule.any_origin;
    let allow_methods = &rule.allow_methods;
    let expose = option(rule.expose_headers.as_ref().map(|v| quote!(#v)));
    let max_age = option(rule.max_age.as_ref().map(|v| quote!(#v)));
    quote! {
        #private::s3_rule_matcher(
            #id,
            #methods,
            #any_header,
            #names,
            &#patterns,
            #any_origin,
            #allow_methods,
            #expose,
            #max_age,
        )
    }
}

/// One static per rule holding its header patterns (`prefix`, `suffix`),
/// each built by `constructor` as a `ty`: patterns own `Cow`s, which a
/// constant expression cannot borrow from a temporary. Returns the statics'
/// names, in rule order, and their items.
fn pattern_statics<'a>(
    rules: impl Iterator<Item = &'a [(String, String)]>,
    ty: &TokenStream,
    constructor: &TokenStream,
) -> (Vec<syn::Ident>, Vec<TokenStream>) {
    let mut names = Vec::new();
    let mut items = Vec::new();
    for (index, patterns) in rules.enumerate() {
        let name = quote::format_ident!("HEADER_PATTERNS_{index}");
        let count = patterns.len();
        let values = patterns
            .iter()
            .map(|(prefix, suffix)| quote!(#constructor(#prefix, #suffix)));
        items.push(quote!(static #name: [#ty; #count] = [#(#values),*];));
        names.push(name);
    }
    (names, items)
}

/// A set of rules: the words of its bitset over their indexes.
fn rule_set(bits: &RuleBits) -> TokenStream {
    let words = bits.iter().map(|word| Literal::u64_suffixed(*word));
    quote!([#(#words),*])
}

/// The policy-wide method and header indexes: their statics (the names and
/// patterns with their rule sets) and the `RuleIndex` built from them.
fn rule_index(private: &TokenStream, index: &RuleIndexLayout) -> (TokenStream, TokenStream) {
    let names = |names: &[(String, RuleBits)]| {
        let count = names.len();
        let values = names.iter().map(|(name, rules)| {
            let rules = rule_set(rules);
            quote!(#private::indexed_name(#name, #rules))
        });
        (count, values.collect::<Vec<_>>())
    };
    let (method_count, methods) = names(&index.methods);
    let (header_count, headers) = names(&index.headers);
    let pattern_count = index.header_patterns.len();
    let patterns = index
        .header_patterns
        .iter()
        .map(|((prefix, suffix), rules)| {
            let rules = rule_set(rules);
            quote!(#private::indexed_pattern(#prefix, #suffix, #rules))
        });
    let any_method = rule_set(&index.any_method);
    let any_header = rule_set(&index.any_header);
    let trie = |trie: &TrieLayout| {
        let nodes = trie.nodes.iter().map(|((start, end), ends)| {
            let ends = Literal::u64_suffixed(*ends);
            quote!(((#start, #end), #ends))
        });
        let edges = trie
            .edges
            .iter()
            .map(|(byte, child)| quote!((#byte, #child)));
        quote!(&#private::trie([#(#nodes),*], [#(#edges),*]))
    };
    let prefixes = trie(&index.pattern_prefixes);
    let suffixes = trie(&index.pattern_suffixes);
    let statics = quote! {
        static METHOD_INDEX: [#private::IndexedName; #method_count] = [#(#methods),*];
        static HEADER_INDEX: [#private::IndexedName; #header_count] = [#(#headers),*];
        static PATTERN_INDEX: [#private::IndexedPattern; #pattern_count] = [#(#patterns),*];
    };
    let value = quote! {
        #private::rule_index(
            #any_method,
            &METHOD_INDEX,
            #any_header,
            &HEADER_INDEX,
            &PATTERN_INDEX,
            #prefixes,
            #suffixes,
        )
    };
    (statics, value)
}

/// The origin index, its hash state computed by `cors_config::__private::layout`.
fn origin_index(private: &TokenStream, index: &IndexLayout) -> TokenStream {
    let seed = Literal::u64_suffixed(index.seed);
    let pilots = Literal::byte_string(&index.pilots);
    let remap = &index.remap;
    let slots = index.slots.iter().map(|slot| {
        let (host_start, host_end) = slot.host;
        let (entries_start, entries_end) = slot.entries;
        quote!(((#host_start, #host_end), (#entries_start, #entries_end)))
    });
    let hosts = Literal::byte_string(&index.hosts);
    let entries = index.entries.iter().map(origin_entry);
    let schemes = texts(private, &index.schemes);
    quote! {
        #private::origin_index(
            #seed,
            #pilots,
            &[#(#remap),*],
            &#private::origin_tables([#(#slots),*], [#(#entries),*]),
            #hosts,
            #schemes,
        )
    }
}

/// An entry of the origin index: `(scheme, port, subdomains, rule)`, the
/// port `None` (absent), `Some(None)` (`:*`) or `Some(Some(port))`.
fn origin_entry(entry: &EntryLayout) -> TokenStream {
    let EntryLayout {
        scheme,
        subdomains,
        rule,
        ..
    } = entry;
    let port = option(match entry.port {
        Port::Absent => None,
        Port::Exact(port) => Some(option(Some(quote!(#port)))),
        Port::Any => Some(option(None)),
    });
    quote!((#scheme, #port, #subdomains, #rule))
}

/// A slice of `Cow<'static, str>`, borrowed, as the runtime's tables hold
/// text (`Cow` named through the runtime, so that a `#![no_std]` crate
/// needs no `extern crate std`).
fn texts<'a>(private: &TokenStream, texts: impl IntoIterator<Item = &'a String>) -> TokenStream {
    let texts = texts.into_iter();
    quote!(&[#(#private::Cow::Borrowed(#texts)),*])
}

fn rule_literal(private: &TokenStream, rule: &RuleLayout, patterns: &syn::Ident) -> TokenStream {
    let id = option(rule.id.as_ref().map(|id| quote!(#id)));
    let any_origin = rule.any_origin;
    let credentials = rule.credentials;
    let any_method = rule.any_method;
    let methods = texts(private, &rule.methods);
    let any_header = rule.any_header;
    let headers = texts(private, &rule.headers);
    let allow_methods = &rule.allow_methods;
    let expose = option(rule.expose_headers.as_ref().map(|v| quote!(#v)));
    let max_age = option(rule.max_age.as_ref().map(|v| quote!(#v)));
    quote! {
        #private::rule(
            #id,
            #any_origin,
            #credentials,
            #any_method,
            #methods,
            #any_header,
            #headers,
            &#patterns,
            #allow_methods,
            #expose,
            #max_age,
        )
    }
}

fn option(value: Option<TokenStream>) -> TokenStream {
    match value {
        Some(value) => quote!(::core::option::Option::Some(#value)),
        None => quote!(::core::option::Option::None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(input: TokenStream) -> Vec<String> {
        let output = expand(input).unwrap_or_else(syn::Error::into_compile_error);
        let text = output.to_string();
        text.match_indices("compile_error")
            .map(|(i, _)| text[i..].split('"').nth(1).unwrap_or_default().to_owned())
            .collect()
    }

    #[test]
    fn valid_policy_has_no_errors() {
        let input = quote! { (crate) static P: Policy = {
            allow_origins: ["https://a.example", "https://*.b.example"], allow_methods: [GET],
        }; };
        assert!(errors(input).is_empty());
    }

    /// The policy keys reach the generated `Policy`: on with no open path
    /// by default, the open paths as exact paths and prefixes, and off.
    #[test]
    fn the_protection_is_generated_as_written() {
        let code = |input: TokenStream| {
            let output = expand(input).unwrap_or_else(syn::Error::into_compile_error);
            output.to_string().replace(' ', "")
        };
        let default = code(quote! { (crate) static P: Policy = {
            allow_origins: ["https://a.example"], allow_methods: [POST],
        }; });
        assert!(
            default.contains("staticOPEN_PATHS:[crate::__private::OpenPath;0usize]=[];"),
            "{default}"
        );
        assert!(default.contains(",true,&OPEN_PATHS,"), "{default}");
        let open = code(quote! { (crate) static P: Policy = {
            open_paths: ["/pay/callback", "/hooks/*"],
            rules: [{ allow_origins: ["https://a.example"], allow_methods: [POST] }],
        }; });
        assert!(open.contains("crate::__private::open_path(\"/pay/callback\",false),crate::__private::open_path(\"/hooks/\",true)"), "{open}");
        let off = code(quote! { (crate) static P: Policy = {
            allow_origins: ["https://a.example"], allow_methods: [POST], cross_origin_protection: false,
        }; });
        assert!(off.contains(",false,&OPEN_PATHS,"), "{off}");
    }

    #[test]
    fn collects_every_error() {
        let input = quote! { (crate)
            static P: Policy = { allow_origins: ["null", "https://A.example"], allow_methods: [get], bogus: 1 };
            static Q: Policy = { allow_origins: ["*"], allow_methods: [GET], allow_credentials: true };
        };
        assert_eq!(errors(input).len(), 6);
    }

    /// A credentialed `*.base` whose base has a public suffix at or beneath
    /// it (Public Suffix List, ICANN and private sections) or is a bare TLD
    /// is refused; ordinary bases compile.
    #[test]
    fn credentialed_wildcards_over_open_bases() {
        let errors_for = |base: &str| {
            let origin = format!("https://*.{base}");
            errors(quote! { (crate) static P: Policy = {
                allow_origins: [#origin], allow_methods: [GET], allow_credentials: true,
            }; })
        };
        let open = [
            // ICANN section: wildcard rules, TLDs, second-level suffixes.
            "kawasaki.jp",
            "kobe.jp",
            "nagoya.jp",
            "sapporo.jp",
            "sendai.jp",
            "yokohama.jp",
            "kitakyushu.jp",
            "ck",
            "jp",
            "uk",
            "co.uk",
            "com.au",
            // Private section: hosting and cloud providers.
            "amazonaws.com",
            "elb.amazonaws.com",
            "compute.amazonaws.com",
            "rds.amazonaws.com",
            "amazonaws.com.cn",
            "on.aws",
            "sagemaker.aws",
            "scw.cloud",
            "amazoncognito.com",
            "fastly.net",
            "mythic-beasts.com",
            "evennode.com",
            "k2.cloud",
            "github.io",
            "herokuapp.com",
        ];
        for base in open {
            let found = errors_for(base);
            assert_eq!(found.len(), 1, "{base}: {found:?}");
            assert!(
                found[0].contains("dangerously_allow_public_suffix_wildcards"),
                "{base}: {found:?}"
            );
        }
        for base in [
            "example.com",
            "app.example.com",
            "example.co.uk",
            "bucket.s3.amazonaws.com",
            "my-site.github.io",
            "city.kawasaki.jp",
            "www.ck",
            "example.jp",
            "mozilla.org",
            "rust-lang.org",
            "shop.example.de",
        ] {
            assert!(errors_for(base).is_empty(), "{base}");
        }
    }

    #[test]
    fn never_panics_on_hostile_input() {
        let many_rules = (0..300).map(|i| {
            let origin = format!("https://{i}.example");
            quote!({ allow_origins: [#origin], allow_methods: [GET] })
        });
        let inputs = [
            quote! { (crate) static P: Policy = { allow_origins: ["https://a.example"], allow_methods: [GET], max_age: 99999999999999999999999999999 }; },
            quote! { (crate) static P: Policy = { allow_origins: ["https://a.example"], allow_methods: [GET], max_age: 5u8 }; },
            quote! { (crate) static P: Policy = [#(#many_rules),*]; },
            quote! { (crate) static P: Policy = { allow_origins: ["", ":", "://", "https://:*", "https://[", "https://[]", "https://*.", "https://*.*", "\u{0}"], allow_methods: [GET] }; },
            quote! { (crate) static P: Policy = { allow_origins: ["https://\u{1F600}.example"], allow_methods: ["\u{1F600}"], allow_headers: ["*", "**", "\u{e9}"] }; },
            quote! { (crate) static P: Policy = { id: "", allow_origins: [], allow_methods: [] }; },
            quote! { (crate) static P: Policy = {}; },
            quote! { (crate) static P: Policy = { rules: [], rules: 5, open_paths: [{ rules: [] }], r#rules: ["a", b] }; },
            quote! { (crate) static P: Policy = { rules: [{ rules: [{}] }], allow_origins: [{}], open_paths: ["\u{0}", "/\u{202e}", "//", "/*", "/.."] }; },
            quote! { (crate) static P: Policy = [{ open_paths: [], cross_origin_protection: 1 }]; },
            quote! { (crate) },
            quote! {},
        ];
        for input in inputs {
            let _ = errors(input);
        }
    }
}
