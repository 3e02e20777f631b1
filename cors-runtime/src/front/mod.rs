//! The request front end: reads the CORS parts of a request once (its kind,
//! `Origin`, and the `Access-Control-Request-*` headers a preflight asks
//! with), for every matcher and every adapter.
//!
//! Header maps are read through [`RequestHeaderMap`], implemented for `http`
//! 1.x's map and, with the `actix` feature, for actix-web's `http` 0.2 map,
//! so both go through this one code path. Values are borrowed, never copied:
//! a [`RequestValue`] is a reference into the request.

pub(crate) mod origin;
pub(crate) mod preflight;

use crate::front::preflight::MalformedPreflight;

/// What kind of request a [`Decision`](crate::Decision) is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RequestKind {
    /// No `Origin` header: not a CORS request.
    NotCors,
    /// `OPTIONS` with `Origin` and `Access-Control-Request-Method`: a CORS
    /// preflight, which the middleware answers without calling the service.
    Preflight,
    /// Any other request with an `Origin` header.
    Actual,
}

/// One value of a request header, in the header-map type it came from.
#[derive(Debug, Clone, Copy)]
pub(crate) enum RequestValue<'a> {
    /// From an `http` 1.x map.
    Http(&'a http::HeaderValue),
    /// From actix-web's `http` 0.2 map.
    #[cfg(feature = "actix")]
    Actix(&'a actix_web::http::header::HeaderValue),
}

impl<'a> RequestValue<'a> {
    /// The value's bytes.
    #[inline]
    pub(crate) fn as_bytes(self) -> &'a [u8] {
        match self {
            RequestValue::Http(value) => value.as_bytes(),
            #[cfg(feature = "actix")]
            RequestValue::Actix(value) => value.as_bytes(),
        }
    }

    /// The value as text when it is visible ASCII, as the header type's own
    /// `to_str` decides.
    #[inline]
    pub(crate) fn to_str(self) -> Option<&'a str> {
        match self {
            RequestValue::Http(value) => value.to_str().ok(),
            #[cfg(feature = "actix")]
            RequestValue::Actix(value) => value.to_str().ok(),
        }
    }

    /// The value as text, for messages; empty if it is not UTF-8. Visible
    /// ASCII (every value that passed a grammar) is read by `to_str`, a
    /// plain byte loop; `from_utf8`, whose cost depends on where the bytes
    /// lie in memory (it moved denied requests' counts by about 90
    /// instructions between builds), only reads what `to_str` refuses. The
    /// text is the same either way.
    #[inline]
    pub(crate) fn text(self) -> &'a str {
        self.to_str()
            .or_else(|| std::str::from_utf8(self.as_bytes()).ok())
            .unwrap_or_default()
    }
}

cfg_adapters! {
    impl<'a> RequestValue<'a> {
        /// The value, owned (a reference-counted clone: no copy of the bytes for
        /// a value a server parsed), to outlive the request.
        pub(crate) fn to_owned_value(self) -> OwnedRequestValue {
            match self {
                RequestValue::Http(value) => OwnedRequestValue::Http(value.clone()),
                #[cfg(feature = "actix")]
                RequestValue::Actix(value) => OwnedRequestValue::Actix(value.clone()),
            }
        }
    }

    /// A [`RequestValue`] owned, for the response of an actual request.
    #[derive(Debug, Clone)]
    pub(crate) enum OwnedRequestValue {
        /// From an `http` 1.x map.
        Http(http::HeaderValue),
        /// From actix-web's `http` 0.2 map.
        #[cfg(feature = "actix")]
        Actix(actix_web::http::header::HeaderValue),
    }

    impl OwnedRequestValue {
        /// The value borrowed again.
        pub(crate) fn as_request_value(&self) -> RequestValue<'_> {
            match self {
                OwnedRequestValue::Http(value) => RequestValue::Http(value),
                #[cfg(feature = "actix")]
                OwnedRequestValue::Actix(value) => RequestValue::Actix(value),
            }
        }
    }
}

