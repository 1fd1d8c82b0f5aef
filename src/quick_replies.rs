//! The saved replies this agent may use, loaded once per session and refreshed when the
//! picker opens (a teammate may have changed the team's) or the settings page saves.

use crate::api::Api;
use leptos::prelude::*;
use leptos::task::spawn_local;
use switchboard_protocol::InboxId;
use switchboard_protocol::quick_replies::{QuickReply, Scope};

#[derive(Clone, Copy)]
pub struct QuickReplies {
    pub all: RwSignal<Vec<QuickReply>>,
}

impl QuickReplies {
    pub fn new() -> QuickReplies {
        QuickReplies {
            all: RwSignal::new(Vec::new()),
        }
    }

    pub fn refresh(&self, api: Api) {
        let all = self.all;
        spawn_local(async move {
            if let Ok(list) = api.quick_replies().await {
                all.set(list);
            }
        });
    }

    /// Those that apply in a conversation of `inbox`: the agent's own and that inbox's.
    pub fn for_inbox(&self, inbox: Option<InboxId>) -> Vec<QuickReply> {
        self.all.with(|all| {
            all.iter()
                .filter(|r| match r.scope {
                    Scope::Personal => true,
                    Scope::Inbox { inbox_id } => Some(inbox_id) == inbox,
                })
                .cloned()
                .collect()
        })
    }
}

impl Default for QuickReplies {
    fn default() -> Self {
        QuickReplies::new()
    }
}

pub fn use_quick_replies() -> QuickReplies {
    expect_context::<QuickReplies>()
}
