//! What the text box suggests as the agent types: the word at the caret (`/` for saved
//! replies, `:` and two letters for emojis), what matches it, and what picking one writes.

use super::ReplyContext;
use super::matching::rank;
use super::trigger::{Typed, replace_range, typed_at};
use crate::compose::PickItem;
use crate::emoji::Emojis;
use switchboard_protocol::quick_replies::QuickReply;
use switchboard_protocol::variables::fill;

/// At most this many suggestions are offered at once.
pub const PICKER_ROWS: usize = 8;

/// What a word at the caret asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trigger {
    Reply,
    Emoji,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Suggestion {
    Reply(QuickReply),
    /// `insert` is in the agent's skin tone; `glyph` is remembered as recently used.
    Emoji {
        insert: String,
        glyph: String,
        name: String,
    },
}

impl Suggestion {
    pub fn item(&self) -> PickItem {
        match self {
            Suggestion::Reply(reply) => PickItem {
                title: reply.title.clone(),
                shortcut: Some(reply.shortcut.clone()),
                preview: reply.body.clone(),
            },
            Suggestion::Emoji { insert, name, .. } => PickItem {
                title: format!("{insert}  {name}"),
                shortcut: None,
                preview: String::new(),
            },
        }
    }
}

/// The word at the caret, when it asks for something: `/` and anything after it for saved
/// replies, `:` and two letters for emojis.
pub fn word_at_caret(text: &str, caret: usize) -> Option<(Trigger, Typed)> {
    typed_at(text, caret, '/', 0)
        .map(|typed| (Trigger::Reply, typed))
        .or_else(|| typed_at(text, caret, ':', 2).map(|typed| (Trigger::Emoji, typed)))
}

/// Escape closed the list for the word starting at `dismissed`: it stays closed while that
/// word is at the caret; once the word is gone a new `/` opens it again.
pub fn still_dismissed(dismissed: Option<usize>, word_start: Option<usize>) -> Option<usize> {
    dismissed.filter(|at| Some(*at) == word_start)
}

/// The saved replies matching `query`, best first.
pub fn replies_for(query: &str, available: &[QuickReply]) -> Vec<Suggestion> {
    rank(query, available, |r: &QuickReply| {
        vec![r.shortcut.as_str(), r.title.as_str()]
    })
    .into_iter()
    .take(PICKER_ROWS)
    .map(|i| Suggestion::Reply(available[i].clone()))
    .collect()
}

/// The emojis matching `query`, in the agent's skin tone and language.
pub fn emojis_for(query: &str, emojis: &Emojis, tone: usize, spanish: bool) -> Vec<Suggestion> {
    emojis
        .search(query, PICKER_ROWS)
        .into_iter()
        .map(|e| Suggestion::Emoji {
            insert: e.in_tone(tone).to_owned(),
            glyph: e.glyph.clone(),
            name: e.name(spanish).to_owned(),
        })
        .collect()
}

/// What picking a suggestion writes: a saved reply with its variables filled in for this
/// conversation, or the emoji.
pub fn inserted(suggestion: &Suggestion, context: &ReplyContext) -> String {
    match suggestion {
        Suggestion::Reply(reply) => fill(&reply.body, &context.values()),
        Suggestion::Emoji { insert, .. } => insert.clone(),
    }
}

/// The text with `insert` in place of the typed word (`replace_typed`) or at the caret, and
/// the caret after it.
pub fn insertion(
    text: &str,
    typed: Option<&Typed>,
    caret: usize,
    insert: &str,
    replace_typed: bool,
) -> (String, usize) {
    let (start, end) = match typed {
        Some(typed) if replace_typed => (typed.start, typed.end),
        _ => (caret, caret),
    };
    replace_range(text, start, end, insert)
}

#[cfg(test)]
mod tests {
    use super::*;
    use switchboard_protocol::quick_replies::Scope;
    use switchboard_protocol::{AgentId, QuickReplyId};

    fn reply(shortcut: &str, body: &str) -> QuickReply {
        QuickReply {
            id: QuickReplyId(1),
            shortcut: shortcut.into(),
            title: format!("Title of {shortcut}"),
            body: body.into(),
            scope: Scope::Personal,
            author: AgentId(1),
        }
    }

    #[test]
    fn a_slash_word_asks_for_saved_replies_and_a_colon_and_two_letters_for_emojis() {
        let (trigger, typed) = word_at_caret("Hola /env", 9).unwrap();
        assert_eq!((trigger, typed.query.as_str()), (Trigger::Reply, "env"));
        assert_eq!(word_at_caret("ok :s", 5), None, "one letter is not enough");
        assert_eq!(
            word_at_caret("ok :so", 6).map(|w| w.0),
            Some(Trigger::Emoji)
        );
        assert_eq!(word_at_caret("12:30", 5), None);
    }

    #[test]
    fn escape_closes_the_list_for_that_word_only() {
        assert_eq!(still_dismissed(Some(5), Some(5)), Some(5), "same word");
        assert_eq!(still_dismissed(Some(5), None), None, "the word is gone");
        assert_eq!(still_dismissed(Some(5), Some(9)), None, "another word");
        assert_eq!(still_dismissed(None, Some(5)), None);
    }

    #[test]
    fn a_picked_reply_takes_the_typed_words_place_filled_in_for_this_contact() {
        let text = "Hola /gra y más";
        let (_, typed) = word_at_caret(text, 9).unwrap();
        let context = ReplyContext {
            contact_name: Some("Elena Ruiz".into()),
            ..ReplyContext::default()
        };
        let body = inserted(
            &Suggestion::Reply(reply("gracias", "Gracias, {{contact.first_name}}")),
            &context,
        );
        assert_eq!(body, "Gracias, Elena");
        assert_eq!(
            insertion(text, Some(&typed), 9, &body, true),
            ("Hola Gracias, Elena y más".to_owned(), 19)
        );
    }

    #[test]
    fn picked_from_the_browser_or_the_emoji_picker_it_goes_at_the_caret() {
        let typed = word_at_caret("/x hola", 2).map(|w| w.1);
        assert_eq!(
            insertion("/x hola", typed.as_ref(), 7, "😀", false),
            ("/x hola😀".to_owned(), 9),
            "the caret counts UTF-16 units"
        );
    }

    #[test]
    fn saved_replies_are_ranked_by_shortcut_and_title_and_capped() {
        let many: Vec<QuickReply> = (0..20).map(|i| reply(&format!("envio{i}"), "")).collect();
        assert_eq!(replies_for("envio", &many).len(), PICKER_ROWS);
        let found = replies_for("grac", &[reply("envio", ""), reply("gracias", "")]);
        assert!(matches!(&found[..], [Suggestion::Reply(r)] if r.shortcut == "gracias"));
    }
}
