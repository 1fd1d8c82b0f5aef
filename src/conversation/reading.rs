//! Reading a conversation while it is on screen marks it read, up to its newest item. The
//! bubble clears at once; the server's `unread.counts` settles it. One of mine is marked even
//! with nothing unread: opening it is what takes up a routing offer.

use crate::api::Api;
use crate::state::{Store, Topic};
use leptos::prelude::*;
use leptos::task::spawn_local;
use switchboard_protocol::{ConversationId, MessageId};

/// Whether to mark `seen` read: the page is on screen, something is unread (or it is mine:
/// it may wait on my opening it), and this very item was not marked already.
pub fn should_mark(
    visible: bool,
    unread: u32,
    mine: bool,
    seen: (ConversationId, MessageId),
    marked: Option<(ConversationId, MessageId)>,
) -> bool {
    visible && (unread > 0 || mine) && marked != Some(seen)
}

/// Marks the open conversation read while it is seen; `unread_from` gets where its unread
/// part began when its thread first showed.
pub fn mark_read_while_seen(
    store: Store,
    api: Api,
    id: Memo<Option<ConversationId>>,
    visible: RwSignal<bool>,
    unread_from: RwSignal<Option<(ConversationId, MessageId)>>,
) {
    let latest = Memo::new(move |_| {
        id.get().and_then(|id| {
            store.read(&[Topic::Thread(id)], |s| {
                s.threads.get(&id).and_then(|t| t.latest_id())
            })
        })
    });
    let unread = Memo::new(move |_| {
        id.get()
            .map_or(0, |id| store.with_conversation(id, |s| s.unread_of(id)))
    });
    let mine = Memo::new(move |_| {
        id.get().is_some_and(|id| {
            store.with_conversation(id, |s| {
                let me = s.me.as_ref().map(|a| a.id);
                s.conversations
                    .get(&id)
                    .is_some_and(|c| me.is_some() && c.assignee == me)
            })
        })
    });
    // Its first page and its record (with its unread count) are both in: before that, what
    // is unread is not known.
    let known = Memo::new(move |_| {
        id.get().is_some_and(|id| {
            store.read(&[Topic::Thread(id), Topic::Row(id)], |s| {
                s.conversations.contains_key(&id) && s.threads.get(&id).is_some_and(|t| t.loaded)
            })
        })
    });
    let marked = StoredValue::new(None::<(ConversationId, MessageId)>);
    // The conversation whose first showing was looked at for where its unread began.
    let opened = StoredValue::new(None::<ConversationId>);
    Effect::new(move |_| {
        let (Some(id), Some(latest)) = (id.get(), latest.get()) else {
            if id.get_untracked().is_none() {
                opened.set_value(None); // closed: opening it again is a new first showing
            }
            return;
        };
        if !known.get() {
            return;
        }
        // Where the unread began is what it was as the thread first showed; what comes while
        // the agent is in it is no news to mark.
        if opened.get_value() != Some(id) {
            opened.set_value(Some(id));
            let unread = unread.get_untracked();
            let from = store.peek(|s| s.threads.get(&id)?.first_unread(unread));
            if let Some(from) = from {
                unread_from.set(Some((id, from)));
            }
        }
        // Marked unread on purpose: not read again by looking, until something new comes.
        if store.with(|s| s.kept_unread(id, latest)) {
            return;
        }
        if !should_mark(
            visible.get(),
            unread.get(),
            mine.get(),
            (id, latest),
            marked.get_value(),
        ) {
            return;
        }
        marked.set_value(Some((id, latest)));
        store.update(|s| s.mark_read_locally(id));
        spawn_local(async move {
            // Not marked on the server: forget it was, so it is marked again as soon as the
            // server's counts show it unread (on the feed's next counts, or its replay).
            if api.mark_read(id, latest).await.is_err()
                && marked.try_get_value() == Some(Some((id, latest)))
            {
                marked.set_value(None);
            }
        });
    });
}
