//! What the agent was writing in each conversation, kept in the browser so that switching
//! conversations or reloading the page loses nothing. Kept per agent: someone else logging in
//! on the same browser starts with their own.

use crate::compose::files::Files;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use switchboard_protocol::{AgentId, Attachment, Channel, ConversationId};

/// The composer's content for one conversation.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeptDraft {
    pub text: String,
    /// Written as a private note rather than a reply.
    #[serde(default)]
    pub note: bool,
    /// Files already uploaded for it.
    #[serde(default)]
    pub attachments: Vec<Attachment>,
}

impl KeptDraft {
    /// Nothing worth keeping: no text, and the composer as it opens by default.
    pub fn is_blank(&self) -> bool {
        self.text.trim().is_empty() && !self.note && self.attachments.is_empty()
    }
}

fn key(agent: AgentId, conversation: ConversationId) -> String {
    format!("sb.draft.{agent}.{conversation}")
}

pub fn load(agent: AgentId, conversation: ConversationId) -> KeptDraft {
    crate::browser::local_storage_get(&key(agent, conversation))
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default()
}

pub fn save(agent: AgentId, conversation: ConversationId, draft: &KeptDraft) {
    let key = key(agent, conversation);
    if draft.is_blank() {
        crate::browser::local_storage_remove(&key);
    } else if let Ok(json) = serde_json::to_string(draft) {
        crate::browser::local_storage_set(&key, &json);
    }
}

/// What is being written in each conversation this session: its draft and its files. It lives
/// above the composer, so an upload goes on, and lands in its draft, while the agent looks at
/// another conversation.
/// A conversation's draft and files, by whose they are (`None`: not kept in the browser).
type Open = HashMap<(Option<AgentId>, ConversationId), (RwSignal<KeptDraft>, Files)>;

#[derive(Clone)]
pub struct Composing {
    open: StoredValue<Open>,
    owner: Owner,
}

impl Composing {
    /// Made by the app, whose lifetime the drafts share.
    pub fn new() -> Composing {
        Composing {
            open: StoredValue::new(HashMap::new()),
            owner: Owner::current().unwrap_or_default(),
        }
    }

    /// The draft and files of a conversation; `agent` keeps the draft in the browser.
    pub fn of(
        &self,
        agent: Option<AgentId>,
        conversation: ConversationId,
        channel: Channel,
    ) -> (RwSignal<KeptDraft>, Files) {
        let key = (agent, conversation);
        if let Some(found) = self.open.with_value(|open| open.get(&key).copied()) {
            return found;
        }
        let made = self.owner.with(|| {
            let draft = RwSignal::new(agent.map(|a| load(a, conversation)).unwrap_or_default());
            if let Some(agent) = agent {
                Effect::new(move |_| draft.with(|d| save(agent, conversation, d)));
            }
            (draft, Files::new(channel, conversation, draft))
        });
        self.open.update_value(|open| {
            open.insert(key, made);
        });
        made
    }

    /// Forgets the session's drafts (kept in the browser for the agent's return) and stops
    /// their uploads: the agent logged out.
    pub fn clear(&self) {
        let open = self
            .open
            .try_update_value(std::mem::take)
            .unwrap_or_default();
        for (draft, files) in open.into_values() {
            files.cancel_all();
            draft.dispose();
        }
    }
}

impl Default for Composing {
    fn default() -> Self {
        Composing::new()
    }
}

pub fn use_composing() -> Composing {
    expect_context::<Composing>()
}
