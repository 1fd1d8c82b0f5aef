//! The REST API, driven over HTTP against a real server and a real SQLite file.
#![allow(clippy::unwrap_used)] // tests stop at the first unexpected error

mod common;

use common::{TestServer, error_code};
use serde_json::{Value, json};
use switchboard_protocol::api::{
    ConversationEntry, ConversationPage, ConversationSnapshot, ThreadPage, Workspace,
};
use switchboard_protocol::feed::ConversationUnread;
use switchboard_protocol::{
    Channel, ConversationEventKind, ConversationStatus, Message, MessageStatus, ThreadItem, View,
};
use switchboard_server::store::{agents, inboxes};
use uuid::Uuid;

#[tokio::test]
async fn login_returns_a_bearer_token_and_sets_an_http_only_cookie() {
    let server = TestServer::start().await;
    let response = server
        .http
        .post(server.url("/api/v1/session"))
        .json(&json!({ "email": "ana@example.com", "password": "demo1234" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        cookie.starts_with("sb_session=")
            && cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Lax")
    );
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["agent"]["email"], "ana@example.com");
    let token = body["token"].as_str().unwrap();
    assert!(cookie.contains(token));

    let me = server
        .http
        .get(server.url("/api/v1/session"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 200);
    let me = server
        .http
        .get(server.url("/api/v1/session"))
        .header("cookie", format!("sb_session={token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 200, "the cookie alone authenticates too");
}

#[tokio::test]
async fn wrong_credentials_get_401_with_a_json_error() {
    let server = TestServer::start().await;
    for body in [
        json!({ "email": "ana@example.com", "password": "wrong" }),
        json!({ "email": "nobody@example.com", "password": "demo1234" }),
    ] {
        let response = server
            .http
            .post(server.url("/api/v1/session"))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(
            error_code(response).await,
            (401, "invalid_credentials".into())
        );
    }
}

#[tokio::test]
async fn malformed_requests_get_4xx_with_a_code_never_a_500() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let cases = [
        (
            server
                .http
                .post(server.url("/api/v1/session"))
                .header("content-type", "application/json")
                .body("{\"email\":"),
            400,
            "invalid_request",
        ),
        (
            server
                .http
                .post(server.url("/api/v1/session"))
                .body("email=a"),
            415,
            "unsupported_media_type",
        ),
        (
            server
                .http
                .get(server.url("/api/v1/conversations?view=everything"))
                .bearer_auth(&ana.token),
            400,
            "invalid_request",
        ),
        (
            server
                .http
                .get(server.url("/api/v1/conversations?view=all&cursor=zzz"))
                .bearer_auth(&ana.token),
            400,
            "invalid_request",
        ),
        (
            server
                .http
                .get(server.url("/api/v1/conversations?view=all&limit=0"))
                .bearer_auth(&ana.token),
            400,
            "invalid_request",
        ),
        (
            // Searching is `/api/v1/search`: a list asked to search must not answer unsearched.
            server
                .http
                .get(server.url("/api/v1/conversations?view=all&q=camion"))
                .bearer_auth(&ana.token),
            400,
            "invalid_request",
        ),
        (
            server
                .http
                .get(server.url("/api/v1/conversations/not-a-number"))
                .bearer_auth(&ana.token),
            400,
            "invalid_request",
        ),
        (
            server
                .http
                .get(server.url("/api/v1/conversations/999999"))
                .bearer_auth(&ana.token),
            404,
            "not_found",
        ),
        (
            server
                .http
                .get(server.url("/api/v1/no-such-thing"))
                .bearer_auth(&ana.token),
            404,
            "not_found",
        ),
        (
            server.http.put(server.url("/api/v1/session")),
            405,
            "invalid_request",
        ),
        (
            server
                .http
                .post(server.url("/api/v1/sandbox/inbound"))
                .bearer_auth(&ana.token)
                .json(&json!({ "channel": "fax", "from": "1", "text": "hola" })),
            400,
            "invalid_request",
        ),
        (
            server
                .http
                .post(server.url("/api/v1/sandbox/inbound"))
                .bearer_auth(&ana.token)
                .json(&json!({ "channel": "sms", "from": "not a phone", "text": "hola" })),
            400,
            "invalid_request",
        ),
        (
            server
                .http
                .post(server.url("/api/v1/quick-replies"))
                .bearer_auth(&ana.token)
                .header("content-type", "application/json")
                .body(format!("{{\"body\":\"{}\"}}", "x".repeat(300_000))),
            413,
            "payload_too_large",
        ),
    ];
    for (request, status, code) in cases {
        let response = request.send().await.unwrap();
        let url = response.url().to_string();
        assert_eq!(
            error_code(response).await,
            (status, code.to_owned()),
            "{url}"
        );
    }
}

#[tokio::test]
async fn every_endpoint_refuses_anonymous_callers() {
    let server = TestServer::start().await;
    for path in [
        "/api/v1/session",
        "/api/v1/workspace",
        "/api/v1/conversations?view=all",
        "/api/v1/conversations/1",
        "/api/v1/conversations/1/messages",
        "/api/v1/quick-replies",
        "/api/v1/inboxes/1/templates",
        "/api/v1/emoji",
    ] {
        let response = server.http.get(server.url(path)).send().await.unwrap();
        assert_eq!(
            error_code(response).await,
            (401, "unauthenticated".into()),
            "{path}"
        );
    }
    let id = Uuid::new_v4();
    for (path, body) in [
        (
            "/api/v1/conversations/1/messages",
            json!({ "client_id": id, "text": "hola" }),
        ),
        ("/api/v1/conversations/1/read", json!({ "up_to": 1 })),
        ("/api/v1/conversations/1/assign", json!({ "agent_id": 1 })),
        (
            "/api/v1/sandbox/inbound",
            json!({ "channel": "sms", "from": "+34600000000", "text": "hola" }),
        ),
        (
            "/api/v1/quick-replies",
            json!({ "shortcut": "x", "title": "x", "body": "x" }),
        ),
    ] {
        let response = server
            .http
            .post(server.url(path))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(
            error_code(response).await,
            (401, "unauthenticated".into()),
            "{path}"
        );
    }
    let change = server
        .http
        .put(server.url("/api/v1/quick-replies/1"))
        .json(&json!({ "shortcut": "x", "title": "x", "body": "x" }))
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(change).await, (401, "unauthenticated".into()));
    let delete = server
        .http
        .delete(server.url("/api/v1/quick-replies/1"))
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(delete).await, (401, "unauthenticated".into()));
}

#[tokio::test]
async fn a_cookie_authenticated_write_from_another_site_is_refused() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let received = ana
        .inbound(Channel::Sms, "+34600111222", None, "hola")
        .await;
    let path = format!("/api/v1/conversations/{}/read", received.conversation_id);
    let forged = server
        .http
        .post(server.url(&path))
        .header("cookie", format!("sb_session={}", ana.token))
        .header("origin", "https://evil.example")
        .json(&json!({ "up_to": received.message.id }))
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(forged).await, (403, "forbidden".into()));
    let own = server
        .http
        .post(server.url(&path))
        .header("cookie", format!("sb_session={}", ana.token))
        .header("origin", server.running.url())
        .json(&json!({ "up_to": received.message.id }))
        .send()
        .await
        .unwrap();
    assert_eq!(own.status(), 200);
}

