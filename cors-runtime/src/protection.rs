//! Cross-origin protection: the writes and WebSocket handshakes that CORS
//! lets through, refused unless the policy that says who may *read* also
//! lets that origin *act*.
//!
//! CORS only hides responses: a browser still sends a cross-site form POST,
//! a `no-cors` `fetch` with a simple body, or a WebSocket handshake, and the
//! service runs it. Here a request that can change state (any method but
//! `GET`, `HEAD` and `OPTIONS`) or opens a WebSocket is a *cross-origin
//! write* when the browser says so (`Sec-Fetch-Site: cross-site` or
//! `same-site`) or, without `Sec-Fetch-Site`, when its `Origin` names
//! another host and port than the request's authority. Such a write passes
//! only when the rule that would answer the actual request from that origin
//! with that method exists and, when the request carries credentials a
//! browser attaches by itself, allows credentials.
//!
//! A policy's settings (`matcher::protection_settings`) turn it on unless the policy
//! turns it off, and name the paths where cross-site form posts stay open;
//! a refusal ([`Refusal`](crate::Refusal)) says why in one line.

use http::Method;

use crate::answer::decision::Decision;
use crate::answer::refusal::{Attempt, Credential, Pass, Refusal, RefusalReason, Relation};
use crate::front::origin::{MalformedOrigin, RequestOrigin};
use crate::front::{
    CorsRequest, CorsRequestHeader, MethodRef, RequestHeaderMap, RequestKind, Values,
};
use crate::matcher::dsl::DslMatcher;

/// What the layer knows of a request besides its method and headers: the
/// raw path (for open paths) and the URI's authority (else `Host` is read).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Target<'a> {
    /// The URI's path, as received.
    pub(crate) path: Option<&'a str>,
    /// The URI's authority (absolute-form or HTTP/2 `:authority`).
    pub(crate) authority: Option<&'a str>,
}

impl<'a> Target<'a> {
    /// The path and authority of an `http` 1.x URI.
    pub(crate) fn of(uri: &'a http::Uri) -> Self {
        Target {
            path: Some(uri.path()),
            authority: uri.authority().map(http::uri::Authority::as_str),
        }
    }
}

/// The protection's verdict on a request that is not a write, found before
/// the CORS matcher decides it (`cors` is what the front end read, `None`:
/// no `Origin`): `GET`, `HEAD` and `OPTIONS` pass unless the `GET` opens a
/// WebSocket. `None` when the request must be judged with its decision
/// ([`judge`]).
///
/// Reads no header beyond the CORS ones for `GET`, `HEAD` and `OPTIONS`
/// without `Origin`, and only `Upgrade` for a `GET` with one (not even that
/// when the front end found the request has none).
#[inline]
pub(crate) fn pass_before_deciding<H: RequestHeaderMap + ?Sized>(
    method: MethodRef<'_>,
    headers: &H,
    cors: Option<CorsRequest<'_>>,
) -> Option<Pass> {
    if method.is(&Method::GET) {
        // A handshake without `Origin` is not a browser's, and one without
        // `Upgrade` is not an HTTP/1.1 handshake.
        let handshake = !cors.is_none_or(|cors| cors.no_upgrade) && opens_websocket(headers);
        return (!handshake).then_some(Pass::NotAWrite);
    }
    (method.is(&Method::OPTIONS) || method.is(&Method::HEAD)).then_some(Pass::NotAWrite)
}

/// Whether a `GET`'s `Upgrade` asks for a WebSocket.
fn opens_websocket<H: RequestHeaderMap + ?Sized>(headers: &H) -> bool {
    headers.any_value(CorsRequestHeader::Upgrade, |value| {
        has_token(value.as_bytes(), b"websocket")
    })
}

/// The protection's verdict on a request the CORS matcher has decided and
/// [`pass_before_deciding`] did not let through (so a `GET` here opens a
/// WebSocket): why it passes, or its refusal. `cors` is what the front end
/// read (`None`: no `Origin`), `decision` the CORS decision for the
/// request's own method.
pub(crate) fn judge<'a, H: RequestHeaderMap + ?Sized>(
    policy: &'a DslMatcher,
    method: &'a str,
    target: Target<'a>,
    headers: &'a H,
    cors: Option<CorsRequest<'a>>,
    decision: &Decision<'a>,
) -> Result<Pass, Refusal<'a>> {
    let attempt = match method {
        "GET" => Attempt::WebSocket,
        "CONNECT"
            if !matches!(
                headers.values(CorsRequestHeader::SecWebSocketVersion),
                Values::Absent
            ) =>
        {
            // Judged as the `GET` it stands for.
            let own = match cors {
                Some(cors) => policy.decide(as_actual(cors, "GET"), Pass::Off),
                None => *decision,
            };
            return judge_write(policy, Attempt::WebSocket, target, headers, cors, &own);
        }
        _ => Attempt::Write { method },
    };
    judge_write(policy, attempt, target, headers, cors, decision)
}

