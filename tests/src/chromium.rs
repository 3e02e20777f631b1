//! Headless Chromium for the browser suites: finding `chromium` and
//! `chromedriver`, skipping (or failing, with `CORS_E2E_REQUIRED`) when they
//! are missing, and running chromedriver for one test. Standard library
//! only: the WebDriver client belongs to the test.

use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Where the browser and its driver are installed.
#[derive(Debug, Clone)]
pub struct Installed {
    /// The Chromium binary (`CHROMIUM`, else `chromium`, `chromium-browser`
    /// or `google-chrome` on the `PATH`).
    pub chromium: PathBuf,
    /// The ChromeDriver binary (`CHROMEDRIVER`, else `chromedriver`).
    pub chromedriver: PathBuf,
}

/// `variable`'s path if it is set, else the first of `names` found on the
/// `PATH`.
pub fn program(variable: &str, names: &[&str]) -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(variable) {
        return Some(PathBuf::from(path));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |name| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

/// Chromium and ChromeDriver, or `None` after writing why the test named
/// `test` is skipped.
///
/// # Panics
/// When they are missing and `CORS_E2E_REQUIRED` is set (as CI does): a
/// missing browser is then a failure, never a skip.
pub fn installed_or_skip(test: &str) -> Option<Installed> {
    let chromium = program(
        "CHROMIUM",
        &["chromium", "chromium-browser", "google-chrome"],
    );
    let chromedriver = program("CHROMEDRIVER", &["chromedriver"]);
    if let (Some(chromium), Some(chromedriver)) = (chromium, chromedriver) {
        return Some(Installed {
            chromium,
            chromedriver,
        });
    }
    assert!(
        std::env::var_os("CORS_E2E_REQUIRED").is_none(),
        "CORS_E2E_REQUIRED is set but {test} cannot run: chromium and chromedriver are not installed (apt-get install chromium chromium-driver)"
    );
    // Written to the process's stderr itself, not through `eprintln!`,
    // which the test harness captures and hides for a passing test: the
    // skip must show in the normal `cargo test` output.
    let _ = writeln!(
        io::stderr(),
        "\nSKIPPED {test}: the browser end-to-end suite did not run: chromium and chromedriver are not installed (apt-get install chromium chromium-driver; set CORS_E2E_REQUIRED=1 to make this a failure)"
    );
    None
}

/// A running chromedriver, killed (and its browser profile removed) when
/// dropped, however the test ends.
#[derive(Debug)]
pub struct Chromedriver {
    child: Child,
    port: u16,
    chromium: PathBuf,
    profile: PathBuf,
}

impl Chromedriver {
    /// Starts chromedriver on a free loopback port, with a browser profile
    /// directory of its own named after `session` (tests that run at once
    /// need different names), and waits until it answers `GET /status`
    /// with `"ready": true`.
    ///
    /// The port is found by binding port 0 and releasing it, so another
    /// listener of the same process can take it before chromedriver does:
    /// chromedriver then exits, or something else answers on the port.
    /// Either way this starts again on a new port, up to three times, and
    /// only a ready chromedriver of our own is returned.
    pub fn start(installed: &Installed, session: &str, patience: Duration) -> io::Result<Self> {
        let mut last_error = None;
        for _ in 0..3 {
            let mut driver = Self::spawn(installed, session)?;
            match driver.wait_until_ready(patience) {
                Ok(()) => return Ok(driver),
                Err(error) => last_error = Some(error),
            }
        }
        Err(last_error.unwrap_or_else(|| io::Error::other("chromedriver did not start")))
    }

    fn spawn(installed: &Installed, session: &str) -> io::Result<Self> {
        let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?
            .local_addr()?
            .port();
        let child = Command::new(&installed.chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        let profile =
            std::env::temp_dir().join(format!("cors-e2e-profile-{}-{session}", std::process::id()));
        Ok(Chromedriver {
            child,
            port,
            chromium: installed.chromium.clone(),
            profile,
        })
    }

    /// Polls `GET /status` until chromedriver says it is ready; fails when
    /// the process has exited or `patience` runs out.
    fn wait_until_ready(&mut self, patience: Duration) -> io::Result<()> {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait()? {
                return Err(io::Error::other(format!(
                    "chromedriver exited ({status}) before it was ready on port {}",
                    self.port
                )));
            }
            if self.status_is_ready() {
                return Ok(());
            }
            if started.elapsed() > patience {
                return Err(io::Error::other(format!(
                    "chromedriver was not ready on port {} after {patience:?}",
                    self.port
                )));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Whether the port answers `GET /status` with a WebDriver status that
    /// says ready (another server on the port does not).
    fn status_is_ready(&self) -> bool {
        let Ok(mut stream) = TcpStream::connect((Ipv4Addr::LOCALHOST, self.port)) else {
            return false;
        };
        let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
        let request = format!(
            "GET /status HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
            self.port
        );
        if stream.write_all(request.as_bytes()).is_err() {
            return false;
        }
        let mut answer = Vec::new();
        let _ = stream.take(64 * 1024).read_to_end(&mut answer);
        let answer = String::from_utf8_lossy(&answer);
        let compact: String = answer.chars().filter(|c| !c.is_whitespace()).collect();
        compact.contains("\"ready\":true")
    }

    /// The WebDriver URL to connect to.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The Chromium binary, for the session's `goog:chromeOptions.binary`.
    pub fn chromium(&self) -> &PathBuf {
        &self.chromium
    }

    /// The arguments for the session's `goog:chromeOptions.args`: headless,
    /// no background traffic, this driver's own profile directory.
    pub fn chromium_args(&self) -> Vec<String> {
        let mut args: Vec<String> = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ]
        .map(str::to_owned)
        .into();
        args.push(format!("--user-data-dir={}", self.profile.display()));
        args
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}
