//! An API whose CORS policy is chosen per deployment:
//!
//! ```sh
//! CORS_POLICY_FILE=examples/cors.toml cargo run --example config_server
//! CORS_ALLOW_ORIGINS=https://app.example.com CORS_ALLOW_METHODS=GET,PUT cargo run --example config_server
//! ```
//!
//! The policy is checked by the same checker as `cors_policy!`; a bad one is
//! refused at start-up with every problem listed, and the server exits
//! non-zero. Listens on 127.0.0.1:8082 (`CONFIG_SERVER_PORT` to change).

use std::path::PathBuf;
use std::process::ExitCode;

use cors_examples::config_server::{load, policy_variables, router, POLICY_FILE};
use cors_examples::ports::{listen, Server};

#[tokio::main]
async fn main() -> ExitCode {
    let file = std::env::var_os(POLICY_FILE).map(PathBuf::from);
    let policy = match policy_variables(std::env::vars_os())
        .and_then(|variables| load(file.as_deref(), variables))
    {
        Ok(policy) => policy,
        Err(problems) => {
            eprintln!("config_server: refusing to start with this CORS policy.\n{problems}");
            return ExitCode::FAILURE;
        }
    };
    // Loaded once and kept for the life of the process: the tower layer
    // takes a `&'static Policy`.
    let policy: &'static cors_runtime::Policy = Box::leak(Box::new(policy));
    let server = Server {
        role: "the config server",
        variable: "CONFIG_SERVER_PORT",
        default: 8082,
        command: "cargo run --example config_server",
    };
    let listener = match listen(server, std::env::var(server.variable).ok())
        .and_then(|l| tokio::net::TcpListener::from_std(l).map_err(|e| e.to_string()))
    {
        Ok(listener) => listener,
        Err(message) => {
            eprintln!("config_server: {message}");
            return ExitCode::FAILURE;
        }
    };
    match listener.local_addr() {
        Ok(address) => println!(
            "API on http://{address} with a policy of {} rule(s); try\n  curl -i -X OPTIONS http://{address}/items/1 -H 'Origin: https://app.example.com' -H 'Access-Control-Request-Method: PUT'",
            policy.rule_count()
        ),
        Err(error) => eprintln!("config_server: {error}"),
    }
    match axum::serve(listener, router(policy)).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("config_server: {error}");
            ExitCode::FAILURE
        }
    }
}
