//! Telegram bots: `Update` webhooks authenticated by the secret token header, outbound through
//! `sendMessage`. Telegram reports nothing after sending: a message accepted is "sent".

use super::signature;
use super::{
    Accepted, InboundMessage, Outbound, Provider, WebhookError, WebhookEvent, WebhookRequest,
};
use serde::Deserialize;
use serde_json::{Value, json};
use switchboard_protocol::Failure;

pub const NAME: &str = "telegram";

#[derive(Clone, Debug, Deserialize)]
pub struct Settings {
    pub bot_token: String,
    /// Sent by Telegram in `X-Telegram-Bot-Api-Secret-Token` (set with `setWebhook`).
    pub secret_token: String,
    #[serde(default = "default_api_base")]
    pub api_base: String,
}

fn default_api_base() -> String {
    "https://api.telegram.org".into()
}

pub struct Telegram {
    settings: Settings,
    http: reqwest::Client,
}

fn text_of(message: &Value) -> String {
    if let Some(text) = message["text"]
        .as_str()
        .or_else(|| message["caption"].as_str())
    {
        return text.to_owned();
    }
    let kind = [
        "photo", "document", "video", "voice", "audio", "sticker", "location", "contact",
    ]
    .into_iter()
    .find(|k| message.get(k).is_some())
    .unwrap_or("message");
    match message["document"]["file_name"].as_str() {
        Some(name) => format!("[document: {name}]"),
        None => format!("[{kind}]"),
    }
}

impl Telegram {
    pub fn new(settings: Settings, http: reqwest::Client) -> Telegram {
        Telegram { settings, http }
    }
}

impl Provider for Telegram {
    fn webhook(&self, request: &WebhookRequest<'_>) -> Result<Vec<WebhookEvent>, WebhookError> {
        let given = request
            .header("x-telegram-bot-api-secret-token")
            .unwrap_or_default();
        if !signature::secret_matches(given, &self.settings.secret_token) {
            return Err(WebhookError::BadSignature);
        }
        let update: Value = serde_json::from_slice(request.body)
            .map_err(|e| WebhookError::Malformed(format!("Not a Telegram update: {e}")))?;
        if update["update_id"].as_i64().is_none() {
            return Err(WebhookError::Malformed(
                "This Telegram update has no `update_id`.".into(),
            ));
        }
        let (message, edited) = match (update.get("message"), update.get("edited_message")) {
            (Some(message), _) => (message, false),
            (None, Some(message)) => (message, true),
            // Other updates (callback queries, member changes...) are not messages to agents.
            (None, None) => return Ok(Vec::new()),
        };
        let (Some(chat), Some(id)) = (
            message["chat"]["id"].as_i64(),
            message["message_id"].as_i64(),
        ) else {
            return Err(WebhookError::Malformed(
                "This Telegram message lacks `chat.id` or `message_id`.".into(),
            ));
        };
        let from = &message["from"];
        let name = [from["first_name"].as_str(), from["last_name"].as_str()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        let text = text_of(message);
        // An edit is a new message for the agent (the original stays as it was).
        let (provider_message_id, text) = match (edited, message["edit_date"].as_i64()) {
            (true, Some(at)) => (format!("{chat}:{id}:{at}"), format!("✏️ {text}")),
            _ => (format!("{chat}:{id}"), text),
        };
        Ok(vec![WebhookEvent::Message(InboundMessage {
            from: chat.to_string(),
            name: (!name.is_empty()).then_some(name),
            text,
            provider_message_id,
            sent_at: message["date"]
                .as_i64()
                .and_then(|s| chrono::DateTime::from_timestamp(s, 0)),
            subject: None,
            replies_to: None,
        })])
    }

    async fn send(&self, message: &Outbound) -> Result<Accepted, Failure> {
        let url = format!(
            "{}/bot{}/sendMessage",
            self.settings.api_base.trim_end_matches('/'),
            self.settings.bot_token
        );
        let chat = message
            .to
            .parse::<i64>()
            .map_or_else(|_| json!(message.to), |id| json!(id));
        let response = self
            .http
            .post(url)
            .json(&json!({ "chat_id": chat, "text": message.text }))
            .send()
            .await
            // (no_answer leaves out the URL, which holds the bot token)
            .map_err(|e| super::no_answer("Telegram", e))?;
        let answer: Value = response.json().await.unwrap_or(Value::Null);
        match (
            answer["ok"].as_bool(),
            answer["result"]["message_id"].as_i64(),
        ) {
            (Some(true), Some(id)) => Ok(Accepted {
                provider_message_id: format!("{}:{id}", message.to),
                sent: true,
            }),
            (Some(true), None) => Err(super::answer_lost("Telegram")),
            _ => Err(super::failure(
                answer["error_code"].as_i64().unwrap_or(0),
                answer["description"].as_str().map(str::to_owned),
                "Telegram refused the message.",
            )),
        }
    }
}
