//! [`Refusal`]: why the cross-origin protection refused a write or a
//! WebSocket handshake, said in one line; [`Pass`]: why it let a request
//! through.

use std::fmt;

use crate::answer::denial::{Denial, RuleRef};
use crate::front::origin::MalformedOrigin;

/// Why the cross-origin protection lets a request through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Pass {
    /// The policy turns the protection off (`cross_origin_protection:
    /// false`), or is an S3 configuration, which keeps S3's behaviour.
    Off,
    /// Not a write: `GET`, `HEAD` or `OPTIONS` that opens no WebSocket (a
    /// `GET` without `Origin` is not read further: browsers always send
    /// `Origin` on a handshake).
    NotAWrite,
    /// A `POST` to one of the policy's open paths.
    OpenPath,
    /// `Sec-Fetch-Site: same-origin` or `none`: the browser says the
    /// request is not cross-origin.
    SecFetchSite,
    /// Neither `Sec-Fetch-Site` nor `Origin` (or a handshake without
    /// `Origin`): not sent by a browser page.
    NotFromBrowser,
    /// No `Sec-Fetch-Site`, and the `Origin` names the request's own host
    /// and port.
    SameAuthority,
    /// A cross-origin write the policy lets this origin make (with
    /// credentials, where the request carries them).
    Allowed,
}

impl fmt::Display for Pass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Pass::Off => "the cross-origin protection is off for this policy",
            Pass::NotAWrite => {
                "not a write: GET, HEAD and OPTIONS pass unless they open a WebSocket"
            }
            Pass::OpenPath => "a POST to an open path of the policy",
            Pass::SecFetchSite => "Sec-Fetch-Site says the request is not cross-origin",
            Pass::NotFromBrowser => {
                "no Origin (and no Sec-Fetch-Site for a write): not sent by a browser page"
            }
            Pass::SameAuthority => "same origin: the Origin names the request's own host and port",
            Pass::Allowed => "the policy lets this origin make this request",
        })
    }
}

/// Where a cross-origin write comes from, as far as the request tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Relation {
    /// `Sec-Fetch-Site: cross-site`, or a value that is empty, unknown or
    /// repeated (counted as cross-site).
    CrossSite,
    /// `Sec-Fetch-Site: same-site`: another origin of the same site (a
    /// sibling subdomain, another port of `localhost`).
    SameSite,
    /// No `Sec-Fetch-Site` (an older browser, or a plain-`http` service),
    /// and an `Origin` whose host and port are not the request's.
    CrossOrigin,
}

impl fmt::Display for Relation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Relation::CrossSite => "cross-site",
            Relation::SameSite => "same-site",
            Relation::CrossOrigin => "cross-origin",
        })
    }
}

/// What a refused request attempted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Attempt<'a> {
    /// A request with this method (not `GET`, `HEAD` or `OPTIONS`).
    Write {
        /// The request's method.
        method: &'a str,
    },
    /// A write whose method-override header asks for another method.
    Override {
        /// The request's method.
        method: &'a str,
        /// The method the override header asks for.
        overridden: &'a str,
    },
    /// A WebSocket handshake (`GET` with `Upgrade: websocket`, or an
    /// HTTP/2 `CONNECT` with `Sec-WebSocket-Version`), judged as `GET`.
    WebSocket,
}

impl fmt::Display for Attempt<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Attempt::Write { method } => write!(f, "{}", Quoted(method)),
            Attempt::Override { method, overridden } => {
                write!(f, "{} overridden to {}", Quoted(method), Quoted(overridden))
            }
            Attempt::WebSocket => f.write_str("WebSocket handshake"),
        }
    }
}

/// Credentials a browser attaches to a request by itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Credential {
    /// A `Cookie` header, whatever its value.
    Cookie,
    /// An `Authorization` header with a scheme browsers remember and resend
    /// (`Basic`, `Digest`, `Negotiate`, `NTLM`).
    Authorization,
}

