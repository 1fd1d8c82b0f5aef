//! What a provider's failure means for an agent. Providers answer in their own codes and
//! English; [`FailureKind::of`] sorts each channel's codes into a few kinds the app says in
//! the agent's language, and says whether sending the same message again can help.

use crate::rules::{self, Draft, Permit, Refusal, Situation};
use crate::{Channel, Failure, Message, MessageStatus};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FailureKind {
    /// Switched off, out of coverage, a mail server that said "later": it may work later.
    Unreachable,
    /// The address does not exist or cannot receive this channel (a landline, not on WhatsApp).
    InvalidRecipient,
    /// The customer blocked this account, or is not available to it.
    Blocked,
    /// The customer asked to receive nothing more (STOP, or marketing turned off).
    OptedOut,
    /// The reply window had closed: only a template (or the human-agent tag) can go.
    WindowClosed,
    /// Filtered by the carrier or mail server as spam or for its content.
    Filtered,
    /// Too many messages too quickly: the provider asked to slow down.
    RateLimited,
    /// The provider could not be reached, or had trouble of its own.
    ProviderTrouble,
    /// This inbox's credentials or settings are wrong: someone must fix them first.
    Misconfigured,
    /// No usable answer came from the provider: the message may have gone out. Sending it
    /// again could reach the customer twice.
    MayHaveGone,
    /// The server stopped before handing it over: it surely did not go.
    NotSent,
    /// A code we do not know.
    Unknown,
}

impl FailureKind {
    pub const ALL: [FailureKind; 12] = [
        FailureKind::Unreachable,
        FailureKind::InvalidRecipient,
        FailureKind::Blocked,
        FailureKind::OptedOut,
        FailureKind::WindowClosed,
        FailureKind::Filtered,
        FailureKind::RateLimited,
        FailureKind::ProviderTrouble,
        FailureKind::Misconfigured,
        FailureKind::MayHaveGone,
        FailureKind::NotSent,
        FailureKind::Unknown,
    ];

    /// The kind of a failure on `channel`, from its provider's code.
    pub fn of(channel: Channel, failure: &Failure) -> FailureKind {
        use FailureKind::*;
        let code = failure.code.as_str();
        // Ours, whatever the channel (see the server's providers and outbox).
        match code {
            "provider_unreachable" => return ProviderTrouble,
            "provider_unavailable" => return Misconfigured,
            "outcome_unknown" => return MayHaveGone,
            "not_sent" => return NotSent,
            "invalid_address" => return InvalidRecipient,
            _ => {}
        }
        match channel {
            // Twilio's error dictionary.
            Channel::Sms => match code {
                "30003" => Unreachable,
                "30005" | "30006" | "21211" | "21614" | "21612" => InvalidRecipient,
                "30004" => Blocked,
                "21610" => OptedOut,
                "30007" => Filtered,
                "20429" | "14107" | "30022" => RateLimited,
                "30001" | "30008" | "30009" | "30010" => ProviderTrouble,
                "20003" | "20404" | "21606" | "21608" => Misconfigured,
                _ => Unknown,
            },
            // WhatsApp Cloud API error codes.
            Channel::Whatsapp => match code {
                "131026" => InvalidRecipient,
                "131047" => WindowClosed,
                "131050" => OptedOut,
                "131048" | "131049" | "131056" | "130429" | "80007" => RateLimited,
                "131000" | "131016" | "1" | "2" => ProviderTrouble,
                "190" | "10" | "200" | "131030" | "131031" | "132000" | "132001" => Misconfigured,
                _ => Unknown,
            },
            // The Messenger Platform's Send API: the subcode when Meta gives one.
            Channel::Messenger | Channel::Instagram => match code {
                "551" | "1545041" => Blocked,
                "2018278" | "2534022" => WindowClosed,
                "100" | "2018001" => InvalidRecipient,
                "4" | "613" | "32" => RateLimited,
                "1" | "2" | "1200" => ProviderTrouble,
                "10" | "190" | "200" | "230" => Misconfigured,
                _ => Unknown,
            },
            // The Bot API's error_code (HTTP-like).
            Channel::Telegram => match code {
                "403" => Blocked,
                "400" => InvalidRecipient,
                "429" => RateLimited,
                "401" | "404" => Misconfigured,
                c if c.starts_with('5') => ProviderTrouble,
                _ => Unknown,
            },
            // SMTP reply codes: 4xx are temporary, 5xx permanent.
            Channel::Email => match code {
                "550" | "551" | "553" | "501" => InvalidRecipient,
                "552" | "554" => Filtered,
                "535" | "530" => Misconfigured,
                "smtp" => ProviderTrouble,
                c if c.starts_with('4') => Unreachable,
                _ => Unknown,
            },
            Channel::Line => match code {
                "403" => Blocked,
                "429" => RateLimited,
                "400" => InvalidRecipient,
                _ => Unknown,
            },
            Channel::Viber => match code {
                "6" => Blocked,
                "5" => InvalidRecipient,
                "12" => RateLimited,
                _ => Unknown,
            },
            Channel::Webchat => match code {
                "visitor_gone" => Unreachable,
                _ => Unknown,
            },
        }
    }

