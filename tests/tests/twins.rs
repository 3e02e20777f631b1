//! One table for both moments: every compile-fail case of `tests/compile-fail/ui/` next
//! to its run-time twin (the same policy as JSON, or the same file loaded at
//! run time), asserting that the run-time error messages are the
//! compile-time ones (spans aside). A case with no run-time form (it is
//! about Rust syntax, or about reading a file) says why. A new `tests/compile-fail/ui`
//! case fails this test until it has a row.

use std::collections::BTreeSet;
use std::path::Path;

use cors_runtime::aws::Format;
use cors_runtime::Policy;

/// How a compile-fail case is reproduced at run time.
enum Twin {
    /// The same policy as JSON: `Policy::from_json`'s messages must be the
    /// macro's, exactly.
    Json(&'static str),
    /// A DSL policy file of `tests/compile-fail/ui/config`, loaded at run time: the
    /// messages must be the macro's without its "`file`: " prefix.
    File(&'static str),
    /// An S3 file of `tests/compile-fail/ui/s3`, loaded at run time: the messages must be
    /// the macro's without the "`file`: " prefix and the "(S3 would answer
    /// …)" note the macro adds.
    S3File(&'static str),
    /// An AWS file of `tests/compile-fail/ui/aws`, loaded at run time with
    /// `Policy::from_aws` in its format: the messages must be the macro's
    /// without the "`file` (format): " prefix.
    AwsFile(&'static str, Format),
    /// Only the macro can make this mistake; the reason.
    CompileTimeOnly(&'static str),
}

use Twin::*;

const RUST_SYNTAX: &str = "Rust syntax with no JSON form";

const TABLE: &[(&str, Twin)] = &[
    ("aws-missing-file", CompileTimeOnly("reading a file: the run-time loaders take text")),
    ("aws-service-limit", AwsFile("aws/lambda-seven-methods.json", Format::LambdaUrl)),
    ("aws-unsupported", AwsFile("aws/any-https.json", Format::ApigwHttp)),
    ("bad-value-syntax", CompileTimeOnly("a float literal is a syntax error of the macro; JSON's 1.5 is refused as a value of the wrong kind")),
    ("config-bad-json", File("config/bad.json")),
    ("config-bad-policy-keys", File("config/bad-protection.toml")),
    ("config-bad-toml", File("config/bad.toml")),
    ("config-endless-file", CompileTimeOnly("reading a file: the run-time loaders take text; the example and cors-cli read files up to the same limit plus one byte")),
    ("duplicate-header", Json(r#"{"allow_origins": ["https://example.com"], "allow_methods": ["GET"], "allow_headers": ["content-type", "Content-Type"]}"#)),
    ("duplicate-key", Json(r#"{"allow_origins": ["https://example.com"], "allow_methods": ["GET"], "allow_methods": ["PUT"]}"#)),
    ("duplicate-method", Json(r#"{"allow_origins": ["https://example.com"], "allow_methods": ["GET", "GET"]}"#)),
    ("duplicate-origin", Json(r#"{"allow_origins": ["https://example.com", "https://example.com"], "allow_methods": ["GET"]}"#)),
    ("duplicate-rule-id", Json(r#"[{"id": "a", "allow_origins": ["https://a.example"], "allow_methods": ["GET"]}, {"id": "a", "allow_origins": ["https://b.example"], "allow_methods": ["GET"]}]"#)),
    ("empty-allow-origins", Json(r#"{"allow_origins": [], "allow_methods": ["GET"]}"#)),
    ("empty-rule-list", Json("[]")),
    ("expose-pattern", Json(r#"{"allow_origins": ["https://example.com"], "allow_methods": ["GET"], "expose_headers": ["x-amz-*"]}"#)),
    ("expose-protocol-header", Json(r#"{"allow_origins": ["https://example.com"], "allow_methods": ["GET"], "expose_headers": ["access-control-max-age"]}"#)),
    ("expose-set-cookie", Json(r#"{"allow_origins": ["https://example.com"], "allow_methods": ["GET"], "expose_headers": ["set-cookie"]}"#)),
    ("expose-wildcard-with-credentials", Json(r#"{"allow_origins": ["https://example.com"], "allow_methods": ["GET"], "expose_headers": ["*"], "allow_credentials": true}"#)),
    ("file-origin", Json(r#"{"allow_origins": ["file:///home/me/index.html"], "allow_methods": ["GET"]}"#)),
    ("forbidden-method", Json(r#"{"allow_origins": ["https://example.com"], "allow_methods": ["CONNECT", "trace", "TRACK"]}"#)),
    ("forbidden-request-header", Json(r#"{"allow_origins": ["https://example.com"], "allow_methods": ["GET"], "allow_headers": ["cookie", "Sec-Fetch-Mode", "proxy-authorization"]}"#)),
    ("header-not-a-string", CompileTimeOnly(RUST_SYNTAX)),
    ("header-pattern-covers-authorization", Json(r#"{"allow_origins": ["https://a.example.com"], "allow_methods": ["GET"], "allow_headers": ["a*", "*ion", "x-*"], "allow_credentials": true}"#)),
    ("header-pattern-two-stars", Json(r#"{"allow_origins": ["https://example.com"], "allow_methods": ["GET"], "allow_headers": ["x-*-*"]}"#)),
    ("insecure-origin-with-credentials", Json(r#"{"allow_origins": ["http://example.com"], "allow_methods": ["GET"], "allow_credentials": true}"#)),
    ("invalid-header-name", Json(r#"{"allow_origins": ["https://example.com"], "allow_methods": ["GET"], "allow_headers": ["x api", "x-ok"]}"#)),
    ("invalid-method-token", Json(r#"{"allow_origins": ["https://example.com"], "allow_methods": ["GE T", ""]}"#)),
    ("literal-suffix", CompileTimeOnly(RUST_SYNTAX)),
    ("lowercase-method", Json(r#"{"allow_origins": ["https://example.com"], "allow_methods": ["get", "Post"]}"#)),
    ("interface-mismatch", CompileTimeOnly("about the generated code and the runtime it links against, not about a policy")),
    ("lowercase-patch-ident", CompileTimeOnly("a bare identifier; the string \"patch\" is accepted as written in both forms")),
    ("max-age-negative", Json(r#"{"allow_origins": ["https://example.com"], "allow_methods": ["GET"], "max_age": -1}"#)),
    ("max-age-too-large", Json(r#"{"allow_origins": ["https://example.com"], "allow_methods": ["GET"], "max_age": 86401}"#)),
    ("missing-allow-methods", Json(r#"{"allow_origins": ["https://example.com"]}"#)),
    ("missing-allow-origins", Json(r#"{"allow_methods": ["GET"]}"#)),
    ("null-origin", Json(r#"{"allow_origins": ["null"], "allow_methods": ["GET"]}"#)),
    ("open-path-covered", Json(r#"{"open_paths": ["/hooks/github", "/hooks/*", "/pay/callback", "/pay/callback", "/hooks/stripe/*"], "rules": [{"allow_origins": ["https://app.example.com"], "allow_methods": ["POST"]}, {"allow_origins": ["*"], "allow_methods": ["GET"]}]}"#)),
    ("open-path-everything", Json(r#"{"allow_origins": ["https://app.example.com"], "allow_methods": ["POST"], "open_paths": ["/*"]}"#)),
    ("open-path-grammar", Json(r#"{"allow_origins": ["https://app.example.com"], "allow_methods": ["POST"], "open_paths": ["pay/callback", "https://api.example.com/oauth/callback", "/cb?state=1", "/pay callback", "/café", "/pay%2Fcallback", ""]}"#)),
    ("open-path-not-a-string", CompileTimeOnly("a bare identifier; JSON has only the string form, which is checked as a path")),
    ("open-path-segments", Json(r#"{"allow_origins": ["https://app.example.com"], "allow_methods": ["POST"], "open_paths": ["/pay/", "/pay//callback", "/hooks/../admin", "/hooks*", "/*/callback"]}"#)),
    ("open-paths-with-protection-off", Json(r#"{"allow_origins": ["https://app.example.com"], "allow_methods": ["POST"], "cross_origin_protection": false, "open_paths": ["/pay/callback"]}"#)),
    ("origin-bad-port", Json(r#"{"allow_origins": ["https://example.com:65536", "https://example.com:08080", "https://example.com:"], "allow_methods": ["GET"]}"#)),
    ("origin-default-port", Json(r#"{"allow_origins": ["https://example.com:443"], "allow_methods": ["GET"]}"#)),
    ("origin-empty-label", Json(r#"{"allow_origins": ["https://a..example.com"], "allow_methods": ["GET"]}"#)),
    ("origin-fullwidth-host", Json(r#"{"allow_origins": ["https://ｅxample.com", "https://*.ÉXAMPLE.org"], "allow_methods": ["GET"]}"#)),
    ("origin-misplaced-wildcard", Json(r#"{"allow_origins": ["https://*example.com", "https://a.*.example.com", "https://**.example.com", "https://example.*"], "allow_methods": ["GET"]}"#)),
    ("origin-no-scheme", Json(r#"{"allow_origins": ["example.com"], "allow_methods": ["GET"]}"#)),
    ("origin-non-ascii-host", Json(r#"{"allow_origins": ["https://bücher.example"], "allow_methods": ["GET"]}"#)),
    ("origin-non-canonical-ipv4", Json(r#"{"allow_origins": ["http://127.1", "http://0x7f000001"], "allow_methods": ["GET"]}"#)),
    ("origin-non-canonical-ipv6", Json(r#"{"allow_origins": ["http://[0:0:0:0:0:0:0:1]"], "allow_methods": ["GET"]}"#)),
    ("origin-not-a-string", CompileTimeOnly(RUST_SYNTAX)),
    ("origin-path", Json(r#"{"allow_origins": ["https://example.com/app"], "allow_methods": ["GET"]}"#)),
    ("origin-query", Json(r#"{"allow_origins": ["https://example.com?x=1"], "allow_methods": ["GET"]}"#)),
    ("origin-trailing-slash", Json(r#"{"allow_origins": ["https://example.com/"], "allow_methods": ["GET"]}"#)),
    ("origin-uppercase-host", Json(r#"{"allow_origins": ["https://App.Example.com"], "allow_methods": ["GET"]}"#)),
    ("origin-uppercase-scheme", Json(r#"{"allow_origins": ["HTTPS://example.com"], "allow_methods": ["GET"]}"#)),
    ("origin-userinfo", Json(r#"{"allow_origins": ["https://user:pass@example.com"], "allow_methods": ["GET"]}"#)),
    ("origin-whitespace", Json(r#"{"allow_origins": [" https://example.com"], "allow_methods": ["GET"]}"#)),
    ("origin-wildcard-ip", Json(r#"{"allow_origins": ["http://*.127.0.0.1"], "allow_methods": ["GET"]}"#)),
    ("origin-wildcard-scheme", Json(r#"{"allow_origins": ["*://example.com"], "allow_methods": ["GET"]}"#)),
    ("policy-key-in-rule", Json(r#"[{"allow_origins": ["https://app.example.com"], "allow_methods": ["POST"], "open_paths": ["/pay/callback"]}, {"allow_origins": ["*"], "allow_methods": ["GET"], "cross_origin_protection": false, "open_path": ["/a"]}]"#)),
    ("policy-keys-wrong-kind", Json(r#"{"cross_origin_protection": "off", "open_paths": "/pay/callback", "rules": "api"}"#)),
    ("public-suffix-beneath-wildcard", Json(r#"{"allow_origins": ["https://*.amazonaws.com", "https://*.elb.amazonaws.com", "https://*.kawasaki.jp", "https://*.ck", "https://*.internal"], "allow_methods": ["GET"], "allow_credentials": true}"#)),
    ("public-suffix-wildcard-with-credentials", Json(r#"{"allow_origins": ["https://*.github.io", "https://*.co.uk"], "allow_methods": ["GET"], "allow_credentials": true}"#)),
    ("raw-identifier-method", CompileTimeOnly(RUST_SYNTAX)),
    ("redundant-method-with-star", Json(r#"{"allow_origins": ["https://example.com"], "allow_methods": ["*", "PUT"]}"#)),
    ("redundant-origin-with-star", Json(r#"{"allow_origins": ["*", "https://example.com"], "allow_methods": ["GET"]}"#)),
    ("response-header-in-allow-headers", Json(r#"{"allow_origins": ["https://example.com"], "allow_methods": ["GET"], "allow_headers": ["access-control-allow-origin"]}"#)),
    ("rule-id-too-long", Json(r#"{"id": "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "allow_origins": ["https://a.example"], "allow_methods": ["GET"]}"#)),
    ("rule-key-beside-rules", Json(r#"{"allow_credentials": true, "open_path": ["/pay/callback"], "rules": [{"allow_origins": ["https://app.example.com"], "allow_methods": ["POST"]}], "rules": [{"allow_origins": ["https://admin.example.com"], "allow_methods": ["POST"]}]}"#)),
    ("s3-bad-rules", S3File("s3/bad-rules.json")),
    ("s3-bad-syntax", S3File("s3/bad-syntax.xml")),
    ("s3-endless-file", CompileTimeOnly("reading a file: the run-time loaders take text, and their size limit is tested in cors-s3")),
    ("s3-many-errors", S3File("s3/many-errors.json")),
    ("s3-missing-file", CompileTimeOnly("reading a file: the run-time loaders take text")),
    ("s3-no-rules", S3File("s3/no-rules.json")),
    ("s3-unknown-field", S3File("s3/unknown-field.json")),
    ("several-errors", Json(r#"{"allow_origins": ["https://Example.com", "null"], "allow_methods": ["get"], "max_age": 100000}"#)),
    ("syntax-missing-colon", CompileTimeOnly(RUST_SYNTAX)),
    ("unknown-key", Json(r#"{"allow_origins": ["https://example.com"], "allow_methods": ["GET"], "allow_origin": ["https://example.com"]}"#)),
    ("unneeded-dangerous-opt-in", Json(r#"{"allow_origins": ["https://example.com"], "allow_methods": ["GET"], "allow_credentials": true, "dangerously_allow_insecure_origins": true}"#)),
    ("unreachable-rule", Json(r#"[{"allow_origins": ["*"], "allow_methods": ["GET"]}, {"id": "etag", "allow_origins": ["https://a.example.com"], "allow_methods": ["GET"], "expose_headers": ["etag"]}, {"allow_origins": ["https://*.example.org"], "allow_methods": ["GET", "PUT"], "allow_headers": ["x-*"]}, {"allow_origins": ["https://a.example.org", "https://*.b.example.org"], "allow_methods": ["PUT"], "allow_headers": ["x-a", "x-b-*"]}]"#)),
    ("wildcard-origin-with-credentials", Json(r#"{"allow_origins": ["*"], "allow_methods": ["GET"], "allow_credentials": true}"#)),
    ("wrong-type", CompileTimeOnly("the type of the `static` item is Rust syntax")),
    ("wrong-value-kind", Json(r#"{"allow_origins": "https://example.com", "allow_methods": ["GET"], "allow_credentials": "yes"}"#)),
];

fn ui() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/compile-fail/ui"))
}

/// The messages of a reviewed `.stderr` snapshot, sorted.
fn compile_time_messages(case: &str) -> Vec<String> {
    let path = ui().join(format!("{case}.stderr"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut messages: Vec<String> = text
        .lines()
        .filter_map(|line| {
            // `error: ...`, or `error[E0080]: ...` for a rustc error code.
            let rest = line.strip_prefix("error")?;
            let rest = match rest.strip_prefix('[') {
                Some(coded) => &coded[coded.find(']')? + 1..],
                None => rest,
            };
            rest.strip_prefix(": ")
        })
        .map(str::to_owned)
        .collect();
    messages.sort();
    messages
}

fn sorted(mut messages: Vec<String>) -> Vec<String> {
    messages.sort();
    messages
}

#[test]
fn every_compile_fail_case_has_a_run_time_twin() {
    let cases: BTreeSet<String> = std::fs::read_dir(ui())
        .expect("tests/compile-fail/ui")
        .filter_map(|entry| {
            let name = entry.ok()?.file_name().into_string().ok()?;
            name.strip_suffix(".rs").map(str::to_owned)
        })
        .collect();
    let rows: BTreeSet<String> = TABLE.iter().map(|(case, _)| (*case).to_owned()).collect();
    assert_eq!(
        rows, cases,
        "every tests/compile-fail/ui case needs a row in this table, and every row a case"
    );
    let mut twins = 0;
    for (case, twin) in TABLE {
        let expected = compile_time_messages(case);
        assert!(!expected.is_empty(), "{case}: no error in the snapshot");
        let got = match twin {
            Json(json) => {
                let error = Policy::from_json(json)
                    .err()
                    .unwrap_or_else(|| panic!("{case}: the JSON twin was accepted"));
                assert_eq!(error.unlisted(), 0, "{case}");
                error.problems().iter().map(|p| p.message.clone()).collect()
            }
            File(file) => {
                let text = std::fs::read_to_string(ui().join(file)).expect("fixture");
                let loaded = if file.ends_with(".toml") {
                    Policy::from_toml(&text)
                } else {
                    Policy::from_json(&text)
                };
                let error = loaded
                    .err()
                    .unwrap_or_else(|| panic!("{case}: accepted at run time"));
                let prefix = format!("`{file}`: ");
                let expected = expected
                    .iter()
                    .map(|m| m.strip_prefix(&prefix).unwrap_or(m).to_owned())
                    .collect();
                assert_eq!(
                    sorted(error.problems().iter().map(ToString::to_string).collect()),
                    sorted(expected),
                    "{case}"
                );
                twins += 1;
                continue;
            }
            S3File(file) => {
                let text = std::fs::read_to_string(ui().join(file)).expect("fixture");
                let loaded = if file.ends_with(".xml") {
                    Policy::from_s3_xml(&text)
                } else {
                    Policy::from_s3_json(&text)
                };
                let error = loaded
                    .err()
                    .unwrap_or_else(|| panic!("{case}: accepted at run time"));
                let got: Vec<String> = match &error {
                    cors_runtime::s3::LoadError::Invalid(errors) => {
                        let mut listed: Vec<String> =
                            errors.iter().map(ToString::to_string).collect();
                        if errors.unlisted() > 0 {
                            listed.push(format!(
                                "and {} more problems (only the first {} are listed)",
                                errors.unlisted(),
                                errors.listed().len()
                            ));
                        }
                        listed
                    }
                    other => vec![other.to_string()],
                };
                let prefix = format!("`{file}`: ");
                let expected: Vec<String> = expected
                    .iter()
                    .map(|m| {
                        let m = m.strip_prefix(&prefix).unwrap_or(m);
                        match m.rfind(" (S3 would answer ") {
                            Some(note) => m[..note].to_owned(),
                            None => m.to_owned(),
                        }
                    })
                    .collect();
                assert_eq!(sorted(got), sorted(expected), "{case}");
                twins += 1;
                continue;
            }
            AwsFile(file, format) => {
                let text = std::fs::read_to_string(ui().join(file)).expect("fixture");
                let error = Policy::from_aws(*format, &text)
                    .err()
                    .unwrap_or_else(|| panic!("{case}: accepted at run time"));
                assert_eq!(error.total(), error.problems().len(), "{case}");
                let prefix = format!("`{file}` ({}): ", format.as_str());
                let expected: Vec<String> = expected
                    .iter()
                    .map(|m| m.strip_prefix(&prefix).unwrap_or(m).to_owned())
                    .collect();
                assert_eq!(
                    sorted(error.problems().iter().map(ToString::to_string).collect()),
                    sorted(expected),
                    "{case}"
                );
                twins += 1;
                continue;
            }
            CompileTimeOnly(reason) => {
                assert!(!reason.is_empty());
                continue;
            }
        };
        assert_eq!(sorted(got), expected, "{case}");
        twins += 1;
    }
    println!("{twins} compile-fail cases have run-time twins");
    assert!(twins >= 60, "{twins}");
}
