//! The websocket feed over a real socket: authentication, live events, replay, resync.
#![allow(clippy::unwrap_used)] // tests stop at the first unexpected error

mod common;

use common::{Feed, TestServer, event_seqs};
use futures_util::SinkExt;
use serde_json::json;
use std::time::Duration;
use switchboard_protocol::api::ConversationPage;
use switchboard_protocol::{
    Channel, ClientFrame, ErrorCode, EventBody, MessageStatus, Seq, ServerFrame,
};
use switchboard_server::config::Retention;
use tokio_tungstenite::tungstenite::Message as WsMessage;
use uuid::Uuid;

const QUIET: Duration = Duration::from_millis(400);

fn welcome_seq(frame: &ServerFrame) -> Seq {
    match frame {
        ServerFrame::Welcome { seq, .. } => *seq,
        other => panic!("expected welcome, got {other:?}"),
    }
}

fn kinds(frames: &[ServerFrame]) -> Vec<&'static str> {
    frames
        .iter()
        .filter_map(|f| match f {
            ServerFrame::Event(e) => Some(e.body.kind()),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn a_fresh_client_is_welcomed_with_its_counts_then_sees_a_customer_write_live() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let mut feed = ana.feed(None).await;
    let ServerFrame::Welcome { agent, counts, .. } = feed.next().await else {
        panic!("welcome first")
    };
    assert_eq!(agent.email, "ana@example.com");
    let before = counts.expect("a fresh client gets counts");
    assert_eq!(before.unassigned.total, 45);
    // Coming online comes after the welcome, as an event: the welcome's seq is where the
    // log stood before this socket changed anything.
    let ServerFrame::Event(online) = feed.next().await else {
        panic!("her status next")
    };
    assert!(
        matches!(&online.body, EventBody::AgentStatus { status } if status.agent_id == agent.id)
    );

    let received = ana
        .inbound(
            Channel::Whatsapp,
            "+34600777001",
            Some("Rocío"),
            "Hola, ¿estáis?",
        )
        .await;
    let frames = feed.drain(QUIET).await;
    assert_eq!(
        kinds(&frames),
        [
            "conversation.created",
            "conversation.event",
            "message.created",
            "unread.counts"
        ]
    );
    let seqs = event_seqs(&frames);
    assert!(
        seqs.windows(2).all(|w| w[1] > w[0]),
        "in log order: {seqs:?}"
    );
    let Some(ServerFrame::Event(last)) = frames.last() else {
        unreachable!()
    };
    let EventBody::UnreadCounts {
        counts,
        conversations,
    } = &last.body
    else {
        unreachable!()
    };
    assert_eq!(counts.unassigned.total, before.unassigned.total + 1);
    assert_eq!(counts.unassigned.unread, before.unassigned.unread + 1);
    assert_eq!(conversations[0].conversation_id, received.conversation_id);
    assert_eq!(conversations[0].unread, 1);
}

#[tokio::test]
async fn a_reply_reports_its_status_on_the_feed_until_read() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let id = ana
        .inbound(Channel::Whatsapp, "+34600777002", None, "Hola")
        .await
        .conversation_id;
    let mut feed = ana.feed(None).await;
    feed.next().await;
    let client_id = Uuid::new_v4();
    ana.post(
        &format!("/api/v1/conversations/{id}/messages"),
        &json!({ "client_id": client_id, "text": "¡Hola!" }),
    )
    .await;
    let mut statuses = Vec::new();
    while statuses.last() != Some(&MessageStatus::Read) {
        if let ServerFrame::Event(event) = feed.next().await
            && let EventBody::MessageStatus {
                status,
                client_id: Some(c),
                ..
            } = event.body
        {
            assert_eq!(
                c.0, client_id,
                "status events carry the client's id for reconciliation"
            );
            statuses.push(status);
        }
    }
    assert_eq!(
        statuses,
        [
            MessageStatus::Sent,
            MessageStatus::Delivered,
            MessageStatus::Read
        ]
    );
}

