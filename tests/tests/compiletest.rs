//! The compile-fail suite: each `tests/ui/*.rs` is one mistake, and its
//! `.stderr` snapshot is the reviewed error message. Regenerate with
//! `TRYBUILD=overwrite cargo test -p cors-tests --test compiletest` and review the diff.

#[test]
#[cfg_attr(miri, ignore)]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/*.rs");
    t.pass("ui/pass/*.rs");
}
