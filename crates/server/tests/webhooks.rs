//! Provider webhooks and outbound adapters, against a real server: webhook bodies are the
//! providers' documented payloads (tests/fixtures/webhooks), signed as each provider signs
//! them; outbound messages go to local stand-ins of the providers' APIs and of an SMTP server.
#![allow(clippy::unwrap_used)] // tests stop at the first unexpected error

mod common;

use common::stand_in::{ApiStandIn, SmtpStandIn};
use common::{TestServer, error_code, fixture, meta_signature, twilio_signature};
use serde_json::{Value, json};
use std::sync::atomic::{AtomicUsize, Ordering};
use switchboard_protocol::{Channel, InboxId, MessageStatus};
use switchboard_server::providers::sandbox;

const FORM: (&str, &str) = ("content-type", "application/x-www-form-urlencoded");
const JSON: (&str, &str) = ("content-type", "application/json");

/// Waits for a message to fail; its failure, checked to carry the provider's `code` and
/// a reason with these `words`.
async fn assert_fails_with(
    agent: &common::Agent,
    conversation: switchboard_protocol::ConversationId,
    message: switchboard_protocol::MessageId,
    code: &str,
    words: &str,
) -> switchboard_protocol::Failure {
    let failed = agent
        .message_reaching(conversation, message, MessageStatus::Failed)
        .await;
    let failure = failed.failure.expect("a failed message says why");
    assert_eq!(failure.code, code, "{failure:?}");
    assert!(failure.reason.contains(words), "{failure:?}");
    failure
}

fn header((name, value): (&'static str, &str)) -> (&'static str, String) {
    (name, value.to_owned())
}

/// A signed webhook that could not be used: acknowledged (the provider must not send it
/// again), nothing of it used, and why in the receipt.
async fn assert_skipped(response: reqwest::Response, what: &str) {
    assert_eq!(
        response.status(),
        200,
        "{what}: signed calls are acknowledged"
    );
    let receipt: Value = response.json().await.unwrap();
    assert_eq!(receipt["used"], 0, "{what}: {receipt}");
    let reasons = receipt["skipped"].as_array().unwrap();
    assert!(
        reasons.len() == 1 && reasons[0].as_str().is_some_and(|r| !r.is_empty()),
        "{what}: {receipt}"
    );
}

/// Seconds since the epoch, as a string (WhatsApp's timestamps).
fn now_seconds() -> String {
    chrono::Utc::now().timestamp().to_string()
}

// ---------------------------------------------------------------------------------------------
// Twilio (SMS/MMS)

const TWILIO_TOKEN: &str = "12345678901234567890123456789012";

fn twilio_settings(api: &ApiStandIn) -> Value {
    json!({
        "account_sid": "ACae8e4f0d2d5b8d5a1e3e0b4c7b3d8f11",
        "auth_token": TWILIO_TOKEN,
        "from": "+15558675310",
        "api_base": api.url,
    })
}

/// A Twilio webhook, signed for this server's URL.
async fn twilio_post(server: &TestServer, inbox: InboxId, form: &str) -> reqwest::Response {
    let signed = twilio_signature(TWILIO_TOKEN, &server.webhook_url("twilio", inbox), form);
    let headers = [("x-twilio-signature", signed), header(FORM)];
    server.webhook("twilio", inbox, &headers, form).await
}

#[tokio::test]
async fn a_twilio_sms_is_stored_once_however_often_twilio_retries_it() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let api = ApiStandIn::start(|_| (201, json!({}))).await;
    let inbox = server
        .provider_inbox(Channel::Sms, "twilio", &twilio_settings(&api))
        .await;

    for _ in 0..3 {
        let response = twilio_post(&server, inbox, &fixture("twilio_inbound.form")).await;
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-type"], "text/xml");
        assert!(
            response
                .text()
                .await
                .unwrap()
                .contains("<Response></Response>"),
            "empty TwiML"
        );
    }
    let conversations = ana.conversations_in(inbox).await;
    assert_eq!(conversations.len(), 1);
    assert_eq!(conversations[0].contact.handle, "+14017122661");
    let texts = ana.texts(conversations[0].id).await;
    assert_eq!(texts, ["Is my order ready?"]);
}

#[tokio::test]
async fn a_reply_goes_out_through_twilios_messages_api_and_its_status_callback_moves_it() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let api = ApiStandIn::start(|_| {
        (
            201,
            json!({ "sid": "SM5ef8732a3c49700934481addd5ce1659", "status": "queued" }),
        )
    })
    .await;
    let inbox = server
        .provider_inbox(Channel::Sms, "twilio", &twilio_settings(&api))
        .await;
    twilio_post(&server, inbox, &fixture("twilio_inbound.form")).await;
    let conversation = ana.conversations_in(inbox).await[0].id;

    let reply = ana
        .reply(conversation, json!({ "text": "Yes, it ships today." }))
        .await;
    let sent = ana
        .message_reaching(conversation, reply.id, MessageStatus::Sent)
        .await;
    assert_eq!(sent.failure, None);
    let request = &api.received(1).await[0];
    assert_eq!(
        request.path,
        "/2010-04-01/Accounts/ACae8e4f0d2d5b8d5a1e3e0b4c7b3d8f11/Messages.json"
    );
    use base64::Engine;
    let credentials = base64::engine::general_purpose::STANDARD
        .encode(format!("ACae8e4f0d2d5b8d5a1e3e0b4c7b3d8f11:{TWILIO_TOKEN}"));
    assert_eq!(
        request.header("authorization"),
        format!("Basic {credentials}")
    );
    let form = request.form();
    assert_eq!(form["To"], "+14017122661");
    assert_eq!(form["From"], "+15558675310");
    assert_eq!(form["Body"], "Yes, it ships today.");

    // The carrier could not deliver it: Twilio calls back with the error code.
    let callback = fixture("twilio_status_undelivered.form")
        .replace("__PROVIDER_ID__", "SM5ef8732a3c49700934481addd5ce1659");
    assert_eq!(twilio_post(&server, inbox, &callback).await.status(), 200);
    assert_fails_with(
        &ana,
        conversation,
        reply.id,
        "30003",
        "Unreachable destination handset",
    )
    .await;
}

#[tokio::test]
async fn twilio_refusing_a_message_fails_it_with_twilios_reason() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    // Twilio's answer when the recipient had replied STOP to this number.
    let api = ApiStandIn::start(|_| {
        (
            400,
            json!({
                "code": 21610,
                "message": "Attempt to send to unsubscribed recipient",
                "more_info": "https://www.twilio.com/docs/errors/21610",
                "status": 400
            }),
        )
    })
    .await;
    let inbox = server
        .provider_inbox(Channel::Sms, "twilio", &twilio_settings(&api))
        .await;
    twilio_post(&server, inbox, &fixture("twilio_inbound.form")).await;
    let conversation = ana.conversations_in(inbox).await[0].id;
    let reply = ana.reply(conversation, json!({ "text": "Hello?" })).await;
    assert_fails_with(&ana, conversation, reply.id, "21610", "STOP").await;
}

#[tokio::test]
async fn a_twilio_webhook_with_a_bad_signature_is_refused_and_nothing_is_stored() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let api = ApiStandIn::start(|_| (201, json!({}))).await;
    let inbox = server
        .provider_inbox(Channel::Sms, "twilio", &twilio_settings(&api))
        .await;
    let body = fixture("twilio_inbound.form");
    let url = server.webhook_url("twilio", inbox);
    let cases = [
        vec![header(FORM)],
        vec![
            (
                "x-twilio-signature",
                twilio_signature("another-token", &url, &body),
            ),
            header(FORM),
        ],
        // Signed for the body before someone changed it.
        vec![
            (
                "x-twilio-signature",
                twilio_signature(TWILIO_TOKEN, &url, "Body=hi"),
            ),
            header(FORM),
        ],
    ];
    for headers in cases {
        let response = server
            .webhook("twilio", inbox, &headers, body.clone())
            .await;
        assert_eq!(error_code(response).await, (401, "bad_signature".into()));
    }
    assert!(ana.conversations_in(inbox).await.is_empty());
}

