//! One conversation's thread as the client knows it: the items loaded so far, merged by id,
//! and the agent's messages still on their way (shown at once, replaced by the server's copy
//! when it arrives with the same `client_id`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use switchboard_protocol::api::ThreadPage;
use switchboard_protocol::status::supersedes;
use switchboard_protocol::templates::TemplateUse;
use switchboard_protocol::{
    Attachment, ClientId, Direction, Failure, Message, MessageId, MessageStatus, ThreadItem,
};

#[derive(Clone, Debug, Default)]
pub struct Thread {
    /// Shared with the lines shown: an item that did not change is the same `Arc`, so the
    /// thread's lines rebuild only what changed.
    items: BTreeMap<MessageId, Arc<ThreadItem>>,
    /// Statuses reported for messages not loaded yet; applied when they are.
    statuses: HashMap<MessageId, Report>,
    pending: Vec<Pending>,
    /// Where the previous (older) page starts; `None` with `reached_start` when there is none.
    pub before: Option<MessageId>,
    /// The newest page has been fetched.
    pub loaded: bool,
    pub reached_start: bool,
}

/// What the agent sends: text, or a template (whose `text` is the filled-in preview), to the
/// customer or, as a private note, to the team.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outgoing {
    pub text: String,
    #[serde(default)]
    pub human_agent: bool,
    #[serde(default)]
    pub template: Option<TemplateUse>,
    #[serde(default)]
    pub note: bool,
    /// Files uploaded for it.
    #[serde(default)]
    pub attachments: Vec<Attachment>,
}

/// A message the agent sent that the server has not confirmed yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pending {
    pub client_id: ClientId,
    pub outgoing: Outgoing,
    pub created_at: DateTime<Utc>,
    pub state: PendingState,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PendingState {
    Sending,
    /// The server cannot be reached (offline): it goes, in its turn, when it can.
    Waiting,
    /// Not sent; `reason` says why, in the agent's language.
    Failed {
        reason: String,
    },
}

/// What the thread shows, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Entry {
    Item(ThreadItem),
    Pending(Pending),
}

/// A delivery report: the attempt it is about, the status, the failure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    pub attempt: u32,
    pub status: MessageStatus,
    pub failure: Option<Failure>,
}

/// Keeps the further-along status of two copies of a message.
fn merge_status(message: &mut Message, report: &Report) {
    if let Some(current) = message.status
        && supersedes((message.attempt, current), (report.attempt, report.status))
    {
        message.attempt = report.attempt;
        message.status = Some(report.status);
        message.failure = report.failure.clone();
    }
}

fn report_of(message: &Message) -> Option<Report> {
    Some(Report {
        attempt: message.attempt,
        status: message.status?,
        failure: message.failure.clone(),
    })
}

impl Thread {
    /// Adds or refreshes an item. The server's copy of a message, however it arrives (echo,
    /// send answer, page), takes the place of its optimistic copy.
    pub fn insert(&mut self, item: ThreadItem) {
        let item = match item {
            ThreadItem::Message(message) => {
                if let Some(client_id) = message.client_id {
                    self.pending.retain(|p| p.client_id != client_id);
                }
                ThreadItem::Message(self.settle(message))
            }
            event => event,
        };
        // The same item again (a page fetched anew) keeps its `Arc`: its line is not rebuilt.
        if self
            .items
            .get(&item.id())
            .is_none_or(|known| **known != item)
        {
            self.items.insert(item.id(), Arc::new(item));
        }
    }

    pub fn insert_message(&mut self, message: Message) {
        self.insert(ThreadItem::Message(message));
    }

    /// Brings a copy of a message up to the newest status known for it.
    fn settle(&self, mut message: Message) -> Message {
        if let Some(ThreadItem::Message(known)) = self.items.get(&message.id).map(|k| &**k)
            && let Some(report) = report_of(known)
        {
            merge_status(&mut message, &report);
        }
        if let Some(report) = self.statuses.get(&message.id) {
            merge_status(&mut message, report);
        }
        message
    }

    pub fn report_status(&mut self, id: MessageId, report: Report) {
        let newer = self.statuses.get(&id).is_none_or(|known| {
            supersedes(
                (known.attempt, known.status),
                (report.attempt, report.status),
            )
        });
        if let Some(item) = self.items.get_mut(&id)
            && let ThreadItem::Message(message) = &**item
            && message.status.is_some_and(|current| {
                supersedes((message.attempt, current), (report.attempt, report.status))
            })
            && let ThreadItem::Message(message) = Arc::make_mut(item)
        {
            merge_status(message, &report);
        }
        if newer {
            self.statuses.insert(id, report);
        }
    }

    /// A page from the server. `newest`: the page without a `before` cursor.
    pub fn merge_page(&mut self, page: ThreadPage, newest: bool) {
        let first_load = !self.loaded;
        for item in page.items {
            self.insert(item);
        }
        // A refresh of the newest page keeps the older pages already loaded.
        if !newest || first_load {
            self.before = page.before;
            self.reached_start = page.before.is_none();
        }
        self.loaded = true;
    }

    /// After a resync: drop what was loaded, keep what the agent is sending.
    pub fn forget_items(&mut self) {
        let pending = std::mem::take(&mut self.pending);
        *self = Thread {
            pending,
            ..Thread::default()
        };
    }

    pub fn add_pending(
        &mut self,
        client_id: ClientId,
        outgoing: Outgoing,
        created_at: DateTime<Utc>,
    ) {
        self.pending.push(Pending {
            client_id,
            outgoing,
            created_at,
            state: PendingState::Sending,
        });
    }

    pub fn set_pending_state(&mut self, client_id: ClientId, state: PendingState) {
        if let Some(pending) = self.pending.iter_mut().find(|p| p.client_id == client_id) {
            pending.state = state;
        }
    }

    pub fn pending(&self, client_id: ClientId) -> Option<&Pending> {
        self.pending.iter().find(|p| p.client_id == client_id)
    }

    pub fn pending_all(&self) -> &[Pending] {
        &self.pending
    }

    /// Whether the server already holds the message sent with this `client_id`.
    pub fn confirmed(&self, client_id: ClientId) -> bool {
        self.items
            .values()
            .any(|item| matches!(&**item, ThreadItem::Message(m) if m.client_id == Some(client_id)))
    }

    /// The newest item the server has confirmed.
    pub fn latest_id(&self) -> Option<MessageId> {
        self.items.keys().next_back().copied()
    }

    /// Where the unread part begins when the newest `unread` customer messages are unread
    /// (what the server counts): the oldest of them. When fewer are loaded, all of those are
    /// unread, and the first of them is where it begins only if the thread starts there.
    pub fn first_unread(&self, unread: u32) -> Option<MessageId> {
        if unread == 0 {
            return None;
        }
        let mut from_customer = self.items.values().rev().filter(
            |item| matches!(&***item, ThreadItem::Message(m) if m.direction == Direction::In),
        );
        let mut oldest = None;
        for _ in 0..unread {
            match from_customer.next() {
                Some(item) => oldest = Some(item.id()),
                None => return oldest.filter(|_| self.reached_start),
            }
        }
        oldest
    }

    /// The items the server holds, in order, as shared with the lines shown.
    pub fn items(&self) -> impl DoubleEndedIterator<Item = &Arc<ThreadItem>> {
        self.items.values()
    }

    pub fn entries(&self) -> Vec<Entry> {
        self.items
            .values()
            .map(|item| Entry::Item((**item).clone()))
            .chain(self.pending.iter().cloned().map(Entry::Pending))
            .collect()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty() && self.pending.is_empty()
    }
}
