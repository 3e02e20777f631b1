//! Where the example servers listen: a port from an environment variable or
//! its default, on 127.0.0.1 only, and a message that says what to do when
//! the port is taken or the variable is not a port.

use std::net::{Ipv4Addr, SocketAddr, TcpListener};

/// The server to bind: its name in messages, the environment variable that
/// chooses its port, its default port, and the command that runs it.
#[derive(Debug, Clone, Copy)]
pub struct Server<'a> {
    /// e.g. "the demo page".
    pub role: &'a str,
    /// e.g. `DEMO_PAGE_PORT`.
    pub variable: &'a str,
    /// The port when the variable is unset.
    pub default: u16,
    /// e.g. `cargo run --example demo`.
    pub command: &'a str,
}

/// Binds 127.0.0.1 on the port `value` of the server's variable (e.g.
/// `std::env::var(variable).ok()`), or on its default port.
pub fn listen(server: Server<'_>, value: Option<String>) -> Result<TcpListener, String> {
    let Server {
        role,
        variable,
        default,
        command,
    } = server;
    let port = match value {
        None => default,
        Some(text) => match text.trim().parse::<u16>() {
            Ok(port) if port != 0 => port,
            _ => {
                return Err(format!(
                    "{variable}={text:?} is not a port: use a number from 1 to 65535, e.g. `{variable}={} {command}`",
                    suggestion(default)
                ))
            }
        },
    };
    TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port)))
        .and_then(|listener| listener.set_nonblocking(true).map(|()| listener))
        .map_err(|error| {
            let how = format!(
                "choose another port with {variable}, e.g. `{variable}={} {command}`",
                suggestion(port)
            );
            if error.kind() == std::io::ErrorKind::AddrInUse {
                format!("port {port} ({role}) is already in use, probably by another server; {how}")
            } else {
                format!("cannot listen on 127.0.0.1:{port} ({role}): {error}; {how}")
            }
        })
}

/// A nearby port to suggest instead of `port`.
fn suggestion(port: u16) -> u16 {
    port.checked_add(10).unwrap_or(8090)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: Server<'static> = Server {
        role: "the demo page",
        variable: "DEMO_PAGE_PORT",
        default: 8080,
        command: "cargo run --example demo",
    };

    #[test]
    fn a_busy_port_says_which_and_how_to_choose_another() {
        let busy = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind");
        let port = busy.local_addr().expect("address").port();
        let error = listen(PAGE, Some(port.to_string())).expect_err("the port is taken");
        assert!(
            error.contains(&format!("port {port} (the demo page) is already in use")),
            "{error}"
        );
        let how = format!("`DEMO_PAGE_PORT={} cargo run --example demo`", port + 10);
        assert!(error.contains(&how), "{error}");
    }

    #[test]
    fn a_bad_value_is_refused_not_replaced() {
        for bad in ["abc", "0", "70000", ""] {
            let error = listen(PAGE, Some(bad.into())).expect_err(bad);
            assert!(error.starts_with("DEMO_PAGE_PORT="), "{error}");
        }
    }

    #[test]
    fn a_free_port_is_bound() {
        let free = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let listener = listen(PAGE, Some(free.to_string())).expect("free");
        assert_eq!(listener.local_addr().expect("address").port(), free);
    }
}
