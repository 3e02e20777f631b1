//! Holds the compile-fail cases of `ui/` run against `cors-runtime` with no
//! format feature (`tests/compiletest.rs`): a crate of its own because
//! trybuild compiles the ui files with the features of the crate it runs
//! in, and the main suite (`tests/compile-fail`) turns every feature on.
