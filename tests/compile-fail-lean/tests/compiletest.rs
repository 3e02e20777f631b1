//! With none of `cors-runtime`'s format features, each `include_*!` form is
//! an error naming the feature that brings it, and an inline policy still
//! compiles. Regenerate the snapshots with
//! `TRYBUILD=overwrite cargo test -p cors-compile-fail-lean --test compiletest`
//! and review the diff.

#[test]
#[cfg_attr(miri, ignore)]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/*.rs");
    t.pass("ui/pass/*.rs");
}
