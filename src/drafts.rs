//! What the agent was writing in each conversation, kept in the browser so that switching
//! conversations or reloading the page loses nothing. Kept per agent: someone else logging in
//! on the same browser starts with their own.

use serde::{Deserialize, Serialize};
use switchboard_protocol::{AgentId, Attachment, ConversationId};

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
