//! The agent's preferences for this browser (how to send), kept in local storage.

use leptos::prelude::*;

const SEND_KEY: &str = "sb.send_key";

/// Which key sends from the composer; the other combination breaks the line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SendKey {
    /// Enter sends, Shift+Enter breaks the line.
    #[default]
    Enter,
    /// Ctrl+Enter (⌘+Enter on a Mac) sends, Enter breaks the line.
    ModEnter,
}

impl SendKey {
    pub const ALL: [SendKey; 2] = [SendKey::Enter, SendKey::ModEnter];

    pub fn as_str(self) -> &'static str {
        match self {
            SendKey::Enter => "enter",
            SendKey::ModEnter => "mod_enter",
        }
    }

    pub fn parse(text: &str) -> Option<SendKey> {
        SendKey::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

/// A key press in the composer, as far as sending is concerned.
#[derive(Clone, Copy, Debug, Default)]
pub struct KeyPress<'a> {
    pub key: &'a str,
    pub shift: bool,
    /// Ctrl, or ⌘ on a Mac.
    pub modifier: bool,
    /// An input method is composing a character (Japanese, Chinese, accents on some layouts).
    pub composing: bool,
    /// On a touch screen Enter always breaks the line; the Send button sends.
    pub touch: bool,
}

/// Whether this key press sends the message.
pub fn sends(send_key: SendKey, press: KeyPress<'_>) -> bool {
    if press.key != "Enter" || press.composing || press.shift {
        return false;
    }
    match send_key {
        // Ctrl+Enter sends too: hands used to the other setting lose nothing.
        SendKey::Enter => press.modifier || !press.touch,
        SendKey::ModEnter => press.modifier,
    }
}

#[derive(Clone, Copy)]
pub struct Preferences {
    pub send_key: RwSignal<SendKey>,
}

impl Preferences {
    pub fn load() -> Preferences {
        let send_key = crate::browser::local_storage_get(SEND_KEY)
            .and_then(|k| SendKey::parse(&k))
            .unwrap_or_default();
        Preferences {
            send_key: RwSignal::new(send_key),
        }
    }

    pub fn set_send_key(&self, key: SendKey) {
        crate::browser::local_storage_set(SEND_KEY, key.as_str());
        self.send_key.set(key);
    }
}

pub fn use_preferences() -> Preferences {
    expect_context::<Preferences>()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enter() -> KeyPress<'static> {
        KeyPress {
            key: "Enter",
            ..KeyPress::default()
        }
    }

    #[test]
    fn enter_sends_by_default_and_shift_enter_breaks_the_line() {
        assert!(sends(SendKey::Enter, enter()));
        assert!(!sends(
            SendKey::Enter,
            KeyPress {
                shift: true,
                ..enter()
            }
        ));
        assert!(sends(
            SendKey::Enter,
            KeyPress {
                modifier: true,
                ..enter()
            }
        ));
        assert!(!sends(
            SendKey::Enter,
            KeyPress {
                key: "a",
                ..enter()
            }
        ));
    }

    #[test]
    fn with_mod_enter_chosen_a_plain_enter_breaks_the_line() {
        assert!(!sends(SendKey::ModEnter, enter()));
        assert!(sends(
            SendKey::ModEnter,
            KeyPress {
                modifier: true,
                ..enter()
            }
        ));
    }

    #[test]
    fn nothing_sends_while_an_input_method_composes_or_on_touch_with_a_plain_enter() {
        let composing = KeyPress {
            composing: true,
            modifier: true,
            ..enter()
        };
        assert!(!sends(SendKey::Enter, composing));
        assert!(!sends(SendKey::ModEnter, composing));
        assert!(!sends(
            SendKey::Enter,
            KeyPress {
                touch: true,
                ..enter()
            }
        ));
    }

    #[test]
    fn the_stored_setting_reads_back() {
        for key in SendKey::ALL {
            assert_eq!(SendKey::parse(key.as_str()), Some(key));
        }
        assert_eq!(SendKey::parse("space"), None);
    }
}
