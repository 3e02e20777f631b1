//! A tiny S3-style server: buckets whose CORS configurations arrive over the
//! API (`PUT /{bucket}?cors`, JSON or XML) and are applied to preflights and
//! object reads exactly as Amazon S3 applies them, error answers included.
//!
//! | request | answer |
//! | --- | --- |
//! | `PUT /{bucket}` | creates the bucket (at most 100: `TooManyBuckets`) |
//! | `PUT /{bucket}?cors` (JSON or XML body, at most 64 KB) | stores its CORS configuration, validated with S3's rules; `400` with S3's error XML otherwise (naming the first problem, as S3 does; `MaxMessageLengthExceeded` for a larger body) |
//! | `GET /{bucket}?cors` | the configuration as XML; `404 NoSuchCORSConfiguration` |
//! | `DELETE /{bucket}?cors` | removes it; `204`; `404 NoSuchBucket` |
//! | `PUT /{bucket}/{key}` | stores an object (at most 1 MiB each and 64 MiB in all: `EntityTooLarge`) |
//! | `GET`/`HEAD /{bucket}/{key}` | the object, with the CORS headers of the first matching rule |
//! | `OPTIONS /{bucket}[/{key}]` | the preflight answer: `200` with the CORS headers, or S3's `400`/`403` error XML |
//!
//! Any query with a `cors` key names the CORS sub-resource, as for S3:
//! `?cors`, `?cors=`, `?cors=1` and `?cors&x-id=PutBucketCors` (what AWS SDKs
//! send) alike.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use cors_runtime::s3::answers::{self, ErrorAnswer, ResourceType};
use cors_runtime::s3::MAX_DOCUMENT_LEN;
use cors_runtime::Policy;

/// The most bytes an object may have.
const MAX_OBJECT: usize = 1 << 20;

/// The most bytes all objects (keys and contents) may take together.
pub const MAX_STORED: usize = 64 << 20;

/// The most buckets (S3's default quota).
pub const MAX_BUCKETS: usize = 100;

/// The longest object key (S3's limit, in bytes).
const MAX_KEY_LEN: usize = 1024;

/// One bucket: its objects and its CORS policy, if configured.
#[derive(Default)]
struct Bucket {
    objects: HashMap<String, Vec<u8>>,
    cors: Option<Arc<Policy>>,
}

/// The server's state: buckets by name, and the bytes their objects take.
#[derive(Default)]
struct Buckets {
    by_name: HashMap<String, Bucket>,
    stored: usize,
}

/// The server's state, shared by every request.
#[derive(Clone, Default)]
pub struct Store {
    buckets: Arc<RwLock<Buckets>>,
}

impl Store {
    fn read(&self) -> std::sync::RwLockReadGuard<'_, Buckets> {
        self.buckets.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Buckets> {
        self.buckets.write().unwrap_or_else(|e| e.into_inner())
    }
}

/// The server's router.
pub fn router() -> Router {
    Router::new().fallback(handle).with_state(Store::default())
}

fn xml(status: StatusCode, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, "application/xml")], body).into_response()
}

fn s3_error(answer: ErrorAnswer, method: &str, resource: ResourceType) -> Response {
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::FORBIDDEN);
    xml(status, answer.body(method, resource))
}