#[tokio::test]
async fn logout_ends_the_session() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let response = server
        .http
        .delete(server.url("/api/v1/session"))
        .bearer_auth(&ana.token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    assert!(
        response.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    assert_eq!(ana.get("/api/v1/session").await.status(), 401);
}

#[tokio::test]
async fn views_hold_the_conversations_the_protocol_says_newest_first() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let viewer = {
        let mut conn = server.running.state.db.pool().acquire().await.unwrap();
        switchboard_server::store::access::viewer(&mut conn, ana.id)
            .await
            .unwrap()
    };
    for view in View::ALL {
        let mut seen = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let path = match &cursor {
                Some(c) => format!("/api/v1/conversations?view={view}&limit=37&cursor={c}"),
                None => format!("/api/v1/conversations?view={view}&limit=37"),
            };
            let page: ConversationPage = ana.get_json(&path).await;
            for entry in &page.items {
                assert!(
                    view.includes(&entry.conversation, &viewer),
                    "{view}: {:?}",
                    entry.conversation
                );
            }
            seen.extend(page.items);
            match page.next_cursor {
                Some(next) => cursor = Some(next),
                None => break,
            }
        }
        let times: Vec<_> = seen
            .iter()
            .map(|e| (e.conversation.last_activity_at, e.conversation.id))
            .collect();
        assert!(
            times.windows(2).all(|w| w[0] > w[1]),
            "{view} is newest first with no repeats"
        );
        let counts_total = match view {
            View::Unassigned => 45,
            View::Mine => 30,
            View::All => 105,
            View::Closed => 215,
            View::Snoozed => 0,
        };
        assert_eq!(seen.len(), counts_total, "{view}");
    }
}

