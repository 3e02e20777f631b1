//! The run-time configured API: the shipped TOML file, the environment,
//! and a bad policy refused with every problem listed.

use std::path::Path;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use cors_examples::config_server::{load, router};
use tower::ServiceExt;

fn shipped() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/cors.toml"))
}

#[tokio::test]
async fn the_shipped_file_configures_the_api() {
    let policy = load(Some(shipped()), Vec::new()).expect("examples/cors.toml is valid");
    assert_eq!(policy.rule_count(), 2);
    let app = router(Box::leak(Box::new(policy)));
    let preflight = Request::builder()
        .method("OPTIONS")
        .uri("/items/1")
        .header("origin", "http://localhost:5173")
        .header("access-control-request-method", "PUT")
        .header("access-control-request-headers", "content-type")
        .body(Body::empty())
        .expect("request");
    let response = app.clone().oneshot(preflight).await.expect("infallible");
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        response.headers()["access-control-allow-origin"],
        "http://localhost:5173"
    );
    assert_eq!(
        response.headers()["access-control-allow-credentials"],
        "true"
    );
    let denied = Request::builder()
        .method("OPTIONS")
        .uri("/items/1")
        .header("origin", "https://evil.example.net")
        .header("access-control-request-method", "PUT")
        .body(Body::empty())
        .expect("request");
    let response = app.oneshot(denied).await.expect("infallible");
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}

#[test]
fn the_environment_configures_it_when_no_file_is_named() {
    let variables = [
        ("CORS_ALLOW_ORIGINS", "https://app.example.com"),
        ("CORS_ALLOW_METHODS", "GET, PUT"),
        ("CORS_POLICY_FILE", "ignored when the file is not used"),
        ("HOME", "/root"),
    ]
    .map(|(k, v)| (k.to_owned(), v.to_owned()));
    let policy = load(None, variables).expect("valid");
    assert_eq!(policy.rule_count(), 1);
}

#[test]
fn a_bad_policy_lists_every_problem() {
    let dir = std::env::temp_dir().join(format!("cors-config-server-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let bad = dir.join("bad.json");
    std::fs::write(
        &bad,
        r#"{"allow_origins": ["*", "null"], "allow_methods": ["get"], "allow_credentials": true, "max_age": -5}"#,
    )
    .expect("write");
    let error = load(Some(&bad), Vec::new()).expect_err("refused");
    for expected in [
        "allow_origins[0]: the `\"*\"` origin cannot be combined with `allow_credentials: true`",
        "allow_origins[1]: the `null` origin cannot be allowed",
        "allow_methods[0]: write `GET`, not `get`",
        "max_age: `max_age` cannot be negative",
    ] {
        assert!(error.contains(expected), "{expected}\n{error}");
    }
    let typo = load(
        None,
        [(
            "CORS_ALLOW_ORIGIN".to_owned(),
            "https://a.example".to_owned(),
        )],
    )
    .expect_err("refused");
    assert!(
        typo.contains("CORS_ALLOW_ORIGIN: unknown key `allow_origin`"),
        "{typo}"
    );
    let _ = std::fs::remove_dir_all(dir);
}

/// An endless file is refused after reading one byte past the limit, not
/// read until memory runs out.
#[test]
fn an_endless_policy_file_is_refused_at_the_limit() {
    let error = load(Some(Path::new("/dev/zero")), Vec::new()).expect_err("refused");
    assert!(error.contains("is larger than 1048576 bytes"), "{error}");
}

/// Variables that are not ours are skipped whatever their bytes; one of
/// ours that is not UTF-8 is an error naming it.
#[cfg(unix)]
#[test]
fn the_environment_is_read_without_panicking_on_other_bytes() {
    use cors_examples::config_server::policy_variables;
    use std::ffi::OsString;
    use std::os::unix::ffi::OsStringExt;
    let not_utf8 = || OsString::from_vec(vec![0xff, 0xfe]);
    let ours = policy_variables([
        (not_utf8(), OsString::from("x")),
        (OsString::from("OTHER"), not_utf8()),
        (OsString::from("CORS_ALLOW_METHODS"), OsString::from("GET")),
    ])
    .expect("only ours are read");
    assert_eq!(
        ours,
        vec![(String::from("CORS_ALLOW_METHODS"), String::from("GET"))]
    );
    let error = policy_variables([(OsString::from("CORS_ALLOW_ORIGINS"), not_utf8())])
        .expect_err("ours must be UTF-8");
    assert!(error.contains("CORS_ALLOW_ORIGINS is not UTF-8"), "{error}");
}

/// The run-time limits reach the example: a huge file that is not endless,
/// a document nested past the limit, a variable set but empty, and one past
/// the size limit, each refused with a message that names the limit or
/// the fix, in well under a second.
#[test]
fn hostile_files_and_variables_are_refused_quickly() {
    let dir =
        std::env::temp_dir().join(format!("cors-config-server-limits-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let huge = dir.join("huge.toml");
    std::fs::write(&huge, " ".repeat(8 << 20)).expect("write");
    let nested = dir.join("nested.toml");
    std::fs::write(&nested, format!("a = {}", "[".repeat(80))).expect("write");
    let start = std::time::Instant::now();
    let error = load(Some(&huge), Vec::new()).expect_err("too large");
    assert!(error.contains("is larger than 1048576 bytes"), "{error}");
    let error = load(Some(&nested), Vec::new()).expect_err("too deep");
    assert!(
        error.contains("a policy document nests at most 8"),
        "{error}"
    );
    let variables = |pairs: &[(&str, String)]| {
        pairs
            .iter()
            .map(|(name, value)| ((*name).to_owned(), value.clone()))
            .collect::<Vec<_>>()
    };
    let error = load(
        None,
        variables(&[
            ("CORS_ALLOW_ORIGINS", "https://app.example.com".into()),
            ("CORS_ALLOW_METHODS", "GET".into()),
            ("CORS_ALLOW_HEADERS", String::new()),
        ]),
    )
    .expect_err("set but empty");
    assert!(
        error.contains("CORS_ALLOW_HEADERS: the variable is set but empty")
            && error.contains("`unset CORS_ALLOW_HEADERS`"),
        "{error}"
    );
    let error = load(
        None,
        variables(&[
            (
                "CORS_ALLOW_ORIGINS",
                "https://a.example.com,".repeat(1 << 20),
            ),
            ("CORS_ALLOW_METHODS", "GET".into()),
        ]),
    )
    .expect_err("too large");
    assert!(
        error.contains("a policy variable has at most 1048576 bytes"),
        "{error}"
    );
    assert!(start.elapsed() < std::time::Duration::from_secs(5));
    let _ = std::fs::remove_dir_all(dir);
}
