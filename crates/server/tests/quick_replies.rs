//! Saved replies over the real API: who sees which, and what a caller's mistakes get.
#![allow(clippy::unwrap_used)] // tests stop at the first unexpected error

mod common;

use common::{TestServer, error_code};
use serde_json::json;
use switchboard_protocol::quick_replies::{QuickReply, Scope};
use switchboard_protocol::{Channel, InboxId};
use switchboard_server::store::inboxes;

async fn replies(agent: &common::Agent) -> Vec<QuickReply> {
    agent.get_json("/api/v1/quick-replies").await
}

#[tokio::test]
async fn an_agent_sees_their_own_replies_and_their_inboxes_not_a_teammates_own() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let luis = server.login("luis@example.com").await;
    let created = ana
        .post(
            "/api/v1/quick-replies",
            &json!({ "shortcut": "/Cupón", "title": "Cupón", "body": "Usa el código HOLA10." }),
        )
        .await;
    assert_eq!(created.status(), 201);
    let cupon: QuickReply = created.json().await.unwrap();
    assert_eq!(
        (cupon.shortcut.as_str(), cupon.scope),
        ("cupón", Scope::Personal)
    );

    let anas = replies(&ana).await;
    let luiss = replies(&luis).await;
    assert!(anas.iter().any(|r| r.id == cupon.id));
    assert!(
        luiss.iter().all(|r| r.id != cupon.id),
        "personal stays personal"
    );
    let shared = |list: &[QuickReply]| {
        list.iter()
            .filter(|r| matches!(r.scope, Scope::Inbox { .. }))
            .count()
    };
    assert!(shared(&anas) > 0);
    assert_eq!(shared(&anas), shared(&luiss), "the team's are everyone's");

    // Someone else's personal reply is, to Luis, not there at all.
    let path = format!("/api/v1/quick-replies/{}", cupon.id);
    let edit = luis
        .put(
            &path,
            &json!({ "shortcut": "x", "title": "x", "body": "x" }),
        )
        .await;
    assert_eq!(error_code(edit).await, (404, "not_found".into()));
    assert_eq!(
        error_code(luis.delete(&path).await).await,
        (404, "not_found".into())
    );
    assert_eq!(ana.delete(&path).await.status(), 204);
    assert!(replies(&ana).await.iter().all(|r| r.id != cupon.id));
}

#[tokio::test]
async fn a_shared_reply_belongs_to_an_inbox_the_agent_is_in_and_its_shortcut_is_unique_there() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let luis = server.login("luis@example.com").await;
    let (mine, theirs) = {
        let mut tx = server.running.state.db.write().await.unwrap();
        let mine = inboxes::insert(&mut tx, Channel::Sms, "Ventas", "+34 900 000 000")
            .await
            .unwrap();
        let theirs = inboxes::insert(&mut tx, Channel::Sms, "VIP", "+34 900 000 001")
            .await
            .unwrap();
        inboxes::add_member(&mut tx, mine, ana.id).await.unwrap();
        inboxes::add_member(&mut tx, mine, luis.id).await.unwrap();
        inboxes::add_member(&mut tx, theirs, luis.id).await.unwrap();
        tx.commit().await.unwrap();
        (mine, theirs)
    };
    let save = |inbox: InboxId, shortcut: &str| json!({ "shortcut": shortcut, "title": "Horario", "body": "Abrimos de 9 a 18 h.", "inbox_id": inbox });
    let created = ana
        .post("/api/v1/quick-replies", &save(mine, "horario"))
        .await;
    assert_eq!(created.status(), 201);
    let horario: QuickReply = created.json().await.unwrap();
    assert_eq!(horario.scope, Scope::Inbox { inbox_id: mine });

    let again = luis
        .post("/api/v1/quick-replies", &save(mine, "Horario"))
        .await;
    assert_eq!(error_code(again).await, (409, "shortcut_taken".into()));
    let elsewhere = luis
        .post("/api/v1/quick-replies", &save(theirs, "horario"))
        .await;
    assert_eq!(elsewhere.status(), 201, "another inbox may use it");
    let not_hers = ana
        .post("/api/v1/quick-replies", &save(theirs, "vip"))
        .await;
    assert_eq!(error_code(not_hers).await, (404, "not_found".into()));

    // A teammate improves the team's reply; everyone sees the change.
    let path = format!("/api/v1/quick-replies/{}", horario.id);
    let mut changed = save(mine, "horario");
    changed["body"] = json!("Abrimos de 9 a 20 h.");
    assert_eq!(luis.put(&path, &changed).await.status(), 200);
    let seen = replies(&ana).await;
    let seen = seen.iter().find(|r| r.id == horario.id).unwrap();
    assert_eq!(seen.body, "Abrimos de 9 a 20 h.");
}

#[tokio::test]
async fn bad_quick_replies_are_refused_with_a_code_and_a_sentence() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    for (body, words) in [
        (
            json!({ "shortcut": "dos palabras", "title": "t", "body": "b" }),
            "one word",
        ),
        (
            json!({ "shortcut": "ok", "title": " ", "body": "b" }),
            "title",
        ),
        (
            json!({ "shortcut": "ok", "title": "t", "body": "b".repeat(4001) }),
            "4000",
        ),
    ] {
        let response = ana.post("/api/v1/quick-replies", &body).await;
        assert_eq!(response.status(), 422);
        let error: serde_json::Value = response.json().await.unwrap();
        assert_eq!(error["code"], "invalid_request");
        assert!(
            error["message"].as_str().unwrap().contains(words),
            "{error}"
        );
    }
    let malformed = ana
        .post("/api/v1/quick-replies", &json!({ "shortcut": 5 }))
        .await;
    assert_eq!(error_code(malformed).await, (400, "invalid_request".into()));
    let anonymous = server
        .http
        .get(server.url("/api/v1/quick-replies"))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
}
