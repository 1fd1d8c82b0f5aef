//! Loading the open conversation: its record and its newest page once the feed has welcomed
//! us (so no event falls between the two) and again after a resync, earlier pages as the agent
//! scrolls up. What fails is kept, to be said in the thread with a Retry, and is tried again by
//! itself when the feed comes back.

use crate::api::{Api, ApiFailure, ThreadPageSize};
use crate::i18n::Texts;
use crate::state::{Connection, Store};
use leptos::prelude::*;
use leptos::task::spawn_local;
use switchboard_protocol::ConversationId;

/// What could not be loaded, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoadProblem {
    Conversation(ApiFailure),
    Messages(ApiFailure),
    Older(ApiFailure),
}

impl LoadProblem {
    /// The sentence the thread shows.
    pub fn text(&self, texts: &Texts) -> String {
        let (what, why) = match self {
            LoadProblem::Conversation(why) => (texts.conversation_load_failed, why),
            LoadProblem::Messages(why) => (texts.messages_load_failed, why),
            LoadProblem::Older(why) => (texts.older_load_failed, why),
        };
        why.explain(what, texts)
    }
}

/// The one problem the thread says: the conversation first, then its messages, then earlier ones.
pub fn first_problem(
    conversation: Option<ApiFailure>,
    messages: Option<ApiFailure>,
    older: Option<ApiFailure>,
) -> Option<LoadProblem> {
    conversation
        .map(LoadProblem::Conversation)
        .or_else(|| messages.map(LoadProblem::Messages))
        .or_else(|| older.map(LoadProblem::Older))
}

#[derive(Clone, Copy)]
pub struct Loader {
    store: Store,
    api: Api,
    id: Memo<Option<ConversationId>>,
    /// Not there for this agent: it does not exist, or they may not see it.
    missing: RwSignal<bool>,
    pub loading_older: RwSignal<bool>,
    conversation_failure: RwSignal<Option<ApiFailure>>,
    messages_failure: RwSignal<Option<ApiFailure>>,
    older_failure: RwSignal<Option<ApiFailure>>,
}

impl Loader {
    pub fn new(store: Store, api: Api, id: Memo<Option<ConversationId>>) -> Loader {
        let loader = Loader {
            store,
            api,
            id,
            missing: RwSignal::new(false),
            loading_older: RwSignal::new(false),
            conversation_failure: RwSignal::new(None),
            messages_failure: RwSignal::new(None),
            older_failure: RwSignal::new(None),
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
            let _ = generation.get(); // read: a memo only tracked wakes on every change of its sources
            loader.missing.set(false);
            loader.forget_failures();
            loader.fetch(id);
        });
        // What failed while the server was away loads by itself once the feed is back.
        let live = Memo::new(move |_| store.with(|s| s.connection == Connection::Live));
        Effect::new(move |_| {
            if live.get() {
                loader.retry();
            }
        });
        loader
    }

    /// Not there for me: never was, or left my sight while open (transferred or moved away).
    pub fn missing(&self) -> bool {
        let id = self.id.get();
        self.missing.get() || id.is_some_and(|id| self.store.with(|s| s.gone.contains(&id)))
    }

    /// What the thread says could not be loaded.
    pub fn problem(&self) -> Option<LoadProblem> {
        first_problem(
            self.conversation_failure.get(),
            self.messages_failure.get(),
            self.older_failure.get(),
        )
    }

    /// Tries again what failed. Nothing happens when nothing failed.
    pub fn retry(&self) {
        let Some(id) = self.id.get_untracked() else {
            return;
        };
        let first = self.conversation_failure.with_untracked(Option::is_some)
            || self.messages_failure.with_untracked(Option::is_some);
        let older = self.older_failure.with_untracked(Option::is_some);
        self.forget_failures();
        if first {
            self.fetch(id);
        }
        if older {
            self.older(ThreadPageSize::Usual);
        }
    }

    /// Fetches the page before the oldest loaded, unless it is on its way or there is none.
    pub fn older(&self, page: ThreadPageSize) {
        let Some(id) = self.id.get_untracked() else {
            return;
        };
        // After a failure earlier pages wait for Retry: scrolling must not hammer the server.
        if self.older_failure.with_untracked(Option::is_some) || self.loading_older.get_untracked()
        {
            return;
        }
        let (store, api, this) = (self.store, self.api, *self);
        let before = store.peek(|s| {
            s.threads
                .get(&id)
                .filter(|t| t.loaded && !t.reached_start)
                .and_then(|t| t.before)
        });
        let Some(before) = before else { return };
        self.loading_older.set(true);
        let era = store.era();
        spawn_local(async move {
            match api.thread(id, Some(before), page).await {
                Ok(page) => {
                    store.update_in(era, |s| s.apply_thread_page(id, page, false));
                }
                Err(failure) => this.failed(id, failure, this.older_failure),
            }
            this.loading_older.set(false);
        });
    }

    /// Fetches what the store does not hold yet: the conversation and its newest page.
    fn fetch(&self, id: ConversationId) {
        let (store, api, this) = (self.store, self.api, *self);
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
                    Err(failure) => this.failed(id, failure, this.conversation_failure),
                }
            });
        }
        if !loaded {
            spawn_local(async move {
                match api.thread(id, None, ThreadPageSize::Usual).await {
                    Ok(page) => {
                        store.update_in(era, |s| s.apply_thread_page(id, page, true));
                    }
                    Err(failure) => this.failed(id, failure, this.messages_failure),
                }
            });
        }
    }

    /// Keeps a failure for the conversation still open; the server's "not for you" makes
    /// the whole conversation missing.
    fn failed(&self, id: ConversationId, failure: ApiFailure, kept: RwSignal<Option<ApiFailure>>) {
        if self.id.get_untracked() != Some(id) {
            return;
        }
        if failure.is_refused_for_good() {
            self.missing.set(true);
        } else {
            kept.set(Some(failure));
        }
    }

    fn forget_failures(&self) {
        for kept in [
            self.conversation_failure,
            self.messages_failure,
            self.older_failure,
        ] {
            if kept.with_untracked(Option::is_some) {
                kept.set(None);
            }
        }
    }
}