#[tokio::test]
async fn a_signed_twilio_webhook_that_cannot_be_used_is_acknowledged_and_stores_nothing() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let api = ApiStandIn::start(|_| (201, json!({}))).await;
    let inbox = server
        .provider_inbox(Channel::Sms, "twilio", &twilio_settings(&api))
        .await;
    for form in [
        "From=%2B14017122661&Body=hi",
        "MessageSid=SM1&From=not-a-phone&Body=hi",
        // Twilio's WhatsApp sender: not an SMS, so not for an SMS inbox.
        "MessageSid=SM2&From=whatsapp%3A%2B14017122661&Body=hi",
    ] {
        let response = twilio_post(&server, inbox, form).await;
        assert_eq!(response.status(), 200, "{form}: Twilio must not retry it");
        assert!(response.text().await.unwrap().contains("<Response>"));
    }
    assert!(ana.conversations_in(inbox).await.is_empty());
    let good = "MessageSid=SM3&From=%2B14017122661&Body=hi";
    assert_eq!(twilio_post(&server, inbox, good).await.status(), 200);
    assert_eq!(ana.conversations_in(inbox).await.len(), 1);
}

#[tokio::test]
async fn stop_by_sms_opts_the_customer_out_until_start() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let api = ApiStandIn::start(|_| (201, json!({ "sid": "SM1" }))).await;
    let inbox = server
        .provider_inbox(Channel::Sms, "twilio", &twilio_settings(&api))
        .await;
    let stop = fixture("twilio_inbound.form").replace("Is+my+order+ready%3F", "STOP");
    twilio_post(&server, inbox, &stop).await;
    let conversation = &ana.conversations_in(inbox).await[0];
    assert!(conversation.contact.opted_out);
    let refused = ana
        .post(
            &format!("/api/v1/conversations/{}/messages", conversation.id),
            &json!({ "client_id": uuid::Uuid::new_v4(), "text": "Are you sure?" }),
        )
        .await;
    assert_eq!(error_code(refused).await, (422, "opted_out".into()));
    assert_eq!(api.count(), 0, "nothing reached Twilio");

    let start = fixture("twilio_inbound.form")
        .replace("Is+my+order+ready%3F", "START")
        .replace(
            "SM1f0e8ae6ade43cb3c0ce4525424e404f",
            "SM2f0e8ae6ade43cb3c0ce4525424e404f",
        );
    twilio_post(&server, inbox, &start).await;
    assert!(!ana.conversations_in(inbox).await[0].contact.opted_out);
    ana.reply(conversation.id, json!({ "text": "Welcome back" }))
        .await;
    api.received(1).await;
}

// ---------------------------------------------------------------------------------------------
// WhatsApp Cloud API

const APP_SECRET: &str = "meta-app-secret";
const VERIFY_TOKEN: &str = "meta-verify-token";

fn whatsapp_settings(api: &ApiStandIn) -> Value {
    json!({
        "phone_number_id": "106540352242922",
        "access_token": "EAAG-whatsapp-token",
        "app_secret": APP_SECRET,
        "verify_token": VERIFY_TOKEN,
        "api_base": api.url,
    })
}

/// A Graph API stand-in that accepts every message and names them `wamid.0`, `wamid.1`...
async fn graph_accepting() -> ApiStandIn {
    let next = AtomicUsize::new(0);
    ApiStandIn::start(move |_| {
        let n = next.fetch_add(1, Ordering::SeqCst);
        (
            200,
            json!({
                "messaging_product": "whatsapp",
                "contacts": [{ "input": "16505551234", "wa_id": "16505551234" }],
                "messages": [{ "id": format!("wamid.{n}") }],
                // A media upload answers with the media's id.
                "id": format!("media.{n}"),
                // Messenger's Send API answers this way instead.
                "recipient_id": "6789012345678901",
                "message_id": format!("m_{n}"),
            }),
        )
    })
    .await
}

async fn meta_post(
    server: &TestServer,
    provider: &str,
    inbox: InboxId,
    body: &str,
) -> reqwest::Response {
    let headers = [
        (
            "x-hub-signature-256",
            meta_signature(APP_SECRET, body.as_bytes()),
        ),
        header(JSON),
    ];
    server.webhook(provider, inbox, &headers, body).await
}

/// A WhatsApp inbox on the Graph API stand-in, and the conversation of the documented
/// text message, sent just now (its window open).
async fn whatsapp_conversation(
    server: &TestServer,
    agent: &common::Agent,
    api: &ApiStandIn,
) -> (InboxId, switchboard_protocol::ConversationId) {
    let settings = whatsapp_settings(api);
    let inbox = server
        .provider_inbox(Channel::Whatsapp, "whatsapp", &settings)
        .await;
    let response = meta_post(server, "whatsapp", inbox, &whatsapp_text_now()).await;
    assert_eq!(response.status(), 200);
    (inbox, agent.conversations_in(inbox).await[0].id)
}

/// The documented text message, sent just now (so the 24-hour window is open).
fn whatsapp_text_now() -> String {
    fixture("whatsapp_text.json").replace("1749416383", &now_seconds())
}

fn whatsapp_status(provider_id: &str, status: &str) -> String {
    fixture("whatsapp_status_template.json")
        .replace("__PROVIDER_ID__", provider_id)
        .replace("__STATUS__", status)
}

#[tokio::test]
async fn whatsapp_answers_metas_verification_handshake_only_with_its_verify_token() {
    let server = TestServer::start().await;
    let api = graph_accepting().await;
    let inbox = server
        .provider_inbox(Channel::Whatsapp, "whatsapp", &whatsapp_settings(&api))
        .await;
    let url = server.webhook_url("whatsapp", inbox);
    let query = |token: &str| {
        let query = format!("hub.mode=subscribe&hub.verify_token={token}&hub.challenge=1158201444");
        server.http.get(format!("{url}?{query}")).send()
    };
    let answer = query(VERIFY_TOKEN).await.unwrap();
    assert_eq!(answer.status(), 200);
    assert_eq!(answer.text().await.unwrap(), "1158201444");
    assert_eq!(
        error_code(query("guess").await.unwrap()).await,
        (403, "forbidden".into())
    );
}

#[tokio::test]
async fn whatsapp_messages_of_every_kind_arrive_once_with_the_customers_profile_name() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let api = graph_accepting().await;
    let inbox = server
        .provider_inbox(Channel::Whatsapp, "whatsapp", &whatsapp_settings(&api))
        .await;
    for name in [
        "whatsapp_text.json",
        "whatsapp_location.json",
        "whatsapp_text.json",
    ] {
        let response = meta_post(&server, "whatsapp", inbox, &fixture(name)).await;
        assert_eq!(response.status(), 200, "{name}");
    }
    let conversations = ana.conversations_in(inbox).await;
    assert_eq!(conversations.len(), 1);
    let contact = &conversations[0].contact;
    assert_eq!(
        (contact.handle.as_str(), contact.name.as_deref()),
        ("+16505551234", Some("Sheena Nelson"))
    );
    let texts = ana.texts(conversations[0].id).await;
    assert_eq!(
        texts,
        [
            "Does it come in another color?",
            "📍 Meta Headquarters (37.483253479004, -122.14960479736)"
        ]
    );
}

#[tokio::test]
async fn a_whatsapp_reply_goes_to_the_graph_api_and_statuses_move_it_to_read() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let api = graph_accepting().await;
    let (inbox, conversation) = whatsapp_conversation(&server, &ana, &api).await;

    let reply = ana
        .reply(conversation, json!({ "text": "Yes: blue and green." }))
        .await;
    ana.message_reaching(conversation, reply.id, MessageStatus::Sent)
        .await;
    let request = &api.received(1).await[0];
    assert_eq!(request.path, "/106540352242922/messages");
    assert_eq!(
        request.header("authorization"),
        "Bearer EAAG-whatsapp-token"
    );
    assert_eq!(
        request.json(),
        json!({
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": "16505551234",
            "type": "text",
            "text": { "preview_url": false, "body": "Yes: blue and green." },
        })
    );
    for status in ["delivered", "read"] {
        let response = meta_post(
            &server,
            "whatsapp",
            inbox,
            &whatsapp_status("wamid.0", status),
        )
        .await;
        assert_eq!(response.status(), 200);
    }
    ana.message_reaching(conversation, reply.id, MessageStatus::Read)
        .await;
    // A late "delivered" (webhooks arrive in any order) does not take it back.
    meta_post(
        &server,
        "whatsapp",
        inbox,
        &whatsapp_status("wamid.0", "delivered"),
    )
    .await;
    ana.message_reaching(conversation, reply.id, MessageStatus::Read)
        .await;
}

