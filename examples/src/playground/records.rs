//! What the API saw and answered, per request id: the request headers CORS
//! and the cross-origin protection read, the status, the CORS response
//! headers and the policy's one-line decision, kept in a bounded store so
//! that a flood of requests costs a fixed amount of memory.

use std::collections::VecDeque;
use std::sync::Mutex;

use http::{HeaderMap, HeaderName};
use serde::Serialize;

/// How many request ids are remembered; the oldest is forgotten first.
pub const MAX_REQUEST_IDS: usize = 256;

/// How many exchanges one request id keeps (a preflight and the request
/// itself, with room for a retry).
pub const MAX_EXCHANGES_PER_ID: usize = 4;

/// The longest request id accepted; others are not recorded.
pub const MAX_REQUEST_ID_LEN: usize = 64;

/// The longest header value kept, in bytes; longer ones are cut with `…`.
const MAX_VALUE_LEN: usize = 512;

/// The request headers that CORS and the cross-origin protection read, as
/// the server received them (`Cookie` is recorded by its presence only).
const CORS_REQUEST_HEADERS: [&str; 6] = [
    "origin",
    "access-control-request-method",
    "access-control-request-headers",
    "sec-fetch-mode",
    "sec-fetch-site",
    "upgrade",
];

/// One HTTP exchange between the browser and the API.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Exchange {
    /// `preflight`, `request` (a CORS request other than a preflight) or
    /// `not CORS` (no `Origin`).
    pub kind: &'static str,
    /// The request's method.
    pub method: String,
    /// The request's path, without its query.
    pub path: String,
    /// The request headers CORS and the protection read (`Origin`,
    /// `Access-Control-Request-Method`, `Access-Control-Request-Headers`,
    /// `Sec-Fetch-Mode`, `Sec-Fetch-Site`, `Upgrade`), in that order, then
    /// `Cookie` when one was sent, its value replaced by its length.
    pub request_headers: Vec<(String, String)>,
    /// The response's status code.
    pub status: u16,
    /// The response's `Access-Control-*` and `Vary` headers, as sent.
    pub response_headers: Vec<(String, String)>,
    /// The policy's decision: `Decision`'s `Display`.
    pub decision: String,
    /// Whether the policy allowed it.
    pub allowed: bool,
    /// Whether the cross-origin protection refused it (answered `403`
    /// before any handler ran).
    pub refused: bool,
    /// The protection's verdict in one line: why it let the request
    /// through (`Pass`'s `Display`), or the refusal (then the same line as
    /// `decision`).
    pub protection: String,
}

impl Exchange {
    /// The request headers of `headers` that CORS and the protection read.
    pub fn request_headers(headers: &HeaderMap) -> Vec<(String, String)> {
        let cookies = headers.get_all(http::header::COOKIE).iter().map(|value| {
            let length = value.len();
            (
                "cookie".to_owned(),
                format!("({length} bytes, not recorded)"),
            )
        });
        CORS_REQUEST_HEADERS
            .iter()
            .flat_map(|name| {
                headers
                    .get_all(*name)
                    .iter()
                    .map(move |value| ((*name).to_owned(), shown(value.as_bytes())))
            })
            .chain(cookies)
            .collect()
    }

    /// The CORS response headers of `headers`: `Access-Control-*` and `Vary`.
    pub fn response_headers(headers: &HeaderMap) -> Vec<(String, String)> {
        let is_cors = |name: &HeaderName| {
            name.as_str().starts_with("access-control-") || name == http::header::VARY
        };
        headers
            .iter()
            .filter(|(name, _)| is_cors(name))
            .map(|(name, value)| (name.as_str().to_owned(), shown(value.as_bytes())))
            .collect()
    }
}

