//! Channel providers. Each inbox names its provider and keeps that provider's settings
//! (credentials, endpoints) as JSON; [`Providers::connect`] turns them into an [`Adapter`]:
//! a [`Provider`] that sends over the provider's real API and reads its real webhooks. Whatever a webhook
//! says becomes a few [`WebhookEvent`]s; status reports of every provider (webhooks, the
//! sandbox's pretend carrier) go through `workflow::delivery`, which only moves forward.

pub mod email;
pub mod meta;
pub mod sandbox;
pub mod signature;
pub mod telegram;
pub mod twilio;
pub mod whatsapp;

use crate::store::items::InFlight;
use axum::http::HeaderMap;
use chrono::{DateTime, Utc};
use sandbox::Sandbox;
use serde::de::DeserializeOwned;
use std::collections::HashMap;
use std::sync::Arc;
use switchboard_protocol::templates::TemplateUse;
use switchboard_protocol::{Channel, Failure, Inbox, InboxId, MessageId, MessageStatus};

/// A message on its way out.
#[derive(Clone, Debug)]
pub struct Outbound {
    pub message_id: MessageId,
    /// 0, then one more each time a failed message is sent again.
    pub attempt: u32,
    pub channel: Channel,
    /// The contact's handle on the channel.
    pub to: String,
    pub text: String,
    pub human_agent: bool,
    pub template: Option<TemplateUse>,
    /// Email: the conversation's subject and the Message-IDs it replies to, oldest first.
    pub subject: Option<String>,
    pub thread_ids: Vec<String>,
    /// The message's files, read from storage (only for providers that carry files).
    pub files: Vec<OutboundFile>,
}

/// A file going out with a message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutboundFile {
    pub name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// Whether messages through this provider can carry files. The others' media APIs are not
/// wired in yet: their inboxes refuse a file when it is attached, never drop it on the way.
pub fn carries_files(provider: &str) -> bool {
    [sandbox::NAME, email::NAME, whatsapp::NAME].contains(&provider)
}

/// The provider took the message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Accepted {
    pub provider_message_id: String,
    /// Its answer already means "sent" (most APIs); the sandbox reports that later itself.
    pub sent: bool,
}

/// A customer's message, as a webhook brings it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InboundMessage {
    /// The customer's address on the channel (phone, email, chat or user id).
    pub from: String,
    pub name: Option<String>,
    pub text: String,
    /// The provider's id for it: a retried webhook carries the same one.
    pub provider_message_id: String,
    /// When the customer sent it, if the provider says.
    pub sent_at: Option<DateTime<Utc>>,
    /// Email: the subject.
    pub subject: Option<String>,
    /// Email: the Message-IDs it replies to (see [`crate::workflow::inbound::Inbound`]).
    /// `None` on chat channels.
    pub replies_to: Option<Vec<String>>,
}

/// What a webhook told us.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WebhookEvent {
    Message(InboundMessage),
    Status {
        provider_message_id: String,
        status: MessageStatus,
        failure: Option<Failure>,
    },
    /// Everything we sent the customer up to then was delivered, or read (Messenger's
    /// watermarks).
    ReachedUntil {
        customer: String,
        until: DateTime<Utc>,
        status: MessageStatus,
    },
}

/// A webhook call as it arrived: what signatures are computed over.
pub struct WebhookRequest<'a> {
    /// The full URL the provider called (scheme, host, path and query).
    pub url: &'a str,
    pub headers: &'a HeaderMap,
    pub body: &'a [u8],
}

impl WebhookRequest<'_> {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum WebhookError {
    /// Not signed with this inbox's secret: refused, nothing stored.
    #[error("the webhook signature does not match this inbox's secret")]
    BadSignature,
    #[error("{0}")]
    Malformed(String),
    /// This provider has no such webhook (e.g. a verification handshake).
    #[error("{0}")]
    Unsupported(&'static str),
}

/// The providers an inbox can be put on.
pub const NAMES: [&str; 7] = [
    sandbox::NAME,
    twilio::NAME,
    whatsapp::NAME,
    meta::MESSENGER,
    meta::INSTAGRAM,
    telegram::NAME,
    email::NAME,
];

/// The provider that carries a channel's messages (LINE, Viber and web chat have none yet:
/// only the sandbox).
pub fn provider_of(channel: Channel) -> Option<&'static str> {
    Some(match channel {
        Channel::Sms => twilio::NAME,
        Channel::Whatsapp => whatsapp::NAME,
        Channel::Messenger => meta::MESSENGER,
        Channel::Instagram => meta::INSTAGRAM,
        Channel::Telegram => telegram::NAME,
        Channel::Email => email::NAME,
        Channel::Line | Channel::Viber | Channel::Webchat => return None,
    })
}

/// Where `provider`'s webhooks for `inbox` go, under the server's origin.
pub fn webhook_path(provider: &str, inbox: InboxId) -> String {
    format!("/api/v1/webhooks/{provider}/{inbox}")
}

