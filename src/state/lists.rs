//! What each tab shows: every known conversation the view holds, newest activity first, down
//! to the oldest one a loaded page reached (so a conversation that arrived by the feed appears
//! at once, and no gap opens between pages). Each list keeps its order as conversations come,
//! move and go, one binary search each, instead of sorting every conversation again.

use super::{State, Topic};
use chrono::{DateTime, Utc};
use switchboard_protocol::api::ConversationPage;
use switchboard_protocol::{Channel, Conversation, ConversationId, MessageId, Seq, View};

/// Where a conversation sorts: by last activity, then id.
pub type Key = (DateTime<Utc>, ConversationId);

pub fn key_of(conversation: &Conversation) -> Key {
    (conversation.last_activity_at, conversation.id)
}

/// Keys newest first, kept sorted one binary search at a time.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sorted(Vec<Key>);

impl Sorted {
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn clear(&mut self) {
        self.0.clear();
    }

    /// Newest first: a probe before `key` is greater than it.
    fn find(&self, key: Key) -> Result<usize, usize> {
        self.0.binary_search_by(|probe| key.cmp(probe))
    }

    pub fn insert(&mut self, key: Key) -> bool {
        match self.find(key) {
            Ok(_) => false,
            Err(at) => {
                self.0.insert(at, key);
                true
            }
        }
    }

    pub fn remove(&mut self, key: Key) -> bool {
        match self.find(key) {
            Ok(at) => {
                self.0.remove(at);
                true
            }
            Err(_) => false,
        }
    }

    /// Those older than `above` (all of them for `None`), newest first.
    pub fn below(&self, above: Option<Key>) -> &[Key] {
        let from = above.map_or(0, |above| {
            self.find(above).map_or_else(|at| at, |at| at + 1)
        });
        &self.0[from..]
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListState {
    /// Activity and id of the oldest conversation loaded; `None` before the first page.
    pub oldest: Option<Key>,
    pub next_cursor: Option<String>,
    pub loaded: bool,
    /// The feed position of the oldest page loaded (pages say what they reflect).
    pub seq: Option<Seq>,
    /// What the view shows.
    order: Sorted,
}

impl ListState {
    pub(super) fn record_page(&mut self, page: &ConversationPage, first: bool) {
        if first {
            *self = ListState::default();
        }
        self.loaded = true;
        self.next_cursor = page.next_cursor.clone();
        self.seq = Some(self.seq.map_or(page.seq, |seq| seq.min(page.seq)));
        if let Some(last) = page.items.last() {
            let key = key_of(&last.conversation);
            self.oldest = Some(self.oldest.map_or(key, |oldest| oldest.min(key)));
        }
    }

    pub fn complete(&self) -> bool {
        self.loaded && self.next_cursor.is_none()
    }

    /// Whether the loaded pages reach down to `key`.
    fn reaches(&self, key: Key) -> bool {
        self.complete() || self.oldest.is_some_and(|oldest| key >= oldest)
    }

    pub fn len(&self) -> usize {
        self.order.len()
    }

    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    pub fn ids(&self) -> impl Iterator<Item = ConversationId> + '_ {
        self.order.0.iter().map(|(_, id)| *id)
    }
}

/// How much work keeping the lists took: counted so tests can hold it to a bound.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Work {
    /// A conversation inserted into or removed from a list by binary search.
    pub placed: u64,
    /// A list built again from every conversation it may hold.
    pub rebuilt: u64,
    /// Conversations looked at while building or extending lists.
    pub scanned: u64,
}

/// A run of a list's conversations, under a channel heading in "Mine".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListGroup {
    pub channel: Option<Channel>,
    /// How many the server counts in it (the list may not have loaded them all yet).
    pub total: u32,
    pub ids: Vec<ConversationId>,
}

/// Who wrote the message a row previews.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PreviewBy {
    Customer,
    Me,
    /// A teammate, by first name.
    Teammate(String),
}

/// One line of a conversation list, with everything the row shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub id: ConversationId,
    pub version: i64,
    pub channel: Channel,
    /// The entry point the customer wrote to (the inbox's name).
    pub inbox: String,
    pub name: String,
    /// The contact's name is unknown and `name` is their handle.
    pub name_is_handle: bool,
    pub preview: String,
    pub preview_by: PreviewBy,
    pub last_message: Option<MessageId>,
    pub at: DateTime<Utc>,
    pub unread: u32,
    pub assignee: Option<String>,
    /// Closed: the wrap-up reason it was closed with.
    pub closed_reason: Option<String>,
    pub snoozed_until: Option<DateTime<Utc>>,
}