/// The values of one request header: CORS needs the first, and whether
/// there were more.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Values<'a> {
    Absent,
    One(RequestValue<'a>),
    Repeated(RequestValue<'a>),
}

impl<'a> Values<'a> {
    /// The values an iterator yields.
    #[inline]
    fn of(mut values: impl Iterator<Item = RequestValue<'a>>) -> Self {
        match (values.next(), values.next()) {
            (None, _) => Values::Absent,
            (Some(first), None) => Values::One(first),
            (Some(first), Some(_)) => Values::Repeated(first),
        }
    }

    /// The values after one more, `value`, is seen.
    #[inline]
    fn and(self, value: RequestValue<'a>) -> Self {
        match self {
            Values::Absent => Values::One(value),
            Values::One(first) | Values::Repeated(first) => Values::Repeated(first),
        }
    }
}

/// The request headers CORS and the cross-origin protection read.
#[derive(Debug, Clone, Copy)]
pub(crate) enum CorsRequestHeader {
    Origin,
    RequestMethod,
    RequestHeaders,
    /// `Sec-Fetch-Site`: the browser's own word on where a request comes from.
    SecFetchSite,
    /// `Cookie`: credentials a browser attaches by itself.
    Cookie,
    /// `Authorization`: credentials a browser attaches by itself for some schemes.
    Authorization,
    /// `Upgrade`: `websocket` on an HTTP/1.1 WebSocket handshake.
    Upgrade,
    /// `Sec-WebSocket-Version`: present on an HTTP/2 WebSocket `CONNECT`.
    SecWebSocketVersion,
    /// `Host`: the request's authority when the URI has none.
    Host,
    /// `X-HTTP-Method-Override`, which some frameworks obey.
    HttpMethodOverride,
    /// `X-HTTP-Method`, which some frameworks obey.
    HttpMethod,
    /// `X-Method-Override`, which some frameworks obey.
    MethodOverride,
}

impl CorsRequestHeader {
    /// The method-override headers, in the order they are judged.
    pub(crate) const METHOD_OVERRIDES: [CorsRequestHeader; 3] = [
        CorsRequestHeader::HttpMethodOverride,
        CorsRequestHeader::HttpMethod,
        CorsRequestHeader::MethodOverride,
    ];
}

/// A request's header map, as the front end reads it (private: implemented
/// for the header-map types of the supported `http` versions).
pub(crate) trait RequestHeaderMap {
    /// The values of `name`.
    fn values(&self, name: CorsRequestHeader) -> Values<'_>;

    /// `Origin`, `Access-Control-Request-Method` and `-Headers` at once. A
    /// map that can should read them in one pass over its headers when that
    /// is cheaper than [`RequestHeaderMap::lookups`] (for the few headers a
    /// small request carries).
    fn all_values(&self) -> [Values<'_>; 3] {
        self.lookups()
    }

    /// `Origin`'s values, and `true` when the map certainly has no `Upgrade`
    /// header (`false`: not known), for an actual request. A map that can
    /// should find both in one pass over its headers when that is cheaper
    /// than the lookup of `Origin` alone.
    fn origin_and_no_upgrade(&self) -> (Values<'_>, bool) {
        (self.values(CorsRequestHeader::Origin), false)
    }

    /// Whether some value of `name` satisfies `test`.
    fn any_value(
        &self,
        name: CorsRequestHeader,
        test: impl FnMut(RequestValue<'_>) -> bool,
    ) -> bool;

    /// The three CORS headers, one lookup each.
    #[inline]
    fn lookups(&self) -> [Values<'_>; 3] {
        [
            self.values(CorsRequestHeader::Origin),
            self.values(CorsRequestHeader::RequestMethod),
            self.values(CorsRequestHeader::RequestHeaders),
        ]
    }
}

/// The name of a [`CorsRequestHeader`] (`name of`), or the header a name is
/// as an index into [`RequestHeaderMap::all_values`]'s array (`slot of`), in
/// the `header` module in scope (both `http` versions name their constants
/// alike).
macro_rules! cors_request_header {
    (name of $which:expr) => {
        match $which {
            CorsRequestHeader::Origin => header::ORIGIN,
            CorsRequestHeader::RequestMethod => header::ACCESS_CONTROL_REQUEST_METHOD,
            CorsRequestHeader::RequestHeaders => header::ACCESS_CONTROL_REQUEST_HEADERS,
            CorsRequestHeader::SecFetchSite => {
                const { header::HeaderName::from_static("sec-fetch-site") }
            }
            CorsRequestHeader::Cookie => header::COOKIE,
            CorsRequestHeader::Authorization => header::AUTHORIZATION,
            CorsRequestHeader::Upgrade => header::UPGRADE,
            CorsRequestHeader::SecWebSocketVersion => header::SEC_WEBSOCKET_VERSION,
            CorsRequestHeader::Host => header::HOST,
            CorsRequestHeader::HttpMethodOverride => {
                const { header::HeaderName::from_static("x-http-method-override") }
            }
            CorsRequestHeader::HttpMethod => {
                const { header::HeaderName::from_static("x-http-method") }
            }
            CorsRequestHeader::MethodOverride => {
                const { header::HeaderName::from_static("x-method-override") }
            }
        }
    };
    (slot of $name:expr) => {
        if $name == header::ORIGIN {
            Some(0)
        } else if $name == header::ACCESS_CONTROL_REQUEST_METHOD {
            Some(1)
        } else if $name == header::ACCESS_CONTROL_REQUEST_HEADERS {
            Some(2)
        } else {
            None
        }
    };
}

/// Sorts a map's values, each tagged with the slot of its header (`None`
/// for a header CORS does not read), into the three CORS headers' values.
#[inline]
fn one_pass<'a>(
    values: impl Iterator<Item = (Option<usize>, RequestValue<'a>)>,
) -> [Values<'a>; 3] {
    let mut found = [Values::Absent; 3];
    for (slot, value) in values {
        if let Some(seen) = slot.and_then(|slot| found.get_mut(slot)) {
            *seen = seen.and(value);
        }
    }
    found
}

impl RequestHeaderMap for http::HeaderMap {
    #[inline]
    fn values(&self, name: CorsRequestHeader) -> Values<'_> {
        use http::header;
        let name = cors_request_header!(name of name);
        let Some(first) = self.get(&name) else {
            return Values::Absent;
        };
        // A map with as many values as names repeats no header: the usual
        // request, read with one lookup. Otherwise the name's values are
        // counted.
        if self.len() == self.keys_len() {
            return Values::One(RequestValue::Http(first));
        }
        Values::of(self.get_all(name).iter().map(RequestValue::Http))
    }

    #[inline]
    fn any_value(
        &self,
        name: CorsRequestHeader,
        test: impl FnMut(RequestValue<'_>) -> bool,
    ) -> bool {
        use http::header;
        let name = cors_request_header!(name of name);
        self.get_all(name).iter().map(RequestValue::Http).any(test)
    }

    #[inline]
    fn all_values(&self) -> [Values<'_>; 3] {
        use http::header;
        // A pass costs about 20 instructions per header, a lookup about 60:
        // small maps are read in one pass, a browser's dozen headers with
        // three lookups (`bench/instructions.sh` and
        // `bench/layer_instructions.sh` measure both).
        if self.len() > ONE_PASS_MAX_HEADERS {
            return self.lookups();
        }
        one_pass(self.iter().map(|(name, value)| {
            (
                cors_request_header!(slot of name),
                RequestValue::Http(value),
            )
        }))
    }

    #[inline]
    fn origin_and_no_upgrade(&self) -> (Values<'_>, bool) {
        // As in `all_values`: a small map is read in one pass, which also
        // sees whether `Upgrade` is there, so that a `GET` need not look it
        // up for the WebSocket handshake test.
        if self.len() > ONE_PASS_MAX_HEADERS {
            return (
                RequestHeaderMap::values(self, CorsRequestHeader::Origin),
                false,
            );
        }
        let mut origin = Values::Absent;
        let mut upgrade = false;
        for (name, value) in self {
            if name == http::header::ORIGIN {
                origin = origin.and(RequestValue::Http(value));
            } else if name == http::header::UPGRADE {
                upgrade = true;
            }
        }
        (origin, !upgrade)
    }
}

/// Up to this many header values, an `http` 1.x map is read in one pass
/// rather than with three lookups.
const ONE_PASS_MAX_HEADERS: usize = 8;

#[cfg(feature = "actix")]
impl RequestHeaderMap for actix_web::http::header::HeaderMap {
    #[inline]
    fn values(&self, name: CorsRequestHeader) -> Values<'_> {
        use actix_web::http::header;
        let name = cors_request_header!(name of name);
        Values::of(self.get_all(name).map(RequestValue::Actix))
    }

    fn any_value(
        &self,
        name: CorsRequestHeader,
        test: impl FnMut(RequestValue<'_>) -> bool,
    ) -> bool {
        use actix_web::http::header;
        let name = cors_request_header!(name of name);
        self.get_all(name).map(RequestValue::Actix).any(test)
    }

    fn all_values(&self) -> [Values<'_>; 3] {
        use actix_web::http::header;
        one_pass(self.iter().map(|(name, value)| {
            (
                cors_request_header!(slot of name),
                RequestValue::Actix(value),
            )
        }))
    }
}

cfg_adapters! {
    /// The first `Origin` value as text, for the adapters' events; empty when
    /// there is none or it is not visible ASCII (the header type's own
    /// `to_str` decides), so that no other byte reaches a log line.
    #[cfg(feature = "tracing")]
    pub(crate) fn origin_text<H: RequestHeaderMap + ?Sized>(headers: &H) -> &str {
        match headers.values(CorsRequestHeader::Origin) {
            Values::One(origin) | Values::Repeated(origin) => origin.to_str().unwrap_or_default(),
            Values::Absent => "",
        }
    }
}

/// Which requests a matcher reads `Access-Control-Request-*` on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    /// Preflights only (the DSL): an actual request is matched on its own
    /// method, and the headers are not even looked up.
    Preflights,
    /// Every CORS request (S3 matches them on actual requests too).
    Every,
}

/// The request's method as the front end and the cross-origin protection
/// read it: an `http` 1.x method, whose text is looked up only where it is
/// needed (a request without `Origin` never needs it), or the text an
/// adapter of another `http` version gives.
#[derive(Debug, Clone, Copy)]
pub(crate) enum MethodRef<'a> {
    /// An `http` 1.x method.
    Http(&'a http::Method),
    /// A method's text, exactly as received (from the adapters of other
    /// `http` versions).
    #[cfg(any(feature = "actix", feature = "rocket"))]
    Text(&'a str),
}

impl<'a> MethodRef<'a> {
    /// The method's text.
    #[inline]
    pub(crate) fn as_str(self) -> &'a str {
        match self {
            MethodRef::Http(method) => method.as_str(),
            #[cfg(any(feature = "actix", feature = "rocket"))]
            MethodRef::Text(text) => text,
        }
    }

    /// Whether this is `method` (compared byte for byte, as methods are).
    #[inline]
    pub(crate) fn is(self, method: &http::Method) -> bool {
        match self {
            MethodRef::Http(own) => own == method,
            #[cfg(any(feature = "actix", feature = "rocket"))]
            MethodRef::Text(text) => text == method.as_str(),
        }
    }
}

/// A CORS request (one with an `Origin` header), as the matchers see it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CorsRequest<'a> {
    /// A preflight or an actual request.
    pub(crate) kind: RequestKind,
    /// The first `Origin` value.
    pub(crate) origin: RequestValue<'a>,
    /// `Origin` was sent more than once.
    pub(crate) origin_repeated: bool,
    /// The request certainly has no `Upgrade` header (`false`: not known),
    /// so that it cannot be a WebSocket handshake over HTTP/1.1.
    pub(crate) no_upgrade: bool,
    /// The request's own method.
    pub(crate) method: &'a str,
    /// `Access-Control-Request-Method`'s values when the matcher reads them
    /// on this request (else `Absent`).
    pub(crate) request_method: Values<'a>,
    /// `Access-Control-Request-Headers`' values, likewise.
    pub(crate) request_headers: Values<'a>,
}