#[tokio::test]
async fn a_client_that_reconnects_gets_exactly_what_it_missed() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let mut feed = ana.feed(None).await;
    let mut last = welcome_seq(&feed.next().await);
    ana.inbound(Channel::Sms, "+34600777003", None, "uno").await;
    let seen = feed.drain(QUIET).await;
    last = event_seqs(&seen).last().map_or(last, |s| Seq(*s));
    drop(feed); // the socket dies

    let mut missed = Vec::new();
    for text in ["dos", "tres"] {
        missed.push(
            ana.inbound(Channel::Sms, "+34600777003", None, text)
                .await
                .message
                .id,
        );
    }
    let mut feed = ana.feed(Some(last)).await;
    assert!(matches!(
        feed.next().await,
        ServerFrame::Welcome { counts: None, .. }
    ));
    let replayed = feed.drain(QUIET).await;
    let seqs = event_seqs(&replayed);
    assert!(
        seqs.iter().all(|s| *s > last.0),
        "nothing already seen is sent again"
    );
    let mut sorted = seqs.clone();
    sorted.dedup();
    assert_eq!(sorted, seqs, "no duplicates, in order");
    let created: Vec<_> = replayed
        .iter()
        .filter_map(|f| match f {
            ServerFrame::Event(e) => match &e.body {
                EventBody::MessageCreated { message } => Some(message.id),
                _ => None,
            },
            _ => None,
        })
        .collect();
    assert_eq!(created, missed, "every missed message, once");
}

#[tokio::test]
async fn a_client_resumes_across_a_server_restart() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let mut feed = ana.feed(None).await;
    let since = welcome_seq(&feed.next().await);
    let config = common::quick_config(server.dir.path());
    let dir = server.stop().await;
    drop(feed);

    let mut config = config;
    config.bind = "127.0.0.1:0".parse().unwrap();
    let server = TestServer::start_in(dir, config).await;
    let ana2 = server.login("ana@example.com").await;
    let sent = ana2
        .inbound(Channel::Viber, "+34600777004", None, "¿Seguís ahí?")
        .await;
    let mut feed = Feed::connect(&server.running.url(), Some(ana.token.clone()), Some(since)).await;
    assert!(
        matches!(feed.next().await, ServerFrame::Welcome { counts: None, .. }),
        "old sessions survive a restart"
    );
    let frames = feed.drain(QUIET).await;
    assert!(frames.iter().any(|f| matches!(f, ServerFrame::Event(e)
        if matches!(&e.body, EventBody::MessageCreated { message } if message.id == sent.message.id))));
}

#[tokio::test]
async fn a_client_older_than_the_log_is_told_to_resync() {
    let server = TestServer::start_with(|c| {
        c.retention = Retention {
            max_age: Duration::from_secs(3600),
            max_events: 2,
        };
    })
    .await;
    let ana = server.login("ana@example.com").await;
    for n in 0..3 {
        ana.inbound(
            Channel::Email,
            "old@example.net",
            None,
            &format!("mensaje {n}"),
        )
        .await;
    }
    {
        let mut tx = server.running.state.db.write().await.unwrap();
        switchboard_server::store::events::prune(&mut tx, &server.running.state.config.retention)
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
    let mut feed = ana.feed(Some(Seq(1))).await;
    let head = welcome_seq(&feed.next().await);
    let ServerFrame::Resync { seq, counts } = feed.next().await else {
        panic!("resync expected")
    };
    assert_eq!(seq, head);
    assert_eq!(counts.unassigned.total, 46);

    let mut future = ana.feed(Some(Seq(head.0 + 1000))).await;
    future.next().await;
    assert!(
        matches!(future.next().await, ServerFrame::Resync { .. }),
        "a seq from another database resyncs too"
    );
}

#[tokio::test]
async fn a_seq_from_another_log_is_not_trusted() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let mut first = ana.feed(None).await;
    let ServerFrame::Welcome { log, .. } = first.next().await else {
        panic!("welcome")
    };
    let ServerFrame::Event(online) = first.next().await else {
        panic!("her status")
    };
    let seq = online.seq;
    let mut same = Feed {
        socket: Feed::open(&server.running.url()).await,
    };
    same.send(&ClientFrame::Hello {
        token: Some(ana.token.clone()),
        since: Some(seq),
        log: Some(log),
    })
    .await;
    assert!(matches!(
        same.next().await,
        ServerFrame::Welcome { counts: None, .. }
    ));
    assert!(
        same.drain(QUIET).await.is_empty(),
        "the same log: resumed, nothing missed"
    );

    let mut restored = Feed {
        socket: Feed::open(&server.running.url()).await,
    };
    restored
        .send(&ClientFrame::Hello {
            token: Some(ana.token.clone()),
            since: Some(seq),
            log: Some("0000000000000001".into()),
        })
        .await;
    restored.next().await;
    assert!(
        matches!(restored.next().await, ServerFrame::Resync { .. }),
        "another log: resync"
    );
}

