//! `cors-cli`'s command line as users of Rust tools expect it: `--help` and
//! `--version` on standard output with status 0; every error on standard
//! error with status 2, clap's own (with its suggestions) and ours; `--from`;
//! `-` for standard input.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// What a run printed and how it ended.
struct Outcome {
    /// The exit status.
    code: i32,
    /// Standard output.
    stdout: String,
    /// Standard error.
    stderr: String,
}

/// Runs `cors-cli` with `args`, `stdin` on its standard input.
fn run_with(args: &[&str], stdin: &[u8]) -> Outcome {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cors-cli"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run cors-cli");
    let mut input = child.stdin.take().expect("stdin");
    let stdin = stdin.to_vec();
    // A writer of its own: the child may stop reading (at its limit) and
    // exit while the pipe is full; the broken pipe is then expected.
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&stdin);
    });
    let output = child.wait_with_output().expect("wait for cors-cli");
    writer.join().expect("writer");
    Outcome {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Runs `cors-cli` with `args` and an empty standard input.
fn run(args: &[&str]) -> Outcome {
    run_with(args, b"")
}

/// A usage error: status 2, a message on standard error, nothing on
/// standard output. Returns standard error.
#[track_caller]
fn usage_error(args: &[&str]) -> String {
    let out = run(args);
    assert_eq!(out.code, 2, "{args:?}\n{}", out.stderr);
    assert!(out.stdout.is_empty(), "{args:?}\n{}", out.stdout);
    assert!(out.stderr.starts_with("error: "), "{}", out.stderr);
    out.stderr
}

/// A file in this run's temporary folder.
fn file(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cors-cli-args-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    path
}

const TOML: &str = r#"
[[rules]]
id = "read"
allow_origins = ["https://*.example.com"]
allow_methods = ["GET"]
"#;

const S3_JSON: &str =
    r#"{"CORSRules":[{"AllowedOrigins":["https://*.example.com"],"AllowedMethods":["GET"]}]}"#;

#[test]
fn help_lists_every_option_of_each_subcommand() {
    let cases: [(&str, &[&str]); 2] = [
        ("check", &["--from <FORMAT>", "<FILE>", "Exit status"]),
        (
            "explain",
            &[
                "--from <FORMAT>",
                "--policy <FILE>",
                "--origin <ORIGIN>",
                "--method <METHOD>",
                "--header <NAME>",
                "--actual",
                "--sec-fetch-site <VALUE>",
                "--cookie",
                "--authorization <SCHEME>",
                "--websocket",
                "--path <PATH>",
                "--host <HOST>",
                "[default: GET]",
                "Exit status",
            ],
        ),
    ];
    for (subcommand, options) in cases {
        for help in [
            &[subcommand, "--help"][..],
            &[subcommand, "-h"],
            &["help", subcommand],
        ] {
            let out = run(help);
            assert_eq!(out.code, 0, "{help:?}\n{}", out.stderr);
            assert!(out.stderr.is_empty(), "{}", out.stderr);
            assert!(
                out.stdout
                    .contains(&format!("Usage: cors-cli {subcommand} [OPTIONS]")),
                "{}",
                out.stdout
            );
            for option in options
                .iter()
                .filter(|o| help[1] != "-h" || o.starts_with('-'))
            {
                assert!(
                    out.stdout.contains(option),
                    "{help:?}: {option}\n{}",
                    out.stdout
                );
            }
        }
    }
    let out = run(&["--help"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    for line in [
        "Usage: cors-cli <COMMAND>",
        "  check ",
        "  explain ",
        "--version",
    ] {
        assert!(out.stdout.contains(line), "{line}\n{}", out.stdout);
    }
}

#[test]
fn from_lists_every_format() {
    let out = run(&["check", "--help"]);
    for format in [
        "- json:",
        "- toml:",
        "- s3-json:",
        "- s3-xml:",
        "- apigw-http:",
        "- apigw-openapi:",
        "- apigw-rest:",
        "- lambda-url:",
        "- cloudfront:",
    ] {
        assert!(out.stdout.contains(format), "{format}\n{}", out.stdout);
    }
    let policy = file("listed.toml", TOML);
    let err = usage_error(&["check", "--from", "apigw", policy.to_str().expect("utf-8")]);
    assert!(
        err.contains("invalid value 'apigw' for '--from <FORMAT>'"),
        "{err}"
    );
    assert!(
        err.contains(
            "[possible values: json, toml, s3-json, s3-xml, apigw-http, apigw-openapi, \
             apigw-rest, lambda-url, cloudfront]"
        ),
        "{err}"
    );
}

#[test]
fn version() {
    let out = run(&["--version"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        format!("cors-cli {}\n", env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(run(&["-V"]).stdout, out.stdout);
}

#[test]
fn an_unknown_option_is_refused_with_a_suggestion() {
    let err = usage_error(&[
        "explain",
        "--polcy",
        "cors.toml",
        "--origin",
        "https://a.example",
    ]);
    assert!(err.contains("unexpected argument '--polcy' found"), "{err}");
    assert!(
        err.contains("tip: a similar argument exists: '--policy'"),
        "{err}"
    );
    assert!(err.contains("Usage: cors-cli explain"), "{err}");
    let err = usage_error(&["check", "--form", "json", "cors.json"]);
    assert!(
        err.contains("tip: a similar argument exists: '--from'"),
        "{err}"
    );
    let err = usage_error(&["chek", "cors.toml"]);
    assert!(
        err.contains("tip: a similar subcommand exists: 'check'"),
        "{err}"
    );
}

#[test]
fn missing_arguments_are_usage_errors() {
    let err = usage_error(&["check"]);
    assert!(
        err.contains("required arguments were not provided:\n  <FILE>"),
        "{err}"
    );
    let err = usage_error(&["explain", "--origin", "https://a.example.com"]);
    assert!(err.contains("--policy <FILE>"), "{err}");
    let err = usage_error(&["explain", "--policy"]);
    assert!(
        err.contains("a value is required for '--policy <FILE>'"),
        "{err}"
    );
    let err = usage_error(&["check", "a.toml", "b.toml"]);
    assert!(err.contains("unexpected argument 'b.toml'"), "{err}");
    // No subcommand: the help, on standard error.
    let out = run(&[]);
    assert_eq!(out.code, 2);
    assert!(out.stdout.is_empty());
    assert!(
        out.stderr.contains("Usage: cors-cli <COMMAND>"),
        "{}",
        out.stderr
    );
}

#[test]
fn our_own_errors_look_like_clap_s_and_exit_2() {
    let policy = file("own.toml", TOML);
    let policy = policy.to_str().expect("utf-8");
    let err = usage_error(&[
        "explain",
        "--policy",
        policy,
        "--websocket",
        "--method",
        "PUT",
    ]);
    assert!(
        err.starts_with("error: --websocket is a GET handshake"),
        "{err}"
    );
    assert!(
        err.contains("\n\nUsage: cors-cli explain [OPTIONS] --policy <FILE>\n"),
        "{err}"
    );
    let err = usage_error(&[
        "explain",
        "--policy",
        policy,
        "--origin",
        "https://a.example",
        "--method",
        "P T",
        "--actual",
    ]);
    assert!(err.contains("`P T`"), "{err}");
    // An unreadable file: no usage, it is not the command line's fault.
    let err = usage_error(&["check", "/nonexistent/cors.toml"]);
    assert!(
        err.starts_with("error: cannot read /nonexistent/cors.toml: "),
        "{err}"
    );
    assert!(!err.contains("Usage"), "{err}");
    let err = usage_error(&[
        "explain",
        "--policy",
        "/nonexistent/cors.toml",
        "--origin",
        "https://a.example",
    ]);
    assert!(
        err.starts_with("error: cannot read /nonexistent/cors.toml: "),
        "{err}"
    );
}

#[test]
fn from_names_the_format_and_says_when_the_file_looks_like_another() {
    let json = file("bucket.json", S3_JSON);
    let json = json.to_str().expect("utf-8");
    let out = run(&["check", "--from", "s3-xml", json]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.starts_with(&format!("{json}:\n")),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .ends_with("note: read as `s3-xml` (--from); the file looks like `s3-json`\n"),
        "{}",
        out.stdout
    );
    let out = run(&["check", "--from", "s3-json", json]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    // A TOML policy in a file named .json: --from says what it is.
    let toml = file("misnamed.json", TOML);
    let toml = toml.to_str().expect("utf-8");
    assert_eq!(run(&["check", toml]).code, 1);
    let out = run(&["check", "--from", "toml", toml]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert_eq!(out.stdout, format!("{toml}: ok (1 rule(s))\n"));
    let out = run(&[
        "explain",
        "--from",
        "s3-xml",
        "--policy",
        json,
        "--origin",
        "https://a.example.com",
    ]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(
        out.stdout.contains("the file looks like `s3-json`"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_dash_reads_standard_input() {
    for (text, from) in [
        (TOML, None),
        (S3_JSON, None),
        (TOML, Some("toml")),
        (S3_JSON, Some("s3-json")),
    ] {
        let mut args = vec!["check"];
        if let Some(from) = from {
            args.extend(["--from", from]);
        }
        args.push("-");
        let out = run_with(&args, text.as_bytes());
        assert_eq!(out.code, 0, "{args:?}\n{}{}", out.stdout, out.stderr);
        assert_eq!(out.stdout, "<stdin>: ok (1 rule(s))\n");
    }
    let out = run_with(
        &["check", "-"],
        b"[[rules]]\nallow_origins = [\"*\"]\nallow_methods = [\"get\"]\n",
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stdout.starts_with("<stdin>:\n"), "{}", out.stdout);
    let out = run_with(
        &[
            "explain",
            "--policy",
            "-",
            "--origin",
            "https://a.example.com",
            "--actual",
        ],
        TOML.as_bytes(),
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout
            .contains("access-control-allow-origin: https://a.example.com"),
        "{}",
        out.stdout
    );
}

/// Standard input is read as boundedly as a file: one byte past the limit,
/// then refused.
#[test]
fn standard_input_past_the_limit_is_refused() {
    let huge = vec![b' '; (1 << 20) + 1];
    let out = run_with(&["check", "-"], &huge);
    assert_eq!(out.code, 2, "{}", out.stdout);
    assert!(
        out.stderr
            .contains("error: <stdin> is larger than 1048576 bytes"),
        "{}",
        out.stderr
    );
    let endless = vec![b' '; 3 << 20];
    assert_eq!(run_with(&["check", "-"], &endless).code, 2);
}
