//! The channels customers write over, and the facts about each that do not depend on time.
//! (Messaging windows and attachment rules grow here: see `../shared/CHANNELS.md`.)

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Sms,
    Email,
    Whatsapp,
    Messenger,
    Instagram,
    Telegram,
    Line,
    Viber,
    Webchat,
}

impl Channel {
    pub const ALL: [Channel; 9] = [
        Channel::Whatsapp,
        Channel::Sms,
        Channel::Email,
        Channel::Messenger,
        Channel::Instagram,
        Channel::Telegram,
        Channel::Line,
        Channel::Viber,
        Channel::Webchat,
    ];

    /// The wire name, as used in JSON and URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Sms => "sms",
            Channel::Email => "email",
            Channel::Whatsapp => "whatsapp",
            Channel::Messenger => "messenger",
            Channel::Instagram => "instagram",
            Channel::Telegram => "telegram",
            Channel::Line => "line",
            Channel::Viber => "viber",
            Channel::Webchat => "webchat",
        }
    }

    /// The product's own name, the same in every language.
    pub fn display_name(self) -> &'static str {
        match self {
            Channel::Sms => "SMS",
            Channel::Email => "Email",
            Channel::Whatsapp => "WhatsApp",
            Channel::Messenger => "Messenger",
            Channel::Instagram => "Instagram",
            Channel::Telegram => "Telegram",
            Channel::Line => "LINE",
            Channel::Viber => "Viber",
            Channel::Webchat => "Web chat",
        }
    }

    /// Longest text one message may carry on this channel, in characters (Unicode scalar values).
    pub fn max_text_chars(self) -> usize {
        self.rules().max_text_chars
    }

    /// Whether the provider tells us a message reached the customer's device.
    pub fn reports_delivered(self) -> bool {
        self.rules().reports_delivered
    }

    /// Whether the provider tells us the customer saw a message.
    pub fn reports_read(self) -> bool {
        self.rules().reports_read
    }

    /// A customer's handle in one canonical form, so the same customer is one contact however
    /// the address is typed: phone numbers keep their digits and a leading `+`, email
    /// addresses are lower-cased, other handles trimmed. `None` when it is not an address of
    /// this channel.
    pub fn normalize_handle(self, raw: &str) -> Option<String> {
        const MAX_HANDLE: usize = 320; // the longest email address
        let raw = raw.trim();
        let handle = if self.uses_phone_numbers() {
            let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
            let plus = if raw.starts_with('+') { "+" } else { "" };
            let only_phone_characters = raw
                .chars()
                .all(|c| c.is_ascii_digit() || " +-().".contains(c));
            if !only_phone_characters || !(5..=15).contains(&digits.len()) {
                return None;
            }
            format!("{plus}{digits}")
        } else if self == Channel::Email {
            let lower = raw.to_lowercase();
            let (user, domain) = lower.split_once('@')?;
            if user.is_empty() || !domain.contains('.') || lower.contains(char::is_whitespace) {
                return None;
            }
            lower
        } else {
            if raw.chars().any(char::is_control) {
                return None;
            }
            raw.to_owned()
        };
        (!handle.is_empty() && handle.len() <= MAX_HANDLE).then_some(handle)
    }

    /// The channels an agent can start a conversation on: the customer's address is a phone
    /// number or an email address known up front. Elsewhere (Messenger, Telegram...) only the
    /// customer can open the conversation.
    pub const STARTABLE: [Channel; 3] = [Channel::Sms, Channel::Whatsapp, Channel::Email];

    pub fn can_start(self) -> bool {
        Self::STARTABLE.contains(&self)
    }

    /// The address an agent typed to start a conversation, in canonical form: a phone number
    /// in international form (`+` and the country code, spaces and dashes allowed), or an
    /// email address. `None` when it is not one this channel can reach.
    pub fn outbound_address(self, typed: &str) -> Option<String> {
        let typed = typed.trim();
        if self.uses_phone_numbers() && !typed.starts_with('+') {
            return None;
        }
        let handle = self.normalize_handle(typed)?;
        let phone_ok = !self.uses_phone_numbers()
            || (8..=15).contains(&handle.chars().filter(char::is_ascii_digit).count());
        (self.can_start() && phone_ok).then_some(handle)
    }

    /// The furthest status this channel's provider reports: a message that reached it will
    /// hear nothing more.
    pub fn last_reported_status(self) -> crate::MessageStatus {
        if self.reports_read() {
            crate::MessageStatus::Read
        } else if self.reports_delivered() {
            crate::MessageStatus::Delivered
        } else {
            crate::MessageStatus::Sent
        }
    }

    /// Whether a message in `status` still waits for reports on this channel.
    pub fn awaits_reports(self, status: crate::MessageStatus) -> bool {
        status != crate::MessageStatus::Failed
            && status.advance(self.last_reported_status()).is_some()
    }

    /// Whether a contact on this channel is identified by a phone number.
    pub fn uses_phone_numbers(self) -> bool {
        matches!(self, Channel::Sms | Channel::Whatsapp | Channel::Viber)
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownChannel(pub String);

impl fmt::Display for UnknownChannel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown channel `{}`", self.0)
    }
}

