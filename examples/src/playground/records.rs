//! What the API saw and answered, per request id: the request headers CORS
//! and the cross-origin protection read, the status, the CORS response
//! headers and the policy's one-line decision, kept in a bounded store so
//! that a flood of requests costs a fixed amount of memory.
//!
//! The store is bounded in bytes as well as in records: every text field is
//! cut (a method or a path to [`MAX_FIELD_LEN`] bytes, a decision line to
//! [`MAX_LINE_LEN`], a header value to 512, each ending with `…` when cut),
//! each header list keeps at most [`MAX_HEADERS`] entries, so one exchange
//! holds at most [`MAX_EXCHANGE_BYTES`]; and the whole store holds at most
//! [`MAX_STORE_BYTES`], the oldest request ids forgotten first to make room.
//! A request with a 300 KB method and a 60 KB path is recorded (and printed,
//! by [`write_decision`]) in under a kilobyte.

use std::collections::VecDeque;
use std::io::Write;
use std::mem::size_of;
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

/// The longest header value (or name) kept, in bytes; longer ones are cut
/// with `…`.
const MAX_VALUE_LEN: usize = 512;

/// The longest method or path kept, in bytes; longer ones are cut with `…`.
pub const MAX_FIELD_LEN: usize = 256;

/// The longest decision or protection line kept, in bytes; longer ones are
/// cut with `…`.
pub const MAX_LINE_LEN: usize = 1024;

/// How many request headers, and how many response headers, one exchange
/// keeps (repeated headers count once per value); the rest are dropped.
pub const MAX_HEADERS: usize = 16;

/// The most bytes one exchange holds, as counted by [`Exchange::bytes`]:
/// its fields cut as above.
pub const MAX_EXCHANGE_BYTES: usize = size_of::<Exchange>()
    + 2 * (MAX_FIELD_LEN + CUT_MARK_LEN)
    + 2 * (MAX_LINE_LEN + CUT_MARK_LEN)
    + 2 * MAX_HEADERS * (2 * size_of::<String>() + 2 * (MAX_VALUE_LEN + CUT_MARK_LEN));

// One exchange stays well under what a single request can carry.
const _: () = assert!(MAX_EXCHANGE_BYTES < 64 * 1024);

/// The most bytes the whole store holds, as counted by [`Exchange::bytes`]
/// and the ids' lengths; the oldest request ids are forgotten to stay under.
pub const MAX_STORE_BYTES: usize = 4 * 1024 * 1024;

/// The bytes of `…`, the mark of a cut text.
const CUT_MARK_LEN: usize = '…'.len_utf8();

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
            .take(MAX_HEADERS)
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
            .take(MAX_HEADERS)
            .collect()
    }

    /// The exchange with every field within its bound: texts cut with `…`,
    /// at most [`MAX_HEADERS`] headers each way; then
    /// [`bytes`](Exchange::bytes) is at most [`MAX_EXCHANGE_BYTES`].
    pub fn bounded(self) -> Exchange {
        let headers = |headers: Vec<(String, String)>| {
            headers
                .into_iter()
                .take(MAX_HEADERS)
                .map(|(name, value)| (cut(&name, MAX_VALUE_LEN), cut(&value, MAX_VALUE_LEN)))
                .collect()
        };
        Exchange {
            method: cut(&self.method, MAX_FIELD_LEN),
            path: cut(&self.path, MAX_FIELD_LEN),
            request_headers: headers(self.request_headers),
            response_headers: headers(self.response_headers),
            decision: cut(&self.decision, MAX_LINE_LEN),
            protection: cut(&self.protection, MAX_LINE_LEN),
            ..self
        }
    }

    /// The bytes this exchange holds: the struct itself, its texts, and a
    /// pair of `String`s per header.
    pub fn bytes(&self) -> usize {
        let headers = |headers: &[(String, String)]| {
            headers
                .iter()
                .map(|(name, value)| 2 * size_of::<String>() + name.len() + value.len())
                .sum::<usize>()
        };
        size_of::<Exchange>()
            + self.method.len()
            + self.path.len()
            + self.decision.len()
            + self.protection.len()
            + headers(&self.request_headers)
            + headers(&self.response_headers)
    }
}

/// A header value as text, cut to [`MAX_VALUE_LEN`] bytes.
fn shown(bytes: &[u8]) -> String {
    cut(&String::from_utf8_lossy(bytes), MAX_VALUE_LEN)
}