#[tokio::test]
async fn an_agent_cannot_see_or_touch_an_inbox_they_are_not_in() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let luis = server.login("luis@example.com").await;
    // A Telegram inbox only Luis belongs to (everyone is taken out of the demo's one).
    let private = server.telegram_only_for(&luis).await;
    let received = luis
        .inbound(Channel::Telegram, "@vip_customer", Some("VIP"), "hello")
        .await;
    let conversation = received.conversation_id;

    let workspace: Workspace = ana.get_json("/api/v1/workspace").await;
    assert!(workspace.inboxes.iter().all(|i| i.id != private));
    for path in [
        format!("/api/v1/conversations/{conversation}"),
        format!("/api/v1/conversations/{conversation}/messages"),
    ] {
        assert_eq!(
            error_code(ana.get(&path).await).await,
            (404, "not_found".into()),
            "{path}"
        );
    }
    let send = ana
        .post(
            &format!("/api/v1/conversations/{conversation}/messages"),
            &json!({ "client_id": Uuid::new_v4(), "text": "hi" }),
        )
        .await;
    assert_eq!(error_code(send).await, (404, "not_found".into()));
    let assign = ana
        .post(
            &format!("/api/v1/conversations/{conversation}/assign"),
            &json!({ "agent_id": ana.id }),
        )
        .await;
    assert_eq!(error_code(assign).await, (404, "not_found".into()));
    let all: ConversationPage = ana
        .get_json("/api/v1/conversations?view=all&limit=200")
        .await;
    assert!(all.items.iter().all(|e| e.conversation.id != conversation));
    // And Ana cannot be made the assignee of a conversation in an inbox she cannot see.
    let handover = luis
        .post(
            &format!("/api/v1/conversations/{conversation}/assign"),
            &json!({ "agent_id": ana.id }),
        )
        .await;
    assert_eq!(error_code(handover).await, (422, "invalid_request".into()));
    let inbound = ana
        .post(
            "/api/v1/sandbox/inbound",
            &json!({ "channel": "telegram", "from": "@x", "text": "hola" }),
        )
        .await;
    assert_eq!(error_code(inbound).await, (404, "not_found".into()));
}

#[tokio::test]
async fn a_customer_message_opens_a_conversation_in_the_queue_and_the_next_one_joins_it() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let first = ana
        .inbound(Channel::Whatsapp, "+34 600 555 123", Some("Lucía"), "Hola")
        .await;
    assert!(first.created);
    let again = ana
        .inbound(Channel::Whatsapp, "+34-600-555-123", None, "¿Hay alguien?")
        .await;
    assert!(
        !again.created,
        "the same customer, typed differently, continues the open conversation"
    );
    assert_eq!(again.conversation_id, first.conversation_id);

    let snapshot: ConversationSnapshot = ana
        .get_json(&format!("/api/v1/conversations/{}", first.conversation_id))
        .await;
    let conversation = &snapshot.entry.conversation;
    assert_eq!(conversation.status, ConversationStatus::Open);
    assert_eq!(conversation.assignee, None);
    assert_eq!(
        conversation.contact.name.as_deref(),
        Some("Lucía"),
        "a later message without a name keeps it"
    );
    assert_eq!(conversation.contact.handle, "+34600555123");
    assert_eq!(snapshot.entry.unread, 2);
    assert_eq!(
        conversation.last_message.as_ref().unwrap().preview,
        "¿Hay alguien?"
    );

    let thread: ThreadPage = ana
        .get_json(&format!(
            "/api/v1/conversations/{}/messages",
            first.conversation_id
        ))
        .await;
    assert!(
        matches!(&thread.items[0], ThreadItem::Event(e) if e.kind == ConversationEventKind::Created)
    );
    assert_eq!(thread.items.len(), 3);
}