impl std::error::Error for UnknownChannel {}

impl FromStr for Channel {
    type Err = UnknownChannel;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Channel::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| UnknownChannel(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_channel_parses_back_from_its_wire_name() {
        for channel in Channel::ALL {
            assert_eq!(channel.as_str().parse::<Channel>(), Ok(channel));
            assert_eq!(
                serde_json::to_value(channel).unwrap(),
                serde_json::Value::String(channel.as_str().into())
            );
        }
    }

    #[test]
    fn phone_numbers_are_one_contact_however_they_are_typed() {
        let a = Channel::Whatsapp.normalize_handle("+34 600 123 456");
        let b = Channel::Whatsapp.normalize_handle("+34-600-123-456");
        assert_eq!(a.as_deref(), Some("+34600123456"));
        assert_eq!(a, b);
    }

    #[test]
    fn garbage_is_not_a_phone_number_or_an_email_address() {
        assert_eq!(Channel::Sms.normalize_handle("call me"), None);
        assert_eq!(Channel::Sms.normalize_handle("12"), None);
        assert_eq!(Channel::Email.normalize_handle("no-at-sign"), None);
        assert_eq!(Channel::Telegram.normalize_handle("   "), None);
        assert_eq!(
            Channel::Telegram.normalize_handle("@a\nb"),
            None,
            "control characters"
        );
    }

    #[test]
    fn an_agent_starts_with_an_international_number_or_an_email_address() {
        assert_eq!(
            Channel::Sms
                .outbound_address(" +34 600 11 22 33 ")
                .as_deref(),
            Some("+34600112233")
        );
        assert_eq!(
            Channel::Sms.outbound_address("600112233"),
            None,
            "no country code"
        );
        assert_eq!(
            Channel::Whatsapp.outbound_address("+34 6"),
            None,
            "too short"
        );
        assert_eq!(
            Channel::Email
                .outbound_address("Pablo@Example.com")
                .as_deref(),
            Some("pablo@example.com")
        );
        assert_eq!(Channel::Email.outbound_address("pablo@"), None);
        assert_eq!(
            Channel::Telegram.outbound_address("@pablo"),
            None,
            "not startable"
        );
    }

    #[test]
    fn email_addresses_are_lower_cased() {
        assert_eq!(
            Channel::Email
                .normalize_handle(" Marta@Example.COM ")
                .as_deref(),
            Some("marta@example.com")
        );
    }

    #[test]
    fn a_message_awaits_reports_only_until_its_channel_has_said_all_it_says() {
        use crate::MessageStatus::*;
        assert!(Channel::Whatsapp.awaits_reports(Delivered));
        assert!(!Channel::Whatsapp.awaits_reports(Read));
        assert!(
            !Channel::Sms.awaits_reports(Delivered),
            "SMS never reports read"
        );
        assert!(
            !Channel::Email.awaits_reports(Sent),
            "email reports nothing after sent"
        );
        assert!(Channel::Email.awaits_reports(Sending));
        assert!(!Channel::Whatsapp.awaits_reports(Failed));
    }

    #[test]
    fn unknown_channel_names_are_refused() {
        assert!("fax".parse::<Channel>().is_err());
        assert!("WhatsApp".parse::<Channel>().is_err());
    }
}
