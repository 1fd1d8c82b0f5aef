//! The sandbox provider: a pretend carrier for the demo and for tests. It accepts every
//! message, then reports sent, delivered and read over a few seconds (only the statuses the
//! channel really reports), and fails a configurable share of them with the reasons real
//! providers give. Reports go through the same path as real webhooks.

use super::{Accepted, Outbound, Provider, WebhookError, WebhookEvent, WebhookRequest};
use crate::config::SandboxConfig;
use crate::db::{Db, now_ms};
use crate::store::items::InFlight;
use crate::workflow::delivery::report_status;
use std::time::Duration;
use switchboard_protocol::{Channel, Failure, MessageStatus};

pub const NAME: &str = "sandbox";
pub const ID_PREFIX: &str = "sbx_";

/// The published secrets of sandbox inboxes (demo servers only; see the README's webhook
/// examples). Real inboxes have their own.
pub const SECRET: &str = "sandbox-secret";

/// The settings a sandbox inbox checks `provider`'s webhooks with: [`SECRET`] wherever the
/// provider signs or authenticates, and the account ids of the providers' documented
/// examples (WhatsApp number 106540352242922, Page 1234567890, Instagram account
/// 17841405822304914), which the README's examples use.
pub fn webhook_settings(provider: &str) -> &'static str {
    match provider {
        super::twilio::NAME => {
            r#"{"account_sid":"ACsandbox","auth_token":"sandbox-secret","from":"sandbox"}"#
        }
        super::whatsapp::NAME => {
            r#"{"phone_number_id":"106540352242922","access_token":"sandbox","app_secret":"sandbox-secret","verify_token":"sandbox-secret"}"#
        }
        super::meta::MESSENGER => {
            r#"{"page_id":"1234567890","page_access_token":"sandbox","app_secret":"sandbox-secret","verify_token":"sandbox-secret"}"#
        }
        super::meta::INSTAGRAM => {
            r#"{"page_id":"1234567890","account_id":"17841405822304914","page_access_token":"sandbox","app_secret":"sandbox-secret","verify_token":"sandbox-secret"}"#
        }
        super::telegram::NAME => r#"{"bot_token":"sandbox","secret_token":"sandbox-secret"}"#,
        super::email::NAME => {
            r#"{"address":"sandbox@example.com","inbound_secret":"sandbox-secret","smtp_host":"localhost"}"#
        }
        _ => "{}",
    }
}

pub struct Sandbox {
    db: Db,
    config: SandboxConfig,
}

impl Sandbox {
    pub fn new(db: Db, config: SandboxConfig) -> Self {
        Sandbox { db, config }
    }

    fn run_carrier(
        &self,
        provider_id: String,
        channel: Channel,
        from: MessageStatus,
        fails: bool,
        elapsed: Duration,
    ) {
        let steps = carrier_steps(&self.config, channel, fails);
        let db = self.db.clone();
        tokio::spawn(async move {
            let mut waited = elapsed;
            for (at, status) in steps {
                if from.advance(status).is_none() {
                    continue; // already past this step before a restart
                }
                tokio::time::sleep(at.saturating_sub(waited)).await;
                waited = waited.max(at);
                let failure = (status == MessageStatus::Failed).then(|| failure_for(channel));
                report_with_patience(&db, &provider_id, status, failure).await;
                if status == MessageStatus::Failed {
                    break;
                }
            }
        });
    }
}

/// When, after acceptance, each report comes.
fn carrier_steps(
    config: &SandboxConfig,
    channel: Channel,
    fails: bool,
) -> Vec<(Duration, MessageStatus)> {
    let mut steps = vec![(config.sent_after, MessageStatus::Sent)];
    if fails {
        steps.push((config.delivered_after, MessageStatus::Failed));
        return steps;
    }
    if channel.reports_delivered() {
        steps.push((config.delivered_after, MessageStatus::Delivered));
    }
    if channel.reports_read() {
        steps.push((config.read_after, MessageStatus::Read));
    }
    steps
}

