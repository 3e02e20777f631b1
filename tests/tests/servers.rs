//! The tower layer in real servers: hyper 1 and tonic, each serving on a
//! loopback port and answering raw HTTP/1.1 requests through the layer.

use std::convert::Infallible;
use std::net::Ipv4Addr;

use cors_runtime::tower::CorsLayer;
use cors_tests::SIMPLE;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tower::Layer;

/// Sends one raw HTTP/1.1 request and returns the whole response as text.
async fn exchange(port: u16, request: &str) -> String {
    let mut stream = TcpStream::connect((Ipv4Addr::LOCALHOST, port))
        .await
        .expect("connect");
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.expect("read");
    String::from_utf8_lossy(&response).to_lowercase()
}

const PREFLIGHT: &str = "OPTIONS /x HTTP/1.1\r\nhost: localhost\r\norigin: https://app.example.com\r\n\
access-control-request-method: POST\r\naccess-control-request-headers: content-type\r\nconnection: close\r\n\r\n";

const ACTUAL: &str = "GET /x HTTP/1.1\r\nhost: localhost\r\norigin: https://app.example.com\r\nconnection: close\r\n\r\n";

#[tokio::test]
async fn hyper_1_serves_through_the_layer() {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .await
        .expect("bind");
    let port = listener.local_addr().expect("address").port();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            let service = CorsLayer::new(&SIMPLE).layer(tower::service_fn(
                |_request: http::Request<hyper::body::Incoming>| async {
                    Ok::<_, Infallible>(http::Response::new(String::from("from hyper")))
                },
            ));
            let service = hyper_util::service::TowerToHyperService::new(service);
            tokio::spawn(async move {
                let io = hyper_util::rt::TokioIo::new(stream);
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(io, service)
                    .await;
            });
        }
    });
    let preflight = exchange(port, PREFLIGHT).await;
    assert!(preflight.starts_with("http/1.1 204"), "{preflight}");
    assert!(
        preflight.contains("access-control-allow-origin: https://app.example.com"),
        "{preflight}"
    );
    assert!(
        preflight.contains("access-control-allow-headers: content-type"),
        "{preflight}"
    );
    let actual = exchange(port, ACTUAL).await;
    assert!(actual.starts_with("http/1.1 200"), "{actual}");
    assert!(
        actual.contains("access-control-allow-origin: https://app.example.com"),
        "{actual}"
    );
    assert!(actual.contains("vary: origin"), "{actual}");
    assert!(actual.ends_with("from hyper"), "{actual}");
}

#[tokio::test]
async fn tonic_serves_through_the_layer() {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .await
        .expect("bind");
    let port = listener.local_addr().expect("address").port();
    let incoming = tokio_stream::wrappers::TcpListenerStream::new(listener);
    tokio::spawn(
        tonic::transport::Server::builder()
            .accept_http1(true)
            .layer(CorsLayer::new(&SIMPLE))
            .add_routes(tonic::service::Routes::default())
            .serve_with_incoming(incoming),
    );
    // A browser's (grpc-web) preflight is answered by the layer before
    // tonic's router, which has no route for it.
    let preflight = exchange(port, PREFLIGHT).await;
    assert!(preflight.starts_with("http/1.1 204"), "{preflight}");
    assert!(
        preflight.contains("access-control-allow-methods: get, post"),
        "{preflight}"
    );
    // An actual request reaches tonic (no such service) and still gets the
    // CORS headers on tonic's answer.
    let actual = exchange(port, ACTUAL).await;
    assert!(
        actual.contains("access-control-allow-origin: https://app.example.com"),
        "{actual}"
    );
    assert!(actual.contains("vary: origin"), "{actual}");
}