#[tokio::test]
async fn without_valid_credentials_the_feed_says_why_and_closes() {
    let server = TestServer::start().await;
    let mut anonymous = Feed::connect(&server.running.url(), None, None).await;
    assert!(
        matches!(anonymous.next().await, ServerFrame::Error(e) if e.code == ErrorCode::Unauthenticated)
    );
    assert!(anonymous.next_within(QUIET).await.is_none(), "closed");

    let mut forged = Feed::connect(&server.running.url(), Some("forged-token".into()), None).await;
    assert!(
        matches!(forged.next().await, ServerFrame::Error(e) if e.code == ErrorCode::Unauthenticated)
    );

    let mut rude = Feed {
        socket: Feed::open(&server.running.url()).await,
    };
    rude.send(&ClientFrame::Ping).await;
    assert!(
        matches!(rude.next().await, ServerFrame::Error(e) if e.code == ErrorCode::HelloRequired)
    );
}

#[tokio::test]
async fn the_same_origin_app_is_known_by_its_cookie_but_other_sites_are_not() {
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let url = format!(
        "{}/api/v1/feed",
        server.running.url().replacen("http", "ws", 1)
    );
    for (origin, welcomed) in [
        (server.running.url(), true),
        ("https://evil.example".to_owned(), false),
    ] {
        let mut request = url.as_str().into_client_request().unwrap();
        request.headers_mut().insert(
            "cookie",
            format!("sb_session={}", ana.token).parse().unwrap(),
        );
        request
            .headers_mut()
            .insert("origin", origin.parse().unwrap());
        let (socket, _) = tokio_tungstenite::connect_async(request).await.unwrap();
        let mut feed = Feed { socket };
        feed.send(&ClientFrame::Hello {
            token: None,
            since: None,
            log: None,
        })
        .await;
        let frame = feed.next().await;
        assert_eq!(
            matches!(frame, ServerFrame::Welcome { .. }),
            welcomed,
            "{origin}: {frame:?}"
        );
    }
}

#[tokio::test]
async fn logging_out_closes_that_sessions_feed_at_once() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let other = server.login("ana@example.com").await;
    let (mut mine, mut elsewhere) = (ana.feed(None).await, other.feed(None).await);
    mine.next().await;
    elsewhere.next().await;
    // Her coming online, to one socket or both, before what this test is about.
    mine.drain(QUIET).await;
    elsewhere.drain(QUIET).await;
    let response = server
        .http
        .delete(server.url("/api/v1/session"))
        .bearer_auth(&ana.token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    assert!(
        matches!(mine.next().await, ServerFrame::Error(e) if e.code == ErrorCode::Unauthenticated)
    );
    other
        .inbound(Channel::Sms, "+34600777006", None, "no longer yours")
        .await;
    assert!(
        mine.next_within(QUIET).await.is_none(),
        "closed, and nothing after the logout"
    );
    assert!(
        !elsewhere.drain(QUIET).await.is_empty(),
        "the agent's other session goes on"
    );
}