fn plain_error(status: StatusCode, code: &str, message: &str) -> Response {
    xml(status, format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{message}</Message></Error>"))
}

fn no_such_bucket() -> Response {
    plain_error(
        StatusCode::NOT_FOUND,
        "NoSuchBucket",
        "The specified bucket does not exist",
    )
}

/// Whether the query names the CORS sub-resource: any `cors` key, with or
/// without a value, among other parameters or not.
fn is_cors_subresource(query: Option<&str>) -> bool {
    query.is_some_and(|query| {
        query
            .split('&')
            .any(|pair| pair.split('=').next() == Some("cors"))
    })
}

async fn handle(State(store): State<Store>, request: Request) -> Response {
    let path = request.uri().path().trim_start_matches('/').to_owned();
    let (bucket, key) = match path.split_once('/') {
        Some((bucket, key)) if !key.is_empty() => (bucket.to_owned(), Some(key.to_owned())),
        _ => (path.trim_end_matches('/').to_owned(), None),
    };
    if bucket.is_empty() {
        return plain_error(
            StatusCode::BAD_REQUEST,
            "InvalidRequest",
            "name a bucket: /{bucket}",
        );
    }
    let cors_api = is_cors_subresource(request.uri().query());
    match (request.method().clone(), cors_api, key) {
        (Method::OPTIONS, _, key) => preflight(&store, &bucket, key.is_some(), &request),
        (Method::PUT, true, None) => put_cors(&store, &bucket, request).await,
        (Method::GET, true, None) => get_cors(&store, &bucket),
        (Method::DELETE, true, None) => match store.write().by_name.get_mut(&bucket) {
            Some(b) => {
                b.cors = None;
                StatusCode::NO_CONTENT.into_response()
            }
            None => no_such_bucket(),
        },
        (Method::PUT, false, None) => create_bucket(&store, bucket),
        (Method::PUT, false, Some(key)) => put_object(&store, &bucket, key, request).await,
        (Method::GET | Method::HEAD, false, Some(key)) => {
            get_object(&store, &bucket, &key, &request)
        }
        _ => plain_error(
            StatusCode::METHOD_NOT_ALLOWED,
            "MethodNotAllowed",
            "The specified method is not allowed against this resource.",
        ),
    }
}

fn create_bucket(store: &Store, bucket: String) -> Response {
    let mut buckets = store.write();
    if !buckets.by_name.contains_key(&bucket) && buckets.by_name.len() >= MAX_BUCKETS {
        return plain_error(
            StatusCode::BAD_REQUEST,
            "TooManyBuckets",
            "You have attempted to create more buckets than allowed",
        );
    }
    buckets.by_name.entry(bucket).or_default();
    StatusCode::OK.into_response()
}

/// Stores a configuration sent as JSON (`{"CORSRules": ...}`) or XML. The
/// body is read only up to S3's document limit; S3's answer to a refused
/// configuration names its first problem.
async fn put_cors(store: &Store, bucket: &str, request: Request) -> Response {
    if !store.read().by_name.contains_key(bucket) {
        return no_such_bucket();
    }
    let Ok(body) = to_bytes(request.into_body(), MAX_DOCUMENT_LEN).await else {
        return plain_error(
            StatusCode::BAD_REQUEST,
            "MaxMessageLengthExceeded",
            &format!("Your request was too big: a CORS configuration has at most {MAX_DOCUMENT_LEN} bytes."),
        );
    };
    let Ok(text) = std::str::from_utf8(&body) else {
        return plain_error(
            StatusCode::BAD_REQUEST,
            "MalformedXML",
            "The XML you provided was not well-formed or did not validate against our published schema: the body is not UTF-8",
        );
    };
    let trimmed = text.trim_start_matches('\u{FEFF}').trim_start();
    let loaded = if trimmed.starts_with('<') {
        Policy::from_s3_xml(text)
    } else {
        Policy::from_s3_json(text)
    };
    let policy = match loaded {
        Ok(policy) => policy,
        Err(error) => {
            return plain_error(
                StatusCode::BAD_REQUEST,
                error.code().as_str(),
                &escape(&error.s3_message()),
            )
        }
    };
    match store.write().by_name.get_mut(bucket) {
        Some(b) => {
            b.cors = Some(Arc::new(policy));
            StatusCode::OK.into_response()
        }
        None => no_such_bucket(),
    }
}

fn get_cors(store: &Store, bucket: &str) -> Response {
    let buckets = store.read();
    match buckets
        .by_name
        .get(bucket)
        .map(|b| b.cors.as_ref().and_then(|p| p.to_s3_xml()))
    {
        None => no_such_bucket(),
        Some(None) => plain_error(
            StatusCode::NOT_FOUND,
            "NoSuchCORSConfiguration",
            "The CORS configuration does not exist",
        ),
        Some(Some(xml_text)) => xml(StatusCode::OK, xml_text),
    }
}

/// Stores an object, within the per-object and total size limits.
async fn put_object(store: &Store, bucket: &str, key: String, request: Request) -> Response {
    let too_large = |message: &str| plain_error(StatusCode::BAD_REQUEST, "EntityTooLarge", message);
    if key.len() > MAX_KEY_LEN {
        return plain_error(
            StatusCode::BAD_REQUEST,
            "KeyTooLongError",
            "Your key is too long",
        );
    }
    let Ok(body) = to_bytes(request.into_body(), MAX_OBJECT).await else {
        return too_large("Your proposed upload exceeds the maximum allowed size");
    };
    let mut buckets = store.write();
    let Buckets { by_name, stored } = &mut *buckets;
    let Some(b) = by_name.get_mut(bucket) else {
        return no_such_bucket();
    };
    let replaced = b.objects.get(&key).map_or(0, |old| key.len() + old.len());
    let after = *stored - replaced + key.len() + body.len();
    if after > MAX_STORED {
        return too_large(&format!(
            "Your proposed upload exceeds the server's storage limit of {MAX_STORED} bytes"
        ));
    }
    *stored = after;
    b.objects.insert(key, body.to_vec());
    StatusCode::OK.into_response()
}

/// An object read: served whatever CORS says (S3 never refuses an actual
/// request), with the CORS headers of the matching rule, if any.
fn get_object(store: &Store, bucket: &str, key: &str, request: &Request) -> Response {
    let buckets = store.read();
    let Some(b) = buckets.by_name.get(bucket) else {
        return no_such_bucket();
    };
    let mut response = match b.objects.get(key) {
        Some(object) => (StatusCode::OK, Body::from(object.clone())).into_response(),
        None => plain_error(
            StatusCode::NOT_FOUND,
            "NoSuchKey",
            "The specified key does not exist.",
        ),
    };
    if let Some(policy) = &b.cors {
        policy
            .evaluate(request.method(), request.headers())
            .apply(response.headers_mut());
    }
    response
}

/// A preflight, answered as S3 does.
fn preflight(store: &Store, bucket: &str, object: bool, request: &Request) -> Response {
    let resource = if object {
        ResourceType::Object
    } else {
        ResourceType::Bucket
    };
    let requested = request
        .headers()
        .get(header::ACCESS_CONTROL_REQUEST_METHOD)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("OPTIONS")
        .to_owned();
    if !request.headers().contains_key(header::ORIGIN) {
        return s3_error(answers::ORIGIN_MISSING, &requested, resource);
    }
    let buckets = store.read();
    let Some(b) = buckets.by_name.get(bucket) else {
        return s3_error(answers::BUCKET_NOT_FOUND, &requested, ResourceType::Bucket);
    };
    let Some(policy) = &b.cors else {
        return s3_error(answers::NOT_ENABLED, &requested, ResourceType::Bucket);
    };
    let decision = policy.evaluate(request.method(), request.headers());
    match decision.preflight_status() {
        Some(status) if status.is_success() => {
            let mut response = status.into_response();
            decision.apply(response.headers_mut());
            response
                .headers_mut()
                .insert(header::CONTENT_LENGTH, HeaderValue::from_static("0"));
            response
        }
        // Denied, or OPTIONS without Access-Control-Request-Method.
        _ => s3_error(answers::NOT_ALLOWED, &requested, resource),
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