#[tokio::test]
async fn a_status_that_arrives_before_the_graph_api_answered_is_not_lost() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let api = graph_accepting().await;
    let (inbox, conversation) = whatsapp_conversation(&server, &ana, &api).await;
    // Meta can call back before its API call returns: the report names an id we do not know.
    let early = meta_post(
        &server,
        "whatsapp",
        inbox,
        &whatsapp_status("wamid.0", "delivered"),
    )
    .await;
    assert_eq!(early.status(), 200);
    let reply = ana.reply(conversation, json!({ "text": "Hola" })).await;
    ana.message_reaching(conversation, reply.id, MessageStatus::Delivered)
        .await;
}

#[tokio::test]
async fn outside_the_window_whatsapp_sends_the_template_with_its_values() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let api = graph_accepting().await;
    let inbox = server
        .provider_inbox(Channel::Whatsapp, "whatsapp", &whatsapp_settings(&api))
        .await;
    {
        let mut tx = server.running.state.db.write().await.unwrap();
        let template = switchboard_protocol::templates::Template {
            name: "order_update".into(),
            language: "en_US".into(),
            body: "Hi {{1}}, your order {{2}} has shipped.".into(),
        };
        switchboard_server::store::templates::add(&mut tx, inbox, &template)
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
    // The documented message is from June 2025: its window closed long ago.
    meta_post(&server, "whatsapp", inbox, &fixture("whatsapp_text.json")).await;
    let conversation = ana.conversations_in(inbox).await[0].id;
    let free_text = ana
        .post(
            &format!("/api/v1/conversations/{conversation}/messages"),
            &json!({ "client_id": uuid::Uuid::new_v4(), "text": "Hello again" }),
        )
        .await;
    assert_eq!(error_code(free_text).await, (422, "window_closed".into()));

    let template =
        json!({ "name": "order_update", "language": "en_US", "params": ["Sheena", "#1234"] });
    let reply = ana
        .reply(conversation, json!({ "text": "", "template": template }))
        .await;
    assert_eq!(reply.text, "Hi Sheena, your order #1234 has shipped.");
    ana.message_reaching(conversation, reply.id, MessageStatus::Sent)
        .await;
    let requests = api.received(1).await;
    assert_eq!(
        requests.len(),
        1,
        "the refused free text never reached Meta"
    );
    assert_eq!(
        requests[0].json()["template"],
        json!({
            "name": "order_update",
            "language": { "code": "en_US" },
            "components": [{
                "type": "body",
                "parameters": [{ "type": "text", "text": "Sheena" }, { "type": "text", "text": "#1234" }],
            }],
        })
    );
}

#[tokio::test]
async fn a_failed_whatsapp_status_carries_metas_code_and_details() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let api = graph_accepting().await;
    let (inbox, conversation) = whatsapp_conversation(&server, &ana, &api).await;
    let reply = ana.reply(conversation, json!({ "text": "Hola" })).await;
    ana.message_reaching(conversation, reply.id, MessageStatus::Sent)
        .await;
    let failed =
        fixture("whatsapp_status_failed_131047.json").replace("__PROVIDER_ID__", "wamid.0");
    meta_post(&server, "whatsapp", inbox, &failed).await;
    assert_fails_with(&ana, conversation, reply.id, "131047", "more than 24 hours").await;
}

#[tokio::test]
async fn a_graph_api_error_fails_the_message_with_metas_details() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let api = ApiStandIn::start(|_| {
        (400, json!({ "error": {
            "message": "(#131030) Recipient phone number not in allowed list",
            "type": "OAuthException",
            "code": 131030,
            "error_data": { "messaging_product": "whatsapp", "details": "Recipient phone number not in allowed list" },
            "fbtrace_id": "Az8or2yhqkZfEZ-_4Qn_Bam"
        }}))
    })
    .await;
    let (_, conversation) = whatsapp_conversation(&server, &ana, &api).await;
    let reply = ana.reply(conversation, json!({ "text": "Hola" })).await;
    let failure = assert_fails_with(&ana, conversation, reply.id, "131030", "allowed list").await;
    assert_eq!(
        failure.reason, "Recipient phone number not in allowed list",
        "Meta's details"
    );
}

#[tokio::test]
async fn whatsapp_webhooks_unsigned_are_refused_and_unreadable_ones_store_nothing() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let api = graph_accepting().await;
    let inbox = server
        .provider_inbox(Channel::Whatsapp, "whatsapp", &whatsapp_settings(&api))
        .await;
    let body = fixture("whatsapp_text.json");
    for signature in [
        None,
        Some(meta_signature("another-secret", body.as_bytes())),
        Some("sha256=00".into()),
    ] {
        let mut headers = vec![header(JSON)];
        headers.extend(signature.map(|s| ("x-hub-signature-256", s)));
        let response = server
            .webhook("whatsapp", inbox, &headers, body.clone())
            .await;
        assert_eq!(error_code(response).await, (401, "bad_signature".into()));
    }
    let no_entry = r#"{"object":"whatsapp_business_account"}"#;
    for malformed in ["{ not json", "[1, 2]", no_entry] {
        let response = meta_post(&server, "whatsapp", inbox, malformed).await;
        assert_skipped(response, malformed).await;
    }
    assert!(ana.conversations_in(inbox).await.is_empty());
}

#[tokio::test]
async fn in_a_whatsapp_batch_an_unreadable_message_is_skipped_and_another_numbers_ignored() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let api = graph_accepting().await;
    let inbox = server
        .provider_inbox(Channel::Whatsapp, "whatsapp", &whatsapp_settings(&api))
        .await;
    let mut batch: Value = serde_json::from_str(&whatsapp_text_now()).unwrap();
    let good = batch["entry"][0]["changes"][0]["value"]["messages"][0].clone();
    let mut broken = good.clone();
    broken.as_object_mut().unwrap().remove("id");
    batch["entry"][0]["changes"][0]["value"]["messages"] = json!([broken, good]);
    // The same app also serves another number, and template reviews: not this inbox's.
    let mut other_number = batch["entry"][0]["changes"][0].clone();
    other_number["value"]["metadata"]["phone_number_id"] = json!("999999999999999");
    other_number["value"]["messages"][1]["id"] = json!("wamid.other-number");
    let review =
        json!({ "field": "message_template_status_update", "value": { "event": "APPROVED" } });
    batch["entry"][0]["changes"] = json!([batch["entry"][0]["changes"][0], other_number, review]);

    let response = meta_post(&server, "whatsapp", inbox, &batch.to_string()).await;
    assert_eq!(response.status(), 200, "Meta must not send the batch again");
    let conversation = ana.conversations_in(inbox).await[0].id;
    assert_eq!(
        ana.texts(conversation).await,
        ["Does it come in another color?"]
    );
}

// ---------------------------------------------------------------------------------------------
// Messenger and Instagram

fn meta_settings(api: &ApiStandIn) -> Value {
    json!({
        "page_id": "1234567890",
        "page_access_token": "EAAG-page-token",
        "app_secret": APP_SECRET,
        "verify_token": VERIFY_TOKEN,
        "api_base": api.url,
    })
}

#[tokio::test]
async fn after_24_hours_a_messenger_reply_goes_out_tagged_human_agent_and_reads_by_watermark() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let api = graph_accepting().await;
    let inbox = server
        .provider_inbox(Channel::Messenger, "messenger", &meta_settings(&api))
        .await;
    let two_days_ago = chrono::Utc::now().timestamp_millis() - 2 * 24 * 3600 * 1000;
    let message =
        fixture("messenger_text.json").replace("1458692752478", &two_days_ago.to_string());
    assert_eq!(
        meta_post(&server, "messenger", inbox, &message)
            .await
            .status(),
        200
    );
    let conversation = ana.conversations_in(inbox).await[0].clone();
    assert_eq!(conversation.contact.handle, "6789012345678901");

    let untagged = ana
        .post(
            &format!("/api/v1/conversations/{}/messages", conversation.id),
            &json!({ "client_id": uuid::Uuid::new_v4(), "text": "Sorry for the wait" }),
        )
        .await;
    assert_eq!(error_code(untagged).await, (422, "window_closed".into()));
    let reply = ana
        .reply(
            conversation.id,
            json!({ "text": "Sorry for the wait", "human_agent": true }),
        )
        .await;
    assert!(reply.human_agent);
    ana.message_reaching(conversation.id, reply.id, MessageStatus::Sent)
        .await;
    let request = &api.received(1).await[0];
    assert_eq!(request.path, "/1234567890/messages");
    assert_eq!(request.header("authorization"), "Bearer EAAG-page-token");
    assert_eq!(
        request.json(),
        json!({
            "recipient": { "id": "6789012345678901" },
            "messaging_type": "MESSAGE_TAG",
            "tag": "HUMAN_AGENT",
            "message": { "text": "Sorry for the wait" },
        })
    );

    // Delivery names the message; read is a watermark: everything sent before it was read.
    let watermark = chrono::Utc::now().timestamp_millis() + 1000;
    let receipts = fixture("messenger_delivery_read.json")
        .replace("__PROVIDER_ID__", "m_0")
        .replace("__WATERMARK__", &watermark.to_string());
    assert_eq!(
        meta_post(&server, "messenger", inbox, &receipts)
            .await
            .status(),
        200
    );
    ana.message_reaching(conversation.id, reply.id, MessageStatus::Read)
        .await;
}

