//! The workspace (who the agents are, which inboxes there are), loaded into the store as soon
//! as the agent is logged in, again after each resync, when the server says it changed and
//! when the feed began after it. A failure is kept for the inbox page to say with a Retry,
//! and tried again by itself when the feed comes back.

use crate::api::{Api, ApiFailure};
use crate::i18n::Texts;
use crate::session::{SessionStatus, use_session};
use crate::state::{Connection, Store};
use leptos::prelude::*;
use leptos::task::spawn_local;

#[derive(Clone, Copy)]
pub struct WorkspaceLoader {
    store: Store,
    api: Api,
    failure: RwSignal<Option<ApiFailure>>,
}

impl WorkspaceLoader {
    pub fn new(store: Store, api: Api) -> WorkspaceLoader {
        let loader = WorkspaceLoader {
            store,
            api,
            failure: RwSignal::new(None),
        };
        // Fetched while the feed connects: the store asks again (`workspace_generation`) if
        // the feed began after this snapshot.
        let session = use_session();
        let ready = Memo::new(move |_| matches!(session.status.get(), SessionStatus::LoggedIn(_)));
        let generation = Memo::new(move |_| store.with(|s| s.generation));
        // The server says teams or reasons changed.
        let changed = Memo::new(move |_| store.with(|s| s.workspace_generation));
        Effect::new(move |_| {
            // Read, not only tracked: a memo merely tracked wakes the effect whenever its
            // sources change, even when its value did not.
            if ready.get() {
                let _ = (generation.get(), changed.get());
                loader.fetch();
            }
        });
        let live = Memo::new(move |_| store.with(|s| s.connection == Connection::Live));
        Effect::new(move |_| {
            if live.get() && loader.failure.with_untracked(Option::is_some) {
                loader.fetch();
            }
        });
        loader
    }

    pub fn problem(&self, texts: &Texts) -> Option<String> {
        self.failure.with(|failure| {
            failure
                .as_ref()
                .map(|f| f.explain(texts.workspace_load_failed, texts))
        })
    }

    pub fn retry(&self) {
        self.fetch();
    }

    fn fetch(&self) {
        let (store, api, failure) = (self.store, self.api, self.failure);
        let era = store.era();
        spawn_local(async move {
            let answer = api.workspace().await;
            // Another agent's session: nothing of this answer is theirs.
            if !store.era().same_session(era) {
                return;
            }
            match answer {
                Ok(workspace) => {
                    store.update_in_session(era, |s| s.apply_workspace(workspace));
                    failure.set(None);
                }
                Err(problem) => failure.set(Some(problem)),
            }
        });
    }
}
