//! Taking the open conversation ("Assign to me"). The feed brings the change to every list;
//! the answer is applied at once so the header does not wait for it.

use crate::api::Api;
use crate::state::Store;
use leptos::prelude::*;
use leptos::task::spawn_local;
use switchboard_protocol::ConversationId;

#[derive(Clone, Copy)]
pub struct Assignment {
    store: Store,
    api: Api,
    id: Memo<Option<ConversationId>>,
}

impl Assignment {
    pub fn new(store: Store, api: Api, id: Memo<Option<ConversationId>>) -> Assignment {
        Assignment { store, api, id }
    }

    pub fn assign_to_me(&self) {
        let (store, api) = (self.store, self.api);
        let (Some(id), Some(me)) = (
            self.id.get_untracked(),
            store.peek(|s| s.me.as_ref().map(|a| a.id)),
        ) else {
            return;
        };
        let era = store.era();
        spawn_local(async move {
            if let Ok(entry) = api.assign(id, me).await {
                store.update_in(era, |s| s.upsert_conversation(entry.conversation));
            }
        });
    }
}