/// [`judge`] for a request that is a write or a handshake; `own` is the
/// CORS decision for the method it is judged with (a handshake's is `GET`).
#[inline(never)]
fn judge_write<'a, H: RequestHeaderMap + ?Sized>(
    policy: &'a DslMatcher,
    attempt: Attempt<'a>,
    target: Target<'a>,
    headers: &'a H,
    cors: Option<CorsRequest<'a>>,
    own: &Decision<'a>,
) -> Result<Pass, Refusal<'a>> {
    let is_post = attempt == Attempt::Write { method: "POST" };
    if is_post && policy.protection.opens(target.path) && !has_override(headers) {
        return Ok(Pass::OpenPath);
    }
    let relation = match headers.values(CorsRequestHeader::SecFetchSite) {
        Values::One(value) => match value.as_bytes() {
            b"same-origin" | b"none" => return Ok(Pass::SecFetchSite),
            b"same-site" => Some(Relation::SameSite),
            _ => Some(Relation::CrossSite),
        },
        Values::Repeated(_) => Some(Relation::CrossSite),
        Values::Absent => None,
    };
    let refuse = |origin: Option<&'a str>, relation, reason| {
        Err(Refusal {
            relation,
            attempt,
            origin,
            reason,
        })
    };
    let Some(cors) = cors else {
        // No `Origin`: a browser's cross-site write always has one; without
        // `Sec-Fetch-Site` either, the request is not a browser's.
        return match relation {
            Some(relation) => refuse(None, relation, RefusalReason::MissingOrigin),
            None => Ok(Pass::NotFromBrowser),
        };
    };
    let origin_text = cors.origin.text();
    let origin = if cors.origin_repeated {
        Err(MalformedOrigin::Repeated)
    } else {
        RequestOrigin::parse(cors.origin.as_bytes())
    };
    let relation = match (relation, origin) {
        (Some(relation), _) => relation,
        (None, Ok(origin)) if is_same_authority(&origin, target, headers) => {
            return Ok(Pass::SameAuthority)
        }
        (None, _) => Relation::CrossOrigin,
    };
    let refuse = |reason| refuse(Some(origin_text), relation, reason);
    if let Err(why) = origin {
        return refuse(RefusalReason::MalformedOrigin(why));
    }
    // The methods the write is judged with: its own (a handshake's is
    // `GET`), then each method-override header's.
    if let Some(reason) = judge_method(attempt, own, headers) {
        return refuse(reason);
    }
    judge_overrides(policy, attempt, cors, headers, relation, origin_text)
}

/// [`judge_write`]'s last step: each method-override header of a write,
/// judged with the method it asks for; a malformed one is refused, as is
/// one whose CORS decision does not let the write pass (a handshake has
/// none to judge, and passes).
#[inline]
fn judge_overrides<'a, H: RequestHeaderMap + ?Sized>(
    policy: &'a DslMatcher,
    attempt: Attempt<'a>,
    cors: CorsRequest<'a>,
    headers: &'a H,
    relation: Relation,
    origin_text: &'a str,
) -> Result<Pass, Refusal<'a>> {
    let refuse = |reason| {
        Err(Refusal {
            relation,
            attempt,
            origin: Some(origin_text),
            reason,
        })
    };
    let Attempt::Write { method } = attempt else {
        return Ok(Pass::Allowed);
    };
    for name in CorsRequestHeader::METHOD_OVERRIDES {
        let overridden = match headers.values(name) {
            Values::Absent => continue,
            Values::One(value) => match value.to_str() {
                Some(text) if cors_grammar::is_token(text.as_bytes()) => text,
                _ => return refuse(RefusalReason::MalformedOverride),
            },
            Values::Repeated(_) => return refuse(RefusalReason::MalformedOverride),
        };
        let attempt = Attempt::Override { method, overridden };
        let decision = policy.decide(as_actual(cors, overridden), Pass::Off);
        if let Some(reason) = judge_method(attempt, &decision, headers) {
            return Err(Refusal {
                relation,
                attempt,
                origin: Some(origin_text),
                reason,
            });
        }
    }
    Ok(Pass::Allowed)
}

/// Why the CORS `decision` for the method `attempt` is judged with does not
/// let the write pass, if it does not.
fn judge_method<'a, H: RequestHeaderMap + ?Sized>(
    attempt: Attempt<'a>,
    decision: &Decision<'a>,
    headers: &H,
) -> Option<RefusalReason<'a>> {
    let method = match attempt {
        Attempt::Write { method }
        | Attempt::Override {
            overridden: method, ..
        } => method,
        Attempt::WebSocket => "GET",
    };
    if matches!(method, "CONNECT" | "TRACE" | "TRACK") {
        return Some(RefusalReason::ForbiddenMethod);
    }
    if let Some(denial) = decision.denial() {
        return Some(RefusalReason::NotAllowed(denial));
    }
    let (rule, credentials) = decision.rule_and_credentials()?;
    if credentials {
        return None;
    }
    let credential = credential(headers)?;
    Some(RefusalReason::WithoutCredentials { rule, credential })
}

