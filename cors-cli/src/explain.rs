//! `cors-cli explain`: the arguments, the request they describe, and what
//! the policy says about it.

use std::process::ExitCode;

use clap::error::ErrorKind;
use cors_runtime::RequestKind;
use http::{HeaderMap, HeaderName, HeaderValue, Method, Request, Uri};

use crate::format::{Format, Loaded};
use crate::verdict;

/// The request an `explain` command describes, as the parts a probe may
/// change: [`RequestSpec::request`] builds it.
#[derive(Debug, Clone)]
pub(crate) struct RequestSpec {
    /// The request's method.
    pub(crate) method: Method,
    /// The request's URI: a path, without an authority.
    pub(crate) uri: Uri,
    /// `Host`, if any.
    pub(crate) host: Option<HeaderValue>,
    /// `Origin`, if any.
    pub(crate) origin: Option<HeaderValue>,
    /// `Sec-Fetch-Site`, if any.
    pub(crate) sec_fetch_site: Option<HeaderValue>,
    /// Every other header.
    pub(crate) headers: HeaderMap,
}

impl RequestSpec {
    /// The request itself.
    pub(crate) fn request(&self) -> Request<()> {
        let mut request = Request::new(());
        *request.method_mut() = self.method.clone();
        *request.uri_mut() = self.uri.clone();
        let headers = request.headers_mut();
        for (name, value) in [
            (http::header::HOST, &self.host),
            (http::header::ORIGIN, &self.origin),
            (
                HeaderName::from_static("sec-fetch-site"),
                &self.sec_fetch_site,
            ),
        ] {
            if let Some(value) = value {
                headers.insert(name, value.clone());
            }
        }
        for (name, value) in &self.headers {
            headers.append(name, value.clone());
        }
        request
    }
}

/// `explain --help`: what `explain` prints.
pub(crate) const LONG_ABOUT: &str = "\
Explain how a policy answers a request: the decision, the status and the response headers.

Sends a preflight for --method with the --headers, or with --actual the request itself, and
prints the decision in one line (which rule allowed the request, or why it was denied), then
the status the middleware answers with itself and the exact response headers. For a write (any
method but GET, HEAD, OPTIONS) or a WebSocket handshake, also prints the cross-origin
protection's verdict: `cross-origin protection: passes (why)` or
`cross-origin protection: refused (403): why`.";

/// The tail of `explain --help`: the exit status.
pub(crate) const AFTER_HELP: &str = "\
Exit status: 0 when the policy allows the request (or, without --origin, when the protection
lets it through); 1 when the policy denies it or the cross-origin protection refuses it
(answered 403, the service never called), or the policy file has problems; 2 on a usage error
or an unreadable file.";

/// The heading of the flags that describe the request itself.
const REQUEST_HEADING: &str =
    "The request itself (these imply --actual; --origin becomes optional)";

/// The arguments of `explain`.
#[derive(Debug, clap::Args)]
pub(crate) struct Explain {
    /// The policy file's format [default: told from its extension and first bytes]
    #[arg(long, value_name = "FORMAT")]
    from: Option<Format>,
    /// The policy file; `-` reads standard input
    #[arg(long, value_name = "FILE")]
    policy: String,
    /// The request's Origin (optional with the flags that describe the request itself)
    #[arg(long, value_name = "ORIGIN", required_unless_present_any = [
        "sec_fetch_site", "cookie", "authorization", "websocket", "path", "host",
    ])]
    origin: Option<String>,
    /// The request's method: the one a preflight asks for, or with --actual the request's own
    #[arg(long, value_name = "METHOD", default_value = "GET")]
    method: String,
    /// A header the request sends, in its preflight's Access-Control-Request-Headers (repeatable)
    #[arg(long = "header", value_name = "NAME")]
    headers: Vec<String>,
    /// Send the request itself, not its preflight
    #[arg(long)]
    actual: bool,
    /// The request's Sec-Fetch-Site, any value (the policy decides what counts)
    #[arg(long, value_name = "VALUE", help_heading = REQUEST_HEADING)]
    sec_fetch_site: Option<String>,
    /// The request carries a Cookie header
    #[arg(long, help_heading = REQUEST_HEADING)]
    cookie: bool,
    /// The request carries `Authorization: SCHEME x` (Basic, Bearer, ...)
    #[arg(long, value_name = "SCHEME", help_heading = REQUEST_HEADING)]
    authorization: Option<String>,
    /// A WebSocket handshake: GET with `Upgrade: websocket` (no other --method)
    #[arg(long, help_heading = REQUEST_HEADING)]
    websocket: bool,
    /// The request's path, for the policy's open paths [default: /]
    #[arg(long, value_name = "PATH", help_heading = REQUEST_HEADING)]
    path: Option<String>,
    /// The request's Host (without it, a write with an Origin and no Sec-Fetch-Site is cross-origin)
    #[arg(long, value_name = "HOST", help_heading = REQUEST_HEADING)]
    host: Option<String>,
}

impl Explain {
    /// The checks clap cannot express: `--websocket` with another method.
    fn validate(&self) -> Result<(), String> {
        if self.websocket && self.method != "GET" {
            return Err(format!(
                "--websocket is a GET handshake; it cannot be sent with --method {}",
                self.method
            ));
        }
        Ok(())
    }