/// The shortest secret an inbox may check webhooks with.
const MIN_SECRET: usize = 8;

/// An inbox's provider settings, read and checked.
pub enum Settings {
    Sandbox,
    Twilio(twilio::Settings),
    WhatsApp(whatsapp::Settings),
    Meta(meta::Settings),
    Telegram(telegram::Settings),
    Email(email::Settings),
}

impl Settings {
    /// Reads the settings of `provider` for an inbox of `channel`.
    pub fn parse(channel: Channel, provider: &str, json: &str) -> Result<Settings, String> {
        fn read<T: DeserializeOwned>(provider: &str, json: &str) -> Result<T, String> {
            serde_json::from_str(json)
                .map_err(|e| format!("the {provider} settings are not valid: {e}"))
        }
        if provider != sandbox::NAME && provider_of(channel) != Some(provider) {
            return Err(format!(
                "a {} inbox cannot use the `{provider}` provider",
                channel.display_name()
            ));
        }
        let settings = match provider {
            sandbox::NAME => Settings::Sandbox,
            twilio::NAME => Settings::Twilio(read(provider, json)?),
            whatsapp::NAME => Settings::WhatsApp(read(provider, json)?),
            meta::MESSENGER | meta::INSTAGRAM => Settings::Meta(read(provider, json)?),
            telegram::NAME => Settings::Telegram(read(provider, json)?),
            email::NAME => Settings::Email(read(provider, json)?),
            other => return Err(format!("there is no provider called `{other}`")),
        };
        if let Settings::Meta(meta) = &settings
            && provider == meta::INSTAGRAM
            && meta.account_id.is_none()
        {
            return Err("the instagram settings need `account_id`: the Instagram professional account's id, which Meta puts in each webhook".into());
        }
        for (name, secret) in settings.secrets() {
            if secret.trim().chars().count() < MIN_SECRET {
                return Err(format!(
                    "the {provider} setting `{name}` must be a secret of at least {MIN_SECRET} characters: anyone could sign webhooks with a short or empty one"
                ));
            }
        }
        Ok(settings)
    }

    /// The secrets that authenticate the provider's webhooks, by setting name.
    fn secrets(&self) -> Vec<(&'static str, &str)> {
        match self {
            Settings::Sandbox => Vec::new(),
            Settings::Twilio(s) => vec![("auth_token", &s.auth_token)],
            Settings::WhatsApp(s) => vec![
                ("app_secret", &s.app_secret),
                ("verify_token", &s.verify_token),
            ],
            Settings::Meta(s) => vec![
                ("app_secret", &s.app_secret),
                ("verify_token", &s.verify_token),
            ],
            Settings::Telegram(s) => vec![("secret_token", &s.secret_token)],
            Settings::Email(s) => vec![("inbound_secret", &s.inbound_secret)],
        }
    }
}

/// What every provider adapter does. Adding a provider is implementing this, adding an
/// [`Adapter`] variant and its [`Settings`].
pub trait Provider {
    /// Hands a message to the provider: its id for it, or why it refused.
    fn send(&self, message: &Outbound) -> impl Future<Output = Result<Accepted, Failure>> + Send;

    /// Verifies a webhook's signature and reads it. Nothing of an unsigned request is read.
    fn webhook(&self, request: &WebhookRequest<'_>) -> Result<Vec<WebhookEvent>, WebhookError>;

    /// The token of Meta's subscription handshake, for providers that have one.
    fn verify_token(&self) -> Option<&str> {
        None
    }
}

/// One inbox's provider, ready to send and to read webhooks.
pub enum Adapter {
    Sandbox(Arc<Sandbox>),
    Twilio(twilio::Twilio),
    WhatsApp(whatsapp::WhatsApp),
    Meta(meta::Meta),
    Telegram(telegram::Telegram),
    Email(email::Email),
}

/// Calls the same [`Provider`] method on whichever adapter this is.
macro_rules! each_adapter {
    ($adapter:expr, $provider:ident => $call:expr) => {
        match $adapter {
            Adapter::Sandbox($provider) => $call,
            Adapter::Twilio($provider) => $call,
            Adapter::WhatsApp($provider) => $call,
            Adapter::Meta($provider) => $call,
            Adapter::Telegram($provider) => $call,
            Adapter::Email($provider) => $call,
        }
    };
}

impl Adapter {
    pub async fn send(&self, message: &Outbound) -> Result<Accepted, Failure> {
        each_adapter!(self, provider => provider.send(message).await)
    }

    pub fn webhook(&self, request: &WebhookRequest<'_>) -> Result<Vec<WebhookEvent>, WebhookError> {
        each_adapter!(self, provider => provider.webhook(request))
    }

