//! The channel rules enforced by the server: what the composer shows, the server refuses too.
#![allow(clippy::unwrap_used)] // tests stop at the first unexpected error

mod common;

use common::{Agent, TestServer};
use serde_json::{Value, json};
use switchboard_protocol::api::{ConversationSnapshot, ThreadPage};
use switchboard_protocol::{Channel, ConversationEventKind, ConversationId, Message, ThreadItem};
use uuid::Uuid;

/// Pretends the customer last wrote `hours` ago.
async fn last_wrote_hours_ago(server: &TestServer, id: ConversationId, hours: i64) {
    let at = chrono::Utc::now().timestamp_millis() - hours * 3_600_000;
    sqlx::query("UPDATE conversations SET last_inbound_at = ?2 WHERE id = ?1")
        .bind(id.0)
        .bind(at)
        .execute(server.running.state.db.pool())
        .await
        .unwrap();
}

async fn reply(agent: &Agent, id: ConversationId, body: Value) -> (u16, Value) {
    let response = agent
        .post(&format!("/api/v1/conversations/{id}/messages"), &body)
        .await;
    (response.status().as_u16(), response.json().await.unwrap())
}

fn text(text: &str) -> Value {
    json!({ "client_id": Uuid::new_v4(), "text": text })
}

#[tokio::test]
async fn after_24_hours_whatsapp_takes_only_a_template_and_the_server_says_so() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let id = ana
        .inbound(Channel::Whatsapp, "+34600888001", None, "Hola")
        .await
        .conversation_id;
    last_wrote_hours_ago(&server, id, 25).await;
    let (status, body) = reply(&ana, id, text("¿Sigues ahí?")).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("window_closed"))
    );
    assert!(
        body["message"].as_str().unwrap().contains("template"),
        "{body}"
    );
    let thread: ThreadPage = ana
        .get_json(&format!("/api/v1/conversations/{id}/messages"))
        .await;
    assert!(
        thread
            .items
            .iter()
            .all(|i| !matches!(i, ThreadItem::Message(m) if m.author.is_some())),
        "nothing stored"
    );

    // The customer writes again: the window reopens.
    ana.inbound(Channel::Whatsapp, "+34600888001", None, "¿Hola?")
        .await;
    let (status, _) = reply(&ana, id, text("¡Aquí estoy!")).await;
    assert_eq!(status, 201);
}

#[tokio::test]
async fn after_a_day_messenger_takes_a_reply_only_as_a_human_agent() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let id = ana
        .inbound(Channel::Messenger, "2233445566", Some("Pia"), "hi")
        .await
        .conversation_id;
    last_wrote_hours_ago(&server, id, 3 * 24).await;
    let (status, body) = reply(&ana, id, text("Sorry for the wait")).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("window_closed"))
    );
    assert!(
        body["message"].as_str().unwrap().contains("human agent"),
        "{body}"
    );

    let tagged =
        json!({ "client_id": Uuid::new_v4(), "text": "Sorry for the wait", "human_agent": true });
    let (status, body) = reply(&ana, id, tagged).await;
    assert_eq!(status, 201, "{body}");
    let message: Message = serde_json::from_value(body).unwrap();
    assert!(message.human_agent);

    last_wrote_hours_ago(&server, id, 8 * 24).await;
    let late = json!({ "client_id": Uuid::new_v4(), "text": "Still there?", "human_agent": true });
    let (status, _) = reply(&ana, id, late).await;
    assert_eq!(
        status, 422,
        "a week later not even a human agent reply goes"
    );
}

