//! The saved replies this agent may use, loaded once per session and refreshed when the
//! picker opens (a teammate may have changed the team's) or the settings page saves.

use crate::api::{Api, ApiFailure};
use crate::session::Session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use switchboard_protocol::InboxId;
use switchboard_protocol::quick_replies::{QuickReply, Scope};

#[derive(Clone, Copy)]
pub struct QuickReplies {
    pub all: RwSignal<Vec<QuickReply>>,
    /// Why the last load failed, until one succeeds (the list keeps what it had).
    pub failure: RwSignal<Option<ApiFailure>>,
    session: Session,
}

impl QuickReplies {
    pub fn new(session: Session) -> QuickReplies {
        QuickReplies {
            all: RwSignal::new(Vec::new()),
            failure: RwSignal::new(None),
            session,
        }
    }

    /// Loads the list again. An answer that arrives after the session ended is dropped: the
    /// next agent on this browser must never see the last one's personal replies.
    pub fn refresh(&self, api: Api) {
        let (all, failure, session) = (self.all, self.failure, self.session);
        let epoch = session.epoch.get_untracked();
        spawn_local(async move {
            let answer = api.quick_replies().await;
            if session.epoch.get_untracked() != epoch {
                return;
            }
            match answer {
                Ok(list) => {
                    all.set(list);
                    failure.set(None);
                }
                Err(problem) => failure.set(Some(problem)),
            }
        });
    }

    pub fn clear(&self) {
        self.all.set(Vec::new());
        self.failure.set(None);
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

pub fn use_quick_replies() -> QuickReplies {
    expect_context::<QuickReplies>()
}
