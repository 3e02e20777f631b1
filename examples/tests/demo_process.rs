//! The demo binary itself, with its stdout gone: `demo | head -n 4` reads the
//! four lines the demo starts with and exits, and every later line the demo
//! prints meets a broken pipe. Each request must still be answered (a
//! `println!` would panic there and drop the connection).
//!
//! `cargo test` builds the examples before it runs the tests, so the binary
//! sits in `target/<profile>/examples/`; run alone (`--test demo_process`
//! without the example built), the test builds it first with the `cargo`
//! that runs it. `DEMO_BIN=path/to/demo` runs it against another build of
//! the demo.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// `$DEMO_BIN`, or `target/<profile>/examples/demo`, beside this test's
/// `deps` folder (built if it is not there).
fn demo_binary() -> Option<PathBuf> {
    if let Some(demo) = std::env::var_os("DEMO_BIN") {
        return Some(demo.into());
    }
    let test = std::env::current_exe().ok()?;
    let profile = test.parent()?.parent()?;
    let demo = profile
        .join("examples")
        .join(format!("demo{}", std::env::consts::EXE_SUFFIX));
    if !demo.is_file() {
        // Built in this test's profile, into the target directory it runs from.
        let mut build = Command::new(env!("CARGO"));
        build.args(["build", "-p", "cors-examples", "--example", "demo"]);
        if profile.file_name().is_some_and(|name| name == "release") {
            build.arg("--release");
        }
        let built = build.status().ok()?;
        assert!(built.success(), "cargo build --example demo failed");
    }
    demo.is_file().then_some(demo)
}

/// Two different ports free a moment ago (both held until both are
/// known, so they cannot be the same port).
fn two_free_ports() -> (u16, u16) {
    let bind = || TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("a free port");
    let (first, second) = (bind(), bind());
    let port = |listener: &TcpListener| listener.local_addr().expect("address").port();
    (port(&first), port(&second))
}

/// The status of `GET /api/hello?rid=...` on `port`, 0 when the connection
/// closed without an answer.
fn hello_status(port: u16, rid: &str) -> u16 {
    let mut stream = TcpStream::connect((Ipv4Addr::LOCALHOST, port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let request = format!(
        "GET /api/hello?rid={rid} HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://localhost:8080\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).expect("send");
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer
        .split(' ')
        .nth(1)
        .and_then(|status| status.parse().ok())
        .unwrap_or(0)
}

/// Kills the demo when the test ends, passed or not.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn the_demo_answers_with_its_stdout_gone() {
    let demo = demo_binary().expect("the demo example, built");
    let (page_port, api_port) = two_free_ports();
    let mut child = Command::new(demo)
        .env("DEMO_PAGE_PORT", page_port.to_string())
        .env("DEMO_API_PORT", api_port.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the demo starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut stderr = child.stderr.take().expect("stderr");
    let running = Running(child);
    // What `head -n 4` does: read the first four lines, then close.
    let mut lines = BufReader::new(stdout).lines();
    for _ in 0..4 {
        let line = lines.next().expect("a line").expect("text");
        assert!(!line.is_empty());
    }
    drop(lines);
    let deadline = Instant::now() + Duration::from_secs(10);
    while TcpStream::connect((Ipv4Addr::LOCALHOST, api_port)).is_err() {
        assert!(Instant::now() < deadline, "the API listens");
        std::thread::sleep(Duration::from_millis(20));
    }
    for n in 0..3 {
        assert_eq!(
            hello_status(api_port, &format!("gone{n}")),
            200,
            "request {n}"
        );
    }
    drop(running);
    let mut errors = String::new();
    let _ = stderr.read_to_string(&mut errors);
    assert!(!errors.contains("panicked"), "{errors}");
}
