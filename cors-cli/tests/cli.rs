//! `cors-cli` as a process: `explain` and `check` on DSL and S3 files.

use std::path::PathBuf;
use std::process::Command;

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
