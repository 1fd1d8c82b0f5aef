//! Twilio Programmable Messaging (SMS/MMS): form-encoded webhooks signed with
//! `X-Twilio-Signature`, inbound messages and status callbacks on the same URL, outbound
//! through the Messages API.

use super::signature;
use super::{
    Accepted, InboundMessage, Outbound, Provider, WebhookError, WebhookEvent, WebhookRequest,
};
use serde::Deserialize;
use switchboard_protocol::{Failure, MessageStatus};

pub const NAME: &str = "twilio";

#[derive(Clone, Debug, Deserialize)]
pub struct Settings {
    pub account_sid: String,
    pub auth_token: String,
    /// The sender: a phone number, or a Messaging Service SID (`MG…`).
    pub from: String,
    #[serde(default = "default_api_base")]
    pub api_base: String,
}

fn default_api_base() -> String {
    "https://api.twilio.com".into()
}

pub struct Twilio {
    settings: Settings,
    http: reqwest::Client,
    /// Where Twilio reports delivery; `None` when the server has no public address.
    status_callback: Option<String>,
}

/// Twilio's titles for the failures agents meet most.
fn reason(code: &str) -> Option<&'static str> {
    Some(match code {
        "30003" => {
            "Unreachable destination handset: the phone is off, out of coverage or cannot receive SMS."
        }
        "30004" => {
            "Message blocked: the recipient or their carrier blocks messages from this number."
        }
        "30005" => "Unknown destination handset: the number does not exist or is not in service.",
        "30006" => "Landline or unreachable carrier: this number cannot receive text messages.",
        "30007" => "Message filtered by the carrier as spam or for its content.",
        "30008" => "Unknown error from the carrier.",
        "21610" => {
            "The recipient replied STOP to this number and cannot receive messages until they reply START."
        }
        "21211" => "The destination phone number is not valid.",
        _ => return None,
    })
}

fn status_from(value: &str) -> Option<MessageStatus> {
    match value {
        "sent" => Some(MessageStatus::Sent),
        "delivered" => Some(MessageStatus::Delivered),
        "read" => Some(MessageStatus::Read),
        "undelivered" | "failed" => Some(MessageStatus::Failed),
        // queued, accepted, sending, scheduled...: still on its way.
        _ => None,
    }
}

#[derive(Deserialize)]
struct Created {
    sid: String,
}

#[derive(Deserialize)]
struct ApiError {
    code: Option<i64>,
    message: Option<String>,
}

impl Twilio {
    pub fn new(
        settings: Settings,
        http: reqwest::Client,
        status_callback: Option<String>,
    ) -> Twilio {
        Twilio {
            settings,
            http,
            status_callback,
        }
    }
}

impl Provider for Twilio {
    fn webhook(&self, request: &WebhookRequest<'_>) -> Result<Vec<WebhookEvent>, WebhookError> {
        let params: Vec<(String, String)> =
            form_urlencoded::parse(request.body).into_owned().collect();
        let signed = request.header("x-twilio-signature");
        if !signature::twilio_valid(&self.settings.auth_token, request.url, &params, signed) {
            return Err(WebhookError::BadSignature);
        }
        let get = |name: &str| {
            params
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        };
        let sid = get("MessageSid").or_else(|| get("SmsSid")).ok_or_else(|| {
            WebhookError::Malformed(
                "This Twilio webhook has no MessageSid, so it names no message.".into(),
            )
        })?;

        if let Some(status) = get("MessageStatus") {
            let Some(status) = status_from(&status) else {
                return Ok(Vec::new());
            };
            let failure = (status == MessageStatus::Failed).then(|| {
                let code = get("ErrorCode")
                    .filter(|c| !c.is_empty())
                    .unwrap_or_else(|| "failed".into());
                let fallback = format!("Twilio could not deliver the message (error {code}).");
                super::failure(
                    &code,
                    reason(&code).map(str::to_owned).or(get("ErrorMessage")),
                    &fallback,
                )
            });
            return Ok(vec![WebhookEvent::Status {
                provider_message_id: sid,
                status,
                failure,
            }]);
        }

        let from = get("From").ok_or_else(|| {
            WebhookError::Malformed(
                "This inbound Twilio message has no From, so it has no sender.".into(),
            )
        })?;
        // Twilio names its other channels' senders `whatsapp:+1…`, `messenger:…`. They are
        // not SMS: a reply by SMS would reach the customer on another channel and outside
        // that channel's rules (WhatsApp's 24-hour window, its templates).
        if let Some((channel, _)) = from.split_once(':') {
            return Err(WebhookError::Malformed(format!(
                "A Twilio {channel} message is not for an SMS inbox. Connect that number to a {channel} inbox with its own provider (for WhatsApp, the WhatsApp Cloud API)."
            )));
        }
        let mut text = get("Body").unwrap_or_default();
        // Media arrive as links until attachments are stored (they need Twilio's credentials).
        let media: usize = get("NumMedia").and_then(|n| n.parse().ok()).unwrap_or(0);
        if media > 0 && text.trim().is_empty() {
            text = format!("[{media} attachment(s)]");
        }
        Ok(vec![WebhookEvent::Message(InboundMessage {
            from,
            name: get("ProfileName"),
            text,
            provider_message_id: sid,
            sent_at: None,
            subject: None,
            replies_to: None,
        })])
    }

    async fn send(&self, message: &Outbound) -> Result<Accepted, Failure> {
        let url = format!(
            "{}/2010-04-01/Accounts/{}/Messages.json",
            self.settings.api_base.trim_end_matches('/'),
            self.settings.account_sid
        );
        let sender = if self.settings.from.starts_with("MG") {
            "MessagingServiceSid"
        } else {
            "From"
        };
        let mut form = vec![
            ("To", message.to.as_str()),
            (sender, self.settings.from.as_str()),
            ("Body", message.text.as_str()),
        ];
        if let Some(callback) = &self.status_callback {
            form.push(("StatusCallback", callback));
        }
        let response = self
            .http
            .post(url)
            .basic_auth(&self.settings.account_sid, Some(&self.settings.auth_token))
            .form(&form)
            .send()
            .await
            .map_err(|e| super::no_answer("Twilio", e))?;
        let status = response.status();
        if status.is_success() {
            let created: Created = response
                .json()
                .await
                .map_err(|e| super::no_answer("Twilio", e))?;
            return Ok(Accepted {
                provider_message_id: created.sid,
                sent: true,
            });
        }
        let error = response.json::<ApiError>().await.ok();
        let code = error
            .as_ref()
            .and_then(|e| e.code)
            .map_or_else(|| status.as_u16().to_string(), |c| c.to_string());
        let fallback = format!("Twilio refused the message (HTTP {status}).");
        Err(super::failure(
            &code,
            reason(&code)
                .map(str::to_owned)
                .or(error.and_then(|e| e.message)),
            &fallback,
        ))
    }
}
