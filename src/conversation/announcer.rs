//! What a screen reader hears as the open thread changes: a customer's new message, a
//! failure. The first look at a thread says nothing; what changes after it does.

use crate::components::{Heading, ThreadLine};
use crate::i18n::{I18n, Texts};
use leptos::prelude::*;
use std::sync::Arc;
use switchboard_protocol::{ConversationId, Direction};

/// The newest line worth saying, as a key that tells it from others and the sentence.
pub fn newest_news(
    lines: &[Arc<ThreadLine>],
    contact: &str,
    texts: &Texts,
) -> Option<(String, String)> {
    lines.iter().rev().find_map(|line| match &**line {
        ThreadLine::Message { message, .. } if message.direction == Direction::In => Some((
            format!("in:{}", message.id),
            (texts.announce_message)(contact, &message.text),
        )),
        ThreadLine::Message {
            message,
            failure: Some(failure),
            ..
        } => Some((
            format!("failed:{}:{}", message.id, message.attempt),
            (texts.announce_failed)((texts.failure_kind)(failure.kind)),
        )),
        _ => None,
    })
}

/// Whether news `key` in conversation `id` is said, given what was last heard: only a change
/// in the same conversation, never the first look.
pub fn worth_saying(
    heard: Option<&(ConversationId, String)>,
    id: ConversationId,
    key: &str,
) -> bool {
    heard.is_some_and(|(seen_id, seen_key)| *seen_id == id && seen_key != key)
}

/// The live region's text.
pub fn announce(
    i18n: I18n,
    id: Memo<Option<ConversationId>>,
    lines: Memo<Vec<Arc<ThreadLine>>>,
    heading: Memo<Option<Heading>>,
) -> ReadSignal<String> {
    let announcement = RwSignal::new(String::new());
    let heard = StoredValue::new(None::<(ConversationId, String)>);
    Effect::new(move |_| {
        let Some(id) = id.get() else { return };
        let contact = heading
            .with_untracked(|h| h.as_ref().map(|h| h.name.clone()))
            .unwrap_or_default();
        let texts = i18n.t();
        let Some((key, text)) = lines.with(|lines| newest_news(lines, &contact, texts)) else {
            return;
        };
        let say = heard.with_value(|before| worth_saying(before.as_ref(), id, &key));
        heard.set_value(Some((id, key)));
        if say {
            announcement.set(text);
        }
    });
    announcement.read_only()
}