#[tokio::test]
async fn replying_to_the_queue_assigns_the_conversation_to_me() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let received = ana
        .inbound(Channel::Whatsapp, "+34600555124", None, "Hola")
        .await;
    let id = received.conversation_id;
    let response = ana
        .post(
            &format!("/api/v1/conversations/{id}/messages"),
            &json!({ "client_id": Uuid::new_v4(), "text": "  ¡Hola! ¿En qué te ayudo?  " }),
        )
        .await;
    assert_eq!(response.status(), 201);
    let message: Message = response.json().await.unwrap();
    assert_eq!(message.status, Some(MessageStatus::Sending));
    assert_eq!(message.text, "¡Hola! ¿En qué te ayudo?");
    assert_eq!(message.author, Some(ana.id));

    let snapshot: ConversationSnapshot = ana.get_json(&format!("/api/v1/conversations/{id}")).await;
    assert_eq!(snapshot.entry.conversation.assignee, Some(ana.id));
    assert_eq!(
        snapshot.entry.unread, 1,
        "a reply reads nothing: the customer may have written while the agent typed"
    );
    let thread: ThreadPage = ana
        .get_json(&format!("/api/v1/conversations/{id}/messages"))
        .await;
    let assigned_before_reply = thread.items.iter().position(
        |i| matches!(i, ThreadItem::Event(e) if e.kind == ConversationEventKind::Assigned),
    );
    let reply = thread.items.iter().position(|i| i.id() == message.id);
    assert!(
        assigned_before_reply < reply,
        "the thread shows the assignment, then the reply"
    );
}

#[tokio::test]
async fn sending_the_same_client_id_twice_stores_one_message() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let id = ana
        .inbound(Channel::Sms, "+34600555125", None, "Hola")
        .await
        .conversation_id;
    let body = json!({ "client_id": Uuid::new_v4(), "text": "Un momento, lo miro" });
    let path = format!("/api/v1/conversations/{id}/messages");
    let first = ana.post(&path, &body).await;
    let second = ana.post(&path, &body).await;
    assert_eq!(
        (first.status().as_u16(), second.status().as_u16()),
        (201, 200)
    );
    let (first, second): (Message, Message) =
        (first.json().await.unwrap(), second.json().await.unwrap());
    assert_eq!(first.id, second.id);
    let thread: ThreadPage = ana.get_json(&path).await;
    let copies = thread
        .items
        .iter()
        .filter(|i| matches!(i, ThreadItem::Message(m) if m.text == "Un momento, lo miro"))
        .count();
    assert_eq!(copies, 1);

    let other = ana
        .inbound(Channel::Sms, "+34600555126", None, "Hola")
        .await
        .conversation_id;
    let reused = ana
        .post(&format!("/api/v1/conversations/{other}/messages"), &body)
        .await;
    assert_eq!(error_code(reused).await, (409, "client_id_conflict".into()));
}

#[tokio::test]
async fn empty_and_over_long_replies_are_refused_with_the_limit_named() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let id = ana
        .inbound(Channel::Instagram, "@someone", None, "hi")
        .await
        .conversation_id;
    let path = format!("/api/v1/conversations/{id}/messages");
    let empty = ana
        .post(
            &path,
            &json!({ "client_id": Uuid::new_v4(), "text": " \n " }),
        )
        .await;
    assert_eq!(error_code(empty).await, (422, "empty_message".into()));
    let long = ana
        .post(
            &path,
            &json!({ "client_id": Uuid::new_v4(), "text": "a".repeat(1001) }),
        )
        .await;
    let status = long.status();
    let body: Value = long.json().await.unwrap();
    assert_eq!(
        (status.as_u16(), body["code"].as_str()),
        (422, Some("text_too_long"))
    );
    assert!(body["message"].as_str().unwrap().contains("1000"));
    let thread: ThreadPage = ana.get_json(&path).await;
    assert!(
        thread
            .items
            .iter()
            .all(|i| !matches!(i, ThreadItem::Message(m) if m.author.is_some())),
        "nothing was stored"
    );
}

