//! `cors-cli` on the five AWS formats (`check`, format detection), and
//! `convert` and `diff` between every format.

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
fn explain_answers_aws_formats_as_the_service_does() {
    let explain = |origin: &str, method: &str| {
        run(
            &[
                "explain",
                "--from",
                "lambda-url",
                "--policy",
                "-",
                "--origin",
                origin,
                "--method",
                method,
            ],
            LAMBDA,
        )
    };
    let (code, out, err) = explain("https://app.example.com", "GET");
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.starts_with("allowed preflight"), "{out}");
    let (code, out, err) = explain("https://evil.example", "GET");
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.starts_with("denied preflight"), "{out}");
    // A configuration the policy cannot carry is explained as refused.
    let (code, out, err) = run(
        &[
            "explain",
            "--from",
            "apigw-http",
            "--policy",
            "-",
            "--origin",
            "https://app.example.com",
        ],
        r#"{"AllowOrigins": ["https://*"], "AllowMethods": ["GET"]}"#,
    );
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("any origin of a scheme"), "{out}");
}

const DSL: &str = r#"
[[rules]]
id = "read"
allow_origins = ["https://*.example.com", "http://localhost:*"]
allow_methods = ["GET", "HEAD", "POST"]
allow_credentials = true

[[rules]]
id = "write"
allow_origins = ["https://a.example.com"]
allow_methods = ["GET", "HEAD", "POST", "PUT"]
allow_headers = ["x-api-key", "x-amz-*"]
max_age = 600
allow_credentials = true
"#;

#[test]
fn convert_writes_the_policy_and_notes_what_it_drops() {
    let (code, out, err) = run(&["convert", "--from", "toml", "--to", "s3-json", "-"], DSL);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with(r#"{"CORSRules":[{"ID":"read""#), "{out}");
    assert!(
        out.contains(r#""http://localhost","http://localhost:*""#),
        "{out}"
    );
    assert!(
        err.contains("note: the cross-origin protection is dropped"),
        "{err}"
    );
    // And back: the same answers (S3 has no protection, so it is off).
    let (code, back, err) = run(&["convert", "--from", "s3-json", "--to", "json", "-"], &out);
    assert_eq!(code, 0, "{err}");
    assert!(
        back.contains(r#""cross_origin_protection": false"#),
        "{back}"
    );
    let dsl = file("dsl.toml", DSL);
    let s3 = file("s3.json", &out);
    let (code, out, err) = run(
        &[
            "diff",
            dsl.to_str().expect("utf-8"),
            s3.to_str().expect("utf-8"),
        ],
        "",
    );
    assert_eq!((code, out.as_str()), (0, "equivalent\n"), "{err}");
}

#[test]
fn convert_names_every_value_a_target_cannot_carry() {
    let (code, out, err) = run(
        &["convert", "--from", "toml", "--to", "lambda-url", "-"],
        DSL,
    );
    assert_eq!(code, 2, "{out}");
    assert!(out.is_empty(), "{out}");
    for expected in [
        "cannot convert <stdin> from `toml` to `lambda-url` without changing its answers:",
        "rule 2 (`write`): `lambda-url` holds one rule, and this rule differs from rule 1 (`read`) in its methods",
        "origin `http://localhost:*`: AWS origins name no port wildcard",
        "AllowOrigins[0]: Lambda function URLs accept an exact origin or `*`",
    ] {
        assert!(err.contains(expected), "{expected}\n{err}");
    }
}

#[test]
fn refusal_classes() {
    // (source format, source, target, a piece of the refusal)
    let cases = [
        // Several rules merge only when they differ in their origins.
        (
            "s3-json",
            r#"{"CORSRules": [{"AllowedOrigins": ["*"], "AllowedMethods": ["GET", "HEAD", "POST"]},
            {"AllowedOrigins": ["https://a.example.com"], "AllowedMethods": ["GET", "HEAD", "POST"]}]}"#,
            "cloudfront",
            "differs from rule 1 in its credentials",
        ),
        // S3's implicit credentials against an explicit `false`.
        (
            "json",
            r#"{"allow_origins": ["https://a.example.com"], "allow_methods": ["GET"]}"#,
            "s3-xml",
            "S3 sends `Access-Control-Allow-Credentials: true` to every origin but `*`",
        ),
        // Expose `*` into S3.
        (
            "cloudfront",
            r#"{"AccessControlAllowOrigins": {"Quantity": 1, "Items": ["*"]},
            "AccessControlAllowHeaders": {"Quantity": 1, "Items": ["x-a"]},
            "AccessControlAllowMethods": {"Quantity": 1, "Items": ["GET"]},
            "AccessControlExposeHeaders": {"Quantity": 1, "Items": ["*"]},
            "AccessControlAllowCredentials": false, "OriginOverride": true}"#,
            "s3-json",
            "S3 refuses `*` in ExposeHeaders",
        ),
        // CloudFront's `*.base` is any scheme; the DSL names one.
        (
            "cloudfront",
            r#"{"AccessControlAllowOrigins": {"Quantity": 1, "Items": ["*.example.org"]},
            "AccessControlAllowHeaders": {"Quantity": 1, "Items": ["x-a"]},
            "AccessControlAllowMethods": {"Quantity": 1, "Items": ["GET"]},
            "AccessControlAllowCredentials": false, "OriginOverride": true}"#,
            "json",
            "a wildcard of any scheme",
        ),
        // And the DSL's `https://*.base` into CloudFront.
        (
            "json",
            r#"{"allow_origins": ["https://*.example.org"], "allow_methods": ["GET", "HEAD", "POST"]}"#,
            "cloudfront",
            "`https://*.example.org` is not one of them",
        ),
        // DSL `*` headers cover authorization and work with credentials.
        (
            "json",
            r#"{"allow_origins": ["https://a.example.com"], "allow_methods": ["GET", "HEAD", "POST"],
            "allow_headers": ["*"], "allow_credentials": true}"#,
            "apigw-http",
            "AWS's `*` covers no header with credentials",
        ),
        // AWS `*` headers do not cover Authorization.
        (
            "lambda-url",
            r#"{"AllowOrigins": ["https://a.example.com"], "AllowHeaders": ["*"]}"#,
            "toml",
            "AWS's `*` covers every header but `Authorization`",
        ),
        // Header patterns.
        (
            "json",
            r#"{"allow_origins": ["https://a.example.com"], "allow_methods": ["GET", "HEAD", "POST"],
            "allow_headers": ["x-api-*"], "allow_credentials": true}"#,
            "apigw-http",
            "allowed header `x-api-*`: AWS has no header patterns",
        ),
        // Methods outside the target's set.
        (
            "apigw-http",
            r#"{"AllowOrigins": ["https://a.example.com"], "AllowMethods": ["PATCH"], "AllowCredentials": true}"#,
            "s3-json",
            "Unsupported method is PATCH",
        ),
        // Methods a browser lets through unlisted.
        (
            "json",
            r#"{"allow_origins": ["https://a.example.com"], "allow_methods": ["PUT"]}"#,
            "lambda-url",
            "this rule refuses `GET`, `HEAD`, `POST`",
        ),
        // Max age ranges.
        (
            "s3-json",
            r#"{"CORSRules": [{"AllowedOrigins": ["*"], "AllowedMethods": ["GET", "HEAD", "POST"], "MaxAgeSeconds": 90000}]}"#,
            "json",
            "more than 86400 seconds",
        ),
        (
            "s3-json",
            r#"{"CORSRules": [{"AllowedOrigins": ["*"], "AllowedMethods": ["GET", "HEAD", "POST"], "MaxAgeSeconds": 90000}]}"#,
            "lambda-url",
            "max age 90000 is out of range",
        ),
        // `:*` ports into AWS.
        (
            "json",
            r#"{"allow_origins": ["http://localhost:*"], "allow_methods": ["GET", "HEAD", "POST"]}"#,
            "apigw-http",
            "no port wildcard",
        ),
    ];
    for (from, text, to, expected) in cases {
        let (code, out, err) = run(&["convert", "--from", from, "--to", to, "-"], text);
        assert_eq!(code, 2, "{from} -> {to}\n{out}{err}");
        assert!(err.contains(expected), "{from} -> {to}: {expected}\n{err}");
    }
}