impl<'a> CorsRequest<'a> {
    /// The method and headers the request asks for, or why they cannot be
    /// read: checked when a matcher asks, so that a request denied for its
    /// origin first never checks them. Matchers decide whether that error
    /// counts before or after the origin is matched.
    #[inline]
    pub(crate) fn requested(&self) -> Result<Requested<'a>, MalformedPreflight> {
        requested(self.method, self.request_method, self.request_headers)
    }
}

/// What a request asks for: the method, and the raw
/// `Access-Control-Request-*` values when they were read.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Requested<'a> {
    /// The requested method (`Access-Control-Request-Method`), or the
    /// request's own method.
    pub(crate) method: &'a str,
    /// `Access-Control-Request-Method`'s value, echoed by some answers.
    pub(crate) method_value: Option<RequestValue<'a>>,
    /// `Access-Control-Request-Headers`' value, unchecked (the list is
    /// checked while rules are matched).
    pub(crate) headers: Option<RequestValue<'a>>,
}

/// Reads the CORS parts of a request: `None` when it has no `Origin` (not a
/// CORS request). Looks up `Origin`, and `Access-Control-Request-*` only
/// when `scope` needs them: the DSL's actual requests cost one lookup.
#[inline]
pub(crate) fn read<'a, H: RequestHeaderMap + ?Sized>(
    method: MethodRef<'a>,
    headers: &'a H,
    scope: Scope,
) -> Option<CorsRequest<'a>> {
    let options = method.is(&http::Method::OPTIONS);
    if !options && scope == Scope::Preflights {
        // Not a preflight, and the matcher ignores `Access-Control-Request-*`
        // outside preflights: only `Origin` is needed (and, for the
        // cross-origin protection, whether `Upgrade` is there, when that
        // comes at no extra lookup).
        let (origin, no_upgrade) = headers.origin_and_no_upgrade();
        let (origin, origin_repeated) = first(origin)?;
        return Some(CorsRequest {
            kind: RequestKind::Actual,
            origin,
            origin_repeated,
            no_upgrade,
            method: method.as_str(),
            request_method: Values::Absent,
            request_headers: Values::Absent,
        });
    }
    // A request whose `Access-Control-Request-*` may matter is read in one pass.
    let [origin, request_method, request_headers] = headers.all_values();
    let (origin, origin_repeated) = first(origin)?;
    let kind = if options && !matches!(request_method, Values::Absent) {
        RequestKind::Preflight
    } else {
        RequestKind::Actual
    };
    let (request_method, request_headers) =
        if kind == RequestKind::Preflight || scope == Scope::Every {
            (request_method, request_headers)
        } else {
            (Values::Absent, Values::Absent)
        };
    Some(CorsRequest {
        kind,
        origin,
        origin_repeated,
        no_upgrade: false,
        method: method.as_str(),
        request_method,
        request_headers,
    })
}

