//! WhatsApp Cloud API: JSON webhooks (`entry[].changes[].value.messages[]` and `.statuses[]`)
//! signed with `X-Hub-Signature-256`, the GET verification handshake, outbound text and
//! template messages through the Graph API.

use super::signature;
use super::{
    Accepted, InboundMessage, Outbound, OutboundFile, Provider, WebhookError, WebhookEvent,
    WebhookRequest,
};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{Value, json};
use switchboard_protocol::{AttachmentKind, Failure, MessageStatus};

pub const NAME: &str = "whatsapp";

#[derive(Clone, Debug, Deserialize)]
pub struct Settings {
    pub phone_number_id: String,
    pub access_token: String,
    pub app_secret: String,
    pub verify_token: String,
    #[serde(default = "default_api_base")]
    pub api_base: String,
}

pub(super) fn default_api_base() -> String {
    "https://graph.facebook.com/v21.0".into()
}

pub struct WhatsApp {
    settings: Settings,
    http: reqwest::Client,
}

/// The envelope must be WhatsApp's; what is inside is read one item at a time.
#[derive(Deserialize)]
struct Payload {
    entry: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    #[serde(default)]
    changes: Vec<Change>,
}

#[derive(Deserialize)]
struct Change {
    #[serde(default)]
    field: String,
    #[serde(default)]
    value: Value,
}

#[derive(Deserialize)]
struct Status {
    id: String,
    status: String,
    #[serde(default)]
    errors: Vec<GraphError>,
}

#[derive(Deserialize)]
pub(super) struct GraphError {
    pub code: Option<i64>,
    /// The specific case of a general code (Messenger: 2018278 "outside the allowed window"
    /// under the permission code 10).
    #[serde(default)]
    pub error_subcode: Option<i64>,
    pub title: Option<String>,
    pub message: Option<String>,
    #[serde(default)]
    pub error_data: Option<ErrorData>,
}

#[derive(Deserialize)]
pub(super) struct ErrorData {
    pub details: Option<String>,
}

impl GraphError {
    /// A failure from Meta's error: its most specific code, and its most specific sentence.
    pub(super) fn failure(self, fallback: &str) -> Failure {
        let code = self
            .error_subcode
            .or(self.code)
            .map_or_else(|| "unknown".to_owned(), |c| c.to_string());
        let details = self.error_data.and_then(|d| d.details);
        super::failure(code, details.or(self.title).or(self.message), fallback)
    }
}

/// Seconds since the epoch, as WhatsApp writes them (a string).
fn timestamp(value: &Value) -> Option<DateTime<Utc>> {
    let seconds: i64 = value.as_str()?.parse().ok()?;
    DateTime::from_timestamp(seconds, 0)
}