#[tokio::test]
async fn stop_blocks_replies_until_the_customer_writes_start() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let id = ana
        .inbound(Channel::Sms, "+34600888002", None, "Hola")
        .await
        .conversation_id;
    ana.inbound(Channel::Sms, "+34600888002", None, "STOP")
        .await;
    let snapshot: ConversationSnapshot = ana.get_json(&format!("/api/v1/conversations/{id}")).await;
    assert!(snapshot.entry.conversation.contact.opted_out);
    let (status, body) = reply(&ana, id, text("¿Seguro?")).await;
    assert_eq!((status, body["code"].as_str()), (422, Some("opted_out")));
    let thread: ThreadPage = ana
        .get_json(&format!("/api/v1/conversations/{id}/messages"))
        .await;
    assert!(
        thread.items.iter().any(
            |i| matches!(i, ThreadItem::Event(e) if e.kind == ConversationEventKind::OptedOut)
        )
    );

    ana.inbound(Channel::Sms, "+34600888002", None, "start")
        .await;
    let (status, _) = reply(&ana, id, text("¡Bienvenido de nuevo!")).await;
    assert_eq!(status, 201);
    let thread: ThreadPage = ana
        .get_json(&format!("/api/v1/conversations/{id}/messages"))
        .await;
    assert!(
        thread
            .items
            .iter()
            .any(|i| matches!(i, ThreadItem::Event(e) if e.kind == ConversationEventKind::OptedIn))
    );
}

#[tokio::test]
async fn stop_inside_a_sentence_is_just_a_message() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let id = ana
        .inbound(
            Channel::Sms,
            "+34600888003",
            None,
            "Please stop by the store",
        )
        .await
        .conversation_id;
    let snapshot: ConversationSnapshot = ana.get_json(&format!("/api/v1/conversations/{id}")).await;
    assert!(!snapshot.entry.conversation.contact.opted_out);
}

#[tokio::test]
async fn viber_refuses_a_sixth_message_without_an_answer() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let id = ana
        .inbound(Channel::Viber, "+34600888004", None, "Hola")
        .await
        .conversation_id;
    for n in 0..5 {
        let (status, _) = reply(&ana, id, text(&format!("Mensaje {n}"))).await;
        assert_eq!(status, 201);
    }
    let (status, body) = reply(&ana, id, text("Uno más")).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("too_many_unanswered"))
    );
    ana.inbound(Channel::Viber, "+34600888004", None, "Gracias")
        .await;
    let (status, _) = reply(&ana, id, text("¡De nada!")).await;
    assert_eq!(status, 201);
}

#[tokio::test]
async fn outside_the_window_a_filled_in_template_goes_and_is_stored_as_rendered() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let received = ana
        .inbound(Channel::Whatsapp, "+34600888005", Some("Lucía"), "Hola")
        .await;
    let id = received.conversation_id;
    let snapshot: ConversationSnapshot = ana.get_json(&format!("/api/v1/conversations/{id}")).await;
    let inbox = snapshot.entry.conversation.inbox_id;
    let templates: Vec<switchboard_protocol::templates::Template> = ana
        .get_json(&format!("/api/v1/inboxes/{inbox}/templates"))
        .await;
    assert!(templates.iter().any(|t| t.name == "seguimiento_pedido"));
    last_wrote_hours_ago(&server, id, 30).await;

    let template = |params: Value| {
        json!({
            "client_id": Uuid::new_v4(),
            "text": "(preview)",
            "template": { "name": "seguimiento_pedido", "language": "es", "params": params },
        })
    };
    let (status, body) = reply(&ana, id, template(json!(["Lucía"]))).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("invalid_request")),
        "{body}"
    );
    let (status, body) = reply(&ana, id, template(json!(["Lucía", " "]))).await;
    assert_eq!(status, 422, "{body}");

    let (status, body) = reply(&ana, id, template(json!(["Lucía", "48213"]))).await;
    assert_eq!(status, 201, "{body}");
    let message: Message = serde_json::from_value(body).unwrap();
    assert_eq!(message.template.as_deref(), Some("seguimiento_pedido"));
    assert!(
        message
            .text
            .starts_with("Hola Lucía, te escribimos por tu pedido 48213."),
        "{}",
        message.text
    );

    let unknown = json!({
        "client_id": Uuid::new_v4(), "text": "x",
        "template": { "name": "no_such_template", "language": "es", "params": [] },
    });
    let (status, _) = reply(&ana, id, unknown).await;
    assert_eq!(status, 422);
}

#[tokio::test]
async fn templates_of_an_inbox_i_am_not_in_are_not_mine_to_see() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let response = ana.get("/api/v1/inboxes/999/templates").await;
    assert_eq!(response.status(), 404);
}
