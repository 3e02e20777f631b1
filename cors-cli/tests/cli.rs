//! `cors-cli` as a process: `explain` and `check` on DSL and S3 files.

use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

fn file(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cors-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    path
}

fn run(args: &[&str]) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_cors-cli"))
        .args(args)
        .output()
        .expect("run cors-cli");
    let text = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    (output.status.code().unwrap_or(-1), text)
}

const TOML: &str = r#"
[[rules]]
id = "read"
allow_origins = ["https://*.example.com"]
allow_methods = ["GET"]

[[rules]]
id = "write"
allow_origins = ["https://a.example.com"]
allow_methods = ["PUT"]
allow_headers = ["x-api-key"]
max_age = 600
"#;

#[test]
fn explain_a_dsl_policy() {
    let policy = file("cors.toml", TOML);
    let policy = policy.to_str().expect("utf-8");
    let (code, out) = run(&[
        "explain",
        "--policy",
        policy,
        "--origin",
        "https://a.example.com",
        "--method",
        "PUT",
        "--header",
        "x-api-key",
    ]);
    assert_eq!(code, 0, "{out}");
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[0].starts_with("allowed preflight: origin `https://a.example.com` and method `PUT`"),
        "{out}"
    );
    assert!(lines[0].ends_with("match rule 1 (`write`)"), "{out}");
    assert_eq!(lines[1], "status: 204");
    for header in [
        "access-control-allow-origin: https://a.example.com",
        "access-control-allow-methods: PUT",
        "access-control-allow-headers: x-api-key",
        "access-control-max-age: 600",
        "vary: Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
    ] {
        assert!(lines.contains(&header), "{header}\n{out}");
    }
    let (code, out) = run(&[
        "explain",
        "--policy",
        policy,
        "--origin",
        "https://b.example.com",
        "--method",
        "PUT",
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(out.starts_with("denied preflight: the origin matches rule 0 (`read`), but its methods do not include `PUT`"), "{out}");
    assert!(out.contains("status: 403"), "{out}");
    let (code, out) = run(&[
        "explain",
        "--policy",
        policy,
        "--origin",
        "https://b.example.com",
        "--actual",
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("access-control-allow-origin: https://b.example.com"),
        "{out}"
    );
    // A GET is not a write: today's lines, no protection verdict.
    assert!(!out.contains("cross-origin protection"), "{out}");
}

#[test]
fn explain_s3_policies() {
    let json = file(
        "s3.json",
        r#"{"CORSRules":[{"AllowedOrigins":["https://*.example.com"],"AllowedMethods":["GET","PUT"]}]}"#,
    );
    let (code, out) = run(&[
        "explain",
        "--policy",
        json.to_str().expect("utf-8"),
        "--origin",
        "https://a.example.com",
        "--method",
        "PUT",
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("status: 200"), "{out}");
    assert!(
        out.contains("access-control-allow-methods: GET, PUT"),
        "{out}"
    );
    let xml = file("s3.xml", "<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>");
    let (code, out) = run(&[
        "explain",
        "--policy",
        xml.to_str().expect("utf-8"),
        "--origin",
        "https://x.test",
        "--actual",
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("access-control-allow-origin: *"), "{out}");
}

#[test]
fn check_lists_every_problem() {
    let good = file("good.toml", TOML);
    let (code, out) = run(&["check", good.to_str().expect("utf-8")]);
    assert_eq!(
        (code, out.trim_end().ends_with("ok (2 rule(s))")),
        (0, true),
        "{out}"
    );
    let bad = file(
        "bad.json",
        r#"[{"allow_origins": ["*"], "allow_methods": ["get"], "allow_credentials": true}]"#,
    );
    let (code, out) = run(&["check", bad.to_str().expect("utf-8")]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("rules[0].allow_origins[0]: the `\"*\"` origin cannot be combined"),
        "{out}"
    );
    assert!(
        out.contains("rules[0].allow_methods[0]: write `GET`, not `get`"),
        "{out}"
    );
    let s3 = file(
        "bad-s3.json",
        r#"{"CORSRules":[{"AllowedOrigins":["*"],"AllowedMethods":["PATCH"]}]}"#,
    );
    let (code, out) = run(&["check", s3.to_str().expect("utf-8")]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("Unsupported method is PATCH"), "{out}");
    let (code, out) = run(&["check", "/nonexistent/cors.toml"]);
    assert_eq!(code, 2, "{out}");
    let (code, _) = run(&["frobnicate"]);
    assert_eq!(code, 2);
}

/// A policy whose writes the cross-origin protection judges: one origin
/// may post without credentials, another with them, and `/hooks/*` stays
/// open to cross-site form posts.
const PROTECTED: &str = r#"
open_paths = ["/hooks/*"]

[[rules]]
id = "app"
allow_origins = ["https://app.example.com"]
allow_methods = ["GET", "POST"]

[[rules]]
id = "session"
allow_origins = ["https://admin.example.com"]
allow_methods = ["GET", "POST"]
allow_credentials = true
"#;

/// `cors-cli explain --policy <file> <args>` (split at spaces) on a policy
/// file holding `policy`: checks the exit code and that the protection's
/// verdict line starts with `verdict`, and returns the whole output.
fn expect(policy: &str, args: &str, code: i32, verdict: &str) -> String {
    // One file per call: tests run in parallel, and one must never read
    // the file while another rewrites it.
    static CALLS: AtomicUsize = AtomicUsize::new(0);
    let kind = if policy.starts_with('{') {
        "json"
    } else {
        "toml"
    };
    let name = format!("policy-{}.{kind}", CALLS.fetch_add(1, Ordering::Relaxed));
    let path = file(&name, policy);
    let mut all = vec!["explain", "--policy", path.to_str().expect("utf-8")];
    all.extend(args.split(' '));
    let (status, out) = run(&all);
    assert_eq!(status, code, "{args}\n{out}");
    let line = out
        .lines()
        .find_map(|line| line.strip_prefix("cross-origin protection: "))
        .unwrap_or_else(|| panic!("no verdict line: {args}\n{out}"));
    assert!(line.starts_with(verdict), "{args}\n{out}");
    out
}

#[test]
fn a_cross_site_post_from_a_foreign_origin_is_refused() {
    let out = expect(
        PROTECTED,
        "--origin https://evil.example --method POST --sec-fetch-site cross-site",
        1,
        "refused (403): cross-site POST from https://evil.example: no rule allows this origin",
    );
    let lines: Vec<&str> = out.lines().collect();
    // The decision is the refusal: its line comes first, then the 403.
    assert_eq!(lines.len(), 3, "{out}");
    assert!(lines[0].ends_with("no rule allows this origin"), "{out}");
    assert_eq!(lines[1..], ["status: 403", "vary: Origin"], "{out}");
    // Without Origin, a browser's cross-site write is refused too.
    expect(
        PROTECTED,
        "--method POST --sec-fetch-site cross-site",
        1,
        "refused (403): cross-site POST without an Origin header: ",
    );
    // Without Sec-Fetch-Site or --host, an Origin makes it cross-origin.
    expect(
        PROTECTED,
        "--origin https://evil.example --method DELETE --actual",
        1,
        "refused (403): cross-origin DELETE from https://evil.example: no rule allows this origin",
    );
}

#[test]
fn a_cross_site_post_the_policy_allows_passes() {
    let out = expect(
        PROTECTED,
        "--origin https://app.example.com --method POST --sec-fetch-site cross-site",
        0,
        "passes (the policy lets this origin act: rule 0 (`app`))",
    );
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "allowed request: origin `https://app.example.com` and method `POST` match rule 0 (`app`)"
    );
    assert!(lines[1].starts_with("cross-origin protection: "), "{out}");
    assert!(!out.contains("status:"), "{out}");
    assert!(
        lines.contains(&"access-control-allow-origin: https://app.example.com"),
        "{out}"
    );
    // A bearer token is the page's own, not one the browser attaches.
    expect(
        PROTECTED,
        "--origin https://app.example.com --method POST --authorization Bearer",
        0,
        "passes (the policy lets this origin act",
    );
    // An open path takes cross-site form posts from anywhere.
    expect(
        PROTECTED,
        "--origin https://evil.example --method POST --sec-fetch-site cross-site --path /hooks/pay",
        1,
        "passes (/hooks/pay is an open path of this policy)",
    );
}

#[test]
fn a_cookie_bearing_post_needs_a_rule_with_credentials() {
    let out = expect(
        PROTECTED,
        "--origin https://app.example.com --method POST --sec-fetch-site same-site --cookie",
        1,
        "refused (403): cookie-bearing POST from https://app.example.com: the matching rule does not allow credentials (rule 0, `app`)",
    );
    assert!(out.contains("status: 403"), "{out}");
    assert!(!out.contains("access-control-"), "{out}");
    expect(
        PROTECTED,
        "--origin https://app.example.com --method POST --authorization Basic",
        1,
        "refused (403): authorization-bearing POST from https://app.example.com: ",
    );
    let out = expect(
        PROTECTED,
        "--origin https://admin.example.com --method POST --sec-fetch-site same-site --cookie",
        0,
        "passes (the policy lets this origin act: rule 1 (`session`))",
    );
    assert!(
        out.contains("access-control-allow-credentials: true"),
        "{out}"
    );
}

#[test]
fn a_websocket_handshake_from_a_foreign_origin_is_refused() {
    let out = expect(
        PROTECTED,
        "--websocket --origin https://evil.example",
        1,
        "refused (403): cross-origin WebSocket handshake from https://evil.example: no rule allows this origin",
    );
    assert!(out.contains("status: 403"), "{out}");
    // From the API's own origin, named by --host.
    expect(
        PROTECTED,
        "--websocket --origin https://api.example.com --host api.example.com",
        1,
        "passes (same-origin: the Origin is the request's Host)",
    );
    // An allowed origin opens one; a GET that is no handshake is no write.
    expect(
        PROTECTED,
        "--websocket --method GET --origin https://app.example.com --sec-fetch-site cross-site",
        0,
        "passes (the policy lets this origin act: rule 0 (`app`))",
    );
    expect(
        PROTECTED,
        "--origin https://evil.example --sec-fetch-site cross-site --cookie",
        1,
        "passes (not a write",
    );
}

#[test]
fn a_same_origin_write_passes() {
    // The protection lets the API's own pages write; the policy does not
    // let api.example.com read across origins (exit 1, today's meaning).
    let out = expect(
        PROTECTED,
        "--origin https://api.example.com --method POST --sec-fetch-site same-origin --cookie",
        1,
        "passes (`same-origin` per Sec-Fetch-Site: not a cross-origin request)",
    );
    assert!(
        out.starts_with(
            "denied request: origin `https://api.example.com` is not allowed by any rule\n"
        ),
        "{out}"
    );
    assert!(!out.contains("status:"), "{out}");
    // Without --origin: not a CORS request, and not refused.
    let out = expect(
        PROTECTED,
        "--method POST --sec-fetch-site same-origin",
        0,
        "passes (`same-origin` per Sec-Fetch-Site",
    );
    assert!(out.starts_with("not a CORS request"), "{out}");
    // Without Sec-Fetch-Site, the Origin is compared with --host.
    expect(
        PROTECTED,
        "--origin https://api.example.com --method POST --host api.example.com",
        1,
        "passes (same-origin: the Origin is the request's Host)",
    );
    expect(
        PROTECTED,
        "--method POST --cookie",
        0,
        "passes (no Origin and no Sec-Fetch-Site: not sent by a browser page)",
    );
}

#[test]
fn s3_policies_have_no_protection() {
    let s3 = r#"{"CORSRules":[{"AllowedOrigins":["https://*.example.com"],"AllowedMethods":["GET","PUT"]}]}"#;
    let out = expect(
        s3,
        "--origin https://evil.example --method PUT --sec-fetch-site cross-site --cookie",
        1,
        "passes (protection off for this policy)",
    );
    assert!(
        out.starts_with(
            "denied request: origin `https://evil.example` is not allowed by any rule\n"
        ),
        "{out}"
    );
    assert!(!out.contains("status:"), "{out}");
    expect(
        s3,
        "--origin https://a.example.com --method PUT --actual",
        0,
        "passes (protection off for this policy)",
    );
    // A DSL policy can turn it off too.
    let off = "cross_origin_protection = false\nallow_origins = [\"https://app.example.com\"]\nallow_methods = [\"POST\"]\n";
    expect(
        off,
        "--origin https://evil.example --method POST --actual",
        1,
        "passes (protection off for this policy)",
    );
}

#[test]
fn protection_flags_are_checked() {
    let policy = file("flags.toml", PROTECTED);
    let policy = policy.to_str().expect("utf-8");
    let usage = |args: &str| {
        let mut all = vec!["explain", "--policy", policy];
        all.extend(args.split(' '));
        let (code, out) = run(&all);
        assert_eq!(code, 2, "{args}\n{out}");
        out
    };
    let out = usage("--websocket --method POST --origin https://app.example.com");
    assert!(
        out.contains("--websocket is a GET handshake; it cannot be sent with --method POST"),
        "{out}"
    );
    // --origin stays required for a plain CORS question.
    let out = usage("--method PUT");
    assert!(
        out.contains("the following required arguments were not provided:\n  --origin <ORIGIN>"),
        "{out}"
    );
    assert!(usage("--cookie --host https://api.example.com").contains("--host"));
    assert!(usage("--cookie --path hooks").contains("--path"));
    let (code, out) = run(&["explain", "--help"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("--sec-fetch-site <VALUE>"), "{out}");
    assert!(
        out.replace('\n', " ")
            .contains("the cross-origin protection refuses it (answered 403"),
        "{out}"
    );
}

/// A file past the limit (here an endless one) is refused after reading
/// one byte more than the limit, with a message naming it.
#[cfg(unix)]
#[test]
fn check_refuses_an_endless_file_at_the_limit() {
    let (code, text) = run(&["check", "/dev/zero"]);
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains("/dev/zero is larger than 1048576 bytes"),
        "{text}"
    );
}

/// S3 JSON is told from the DSL's by its keys alone, in both of its forms.
#[test]
fn check_tells_s3_json_by_its_keys() {
    let wrapped = file(
        "wrapped.json",
        r#"{"CORSRules": [{"AllowedOrigins": ["https://a.example.com"], "AllowedMethods": ["GET"]}]}"#,
    );
    let bare = file(
        "bare.json",
        r#"[{"AllowedOrigins": ["https://a.example.com"], "AllowedMethods": ["GET"]}]"#,
    );
    let dsl = file(
        "dsl.json",
        r#"[{"allow_origins": ["https://a.example.com"], "allow_methods": ["GET"]}]"#,
    );
    for path in [wrapped, bare, dsl] {
        let (code, text) = run(&["check", path.to_str().expect("utf-8 path")]);
        assert_eq!(code, 0, "{text}");
        assert!(text.contains("ok (1 rule(s))"), "{text}");
    }
}
