//! Someone took the open conversation from the queue: if it was me, the page follows it to
//! "Mine", so the address and the highlighted row say where it now is.

use crate::app::conversation_path;
use crate::state::{State, Store};
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;
use switchboard_protocol::{ConversationId, ConversationStatus, View};

/// The conversation is open and assigned to the logged-in agent.
pub fn is_mine(state: &State, id: ConversationId) -> bool {
    let me = state.me.as_ref().map(|a| a.id);
    state.conversations.get(&id).is_some_and(|c| {
        c.status == ConversationStatus::Open && c.assignee.is_some() && c.assignee == me
    })
}

pub fn follow_into_mine(store: Store, id: Memo<Option<ConversationId>>, view: Memo<View>) {
    let navigate = use_navigate();
    let mine = Memo::new(move |_| {
        id.get()
            .is_some_and(|id| store.with_conversation(id, |s| is_mine(s, id)))
    });
    Effect::new(move |_| {
        if let (true, View::Unassigned, Some(id)) = (mine.get(), view.get(), id.get_untracked()) {
            navigate(
                &conversation_path(View::Mine, id),
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
    });
}
