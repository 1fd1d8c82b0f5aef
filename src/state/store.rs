//! The state, shared through context, with one trigger per topic: a change wakes only the
//! readers of what it touched (a row, a list, a thread, the counts). Feed frames that arrive in
//! a burst are applied together, once per animation frame, so a replay of hundreds of events
//! renders once.

use super::{State, Topic, Touched};
use leptos::prelude::*;
use std::collections::HashMap;
use std::time::Duration;
use switchboard_protocol::{ConversationId, ServerFrame};

#[derive(Clone, Copy)]
pub struct Store {
    state: StoredValue<State>,
    /// Made when first read; kept, since a reader subscribed to one must hear of it.
    triggers: StoredValue<HashMap<Topic, ArcTrigger>>,
    queue: StoredValue<Vec<ServerFrame>>,
    flush_scheduled: StoredValue<bool>,
    /// Grows on every reset (logout, another agent): work started before belongs to no one.
    epoch: StoredValue<u64>,
}

/// What the store was a cache of when some work started. A reset (another session) or a
/// resync (cache dropped) makes an answer fetched for an earlier era stale.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Era {
    epoch: u64,
    generation: u64,
}

impl Era {
    pub fn same_session(self, other: Era) -> bool {
        self.epoch == other.epoch
    }
}

impl Store {
    pub fn new() -> Store {
        Store {
            state: StoredValue::new(State::default()),
            triggers: StoredValue::new(HashMap::new()),
            queue: StoredValue::new(Vec::new()),
            flush_scheduled: StoredValue::new(false),
            epoch: StoredValue::new(0),
        }
    }

    pub fn era(&self) -> Era {
        Era {
            epoch: self.epoch.get_value(),
            generation: self.peek(|s| s.generation),
        }
    }

    /// Applies an answer fetched in `era` only if the store is still in it. Returns whether it did.
    pub fn update_in(&self, era: Era, change: impl FnOnce(&mut State)) -> bool {
        let current = self.era() == era;
        if current {
            self.update(change);
        }
        current
    }

    /// Like [`Store::update_in`], for work a resync does not spoil (a send): only the session counts.
    pub fn update_in_session(&self, era: Era, change: impl FnOnce(&mut State)) -> bool {
        let current = self.era().same_session(era);
        if current {
            self.update(change);
        }
        current
    }

    /// Reads the state, subscribing the caller to `topics`: it reruns when one of them changes.
    pub fn read<R>(&self, topics: &[Topic], read: impl FnOnce(&State) -> R) -> R {
        for topic in topics {
            let trigger = self.triggers.try_update_value(|triggers| {
                triggers
                    .entry(*topic)
                    .or_insert_with(ArcTrigger::new)
                    .clone()
            });
            if let Some(trigger) = trigger {
                trigger.track();
            }
        }
        self.peek(read)
    }

    /// Reads what changes seldom ([`Topic::Meta`]: connection, workspace, who I am...).
    pub fn with<R>(&self, read: impl FnOnce(&State) -> R) -> R {
        self.read(&[Topic::Meta], read)
    }

    /// Reads what a conversation's record, unread count and the workspace say.
    pub fn with_conversation<R>(&self, id: ConversationId, read: impl FnOnce(&State) -> R) -> R {
        self.read(&[Topic::Row(id), Topic::Meta], read)
    }

    /// Reads without subscribing (event handlers, async tasks).
    pub fn peek<R>(&self, read: impl FnOnce(&State) -> R) -> R {
        self.state.with_value(read)
    }

    /// Changes the state through `State`'s methods, which record what they touched; only the
    /// readers of that are woken.
    pub fn update(&self, change: impl FnOnce(&mut State)) {
        let touched = self.state.try_update_value(|state| {
            change(state);
            state.take_touched()
        });
        if let Some(touched) = touched {
            self.notify(&touched);
        }
    }

    fn notify(&self, touched: &Touched) {
        if touched.is_empty() {
            return;
        }
        // Collected first: a woken reader may make triggers of its own.
        let woken: Vec<ArcTrigger> = self.triggers.with_value(|triggers| {
            if touched.everything {
                triggers.values().cloned().collect()
            } else {
                touched
                    .topics
                    .iter()
                    .filter_map(|topic| triggers.get(topic).cloned())
                    .collect()
            }
        });
        for trigger in woken {
            trigger.notify();
        }
    }

    /// Queues a feed frame; the queue is applied on the next animation frame. A timer backs the
    /// frame up: a page hidden in between gets no animation frames, yet its title and counts
    /// must stay live.
    pub fn push_frame(&self, frame: ServerFrame) {
        self.queue.update_value(|queue| queue.push(frame));
        if self.flush_scheduled.get_value() {
            return;
        }
        self.flush_scheduled.set_value(true);
        let store = *self;
        request_animation_frame(move || store.flush());
        set_timeout(move || store.flush(), Duration::from_millis(250));
    }

    fn flush(&self) {
        self.flush_scheduled.set_value(false);
        let frames = self
            .queue
            .try_update_value(std::mem::take)
            .unwrap_or_default();
        if frames.is_empty() {
            return;
        }
        self.update(|state| {
            for frame in frames {
                state.apply_frame(frame);
            }
        });
    }

    /// Forgets everything (logout, another agent); answers still on their way are dropped.
    pub fn reset(&self) {
        self.epoch.update_value(|epoch| *epoch += 1);
        self.queue.set_value(Vec::new());
        self.state.set_value(State::default());
        let mut everything = Touched::default();
        everything.all();
        self.notify(&everything);
    }
}

impl Default for Store {
    fn default() -> Self {
        Store::new()
    }
}

pub fn use_store() -> Store {
    expect_context::<Store>()
}
