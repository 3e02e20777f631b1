//! Implementation detail of the `cors-runtime` crate: use `cors_runtime::cors_policy!`.
//!
//! The macro runs in three stages, each in its own module:
//! `parse` (syntax only), `check` (the tokens read into `cors-config`'s raw
//! tree and judged by its checker, every problem reported at its token
//! through `ctxt`) and `expand` (code generation, with the perfect hash
//! computed here).
#![forbid(unsafe_code)]

mod check;
mod ctxt;
mod expand;
mod parse;

use proc_macro::TokenStream;

/// Not public API: called by `cors_runtime::cors_policy!` as
/// `cors_policy! { ($crate) items... }`.
#[doc(hidden)]
#[proc_macro]
pub fn cors_policy(input: TokenStream) -> TokenStream {
    expand::expand(input.into())
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}
