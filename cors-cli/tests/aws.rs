//! `cors-cli` on the five AWS formats: `check`, format detection, and
//! `convert` between every format.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

fn file(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cors-cli-aws-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    path
}

/// Runs cors-cli with `stdin`: (exit status, stdout, stderr).
fn run(args: &[&str], stdin: &str) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cors-cli"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run cors-cli");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    let output = child.wait_with_output().expect("wait");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

const LAMBDA: &str = r#"{"Cors": {"AllowOrigins": ["https://app.example.com"], "AllowMethods": ["GET", "PUT"], "AllowCredentials": true, "MaxAge": 600}}"#;

#[test]
fn check_reads_each_aws_format() {
    let cloudfront = r#"{"CorsConfig": {"AccessControlAllowOrigins": {"Quantity": 1, "Items": ["*.example.org"]},
        "AccessControlAllowHeaders": {"Quantity": 1, "Items": ["x-a"]},
        "AccessControlAllowMethods": {"Quantity": 1, "Items": ["GET"]},
        "AccessControlAllowCredentials": false, "OriginOverride": true}}"#;
    let openapi = r#"{"openapi": "3.0.1", "x-amazon-apigateway-cors": {"allowOrigins": ["https://*"], "allowMethods": ["*"]}}"#;
    let http = r#"{"CorsConfiguration": {"AllowOrigins": ["http://*"], "MaxAge": -1}}"#;
    for text in [LAMBDA, cloudfront, openapi, http] {
        let (code, out, err) = run(&["check", "-"], text);
        assert_eq!(code, 0, "{text}\n{out}{err}");
        assert_eq!(out, "<stdin>: ok (1 rule)\n");
    }
}

#[test]
fn check_prints_every_problem_of_an_aws_file() {
    let text = r#"{"AllowOrigins": ["https://a.example.com"], "AllowMethods": ["GET", "OPTIONS"], "MaxAge": -1}"#;
    let (code, out, _) = run(&["check", "--from", "lambda-url", "-"], text);
    assert_eq!(code, 1, "{out}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(
        lines[1].starts_with("lambda-url: AllowMethods[1]: method `OPTIONS`"),
        "{out}"
    );
    assert!(lines[2].starts_with("lambda-url: MaxAge: "), "{out}");
    let (code, out, _) = run(&["check", "--from", "apigw-http", "-"], text);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn a_bare_pascal_case_configuration_needs_from() {
    let path = file(
        "bare.json",
        r#"{"AllowOrigins": ["*"], "AllowMethods": ["GET"]}"#,
    );
    let (code, out, err) = run(&["check", path.to_str().expect("utf-8")], "");
    assert_eq!(code, 2, "{out}{err}");
    assert!(out.is_empty());
    assert!(
        err.contains("name it with `--from apigw-http` or `--from lambda-url`"),
        "{err}"
    );
}

#[test]
fn explain_refuses_aws_formats_with_a_hint() {
    let (code, _, err) = run(
        &[
            "explain",
            "--policy",
            "-",
            "--origin",
            "https://app.example.com",
        ],
        LAMBDA,
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("cors-cli convert --to json"), "{err}");
}
