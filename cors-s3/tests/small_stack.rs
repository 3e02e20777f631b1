//! The S3 readers on a 64 KiB stack: they parse into fixed types, so
//! nesting past them is refused at its first bracket, without recursing.

use cors_s3::{from_json, from_xml};

/// Runs `work` on a thread with a 64 KiB stack: a stack overflow aborts
/// the whole test binary, a panic fails the test.
fn on_a_small_stack(work: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(64 * 1024)
        .spawn(work)
        .expect("thread")
        .join()
        .expect("no panic");
}

/// Nesting past the fixed types is refused at its first bracket, on a
/// small stack too.
#[test]
fn s3_readers_work_on_a_small_stack() {
    on_a_small_stack(|| {
        let depth = 30_000;
        for json in [
            format!("{}{}", "[".repeat(depth), "]".repeat(depth)),
            format!(
                r#"{{"CORSRules":[{{"AllowedOrigins":{}{}}}]}}"#,
                "[".repeat(depth),
                "]".repeat(depth)
            ),
            format!(r#"{{"CORSRules":[{{"ID":{}}}]}}"#, "{\"a\":".repeat(depth)),
        ] {
            assert!(from_json(&json).is_err());
        }
        let xml = format!(
            "<CORSConfiguration>{}</CORSConfiguration>",
            "<CORSRule>".repeat(depth)
        );
        assert!(from_xml(&xml).is_err());
    });
}