/// A header value as text, cut to [`MAX_VALUE_LEN`] bytes.
fn shown(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    if text.len() <= MAX_VALUE_LEN {
        return text.into_owned();
    }
    let mut end = MAX_VALUE_LEN;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

/// Whether `id` is a request id the page could have made: 1 to
/// [`MAX_REQUEST_ID_LEN`] ASCII letters, digits, `-` or `_`.
pub fn is_request_id(id: &str) -> bool {
    (1..=MAX_REQUEST_ID_LEN).contains(&id.len())
        && id
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_')
}

/// The request id in a query string: the value of its `rid` parameter.
pub fn request_id(query: Option<&str>) -> Option<&str> {
    query?
        .split('&')
        .find_map(|pair| pair.strip_prefix("rid="))
        .filter(|id| is_request_id(id))
}

/// The exchanges of the most recent [`MAX_REQUEST_IDS`] request ids.
#[derive(Debug, Default)]
pub struct Records {
    by_id: Mutex<VecDeque<(String, Vec<Exchange>)>>,
}

impl Records {
    /// Records `exchange` under `id`, forgetting the oldest id when full.
    /// An id that already holds [`MAX_EXCHANGES_PER_ID`] keeps its first ones.
    pub fn push(&self, id: &str, exchange: Exchange) {
        let mut by_id = self
            .by_id
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some((_, exchanges)) = by_id.iter_mut().find(|(known, _)| known == id) {
            if exchanges.len() < MAX_EXCHANGES_PER_ID {
                exchanges.push(exchange);
            }
            return;
        }
        if by_id.len() == MAX_REQUEST_IDS {
            by_id.pop_front();
        }
        by_id.push_back((id.to_owned(), vec![exchange]));
    }

    /// The exchanges recorded under `id`, oldest first (none if unknown).
    pub fn get(&self, id: &str) -> Vec<Exchange> {
        let by_id = self
            .by_id
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        by_id
            .iter()
            .find(|(known, _)| known == id)
            .map(|(_, exchanges)| exchanges.clone())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exchange(method: &str) -> Exchange {
        Exchange {
            kind: "request",
            method: method.to_owned(),
            path: "/api/hello".to_owned(),
            request_headers: Vec::new(),
            status: 200,
            response_headers: Vec::new(),
            decision: String::new(),
            allowed: true,
            refused: false,
            protection: String::new(),
        }
    }

    #[test]
    fn request_ids_come_from_the_rid_parameter() {
        assert_eq!(request_id(Some("rid=r-1_a")), Some("r-1_a"));
        assert_eq!(request_id(Some("x=1&rid=abc")), Some("abc"));
        assert_eq!(request_id(Some("rid=")), None);
        assert_eq!(request_id(Some("rid=a%20b")), None);
        assert_eq!(request_id(Some(&format!("rid={}", "a".repeat(65)))), None);
        assert_eq!(request_id(None), None);
    }

    #[test]
    fn the_store_is_bounded_in_ids_and_in_exchanges_per_id() {
        let records = Records::default();
        for n in 0..MAX_EXCHANGES_PER_ID + 3 {
            records.push("same", exchange(&format!("M{n}")));
        }
        let kept = records.get("same");
        assert_eq!(kept.len(), MAX_EXCHANGES_PER_ID);
        assert_eq!(kept[0].method, "M0");
        for n in 0..MAX_REQUEST_IDS {
            records.push(&format!("id{n}"), exchange("GET"));
        }
        assert!(records.get("same").is_empty(), "the oldest id is forgotten");
        assert_eq!(records.get("id0").len(), 1);
        assert_eq!(records.get(&format!("id{}", MAX_REQUEST_IDS - 1)).len(), 1);
    }

    #[test]
    fn long_header_values_are_cut_on_a_character_boundary() {
        let long = "é".repeat(MAX_VALUE_LEN);
        let cut = shown(long.as_bytes());
        assert!(cut.ends_with('…'));
        assert!(cut.len() <= MAX_VALUE_LEN + '…'.len_utf8());
        assert_eq!(shown(b"short"), "short");
    }
}
