//! The compile-fail suite: each `ui/*.rs` is one mistake, and its
//! `.stderr` snapshot is the reviewed error message. Regenerate with
//! `TRYBUILD=overwrite cargo test -p cors-compile-fail --test compiletest` and review the diff.

use std::path::{Path, PathBuf};

/// trybuild compiles the ui files as a crate of its own in
/// `<target dir>/tests/trybuild/cors-compile-fail`, and that crate's directory is
/// the `CARGO_MANIFEST_DIR` against which `include_json!` and the other
/// file includes resolve paths. The fixture directories `ui/s3`,
/// `ui/config` and `ui/aws` are copied there, so that the ui files name them as
/// `"s3/bad-rules.json"` wherever the target directory is
/// (`CARGO_TARGET_DIR` inside or outside the repository alike).
fn place_fixtures(directory: &str) -> PathBuf {
    let target_dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("CARGO_TARGET_TMPDIR is inside the target directory");
    let destination = target_dir
        .join("tests/trybuild/cors-compile-fail")
        .join(directory);
    std::fs::create_dir_all(&destination).expect("create the fixture directory");
    let source = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("ui")
        .join(directory);
    for entry in std::fs::read_dir(&source).expect("a fixture directory") {
        let path = entry.expect("fixture").path();
        let name = path.file_name().expect("file name");
        std::fs::copy(&path, destination.join(name)).expect("copy a fixture");
    }
    destination
}

#[test]
#[cfg_attr(miri, ignore)]
fn ui() {
    assert!(place_fixtures("s3").join("bad-rules.json").is_file());
    assert!(place_fixtures("config").join("api.toml").is_file());
    assert!(place_fixtures("aws").join("http.json").is_file());
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/*.rs");
    t.pass("ui/pass/*.rs");
}
