//! The API of `cargo run --example config_server`: its CORS policy is
//! known only at run time, from a file named by `CORS_POLICY_FILE` (TOML,
//! or JSON when the name ends in `.json`) or, when that is unset, from
//! `CORS_*` environment variables, and is checked by the same checker as
//! `cors_policy!`.

use std::ffi::OsString;
use std::io::Read;
use std::path::Path;

use axum::routing::get;
use axum::Router;
use cors_runtime::tower::CorsLayer;
use cors_runtime::Policy;

/// The environment variable naming the policy file.
pub const POLICY_FILE: &str = "CORS_POLICY_FILE";

/// The prefix of the policy's environment variables (`CORS_ALLOW_ORIGINS`, ...).
pub const ENV_PREFIX: &str = "CORS";

/// Loads the policy from `file` when given, else from the `CORS_*`
/// variables among `variables` (`CORS_POLICY_FILE` itself excluded). The
/// error lists every problem, one per line, naming where it is.
pub fn load(
    file: Option<&Path>,
    variables: impl IntoIterator<Item = (String, String)>,
) -> Result<Policy, String> {
    match file {
        Some(path) => {
            let text = read_bounded(path)?;
            let loaded = if path.extension().is_some_and(|ext| ext == "json") {
                Policy::from_json(&text)
            } else {
                Policy::from_toml(&text)
            };
            loaded.map_err(|error| format!("{}:\n{error}", path.display()))
        }
        None => {
            let variables = variables
                .into_iter()
                .filter(|(name, _)| name != POLICY_FILE);
            Policy::from_env_vars(ENV_PREFIX, variables)
                .map_err(|error| format!("the {ENV_PREFIX}_* environment variables:\n{error}"))
        }
    }
}

/// The policy file's text, read up to one byte past the limit so that a
/// huge or endless file (`/dev/zero`) is refused without being read whole.
fn read_bounded(path: &Path) -> Result<String, String> {
    let limit = cors_runtime::config::MAX_DOCUMENT_LEN;
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|file| file.take(limit as u64 + 1).read_to_end(&mut bytes))
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    if bytes.len() > limit {
        return Err(format!(
            "{} is larger than {limit} bytes, the most a policy document may have",
            path.display()
        ));
    }
    String::from_utf8(bytes).map_err(|_| format!("{} is not UTF-8 text", path.display()))
}

/// The `CORS_*` variables of an environment given as `vars_os` gives it:
/// other variables are skipped whatever their bytes, and one of ours whose
/// name or value is not UTF-8 is an error that names it.
pub fn policy_variables(
    variables: impl IntoIterator<Item = (OsString, OsString)>,
) -> Result<Vec<(String, String)>, String> {
    let prefix = format!("{ENV_PREFIX}_");
    let mut ours = Vec::new();
    for (name, value) in variables {
        if !name.as_encoded_bytes().starts_with(prefix.as_bytes()) {
            continue;
        }
        let shown = name.to_string_lossy().into_owned();
        let name = name
            .into_string()
            .map_err(|_| format!("the variable {shown} has a name that is not UTF-8"))?;
        let value = value
            .into_string()
            .map_err(|_| format!("{name} is not UTF-8 text; write it in UTF-8"))?;
        ours.push((name, value));
    }
    Ok(ours)
}

/// The API behind the policy: `GET /items`, `PUT`/`DELETE /items/{id}`.
pub fn router(policy: &'static Policy) -> Router {
    Router::new()
        .route("/items", get(|| async { "[]" }))
        .route(
            "/items/{id}",
            axum::routing::put(|| async { "stored" }).delete(|| async { "deleted" }),
        )
        .layer(CorsLayer::new(policy))
}