#[tokio::test]
async fn the_sandbox_moves_a_reply_to_read_by_itself() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let id = ana
        .inbound(Channel::Whatsapp, "+34600555127", None, "Hola")
        .await
        .conversation_id;
    let message: Message = ana
        .post(
            &format!("/api/v1/conversations/{id}/messages"),
            &json!({ "client_id": Uuid::new_v4(), "text": "Hola!" }),
        )
        .await
        .json()
        .await
        .unwrap();
    let mut status = None;
    for _ in 0..50 {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        let thread: ThreadPage = ana
            .get_json(&format!("/api/v1/conversations/{id}/messages"))
            .await;
        status = thread.items.iter().find_map(|i| match i {
            ThreadItem::Message(m) if m.id == message.id => m.status,
            _ => None,
        });
        if status == Some(MessageStatus::Read) {
            break;
        }
    }
    assert_eq!(status, Some(MessageStatus::Read));
}

#[tokio::test]
async fn a_late_delivered_report_does_not_downgrade_read() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let id = ana
        .inbound(Channel::Whatsapp, "+34600555129", None, "Hola")
        .await
        .conversation_id;
    let message: Message = ana
        .post(
            &format!("/api/v1/conversations/{id}/messages"),
            &json!({ "client_id": Uuid::new_v4(), "text": "Hola!" }),
        )
        .await
        .json()
        .await
        .unwrap();
    let db = &server.running.state.db;
    let mut provider_id = None;
    for _ in 0..50 {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        let row: (Option<String>, Option<String>) =
            sqlx::query_as("SELECT provider_message_id, status FROM items WHERE id = ?1")
                .bind(message.id.0)
                .fetch_one(db.pool())
                .await
                .unwrap();
        if row.1.as_deref() == Some("read") {
            provider_id = row.0;
            break;
        }
    }
    let provider_id = provider_id.expect("the message was read");
    use switchboard_server::workflow::delivery::{Applied, report_status};
    let late = report_status(db, None, &provider_id, MessageStatus::Delivered, None)
        .await
        .unwrap();
    assert_eq!(late, Some(Applied::Ignored));
    let failed = report_status(db, None, &provider_id, MessageStatus::Failed, None)
        .await
        .unwrap();
    assert_eq!(
        failed,
        Some(Applied::Ignored),
        "a read message cannot fail any more"
    );
    assert_eq!(
        report_status(db, None, "sbx_unknown", MessageStatus::Read, None)
            .await
            .unwrap(),
        None
    );
    let thread: ThreadPage = ana
        .get_json(&format!("/api/v1/conversations/{id}/messages"))
        .await;
    let status = thread.items.iter().find_map(|i| match i {
        ThreadItem::Message(m) if m.id == message.id => m.status,
        _ => None,
    });
    assert_eq!(status, Some(MessageStatus::Read));
}

#[tokio::test]
async fn a_failing_carrier_reports_the_providers_reason() {
    let server = TestServer::start_with(|c| c.sandbox.failure_rate = 1.0).await;
    let ana = server.login("ana@example.com").await;
    let id = ana
        .inbound(Channel::Sms, "+34600555128", None, "Hola")
        .await
        .conversation_id;
    ana.post(
        &format!("/api/v1/conversations/{id}/messages"),
        &json!({ "client_id": Uuid::new_v4(), "text": "Hola" }),
    )
    .await;
    let mut failed = None;
    for _ in 0..50 {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        let thread: ThreadPage = ana
            .get_json(&format!("/api/v1/conversations/{id}/messages"))
            .await;
        failed = thread.items.iter().find_map(|i| match i {
            ThreadItem::Message(m) if m.status == Some(MessageStatus::Failed) => m.failure.clone(),
            _ => None,
        });
        if failed.is_some() {
            break;
        }
    }
    let failure = failed.expect("the message failed");
    assert_eq!(failure.code, "30003");
    assert!(failure.reason.contains("Unreachable"));
}