/// Why the cross-origin protection refused a write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RefusalReason<'a> {
    /// The browser says the write is cross-site but sent no `Origin`:
    /// nothing says who is asking.
    MissingOrigin,
    /// The `Origin` is `null`, repeated or malformed: it names no origin a
    /// rule could trust, even a `"*"` rule.
    MalformedOrigin(MalformedOrigin),
    /// The policy would not allow a CORS request from this origin with this
    /// method: no rule allows the origin, or the first rule that does
    /// refuses the method.
    NotAllowed(Denial<'a>),
    /// `CONNECT` (other than a WebSocket handshake), `TRACE` or `TRACK`,
    /// which no policy allows across origins.
    ForbiddenMethod,
    /// A method-override header that is repeated or not one method token.
    MalformedOverride,
    /// The request carries credentials, and the rule that allows it does
    /// not allow credentials: the page may read, never act as the user.
    WithoutCredentials {
        /// The rule that would answer the request.
        rule: RuleRef<'a>,
        /// The credentials the request carries.
        credential: Credential,
    },
}

/// A write refused by the cross-origin protection: answered `403` by the
/// middleware, without calling the service and without CORS headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refusal<'a> {
    /// Where the write comes from.
    pub relation: Relation,
    /// What it would have done.
    pub attempt: Attempt<'a>,
    /// The request's first `Origin` value, if any.
    pub origin: Option<&'a str>,
    /// Why it was refused.
    pub reason: RefusalReason<'a>,
}

impl fmt::Display for Refusal<'_> {
    /// One line: `cross-site POST from https://evil.example: no rule allows
    /// this origin`. Request values are quoted at most 80 characters long,
    /// with control and bidirectional characters escaped.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.reason {
            RefusalReason::WithoutCredentials {
                credential: Credential::Cookie,
                ..
            } => f.write_str("cookie-bearing ")?,
            RefusalReason::WithoutCredentials {
                credential: Credential::Authorization,
                ..
            } => f.write_str("authorization-bearing ")?,
            _ => write!(f, "{} ", self.relation)?,
        }
        write!(f, "{}", self.attempt)?;
        match self.origin {
            Some(origin) => write!(f, " from {}: ", Quoted(origin))?,
            None => f.write_str(" without an Origin header: ")?,
        }
        match self.reason {
            RefusalReason::MissingOrigin => f.write_str(
                "browsers send Origin on every cross-site write, so nothing says who is asking",
            ),
            RefusalReason::MalformedOrigin(MalformedOrigin::Null) => f.write_str(
                "the `null` origin (sandboxed frames, local files, cross-origin redirects) is never trusted",
            ),
            RefusalReason::MalformedOrigin(why) => write!(f, "malformed origin: {why}"),
            RefusalReason::NotAllowed(Denial::OriginNotAllowed { .. }) => {
                f.write_str("no rule allows this origin")
            }
            RefusalReason::NotAllowed(Denial::MethodNotAllowed { rule, method }) => write!(
                f,
                "the origin matches {rule}, but its methods do not include {}",
                Quoted(method)
            ),
            RefusalReason::NotAllowed(denial) => write!(f, "{denial}"),
            RefusalReason::ForbiddenMethod => {
                f.write_str("CONNECT, TRACE and TRACK are never allowed across origins")
            }
            RefusalReason::MalformedOverride => f.write_str(
                "a method-override header is repeated or is not one method name",
            ),
            RefusalReason::WithoutCredentials { rule, .. } => {
                write!(f, "the matching rule does not allow credentials (rule {}", rule.index)?;
                if let Some(id) = rule.id {
                    write!(f, ", `{}`", Quoted(id))?;
                }
                f.write_str(")")
            }
        }
    }
}

impl std::error::Error for Refusal<'_> {}

/// A request value in a message: at most [`QUOTED_MAX`] characters, control
/// and bidirectional-formatting characters escaped, `…` where it was cut.
struct Quoted<'a>(&'a str);

/// The most characters of a request value a message shows.
const QUOTED_MAX: usize = 80;

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (shown, c) in self.0.chars().enumerate() {
            if shown == QUOTED_MAX {
                return f.write_str("…");
            }
            if c.is_control() || is_bidi_control(c) {
                write!(f, "{}", c.escape_unicode())?;
            } else {
                write!(f, "{c}")?;
            }
        }
        Ok(())
    }
}

/// The characters that reorder text around them (Unicode's bidirectional
/// formatting characters and marks).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_values_are_short_and_escaped() {
        let long = "x".repeat(200);
        let shown = Quoted(&long).to_string();
        assert_eq!(shown.chars().count(), QUOTED_MAX + 1);
        assert!(shown.ends_with('…'));
        let shown = Quoted("a\u{202E}b\nc").to_string();
        assert_eq!(shown, "a\\u{202e}b\\u{a}c");
    }
}