#[test]
fn more_origins_than_a_limit() {
    let origins: Vec<String> = (0..101)
        .map(|i| format!("\"https://a{i}.example.com\""))
        .collect();
    let text = format!(
        r#"{{"allow_origins": [{}], "allow_methods": ["GET", "HEAD", "POST"]}}"#,
        origins.join(", ")
    );
    let (code, _, err) = run(
        &["convert", "--from", "json", "--to", "lambda-url", "-"],
        &text,
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("AllowOrigins"), "{err}");
}

#[test]
fn convert_an_invalid_source_exits_1() {
    let (code, out, err) = run(
        &["convert", "--from", "lambda-url", "--to", "json", "-"],
        "{",
    );
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.is_empty());
    assert!(err.starts_with("<stdin>:\nlambda-url: "), "{err}");
}

#[test]
fn diff_names_a_request_that_tells_two_policies_apart() {
    let a = file(
        "a.json",
        r#"{"allow_origins": ["https://a.example.com"], "allow_methods": ["GET", "PUT"], "allow_credentials": true}"#,
    );
    let b = file(
        "b.json",
        r#"{"Cors": {"AllowOrigins": ["https://a.example.com"], "AllowMethods": ["GET"], "AllowCredentials": true}}"#,
    );
    let (code, out, err) = run(
        &[
            "diff",
            a.to_str().expect("utf-8"),
            b.to_str().expect("utf-8"),
        ],
        "",
    );
    assert_eq!(code, 1, "{out}{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(lines[0].starts_with("different: "), "{out}");
    assert!(lines[1].contains("a.json: "), "{out}");
    assert!(lines[2].contains("b.json: "), "{out}");
    let (code, _, err) = run(&["diff", a.to_str().expect("utf-8"), "/nonexistent"], "");
    assert_eq!(code, 2, "{err}");
}