#[tokio::test]
async fn pings_are_answered_and_bad_frames_do_not_kill_the_socket() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let mut feed = ana.feed(None).await;
    feed.welcomed_online(ana.id).await;
    feed.socket
        .send(WsMessage::Text("{not json".into()))
        .await
        .unwrap();
    assert!(
        matches!(feed.next().await, ServerFrame::Error(e) if e.code == ErrorCode::InvalidRequest)
    );
    feed.send(&ClientFrame::Ping).await;
    assert_eq!(feed.next().await, ServerFrame::Pong);
}

#[tokio::test]
async fn each_agent_receives_only_their_own_counts() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let luis = server.login("luis@example.com").await;
    let id = ana
        .inbound(Channel::Messenger, "1234567890", None, "hi")
        .await
        .conversation_id;
    let mut ana_feed = ana.feed(None).await;
    ana_feed.welcomed_online(ana.id).await;
    let mut luis_feed = luis.feed(None).await;
    luis_feed.welcomed_online(luis.id).await;
    // Luis's app opening is news to Ana (his availability), before anything below.
    ana_feed
        .until(|f| matches!(f, ServerFrame::Event(e) if matches!(&e.body, EventBody::AgentStatus { status } if status.agent_id == luis.id)))
        .await;

    let last = ana
        .get_json::<switchboard_protocol::api::ThreadPage>(&format!(
            "/api/v1/conversations/{id}/messages"
        ))
        .await;
    let up_to = last.items.last().unwrap().id();
    ana.post(
        &format!("/api/v1/conversations/{id}/read"),
        &json!({ "up_to": up_to }),
    )
    .await;
    let ana_frames = ana_feed.drain(QUIET).await;
    assert_eq!(
        kinds(&ana_frames),
        ["unread.counts"],
        "reading tells only the reader"
    );
    assert!(
        luis_feed.drain(QUIET).await.is_empty(),
        "Luis's counts did not change"
    );

    ana.post(
        &format!("/api/v1/conversations/{id}/assign"),
        &json!({ "agent_id": luis.id }),
    )
    .await;
    let luis_frames = luis_feed.drain(QUIET).await;
    let luis_counts = luis_frames.iter().find_map(|f| match f {
        ServerFrame::Event(e) => match &e.body {
            EventBody::UnreadCounts { counts, .. } => Some(counts.clone()),
            _ => None,
        },
        _ => None,
    });
    let page: ConversationPage = luis
        .get_json("/api/v1/conversations?view=mine&limit=200")
        .await;
    assert_eq!(
        luis_counts.expect("Luis got his counts").mine.total as usize,
        page.items.len()
    );
    let ana_counts = ana_feed
        .drain(QUIET)
        .await
        .into_iter()
        .filter(|f| matches!(f, ServerFrame::Event(e) if e.body.kind() == "unread.counts"))
        .count();
    assert_eq!(ana_counts, 1, "Ana got exactly one counts event of her own");
}