impl State {
    /// Puts a conversation where it now belongs in every list, its copy having changed from
    /// one that sorted at `old` (or having just arrived, or gone, when `None` is its place).
    pub(super) fn place(&mut self, id: ConversationId, old: Option<Key>) {
        let viewer = self.viewer();
        let conversation = self.conversations.get(&id);
        let new = conversation.map(key_of);
        for (view, list) in &mut self.lists {
            let removed = old.is_some_and(|key| list.order.remove(key));
            let inserted = match (conversation, &viewer, new) {
                (Some(c), Some(viewer), Some(key)) => {
                    list.reaches(key) && view.filter().holds(c, viewer) && list.order.insert(key)
                }
                _ => false,
            };
            if removed || inserted {
                self.work.placed += u64::from(removed) + u64::from(inserted);
                // Taken out and put back in the same place: the order did not change.
                if removed != inserted || old != new {
                    self.tracking.touched.add(Topic::List(*view));
                }
            }
        }
    }

    /// Adds the known conversations a list's pages now reach, from `above` (exclusive, the
    /// bound before the page; `None`: the list starts over) down to its new bound.
    pub(super) fn extend_list(&mut self, view: View, above: Option<Key>) {
        let Some(viewer) = self.viewer() else { return };
        let Some(list) = self.lists.get_mut(&view) else {
            return;
        };
        let filter = view.filter();
        let mut scanned = 0;
        let mut added = false;
        // Newest first, from just below `above`, down to where the pages reach.
        for key in self.tracking.by_activity.below(above) {
            if !list.reaches(*key) {
                break;
            }
            scanned += 1;
            if let Some(c) = self.conversations.get(&key.1)
                && filter.holds(c, &viewer)
            {
                added |= list.order.insert(*key);
            }
        }
        self.work.scanned += scanned;
        if above.is_none() {
            self.work.rebuilt += 1;
        }
        if added || above.is_none() {
            self.touch(Topic::List(view));
        }
    }

    /// Builds every list again: what I may see changed (the workspace, who I am).
    pub(super) fn rebuild_lists(&mut self) {
        let views: Vec<View> = self.lists.keys().copied().collect();
        for view in views {
            if let Some(list) = self.lists.get_mut(&view) {
                list.order.clear();
            }
            self.extend_list(view, None);
        }
    }

    /// One row, as the lists show it.
    pub fn row(&self, id: ConversationId) -> Option<Row> {
        let c = self.conversations.get(&id)?;
        let me = self.me.as_ref().map(|a| a.id);
        let name = c.contact.display_name().to_owned();
        Some(Row {
            id: c.id,
            version: c.version,
            channel: c.channel,
            inbox: self
                .inboxes
                .get(&c.inbox_id)
                .map(|i| i.name.clone())
                .unwrap_or_default(),
            name_is_handle: name == c.contact.handle,
            name,
            preview: c
                .last_message
                .as_ref()
                .map(|m| m.preview.clone())
                .unwrap_or_default(),
            preview_by: match c.last_message.as_ref().and_then(|m| m.author) {
                None => PreviewBy::Customer,
                Some(author) if Some(author) == me => PreviewBy::Me,
                Some(author) => PreviewBy::Teammate(
                    self.agent_name(author)
                        .and_then(|name| name.split_whitespace().next())
                        .unwrap_or_default()
                        .to_owned(),
                ),
            },
            last_message: c.last_message.as_ref().map(|m| m.id),
            at: c.last_activity_at,
            unread: self.unread_of(c.id),
            assignee: c
                .assignee
                .filter(|a| Some(*a) != me)
                .and_then(|a| self.agent_name(a))
                .map(str::to_owned),
            closed_reason: c.closure.as_ref().and_then(|c| c.reason.clone()),
            snoozed_until: c.snoozed_until,
        })
    }

    /// The rows of a view for the agent, newest first.
    pub fn rows(&self, view: View) -> Vec<Row> {
        self.lists.get(&view).map_or_else(Vec::new, |list| {
            list.ids().filter_map(|id| self.row(id)).collect()
        })
    }

    /// What a view's list shows: one run of conversations, or for "Mine" one per channel in a
    /// stable order, each with its total from the server's counts.
    pub fn groups(&self, view: View) -> Vec<ListGroup> {
        let Some(list) = self.lists.get(&view) else {
            return Vec::new();
        };
        if view != View::Mine {
            // Before the last page, the server knows how many there are.
            let counted = self
                .counts
                .as_ref()
                .filter(|_| !list.complete())
                .map_or(0, |(c, _)| c.view(view).total);
            return vec![ListGroup {
                channel: None,
                total: counted.max(list.len() as u32),
                ids: list.ids().collect(),
            }];
        }
        let totals = self.counts.as_ref().map(|(c, _)| &c.mine_by_channel);
        Channel::ALL
            .into_iter()
            .filter_map(|channel| {
                let ids: Vec<ConversationId> = list
                    .ids()
                    .filter(|id| {
                        self.conversations
                            .get(id)
                            .is_some_and(|c| c.channel == channel)
                    })
                    .collect();
                let total = totals
                    .and_then(|t| t.get(&channel))
                    .map_or(ids.len() as u32, |c| c.total);
                (!ids.is_empty() || total > 0).then_some(ListGroup {
                    channel: Some(channel),
                    total,
                    ids,
                })
            })
            .collect()
    }
}