    /// Whether sending the same message again can reach the customer: later, or once the
    /// provider (or whoever fixes the inbox) is back. Not for a wrong address, a block, an
    /// opt-out, a closed window or a filter: those fail again the same way.
    pub fn retry_helps(self) -> bool {
        matches!(
            self,
            FailureKind::Unreachable
                | FailureKind::RateLimited
                | FailureKind::ProviderTrouble
                | FailureKind::Misconfigured
                | FailureKind::NotSent
                | FailureKind::Unknown
        )
    }
}

/// Why a message cannot be sent again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RetryRefusal {
    /// It has not failed.
    NotFailed,
    /// It would fail the same way.
    WontHelp(FailureKind),
    /// The channel's rules refuse it now, as they would a new message.
    Rules(Refusal),
}

/// May this failed message of a conversation in `situation` be sent again now? The one
/// answer for the retry button and the server.
pub fn check_retry(situation: &Situation, message: &Message) -> Result<Permit, RetryRefusal> {
    let (Some(MessageStatus::Failed), Some(failure)) = (message.status, &message.failure) else {
        return Err(RetryRefusal::NotFailed);
    };
    let kind = FailureKind::of(situation.channel, failure);
    if !kind.retry_helps() {
        return Err(RetryRefusal::WontHelp(kind));
    }
    // It is already counted among the messages the customer has not answered.
    let situation = Situation {
        unanswered: situation.unanswered.saturating_sub(1),
        ..*situation
    };
    let draft = Draft {
        text: &message.text,
        template: message.template.is_some(),
        human_agent: message.human_agent,
        ..Draft::default()
    };
    rules::check(&situation, &draft).map_err(RetryRefusal::Rules)
}

#[cfg(test)]
mod tests {
    use super::FailureKind::{self, *};
    use super::{RetryRefusal, check_retry};
    use crate::rules::{Permit, Refusal, Situation};
    use crate::{Channel, Failure};

    fn kind(channel: Channel, code: &str) -> FailureKind {
        FailureKind::of(
            channel,
            &Failure {
                code: code.into(),
                reason: String::new(),
            },
        )
    }

    #[test]
    fn each_providers_codes_sort_into_kinds() {
        let table = [
            (Channel::Sms, "30003", Unreachable),
            (Channel::Sms, "30006", InvalidRecipient),
            (Channel::Sms, "21610", OptedOut),
            (Channel::Sms, "30007", Filtered),
            (Channel::Whatsapp, "131026", InvalidRecipient),
            (Channel::Whatsapp, "131047", WindowClosed),
            (Channel::Whatsapp, "130429", RateLimited),
            (Channel::Whatsapp, "131000", ProviderTrouble),
            (Channel::Whatsapp, "131030", Misconfigured),
            (Channel::Messenger, "551", Blocked),
            (Channel::Instagram, "2018278", WindowClosed),
            (Channel::Email, "outcome_unknown", MayHaveGone),
            (Channel::Telegram, "not_sent", NotSent),
            (Channel::Email, "invalid_address", InvalidRecipient),
            (Channel::Telegram, "403", Blocked),
            (Channel::Telegram, "502", ProviderTrouble),
            (Channel::Email, "550", InvalidRecipient),
            (Channel::Email, "451", Unreachable),
            (Channel::Viber, "6", Blocked),
            (Channel::Webchat, "visitor_gone", Unreachable),
            (Channel::Sms, "provider_unreachable", ProviderTrouble),
            (Channel::Email, "provider_unavailable", Misconfigured),
            (Channel::Sms, "99999", Unknown),
        ];
        for (channel, code, expected) in table {
            assert_eq!(kind(channel, code), expected, "{channel:?} {code}");
        }
    }