/// The first value, and whether there were more; `None` when absent.
#[inline]
pub(crate) fn first(values: Values<'_>) -> Option<(RequestValue<'_>, bool)> {
    match values {
        Values::Absent => None,
        Values::One(value) => Some((value, false)),
        Values::Repeated(value) => Some((value, true)),
    }
}

/// Checks `Access-Control-Request-Method` (one token; absent means the
/// request's own `method`) and reads `Access-Control-Request-Headers` (at
/// most one value).
#[inline]
fn requested<'a>(
    method: &'a str,
    request_method: Values<'a>,
    request_headers: Values<'a>,
) -> Result<Requested<'a>, MalformedPreflight> {
    let (method, method_value) = match request_method {
        Values::One(value) if preflight::is_token(value.as_bytes()) => (value.text(), Some(value)),
        Values::One(_) => return Err(MalformedPreflight::InvalidMethod),
        Values::Repeated(_) => return Err(MalformedPreflight::RepeatedMethod),
        Values::Absent => (method, None),
    };
    let headers = match request_headers {
        Values::Absent => None,
        Values::One(list) => Some(list),
        Values::Repeated(_) => return Err(MalformedPreflight::RepeatedHeaders),
    };
    Ok(Requested {
        method,
        method_value,
        headers,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::{HeaderMap, HeaderValue};

    fn summary(values: Values<'_>) -> (usize, Option<Vec<u8>>) {
        match values {
            Values::Absent => (0, None),
            Values::One(v) => (1, Some(v.as_bytes().to_vec())),
            Values::Repeated(v) => (2, Some(v.as_bytes().to_vec())),
        }
    }

    fn assert_reads_alike<H: RequestHeaderMap + std::fmt::Debug>(map: &H) {
        let one_pass = map.all_values().map(summary);
        let lookups = map.lookups().map(summary);
        assert_eq!(one_pass, lookups, "{map:?}");
    }

    /// The one pass finds what three lookups find, and both what the map
    /// holds, for every count (0, 1, 2) of each CORS header, among other
    /// headers (few, so that the map is read in one pass, or a browser's
    /// dozen, so that it is read with lookups; none repeated, or one), in any
    /// insertion order, in an `http` 1.x map and (feature `actix`) in
    /// actix-web's.
    #[test]
    fn one_pass_reads_what_three_lookups_read() {
        let names = [
            "origin",
            "access-control-request-method",
            "access-control-request-headers",
        ];
        let fillers: [&[&str]; 3] = [
            &["accept"],
            &[
                "accept",
                "host",
                "user-agent",
                "referer",
                "connection",
                "sec-fetch-mode",
                "sec-fetch-site",
                "sec-fetch-dest",
                "accept-language",
                "accept-encoding",
            ],
            &[
                "accept",
                "cookie",
                "cookie",
                "host",
                "user-agent",
                "referer",
                "connection",
            ],
        ];
        for filler in fillers {
            for counts in 0..27 {
                for rotate in 0..3 {
                    let mut map = HeaderMap::new();
                    for name in filler {
                        map.append(*name, HeaderValue::from_static("x"));
                    }
                    for offset in 0..3 {
                        let which = (offset + rotate) % 3;
                        let count = counts / 3usize.pow(which as u32) % 3;
                        for n in 0..count {
                            let value = format!("{}-{n}", names[which]);
                            map.append(names[which], HeaderValue::from_str(&value).unwrap());
                            map.append("x-other", HeaderValue::from_static("x"));
                        }
                    }
                    let held = names.map(|name| {
                        let values: Vec<_> = map.get_all(name).iter().collect();
                        (
                            values.len().min(2),
                            values.first().map(|v| v.as_bytes().to_vec()),
                        )
                    });
                    assert_eq!(map.all_values().map(summary), held, "{map:?}");
                    assert_reads_alike(&map);
                    #[cfg(feature = "actix")]
                    {
                        use actix_web::http::header as actix;
                        let mut other = actix::HeaderMap::new();
                        for (name, value) in &map {
                            other.append(
                                actix::HeaderName::from_bytes(name.as_str().as_bytes()).unwrap(),
                                actix::HeaderValue::from_bytes(value.as_bytes()).unwrap(),
                            );
                        }
                        assert_reads_alike(&other);
                        assert_eq!(
                            other.all_values().map(summary),
                            map.all_values().map(summary)
                        );
                    }
                }
            }
        }
    }

    /// An actual request's `Origin` read with the `Upgrade` test finds what
    /// a lookup of `Origin` finds, and says "no `Upgrade`" only when there
    /// is none, for every count (0, 1, 2) of both among few or many other
    /// headers.
    #[test]
    fn origin_and_upgrade_read_what_lookups_read() {
        let fillers: [&[&str]; 2] = [
            &["accept"],
            &[
                "accept",
                "host",
                "user-agent",
                "referer",
                "connection",
                "cookie",
                "cookie",
                "sec-fetch-site",
                "accept-language",
            ],
        ];
        for filler in fillers {
            for origins in 0..3 {
                for upgrades in 0..3 {
                    for upgrade_first in [false, true] {
                        let mut map = HeaderMap::new();
                        let mut add = |name: &'static str, count: usize| {
                            for n in 0..count {
                                let value = format!("{name}-{n}");
                                map.append(name, HeaderValue::from_str(&value).unwrap());
                            }
                        };
                        if upgrade_first {
                            add("upgrade", upgrades);
                        }
                        for name in filler {
                            add(name, 1);
                        }
                        add("origin", origins);
                        if !upgrade_first {
                            add("upgrade", upgrades);
                        }
                        let (origin, no_upgrade) = map.origin_and_no_upgrade();
                        let looked_up = RequestHeaderMap::values(&map, CorsRequestHeader::Origin);
                        assert_eq!(summary(origin), summary(looked_up), "{map:?}");
                        if no_upgrade {
                            assert!(map.get("upgrade").is_none(), "{map:?}");
                        }
                        if map.len() <= ONE_PASS_MAX_HEADERS {
                            assert_eq!(no_upgrade, upgrades == 0, "{map:?}");
                        }
                    }
                }
            }
        }
    }
}
