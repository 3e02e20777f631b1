//! `cors-cli explain`: the arguments, the request they describe, and what
//! the policy says about it.

use std::process::ExitCode;

use cors_runtime::RequestKind;
use http::{HeaderMap, HeaderName, HeaderValue, Method, Request, Uri};

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

/// What the command line of `explain` says.
#[derive(Debug, Default)]
struct Args {
    policy: Option<String>,
    origin: Option<String>,
    method: Option<String>,
    headers: Vec<String>,
    actual: bool,
    sec_fetch_site: Option<String>,
    cookie: bool,
    authorization: Option<String>,
    websocket: bool,
    path: Option<String>,
    host: Option<String>,
}

impl Args {
    fn parse(args: &[String]) -> Result<Args, String> {
        let mut parsed = Args::default();
        let mut rest = args.iter();
        while let Some(arg) = rest.next() {
            let mut value = || {
                rest.next()
                    .cloned()
                    .ok_or_else(|| format!("{arg} needs a value"))
            };
            match arg.as_str() {
                "--policy" => parsed.policy = Some(value()?),
                "--origin" => parsed.origin = Some(value()?),
                "--method" => parsed.method = Some(value()?),
                "--header" => parsed.headers.push(value()?),
                "--actual" => parsed.actual = true,
                "--sec-fetch-site" => parsed.sec_fetch_site = Some(value()?),
                "--cookie" => parsed.cookie = true,
                "--authorization" => parsed.authorization = Some(value()?),
                "--websocket" => parsed.websocket = true,
                "--path" => parsed.path = Some(value()?),
                "--host" => parsed.host = Some(value()?),
                other => return Err(format!("unknown argument `{other}`")),
            }
        }
        if parsed.websocket {
            if let Some(method) = parsed.method.as_deref().filter(|m| *m != "GET") {
                return Err(format!(
                    "--websocket is a GET handshake; it cannot be sent with --method {method}"
                ));
            }
        }
        if parsed.origin.is_none() && !parsed.describes_the_request() {
            return Err(String::from(
                "--origin is required (optional with the flags that describe the request: --sec-fetch-site, --cookie, --authorization, --websocket, --path, --host)",
            ));
        }
        Ok(parsed)
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
        let method = self.method.as_deref().unwrap_or("GET");
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

/// Runs `explain`: `Err` is a usage error (exit 2).
pub(crate) fn explain(args: &[String]) -> Result<ExitCode, String> {
    let args = Args::parse(args).map_err(|e| format!("{e}\n{}", crate::USAGE))?;
    let policy_path = args
        .policy
        .as_deref()
        .ok_or_else(|| format!("--policy is required\n{}", crate::USAGE))?;
    let spec = args.request()?;
    let policy = match crate::load(policy_path)? {
        Ok(policy) => policy,
        Err(problems) => {
            println!("{policy_path}:\n{problems}");
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
