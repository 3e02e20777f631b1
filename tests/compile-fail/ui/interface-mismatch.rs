// Generated code written for another version of the interface between
// cors-macros and cors-runtime (what a cors-macros used directly with a
// mismatched cors-runtime emits) fails with a message that says what to do.
const _: () = cors_runtime::__private::expect_interface(0);

fn main() {}
