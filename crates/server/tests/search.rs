//! Search through the API, over a real SQLite file: words without their accents, phone numbers
//! in any formatting, closed conversations included, and nothing an agent may not see.
#![allow(clippy::unwrap_used)] // tests stop at the first unexpected error

mod common;

use common::{Agent, TestServer, error_code};
use serde_json::json;
use switchboard_protocol::search::Results;
use switchboard_protocol::{Channel, ConversationId, MessageId};

async fn search(agent: &Agent, query: &str) -> Results {
    let q: String = form_urlencoded::byte_serialize(query.as_bytes()).collect();
    agent.get_json(&format!("/api/v1/search?q={q}")).await
}

fn message_ids(results: &Results) -> Vec<MessageId> {
    results
        .messages
        .items
        .iter()
        .map(|hit| hit.message)
        .collect()
}

fn contact_conversations(results: &Results) -> Vec<ConversationId> {
    results.contacts.items.iter().map(|hit| hit.id).collect()
}

#[tokio::test]
async fn a_word_is_found_without_its_accent_or_case_and_the_match_is_marked() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let sent = ana
        .inbound(
            Channel::Whatsapp,
            "+34600800001",
            None,
            "El CAMIÓN no llegó a Málaga",
        )
        .await;
    for query in ["camion", "Camión", "malaga", "llego camio"] {
        let results = search(&ana, query).await;
        assert_eq!(message_ids(&results), [sent.message.id], "{query}");
        assert_eq!(
            results
                .conversations
                .items
                .iter()
                .map(|c| c.id)
                .collect::<Vec<_>>(),
            [sent.conversation_id],
            "{query}"
        );
    }
    let hit = &search(&ana, "camion").await.messages.items[0];
    let marked: Vec<&str> = hit
        .snippet
        .iter()
        .filter(|piece| piece.hit)
        .map(|piece| piece.text.as_str())
        .collect();
    assert_eq!(marked, ["CAMIÓN"]);
    let whole: String = hit
        .snippet
        .iter()
        .map(|piece| piece.text.as_str())
        .collect();
    assert_eq!(whole, "El CAMIÓN no llegó a Málaga");
    assert!(message_ids(&search(&ana, "camionero").await).is_empty());
}

#[tokio::test]
async fn a_contact_is_found_by_any_formatting_of_their_number_and_by_their_name() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let sent = ana
        .inbound(
            Channel::Whatsapp,
            "+34611223344",
            Some("Begoña Ibáñez"),
            "hola",
        )
        .await;
    for query in [
        "+34 611 22 33 44",
        "611223344",
        "0034 611-22-33-44",
        "(611) 22.33",
        "begona",
        "IBÁÑ",
        "bego ibanez",
    ] {
        assert_eq!(
            contact_conversations(&search(&ana, query).await),
            [sent.conversation_id],
            "{query}"
        );
    }
    assert!(contact_conversations(&search(&ana, "611 99").await).is_empty());
}

#[tokio::test]
async fn closed_conversations_are_found_too() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let sent = ana
        .inbound(
            Channel::Whatsapp,
            "+34600800002",
            Some("Íñigo"),
            "factura del ornitorrinco",
        )
        .await;
    let id = sent.conversation_id;
    let assigned = ana
        .post(
            &format!("/api/v1/conversations/{id}/assign"),
            &json!({ "agent_id": ana.id }),
        )
        .await;
    assert_eq!(assigned.status(), 200);
    let workspace: switchboard_protocol::api::Workspace = ana.get_json("/api/v1/workspace").await;
    let reason = workspace.wrap_up_reasons[0].id;
    let closed = ana
        .post(
            &format!("/api/v1/conversations/{id}/close"),
            &json!({ "reason": reason }),
        )
        .await;
    assert_eq!(closed.status(), 200, "{}", closed.text().await.unwrap());
    let results = search(&ana, "ornitorrinco").await;
    assert_eq!(message_ids(&results), [sent.message.id]);
    assert_eq!(
        results.conversations.items[0].status,
        switchboard_protocol::ConversationStatus::Closed
    );
    assert_eq!(contact_conversations(&search(&ana, "iñigo").await), [id]);
}

#[tokio::test]
async fn an_agent_finds_nothing_of_an_inbox_they_are_not_in() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let luis = server.login("luis@example.com").await;
    server.telegram_only_for(&ana).await;
    let sent = ana
        .inbound(
            Channel::Telegram,
            "@zuriñe",
            Some("Zuriñe Etxeberria"),
            "contraseña del murciélago",
        )
        .await;
    let mine = search(&ana, "contrasena murcielago").await;
    assert_eq!(message_ids(&mine), [sent.message.id]);
    assert_eq!(
        contact_conversations(&search(&ana, "etxeberria").await),
        [sent.conversation_id]
    );
    let theirs = search(&luis, "contrasena murcielago").await;
    assert!(theirs.messages.items.is_empty());
    assert!(theirs.conversations.items.is_empty());
    assert!(search(&luis, "etxeberria").await.contacts.items.is_empty());
    assert!(search(&luis, "zuriñe").await.contacts.items.is_empty());
}

#[tokio::test]
async fn messages_page_newest_first_and_the_next_page_starts_before_the_last() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let mut sent = Vec::new();
    for n in 0..5 {
        let from = format!("+3460090000{n}");
        sent.push(
            ana.inbound(
                Channel::Whatsapp,
                &from,
                None,
                &format!("reembolso del tucán número {n}"),
            )
            .await
            .message
            .id,
        );
    }
    sent.reverse();
    let first: Results = ana
        .get_json("/api/v1/search?q=reembolso%20tucan&in=messages&limit=3")
        .await;
    assert_eq!(message_ids(&first), sent[..3]);
    assert!(first.messages.more);
    assert!(first.contacts.items.is_empty(), "only the group asked for");
    let before = first.messages.items[2].message;
    let next: Results = ana
        .get_json(&format!(
            "/api/v1/search?q=reembolso%20tucan&in=messages&limit=3&before={before}"
        ))
        .await;
    assert_eq!(message_ids(&next), sent[3..]);
    assert!(!next.messages.more);
}

#[tokio::test]
async fn a_query_with_no_words_or_search_syntax_gets_a_clear_answer() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    for q in ["", "%20%3F%3F", "%C2%BF%21"] {
        let response = ana.get(&format!("/api/v1/search?q={q}")).await;
        assert_eq!(
            error_code(response).await,
            (400, "invalid_request".into()),
            "{q}"
        );
    }
    let response = ana.get("/api/v1/search?q=hola&limit=0").await;
    assert_eq!(error_code(response).await, (400, "invalid_request".into()));
    // FTS5's operators typed as text are words, not syntax (no 500).
    for q in ["NEAR(%22a", "a%20OR%20*", "%22x%22%22", "-x%20%5E"] {
        let response = ana.get(&format!("/api/v1/search?q={q}")).await;
        assert_eq!(
            response.status(),
            200,
            "{q}: {}",
            response.text().await.unwrap()
        );
    }
    let anonymous = reqwest::get(server.url("/api/v1/search?q=hola"))
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
}