#[tokio::test]
async fn events_of_an_inbox_i_cannot_see_never_reach_me() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let luis = server.login("luis@example.com").await;
    {
        let mut tx = server.running.state.db.write().await.unwrap();
        sqlx::query("DELETE FROM inbox_members WHERE agent_id = ?1 AND inbox_id = (SELECT id FROM inboxes WHERE channel = 'line')")
            .bind(ana.id.0)
            .execute(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
    let mut ana_feed = ana.feed(None).await;
    ana_feed.welcomed_online(ana.id).await;
    luis.inbound(Channel::Line, "Usecret", Some("Secreto"), "private")
        .await;
    assert!(ana_feed.drain(QUIET).await.is_empty());
    luis.inbound(Channel::Sms, "+34600777005", None, "public")
        .await;
    assert!(
        !ana_feed.drain(QUIET).await.is_empty(),
        "the same socket still gets what Ana may see"
    );
}

/// The ids of the messages created, in the order the frames came.
fn created(frames: &[ServerFrame]) -> Vec<switchboard_protocol::MessageId> {
    frames
        .iter()
        .filter_map(|f| match f {
            ServerFrame::Event(e) => match &e.body {
                EventBody::MessageCreated { message } => Some(message.id),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// Frames up to and including the one creating message `last`.
async fn frames_until_message(
    feed: &mut Feed,
    last: switchboard_protocol::MessageId,
) -> Vec<ServerFrame> {
    let (frame, mut before) = feed
        .until(|f| created(std::slice::from_ref(f)) == [last])
        .await;
    before.push(frame);
    before
}

#[tokio::test]
async fn a_socket_too_slow_for_its_queue_reads_the_log_and_still_gets_every_event_once_in_order() {
    // One frame of room: each inbound's burst of events overflows it.
    let server = TestServer::start_with(|c| c.feed_queue = 1).await;
    let ana = server.login("ana@example.com").await;
    let mut feed = ana.feed(None).await;
    let since = welcome_seq(&feed.next().await);
    let mut sent = Vec::new();
    for n in 0..10 {
        let text = format!("mensaje {n}");
        sent.push(
            ana.inbound(Channel::Sms, &format!("+3460077710{n}"), None, &text)
                .await
                .message
                .id,
        );
    }
    let live = frames_until_message(&mut feed, *sent.last().unwrap()).await;
    assert!(
        server.running.state.fanout.overflows() > 0,
        "the queue overflowed"
    );
    assert_eq!(created(&live), sent, "every message once, in order");
    let seqs = event_seqs(&live);
    assert!(seqs.windows(2).all(|w| w[1] > w[0]), "in order: {seqs:?}");

    let mut replay = ana.feed(Some(since)).await;
    replay.next().await;
    let replayed = frames_until_message(&mut replay, *sent.last().unwrap()).await;
    // Counts are state: each read tells them once, at the last row that moved them, so how
    // often they come depends on how the log was read; everything else comes as it is.
    assert_eq!(
        event_seqs(&but_counts(&replayed)),
        event_seqs(&but_counts(&live)),
        "the same events as the log holds"
    );
}

fn but_counts(frames: &[ServerFrame]) -> Vec<ServerFrame> {
    frames
        .iter()
        .filter(|f| !matches!(f, ServerFrame::Event(e) if e.body.kind() == "unread.counts"))
        .cloned()
        .collect()
}

#[tokio::test]
async fn a_hundred_sockets_each_get_every_event_once_from_the_hub() {
    use switchboard_server::store::agents::{self, AgentKind};
    let server = TestServer::start().await;
    let mut people = vec![
        server.login("ana@example.com").await,
        server.login("luis@example.com").await,
    ];
    {
        let mut tx = server.running.state.db.write().await.unwrap();
        for n in 0..2 {
            let email = format!("extra{n}@example.com");
            let id = agents::insert(&mut tx, &email, "Extra", None, AgentKind::Human)
                .await
                .unwrap();
            sqlx::query(
                "INSERT INTO inbox_members (inbox_id, agent_id) SELECT id, ?1 FROM inboxes",
            )
            .bind(id.0)
            .execute(&mut *tx)
            .await
            .unwrap();
            let token =
                switchboard_server::store::sessions::create(&mut tx, id, Duration::from_secs(3600))
                    .await
                    .unwrap();
            people.push(common::Agent {
                token,
                id,
                base: server.running.url(),
                http: server.http.clone(),
            });
        }
        tx.commit().await.unwrap();
    }
    let mut feeds = Vec::new();
    for n in 0..100 {
        let mut feed = people[n % people.len()].feed(None).await;
        welcome_seq(&feed.next().await);
        feeds.push(feed);
    }
    let mut sent = Vec::new();
    for n in 0..5 {
        let from = format!("+3460077720{n}");
        sent.push(
            people[0]
                .inbound(Channel::Whatsapp, &from, None, "hola")
                .await
                .message
                .id,
        );
    }
    for feed in &mut feeds {
        let frames = frames_until_message(feed, *sent.last().unwrap()).await;
        assert_eq!(created(&frames), sent, "every message once, in order");
        let seqs = event_seqs(&frames);
        assert!(seqs.windows(2).all(|w| w[1] > w[0]), "in order: {seqs:?}");
    }
    assert_eq!(
        server.running.state.fanout.overflows(),
        0,
        "the hub carried it all"
    );
}
