//! The feed: connect, hello with the last seq applied, hand frames to the store, ping, and on
//! any loss reconnect with backoff and resume where it left off. Ends with the session.

use crate::session::Session;
use crate::state::{Connection, Store};
use futures::future::{Either, select};
use futures::{SinkExt, StreamExt};
use gloo_net::websocket::Message;
use gloo_net::websocket::futures::WebSocket;
use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;
use switchboard_protocol::{ClientFrame, ErrorCode, ServerFrame};

const PING_EVERY_MS: f64 = 20_000.0;
/// No frame (not even a pong) for this long: the connection is dead even if the socket
/// has not noticed.
const SILENCE_LIMIT_MS: f64 = 45_000.0;
/// How often the loop looks up from the socket to check the session is still the same.
const TICK_MS: u32 = 1_000;
/// A socket closed while still connecting never becomes writable: give up on a send after this.
const SEND_DEADLINE_MS: u32 = 10_000;

enum Ended {
    /// The server refused the session: stop, the app shows the login.
    Unauthenticated,
    /// The connection dropped; `was_live` if it had been welcomed.
    Lost { was_live: bool },
    /// The session that started this loop is over.
    SessionOver,
}

/// Starts the feed for the current session.
pub fn start(store: Store, session: Session) {
    let epoch = session.epoch.get_untracked();
    spawn_local(async move {
        let mut attempt: u32 = 0;
        loop {
            if session.epoch.get_untracked() != epoch {
                return;
            }
            match connect_once(store, session, epoch).await {
                Ended::Unauthenticated => {
                    session.logged_out();
                    return;
                }
                Ended::SessionOver => return,
                Ended::Lost { was_live } => {
                    if was_live {
                        attempt = 0;
                    }
                    store.update(|s| s.set_connection(Connection::Reconnecting));
                    pause(backoff_ms(attempt)).await;
                    attempt = attempt.saturating_add(1);
                }
            }
        }
    });
}

/// Waits `ms`, or less if the browser says it is back online.
async fn pause(ms: u32) {
    let until = js_sys::Date::now() + f64::from(ms);
    let mut was_online = crate::browser::is_online();
    while js_sys::Date::now() < until {
        TimeoutFuture::new(250).await;
        let online = crate::browser::is_online();
        if online && !was_online {
            return;
        }
        was_online = online;
    }
}

/// 0.5 s, 1 s, 2 s... up to 8 s, with jitter so a fleet of tabs does not reconnect in step.
fn backoff_ms(attempt: u32) -> u32 {
    let base = 500u32.saturating_mul(1 << attempt.min(4));
    let jitter = 0.7 + 0.6 * js_sys::Math::random();
    (f64::from(base) * jitter) as u32
}

async fn connect_once(store: Store, session: Session, epoch: u64) -> Ended {
    let Some(url) = crate::browser::websocket_url("/api/v1/feed") else {
        return Ended::SessionOver;
    };
    let Ok(socket) = WebSocket::open(&url) else {
        return Ended::Lost { was_live: false };
    };
    let (mut write, mut read) = socket.split();
    let (since, log) = store.peek(|s| (s.last_seq, s.log.clone()));
    let hello = ClientFrame::Hello {
        token: None,
        since,
        log,
    };
    // A socket refused while connecting closes its read half; notice that rather than wait
    // for a send that can never finish.
    match select(Box::pin(send(&mut write, &hello)), read.next()).await {
        Either::Left((Ok(()), _)) => {}
        Either::Left((Err(()), _)) | Either::Right(_) => return Ended::Lost { was_live: false },
    }
    let mut was_live = false;
    let mut last_heard = js_sys::Date::now();
    let mut last_ping = js_sys::Date::now();
    // One timer at a time, kept while frames come: a new one per frame (set, then cleared
    // when the frame won) was a visible share of a burst's main thread.
    let mut tick = TimeoutFuture::new(TICK_MS);
    loop {
        if session.epoch.get_untracked() != epoch {
            return Ended::SessionOver;
        }
        // Pings go out on time however busy the socket is: the server drops a silent client.
        let now = js_sys::Date::now();
        if now - last_heard > SILENCE_LIMIT_MS {
            return Ended::Lost { was_live };
        }
        if now - last_ping >= PING_EVERY_MS {
            last_ping = now;
            if send(&mut write, &ClientFrame::Ping).await.is_err() {
                return Ended::Lost { was_live };
            }
        }
        let message = match select(read.next(), tick).await {
            Either::Left((message, pending)) => {
                tick = pending;
                message
            }
            Either::Right(((), _)) => {
                tick = TimeoutFuture::new(TICK_MS);
                continue;
            }
        };
        match message {
            Some(Ok(Message::Text(text))) => {
                last_heard = js_sys::Date::now();
                let Ok(frame) = serde_json::from_str::<ServerFrame>(&text) else {
                    continue; // a frame from a newer server: skip it rather than drop the feed
                };
                match &frame {
                    ServerFrame::Welcome { agent, .. } => {
                        was_live = true;
                        // The cookie now belongs to someone else (a login in another tab):
                        // nothing cached here is theirs to see.
                        if store.peek(|s| s.me.as_ref().is_some_and(|me| me.id != agent.id)) {
                            store.reset();
                            session.logged_in(agent.clone());
                            return Ended::SessionOver;
                        }
                    }
                    ServerFrame::Error(error) if error.code == ErrorCode::Unauthenticated => {
                        return Ended::Unauthenticated;
                    }
                    _ => {}
                }
                store.push_frame(frame);
            }
            Some(Ok(Message::Bytes(_))) => {}
            None | Some(Err(_)) => return Ended::Lost { was_live },
        }
    }
}

async fn send(
    write: &mut futures::stream::SplitSink<WebSocket, Message>,
    frame: &ClientFrame,
) -> Result<(), ()> {
    let text = serde_json::to_string(frame).map_err(drop)?;
    match select(
        write.send(Message::Text(text)),
        TimeoutFuture::new(SEND_DEADLINE_MS),
    )
    .await
    {
        Either::Left((sent, _)) => sent.map_err(drop),
        Either::Right(_) => Err(()),
    }
}
