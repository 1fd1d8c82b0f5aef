//! Email: raw RFC 5322 messages posted by an inbound relay (authenticated with a shared
//! secret header), parsed with a real MIME parser and threaded by Message-ID; replies go out
//! over SMTP with In-Reply-To and References so they land in the customer's thread.

use super::signature;
use super::{
    Accepted, InboundMessage, Outbound, Provider, WebhookError, WebhookEvent, WebhookRequest,
};
use lettre::message::{Mailbox, MultiPart, SinglePart, header::ContentType};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use mail_parser::MessageParser;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use switchboard_protocol::Failure;

pub const NAME: &str = "email";
/// The header the inbound relay puts the shared secret in.
pub const SECRET_HEADER: &str = "x-switchboard-secret";

#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Tls {
    /// Plain SMTP (a relay on the same host or network).
    None,
    #[default]
    Starttls,
    /// Implicit TLS (port 465).
    Tls,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Settings {
    /// The inbox's address: replies come from it.
    pub address: String,
    #[serde(default)]
    pub display_name: Option<String>,
    pub inbound_secret: String,
    pub smtp_host: String,
    #[serde(default = "default_port")]
    pub smtp_port: u16,
    #[serde(default)]
    pub smtp_tls: Tls,
    #[serde(default)]
    pub smtp_username: Option<String>,
    #[serde(default)]
    pub smtp_password: Option<String>,
}

fn default_port() -> u16 {
    587
}

pub struct Email {
    settings: Settings,
}

/// The reply without the history it quotes: everything from the first quoted line, or the
/// "On … wrote:" line before it, is cut.
pub fn strip_quoted(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let quote = lines
        .iter()
        .position(|l| l.trim_start().starts_with('>'))
        .unwrap_or(lines.len());
    let mut end = quote;
    if end > 0 {
        let before = lines[end - 1].trim();
        let attribution = before.ends_with("wrote:") || before.ends_with("escribió:");
        if attribution {
            end -= 1;
        }
    }
    let kept = lines[..end].join("\n");
    let kept = kept.trim();
    if kept.is_empty() {
        text.trim().to_owned()
    } else {
        kept.to_owned()
    }
}

/// The subject of a mail we send: `Re: …` when it answers the customer's thread, as it is when
/// it opens one (a conversation an agent started).
pub fn subject_line(subject: Option<&str>, replying: bool) -> String {
    match subject.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) if !replying || s.to_lowercase().starts_with("re:") => s.to_owned(),
        Some(s) => format!("Re: {s}"),
        None if replying => "Re: your message".to_owned(),
        None => "A message for you".to_owned(),
    }
}

/// How many Message-IDs of a thread an email names, both ways: a header of thousands is a
/// mistake or an attack.
const MAX_REFERENCES: usize = 20;

fn bracket(id: &str) -> String {
    format!("<{}>", id.trim_matches(['<', '>']))
}

impl Email {
    pub fn new(settings: Settings) -> Email {
        Email { settings }
    }
}

impl Provider for Email {
    fn webhook(&self, request: &WebhookRequest<'_>) -> Result<Vec<WebhookEvent>, WebhookError> {
        let given = request.header(SECRET_HEADER).unwrap_or_default();
        if !signature::secret_matches(given, &self.settings.inbound_secret) {
            return Err(WebhookError::BadSignature);
        }
        let mail = MessageParser::default()
            .parse(request.body)
            .ok_or_else(|| WebhookError::Malformed("The body is not an RFC 5322 email.".into()))?;
        // Two senders (two From headers, or two addresses in one) cannot both be the contact:
        // a relay checks one of them, threading would trust the other.
        let senders = mail
            .header_values(mail_parser::HeaderName::From)
            .map(|value| value.as_address().map_or(0, |a| a.iter().count()))
            .sum::<usize>();
        if senders > 1 {
            return Err(WebhookError::Malformed(
                "The email has more than one sender in From; it is not taken.".into(),
            ));
        }
        let sender = mail
            .from()
            .and_then(|from| from.first())
            .ok_or_else(|| WebhookError::Malformed("The email has no From address.".into()))?;
        let address = sender
            .address()
            .ok_or_else(|| WebhookError::Malformed("The email's From has no address.".into()))?;
        let id = mail
            .message_id()
            .map(str::to_owned)
            // Without a Message-ID, the same bytes still make the same id: retries stay one message.
            .unwrap_or_else(|| hex::encode(Sha256::digest(request.body)));
        // The parent first, then the newest references: the likeliest to be ours.
        let references = mail.references().as_text_list().unwrap_or_default();
        let replies_to: Vec<String> = mail
            .in_reply_to()
            .as_text()
            .into_iter()
            .chain(references.iter().rev().map(|r| r.as_ref()))
            .take(MAX_REFERENCES)
            .map(str::to_owned)
            .collect();
        let text = mail
            .body_text(0)
            .map(|t| strip_quoted(&t))
            .unwrap_or_default();
        Ok(vec![WebhookEvent::Message(InboundMessage {
            from: address.to_owned(),
            name: sender.name().map(str::to_owned),
            text: if text.is_empty() {
                mail.subject().unwrap_or("(no text)").to_owned()
            } else {
                text
            },
            provider_message_id: id,
            sent_at: mail
                .date()
                .and_then(|d| chrono::DateTime::from_timestamp(d.to_timestamp(), 0)),
            subject: mail.subject().map(str::to_owned),
            replies_to: Some(replies_to),
        })])
    }