#[tokio::test]
async fn reading_is_per_agent_and_only_moves_forward() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let luis = server.login("luis@example.com").await;
    let first = ana.inbound(Channel::Telegram, "@reader", None, "uno").await;
    ana.inbound(Channel::Telegram, "@reader", None, "dos").await;
    let id = first.conversation_id;
    let read: ConversationUnread = ana
        .post(
            &format!("/api/v1/conversations/{id}/read"),
            &json!({ "up_to": first.message.id }),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(read.unread, 1);
    let read: ConversationUnread = ana
        .post(
            &format!("/api/v1/conversations/{id}/read"),
            &json!({ "up_to": i64::MAX }),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(read.unread, 0, "a mark past the end reads everything");
    let back: ConversationUnread = ana
        .post(
            &format!("/api/v1/conversations/{id}/read"),
            &json!({ "up_to": first.message.id }),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(back.unread, 0, "the read mark never moves back");
    let luis_view: ConversationSnapshot =
        luis.get_json(&format!("/api/v1/conversations/{id}")).await;
    assert_eq!(luis_view.entry.unread, 2, "Luis has read nothing yet");
}

#[tokio::test]
async fn assigning_moves_a_conversation_between_views_and_writes_the_event() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let luis = server.login("luis@example.com").await;
    let id = ana
        .inbound(Channel::Email, "carla@example.net", Some("Carla"), "Hello")
        .await
        .conversation_id;
    let entry: ConversationEntry = ana
        .post(
            &format!("/api/v1/conversations/{id}/assign"),
            &json!({ "agent_id": luis.id }),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(entry.conversation.assignee, Some(luis.id));
    let mine: ConversationPage = luis
        .get_json("/api/v1/conversations?view=mine&limit=200")
        .await;
    assert!(mine.items.iter().any(|e| e.conversation.id == id));
    let queue: ConversationPage = ana
        .get_json("/api/v1/conversations?view=unassigned&limit=200")
        .await;
    assert!(queue.items.iter().all(|e| e.conversation.id != id));
    let thread: ThreadPage = ana
        .get_json(&format!("/api/v1/conversations/{id}/messages"))
        .await;
    assert!(thread.items.iter().any(|i| matches!(i, ThreadItem::Event(e)
        if e.kind == ConversationEventKind::Assigned && e.agent == Some(luis.id) && e.actor == Some(ana.id))));
    let unknown = ana
        .post(
            &format!("/api/v1/conversations/{id}/assign"),
            &json!({ "agent_id": 999 }),
        )
        .await;
    assert_eq!(error_code(unknown).await, (422, "invalid_request".into()));
}

#[tokio::test]
async fn thread_pages_go_backwards_without_gaps_or_repeats() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let mut id = None;
    for n in 0..23 {
        id = Some(
            ana.inbound(
                Channel::Webchat,
                "visitor-pager",
                None,
                &format!("line {n}"),
            )
            .await
            .conversation_id,
        );
    }
    let id = id.unwrap();
    let mut ids = Vec::new();
    let mut before: Option<switchboard_protocol::MessageId> = None;
    loop {
        let path = match before {
            Some(b) => format!("/api/v1/conversations/{id}/messages?limit=5&before={b}"),
            None => format!("/api/v1/conversations/{id}/messages?limit=5"),
        };
        let page: ThreadPage = ana.get_json(&path).await;
        let page_ids: Vec<_> = page.items.iter().map(ThreadItem::id).collect();
        assert!(
            page_ids.windows(2).all(|w| w[0] < w[1]),
            "each page is oldest first"
        );
        ids.splice(0..0, page_ids);
        match page.before {
            Some(b) => before = Some(b),
            None => break,
        }
    }
    assert_eq!(ids.len(), 24, "23 messages and the created event");
    assert!(ids.windows(2).all(|w| w[0] < w[1]));
}

#[tokio::test]
async fn the_workspace_lists_people_not_service_accounts() {
    let server = TestServer::start_with(|c| {
        c.simulator = Some(switchboard_server::config::SimulatorConfig {
            every: std::time::Duration::from_secs(3600),
        })
    })
    .await;
    let ana = server.login("ana@example.com").await;
    let workspace: Workspace = ana.get_json("/api/v1/workspace").await;
    let emails: Vec<_> = workspace.agents.iter().map(|a| a.email.as_str()).collect();
    assert_eq!(emails, ["ana@example.com", "luis@example.com"]);
    assert_eq!(
        workspace.inboxes.len(),
        10,
        "one inbox per channel, and a second WhatsApp number"
    );
    let mut conn = server.running.state.db.pool().acquire().await.unwrap();
    assert!(
        agents::by_email(&mut conn, switchboard_server::simulator::EMAIL)
            .await
            .unwrap()
            .is_some()
    );
}

#[tokio::test]
async fn the_workspace_lists_only_people_who_share_an_inbox_but_everyone_to_an_admin() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let luis = server.login("luis@example.com").await;
    {
        let mut tx = server.running.state.db.write().await.unwrap();
        let hash = switchboard_server::auth::hash_password("zoe-secret").unwrap();
        let zoe = agents::insert(
            &mut tx,
            "zoe@example.com",
            "Zoe",
            Some(&hash),
            agents::AgentKind::Human,
        )
        .await
        .unwrap();
        let inbox = inboxes::insert(&mut tx, Channel::Email, "Legal", "legal@example.com")
            .await
            .unwrap();
        inboxes::add_member(&mut tx, inbox, zoe).await.unwrap();
        tx.commit().await.unwrap();
    }
    let workspace: Workspace = luis.get_json("/api/v1/workspace").await;
    assert!(
        workspace
            .agents
            .iter()
            .all(|a| a.email != "zoe@example.com")
    );
    assert_eq!(workspace.agents.len(), 2);
    // Ana, the admin, puts people in teams: she is told of everyone.
    let workspace: Workspace = ana.get_json("/api/v1/workspace").await;
    assert!(
        workspace
            .agents
            .iter()
            .any(|a| a.email == "zoe@example.com")
    );
}