#[tokio::test]
async fn an_instagram_message_arrives_and_our_own_echo_does_not() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let api = graph_accepting().await;
    let mut settings = meta_settings(&api);
    settings["account_id"] = json!("17841405822304914");
    let inbox = server
        .provider_inbox(Channel::Instagram, "instagram", &settings)
        .await;
    for _ in 0..2 {
        let response =
            meta_post(&server, "instagram", inbox, &fixture("instagram_text.json")).await;
        assert_eq!(response.status(), 200);
    }
    let conversations = ana.conversations_in(inbox).await;
    assert_eq!(conversations.len(), 1);
    assert_eq!(conversations[0].contact.handle, "1914763178813445");
    let texts = ana.texts(conversations[0].id).await;
    assert_eq!(texts, ["¿Tenéis envíos a Portugal?"]);
}

#[tokio::test]
async fn messenger_takes_only_its_own_pages_events_and_a_delivery_watermark() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let api = graph_accepting().await;
    let inbox = server
        .provider_inbox(Channel::Messenger, "messenger", &meta_settings(&api))
        .await;
    let now = chrono::Utc::now().timestamp_millis().to_string();
    let message = fixture("messenger_text.json").replace("1458692752478", &now);
    let another_page = message.replace("\"id\": \"1234567890\"", "\"id\": \"5550001112\"");
    assert_eq!(
        meta_post(&server, "messenger", inbox, &another_page)
            .await
            .status(),
        200
    );
    assert!(
        ana.conversations_in(inbox).await.is_empty(),
        "another Page's customer"
    );
    let no_mid = message.replace("\"mid\"", "\"id\"");
    assert_eq!(
        meta_post(&server, "messenger", inbox, &no_mid)
            .await
            .status(),
        200
    );
    assert!(
        ana.conversations_in(inbox).await.is_empty(),
        "an unreadable message is skipped"
    );

    meta_post(&server, "messenger", inbox, &message).await;
    let conversation = ana.conversations_in(inbox).await[0].id;
    let reply = ana.reply(conversation, json!({ "text": "Hello!" })).await;
    ana.message_reaching(conversation, reply.id, MessageStatus::Sent)
        .await;
    // Meta may say only "delivered up to" this time, with no message ids.
    let watermark = chrono::Utc::now().timestamp_millis() + 1000;
    let delivery = json!({ "object": "page", "entry": [{ "id": "1234567890", "time": watermark, "messaging": [{
        "sender": { "id": "6789012345678901" }, "recipient": { "id": "1234567890" },
        "delivery": { "watermark": watermark }
    }]}]});
    meta_post(&server, "messenger", inbox, &delivery.to_string()).await;
    ana.message_reaching(conversation, reply.id, MessageStatus::Delivered)
        .await;
}

#[tokio::test]
async fn a_send_api_refusal_is_named_by_its_subcode() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let api = ApiStandIn::start(|_| {
        (
            400,
            json!({ "error": {
                "message": "(#10) This message is sent outside of allowed window.",
                "type": "OAuthException", "code": 10, "error_subcode": 2018278,
                "fbtrace_id": "A5rPdJqHvCq8n2Qz0VYVbSm"
            }}),
        )
    })
    .await;
    let inbox = server
        .provider_inbox(Channel::Messenger, "messenger", &meta_settings(&api))
        .await;
    let now = chrono::Utc::now().timestamp_millis().to_string();
    let message = fixture("messenger_text.json").replace("1458692752478", &now);
    meta_post(&server, "messenger", inbox, &message).await;
    let conversation = ana.conversations_in(inbox).await[0].id;
    let reply = ana.reply(conversation, json!({ "text": "Hello" })).await;
    assert_fails_with(&ana, conversation, reply.id, "2018278", "allowed window").await;
}

#[tokio::test]
async fn messenger_webhooks_unsigned_are_refused_and_unreadable_ones_store_nothing() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let api = graph_accepting().await;
    let inbox = server
        .provider_inbox(Channel::Messenger, "messenger", &meta_settings(&api))
        .await;
    let body = fixture("messenger_text.json");
    let forged = [
        (
            "x-hub-signature-256",
            meta_signature("not-the-secret", body.as_bytes()),
        ),
        header(JSON),
    ];
    let response = server.webhook("messenger", inbox, &forged, body).await;
    assert_eq!(error_code(response).await, (401, "bad_signature".into()));
    for malformed in [
        r#"{"object":"page"}"#,
        "<xml/>",
        r#"{"object":"page","entry":7}"#,
    ] {
        let response = meta_post(&server, "messenger", inbox, malformed).await;
        assert_skipped(response, malformed).await;
    }
    assert!(ana.conversations_in(inbox).await.is_empty());
}

// ---------------------------------------------------------------------------------------------
// Telegram

const TELEGRAM_SECRET: &str = "telegram-secret-token";

fn telegram_settings(api: &ApiStandIn) -> Value {
    json!({ "bot_token": "123456:ABC-DEF", "secret_token": TELEGRAM_SECRET, "api_base": api.url })
}

async fn telegram_post(server: &TestServer, inbox: InboxId, body: &str) -> reqwest::Response {
    let headers = [
        (
            "x-telegram-bot-api-secret-token",
            TELEGRAM_SECRET.to_owned(),
        ),
        header(JSON),
    ];
    server.webhook("telegram", inbox, &headers, body).await
}

#[tokio::test]
async fn telegram_updates_arrive_once_and_replies_go_through_send_message() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let api = ApiStandIn::start(|_| {
        (200, json!({ "ok": true, "result": {
            "message_id": 6558,
            "from": { "id": 123456, "is_bot": true, "first_name": "Aurora", "username": "AuroraAyudaBot" },
            "chat": { "id": 218485655, "first_name": "Waffle", "type": "private" },
            "date": 1569518400,
            "text": "Hi Waffle!"
        }}))
    })
    .await;
    let inbox = server
        .provider_inbox(Channel::Telegram, "telegram", &telegram_settings(&api))
        .await;
    for name in ["telegram_text.json", "telegram_text.json"] {
        assert_eq!(
            telegram_post(&server, inbox, &fixture(name)).await.status(),
            200
        );
    }
    let conversation = ana.conversations_in(inbox).await[0].clone();
    assert_eq!(conversation.contact.handle, "218485655");
    assert_eq!(conversation.contact.name.as_deref(), Some("Waffle"));
    assert_eq!(ana.messages(conversation.id).await.len(), 1);

    let reply = ana
        .reply(conversation.id, json!({ "text": "Hi Waffle!" }))
        .await;
    ana.message_reaching(conversation.id, reply.id, MessageStatus::Sent)
        .await;
    let request = &api.received(1).await[0];
    assert_eq!(request.path, "/bot123456:ABC-DEF/sendMessage");
    assert_eq!(
        request.json(),
        json!({ "chat_id": 218485655, "text": "Hi Waffle!" })
    );
}

#[tokio::test]
async fn a_telegram_photo_shows_as_a_photo_in_its_own_conversation() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let api = ApiStandIn::start(|_| (200, json!({ "ok": true }))).await;
    let inbox = server
        .provider_inbox(Channel::Telegram, "telegram", &telegram_settings(&api))
        .await;
    telegram_post(&server, inbox, &fixture("telegram_photo.json")).await;
    let conversation = ana.conversations_in(inbox).await[0].clone();
    assert_eq!(conversation.contact.name.as_deref(), Some("Nurmuhammad"));
    let texts = ana.texts(conversation.id).await;
    assert_eq!(texts, ["[photo]"]);
}

#[tokio::test]
async fn a_blocked_telegram_bot_fails_the_reply_with_telegrams_description() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let api = ApiStandIn::start(|_| {
        (403, json!({ "ok": false, "error_code": 403, "description": "Forbidden: bot was blocked by the user" }))
    })
    .await;
    let inbox = server
        .provider_inbox(Channel::Telegram, "telegram", &telegram_settings(&api))
        .await;
    telegram_post(&server, inbox, &fixture("telegram_text.json")).await;
    let conversation = ana.conversations_in(inbox).await[0].id;
    let reply = ana.reply(conversation, json!({ "text": "Hola" })).await;
    let failure = assert_fails_with(&ana, conversation, reply.id, "403", "blocked").await;
    assert_eq!(failure.reason, "Forbidden: bot was blocked by the user");
}