    /// Meta's subscription handshake: the challenge to echo, if the verify token matches.
    pub fn handshake(&self, query: &HashMap<String, String>) -> Result<String, WebhookError> {
        let verify_token = each_adapter!(self, provider => provider.verify_token());
        let verify_token = verify_token.ok_or(WebhookError::Unsupported(
            "This provider has no verification handshake.",
        ))?;
        meta::handshake(verify_token, query)
    }
}

/// What every adapter may need besides its own settings.
#[derive(Clone)]
pub struct Providers {
    sandbox: Arc<Sandbox>,
    http: reqwest::Client,
    /// The address providers reach us at, for the callback URLs we give them.
    public_origin: Option<String>,
    /// Sandbox inboxes take webhooks signed with the published sandbox secret
    /// (`--sandbox-webhooks`, the demo).
    sandbox_webhooks: bool,
}

impl Providers {
    pub fn new(
        sandbox: Arc<Sandbox>,
        public_origin: Option<String>,
        sandbox_webhooks: bool,
    ) -> Providers {
        let http = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(20))
            .user_agent(concat!("switchboard/", env!("CARGO_PKG_VERSION")))
            .build()
            .unwrap_or_default();
        Providers {
            sandbox,
            http,
            public_origin,
            sandbox_webhooks,
        }
    }

    /// The adapter for an inbox whose provider is `provider` with these settings.
    pub fn connect(
        &self,
        inbox: InboxId,
        channel: Channel,
        provider: &str,
        settings_json: &str,
    ) -> Result<Adapter, String> {
        let callback = self.public_origin.as_ref().map(|origin| {
            let origin = origin.trim_end_matches('/');
            format!("{origin}{}", webhook_path(provider, inbox))
        });
        let http = self.http.clone();
        Ok(match Settings::parse(channel, provider, settings_json)? {
            Settings::Sandbox => Adapter::Sandbox(self.sandbox.clone()),
            Settings::Twilio(s) => Adapter::Twilio(twilio::Twilio::new(s, http, callback)),
            Settings::WhatsApp(s) => Adapter::WhatsApp(whatsapp::WhatsApp::new(s, http)),
            Settings::Meta(s) => Adapter::Meta(meta::Meta::new(s, http)),
            Settings::Telegram(s) => Adapter::Telegram(telegram::Telegram::new(s, http)),
            Settings::Email(s) => Adapter::Email(email::Email::new(s)),
        })
    }

    /// The adapter that reads a webhook sent as `provider` to an inbox on `configured`:
    /// `None` when that inbox takes no such webhooks. With `--sandbox-webhooks` (the demo), a
    /// sandbox inbox reads its channel's real provider format, checked with the published
    /// sandbox secret, so that every webhook can be tried from the command line.
    pub fn for_webhook(
        &self,
        inbox: &Inbox,
        configured: &str,
        settings_json: &str,
        provider: &str,
    ) -> Option<Result<Adapter, String>> {
        if configured == provider {
            return Some(self.connect(inbox.id, inbox.channel, provider, settings_json));
        }
        let sandboxed = configured == sandbox::NAME
            && self.sandbox_webhooks
            && provider_of(inbox.channel) == Some(provider);
        let settings = sandbox::webhook_settings(provider);
        sandboxed.then(|| self.connect(inbox.id, inbox.channel, provider, settings))
    }

    /// Hands an accepted message back to the sandbox after a restart (real providers report
    /// on their own).
    pub fn resume(&self, flight: &InFlight, provider_message_id: &str) {
        if provider_message_id.starts_with(sandbox::ID_PREFIX) {
            self.sandbox.resume(flight, provider_message_id);
        }
    }
}

/// A failure as the provider gave it, with a fallback reason when it gave none.
pub fn failure(code: impl ToString, reason: Option<String>, fallback: &str) -> Failure {
    Failure {
        code: code.to_string(),
        reason: reason
            .filter(|r| !r.trim().is_empty())
            .unwrap_or_else(|| fallback.to_owned()),
    }
}

/// The failure for a request that got no usable answer. Only a connection that never
/// opened surely sent nothing; after a timeout or a garbled answer the provider may have
/// taken the message, and sending it again could reach the customer twice.
pub fn no_answer(provider: &str, error: reqwest::Error) -> Failure {
    // Without the URL: some providers put credentials in it (Telegram's bot token).
    let error = error.without_url();
    if error.is_connect() {
        return Failure {
            code: "provider_unreachable".into(),
            reason: format!("Could not reach {provider}, so the message was not sent: {error}"),
        };
    }
    answer_lost(provider)
}

/// The failure when the provider's answer was lost or unreadable: it may have taken the
/// message.
pub fn answer_lost(provider: &str) -> Failure {
    Failure {
        code: crate::workflow::delivery::OUTCOME_UNKNOWN.into(),
        reason: format!(
            "No usable answer came from {provider}: the message may have gone out. Check with the customer before sending it again."
        ),
    }
}
