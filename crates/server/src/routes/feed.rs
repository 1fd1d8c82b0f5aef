//! `GET /api/v1/feed`: the websocket. See `switchboard_protocol::feed` for the conversation.
//!
//! A socket joins the hub (`fanout`) first, then replays the log after `since` up to the head
//! itself, then sends the frames the hub queues for it, skipping any at or before the last seq
//! it sent: nothing committed can be skipped or sent twice. When the hub drops its queue (the
//! client was too slow to keep up) it reads what it missed from the log and joins again.

use crate::AppState;
use crate::auth;
use crate::error::{AppError, AppResult};
use crate::feed_counts;
use crate::store::{counts, events, sessions};
use axum::extract::State;
use axum::extract::ws::{
    CloseFrame, Message, Utf8Bytes, WebSocket, WebSocketUpgrade,
    rejection::WebSocketUpgradeRejection,
};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;
use switchboard_protocol::{Agent, ApiError, ClientFrame, ErrorCode, Seq, ServerFrame};
use tokio::sync::broadcast;
use tokio::time::{Instant, interval_at, timeout};

const HELLO_TIMEOUT: Duration = Duration::from_secs(10);
const BATCH: u32 = 500;
const MAX_FRAME: usize = 16 * 1024;
/// Room for a hello or a ping (a larger frame, up to `MAX_FRAME`, grows it while it is read).
const READ_BUFFER: usize = 256;
/// What may wait to be written to one socket before it is given up (a client that stopped
/// reading); the hub's queue holds the rest.
const MAX_WRITE_BUFFER: usize = 256 * 1024;
/// Feed sockets one agent may hold open at once.
pub const MAX_FEEDS_PER_AGENT: usize = 32;

/// Close codes in the private range, so the client can tell why.
pub const CLOSE_UNAUTHENTICATED: u16 = 4401;
pub const CLOSE_PROTOCOL: u16 = 4400;

