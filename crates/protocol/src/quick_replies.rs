//! Saved replies an agent inserts with `/shortcut`: shared with an inbox's team or personal.
//! Their bodies may hold variables (see [`crate::variables`]) filled in on insert.

use crate::{AgentId, InboxId, QuickReplyId};
use serde::{Deserialize, Serialize};

/// Who a quick reply belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Scope {
    /// Only its author sees and uses it.
    Personal,
    /// Everyone in the inbox sees, uses and edits it.
    Inbox { inbox_id: InboxId },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuickReply {
    pub id: QuickReplyId,
    /// Typed after `/` to insert it: `envio`, `gracias`.
    pub shortcut: String,
    pub title: String,
    pub body: String,
    pub scope: Scope,
    pub author: AgentId,
}

/// `POST /api/v1/quick-replies` and `PUT /api/v1/quick-replies/{id}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaveQuickReply {
    pub shortcut: String,
    pub title: String,
    pub body: String,
    /// `None`: personal.
    #[serde(default)]
    pub inbox_id: Option<InboxId>,
}

pub const MAX_SHORTCUT_CHARS: usize = 32;
pub const MAX_TITLE_CHARS: usize = 80;
pub const MAX_BODY_CHARS: usize = 4_000;

/// What is wrong with a quick reply, field by field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Invalid {
    ShortcutEmpty,
    /// Letters, digits, `-` and `_` only, so that `/` + shortcut is one word.
    ShortcutCharacters,
    ShortcutTooLong,
    TitleEmpty,
    TitleTooLong,
    BodyEmpty,
    BodyTooLong,
    /// A `{{...}}` that is not one of [`crate::variables::KNOWN`]: it could never be filled.
    UnknownVariable,
}

impl SaveQuickReply {
    /// The shortcut as stored: without a leading `/`, trimmed, lowercase.
    pub fn normalized(mut self) -> SaveQuickReply {
        self.shortcut = self.shortcut.trim().trim_start_matches('/').to_lowercase();
        self.title = self.title.trim().to_owned();
        self.body = self.body.trim().to_owned();
        self
    }

    /// Checks a normalized reply; the app shows the same problems the server refuses.
    pub fn check(&self) -> Result<(), Invalid> {
        let shortcut = self.shortcut.chars().count();
        if shortcut == 0 {
            return Err(Invalid::ShortcutEmpty);
        }
        if !self
            .shortcut
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
        {
            return Err(Invalid::ShortcutCharacters);
        }
        if shortcut > MAX_SHORTCUT_CHARS {
            return Err(Invalid::ShortcutTooLong);
        }
        match self.title.chars().count() {
            0 => return Err(Invalid::TitleEmpty),
            n if n > MAX_TITLE_CHARS => return Err(Invalid::TitleTooLong),
            _ => {}
        }
        match self.body.chars().count() {
            0 => return Err(Invalid::BodyEmpty),
            n if n > MAX_BODY_CHARS => return Err(Invalid::BodyTooLong),
            _ => {}
        }
        let known = crate::variables::KNOWN;
        if crate::variables::placeholders(&self.body)
            .iter()
            .any(|p| !known.contains(&p.name.as_str()))
        {
            return Err(Invalid::UnknownVariable);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(shortcut: &str) -> SaveQuickReply {
        SaveQuickReply {
            shortcut: shortcut.into(),
            title: "Envío".into(),
            body: "Tu pedido sale hoy.".into(),
            inbox_id: None,
        }
        .normalized()
    }

    #[test]
    fn a_shortcut_is_one_lowercase_word_without_its_slash() {
        assert_eq!(reply(" /Envío ").shortcut, "envío");
        assert_eq!(reply("envio-rapido_2").check(), Ok(()));
        assert_eq!(
            reply("envio rapido").check(),
            Err(Invalid::ShortcutCharacters)
        );
        assert_eq!(reply("/").check(), Err(Invalid::ShortcutEmpty));
        assert_eq!(reply(&"a".repeat(MAX_SHORTCUT_CHARS)).check(), Ok(()));
        assert_eq!(
            reply(&"a".repeat(MAX_SHORTCUT_CHARS + 1)).check(),
            Err(Invalid::ShortcutTooLong)
        );
    }

    #[test]
    fn title_and_body_are_needed_and_bounded() {
        let mut r = reply("envio");
        r.body = "   ".into();
        assert_eq!(r.normalized().check(), Err(Invalid::BodyEmpty));
        let mut r = reply("envio");
        r.body = "x".repeat(MAX_BODY_CHARS + 1);
        assert_eq!(r.check(), Err(Invalid::BodyTooLong));
        let mut r = reply("envio");
        r.title = String::new();
        assert_eq!(r.check(), Err(Invalid::TitleEmpty));
        let mut r = reply("envio");
        r.body = "Tu pedido {{pedido.numero}} sale hoy, {{contact.first_name}}.".into();
        assert_eq!(r.check(), Err(Invalid::UnknownVariable));
        r.body = "Sale hoy, {{ contact.first_name }}.".into();
        assert_eq!(r.check(), Ok(()));
    }
}
