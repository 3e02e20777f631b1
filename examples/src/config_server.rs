//! The API of `cargo run --example config_server`: its CORS policy is
//! known only at run time, from a file named by `CORS_POLICY_FILE` (TOML,
//! or JSON when the name ends in `.json`) or, when that is unset, from
//! `CORS_*` environment variables, and is checked by the same checker as
//! `cors_policy!`.

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
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
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
