//! What the composer needs from the open conversation: what saved replies' variables stand
//! for, and the channel's situation on a clock that ticks every second, so a reply window is
//! counted down as it closes.

use crate::compose::ReplyContext;
use crate::state::{State, Store};
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use switchboard_protocol::ConversationId;
use switchboard_protocol::rules::Situation;

/// What saved replies' variables stand for in a conversation.
pub fn reply_context_of(state: &State, id: ConversationId) -> ReplyContext {
    let Some(conversation) = state.conversations.get(&id) else {
        return ReplyContext::default();
    };
    ReplyContext {
        inbox: Some(conversation.inbox_id),
        inbox_name: state
            .inboxes
            .get(&conversation.inbox_id)
            .map(|i| i.name.clone())
            .unwrap_or_default(),
        contact_name: conversation.contact.name.clone(),
        contact_handle: conversation.contact.handle.clone(),
        agent_name: state
            .me
            .as_ref()
            .map(|a| a.name.clone())
            .unwrap_or_default(),
    }
}

#[derive(Clone, Copy)]
pub struct ReplyWindow {
    /// The time, to the second, while the conversation is open.
    pub now: RwSignal<DateTime<Utc>>,
    /// The channel's situation now; `None` until the conversation is known.
    pub situation: Memo<Option<Situation>>,
    pub context: Memo<ReplyContext>,
}

impl ReplyWindow {
    pub fn new(store: Store, id: Memo<Option<ConversationId>>) -> ReplyWindow {
        let now = RwSignal::new(Utc::now());
        if let Ok(ticker) = set_interval_with_handle(
            move || now.set(Utc::now()),
            std::time::Duration::from_secs(1),
        ) {
            on_cleanup(move || ticker.clear());
        }
        let situation = Memo::new(move |_| {
            let id = id.get()?;
            let now = now.get();
            store.with_conversation(id, |s| s.conversations.get(&id).map(|c| c.situation(now)))
        });
        let context = Memo::new(move |_| {
            id.get()
                .map(|id| store.with_conversation(id, |s| reply_context_of(s, id)))
                .unwrap_or_default()
        });
        ReplyWindow {
            now,
            situation,
            context,
        }
    }
}