/// A reply stored as `sending`, as if the server stopped before the outbox handed it over.
async fn unsent_reply(
    tx: &mut switchboard_server::db::WriteTx,
    conversation: switchboard_protocol::ConversationId,
    author: switchboard_protocol::AgentId,
    text: &str,
    at_ms: i64,
) -> switchboard_protocol::MessageId {
    let new = switchboard_server::store::items::NewMessage {
        conversation,
        direction: switchboard_protocol::Direction::Out,
        author: Some(author),
        text,
        client_id: Some(switchboard_protocol::ClientId(Uuid::new_v4())),
        status: Some(MessageStatus::Sending),
        human_agent: false,
        template: None,
        note: false,
        provider_message_id: None,
        at_ms,
    };
    switchboard_server::store::items::insert_message(tx, new)
        .await
        .unwrap()
        .id
}

#[tokio::test]
async fn a_reply_the_server_never_handed_over_is_sent_after_a_restart_unless_it_is_stale() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let id = ana
        .inbound(Channel::Whatsapp, "+34600555130", None, "Hola")
        .await
        .conversation_id;
    // Two replies stored, then the server stops before handing them to the provider.
    let (recent, stale) = {
        let mut tx = server.running.state.db.write().await.unwrap();
        let now = chrono::Utc::now().timestamp_millis();
        let recent = unsent_reply(&mut tx, id, ana.id, "Enseguida te ayudo", now - 60_000).await;
        let stale = unsent_reply(
            &mut tx,
            id,
            ana.id,
            "Respuesta de hace horas",
            now - 3 * 3600 * 1000,
        )
        .await;
        tx.commit().await.unwrap();
        (recent, stale)
    };
    let config = common::quick_config(server.dir.path());
    let dir = server.stop().await;
    let server = TestServer::start_in(dir, config).await;
    let ana = server.login("ana@example.com").await;
    let mut statuses = (None, None);
    for _ in 0..50 {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        let thread: ThreadPage = ana
            .get_json(&format!("/api/v1/conversations/{id}/messages"))
            .await;
        let status = |wanted| {
            thread.items.iter().find_map(|i| match i {
                ThreadItem::Message(m) if m.id == wanted => Some((m.status, m.failure.clone())),
                _ => None,
            })
        };
        statuses = (status(recent), status(stale));
        if matches!(statuses.0, Some((Some(MessageStatus::Read), _))) {
            break;
        }
    }
    assert!(
        matches!(statuses.0, Some((Some(MessageStatus::Read), None))),
        "{statuses:?}"
    );
    let (stale_status, failure) = statuses.1.unwrap();
    assert_eq!(stale_status, Some(MessageStatus::Failed));
    assert_eq!(failure.unwrap().code, "not_sent");
}

