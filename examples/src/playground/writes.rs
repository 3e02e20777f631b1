//! The API's two ways of acting that CORS does not stop: a form post
//! (`POST /api/form`, what an HTML form or a `no-cors` fetch sends) and a
//! WebSocket that echoes messages (`GET /api/ws`). Each accepted write adds
//! one to a counter the page reads from its own origin, so the page can show
//! whether the side effect happened. Both sit behind the API's `Cors`
//! layer: when the cross-origin protection refuses a request, neither
//! handler runs and the counter stays where it was.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::response::{IntoResponse, Response};

use super::Playground;

/// The largest WebSocket message (and frame) the echo accepts, in bytes.
pub const MAX_ECHO_LEN: usize = 4 * 1024;

/// How many messages one WebSocket may send before the API closes it.
pub const MAX_ECHOES: usize = 16;

/// How long a WebSocket may stay silent before the API closes it.
const IDLE: Duration = Duration::from_secs(30);

/// The writes the API accepted: form posts and WebSocket messages.
#[derive(Debug, Default)]
pub struct Writes(AtomicU64);

impl Writes {
    /// How many writes the API has accepted so far.
    pub fn count(&self) -> u64 {
        self.0.load(Ordering::SeqCst)
    }

    /// Counts one more write and returns the new count.
    fn add(&self) -> u64 {
        self.0.fetch_add(1, Ordering::SeqCst).saturating_add(1)
    }
}

/// `POST /api/form`: the side effect a cross-site form would trigger. The
/// body is not read; the write is counting the request.
pub(super) async fn form_post(State(playground): State<Arc<Playground>>) -> Response {
    let count = playground.writes.add();
    format!("write #{count} accepted").into_response()
}

/// `GET /api/ws`: opens a WebSocket that answers each text or binary
/// message with an echo, each message counted as a write.
pub(super) async fn echo_socket(
    State(playground): State<Arc<Playground>>,
    upgrade: WebSocketUpgrade,
) -> Response {
    upgrade
        .max_message_size(MAX_ECHO_LEN)
        .max_frame_size(MAX_ECHO_LEN)
        .on_upgrade(move |socket| echo(playground, socket))
}

/// Echoes up to [`MAX_ECHOES`] messages, then closes; a socket silent for
/// longer than [`IDLE`], or that fails, is dropped.
async fn echo(playground: Arc<Playground>, mut socket: WebSocket) {
    for _ in 0..MAX_ECHOES {
        let Ok(Some(Ok(message))) = tokio::time::timeout(IDLE, socket.recv()).await else {
            return;
        };
        let reply = match message {
            Message::Text(text) => {
                let count = playground.writes.add();
                Message::text(format!("echo (write #{count}): {}", text.as_str()))
            }
            Message::Binary(bytes) => {
                playground.writes.add();
                Message::Binary(bytes)
            }
            Message::Close(_) => return,
            // Pings are answered by the socket itself.
            Message::Ping(_) | Message::Pong(_) => continue,
        };
        if socket.send(reply).await.is_err() {
            return;
        }
    }
    let _ = socket.send(Message::Close(None)).await;
}