/// The credentials a browser attached to the request by itself, if any.
fn credential<H: RequestHeaderMap + ?Sized>(headers: &H) -> Option<Credential> {
    if !matches!(headers.values(CorsRequestHeader::Cookie), Values::Absent) {
        return Some(Credential::Cookie);
    }
    headers
        .any_value(CorsRequestHeader::Authorization, |value| {
            is_ambient_scheme(value.as_bytes())
        })
        .then_some(Credential::Authorization)
}

/// Whether an `Authorization` value uses a scheme that browsers remember
/// and attach to later requests by themselves (HTTP authentication and
/// integrated Windows authentication); a `Bearer` token or any other scheme
/// is set by the page's own script, which CORS already governs.
fn is_ambient_scheme(value: &[u8]) -> bool {
    let scheme = value
        .split(|b| *b == b' ' || *b == b'\t')
        .find(|part| !part.is_empty())
        .unwrap_or_default();
    [&b"basic"[..], b"digest", b"negotiate", b"ntlm"]
        .iter()
        .any(|known| scheme.eq_ignore_ascii_case(known))
}

/// Whether the request carries any method-override header.
fn has_override<H: RequestHeaderMap + ?Sized>(headers: &H) -> bool {
    CorsRequestHeader::METHOD_OVERRIDES
        .iter()
        .any(|name| !matches!(headers.values(*name), Values::Absent))
}

/// `request` as an actual request with `method`, for the CORS matcher.
fn as_actual<'a>(request: CorsRequest<'a>, method: &'a str) -> CorsRequest<'a> {
    CorsRequest {
        kind: RequestKind::Actual,
        method,
        request_method: Values::Absent,
        request_headers: Values::Absent,
        ..request
    }
}

/// Whether a comma-separated header value lists `token` (any case).
fn has_token(value: &[u8], token: &[u8]) -> bool {
    value
        .split(|b| *b == b',')
        .any(|part| part.trim_ascii().eq_ignore_ascii_case(token))
}

/// Whether `origin` names the request's own host and port: the URI's
/// authority, else a `Host` sent once, compared ASCII-case-insensitively
/// with the scheme's default port filled in on both sides.
fn is_same_authority<H: RequestHeaderMap + ?Sized>(
    origin: &RequestOrigin<'_>,
    target: Target<'_>,
    headers: &H,
) -> bool {
    let authority = match target.authority {
        Some(authority) => authority.as_bytes(),
        None => match headers.values(CorsRequestHeader::Host) {
            Values::One(host) => host.as_bytes(),
            _ => return false,
        },
    };
    // Userinfo is not part of the host.
    let authority = match authority.iter().rposition(|b| *b == b'@') {
        Some(at) => &authority[at + 1..],
        None => authority,
    };
    let Some((host, port)) = split_authority(authority) else {
        return false;
    };
    let default = default_port(origin.scheme);
    let origin_port = match origin.port {
        Some(digits) => port_number(digits),
        None => default,
    };
    let request_port = match port {
        Some(digits) => port_number(digits),
        None => default,
    };
    host.eq_ignore_ascii_case(origin.host) && origin_port == request_port
}

/// An authority's host and port digits (`None` when it ends in `:` or has none).
fn split_authority(authority: &[u8]) -> Option<(&[u8], Option<&[u8]>)> {
    let host_end = if authority.first() == Some(&b'[') {
        authority.iter().position(|b| *b == b']')? + 1
    } else {
        authority
            .iter()
            .position(|b| *b == b':')
            .unwrap_or(authority.len())
    };
    let (host, rest) = authority.split_at(host_end);
    if host.is_empty() {
        return None;
    }
    match rest {
        [] | [b':'] => Some((host, None)),
        [b':', port @ ..] => Some((host, Some(port))),
        _ => None,
    }
}

/// The default port of a scheme that has one.
fn default_port(scheme: &[u8]) -> Option<u32> {
    match scheme {
        b"https" | b"wss" => Some(443),
        b"http" | b"ws" => Some(80),
        _ => None,
    }
}

/// A port's decimal value (`None`, never equal to a real port, when it is
/// not 1 to 5 digits).
fn port_number(digits: &[u8]) -> Option<u32> {
    if digits.is_empty() || digits.len() > 5 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(digits.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authority_comparison_fills_in_default_ports() {
        let origin = RequestOrigin::parse(b"https://api.example.com").unwrap();
        let same = |authority: &str| {
            let target = Target {
                path: None,
                authority: Some(authority),
            };
            is_same_authority(&origin, target, &http::HeaderMap::new())
        };
        assert!(same("api.example.com"));
        assert!(same("API.Example.com:443"));
        assert!(same("user@api.example.com"));
        assert!(!same("api.example.com:80"));
        assert!(!same("api.example.com:8443"));
        assert!(!same("example.com"));
        assert!(!same(":443"));
        assert!(!same("api.example.com:44x"));
    }

    #[test]
    fn ambient_authorization_schemes() {
        for value in [
            "Basic dXNlcg==",
            "basic x",
            "Digest a=b",
            "NTLM abc",
            "  Negotiate x",
        ] {
            assert!(is_ambient_scheme(value.as_bytes()), "{value}");
        }
        for value in ["Bearer x", "Basicx", "", "Token basic"] {
            assert!(!is_ambient_scheme(value.as_bytes()), "{value}");
        }
    }
}