    #[test]
    fn the_same_code_means_what_its_channel_says() {
        // 403 is a blocked bot on Telegram, an unknown code on SMS.
        assert_eq!(kind(Channel::Telegram, "403"), Blocked);
        assert_eq!(kind(Channel::Sms, "403"), Unknown);
    }

    fn failed(channel_code: &str, template: Option<&str>) -> crate::Message {
        crate::Message {
            id: crate::MessageId(1),
            conversation_id: crate::ConversationId(1),
            direction: crate::Direction::Out,
            author: Some(crate::AgentId(1)),
            text: "¿Sigues ahí?".into(),
            client_id: None,
            status: Some(crate::MessageStatus::Failed),
            failure: Some(Failure {
                code: channel_code.into(),
                reason: "provider's words".into(),
            }),
            human_agent: false,
            note: false,
            attachments: Vec::new(),
            template: template.map(Into::into),
            attempt: 0,
            created_at: chrono::DateTime::UNIX_EPOCH,
        }
    }

    fn situation(channel: Channel, hours_since_customer: i64, unanswered: u32) -> Situation {
        let now = chrono::Utc::now();
        Situation {
            channel,
            last_inbound_at: Some(now - chrono::Duration::hours(hours_since_customer)),
            unanswered,
            opted_out: false,
            now,
        }
    }

    #[test]
    fn a_failed_message_goes_again_when_retrying_helps_and_the_rules_allow_it() {
        let sms = situation(Channel::Sms, 1, 1);
        assert_eq!(check_retry(&sms, &failed("30003", None)), Ok(Permit::Free));
        assert_eq!(
            check_retry(&sms, &failed("21610", None)),
            Err(RetryRefusal::WontHelp(OptedOut))
        );
        let mut delivered = failed("30003", None);
        delivered.status = Some(crate::MessageStatus::Delivered);
        assert_eq!(check_retry(&sms, &delivered), Err(RetryRefusal::NotFailed));
        let opted_out = Situation {
            opted_out: true,
            ..sms
        };
        assert_eq!(
            check_retry(&opted_out, &failed("30003", None)),
            Err(RetryRefusal::Rules(Refusal::OptedOut))
        );
    }

    #[test]
    fn a_retry_meets_the_window_as_it_is_now() {
        let closed = situation(Channel::Whatsapp, 25, 1);
        assert!(matches!(
            check_retry(&closed, &failed("131000", None)),
            Err(RetryRefusal::Rules(Refusal::WindowClosed { .. }))
        ));
        let template = failed("131000", Some("seguimiento_pedido"));
        assert_eq!(check_retry(&closed, &template), Ok(Permit::Template));
    }

    #[test]
    fn the_message_sent_again_is_not_counted_twice_among_the_unanswered() {
        // Viber allows five in a row; the failed one is the fifth.
        let viber = situation(Channel::Viber, 1, 5);
        assert_eq!(check_retry(&viber, &failed("12", None)), Ok(Permit::Free));
        let sixth = situation(Channel::Viber, 1, 6);
        assert!(matches!(
            check_retry(&sixth, &failed("12", None)),
            Err(RetryRefusal::Rules(Refusal::TooManyUnanswered { .. }))
        ));
    }

    #[test]
    fn retrying_helps_only_where_the_same_message_can_get_through() {
        assert!(kind(Channel::Sms, "30003").retry_helps());
        assert!(kind(Channel::Whatsapp, "131000").retry_helps());
        assert!(
            kind(Channel::Sms, "12345").retry_helps(),
            "unknown: the agent may try"
        );
        for (channel, code) in [
            (Channel::Whatsapp, "131026"),
            (Channel::Whatsapp, "131047"),
            (Channel::Sms, "21610"),
            (Channel::Telegram, "403"),
            (Channel::Email, "550"),
            (Channel::Sms, "30007"),
            (Channel::Whatsapp, "outcome_unknown"),
        ] {
            assert!(!kind(channel, code).retry_helps(), "{channel:?} {code}");
        }
    }
}
