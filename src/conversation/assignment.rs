//! Taking the open conversation ("Assign to me"). The feed brings the change to every list;
//! the answer is applied at once so the header does not wait for it. A refusal is kept for the
//! header to say.

use crate::api::{Api, ApiFailure};
use crate::i18n::Texts;
use crate::state::Store;
use leptos::prelude::*;
use leptos::task::spawn_local;
use switchboard_protocol::ConversationId;

#[derive(Clone, Copy)]
pub struct Assignment {
    store: Store,
    api: Api,
    id: Memo<Option<ConversationId>>,
    /// The conversation it failed for: what failed in one is not said in the next.
    failure: RwSignal<Option<(ConversationId, ApiFailure)>>,
}

impl Assignment {
    pub fn new(store: Store, api: Api, id: Memo<Option<ConversationId>>) -> Assignment {
        Assignment {
            store,
            api,
            id,
            failure: RwSignal::new(None),
        }
    }

    pub fn problem(&self, texts: &Texts) -> Option<String> {
        let open = self.id.get();
        self.failure.with(|failure| match failure {
            Some((id, failure)) if Some(*id) == open => {
                Some(failure.explain(texts.assign_failed, texts))
            }
            _ => None,
        })
    }

    pub fn assign_to_me(&self) {
        let (store, api, failure) = (self.store, self.api, self.failure);
        let (Some(id), Some(me)) = (
            self.id.get_untracked(),
            store.peek(|s| s.me.as_ref().map(|a| a.id)),
        ) else {
            return;
        };
        failure.set(None);
        let era = store.era();
        spawn_local(async move {
            match api.assign(id, me).await {
                Ok(entry) => {
                    store.update_in(era, |s| s.upsert_conversation(entry.conversation));
                }
                Err(problem) => failure.set(Some((id, problem))),
            }
        });
    }
}
