//! Attachments over the real API and a real storage directory: uploads are capped, sniffed
//! from their bytes and checked against the channel before they are kept; files are served
//! only to agents who may see their conversation.
#![allow(clippy::unwrap_used)] // tests stop at the first unexpected error

mod common;

use common::{TestServer, error_code};
use serde_json::json;
use switchboard_protocol::{Attachment, Channel, Message};

const PNG: &[u8] = include_bytes!("../data/samples/recibo.png");
const PDF: &[u8] = include_bytes!("../data/samples/factura.pdf");

fn stored_files(server: &TestServer) -> usize {
    std::fs::read_dir(server.running.state.config.attachments_dir())
        .unwrap()
        .count()
}

#[tokio::test]
async fn a_file_is_typed_by_its_bytes_sent_with_a_reply_and_served_safely() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let id = ana
        .inbound(
            Channel::Whatsapp,
            "+34600777001",
            Some("Eva"),
            "¿Me mandas el recibo?",
        )
        .await
        .conversation_id;
    // A picture that calls itself a PDF is a picture.
    let response = ana
        .upload(id, "recibo.pdf", "application/pdf", PNG.to_vec())
        .await;
    assert_eq!(response.status(), 201);
    let attachment: Attachment = response.json().await.unwrap();
    assert_eq!(attachment.content_type, "image/png");
    assert_eq!(
        attachment.name, "recibo.pdf.png",
        "named by its bytes, so that it opens as a picture from disk"
    );
    assert_eq!(attachment.bytes, PNG.len() as u64);

    let reply = ana
        .reply(id, json!({ "text": "", "attachments": [attachment.id] }))
        .await;
    assert_eq!(reply.attachments, std::slice::from_ref(&attachment));
    let stored: Vec<Message> = ana.messages(id).await;
    assert_eq!(
        stored.last().unwrap().attachments,
        std::slice::from_ref(&attachment)
    );

    let file = ana.get(&attachment.url()).await;
    assert_eq!(file.status(), 200);
    let headers = file.headers().clone();
    assert_eq!(headers["content-type"], "image/png");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(
        headers["content-disposition"],
        "inline; filename*=UTF-8''recibo.pdf.png"
    );
    assert!(
        headers["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("sandbox")
    );
    assert_eq!(file.bytes().await.unwrap().as_ref(), PNG);

    let again = ana
        .post(
            &format!("/api/v1/conversations/{id}/messages"),
            &json!({ "client_id": uuid::Uuid::new_v4(), "text": "otra vez", "attachments": [attachment.id] }),
        )
        .await;
    assert_eq!(error_code(again).await, (422, "invalid_request".into()));
    let document = ana
        .get(&format!("/api/v1/attachments/{}", attachment.id))
        .await;
    assert_eq!(document.status(), 200, "still there for the thread");
}

#[tokio::test]
async fn what_the_channel_cannot_carry_is_refused_before_it_is_kept() {
    let server = TestServer::start_with(|config| config.max_upload_bytes = 8 * 1024 * 1024).await;
    let ana = server.login("ana@example.com").await;
    let id = ana
        .inbound(Channel::Whatsapp, "+34600777002", None, "Hola")
        .await
        .conversation_id;
    let program = ana
        .upload(
            id,
            "foto.jpg",
            "image/jpeg",
            b"MZ\x90\0\x03\0\0\0programa".to_vec(),
        )
        .await;
    assert_eq!(error_code(program).await, (422, "attachment_type".into()));

    let mut big = PNG.to_vec();
    big.resize(5 * 1024 * 1024 + 1, 0);
    let response = ana.upload(id, "grande.png", "image/png", big).await;
    assert_eq!(response.status(), 422);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["code"], "attachment_too_large");
    assert!(body["message"].as_str().unwrap().contains("5 MB"), "{body}");

    let mut huge = PDF.to_vec();
    huge.resize(8 * 1024 * 1024 + 1, b' ');
    let response = ana.upload(id, "enorme.pdf", "application/pdf", huge).await;
    assert_eq!(
        error_code(response).await,
        (413, "payload_too_large".into())
    );

    let nothing = ana
        .upload(id, "vacio.pdf", "application/pdf", Vec::new())
        .await;
    assert_eq!(error_code(nothing).await, (400, "invalid_request".into()));
    assert_eq!(stored_files(&server), 0, "nothing refused was kept");
}

