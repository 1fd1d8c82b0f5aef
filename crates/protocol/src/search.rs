//! Search: what an agent's query means, and what the server answers.
//!
//! `GET /api/v1/search?q=` finds contacts (by name, handle or any formatting of their phone
//! number), conversations and messages (by their words, accent- and case-blind), closed ones
//! included, among what the agent may see. The words of a query are read here, once, so the
//! server's index and anything that highlights a match agree on what a word is.

use crate::{Contact, ConversationId, ConversationStatus, Direction, MessageId};
use serde::{Deserialize, Serialize};

/// The longest query, in characters.
pub const MAX_QUERY_CHARS: usize = 200;
/// At most this many words of a query are looked for.
pub const MAX_WORDS: usize = 8;
/// The most results of one group in one answer.
pub const MAX_LIMIT: u32 = 50;

/// A query, read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Query {
    /// Its words, lowercased, in order: letters and digits, split at anything else.
    pub words: Vec<String>,
    /// Whether the last word is still being typed (no space after it): it matches as a prefix.
    pub typing: bool,
    /// The digits of a query that looks like a phone number ("+34 600 11 22 33", "600112233"),
    /// with an international "00" dropped.
    pub phone_digits: Option<String>,
}

/// Why a query cannot be searched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Invalid {
    TooLong,
    NoWords,
}

impl Invalid {
    pub fn message(self) -> String {
        match self {
            Invalid::TooLong => format!("A search can be at most {MAX_QUERY_CHARS} characters."),
            Invalid::NoWords => "Type a word, a name or a number to search for.".to_owned(),
        }
    }
}

impl Query {
    pub fn parse(text: &str) -> Result<Query, Invalid> {
        if text.chars().count() > MAX_QUERY_CHARS {
            return Err(Invalid::TooLong);
        }
        let words: Vec<String> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .take(MAX_WORDS)
            .map(str::to_lowercase)
            .collect();
        if words.is_empty() {
            return Err(Invalid::NoWords);
        }
        let typing = text.chars().last().is_some_and(char::is_alphanumeric);
        let phone_like = text
            .trim()
            .chars()
            .all(|c| c.is_ascii_digit() || " +-().".contains(c));
        let digits: String = text.chars().filter(char::is_ascii_digit).collect();
        let digits = digits.strip_prefix("00").unwrap_or(&digits).to_owned();
        let phone_digits = (phone_like && digits.len() >= 3).then_some(digits);
        Ok(Query {
            words,
            typing,
            phone_digits,
        })
    }
}

/// Which group of results to page through.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    /// The first page of every group.
    #[default]
    All,
    Contacts,
    Conversations,
    Messages,
}

/// A piece of a message's text around what matched: `hit` pieces are the matching words.
/// Shown as text (never as HTML), the hits marked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Piece {
    pub text: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub hit: bool,
}

/// The conversation a result opens, as a row would say it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationRef {
    pub id: ConversationId,
    pub contact: Contact,
    pub status: ConversationStatus,
    /// Milliseconds since the epoch.
    pub last_activity_at: i64,
}

/// A message or note whose words matched, opened at that message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageHit {
    pub message: MessageId,
    pub conversation: ConversationRef,
    pub direction: Option<Direction>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub note: bool,
    /// Milliseconds since the epoch.
    pub at: i64,
    pub snippet: Vec<Piece>,
}

/// One group's page: `more` when a next page exists (`offset` or, for messages, `before`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub more: bool,
}

impl<T> Default for Page<T> {
    fn default() -> Self {
        Page {
            items: Vec::new(),
            more: false,
        }
    }
}

/// `GET /api/v1/search`: the groups asked for (`in`), the others empty. Contacts are those
/// whose name, handle or number matched, by name, each with their newest conversation the
/// agent may see (the one the result opens); conversations are those whose messages hold the
/// words, newest activity first; messages newest first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Results {
    pub contacts: Page<ConversationRef>,
    pub conversations: Page<ConversationRef>,
    pub messages: Page<MessageHit>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_letters_and_digits_lowercased_split_at_anything_else() {
        let query = Query::parse("¿El CAMIÓN llegó?").unwrap();
        assert_eq!(query.words, ["el", "camión", "llegó"]);
        assert!(
            !query.typing,
            "a query ending in a mark is not a word being typed"
        );
        assert!(Query::parse("camio").unwrap().typing);
    }

    #[test]
    fn a_phone_number_in_any_formatting_is_read_as_its_digits() {
        for text in [
            "+34 600 11 22 33",
            "34600112233",
            "0034 600-11-22-33",
            "(34) 600.11.22.33",
        ] {
            assert_eq!(
                Query::parse(text).unwrap().phone_digits.as_deref(),
                Some("34600112233"),
                "{text}"
            );
        }
        assert_eq!(
            Query::parse("600112233").unwrap().phone_digits.as_deref(),
            Some("600112233")
        );
        assert_eq!(Query::parse("pedido 600").unwrap().phone_digits, None);
        assert_eq!(
            Query::parse("12").unwrap().phone_digits,
            None,
            "too short to be a number"
        );
    }

    #[test]
    fn a_query_without_words_or_too_long_is_refused() {
        assert_eq!(Query::parse("  ¿? -- "), Err(Invalid::NoWords));
        assert_eq!(
            Query::parse(&"a".repeat(MAX_QUERY_CHARS + 1)),
            Err(Invalid::TooLong)
        );
        assert_eq!(
            Query::parse(&"palabra ".repeat(20)).unwrap().words.len(),
            MAX_WORDS
        );
    }
}