/// A report can arrive before the outbox stored our id for the message (real providers race
/// like this too); try a few more times before giving up on it.
async fn report_with_patience(
    db: &Db,
    provider_id: &str,
    status: MessageStatus,
    failure: Option<Failure>,
) {
    for _ in 0..300 {
        match report_status(db, None, provider_id, status, failure.clone()).await {
            Ok(Some(_)) => return,
            Ok(None) => tokio::time::sleep(Duration::from_millis(100)).await,
            Err(error) => {
                tracing::warn!(%error, provider_id, "sandbox status report failed");
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
        }
    }
    tracing::warn!(
        provider_id,
        "sandbox gave up reporting: the message never got its provider id"
    );
}

/// What the channel's real provider says when a message cannot be delivered.
pub fn failure_for(channel: Channel) -> Failure {
    let (code, reason) = match channel {
        Channel::Whatsapp => (
            "131026",
            "Message undeliverable: the number is not on WhatsApp or cannot receive messages.",
        ),
        Channel::Sms => (
            "30003",
            "Unreachable destination handset: the phone is off or out of coverage.",
        ),
        Channel::Messenger | Channel::Instagram => {
            ("551", "This person isn't available right now.")
        }
        Channel::Telegram => ("403", "Forbidden: bot was blocked by the user."),
        Channel::Email => ("550", "Mailbox unavailable: the address does not exist."),
        Channel::Line => ("403", "The user has blocked this account."),
        Channel::Viber => ("6", "The receiver is not subscribed to this account."),
        Channel::Webchat => (
            "visitor_gone",
            "The visitor left the chat before the message arrived.",
        ),
    };
    Failure {
        code: code.into(),
        reason: reason.into(),
    }
}

impl Provider for Sandbox {
    async fn send(&self, message: &Outbound) -> Result<Accepted, Failure> {
        // Our id for the attempt makes the sandbox's: handing the same attempt over twice
        // (a crash in between) gives the same provider message, as idempotent APIs do.
        let provider_id = match message.attempt {
            0 => format!("{ID_PREFIX}{}", message.message_id),
            n => format!("{ID_PREFIX}{}.{n}", message.message_id),
        };
        let fails = rand::random::<f64>() < self.config.failure_rate;
        self.run_carrier(
            provider_id.clone(),
            message.channel,
            MessageStatus::Sending,
            fails,
            Duration::ZERO,
        );
        Ok(Accepted {
            provider_message_id: provider_id,
            sent: false,
        })
    }

    /// Sandbox inboxes take their channel's real provider format instead (see
    /// [`webhook_settings`]), and customers through `/api/v1/sandbox/inbound`.
    fn webhook(&self, _: &WebhookRequest<'_>) -> Result<Vec<WebhookEvent>, WebhookError> {
        Err(WebhookError::Unsupported(
            "The sandbox takes messages at /api/v1/sandbox/inbound.",
        ))
    }
}

impl Sandbox {
    /// Picks the pretend carrier back up for a message accepted before a restart.
    pub fn resume(&self, flight: &InFlight, provider_message_id: &str) {
        let elapsed = Duration::from_millis(u64::try_from(now_ms() - flight.since_ms).unwrap_or(0));
        self.run_carrier(
            provider_message_id.to_owned(),
            flight.channel,
            flight.status,
            false,
            elapsed,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> SandboxConfig {
        crate::config::Config::new("/unused").sandbox
    }

    #[test]
    fn whatsapp_messages_go_sent_delivered_read() {
        let statuses: Vec<_> = carrier_steps(&config(), Channel::Whatsapp, false)
            .into_iter()
            .map(|(_, s)| s)
            .collect();
        assert_eq!(
            statuses,
            [
                MessageStatus::Sent,
                MessageStatus::Delivered,
                MessageStatus::Read
            ]
        );
    }

    #[test]
    fn channels_report_only_what_their_providers_report() {
        let sms: Vec<_> = carrier_steps(&config(), Channel::Sms, false)
            .into_iter()
            .map(|(_, s)| s)
            .collect();
        assert_eq!(sms, [MessageStatus::Sent, MessageStatus::Delivered]);
        let email: Vec<_> = carrier_steps(&config(), Channel::Email, false)
            .into_iter()
            .map(|(_, s)| s)
            .collect();
        assert_eq!(email, [MessageStatus::Sent]);
    }

    #[test]
    fn a_failing_message_fails_after_sent_with_the_providers_reason() {
        let steps = carrier_steps(&config(), Channel::Sms, true);
        assert_eq!(steps.last().map(|(_, s)| *s), Some(MessageStatus::Failed));
        assert_eq!(failure_for(Channel::Sms).code, "30003");
    }
}