#[tokio::test]
async fn a_reply_whose_hand_over_had_begun_is_never_sent_twice_after_a_restart() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let id = ana
        .inbound(Channel::Whatsapp, "+34600555131", None, "Hola")
        .await
        .conversation_id;
    // The server stopped while the provider had the message: did it take it? Nobody knows.
    let reply = {
        let mut tx = server.running.state.db.write().await.unwrap();
        let now = chrono::Utc::now().timestamp_millis();
        let reply = unsent_reply(&mut tx, id, ana.id, "¿Te llegó esto?", now - 5_000).await;
        sqlx::query("UPDATE items SET handover_at = ?2 WHERE id = ?1")
            .bind(reply.0)
            .bind(now - 4_000)
            .execute(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        reply
    };
    let config = common::quick_config(server.dir.path());
    let dir = server.stop().await;
    let server = TestServer::start_in(dir, config).await;
    let ana = server.login("ana@example.com").await;
    let failed = ana.message_reaching(id, reply, MessageStatus::Failed).await;
    assert_eq!(failed.failure.unwrap().code, "outcome_unknown");
    let again = ana
        .post(
            &format!("/api/v1/conversations/{id}/messages/{reply}/retry"),
            &json!({}),
        )
        .await;
    assert_eq!(
        error_code(again).await,
        (422, "retry_wont_help".into()),
        "Retry could reach the customer twice"
    );
}

#[tokio::test]
async fn data_survives_a_restart() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let received = ana
        .inbound(Channel::Line, "Uabc123", Some("Kenji"), "konnichiwa")
        .await;
    let config = common::quick_config(server.dir.path());
    let dir = server.stop().await;
    let server = TestServer::start_in(dir, config).await;
    let ana = server.login("ana@example.com").await;
    let snapshot: ConversationSnapshot = ana
        .get_json(&format!(
            "/api/v1/conversations/{}",
            received.conversation_id
        ))
        .await;
    assert_eq!(
        snapshot.entry.conversation.contact.name.as_deref(),
        Some("Kenji")
    );
    let page: ConversationPage = ana
        .get_json("/api/v1/conversations?view=closed&limit=1")
        .await;
    assert_eq!(page.items.len(), 1, "the demo was not seeded twice or lost");
}

#[tokio::test]
async fn a_note_is_kept_where_a_reply_would_be_refused_but_is_only_ever_a_note() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let id = ana
        .inbound(Channel::Sms, "+34600555199", None, "STOP")
        .await
        .conversation_id;
    let path = format!("/api/v1/conversations/{id}/messages");
    let reply = ana
        .post(
            &path,
            &json!({ "client_id": Uuid::new_v4(), "text": "Hola" }),
        )
        .await;
    assert_eq!(error_code(reply).await, (422, "opted_out".into()));

    // Longer than any SMS, to a contact who said STOP: the team may still write it down.
    let long = "Llamó por teléfono. ".repeat(100);
    let note = ana
        .post(
            &path,
            &json!({ "client_id": Uuid::new_v4(), "text": long, "note": true }),
        )
        .await;
    assert_eq!(note.status(), 201);
    let note: Message = note.json().await.unwrap();
    assert!(note.note && note.status.is_none());

    let as_template = ana
        .post(
            &path,
            &json!({
                "client_id": Uuid::new_v4(), "text": "x", "note": true,
                "template": { "name": "t", "language": "es", "params": [] }
            }),
        )
        .await;
    assert_eq!(
        error_code(as_template).await,
        (422, "invalid_request".into())
    );
    let empty = ana
        .post(
            &path,
            &json!({ "client_id": Uuid::new_v4(), "text": "  ", "note": true }),
        )
        .await;
    assert_eq!(error_code(empty).await, (422, "empty_message".into()));
    let retry = ana
        .post(&format!("{path}/{}/retry", note.id), &json!({}))
        .await;
    assert_eq!(error_code(retry).await, (409, "not_failed".into()));
}

#[tokio::test]
async fn the_emoji_table_comes_compressed_and_cached_to_a_logged_in_agent() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let response = ana.get("/api/v1/emoji").await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["cache-control"],
        "private, max-age=86400"
    );
    let table: switchboard_protocol::emoji::EmojiTable = response.json().await.unwrap();
    assert_eq!(table.groups.len(), 9);
    let compressed = ana
        .http
        .get(server.url("/api/v1/emoji"))
        .bearer_auth(&ana.token)
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(compressed.headers()["content-encoding"], "gzip");
}