    async fn send(&self, message: &Outbound) -> Result<Accepted, Failure> {
        // The inbox's own settings are wrong: nothing can go until someone fixes them.
        let misconfigured = |reason: String| Failure {
            code: "provider_unavailable".into(),
            reason,
        };
        let domain = self
            .settings
            .address
            .rsplit('@')
            .next()
            .unwrap_or("localhost")
            .to_owned();
        let message_id = format!("{}@{domain}", uuid::Uuid::new_v4().simple());
        let address = self.settings.address.parse().map_err(|e| {
            misconfigured(format!(
                "The inbox address {} is not valid: {e}",
                self.settings.address
            ))
        })?;
        // Built, not parsed: a display name with a comma or quotes stays a name.
        let from = Mailbox::new(self.settings.display_name.clone(), address);
        let to: Mailbox = message.to.parse().map_err(|e| Failure {
            code: "invalid_address".into(),
            reason: format!("The customer's address is not valid: {e}"),
        })?;
        let subject = subject_line(message.subject.as_deref(), !message.thread_ids.is_empty());
        let mut builder = lettre::Message::builder()
            .from(from)
            .to(to)
            .subject(subject)
            .message_id(Some(bracket(&message_id)));
        if let Some(parent) = message.thread_ids.last() {
            // Mail clients keep the first and the latest ids of a long thread.
            let ids = &message.thread_ids;
            let kept = ids
                .first()
                .into_iter()
                .chain(ids.iter().skip(1).rev().take(MAX_REFERENCES - 1).rev());
            let references = kept.map(|id| bracket(id)).collect::<Vec<_>>().join(" ");
            builder = builder.in_reply_to(bracket(parent)).references(references);
        }
        let email = if message.files.is_empty() {
            builder
                .header(ContentType::TEXT_PLAIN)
                .body(message.text.clone())
        } else {
            // The text first, then each file as an attachment.
            let mut parts = MultiPart::mixed().singlepart(SinglePart::plain(message.text.clone()));
            for file in &message.files {
                let content_type = ContentType::parse(&file.content_type)
                    .or_else(|_| ContentType::parse("application/octet-stream"))
                    .map_err(|e| misconfigured(format!("A file's type cannot be written: {e}")))?;
                parts = parts.singlepart(
                    lettre::message::Attachment::new(file.name.clone())
                        .body(file.bytes.clone(), content_type),
                );
            }
            builder.multipart(parts)
        }
        .map_err(|e| misconfigured(format!("The email could not be built: {e}")))?;

        let host = self.settings.smtp_host.as_str();
        let transport = match self.settings.smtp_tls {
            Tls::None => Ok(AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(
                host,
            )),
            Tls::Starttls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host),
            Tls::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(host),
        }
        .map_err(|e| misconfigured(format!("The SMTP server {host} cannot be used: {e}")))?;
        let mut transport = transport.port(self.settings.smtp_port);
        if let (Some(user), Some(password)) =
            (&self.settings.smtp_username, &self.settings.smtp_password)
        {
            transport = transport.credentials(Credentials::new(user.clone(), password.clone()));
        }
        match transport.build().send(email).await {
            Ok(_) => Ok(Accepted {
                provider_message_id: message_id,
                sent: true,
            }),
            Err(error) => Err(match error.status() {
                // The server answered: its reply code says why (4xx: later; 5xx: never).
                Some(code) => Failure {
                    code: code.to_string(),
                    reason: format!("The mail server refused the message: {error}"),
                },
                // It went quiet midway: it may have taken the message.
                None if error.is_timeout() => super::answer_lost("the mail server"),
                None => Failure {
                    code: "provider_unreachable".into(),
                    reason: format!(
                        "Could not reach the mail server, so the message was not sent: {error}"
                    ),
                },
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{strip_quoted, subject_line};

    #[test]
    fn a_reply_says_re_and_a_first_mail_does_not() {
        assert_eq!(subject_line(Some("Pedido 12"), true), "Re: Pedido 12");
        assert_eq!(subject_line(Some("RE: Pedido 12"), true), "RE: Pedido 12");
        assert_eq!(subject_line(Some("Tu devolución"), false), "Tu devolución");
        assert_eq!(subject_line(None, true), "Re: your message");
        assert_eq!(subject_line(Some("  "), false), "A message for you");
    }

    #[test]
    fn a_reply_loses_the_history_it_quotes() {
        let reply = "Still nothing.\n\nOn Mon, 10 Mar 2025 at 09:46, Support <s@example.com> wrote:\n> We are checking.";
        assert_eq!(strip_quoted(reply), "Still nothing.");
        let spanish = "Gracias.\nEl lun, 10 mar 2025, Soporte escribió:\n> Lo revisamos.";
        assert_eq!(strip_quoted(spanish), "Gracias.");
        assert_eq!(
            strip_quoted("> only a quote"),
            "> only a quote",
            "never an empty message"
        );
        assert_eq!(strip_quoted("No quotes here"), "No quotes here");
    }
}
