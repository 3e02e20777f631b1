//! The compile-fail suite: each `tests/ui/*.rs` is one mistake, and its
//! `.stderr` snapshot is the reviewed error message. Regenerate with
//! `TRYBUILD=overwrite cargo test -p cors-tests --test compiletest` and review the diff.

use std::path::{Path, PathBuf};

/// trybuild compiles the ui files as a crate of its own in
/// `<target dir>/tests/trybuild/cors-tests`, and that crate's directory is
/// the `CARGO_MANIFEST_DIR` against which `include_s3_json!` resolves
/// paths. The S3 fixture files are copied there (to `s3/`), so that the ui
/// files name them as `"s3/bad-rules.json"` wherever the target directory
/// is (`CARGO_TARGET_DIR` inside or outside the repository alike).
fn place_s3_fixtures() -> PathBuf {
    let target_dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("CARGO_TARGET_TMPDIR is inside the target directory");
    let destination = target_dir.join("tests/trybuild/cors-tests/s3");
    std::fs::create_dir_all(&destination).expect("create the fixture directory");
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/s3");
    for entry in std::fs::read_dir(&source).expect("tests/ui/s3") {
        let path = entry.expect("fixture").path();
        let name = path.file_name().expect("file name");
        std::fs::copy(&path, destination.join(name)).expect("copy a fixture");
    }
    destination
}

#[test]
#[cfg_attr(miri, ignore)]
fn ui() {
    let fixtures = place_s3_fixtures();
    assert!(fixtures.join("bad-rules.json").is_file());
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/*.rs");
    t.pass("ui/pass/*.rs");
}
