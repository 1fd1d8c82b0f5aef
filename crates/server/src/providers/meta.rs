//! Messenger and Instagram messaging (the Messenger Platform): JSON webhooks with
//! `entry[].messaging[]` events (message, delivery, read) signed with `X-Hub-Signature-256`,
//! the same GET handshake as WhatsApp, and the Send API, with the `HUMAN_AGENT` tag outside
//! the 24-hour window.

use super::signature;
use super::whatsapp::graph_post;
use super::{
    Accepted, InboundMessage, Outbound, Provider, WebhookError, WebhookEvent, WebhookRequest,
};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::HashMap;
use switchboard_protocol::{Failure, MessageStatus};

pub const MESSENGER: &str = "messenger";
pub const INSTAGRAM: &str = "instagram";

#[derive(Clone, Debug, Deserialize)]
pub struct Settings {
    /// The Page that sends (for Instagram, the Page linked to the account).
    pub page_id: String,
    /// The id Meta puts in each webhook `entry` for this inbox: the Page's (the default) on
    /// Messenger, the Instagram professional account's on Instagram.
    #[serde(default)]
    pub account_id: Option<String>,
    pub page_access_token: String,
    pub app_secret: String,
    pub verify_token: String,
    #[serde(default = "super::whatsapp::default_api_base")]
    pub api_base: String,
}

pub struct Meta {
    settings: Settings,
    http: reqwest::Client,
}

/// Meta's subscription handshake: echo `hub.challenge` when `hub.verify_token` is ours.
pub fn handshake(
    verify_token: &str,
    query: &HashMap<String, String>,
) -> Result<String, WebhookError> {
    let mode = query.get("hub.mode").map(String::as_str);
    let token = query
        .get("hub.verify_token")
        .map(String::as_str)
        .unwrap_or_default();
    let challenge = query.get("hub.challenge").cloned().unwrap_or_default();
    if mode == Some("subscribe")
        && signature::secret_matches(token, verify_token)
        && !challenge.is_empty()
    {
        Ok(challenge)
    } else {
        Err(WebhookError::BadSignature)
    }
}

fn millis(value: &Value) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp_millis(value.as_i64()?)
}

/// The text an agent reads for a message: its text, or what its attachments are.
fn text_of(message: &Value) -> String {
    if let Some(text) = message["text"].as_str().filter(|t| !t.is_empty()) {
        return text.to_owned();
    }
    let kinds: Vec<&str> = message["attachments"]
        .as_array()
        .map(|a| a.iter().filter_map(|a| a["type"].as_str()).collect())
        .unwrap_or_default();
    if kinds.is_empty() {
        "[message]".to_owned()
    } else {
        format!("[{}]", kinds.join(", "))
    }
}

impl Meta {
    pub fn new(settings: Settings, http: reqwest::Client) -> Meta {
        Meta { settings, http }
    }
}

impl Provider for Meta {
    fn verify_token(&self) -> Option<&str> {
        Some(&self.settings.verify_token)
    }

    fn webhook(&self, request: &WebhookRequest<'_>) -> Result<Vec<WebhookEvent>, WebhookError> {
        signature::meta_check(&self.settings.app_secret, request)?;
        let payload: Value = serde_json::from_slice(request.body)
            .map_err(|e| WebhookError::Malformed(format!("Not a Messenger webhook: {e}")))?;
        let entries = payload["entry"]
            .as_array()
            .ok_or_else(|| WebhookError::Malformed("A Messenger webhook has `entry`.".into()))?;
        // One app's webhook carries every Page it serves: only this inbox's entries count.
        let account = self
            .settings
            .account_id
            .as_ref()
            .unwrap_or(&self.settings.page_id);
        let ours = entries.iter().filter(|entry| {
            // Meta writes the id as a string; be lenient with a number.
            entry["id"]
                .as_str()
                .map(str::to_owned)
                .or_else(|| entry["id"].as_u64().map(|n| n.to_string()))
                .as_ref()
                == Some(account)
        });
        // Instagram apps on "Facebook Login for Business" get the same events under
        // `changes[].value` (field `messages`).
        let events = ours.flat_map(|entry| {
            let messaging = entry["messaging"].as_array().cloned().unwrap_or_default();
            let changes = entry["changes"]
                .as_array()
                .map(|c| {
                    c.iter()
                        .filter(|c| c["field"] == "messages")
                        .map(|c| c["value"].clone())
                        .collect()
                })
                .unwrap_or_default();
            messaging.into_iter().chain::<Vec<Value>>(changes)
        });
        let mut out = Vec::new();
        // An event that cannot be read is skipped, not the batch: Meta would send the whole
        // batch again and again.
        for event in events {
            let customer = event["sender"]["id"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            if let Some(message) = event.get("message") {
                if message["is_echo"].as_bool() == Some(true)
                    || message["is_deleted"].as_bool() == Some(true)
                {
                    continue; // our own message coming back, or one the customer deleted
                }
                let Some(mid) = message["mid"].as_str().filter(|_| !customer.is_empty()) else {
                    tracing::warn!(%event, "skipped a Messenger message without `mid` or sender");
                    continue;
                };
                out.push(WebhookEvent::Message(InboundMessage {
                    from: customer,
                    name: None,
                    text: text_of(message),
                    provider_message_id: mid.to_owned(),
                    sent_at: millis(&event["timestamp"]),
                    subject: None,
                    replies_to: None,
                }));
            } else if let Some(delivery) = event.get("delivery") {
                let mids = delivery["mids"].as_array();
                for mid in mids.into_iter().flatten().filter_map(Value::as_str) {
                    out.push(WebhookEvent::Status {
                        provider_message_id: mid.to_owned(),
                        status: MessageStatus::Delivered,
                        failure: None,
                    });
                }
                // Without `mids`, the watermark says: everything sent before it arrived.
                if mids.is_none_or(Vec::is_empty)
                    && let Some(until) = millis(&delivery["watermark"])
                {
                    let status = MessageStatus::Delivered;
                    out.push(WebhookEvent::ReachedUntil {
                        customer,
                        until,
                        status,
                    });
                }
            } else if let Some(read) = event.get("read") {
                if let Some(mid) = read["mid"].as_str() {
                    out.push(WebhookEvent::Status {
                        provider_message_id: mid.to_owned(),
                        status: MessageStatus::Read,
                        failure: None,
                    });
                } else if let Some(until) = millis(&read["watermark"]) {
                    let status = MessageStatus::Read;
                    out.push(WebhookEvent::ReachedUntil {
                        customer,
                        until,
                        status,
                    });
                }
            }
        }
        Ok(out)
    }

    async fn send(&self, message: &Outbound) -> Result<Accepted, Failure> {
        let mut body = json!({
            "recipient": { "id": message.to },
            "messaging_type": "RESPONSE",
            "message": { "text": message.text },
        });
        if message.human_agent {
            body["messaging_type"] = json!("MESSAGE_TAG");
            body["tag"] = json!("HUMAN_AGENT");
        }
        let url = format!(
            "{}/{}/messages",
            self.settings.api_base.trim_end_matches('/'),
            self.settings.page_id
        );
        graph_post(
            &self.http,
            &url,
            &self.settings.page_access_token,
            &body,
            "Meta",
            |v| v["message_id"].as_str().map(str::to_owned),
        )
        .await
    }
}
