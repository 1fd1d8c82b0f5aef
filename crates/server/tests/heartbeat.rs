//! A feed stays up in a hidden tab, whose timers a browser may run once a minute: the server
//! pings the socket (the browser answers by itself) and tells the page it is there, so neither
//! side relies on the page's own pings. A client that answers nothing is still let go.
#![allow(clippy::unwrap_used)] // tests stop at the first unexpected error

mod common;

use common::TestServer;
use futures_util::StreamExt;
use std::time::Duration;
use switchboard_protocol::{Channel, EventBody, ServerFrame};
use tokio_tungstenite::tungstenite::Message as WsMessage;

const BEAT: Duration = Duration::from_millis(200);

async fn beating_server() -> TestServer {
    TestServer::start_with(|config| config.feed_heartbeat = BEAT).await
}

#[tokio::test]
async fn a_client_that_never_pings_keeps_its_feed_and_hears_the_server() {
    let server = beating_server().await;
    let ana = server.login("ana@example.com").await;
    let mut feed = ana.feed(None).await;
    assert!(matches!(feed.next().await, ServerFrame::Welcome { .. }));

    // Reading (as the browser does, answering pings by itself) but never sending a ping, for
    // five silence limits (2.8 beats each).
    let mut pongs = 0;
    let until = tokio::time::Instant::now() + BEAT * 14;
    while tokio::time::Instant::now() < until {
        match feed.next_within(BEAT * 3).await {
            Some(ServerFrame::Pong) => pongs += 1,
            Some(_) => {}
            None => panic!("the feed closed after {pongs} heartbeats"),
        }
    }
    assert!(pongs >= 8, "a pong every beat, unasked: {pongs}");

    // Still live: a customer's message arrives.
    let received = ana
        .inbound(Channel::Sms, "+34600777042", None, "¿Seguís ahí?")
        .await;
    let (frame, _) = feed
        .until(|frame| {
            matches!(frame, ServerFrame::Event(event)
                if matches!(&event.body, EventBody::MessageCreated { message } if message.id == received.message.id))
        })
        .await;
    assert!(matches!(frame, ServerFrame::Event(_)));
}

#[tokio::test]
async fn a_client_that_answers_nothing_is_let_go_after_the_silence_limit() {
    let server = beating_server().await;
    let ana = server.login("ana@example.com").await;
    let mut feed = ana.feed(None).await;
    assert!(matches!(feed.next().await, ServerFrame::Welcome { .. }));

    // Not reading at all: no pong goes back (a frozen or vanished client).
    tokio::time::sleep(BEAT * 5).await;
    let mut frames = 0;
    let ended = loop {
        match tokio::time::timeout(BEAT * 10, feed.socket.next()).await {
            Ok(Some(Ok(WsMessage::Close(_)))) | Ok(None) | Ok(Some(Err(_))) => break true,
            Ok(Some(Ok(_))) => frames += 1,
            Err(_) => break false,
        }
    };
    assert!(
        ended,
        "the server still holds a silent socket after {frames} frames"
    );
}