pub async fn upgrade(
    State(state): State<AppState>,
    headers: HeaderMap,
    ws: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Response {
    let ws = match ws {
        Ok(ws) => ws,
        Err(_) => {
            return AppError::invalid(
                "This endpoint is a websocket: connect with a websocket client.",
            )
            .into_response();
        }
    };
    // The cookie is only trusted when our own pages open the socket (no cross-site hijacking).
    let cookie = auth::same_origin(&headers, state.config.public_origin.as_deref())
        .then(|| auth::cookie_token(&headers).map(str::to_owned))
        .flatten();
    // Small buffers: a client only sends hello and pings, and every frame we send is flushed
    // at once. Idle sockets are most of them, and tungstenite's defaults (128 KiB to read)
    // were most of an idle socket's memory.
    ws.max_message_size(MAX_FRAME)
        .max_frame_size(MAX_FRAME)
        .read_buffer_size(READ_BUFFER)
        .write_buffer_size(0)
        .max_write_buffer_size(MAX_WRITE_BUFFER)
        .on_upgrade(move |socket| async move {
            if let Err(error) = run(state, Box::new(socket), cookie).await {
                tracing::warn!(%error, "feed closed on an error");
            }
        })
}

async fn send(socket: &mut WebSocket, frame: &ServerFrame) -> AppResult<()> {
    let text = serde_json::to_string(frame).map_err(|e| AppError::internal(e.to_string()))?;
    send_text(socket, text.into()).await
}

async fn send_text(socket: &mut WebSocket, text: Utf8Bytes) -> AppResult<()> {
    send_message(socket, Message::Text(text)).await
}

async fn send_message(socket: &mut WebSocket, message: Message) -> AppResult<()> {
    socket
        .send(message)
        .await
        .map_err(|e| AppError::internal(format!("socket send: {e}")))
}

/// Tells the client why, then closes. Boxed like the rest of the occasional work (`run`): the
/// largest of them, it set the size of every waiting socket's task.
fn refuse(
    mut socket: Box<WebSocket>,
    close_code: u16,
    error: ApiError,
) -> Pin<Box<dyn Future<Output = AppResult<()>> + Send>> {
    Box::pin(async move {
        let reason = error.message.clone();
        send(&mut socket, &ServerFrame::Error(error)).await?;
        let frame = CloseFrame {
            code: close_code,
            reason: reason.chars().take(100).collect::<String>().into(),
        };
        // The peer may already be gone; there is nothing left to tell it either way.
        let _ = socket.send(Message::Close(Some(frame))).await;
        Ok(())
    })
}

fn parse(message: &Message) -> Option<Result<ClientFrame, String>> {
    match message {
        Message::Text(text) => Some(serde_json::from_str(text).map_err(|e| e.to_string())),
        Message::Binary(_) => Some(Err("frames are JSON text".into())),
        _ => None,
    }
}

/// The agent of a live session with this token.
async fn session_agent(state: &AppState, token: &str) -> AppResult<Option<Agent>> {
    sessions::agent(&mut *state.db.pool().acquire().await?, token).await
}

/// A socket's task lives as long as the socket, and most sockets wait. What it does now and then
/// (checking the session, reading the log, coming online, refusing) is boxed: awaited in place,
/// the largest of those futures would be the size of every waiting socket. The socket is boxed
/// too: an async fn's argument is kept twice in its future.
async fn run(state: AppState, mut socket: Box<WebSocket>, cookie: Option<String>) -> AppResult<()> {
    // 1. The first frame must be hello, and soon.
    let first = match timeout(HELLO_TIMEOUT, socket.recv()).await {
        Ok(Some(Ok(message))) => parse(&message),
        _ => return Ok(()),
    };
    let Some(Ok(ClientFrame::Hello { token, since, log })) = first else {
        let error = ApiError::new(ErrorCode::HelloRequired, "The first frame must be a hello.");
        return refuse(socket, CLOSE_PROTOCOL, error).await;
    };
    let Some(token) = token.or(cookie) else {
        return refuse(socket, CLOSE_UNAUTHENTICATED, unauthenticated()).await;
    };
    let Some(agent) = Box::pin(session_agent(&state, &token)).await? else {
        return refuse(socket, CLOSE_UNAUTHENTICATED, unauthenticated()).await;
    };

    // One login cannot take every connection the server has: a person has a few tabs open.
    if state.presence.sockets(agent.id) >= MAX_FEEDS_PER_AGENT {
        let error = ApiError::new(
            ErrorCode::TooManyConnections,
            format!("At most {MAX_FEEDS_PER_AGENT} open apps per agent: close some tabs."),
        );
        return refuse(socket, CLOSE_PROTOCOL, error).await;
    }
    // 2. Where this client starts. Joined before the log is read, so that whatever is
    // committed after that read is queued.
    let mut live = state.fanout.join(agent.id);
    // A seq from another log (a restored or replaced database) means nothing here.
    let since = since.filter(|_| log.as_deref().is_none_or(|log| log == state.db.log()));
    let resuming = log.is_some() || since.is_some();
    let (frames, mut cursor) = Box::pin(start(&state, &agent, since, resuming)).await?;
    // From now on the agent is online (until their last socket closes). Announced after the
    // start was read, so the welcome's seq is not moved by this very connection: the app's
    // snapshots fetched while it connected stay current, and what coming online changes (the
    // status, conversations handed out) reaches this socket as events.
    let _online = Box::pin(Online::begin(&state, &agent)).await;
    for frame in &frames {
        send(&mut socket, frame).await?;
    }
    drop(frames); // the welcome's counts are not kept for the life of the socket

    // 3. Replay, then live, in one loop.
    let mut ended_sessions = state.ended_sessions.subscribe();
    // A hidden tab's timers may run once a minute, so the client's own pings cannot be relied
    // on: every heartbeat the socket is pinged (the browser answers by itself, whatever its
    // page's timers do) and the page is sent a pong (it hears the server from its message
    // handler, which is never throttled).
    let beat = state.config.feed_heartbeat;
    let silence_limit = beat * 14 / 5;
    let mut heartbeat = interval_at(Instant::now() + beat, beat);
    let mut last_heard = Instant::now();
    cursor = Box::pin(drain(&state, &agent, cursor, &mut socket)).await?;
    loop {
        tokio::select! {
            frame = live.recv() => match frame {
                Some(frame) if frame.seq > cursor => {
                    cursor = frame.seq;
                    send_text(&mut socket, frame.text.clone()).await?;
                }
                Some(_) => {} // sent already, from the log
                None => {
                    // The hub gave up on this socket's queue: back to the log, then live again.
                    live = state.fanout.join(agent.id);
                    cursor = Box::pin(drain(&state, &agent, cursor, &mut socket)).await?;
                }
            },
            message = socket.recv() => {
                let Some(Ok(message)) = message else { return Ok(()) };
                last_heard = Instant::now();
                match parse(&message) {
                    Some(Ok(ClientFrame::Ping)) => send(&mut socket, &ServerFrame::Pong).await?,
                    Some(Ok(ClientFrame::Hello { .. })) => {
                        let error = ApiError::new(ErrorCode::InvalidRequest, "Already said hello on this socket.");
                        send(&mut socket, &ServerFrame::Error(error)).await?;
                    }
                    Some(Err(reason)) => {
                        let error = ApiError::new(ErrorCode::InvalidRequest, format!("Unreadable frame: {reason}"));
                        send(&mut socket, &ServerFrame::Error(error)).await?;
                    }
                    None if matches!(message, Message::Close(_)) => return Ok(()),
                    None => {}
                }
            }
            ended = ended_sessions.recv() => {
                let this_one = match ended {
                    Ok(ended) => *ended == *token,
                    // Missed some: ask the database instead.
                    Err(broadcast::error::RecvError::Lagged(_)) => {
                        Box::pin(session_agent(&state, &token)).await?.is_none()
                    }
                    Err(broadcast::error::RecvError::Closed) => false,
                };
                if this_one {
                    return refuse(socket, CLOSE_UNAUTHENTICATED, unauthenticated()).await;
                }
            }
            _ = heartbeat.tick() => {
                if last_heard.elapsed() > silence_limit {
                    return Ok(());
                }
                send_message(&mut socket, Message::Ping(Default::default())).await?;
                send(&mut socket, &ServerFrame::Pong).await?;
                // A logged-out or expired session loses its feed too.
                if Box::pin(session_agent(&state, &token)).await?.is_none() {
                    return refuse(socket, CLOSE_UNAUTHENTICATED, unauthenticated()).await;
                }
            }
        }
    }
}

/// An agent's open app, for their presence: the first one brings them online (teammates see
/// it, and what waits in their routed queues is offered to them); when the last one closes,
/// after a grace for a reload to reconnect, they are offline.
struct Online {
    state: AppState,
    agent: switchboard_protocol::AgentId,
}

impl Online {
    async fn begin(state: &AppState, agent: &Agent) -> Online {
        if state.presence.connected(agent.id) {
            let result = async {
                let mut tx = state.db.write().await?;
                crate::workflow::publish_status(&mut tx, &state.presence, agent.id).await?;
                tx.commit().await?;
                crate::workflow::routing::hand_out(state, agent.id).await
            }
            .await;
            if let Err(error) = result {
                tracing::warn!(%error, "could not announce an agent online");
            }
        }
        Online {
            state: state.clone(),
            agent: agent.id,
        }
    }
}

impl Drop for Online {
    fn drop(&mut self) {
        if !self.state.presence.disconnected(self.agent) {
            return;
        }
        let (state, agent) = (self.state.clone(), self.agent);
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        runtime.spawn(async move {
            tokio::time::sleep(state.config.offline_grace).await;
            if state.presence.online(agent) {
                return; // back already (a reload)
            }
            let result = async {
                let mut tx = state.db.write().await?;
                crate::workflow::publish_status(&mut tx, &state.presence, agent).await?;
                tx.commit().await
            }
            .await;
            if let Err(error) = result {
                tracing::warn!(%error, "could not announce an agent offline");
            }
        });
    }
}

fn unauthenticated() -> ApiError {
    AppError::unauthenticated().public().1
}

/// The frames that open a session and the seq to stream from. A fresh client (nothing to
/// resume) starts at the head with its counts. A resuming client replays from `since` when the
/// log still holds it, and is told to resync when it does not (pruned, or another log).
async fn start(
    state: &AppState,
    agent: &Agent,
    since: Option<Seq>,
    resuming: bool,
) -> AppResult<(Vec<ServerFrame>, Seq)> {
    let mut snapshot = state.db.snapshot().await?;
    let head = events::head(&mut snapshot).await?;
    let floor = events::floor(&mut snapshot).await?;
    let current = counts::for_agent(&mut snapshot, agent.id).await?;
    snapshot.commit().await?;
    let welcome = |counts| ServerFrame::Welcome {
        agent: agent.clone(),
        seq: head,
        log: state.db.log().to_owned(),
        counts,
    };
    Ok(match since {
        Some(since) if since >= floor && since <= head => (vec![welcome(None)], since),
        None if !resuming => (vec![welcome(Some(current))], head),
        _ => (
            vec![
                welcome(None),
                ServerFrame::Resync {
                    seq: head,
                    counts: current,
                },
            ],
            head,
        ),
    })
}

/// Sends every event after `cursor` this agent may see, and returns the new cursor. Each
/// batch is read in one snapshot with the head and the prune floor: when the batch is not
/// full, everything visible up to that head has been sent, so the cursor moves to the head
/// even past events meant for others; when pruning overtook the cursor, the client resyncs.
async fn drain(
    state: &AppState,
    agent: &Agent,
    mut cursor: Seq,
    socket: &mut WebSocket,
) -> AppResult<Seq> {
    loop {
        let mut snapshot = state.db.snapshot().await?;
        let head = events::head(&mut snapshot).await?;
        if cursor < events::floor(&mut snapshot).await? {
            let counts = counts::for_agent(&mut snapshot, agent.id).await?;
            snapshot.commit().await?;
            send(socket, &ServerFrame::Resync { seq: head, counts }).await?;
            return Ok(head);
        }
        let page = feed_counts::visible_after(&mut snapshot, agent.id, cursor, BATCH).await?;
        snapshot.commit().await?;
        for frame in page.frames {
            send_text(socket, frame.text.into()).await?;
        }
        cursor = page.read_to.unwrap_or(cursor);
        if page.rows < BATCH as usize {
            return Ok(cursor.max(head));
        }
    }
}