    /// Whether a flag describes the request itself (what the cross-origin
    /// protection judges), which makes `explain` send the actual request.
    fn describes_the_request(&self) -> bool {
        self.sec_fetch_site.is_some()
            || self.cookie
            || self.authorization.is_some()
            || self.websocket
            || self.path.is_some()
            || self.host.is_some()
    }

    /// The request these arguments describe.
    fn request(&self) -> Result<RequestSpec, String> {
        let value = |flag: &str, text: &str| {
            HeaderValue::from_str(text)
                .map_err(|_| format!("{flag} `{text}` is not a valid header value"))
        };
        let method = self.method.as_str();
        let path = self.path.as_deref().unwrap_or("/");
        let uri = path
            .parse::<Uri>()
            .ok()
            .filter(|uri| path.starts_with('/') && uri.authority().is_none())
            .ok_or_else(|| format!("--path `{path}` is not a path starting with `/`"))?;
        let host = match &self.host {
            Some(host) => {
                host.parse::<http::uri::Authority>().map_err(|_| {
                    format!("--host `{host}` is not a host[:port], e.g. api.example.com")
                })?;
                Some(value("--host", host)?)
            }
            None => None,
        };
        let mut headers = HeaderMap::new();
        let actual = self.actual || self.describes_the_request();
        let method = if actual {
            for header in &self.headers {
                let name = HeaderName::from_bytes(header.as_bytes())
                    .map_err(|_| format!("`{header}` is not a header name"))?;
                headers.append(name, HeaderValue::from_static("1"));
            }
            Method::from_bytes(method.as_bytes())
                .map_err(|_| format!("`{method}` is not a method"))?
        } else {
            headers.insert(
                http::header::ACCESS_CONTROL_REQUEST_METHOD,
                value("--method", method)?,
            );
            if !self.headers.is_empty() {
                headers.insert(
                    http::header::ACCESS_CONTROL_REQUEST_HEADERS,
                    value("--header", &self.headers.join(","))?,
                );
            }
            Method::OPTIONS
        };
        if self.cookie {
            headers.insert(http::header::COOKIE, HeaderValue::from_static("session=x"));
        }
        if let Some(scheme) = &self.authorization {
            headers.insert(
                http::header::AUTHORIZATION,
                value("--authorization", &format!("{scheme} x"))?,
            );
        }
        if self.websocket {
            headers.insert(http::header::UPGRADE, HeaderValue::from_static("websocket"));
            headers.insert(
                http::header::CONNECTION,
                HeaderValue::from_static("upgrade"),
            );
        }
        Ok(RequestSpec {
            method,
            uri,
            host,
            origin: self
                .origin
                .as_deref()
                .map(|origin| value("--origin", origin))
                .transpose()?,
            sec_fetch_site: self
                .sec_fetch_site
                .as_deref()
                .map(|site| value("--sec-fetch-site", site))
                .transpose()?,
            headers,
        })
    }
}

/// Runs `explain`: `Err` is a usage error or an unreadable file (exit 2).
pub(crate) fn run(args: &Explain) -> Result<ExitCode, clap::Error> {
    args.validate()
        .map_err(|e| crate::usage_error("explain", ErrorKind::ArgumentConflict, e))?;
    let spec = args
        .request()
        .map_err(|e| crate::usage_error("explain", ErrorKind::ValueValidation, e))?;
    let policy = match crate::load(&args.policy, args.from)? {
        Ok(Loaded::Policy(policy)) => *policy,
        // Answered as the service does, by the policy `Policy::from_aws` loads.
        Ok(Loaded::Aws(format, cors)) => {
            match cors_runtime::Policy::from_aws_configuration(format, &cors) {
                Ok(policy) => policy,
                Err(error) => {
                    println!(
                        "{}: cannot be answered as a policy:\n{}",
                        crate::display_name(&args.policy),
                        crate::format::aws_problems(&error)
                    );
                    return Ok(ExitCode::FAILURE);
                }
            }
        }
        Err(problems) => {
            println!("{}:\n{problems}", crate::display_name(&args.policy));
            return Ok(ExitCode::FAILURE);
        }
    };
    let request = spec.request();
    let decision = policy.evaluate_request(&request);
    // The verdict line: for a write or handshake (as the method and flags
    // describe it), and whenever the protection refuses.
    let write = !matches!(spec.method, Method::GET | Method::HEAD | Method::OPTIONS);
    let judged = decision.kind() != RequestKind::Preflight
        && (write || args.describes_the_request() || decision.is_refused());
    // A refused decision is the refusal itself: the verdict line says it.
    if !decision.is_refused() {
        println!("{decision}");
    }
    if judged {
        let verdict = verdict::line(&spec, &decision);
        println!("cross-origin protection: {verdict}");
    }
    if let Some(status) = decision.preflight_status() {
        println!("status: {}", status.as_u16());
    }
    let mut response = HeaderMap::new();
    decision.apply(&mut response);
    for (name, value) in &response {
        println!("{name}: {}", value.to_str().unwrap_or("<not text>"));
    }
    // Allowed, or no Origin (not CORS) and not refused: the request gets
    // the answer it asked for.
    let passed = decision.is_allowed()
        || (decision.kind() == RequestKind::NotCors && !decision.is_refused());
    Ok(if passed {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
