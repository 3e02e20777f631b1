//! The S3 readers on a 64 KiB stack: they parse into fixed types, so
//! nesting past them is refused at its first bracket, without recursing.

use cors_s3::{from_json, from_xml, LoadError, MAX_DOCUMENT_LEN};

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
/// small stack too. Each document is as deep as fits under S3's size
/// limit, so that it reaches the parser (a larger one is refused unread).
#[test]
fn s3_readers_work_on_a_small_stack() {
    on_a_small_stack(|| {
        let json = [
            format!("{}{}", "[".repeat(30_000), "]".repeat(30_000)),
            format!(
                r#"{{"CORSRules":[{{"AllowedOrigins":{}{}}}]}}"#,
                "[".repeat(30_000),
                "]".repeat(30_000)
            ),
            format!(r#"{{"CORSRules":[{{"ID":{}}}]}}"#, "{\"a\":".repeat(12_000)),
        ];
        for text in json {
            assert!(text.len() <= MAX_DOCUMENT_LEN, "{} bytes", text.len());
            let error = from_json(&text).unwrap_err();
            assert!(matches!(error, LoadError::Syntax { .. }), "{error}");
        }
        let xml = format!(
            "<CORSConfiguration>{}</CORSConfiguration>",
            "<CORSRule>".repeat(6_000)
        );
        assert!(xml.len() <= MAX_DOCUMENT_LEN, "{} bytes", xml.len());
        let error = from_xml(&xml).unwrap_err();
        assert!(matches!(error, LoadError::Syntax { .. }), "{error}");
    });
}
