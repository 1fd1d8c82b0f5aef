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
        match self {
            Channel::Sms => 1_600,
            Channel::Whatsapp | Channel::Telegram => 4_096,
            Channel::Messenger => 2_000,
            Channel::Instagram | Channel::Viber => 1_000,
            Channel::Line => 5_000,
            Channel::Email | Channel::Webchat => 25_000,
        }
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
    fn unknown_channel_names_are_refused() {
        assert!("fax".parse::<Channel>().is_err());
        assert!("WhatsApp".parse::<Channel>().is_err());
    }
}
