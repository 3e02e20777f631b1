//! Holds the compile-fail suite of `tests/ui` (`tests/compiletest.rs`). A
//! crate of its own because trybuild compiles the ui files against every
//! dependency of the crate it runs in: here that is `cors-runtime` and
//! `http`, not the framework matrix of `cors-tests`.
