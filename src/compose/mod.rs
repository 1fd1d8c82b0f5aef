//! The composer's logic, apart from its views: what the agent is typing at the caret, how
//! saved replies and emojis are found from a few letters (pure, tested natively), the text
//! box's state machine and the files' upload queue (controllers the components render).

pub mod files;
pub mod guard;
pub mod matching;
pub mod suggestions;
pub mod text_controller;
pub mod trigger;

use switchboard_protocol::InboxId;
use switchboard_protocol::variables::{Placeholder, Values};

/// What the variables of saved replies stand for in the open conversation.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReplyContext {
    pub inbox: Option<InboxId>,
    pub inbox_name: String,
    pub contact_name: Option<String>,
    pub contact_handle: String,
    pub agent_name: String,
}

impl ReplyContext {
    pub fn values(&self) -> Values<'_> {
        Values {
            contact_name: self.contact_name.as_deref(),
            contact_handle: &self.contact_handle,
            agent_name: &self.agent_name,
            inbox_name: &self.inbox_name,
        }
    }
}

/// A file's kind in a word, for chips: `PDF`, `Word`, `Excel`, else its extension.
pub fn file_kind_label(content_type: &str, name: &str) -> String {
    let named = match content_type {
        "application/pdf" => Some("PDF"),
        "application/msword"
        | "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => Some("Word"),
        "application/vnd.ms-excel"
        | "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => Some("Excel"),
        _ => None,
    };
    if let Some(named) = named {
        return named.to_owned();
    }
    match name.rsplit_once('.') {
        Some((_, extension)) if !extension.is_empty() && extension.len() <= 5 => {
            extension.to_uppercase()
        }
        _ => content_type
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_uppercase(),
    }
}

/// One row of a list to pick from (saved replies, emojis, templates).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PickItem {
    pub title: String,
    /// Shown as `/shortcut`.
    pub shortcut: Option<String>,
    pub preview: String,
}

/// What a key does in an open list: move, pick the active item, or close it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListKey {
    Up,
    Down,
    Pick,
    Close,
}

pub fn list_key(key: &str) -> Option<ListKey> {
    match key {
        "ArrowUp" => Some(ListKey::Up),
        "ArrowDown" => Some(ListKey::Down),
        "Enter" | "Tab" => Some(ListKey::Pick),
        "Escape" => Some(ListKey::Close),
        _ => None,
    }
}

/// What a key does to an open list of `len` items, if anything: nothing while an input method
/// composes a character, and Enter or Tab pick only when there is something to pick.
pub fn list_action(key: &str, composing: bool, len: usize) -> Option<ListKey> {
    let action = list_key(key)?;
    if composing || (action == ListKey::Pick && len == 0) {
        None
    } else {
        Some(action)
    }
}

/// The next active index after Up or Down, wrapping around.
pub fn step(active: usize, len: usize, key: ListKey) -> usize {
    match (key, len) {
        (_, 0) => 0,
        (ListKey::Down, len) => (active + 1) % len,
        (ListKey::Up, len) => (active + len - 1) % len,
        _ => active.min(len - 1),
    }
}

/// A text cut into runs, `true` for the runs to highlight (unfilled variables).
pub fn highlighted(text: &str, marks: &[Placeholder]) -> Vec<(String, bool)> {
    let mut runs = Vec::new();
    let mut from = 0;
    for mark in marks {
        if mark.start > from {
            runs.push((text[from..mark.start].to_owned(), false));
        }
        runs.push((text[mark.start..mark.end].to_owned(), true));
        from = mark.end;
    }
    runs.push((text[from..].to_owned(), false));
    runs
}

#[cfg(test)]
mod tests {
    use super::*;
    use switchboard_protocol::variables::{fill, placeholders};

    #[test]
    fn files_are_named_by_kind() {
        assert_eq!(file_kind_label("application/pdf", "factura"), "PDF");
        assert_eq!(
            file_kind_label(
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "a.docx"
            ),
            "Word"
        );
        assert_eq!(file_kind_label("text/plain", "pedidos.csv"), "CSV");
        assert_eq!(file_kind_label("audio/ogg", "nota"), "OGG");
    }

    #[test]
    fn arrows_wrap_around_the_list() {
        assert_eq!(step(2, 3, ListKey::Down), 0);
        assert_eq!(step(0, 3, ListKey::Up), 2);
        assert_eq!(step(5, 0, ListKey::Down), 0);
        assert_eq!(list_key("Tab"), Some(ListKey::Pick));
        assert_eq!(list_key("a"), None);
    }

    #[test]
    fn an_empty_list_picks_nothing_and_an_input_method_keeps_its_keys() {
        assert_eq!(list_action("Enter", false, 0), None);
        assert_eq!(list_action("Escape", false, 0), Some(ListKey::Close));
        assert_eq!(list_action("Enter", true, 3), None);
        assert_eq!(list_action("ArrowDown", false, 3), Some(ListKey::Down));
    }

    #[test]
    fn a_reply_is_filled_for_this_contact_and_what_is_left_is_highlighted() {
        let context = ReplyContext {
            contact_name: None,
            agent_name: "Ana García".into(),
            ..ReplyContext::default()
        };
        let text = fill(
            "Hola {{contact.first_name}}, soy {{agent.first_name}}.",
            &context.values(),
        );
        assert_eq!(text, "Hola {{contact.first_name}}, soy Ana.");
        let runs = highlighted(&text, &placeholders(&text));
        assert_eq!(
            runs,
            [
                ("Hola ".to_owned(), false),
                ("{{contact.first_name}}".to_owned(), true),
                (", soy Ana.".to_owned(), false),
            ]
        );
    }
}