#[tokio::test]
async fn telegram_updates_without_the_secret_are_refused_and_unreadable_ones_store_nothing() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let api = ApiStandIn::start(|_| (200, json!({ "ok": true }))).await;
    let inbox = server
        .provider_inbox(Channel::Telegram, "telegram", &telegram_settings(&api))
        .await;
    let body = fixture("telegram_text.json");
    for headers in [
        vec![header(JSON)],
        vec![
            (
                "x-telegram-bot-api-secret-token",
                "telegram-secret-guess".to_owned(),
            ),
            header(JSON),
        ],
    ] {
        let response = server
            .webhook("telegram", inbox, &headers, body.clone())
            .await;
        assert_eq!(error_code(response).await, (401, "bad_signature".into()));
    }
    for malformed in [
        "",
        "{\"message\":{\"text\":\"hi\"}}",
        "{\"update_id\":1,\"message\":{\"text\":\"hi\"}}",
    ] {
        let response = telegram_post(&server, inbox, malformed).await;
        assert_skipped(response, malformed).await;
    }
    assert!(ana.conversations_in(inbox).await.is_empty());
}

// ---------------------------------------------------------------------------------------------
// Email

const EMAIL_SECRET: &str = "relay-shared-secret";

fn email_settings(smtp: &SmtpStandIn) -> Value {
    json!({
        "address": "soporte@aurora.example",
        // A comma in the name: it must stay a name, not split the address.
        "display_name": "Soporte, Aurora",
        "inbound_secret": EMAIL_SECRET,
        "smtp_host": "127.0.0.1",
        "smtp_port": smtp.port,
        "smtp_tls": "none",
    })
}

async fn email_post(server: &TestServer, inbox: InboxId, raw: &str) -> reqwest::Response {
    let headers = [
        ("x-switchboard-secret", EMAIL_SECRET.to_owned()),
        ("content-type", "message/rfc822".to_owned()),
    ];
    server.webhook("email", inbox, &headers, raw).await
}

/// A header's value in a raw message (unfolded).
fn mail_header(raw: &str, name: &str) -> String {
    let unfolded = raw.replace("\r\n ", " ").replace("\r\n\t", " ");
    unfolded
        .lines()
        .find_map(|line| line.strip_prefix(&format!("{name}: ")))
        .unwrap_or_else(|| panic!("no {name} in\n{raw}"))
        .to_owned()
}

#[tokio::test]
async fn an_email_thread_stays_one_conversation_both_ways() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let smtp = SmtpStandIn::start(false).await;
    let inbox = server
        .provider_inbox(Channel::Email, "email", &email_settings(&smtp))
        .await;

    assert_eq!(
        email_post(&server, inbox, &fixture("email_new.eml"))
            .await
            .status(),
        200
    );
    let conversation = ana.conversations_in(inbox).await[0].clone();
    assert_eq!(conversation.contact.handle, "alice@example.org");
    assert_eq!(conversation.contact.name.as_deref(), Some("Alice Example"));
    let first = &ana.messages(conversation.id).await[0];
    assert_eq!(
        first.text,
        "Hello, I ordered last week and nothing has arrived. Order 1234."
    );

    let reply = ana
        .reply(
            conversation.id,
            json!({ "text": "We are checking with the carrier." }),
        )
        .await;
    ana.message_reaching(conversation.id, reply.id, MessageStatus::Sent)
        .await;
    let sent = &smtp.received(1).await[0];
    assert_eq!(
        mail_header(sent, "Subject"),
        "Re: [Ticket #4821] Order 1234 has not arrived"
    );
    assert_eq!(
        mail_header(sent, "In-Reply-To"),
        "<CAF=alice.orig.0@mail.example.org>"
    );
    assert_eq!(
        mail_header(sent, "References"),
        "<CAF=alice.orig.0@mail.example.org>"
    );
    assert_eq!(mail_header(sent, "To"), "alice@example.org");
    let parsed = mail_parser::MessageParser::default()
        .parse(sent.as_bytes())
        .unwrap();
    let from = parsed.from().and_then(|f| f.first()).unwrap();
    assert_eq!(
        (from.name(), from.address()),
        (Some("Soporte, Aurora"), Some("soporte@aurora.example"))
    );
    assert!(sent.contains("We are checking with the carrier."));
    let our_id = mail_header(sent, "Message-ID");

    // Alice answers our email: her client quotes it and points back at its Message-ID.
    let answer = fixture("email_reply.eml").replace("__PARENT__", our_id.trim_matches(['<', '>']));
    assert_eq!(email_post(&server, inbox, &answer).await.status(), 200);
    assert_eq!(
        email_post(&server, inbox, &answer).await.status(),
        200,
        "a relay retry"
    );
    let conversations = ana.conversations_in(inbox).await;
    assert_eq!(conversations.len(), 1, "the answer joined the thread");
    let texts = ana.texts(conversation.id).await;
    assert_eq!(texts.len(), 3);
    assert_eq!(
        texts[2], "Hi, still nothing — tracking says \"label created\".",
        "without the quoted history"
    );

    // A new email (no references) from the same customer is a new thread.
    let fresh = fixture("email_new.eml")
        .replace("CAF=alice.orig.0", "CAF=alice.other.9")
        .replace(
            "[Ticket #4821] Order 1234 has not arrived",
            "Invoice for March",
        );
    email_post(&server, inbox, &fresh).await;
    assert_eq!(ana.conversations_in(inbox).await.len(), 2);
}

#[tokio::test]
async fn a_mail_server_refusing_the_recipient_fails_the_reply_with_its_answer() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let smtp = SmtpStandIn::start(true).await;
    let inbox = server
        .provider_inbox(Channel::Email, "email", &email_settings(&smtp))
        .await;
    email_post(&server, inbox, &fixture("email_new.eml")).await;
    let conversation = ana.conversations_in(inbox).await[0].id;
    let reply = ana.reply(conversation, json!({ "text": "Hello" })).await;
    assert_fails_with(
        &ana,
        conversation,
        reply.id,
        "550",
        "Recipient address rejected",
    )
    .await;
}

#[tokio::test]
async fn a_slow_mail_server_does_not_hold_up_replies_on_other_channels() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let smtp = SmtpStandIn::start_with(false, std::time::Duration::from_secs(3)).await;
    let inbox = server
        .provider_inbox(Channel::Email, "email", &email_settings(&smtp))
        .await;
    email_post(&server, inbox, &fixture("email_new.eml")).await;
    let email = ana.conversations_in(inbox).await[0].id;
    // Created right after: the next conversation id, so another lane of the outbox.
    let api = graph_accepting().await;
    let (_, whatsapp) = whatsapp_conversation(&server, &ana, &api).await;
    assert_eq!(whatsapp.0, email.0 + 1);

    let slow = ana.reply(email, json!({ "text": "A long answer" })).await;
    let quick = ana.reply(whatsapp, json!({ "text": "Hola" })).await;
    ana.message_reaching(whatsapp, quick.id, MessageStatus::Sent)
        .await;
    let email_reply = ana
        .messages(email)
        .await
        .into_iter()
        .find(|m| m.id == slow.id)
        .unwrap();
    assert_eq!(
        email_reply.status,
        Some(MessageStatus::Sending),
        "the email is still going"
    );
    ana.message_reaching(email, slow.id, MessageStatus::Sent)
        .await;
}

#[tokio::test]
async fn emails_without_the_relays_secret_are_refused_and_unreadable_ones_store_nothing() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let smtp = SmtpStandIn::start(false).await;
    let inbox = server
        .provider_inbox(Channel::Email, "email", &email_settings(&smtp))
        .await;
    let raw = fixture("email_new.eml");
    let forged = [("x-switchboard-secret", "guess".to_owned())];
    let response = server.webhook("email", inbox, &forged, raw.clone()).await;
    assert_eq!(error_code(response).await, (401, "bad_signature".into()));
    let no_sender = raw.replace("From: Alice Example <alice@example.org>\n", "");
    for malformed in ["", no_sender.as_str()] {
        let response = email_post(&server, inbox, malformed).await;
        assert_skipped(response, malformed).await;
    }
    assert!(ana.conversations_in(inbox).await.is_empty());
}

// ---------------------------------------------------------------------------------------------
// Routing: which inbox takes which webhook

