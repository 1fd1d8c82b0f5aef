//! The reply guard: when the customer or a teammate wrote in the conversation after the agent
//! began their reply, the reply waits for the agent to say it still stands (an agent must not
//! answer without having seen a colleague's answer, or the question the customer just added).

use leptos::prelude::*;
use switchboard_protocol::MessageId;

/// The newest message someone else wrote in the thread: the customer, or a teammate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OthersNewest {
    pub id: MessageId,
    /// Who wrote it, as the thread names them.
    pub author: String,
}

/// What came since the agent began: the newest of others' messages now, when it is newer than
/// the newest when they began (`began_after`, `None` when there was none yet).
pub fn news_since(
    began_after: Option<MessageId>,
    now: Option<&OthersNewest>,
) -> Option<&OthersNewest> {
    now.filter(|newest| began_after.is_none_or(|seen| newest.id > seen))
}

/// The id of others' newest message, as far as it is known (`None`: the thread is not in yet).
fn known_id(newest: &Option<Option<OthersNewest>>) -> Option<Option<MessageId>> {
    newest.as_ref().map(|n| n.as_ref().map(|m| m.id))
}

#[derive(Clone, Copy)]
pub struct ReplyGuard {
    /// Others' newest message; `None` until the thread is loaded (nothing is known yet).
    newest: Signal<Option<Option<OthersNewest>>>,
    /// Others' newest message when the agent began writing; `None` while the box is empty
    /// or the thread is not loaded yet.
    began_after: StoredValue<Option<Option<MessageId>>>,
    /// Who wrote since, while the agent is asked whether their reply still stands.
    pub asking: RwSignal<Option<String>>,
    /// The message the agent is asked about.
    asked_about: StoredValue<Option<MessageId>>,
}

impl ReplyGuard {
    /// A guard for the reply whose text is `text`.
    pub fn new(newest: Signal<Option<Option<OthersNewest>>>, text: Memo<String>) -> ReplyGuard {
        let guard = ReplyGuard {
            newest,
            began_after: StoredValue::new(None),
            asking: RwSignal::new(None),
            asked_about: StoredValue::new(None),
        };
        Effect::new(move |_| {
            let empty = text.with(|t| t.trim().is_empty());
            let known = newest.with(known_id);
            if empty {
                guard.began_after.set_value(None);
                if guard.asking.with_untracked(Option::is_some) {
                    guard.asking.set(None);
                }
            } else if guard.began_after.with_value(Option::is_none) {
                // Begun now (or a kept draft shown again): from what the thread holds now.
                guard.began_after.set_value(known);
            }
        });
        guard
    }

    /// Whether the reply must wait: someone wrote since the agent began. Then the agent is
    /// asked (`asking`) until they send anyway or go back to their reply.
    pub fn holds(&self) -> bool {
        let Some(began_after) = self.began_after.get_value() else {
            return false;
        };
        let news = self.newest.with_untracked(|newest| {
            let newest = newest.as_ref()?;
            news_since(began_after, newest.as_ref()).map(|m| (m.id, m.author.clone()))
        });
        match news {
            Some((id, author)) => {
                self.asked_about.set_value(Some(id));
                self.asking.set(Some(author));
                true
            }
            None => false,
        }
    }

    /// The agent went back to their reply to read what came: it stands from what the thread
    /// shows now.
    pub fn review(&self) {
        let known = self.newest.with_untracked(known_id);
        if known.is_some() {
            self.began_after.set_value(known);
        }
        self.asking.set(None);
    }

    /// The agent says their reply stands after what they were asked about; anything newer
    /// than that asks again.
    pub fn confirm(&self) {
        if let Some(asked) = self.asked_about.get_value() {
            self.began_after.set_value(Some(Some(asked)));
        }
        self.asking.set(None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn by(id: i64, author: &str) -> OthersNewest {
        OthersNewest {
            id: MessageId(id),
            author: author.into(),
        }
    }

    #[test]
    fn only_what_came_after_the_reply_began_is_news() {
        let luis = by(7, "Luis");
        assert_eq!(news_since(Some(MessageId(7)), Some(&luis)), None);
        assert_eq!(news_since(Some(MessageId(5)), Some(&luis)), Some(&luis));
        assert_eq!(
            news_since(None, Some(&luis)),
            Some(&luis),
            "the first message of others, in a thread that had none"
        );
        assert_eq!(news_since(Some(MessageId(5)), None), None);
    }
}