#[tokio::test]
async fn files_are_served_only_to_agents_who_may_see_them() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let luis = server.login("luis@example.com").await;
    server.telegram_only_for(&luis).await;
    let private = luis
        .inbound(Channel::Telegram, "@vip_customer", Some("VIP"), "hello")
        .await
        .conversation_id;
    let secret: Attachment = luis
        .attach(private, "contrato.pdf", "application/pdf", PDF.to_vec())
        .await;
    luis.reply(
        private,
        json!({ "text": "Aquí está", "attachments": [secret.id] }),
    )
    .await;
    assert_eq!(
        error_code(ana.get(&secret.url()).await).await,
        (404, "not_found".into())
    );
    let into_theirs = ana
        .upload(private, "x.pdf", "application/pdf", PDF.to_vec())
        .await;
    assert_eq!(error_code(into_theirs).await, (404, "not_found".into()));
    let document = luis.get(&secret.url()).await;
    assert_eq!(document.status(), 200);
    assert!(
        document.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment;")
    );

    // An upload not sent yet is its uploader's alone, even in a shared conversation.
    let shared = ana
        .inbound(Channel::Sms, "+34600777003", None, "Hola")
        .await
        .conversation_id;
    let draft: Attachment = ana
        .attach(shared, "borrador.pdf", "application/pdf", PDF.to_vec())
        .await;
    assert_eq!(luis.get(&draft.url()).await.status(), 404);
    assert_eq!(luis.delete(&draft.url()).await.status(), 404);
    assert_eq!(ana.delete(&draft.url()).await.status(), 204);
    assert_eq!(ana.get(&draft.url()).await.status(), 404);
    let anonymous = server
        .http
        .get(server.url(&secret.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
}

#[tokio::test]
async fn a_customers_file_arrives_typed_and_a_message_of_files_alone_is_previewed_by_name() {
    use base64::Engine;
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let response = ana
        .post(
            "/api/v1/sandbox/inbound",
            &json!({
                "channel": "whatsapp", "from": "+34600777004", "text": "",
                "attachments": [{ "name": "foto", "data": base64::engine::general_purpose::STANDARD.encode(PNG) }]
            }),
        )
        .await;
    assert_eq!(response.status(), 201);
    let received: switchboard_protocol::api::InboundReceived = response.json().await.unwrap();
    let files = &received.message.attachments;
    assert_eq!(
        (files[0].name.as_str(), files[0].content_type.as_str()),
        ("foto.png", "image/png")
    );
    let snapshot: switchboard_protocol::api::ConversationSnapshot = ana
        .get_json(&format!(
            "/api/v1/conversations/{}",
            received.conversation_id
        ))
        .await;
    assert_eq!(
        snapshot.entry.conversation.last_message.unwrap().preview,
        "📎 foto.png"
    );
    assert_eq!(ana.get(&files[0].url()).await.status(), 200);
}

#[tokio::test]
async fn a_body_that_is_not_multipart_gets_a_code_and_a_note_with_a_file_still_has_a_length_limit()
{
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let id = ana
        .inbound(Channel::Sms, "+34600777005", None, "Hola")
        .await
        .conversation_id;
    let not_multipart = ana
        .post(
            &format!("/api/v1/conversations/{id}/attachments"),
            &json!({ "file": "x" }),
        )
        .await;
    assert_eq!(
        error_code(not_multipart).await,
        (415, "unsupported_media_type".into())
    );

    let file: Attachment = ana
        .attach(id, "factura.pdf", "application/pdf", PDF.to_vec())
        .await;
    let long = ana
        .post(
            &format!("/api/v1/conversations/{id}/messages"),
            &json!({ "client_id": uuid::Uuid::new_v4(), "note": true, "text": "x".repeat(10_001), "attachments": [file.id] }),
        )
        .await;
    assert_eq!(error_code(long).await, (422, "text_too_long".into()));
    let alone = ana
        .reply(
            id,
            json!({ "note": true, "text": "", "attachments": [file.id] }),
        )
        .await;
    assert!(alone.note);
    assert_eq!(alone.attachments.len(), 1, "a note may be a file alone");
}

#[tokio::test]
async fn uploads_nobody_sent_are_forgotten_after_a_week_and_sent_ones_stay() {
    use switchboard_server::workflow::sweep;
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let id = ana
        .inbound(Channel::Sms, "+34600777006", None, "Hola")
        .await
        .conversation_id;
    let mut uploaded = Vec::new();
    for name in ["abandonado.pdf", "enviado.pdf", "reciente.pdf"] {
        let file: Attachment = ana.attach(id, name, "application/pdf", PDF.to_vec()).await;
        uploaded.push(file);
    }
    ana.reply(
        id,
        json!({ "text": "Aquí va", "attachments": [uploaded[1].id] }),
    )
    .await;
    // The first two were uploaded eight days ago.
    let eight_days_ago = chrono::Utc::now().timestamp_millis() - 8 * 24 * 3600 * 1000;
    let state = &server.running.state;
    {
        let mut tx = state.db.write().await.unwrap();
        sqlx::query("UPDATE attachments SET created_at = ?1 WHERE id IN (?2, ?3)")
            .bind(eight_days_ago)
            .bind(uploaded[0].id.0)
            .bind(uploaded[1].id.0)
            .execute(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
    let now = chrono::Utc::now().timestamp_millis();
    let swept = sweep::unsent_uploads(&state.db, state.storage.as_ref(), now)
        .await
        .unwrap();
    assert_eq!(swept, 1, "only the old one nobody sent");
    assert_eq!(ana.get(&uploaded[0].url()).await.status(), 404);
    assert_eq!(
        ana.get(&uploaded[1].url()).await.status(),
        200,
        "sent: part of the thread"
    );
    assert_eq!(
        ana.get(&uploaded[2].url()).await.status(),
        200,
        "a recent draft's file"
    );
    assert_eq!(stored_files(&server), 2, "its bytes are gone too");
}

#[tokio::test]
async fn files_no_record_names_are_swept_once_old_and_recorded_ones_kept() {
    use switchboard_server::workflow::sweep;
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let id = ana
        .inbound(Channel::Email, "eva@example.com", Some("Eva"), "Adjunto")
        .await
        .conversation_id;
    let kept = ana
        .attach(id, "factura.pdf", "application/pdf", PDF.to_vec())
        .await;
    // What a crash or a refused message leaves: bytes with no record, and half a write.
    let dir = server.dir.path().join("attachments");
    std::fs::write(dir.join("0123456789abcdef0123456789abcdef"), b"orphan").unwrap();
    std::fs::write(
        dir.join("fedcba9876543210fedcba9876543210.partial"),
        b"half",
    )
    .unwrap();
    assert_eq!(stored_files(&server), 3);

    let state = &server.running.state;
    let now = std::time::SystemTime::now();
    let young = sweep::orphan_files(&state.db, state.storage.as_ref(), now)
        .await
        .unwrap();
    assert_eq!(young, 0, "a file that young may be waiting for its record");
    let later = now + sweep::ORPHAN_GRACE + std::time::Duration::from_secs(1);
    let swept = sweep::orphan_files(&state.db, state.storage.as_ref(), later)
        .await
        .unwrap();
    assert_eq!(swept, 2);
    assert_eq!(stored_files(&server), 1);
    assert_eq!(ana.get(&kept.url()).await.status(), 200);
}