#[tokio::test]
async fn a_webhook_for_another_provider_or_no_inbox_is_a_404_and_broken_settings_a_503() {
    let server = TestServer::start().await;
    let api = ApiStandIn::start(|_| (201, json!({}))).await;
    let inbox = server
        .provider_inbox(Channel::Sms, "twilio", &twilio_settings(&api))
        .await;
    let whatsapp = meta_post(&server, "whatsapp", inbox, &fixture("whatsapp_text.json")).await;
    assert_eq!(error_code(whatsapp).await, (404, "not_found".into()));
    let nowhere = twilio_post(&server, InboxId(999_999), &fixture("twilio_inbound.form")).await;
    assert_eq!(error_code(nowhere).await, (404, "not_found".into()));

    sqlx::query("UPDATE inboxes SET settings = '{}' WHERE id = ?1")
        .bind(inbox.0)
        .execute(server.running.state.db.pool())
        .await
        .unwrap();
    let broken = twilio_post(&server, inbox, &fixture("twilio_inbound.form")).await;
    assert_eq!(
        error_code(broken).await,
        (503, "provider_not_configured".into())
    );
}

#[tokio::test]
async fn connecting_an_inbox_checks_its_settings_and_its_channel() {
    use switchboard_server::admin;
    let server = TestServer::start().await;
    let api = ApiStandIn::start(|_| (201, json!({}))).await;
    let inbox = server
        .provider_inbox(Channel::Sms, "twilio", &twilio_settings(&api))
        .await;
    let db = &server.running.state.db;
    let incomplete = admin::connect(db, inbox, "twilio", r#"{"account_sid":"AC1"}"#).await;
    assert!(incomplete.unwrap_err().to_string().contains("auth_token"));
    let wrong_channel =
        admin::connect(db, inbox, "whatsapp", &whatsapp_settings(&api).to_string()).await;
    assert!(
        wrong_channel
            .unwrap_err()
            .to_string()
            .contains("cannot use")
    );
    let unknown = admin::connect(db, inbox, "carrier-pigeon", "{}").await;
    assert!(unknown.is_err());
    let mut no_secret = twilio_settings(&api);
    no_secret["auth_token"] = json!("");
    let refused = admin::connect(db, inbox, "twilio", &no_secret.to_string()).await;
    assert!(refused.unwrap_err().to_string().contains("auth_token"));
    // Nothing changed: the inbox still takes Twilio's webhooks.
    let response = twilio_post(&server, inbox, &fixture("twilio_inbound.form")).await;
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn the_demos_sandbox_inboxes_take_each_providers_format_with_the_published_secret() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let lines = switchboard_server::admin::inboxes(&server.running.state.db)
        .await
        .unwrap();
    let inbox_of = |channel: Channel| {
        lines
            .iter()
            .find(|l| l.inbox.channel == channel)
            .unwrap()
            .inbox
            .id
    };
    let whatsapp = inbox_of(Channel::Whatsapp);

    let body = whatsapp_text_now();
    let headers = [
        (
            "x-hub-signature-256",
            meta_signature(sandbox::SECRET, body.as_bytes()),
        ),
        header(JSON),
    ];
    assert_eq!(
        server
            .webhook("whatsapp", whatsapp, &headers, body.clone())
            .await
            .status(),
        200
    );
    let conversation = ana
        .conversations_in(whatsapp)
        .await
        .into_iter()
        .find(|c| c.contact.handle == "+16505551234")
        .expect("the message landed in the demo's WhatsApp inbox");
    // A reply there is carried by the sandbox, as every demo reply is.
    let reply = ana
        .reply(conversation.id, json!({ "text": "¡Hola!" }))
        .await;
    ana.message_reaching(conversation.id, reply.id, MessageStatus::Sent)
        .await;

    // Each sandbox inbox takes only its own channel's provider, with only the sandbox secret.
    let sms = inbox_of(Channel::Sms);
    let as_sms = server
        .webhook("twilio", whatsapp, &[header(FORM)], "Body=hi")
        .await;
    assert_eq!(error_code(as_sms).await, (404, "not_found".into()));
    let form = fixture("twilio_inbound.form");
    let url = server.webhook_url("twilio", sms);
    let signed = [
        (
            "x-twilio-signature",
            twilio_signature(sandbox::SECRET, &url, &form),
        ),
        header(FORM),
    ];
    assert_eq!(
        server
            .webhook("twilio", sms, &signed, form.clone())
            .await
            .status(),
        200
    );
    let forged = [
        ("x-twilio-signature", twilio_signature("demo", &url, &form)),
        header(FORM),
    ];
    assert_eq!(
        error_code(server.webhook("twilio", sms, &forged, form.clone()).await)
            .await
            .0,
        401
    );

    // A server not started to take them takes no webhook with the published secret.
    let dir = server.stop().await;
    let mut config = common::quick_config(dir.path());
    config.sandbox_webhooks = false;
    let server = TestServer::start_in(dir, config).await;
    let response = server.webhook("whatsapp", whatsapp, &headers, body).await;
    assert_eq!(error_code(response).await, (404, "not_found".into()));
}

/// The shell blocks of the README's "Provider webhooks" section.
fn readme_webhook_examples() -> String {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md")).unwrap();
    let section = readme
        .split("## Provider webhooks")
        .nth(1)
        .expect("the README has the section");
    let section = section.split("\n## ").next().unwrap();
    section
        .split("```sh\n")
        .skip(1)
        .map(|block| block.split("```").next().unwrap())
        .collect()
}

#[tokio::test]
async fn the_readmes_webhook_examples_work_as_written() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let script = readme_webhook_examples();
    for _ in 0..2 {
        let (script, url) = (script.clone(), server.running.url());
        // The server runs on this test's runtime: the script waits on another thread.
        let run = tokio::task::spawn_blocking(move || {
            std::process::Command::new("bash")
                .args(["-euo", "pipefail", "-c", &script])
                .env("SB", url)
                .output()
        })
        .await
        .unwrap()
        .expect("bash, curl and openssl are installed (scripts/toolchain.sh)");
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(
            run.status.success(),
            "the README's examples failed:\n{stderr}"
        );
        assert!(
            String::from_utf8_lossy(&run.stdout).starts_with("1158201444"),
            "the handshake echoes"
        );
    }
    let lines = switchboard_server::admin::inboxes(&server.running.state.db)
        .await
        .unwrap();
    for (channel, from, text) in [
        (
            Channel::Whatsapp,
            "+34600123456",
            "Hola, ¿tenéis la talla M en azul?",
        ),
        (Channel::Sms, "+34600123457", "¿Abrís el domingo?"),
        (
            Channel::Messenger,
            "6789012345678901",
            "Hi! Do you ship to Portugal?",
        ),
        (Channel::Telegram, "218485655", "hello there"),
        (
            Channel::Email,
            "alice@example.org",
            "Hello, I ordered last week and nothing has arrived.",
        ),
    ] {
        let line = lines.iter().find(|l| l.inbox.channel == channel).unwrap();
        assert!(
            readme_webhook_examples().contains(line.webhook.as_deref().unwrap()),
            "{channel:?}'s id in the README"
        );
        let conversation = ana
            .conversations_in(line.inbox.id)
            .await
            .into_iter()
            .find(|c| c.contact.handle == from)
            .unwrap_or_else(|| panic!("no {channel:?} conversation from {from}"));
        let texts = ana.texts(conversation.id).await;
        assert_eq!(
            texts,
            [text],
            "{channel:?}: once, though the examples ran twice"
        );
    }
}

#[tokio::test]
async fn an_email_with_a_large_attachment_is_taken() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let smtp = SmtpStandIn::start(false).await;
    let inbox = server
        .provider_inbox(Channel::Email, "email", &email_settings(&smtp))
        .await;
    use base64::Engine;
    let pdf = base64::engine::general_purpose::STANDARD.encode(vec![7u8; 3 * 1024 * 1024]);
    let raw = format!(
        "Message-ID: <big@example.org>\r\nFrom: Bob <bob@example.org>\r\nTo: soporte@aurora.example\r\n\
         Subject: Invoice\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n\
         --b\r\nContent-Type: text/plain\r\n\r\nThe invoice is attached.\r\n\
         --b\r\nContent-Type: application/pdf; name=\"invoice.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n{pdf}\r\n--b--\r\n"
    );
    assert_eq!(email_post(&server, inbox, &raw).await.status(), 200);
    let conversation = ana.conversations_in(inbox).await[0].id;
    assert_eq!(
        ana.messages(conversation).await[0].text,
        "The invoice is attached."
    );
}

