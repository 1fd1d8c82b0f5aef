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
}

impl Store {
    pub fn new() -> Store {
        Store {
            state: RwSignal::new(State::default()),
            queue: StoredValue::new(Vec::new()),
            flush_scheduled: StoredValue::new(false),
        }
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

    /// Queues a feed frame; the queue is applied on the next animation frame (or soon, when
    /// the page is hidden and the browser does not paint).
    pub fn push_frame(&self, frame: ServerFrame) {
        self.queue.update_value(|queue| queue.push(frame));
        if self.flush_scheduled.get_value() {
            return;
        }
        self.flush_scheduled.set_value(true);
        let store = *self;
        if crate::browser::is_visible() {
            request_animation_frame(move || store.flush());
        } else {
            set_timeout(move || store.flush(), Duration::from_millis(200));
        }
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

    /// Forgets everything (logout).
    pub fn reset(&self) {
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