/// The text an agent reads for a message of any type.
fn text_of(message: &Value) -> String {
    let kind = message["type"].as_str().unwrap_or_default();
    let field = |path: &[&str]| {
        path.iter()
            .try_fold(message, |value, key| value.get(key))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    match kind {
        "text" => field(&["text", "body"]).unwrap_or_default(),
        "image" | "video" | "document" => field(&[kind, "caption"]).unwrap_or_else(|| {
            format!(
                "[{kind}{}]",
                field(&[kind, "filename"])
                    .map(|f| format!(": {f}"))
                    .unwrap_or_default()
            )
        }),
        "audio" | "sticker" => format!("[{kind}]"),
        "location" => {
            let (lat, lon) = (
                message["location"]["latitude"].as_f64(),
                message["location"]["longitude"].as_f64(),
            );
            let name = field(&["location", "name"]).or_else(|| field(&["location", "address"]));
            let place = name.map(|n| format!(" {n}")).unwrap_or_default();
            let point = match (lat, lon) {
                (Some(lat), Some(lon)) => format!(" ({lat}, {lon})"),
                _ => String::new(),
            };
            format!("📍{place}{point}")
        }
        "interactive" => field(&["interactive", "button_reply", "title"])
            .or_else(|| field(&["interactive", "list_reply", "title"]))
            .unwrap_or_else(|| "[interactive]".into()),
        "button" => field(&["button", "text"]).unwrap_or_else(|| "[button]".into()),
        other => format!("[{other}]"),
    }
}

impl WhatsApp {
    pub fn new(settings: Settings, http: reqwest::Client) -> WhatsApp {
        WhatsApp { settings, http }
    }
}

impl Provider for WhatsApp {
    fn verify_token(&self) -> Option<&str> {
        Some(&self.settings.verify_token)
    }

    fn webhook(&self, request: &WebhookRequest<'_>) -> Result<Vec<WebhookEvent>, WebhookError> {
        signature::meta_check(&self.settings.app_secret, request)?;
        let payload: Payload = serde_json::from_slice(request.body)
            .map_err(|e| WebhookError::Malformed(format!("Not a WhatsApp webhook: {e}")))?;
        let mut events = Vec::new();
        // One app's webhook carries every number it manages (and other fields): only this
        // inbox's messages count. An item that cannot be read is skipped, not the batch:
        // Meta would send the whole batch again and again.
        let ours = payload
            .entry
            .into_iter()
            .flat_map(|e| e.changes)
            .filter(|c| {
                let number = c.value["metadata"]["phone_number_id"].as_str();
                c.field == "messages" && number == Some(self.settings.phone_number_id.as_str())
            });
        for value in ours.map(|c| c.value) {
            let empty = Vec::new();
            for message in value["messages"].as_array().unwrap_or(&empty) {
                let (Some(from), Some(id)) = (message["from"].as_str(), message["id"].as_str())
                else {
                    tracing::warn!(%message, "skipped a WhatsApp message without `from` or `id`");
                    continue;
                };
                let name = value["contacts"]
                    .as_array()
                    .unwrap_or(&empty)
                    .iter()
                    .find(|c| c["wa_id"].as_str() == Some(from))
                    .and_then(|c| c["profile"]["name"].as_str())
                    .map(str::to_owned);
                events.push(WebhookEvent::Message(InboundMessage {
                    // WhatsApp ids are numbers without the `+`; ours are E.164.
                    from: format!("+{}", from.trim_start_matches('+')),
                    name,
                    text: text_of(message),
                    provider_message_id: id.to_owned(),
                    sent_at: timestamp(&message["timestamp"]),
                    subject: None,
                    replies_to: None,
                }));
            }
            for status in value["statuses"].as_array().unwrap_or(&empty) {
                let Ok(status) = serde_json::from_value::<Status>(status.clone()) else {
                    tracing::warn!(%status, "skipped a WhatsApp status without `id` or `status`");
                    continue;
                };
                let reported = match status.status.as_str() {
                    "sent" => MessageStatus::Sent,
                    "delivered" => MessageStatus::Delivered,
                    "read" | "played" => MessageStatus::Read,
                    "failed" => MessageStatus::Failed,
                    _ => continue,
                };
                let failure = (reported == MessageStatus::Failed).then(|| {
                    status.errors.into_iter().next().map_or_else(
                        || {
                            super::failure(
                                "unknown",
                                None,
                                "WhatsApp could not deliver the message.",
                            )
                        },
                        |e| e.failure("WhatsApp could not deliver the message."),
                    )
                });
                events.push(WebhookEvent::Status {
                    provider_message_id: status.id,
                    status: reported,
                    failure,
                });
            }
        }
        Ok(events)
    }

    async fn send(&self, message: &Outbound) -> Result<Accepted, Failure> {
        let to = message.to.trim_start_matches('+');
        let body = match &message.template {
            Some(template) => json!({
                "messaging_product": "whatsapp",
                "recipient_type": "individual",
                "to": to,
                "type": "template",
                "template": {
                    "name": template.name,
                    "language": { "code": template.language },
                    "components": [{
                        "type": "body",
                        "parameters": template.params.iter().map(|p| json!({ "type": "text", "text": p })).collect::<Vec<_>>(),
                    }],
                },
            }),
            // One file per message (the rules say so): uploaded first, then sent by its id.
            None if !message.files.is_empty() => {
                let file = &message.files[0];
                // The Cloud API's message types are the kinds' names.
                let kind = match AttachmentKind::of(&file.content_type) {
                    AttachmentKind::Image => "image",
                    AttachmentKind::Video => "video",
                    AttachmentKind::Audio => "audio",
                    AttachmentKind::Document => "document",
                };
                // A voice note carries no caption: its words go just before it.
                if kind == "audio" && !message.text.trim().is_empty() {
                    self.post_message(&text_body(to, &message.text)).await?;
                }
                let mut media = json!({ "id": self.upload_media(file).await? });
                if kind == "document" {
                    media["filename"] = json!(file.name);
                }
                if kind != "audio" && !message.text.trim().is_empty() {
                    media["caption"] = json!(message.text);
                }
                json!({
                    "messaging_product": "whatsapp",
                    "recipient_type": "individual",
                    "to": to,
                    "type": kind,
                    kind: media,
                })
            }
            None => text_body(to, &message.text),
        };
        self.post_message(&body).await
    }
}

fn text_body(to: &str, text: &str) -> Value {
    json!({
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to,
        "type": "text",
        "text": { "preview_url": false, "body": text },
    })
}

impl WhatsApp {
    fn endpoint(&self, path: &str) -> String {
        format!(
            "{}/{}/{path}",
            self.settings.api_base.trim_end_matches('/'),
            self.settings.phone_number_id
        )
    }

    async fn post_message(&self, body: &Value) -> Result<Accepted, Failure> {
        graph_post(
            &self.http,
            &self.endpoint("messages"),
            &self.settings.access_token,
            body,
            "WhatsApp",
            |v| v["messages"][0]["id"].as_str().map(str::to_owned),
        )
        .await
    }

    /// Puts a file in the number's media store (Cloud API `POST /{phone}/media`); its id.
    async fn upload_media(&self, file: &OutboundFile) -> Result<String, Failure> {
        let part = reqwest::multipart::Part::bytes(file.bytes.clone())
            .file_name(file.name.clone())
            .mime_str(&file.content_type)
            .map_err(|e| Failure {
                code: "not_sent".into(),
                reason: format!("The file's type cannot be sent: {e}"),
            })?;
        let form = reqwest::multipart::Form::new()
            .text("messaging_product", "whatsapp")
            .text("type", file.content_type.clone())
            .part("file", part);
        let response = self
            .http
            .post(self.endpoint("media"))
            .bearer_auth(&self.settings.access_token)
            .multipart(form)
            .send()
            .await
            .map_err(|e| super::no_answer("WhatsApp", e))?;
        graph_answer(response, "WhatsApp", |v| {
            v["id"].as_str().map(str::to_owned)
        })
        .await
        .map(|accepted| accepted.provider_message_id)
    }
}

/// POSTs to the Graph API; the message id from a success, Meta's error as a failure.
pub(super) async fn graph_post(
    http: &reqwest::Client,
    url: &str,
    token: &str,
    body: &Value,
    provider: &str,
    id_of: impl Fn(&Value) -> Option<String>,
) -> Result<Accepted, Failure> {
    let response = http
        .post(url)
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .map_err(|e| super::no_answer(provider, e))?;
    graph_answer(response, provider, id_of).await
}

/// Reads a Graph API answer: the id from a success, Meta's error as a failure.
async fn graph_answer(
    response: reqwest::Response,
    provider: &str,
    id_of: impl Fn(&Value) -> Option<String>,
) -> Result<Accepted, Failure> {
    let status = response.status();
    let answer: Value = response.json().await.unwrap_or(Value::Null);
    if status.is_success() {
        return match id_of(&answer) {
            Some(id) => Ok(Accepted {
                provider_message_id: id,
                sent: true,
            }),
            None => Err(super::answer_lost(provider)),
        };
    }
    let fallback = format!("{provider} refused the message (HTTP {status}).");
    Err(
        match serde_json::from_value::<GraphError>(answer["error"].clone()) {
            Ok(error) => error.failure(&fallback),
            Err(_) => super::failure(status.as_u16(), None, &fallback),
        },
    )
}
