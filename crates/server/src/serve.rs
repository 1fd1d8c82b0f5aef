//! Accepting connections. Each one takes a slot under a cap (in all, and per client address),
//! gets `TCP_NODELAY`, must send a request's headers within the header timeout and may sit
//! idle between requests no longer than that. A websocket leaves those timeouts behind (its
//! own heartbeat decides, see `routes::feed`) but keeps its slot until it closes. Past the cap
//! a connection is answered a short 503 and closed, so the connections already open, and
//! the ones that come when a slot frees, are served.

use crate::client;
use crate::config::Limits;
use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::Request;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;
use switchboard_protocol::{ApiError, ErrorCode};
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::task::JoinSet;
use tower::ServiceExt;

/// File descriptors kept for what is not a client connection: the database, files being
/// read and written, calls to providers, refusals.
const FD_RESERVE: u64 = 256;
/// Refusals being written at once; past that a connection is closed without a word.
const MAX_REFUSING: usize = 64;
const REFUSAL_TIMEOUT: Duration = Duration::from_secs(1);

/// Raises the soft open-file limit as far as the hard one allows; the connection cap that
/// leaves room for, at most `wanted`.
pub fn connection_cap(wanted: usize) -> usize {
    let fds = match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) => limit,
        Err(error) => {
            tracing::warn!(%error, "could not read or raise the open-file limit");
            return wanted;
        }
    };
    let room = usize::try_from(fds.saturating_sub(FD_RESERVE)).unwrap_or(usize::MAX);
    if room < wanted {
        tracing::warn!(
            open_file_limit = fds,
            connections = room,
            "the open-file limit allows fewer connections than configured (raise `ulimit -n`)"
        );
    }
    wanted.min(room).max(1)
}

/// Serves `router` on `listener` until the task running this is aborted, which closes every
/// connection it opened.
pub async fn run(listener: TcpListener, router: Router, limits: Limits) {
    let slots = Slots::new(limits.max_connections, limits.max_connections_per_client);
    let refusing = Arc::new(Semaphore::new(MAX_REFUSING));
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => match slots.take(peer.ip()) {
                    Some(slot) => {
                        let router = router.clone();
                        connections.spawn(serve_one(stream, peer, slot, router, limits.header_timeout));
                    }
                    None => {
                        if let Ok(turn) = refusing.clone().try_acquire_owned() {
                            connections.spawn(refuse(stream, turn, slots.full()));
                        }
                    }
                },
                Err(error) => {
                    // Out of file descriptors, or a connection reset before it was taken:
                    // pause instead of spinning on the same error.
                    tracing::warn!(%error, "could not accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

async fn serve_one(
    stream: TcpStream,
    peer: SocketAddr,
    slot: Slot,
    router: Router,
    header_timeout: Duration,
) {
    // Small responses go out at once instead of waiting for an acknowledgement (Nagle).
    let _ = stream.set_nodelay(true);
    let io = TokioIo::new(Held {
        stream,
        _slot: slot,
    });
    let service = router.map_request(move |mut request: Request<Incoming>| {
        request.extensions_mut().insert(ConnectInfo(peer));
        request.map(Body::new)
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(header_timeout);
    let connection = builder
        .serve_connection(io, TowerToHyperService::new(service))
        .with_upgrades();
    if let Err(error) = connection.await {
        tracing::debug!(%error, %peer, "connection ended");
    }
}

/// What a connection past a cap is told before it is closed: the server's (`all`), or the
/// client's own share.
async fn refuse(mut stream: TcpStream, _turn: OwnedSemaphorePermit, all: bool) {
    let message = if all {
        "The server has as many connections open as it can take. Try again in a few seconds."
    } else {
        "Too many connections are open from your address. Close some, then try again."
    };
    let body = serde_json::to_string(&ApiError::new(ErrorCode::TooManyConnections, message))
        .unwrap_or_default();
    let answer = format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\nretry-after: 5\r\nconnection: close\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    );
    let _ = tokio::time::timeout(REFUSAL_TIMEOUT, async {
        stream.write_all(answer.as_bytes()).await?;
        stream.shutdown().await
    })
    .await;
}

/// Open connections per client network.
type OpenPerClient = Arc<Mutex<HashMap<IpAddr, usize>>>;

/// The connection caps: a semaphore for all, a count per client network.
struct Slots {
    total: Arc<Semaphore>,
    per_client: Option<(usize, OpenPerClient)>,
}

impl Slots {
    fn new(max: usize, per_client: Option<usize>) -> Slots {
        Slots {
            total: Arc::new(Semaphore::new(max)),
            per_client: per_client.map(|cap| (cap, Arc::default())),
        }
    }

    /// Whether every slot is taken.
    fn full(&self) -> bool {
        self.total.available_permits() == 0
    }

    fn take(&self, ip: IpAddr) -> Option<Slot> {
        let permit = self.total.clone().try_acquire_owned().ok()?;
        let client = match &self.per_client {
            None => None,
            Some((cap, counts)) => {
                let network = client::network(ip);
                let mut open = counts.lock().unwrap_or_else(|e| e.into_inner());
                let count = open.entry(network).or_insert(0);
                if *count >= *cap {
                    return None;
                }
                *count += 1;
                Some((network, counts.clone()))
            }
        };
        Some(Slot {
            _permit: permit,
            client,
        })
    }
}

/// A connection's place under the caps, given back when the connection closes.
struct Slot {
    _permit: OwnedSemaphorePermit,
    client: Option<(IpAddr, OpenPerClient)>,
}

impl Drop for Slot {
    fn drop(&mut self) {
        if let Some((network, counts)) = &self.client {
            let mut counts = counts.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(count) = counts.get_mut(network) {
                *count -= 1;
                if *count == 0 {
                    counts.remove(network);
                }
            }
        }
    }
}

/// The socket with its slot: an upgraded websocket takes both along.
struct Held {
    stream: TcpStream,
    _slot: Slot,
}

impl AsyncRead for Held {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Held {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_gets_its_share_and_a_closed_connection_gives_its_slot_back() {
        let slots = Slots::new(3, Some(2));
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        let first = slots.take(a).unwrap();
        let _second = slots.take(a).unwrap();
        assert!(slots.take(a).is_none(), "a's share is two");
        let _third = slots.take(b).unwrap();
        assert!(slots.take(b).is_none(), "three in all");
        drop(first);
        assert!(
            slots.take(a).is_some(),
            "a closed connection frees its slot"
        );
    }
}
