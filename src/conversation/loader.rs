//! Loading the open conversation: its record and its newest page once the feed has welcomed
//! us (so no event falls between the two) and again after a resync, earlier pages as the agent
//! scrolls up.

use crate::api::Api;
use crate::state::Store;
use leptos::prelude::*;
use leptos::task::spawn_local;
use switchboard_protocol::ConversationId;

#[derive(Clone, Copy)]
pub struct Loader {
    store: Store,
    api: Api,
    id: Memo<Option<ConversationId>>,
    /// Not there for this agent: it does not exist, or they may not see it.
    missing: RwSignal<bool>,
    pub loading_older: RwSignal<bool>,
}

impl Loader {
    pub fn new(store: Store, api: Api, id: Memo<Option<ConversationId>>) -> Loader {
        let loader = Loader {
            store,
            api,
            id,
            missing: RwSignal::new(false),
            loading_older: RwSignal::new(false),
        };
        let ready = Memo::new(move |_| store.with(|s| s.last_seq.is_some()));
        let generation = Memo::new(move |_| store.with(|s| s.generation));
        Effect::new(move |_| {
            let Some(id) = id.get() else {
                loader.missing.set(true);
                return;
            };
            if !ready.get() {
                return;
            }
            generation.track();
            loader.missing.set(false);
            loader.fetch(id);
        });
        loader
    }

    pub fn missing(&self) -> bool {
        self.missing.get()
    }

    /// Fetches the page before the oldest loaded, unless it is on its way or there is none.
    pub fn older(&self) {
        let Some(id) = self.id.get_untracked() else {
            return;
        };
        if self.loading_older.get_untracked() {
            return;
        }
        let (store, api, loading_older) = (self.store, self.api, self.loading_older);
        let before = store.peek(|s| {
            s.threads
                .get(&id)
                .filter(|t| t.loaded && !t.reached_start)
                .and_then(|t| t.before)
        });
        let Some(before) = before else { return };
        loading_older.set(true);
        let era = store.era();
        spawn_local(async move {
            if let Ok(page) = api.thread(id, Some(before)).await {
                store.update_in(era, |s| s.apply_thread_page(id, page, false));
            }
            loading_older.set(false);
        });
    }

    /// Fetches what the store does not hold yet: the conversation and its newest page.
    fn fetch(&self, id: ConversationId) {
        let (store, api, missing) = (self.store, self.api, self.missing);
        let (known, loaded) = store.peek(|s| {
            (
                s.conversations.contains_key(&id),
                s.threads.get(&id).is_some_and(|t| t.loaded),
            )
        });
        // From here on the feed keeps this thread live, before and after its page arrives.
        store.update(|s| s.watch_thread(id));
        let era = store.era();
        if !known {
            spawn_local(async move {
                match api.conversation(id).await {
                    Ok(snapshot) => {
                        store.update_in(era, |s| s.apply_entry(snapshot.entry, snapshot.seq));
                    }
                    Err(failure) if failure.is_refused_for_good() => missing.set(true),
                    Err(_) => {}
                }
            });
        }
        if !loaded {
            spawn_local(async move {
                if let Ok(page) = api.thread(id, None).await {
                    store.update_in(era, |s| s.apply_thread_page(id, page, true));
                }
            });
        }
    }
}