// ---------------------------------------------------------------------------------------------
// Sending a failed message again

async fn retry(
    agent: &common::Agent,
    conversation: switchboard_protocol::ConversationId,
    message: switchboard_protocol::MessageId,
) -> reqwest::Response {
    let path = format!("/api/v1/conversations/{conversation}/messages/{message}/retry");
    agent.post(&path, &json!({})).await
}

#[tokio::test]
async fn a_message_that_failed_on_the_providers_trouble_goes_again_as_a_new_attempt() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    // Meta has an outage on the first call, and takes the second.
    let calls = AtomicUsize::new(0);
    let api = ApiStandIn::start(move |_| match calls.fetch_add(1, Ordering::SeqCst) {
        0 => (500, json!({ "error": { "message": "An unknown error occurred", "type": "OAuthException", "code": 131000 } })),
        _ => (200, json!({ "messaging_product": "whatsapp", "messages": [{ "id": "wamid.second" }] })),
    })
    .await;
    let (inbox, conversation) = whatsapp_conversation(&server, &ana, &api).await;
    let reply = ana
        .reply(conversation, json!({ "text": "Blue and green" }))
        .await;
    assert_fails_with(&ana, conversation, reply.id, "131000", "unknown error").await;

    let mut feed = ana.feed(None).await;
    let welcome = feed.next().await;
    assert!(
        matches!(welcome, switchboard_protocol::ServerFrame::Welcome { .. }),
        "live from here"
    );
    let again = retry(&ana, conversation, reply.id).await;
    assert_eq!(again.status(), 200);
    let again: switchboard_protocol::Message = again.json().await.unwrap();
    assert_eq!(
        (again.id, again.status, again.attempt, again.failure),
        (reply.id, Some(MessageStatus::Sending), 1, None)
    );
    let sent = ana
        .message_reaching(conversation, reply.id, MessageStatus::Sent)
        .await;
    assert_eq!(sent.attempt, 1);
    assert_eq!(
        api.received(2).await[1].json()["text"]["body"],
        "Blue and green",
        "the same text went again"
    );
    meta_post(
        &server,
        "whatsapp",
        inbox,
        &whatsapp_status("wamid.second", "delivered"),
    )
    .await;
    ana.message_reaching(conversation, reply.id, MessageStatus::Delivered)
        .await;
    let texts = ana.texts(conversation).await;
    assert_eq!(texts.len(), 2, "still one reply in the thread: {texts:?}");

    // Every open app heard that the message went back to sending, on its new attempt.
    let (frame, _) = feed
        .until(|frame| {
            matches!(frame, switchboard_protocol::ServerFrame::Event(e) if matches!(
                e.body,
                switchboard_protocol::EventBody::MessageStatus { status: MessageStatus::Sending, attempt: 1, .. }
            ))
        })
        .await;
    assert!(matches!(frame, switchboard_protocol::ServerFrame::Event(_)));
}

#[tokio::test]
async fn a_message_is_not_sent_again_where_it_would_fail_the_same_way() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let api = ApiStandIn::start(|_| {
        (400, json!({ "error": { "message": "Message undeliverable", "code": 131026, "error_data": { "details": "Message Undeliverable." } } }))
    })
    .await;
    let (inbox, conversation) = whatsapp_conversation(&server, &ana, &api).await;
    let reply = ana.reply(conversation, json!({ "text": "Hola" })).await;
    ana.message_reaching(conversation, reply.id, MessageStatus::Failed)
        .await;
    assert_eq!(
        error_code(retry(&ana, conversation, reply.id).await).await,
        (422, "retry_wont_help".into())
    );
    assert_eq!(api.count(), 1, "nothing went to Meta again");
    let customers = ana.messages(conversation).await[0].id;
    assert_eq!(
        error_code(retry(&ana, conversation, customers).await).await,
        (404, "not_found".into())
    );
    let luis = server.login("luis@example.com").await;
    sqlx::query("DELETE FROM inbox_members WHERE inbox_id = ?1 AND agent_id = ?2")
        .bind(inbox.0)
        .bind(luis.id.0)
        .execute(server.running.state.db.pool())
        .await
        .unwrap();
    assert_eq!(
        error_code(retry(&luis, conversation, reply.id).await).await,
        (404, "not_found".into())
    );
}

#[tokio::test]
async fn a_garbled_answer_may_mean_the_message_went_so_it_is_not_offered_again() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    // Meta says 200 but the body is cut short: it may well have taken the message.
    let api = ApiStandIn::start(|_| (200, json!("<html>Bad gateway"))).await;
    let (_, conversation) = whatsapp_conversation(&server, &ana, &api).await;
    let reply = ana.reply(conversation, json!({ "text": "Hola" })).await;
    assert_fails_with(
        &ana,
        conversation,
        reply.id,
        "outcome_unknown",
        "may have gone out",
    )
    .await;
    assert_eq!(
        error_code(retry(&ana, conversation, reply.id).await).await,
        (422, "retry_wont_help".into())
    );
}

#[tokio::test]
async fn a_provider_that_cannot_be_reached_got_nothing_so_retry_is_offered() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let api = graph_accepting().await;
    let (inbox, conversation) = whatsapp_conversation(&server, &ana, &api).await;
    // Nothing listens there any more.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let nowhere = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let mut settings = whatsapp_settings(&api);
    settings["api_base"] = json!(nowhere);
    switchboard_server::admin::connect(
        &server.running.state.db,
        inbox,
        "whatsapp",
        &settings.to_string(),
    )
    .await
    .unwrap();
    let reply = ana.reply(conversation, json!({ "text": "Hola" })).await;
    assert_fails_with(
        &ana,
        conversation,
        reply.id,
        "provider_unreachable",
        "not sent",
    )
    .await;
    assert_eq!(retry(&ana, conversation, reply.id).await.status(), 200);
}

#[tokio::test]
async fn only_a_failed_message_can_be_sent_again() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let api = graph_accepting().await;
    let (_, conversation) = whatsapp_conversation(&server, &ana, &api).await;
    let reply = ana.reply(conversation, json!({ "text": "Hola" })).await;
    ana.message_reaching(conversation, reply.id, MessageStatus::Sent)
        .await;
    assert_eq!(
        error_code(retry(&ana, conversation, reply.id).await).await,
        (409, "not_failed".into())
    );
    assert_eq!(api.count(), 1);
}

#[tokio::test]
async fn a_private_note_never_reaches_the_provider_and_leaves_the_conversation_as_it_was() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let api = graph_accepting().await;
    let (inbox, id) = whatsapp_conversation(&server, &ana, &api).await;
    let before = ana.conversations_in(inbox).await.remove(0);

    let note = ana
        .reply(
            id,
            json!({ "text": "Cliente VIP: ofrecer reembolso", "note": true }),
        )
        .await;
    assert!(note.note);
    assert_eq!(note.status, None, "a note has no delivery to report");
    let after = ana.conversations_in(inbox).await.remove(0);
    assert_eq!(
        after.last_message, before.last_message,
        "the list still shows the customer's message"
    );
    assert_eq!(after.assignee, None, "writing to the team takes nothing");
    assert_eq!(after.unanswered, 0, "a note is not an unanswered message");

    ana.reply(id, json!({ "text": "Hola, ¿en qué te ayudo?" }))
        .await;
    let calls = api.received(1).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(api.count(), 1, "only the reply went to Meta");
    assert_eq!(calls[0].json()["text"]["body"], "Hola, ¿en qué te ayudo?");
    assert!(ana.texts(id).await.contains(&note.text), "the team sees it");
}

#[tokio::test]
async fn a_file_for_a_provider_that_cannot_carry_it_yet_is_refused_not_dropped() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let api = ApiStandIn::start(|_| (200, json!({ "ok": true }))).await;
    let inbox = server
        .provider_inbox(Channel::Telegram, "telegram", &telegram_settings(&api))
        .await;
    telegram_post(&server, inbox, &fixture("telegram_photo.json")).await;
    let id = ana.conversations_in(inbox).await[0].id;
    // Refused as it is attached, while the agent still holds the draft.
    let upload = ana
        .upload(id, "recibo.png", "image/png", RECEIPT.to_vec())
        .await;
    assert_eq!(error_code(upload).await, (422, "attachment_type".into()));
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(api.count(), 0, "nothing went to Telegram");
}

const RECEIPT: &[u8] = include_bytes!("../data/samples/recibo.png");