/// `text`, or its first `max` bytes (on a character boundary) followed by
/// `…` when it is longer.
pub fn cut(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_owned();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

/// Writes `METHOD path -> decision` as one line to `out` (the demo's
/// stdout), each part cut like a record's, and ignores a failed write: a
/// closed or broken stdout (`demo | head`) loses the line, never the request.
pub fn write_decision(mut out: impl Write, method: &str, path: &str, decision: &str) {
    let _ignored = writeln!(
        out,
        "{} {} -> {}",
        cut(method, MAX_FIELD_LEN),
        cut(path, MAX_FIELD_LEN),
        cut(decision, MAX_LINE_LEN)
    );
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

/// The exchanges of the most recent request ids: at most
/// [`MAX_REQUEST_IDS`] of them, [`MAX_EXCHANGES_PER_ID`] each, and at most
/// [`MAX_STORE_BYTES`] in all.
#[derive(Debug, Default)]
pub struct Records {
    store: Mutex<Store>,
}

#[derive(Debug, Default)]
struct Store {
    /// Oldest id first.
    by_id: VecDeque<(String, Vec<Exchange>)>,
    /// The bytes of every id and exchange held ([`Exchange::bytes`]).
    bytes: usize,
}

impl Store {
    /// Forgets the oldest id other than `keep`; whether there was one.
    fn forget_oldest(&mut self, keep: &str) -> bool {
        let Some(oldest) = self.by_id.iter().position(|(known, _)| known != keep) else {
            return false;
        };
        if let Some((id, exchanges)) = self.by_id.remove(oldest) {
            let freed = id.len() + exchanges.iter().map(Exchange::bytes).sum::<usize>();
            self.bytes -= freed;
        }
        true
    }
}

impl Records {
    /// Records `exchange` (made [`bounded`](Exchange::bounded)) under `id`,
    /// forgetting the oldest ids when full, in ids or in bytes. An id that
    /// already holds [`MAX_EXCHANGES_PER_ID`] keeps its first ones.
    pub fn push(&self, id: &str, exchange: Exchange) {
        let exchange = exchange.bounded();
        let mut store = self
            .store
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let known = store.by_id.iter().position(|(known, _)| known == id);
        let cost = match known {
            Some(index) if store.by_id[index].1.len() >= MAX_EXCHANGES_PER_ID => return,
            Some(_) => exchange.bytes(),
            None => id.len() + exchange.bytes(),
        };
        while (known.is_none() && store.by_id.len() >= MAX_REQUEST_IDS)
            || store.bytes + cost > MAX_STORE_BYTES
        {
            if !store.forget_oldest(id) {
                break;
            }
        }
        store.bytes += cost;
        match store.by_id.iter_mut().find(|(known, _)| known == id) {
            Some((_, exchanges)) => exchanges.push(exchange),
            None => store.by_id.push_back((id.to_owned(), vec![exchange])),
        }
    }

    /// The exchanges recorded under `id`, oldest first (none if unknown).
    pub fn get(&self, id: &str) -> Vec<Exchange> {
        let store = self
            .store
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        store
            .by_id
            .iter()
            .find(|(known, _)| known == id)
            .map(|(_, exchanges)| exchanges.clone())
            .unwrap_or_default()
    }

    /// The bytes held, as counted by [`Exchange::bytes`] and the ids'
    /// lengths: at most [`MAX_STORE_BYTES`].
    pub fn bytes(&self) -> usize {
        self.store
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .bytes
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

    /// An exchange as large as a flood makes it: a 300 KB method, a 60 KB
    /// path, 100 repeated 2 KB `Origin` values, long decision lines.
    fn huge_exchange() -> Exchange {
        let mut headers = HeaderMap::new();
        for _ in 0..100 {
            let value = http::HeaderValue::from_str(&"o".repeat(2_000)).expect("value");
            headers.append(http::header::ORIGIN, value);
        }
        Exchange {
            method: "M".repeat(300_000),
            path: format!("/{}", "é".repeat(30_000)),
            request_headers: Exchange::request_headers(&headers),
            response_headers: vec![("access-control-x".repeat(100), "v".repeat(2_000)); 100],
            decision: "d".repeat(400_000),
            protection: "p".repeat(400_000),
            ..exchange("GET")
        }
    }

    #[test]
    fn one_exchange_of_huge_fields_stays_under_its_bound() {
        let bounded = huge_exchange().bounded();
        assert!(
            bounded.bytes() <= MAX_EXCHANGE_BYTES,
            "{} > {MAX_EXCHANGE_BYTES}",
            bounded.bytes()
        );
        for text in [
            &bounded.method,
            &bounded.path,
            &bounded.decision,
            &bounded.protection,
        ] {
            assert!(text.ends_with('…'), "cut with a mark: {}", &text[..20]);
        }
        assert_eq!(bounded.method.len(), MAX_FIELD_LEN + CUT_MARK_LEN);
        assert!(bounded.path.len() <= MAX_FIELD_LEN + CUT_MARK_LEN);
        assert!(bounded.path.starts_with("/é"));
        assert_eq!(bounded.request_headers.len(), MAX_HEADERS);
        assert_eq!(bounded.response_headers.len(), MAX_HEADERS);
        for (name, value) in bounded
            .request_headers
            .iter()
            .chain(&bounded.response_headers)
        {
            assert!(name.len() <= MAX_VALUE_LEN + CUT_MARK_LEN);
            assert!(value.len() <= MAX_VALUE_LEN + CUT_MARK_LEN);
        }
        // A small exchange is left as it is.
        assert_eq!(exchange("GET").bounded(), exchange("GET"));
    }

    #[test]
    fn cut_texts_end_with_the_mark_on_a_character_boundary() {
        for max in 0..12 {
            for text in ["ééééééé", "a€b€c€d€", "🦀🦀🦀🦀", "plain ascii text"]
            {
                let cut_text = cut(text, max);
                if text.len() <= max {
                    assert_eq!(cut_text, text);
                } else {
                    // A `String`, so valid UTF-8 by construction; the kept
                    // part is a prefix of the text.
                    let kept = cut_text.strip_suffix('…').expect("marked");
                    assert!(kept.len() <= max && text.starts_with(kept));
                }
            }
        }
    }

    #[test]
    fn the_store_stays_under_its_byte_budget() {
        let records = Records::default();
        let huge = huge_exchange();
        let largest = huge.clone().bounded();
        for n in 0..5_000 {
            records.push(&format!("flood-{n}"), largest.clone());
            if n % 3 == 0 {
                records.push(&format!("flood-{n}"), largest.clone());
            }
            assert!(records.bytes() <= MAX_STORE_BYTES, "{}", records.bytes());
        }
        assert!(records.bytes() > MAX_STORE_BYTES / 2, "the budget is used");
        // The newest ids are kept, with everything they recorded.
        assert_eq!(records.get("flood-4997").len(), 1);
        assert_eq!(records.get("flood-4997")[0], largest);
        assert_eq!(records.get("flood-4995").len(), 2);
        assert!(records.get("flood-0").is_empty());
        // An id being recorded is never the one forgotten to make room.
        for _ in 0..MAX_EXCHANGES_PER_ID + 2 {
            records.push("flood-4999", huge.clone());
        }
        assert_eq!(records.get("flood-4999").len(), MAX_EXCHANGES_PER_ID);
        assert!(records.bytes() <= MAX_STORE_BYTES);
    }

    #[test]
    fn the_store_counts_what_it_forgets() {
        let records = Records::default();
        for n in 0..MAX_REQUEST_IDS * 3 {
            records.push(&format!("id{n}"), exchange("GET"));
        }
        let one = "id0".len() + exchange("GET").bytes();
        let held = records.bytes();
        assert!(held >= MAX_REQUEST_IDS * one && held <= MAX_REQUEST_IDS * (one + 4));
    }

    /// A writer that always fails, like a stdout whose reader is gone.
    struct Broken;

    impl Write for Broken {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::Error::from(std::io::ErrorKind::BrokenPipe))
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Err(std::io::Error::from(std::io::ErrorKind::BrokenPipe))
        }
    }

    #[test]
    fn a_decision_line_is_cut_and_a_failed_write_is_ignored() {
        write_decision(Broken, "GET", "/api/hello", "allowed");
        let mut line = Vec::new();
        write_decision(
            &mut line,
            &"M".repeat(300_000),
            &"/p".repeat(30_000),
            &"d".repeat(1 << 20),
        );
        let line = String::from_utf8(line).expect("UTF-8");
        assert!(
            line.len() < MAX_FIELD_LEN * 2 + MAX_LINE_LEN + 32,
            "{}",
            line.len()
        );
        assert!(line.starts_with("MMM") && line.ends_with("d…\n"));
        let mut line = Vec::new();
        write_decision(&mut line, "GET", "/api/hello", "allowed request");
        assert_eq!(line, b"GET /api/hello -> allowed request\n");
    }
}
