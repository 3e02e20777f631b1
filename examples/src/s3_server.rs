//! A tiny S3-style server: buckets whose CORS configurations arrive over the
//! API (`PUT /{bucket}?cors`, JSON or XML) and are applied to preflights and
//! object reads exactly as Amazon S3 applies them, error answers included.
//!
//! | request | answer |
//! | --- | --- |
//! | `PUT /{bucket}` | creates the bucket |
//! | `PUT /{bucket}?cors` (JSON or XML body) | stores its CORS configuration, validated with S3's rules; `400` with S3's error XML otherwise |
//! | `GET /{bucket}?cors` | the configuration as XML; `404 NoSuchCORSConfiguration` |
//! | `DELETE /{bucket}?cors` | removes it; `204` |
//! | `PUT /{bucket}/{key}` | stores an object |
//! | `GET`/`HEAD /{bucket}/{key}` | the object, with the CORS headers of the first matching rule |
//! | `OPTIONS /{bucket}[/{key}]` | the preflight answer: `200` with the CORS headers, or S3's `400`/`403` error XML |

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use cors_runtime::s3::answers::{self, ErrorAnswer, ResourceType};
use cors_runtime::Policy;

/// The most bytes a request body may have (S3 limits CORS documents to 64 KB).
const MAX_BODY: usize = 1 << 20;

/// One bucket: its objects and its CORS policy, if configured.
#[derive(Default)]
struct Bucket {
    objects: HashMap<String, Vec<u8>>,
    cors: Option<Arc<Policy>>,
}

/// The server's state: buckets by name.
#[derive(Clone, Default)]
pub struct Store {
    buckets: Arc<RwLock<HashMap<String, Bucket>>>,
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
    let cors_api = request.uri().query() == Some("cors");
    match (request.method().clone(), cors_api, key) {
        (Method::OPTIONS, _, key) => preflight(&store, &bucket, key.is_some(), &request),
        (Method::PUT, true, None) => put_cors(&store, &bucket, request).await,
        (Method::GET, true, None) => get_cors(&store, &bucket),
        (Method::DELETE, true, None) => {
            if let Some(b) = store
                .buckets
                .write()
                .unwrap_or_else(|e| e.into_inner())
                .get_mut(&bucket)
            {
                b.cors = None;
            }
            StatusCode::NO_CONTENT.into_response()
        }
        (Method::PUT, false, None) => {
            store
                .buckets
                .write()
                .unwrap_or_else(|e| e.into_inner())
                .entry(bucket)
                .or_default();
            StatusCode::OK.into_response()
        }
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

/// Stores a configuration sent as JSON (`{"CORSRules": ...}`) or XML.
async fn put_cors(store: &Store, bucket: &str, request: Request) -> Response {
    let Ok(body) = to_bytes(request.into_body(), MAX_BODY).await else {
        return plain_error(
            StatusCode::BAD_REQUEST,
            "MalformedXML",
            "The request body is too large.",
        );
    };
    let text = String::from_utf8_lossy(&body);
    let loaded = if text.trim_start().starts_with('<') {
        Policy::from_s3_xml(&text)
    } else {
        Policy::from_s3_json(&text)
    };
    let policy = match loaded {
        Ok(policy) => policy,
        Err(error) => {
            return plain_error(
                StatusCode::BAD_REQUEST,
                error.code().as_str(),
                &escape(&error.to_string()),
            )
        }
    };
    let mut buckets = store.buckets.write().unwrap_or_else(|e| e.into_inner());
    match buckets.get_mut(bucket) {
        Some(b) => {
            b.cors = Some(Arc::new(policy));
            StatusCode::OK.into_response()
        }
        None => plain_error(
            StatusCode::NOT_FOUND,
            "NoSuchBucket",
            "The specified bucket does not exist",
        ),
    }
}

fn get_cors(store: &Store, bucket: &str) -> Response {
    let buckets = store.buckets.read().unwrap_or_else(|e| e.into_inner());
    match buckets
        .get(bucket)
        .map(|b| b.cors.as_ref().and_then(|p| p.to_s3_xml()))
    {
        None => plain_error(
            StatusCode::NOT_FOUND,
            "NoSuchBucket",
            "The specified bucket does not exist",
        ),
        Some(None) => plain_error(
            StatusCode::NOT_FOUND,
            "NoSuchCORSConfiguration",
            "The CORS configuration does not exist",
        ),
        Some(Some(xml_text)) => xml(StatusCode::OK, xml_text),
    }
}

async fn put_object(store: &Store, bucket: &str, key: String, request: Request) -> Response {
    let Ok(body) = to_bytes(request.into_body(), MAX_BODY).await else {
        return plain_error(
            StatusCode::BAD_REQUEST,
            "EntityTooLarge",
            "Your proposed upload exceeds the maximum allowed size",
        );
    };
    match store
        .buckets
        .write()
        .unwrap_or_else(|e| e.into_inner())
        .get_mut(bucket)
    {
        Some(b) => {
            b.objects.insert(key, body.to_vec());
            StatusCode::OK.into_response()
        }
        None => plain_error(
            StatusCode::NOT_FOUND,
            "NoSuchBucket",
            "The specified bucket does not exist",
        ),
    }
}

/// An object read: served whatever CORS says (S3 never refuses an actual
/// request), with the CORS headers of the matching rule, if any.
fn get_object(store: &Store, bucket: &str, key: &str, request: &Request) -> Response {
    let buckets = store.buckets.read().unwrap_or_else(|e| e.into_inner());
    let Some(b) = buckets.get(bucket) else {
        return plain_error(
            StatusCode::NOT_FOUND,
            "NoSuchBucket",
            "The specified bucket does not exist",
        );
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
    let buckets = store.buckets.read().unwrap_or_else(|e| e.into_inner());
    let Some(b) = buckets.get(bucket) else {
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