#[tokio::test]
async fn a_picture_goes_to_whatsapp_as_uploaded_media_with_the_text_as_caption() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let api = graph_accepting().await;
    let (_, id) = whatsapp_conversation(&server, &ana, &api).await;
    let uploaded = ana
        .attach(id, "recibo.png", "image/png", RECEIPT.to_vec())
        .await;
    let reply = ana
        .reply(
            id,
            json!({ "text": "Tu recibo", "attachments": [uploaded.id] }),
        )
        .await;
    ana.message_reaching(id, reply.id, MessageStatus::Sent)
        .await;
    let calls = api.received(2).await;
    assert!(
        calls[0].path.ends_with("/106540352242922/media"),
        "{}",
        calls[0].path
    );
    assert!(
        calls[0]
            .header("content-type")
            .starts_with("multipart/form-data")
    );
    let form = String::from_utf8_lossy(&calls[0].body);
    assert!(
        form.contains("filename=\"recibo.png\"") && form.contains("whatsapp"),
        "{form}"
    );
    let message = calls[1].json();
    assert_eq!(message["type"], "image");
    assert_eq!(message["image"]["id"], "media.0");
    assert_eq!(message["image"]["caption"], "Tu recibo");
}

#[tokio::test]
async fn files_go_out_by_email_as_attachments_of_the_reply() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let smtp = SmtpStandIn::start(false).await;
    let inbox = server
        .provider_inbox(Channel::Email, "email", &email_settings(&smtp))
        .await;
    assert_eq!(
        email_post(&server, inbox, &fixture("email_new.eml"))
            .await
            .status(),
        200
    );
    let conversation = ana.conversations_in(inbox).await[0].id;
    let pdf = include_bytes!("../data/samples/factura.pdf");
    let uploaded = ana
        .attach(conversation, "factura.pdf", "application/pdf", pdf.to_vec())
        .await;
    let reply = ana
        .reply(
            conversation,
            json!({ "text": "Here is your invoice.", "attachments": [uploaded.id] }),
        )
        .await;
    ana.message_reaching(conversation, reply.id, MessageStatus::Sent)
        .await;
    let sent = &smtp.received(1).await[0];
    let parsed = mail_parser::MessageParser::default()
        .parse(sent.as_bytes())
        .unwrap();
    assert_eq!(
        parsed.body_text(0).as_deref().map(str::trim),
        Some("Here is your invoice.")
    );
    let attachment = parsed.attachment(0).expect("the file is attached");
    assert_eq!(
        mail_parser::MimeHeaders::attachment_name(attachment),
        Some("factura.pdf")
    );
    assert_eq!(attachment.contents(), pdf);
}

// ---------------------------------------------------------------------------------------------
// Abuse: what a webhook cannot do

#[tokio::test]
async fn an_item_whose_sender_is_no_address_is_skipped_and_the_rest_of_the_batch_stored() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let api = graph_accepting().await;
    let inbox = server
        .provider_inbox(Channel::Whatsapp, "whatsapp", &whatsapp_settings(&api))
        .await;
    let mut batch: Value = serde_json::from_str(&whatsapp_text_now()).unwrap();
    let good = batch["entry"][0]["changes"][0]["value"]["messages"][0].clone();
    let mut stranger = good.clone();
    stranger["from"] = json!("not a phone number");
    stranger["id"] = json!("wamid.bad-sender");
    let mut later = good.clone();
    later["id"] = json!("wamid.after-the-bad-one");
    later["text"]["body"] = json!("And in blue?");
    batch["entry"][0]["changes"][0]["value"]["messages"] = json!([good, stranger, later]);

    for attempt in ["first", "Meta's retry"] {
        let response = meta_post(&server, "whatsapp", inbox, &batch.to_string()).await;
        assert_eq!(response.status(), 200, "{attempt}");
        let receipt: Value = response.json().await.unwrap();
        assert_eq!(receipt["used"], 2, "{attempt}: {receipt}");
        assert!(
            receipt["skipped"][0]
                .as_str()
                .unwrap()
                .contains("not a phone number"),
            "{receipt}"
        );
    }
    let conversation = ana.conversations_in(inbox).await[0].id;
    assert_eq!(
        ana.texts(conversation).await,
        ["Does it come in another color?", "And in blue?"],
        "each stored once"
    );
}

#[tokio::test]
async fn a_stranger_naming_a_customers_message_id_starts_their_own_conversation() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let smtp = SmtpStandIn::start(false).await;
    let inbox = server
        .provider_inbox(Channel::Email, "email", &email_settings(&smtp))
        .await;
    email_post(&server, inbox, &fixture("email_new.eml")).await;
    let alice = ana.conversations_in(inbox).await[0].clone();
    let reply = ana
        .reply(alice.id, json!({ "text": "We are on it, Alice." }))
        .await;
    ana.message_reaching(alice.id, reply.id, MessageStatus::Sent)
        .await;
    let our_id = mail_header(&smtp.received(1).await[0], "Message-ID");

    let forged = fixture("email_reply.eml")
        .replace("__PARENT__", our_id.trim_matches(['<', '>']))
        .replace("alice@example.org", "mallory@evil.example")
        .replace("Alice Example", "Alice (support)");
    assert_eq!(email_post(&server, inbox, &forged).await.status(), 200);

    let conversations = ana.conversations_in(inbox).await;
    assert_eq!(
        conversations.len(),
        2,
        "the stranger's mail is its own thread"
    );
    assert_eq!(
        ana.texts(alice.id).await,
        [
            "Hello, I ordered last week and nothing has arrived. Order 1234.",
            "We are on it, Alice."
        ],
        "nothing joined Alice's conversation"
    );
    let theirs = conversations.iter().find(|c| c.id != alice.id).unwrap();
    assert_eq!(theirs.contact.handle, "mallory@evil.example");
}

#[tokio::test]
async fn a_very_long_email_is_stored_cut_with_the_whole_text_as_a_file() {
    use switchboard_server::workflow::inbound::{FULL_TEXT_NAME, MAX_STORED_TEXT};
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let smtp = SmtpStandIn::start(false).await;
    let inbox = server
        .provider_inbox(Channel::Email, "email", &email_settings(&smtp))
        .await;
    let line = "Línea de un registro muy largo que el cliente pegó entero en el correo.";
    let whole: String = (0..4000).map(|n| format!("{n}: {line}\n")).collect();
    let raw = format!(
        "Message-ID: <long-1@mail.example.org>\nFrom: Alice <alice@example.org>\nTo: soporte@aurora.example\nSubject: Logs\nContent-Type: text/plain; charset=\"UTF-8\"\n\n{whole}"
    );
    assert_eq!(email_post(&server, inbox, &raw).await.status(), 200);
    let conversation = ana.conversations_in(inbox).await[0].id;
    let message = ana.messages(conversation).await.remove(0);
    assert!(
        message.text.len() <= MAX_STORED_TEXT,
        "{}",
        message.text.len()
    );
    assert!(message.text.starts_with("0: Línea"));
    let [file] = &message.attachments[..] else {
        panic!("one file: {:?}", message.attachments)
    };
    assert_eq!(
        (file.name.as_str(), file.content_type.as_str()),
        (FULL_TEXT_NAME, "text/plain")
    );
    let bytes = ana.get(&file.url()).await.bytes().await.unwrap();
    assert_eq!(String::from_utf8_lossy(&bytes), whole.trim());
}

#[tokio::test]
async fn a_webhook_body_over_the_limit_is_a_413_with_a_code() {
    let server = TestServer::start().await;
    let smtp = SmtpStandIn::start(false).await;
    let inbox = server
        .provider_inbox(Channel::Email, "email", &email_settings(&smtp))
        .await;
    let huge = vec![b'a'; 33 * 1024 * 1024];
    let headers = [("x-switchboard-secret", EMAIL_SECRET.to_owned())];
    let response = server.webhook("email", inbox, &headers, huge).await;
    assert_eq!(
        error_code(response).await,
        (413, "payload_too_large".into())
    );
}

#[tokio::test]
async fn an_email_with_two_senders_is_skipped_not_threaded_by_either() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let smtp = SmtpStandIn::start(false).await;
    let inbox = server
        .provider_inbox(Channel::Email, "email", &email_settings(&smtp))
        .await;
    let two = fixture("email_new.eml").replace(
        "From: Alice Example <alice@example.org>\n",
        "From: Mallory <mallory@evil.example>\nFrom: Alice Example <alice@example.org>\n",
    );
    assert_skipped(email_post(&server, inbox, &two).await, "two From headers").await;
    assert!(ana.conversations_in(inbox).await.is_empty());
}
