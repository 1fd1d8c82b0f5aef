//! The state in one signal, shared through context. Feed frames that arrive in a burst are
//! applied together, once per animation frame, so a replay of hundreds of events renders once.

use super::State;
use leptos::prelude::*;
use std::time::Duration;
use switchboard_protocol::ServerFrame;

#[derive(Clone, Copy)]
pub struct Store {
    state: RwSignal<State>,
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
            state: RwSignal::new(State::default()),
            queue: StoredValue::new(Vec::new()),
            flush_scheduled: StoredValue::new(false),
            epoch: StoredValue::new(0),
        }
    }

    pub fn era(&self) -> Era {
        Era {
            epoch: self.epoch.get_value(),
            generation: self.state.with_untracked(|s| s.generation),
        }
    }

    /// Applies an answer fetched in `era` only if the store is still in it. Returns whether it did.
    pub fn update_in(&self, era: Era, change: impl FnOnce(&mut State)) -> bool {
        let current = self.era() == era;
        if current {
            self.state.update(change);
        }
        current
    }

    /// Like [`Store::update_in`], for work a resync does not spoil (a send): only the session counts.
    pub fn update_in_session(&self, era: Era, change: impl FnOnce(&mut State)) -> bool {
        let current = self.era().same_session(era);
        if current {
            self.state.update(change);
        }
        current
    }

    /// Reads the state, subscribing the caller to changes.
    pub fn with<R>(&self, read: impl FnOnce(&State) -> R) -> R {
        self.state.with(read)
    }

    /// Reads without subscribing (event handlers, async tasks).
    pub fn peek<R>(&self, read: impl FnOnce(&State) -> R) -> R {
        self.state.with_untracked(read)
    }

    pub fn update(&self, change: impl FnOnce(&mut State)) {
        self.state.update(change);
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
        self.state.update(|state| {
            for frame in frames {
                state.apply_frame(frame);
            }
        });
    }

    /// Forgets everything (logout, another agent); answers still on their way are dropped.
    pub fn reset(&self) {
        self.epoch.update_value(|epoch| *epoch += 1);
        self.queue.set_value(Vec::new());
        self.state.set(State::default());
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
