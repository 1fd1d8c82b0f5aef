//! The client's cache of the server's truth, and the only code that changes it.
//!
//! REST snapshots and feed events both go through the pure functions here, so the two
//! converge whatever order they arrive in: events are applied once each, in seq order;
//! conversation copies with a lower `version` are ignored; statuses only move forward;
//! unread counts carry the seq they are true at. Plain Rust, unit-tested natively. Every change records what it touched
//! ([`Touched`]); the store wakes only the readers of those topics.

mod lists;
mod store;
mod thread;
mod touched;
mod unsent;

pub use lists::{Key, ListGroup, ListState, PreviewBy, Row, Work, key_of};
pub use store::{Era, Store, use_store};
pub use thread::{Entry, Outgoing, Pending, PendingState, Thread};
pub use touched::{Topic, Touched};
pub use unsent::Unsent;

use std::collections::HashMap;
use switchboard_protocol::api::{ConversationEntry, ConversationPage, ThreadPage, Workspace};
use switchboard_protocol::{
    Agent, AgentId, AgentStatus, ClientId, Conversation, ConversationId, Counts, EventBody,
    FeedEvent, Inbox, InboxId, Message, Seq, ServerFrame, Team, TeamId, View, Viewer, WrapUpReason,
};

/// The feed's state, for the connection banner.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Connection {
    /// Not started, or connecting for the first time.
    #[default]
    Connecting,
    Live,
    /// Lost; trying again.
    Reconnecting,
}

#[derive(Clone, Debug, Default)]
pub struct State {
    pub me: Option<Agent>,
    pub agents: HashMap<AgentId, Agent>,
    /// The inboxes I am a member of.
    pub inboxes: HashMap<InboxId, Inbox>,
    /// Every inbox (only an admin is told them all).
    pub all_inboxes: HashMap<InboxId, Inbox>,
    pub teams: Vec<Team>,
    /// Everyone's availability and load, kept live by the feed.
    pub statuses: HashMap<AgentId, AgentStatus>,
    pub wrap_up_reasons: Vec<WrapUpReason>,
    /// I may manage teams and wrap-up reasons.
    pub admin: bool,
    /// Grows when the workspace changed on the server (teams, reasons): it is fetched again.
    pub workspace_generation: u64,
    /// Who belongs to each of my inboxes.
    pub inbox_members: HashMap<InboxId, Vec<AgentId>>,
    /// Conversations that left my sight (transferred or moved away): their copies are not
    /// taken back from a late answer, and an open one says it is gone.
    pub gone: std::collections::HashSet<ConversationId>,
    /// Marked unread by the agent while open, with its newest item then: reading it on screen
    /// does not mark it read again until something newer comes.
    pub kept_unread: HashMap<ConversationId, switchboard_protocol::MessageId>,
    pub conversations: HashMap<ConversationId, Conversation>,
    /// This agent's unread count per conversation, with the seq it is true at.
    pub unread: HashMap<ConversationId, (u32, Seq)>,
    pub lists: HashMap<View, ListState>,
    pub threads: HashMap<ConversationId, Thread>,
    pub counts: Option<(Counts, Seq)>,
    /// The last feed event applied: the feed resumes after it.
    pub last_seq: Option<Seq>,
    /// Where this session's feed began (its first welcome, or the last resync). A snapshot
    /// taken before it may lack what happened in between, so it is fetched again; one taken
    /// at or after it is kept current by the feed. This lets the first screen fetch its
    /// snapshots while the feed connects instead of after.
    pub feed_from: Option<Seq>,
    /// The feed position the workspace reflects.
    pub workspace_seq: Option<Seq>,
    /// The server log `last_seq` belongs to.
    pub log: Option<String>,
    pub connection: Connection,
    /// Grows on every resync: views refetch what they show when it changes.
    pub generation: u64,
    /// Whose unsent replies the threads hold, once they were restored: only then may the
    /// browser's copy be overwritten.
    pub unsent_of: Option<AgentId>,
    /// The state's own bookkeeping (the sort index, what changed), for its methods only.
    pub tracking: Tracking,
    pub work: Work,
}

#[derive(Clone, Debug, Default)]
pub struct Tracking {
    /// Every known conversation by where it sorts: lists take what their pages reach from it.
    by_activity: lists::Sorted,
    /// What changed since the store last looked.
    touched: Touched,
}

impl State {
    pub fn apply_workspace(&mut self, workspace: Workspace) {
        self.agents = workspace.agents.into_iter().map(|a| (a.id, a)).collect();
        self.inboxes = workspace.inboxes.into_iter().map(|i| (i.id, i)).collect();
        self.all_inboxes = workspace
            .all_inboxes
            .into_iter()
            .map(|i| (i.id, i))
            .collect();
        self.teams = workspace.teams;
        self.statuses = workspace
            .statuses
            .into_iter()
            .map(|s| (s.agent_id, s))
            .collect();
        self.wrap_up_reasons = workspace.wrap_up_reasons;
        self.inbox_members = workspace.inbox_members.into_iter().collect();
        self.admin = workspace.admin;
        self.me = Some(workspace.me);
        self.workspace_seq = Some(workspace.seq);
        self.refetch_if_stale_workspace();
        self.touch(Topic::Meta);
        // Inboxes and teams decide what I see.
        self.rebuild_lists();
    }

    fn touch(&mut self, topic: Topic) {
        self.tracking.touched.add(topic);
    }

    /// Whether a snapshot at `seq` was taken before the feed began (see `feed_from`).
    fn predates_feed(&self, seq: Seq) -> bool {
        self.feed_from.is_some_and(|from| seq < from)
    }

    /// The workspace is fetched again if it predates the feed.
    fn refetch_if_stale_workspace(&mut self) {
        if self
            .workspace_seq
            .is_some_and(|seq| self.predates_feed(seq))
        {
            self.workspace_seq = None;
            self.workspace_generation += 1;
            self.touch(Topic::Meta);
        }
    }

    /// The feed began at `seq`: what was fetched before it is fetched again (a list keeps
    /// showing its rows meanwhile; it is only no longer `loaded`).
    fn feed_began(&mut self, seq: Seq) {
        self.feed_from = Some(seq);
        let stale: Vec<View> = self
            .lists
            .iter()
            .filter(|(_, list)| list.loaded && list.seq.is_some_and(|at| at < seq))
            .map(|(view, _)| *view)
            .collect();
        for view in stale {
            if let Some(list) = self.lists.get_mut(&view) {
                list.loaded = false;
            }
            self.touch(Topic::List(view));
        }
        self.refetch_if_stale_workspace();
    }

    /// What changed since the last call, and forgets it.
    pub fn take_touched(&mut self) -> Touched {
        std::mem::take(&mut self.tracking.touched)
    }

    pub fn set_connection(&mut self, connection: Connection) {
        if self.connection != connection {
            self.connection = connection;
            self.touch(Topic::Meta);
        }
    }

    pub fn set_status(&mut self, status: AgentStatus) {
        self.statuses.insert(status.agent_id, status);
        self.touch(Topic::Meta);
    }

    pub fn set_statuses(&mut self, statuses: Vec<AgentStatus>) {
        self.statuses = statuses.into_iter().map(|s| (s.agent_id, s)).collect();
        self.touch(Topic::Meta);
    }

    pub fn forget_kept_unread(&mut self, id: ConversationId) {
        if self.kept_unread.remove(&id).is_some() {
            self.touch(Topic::Meta);
        }
    }

    /// What my sight depends on, as far as the cache knows (the one access rule).
    pub fn viewer(&self) -> Option<Viewer> {
        let me = self.me.as_ref()?.id;
        Some(Viewer {
            me,
            inboxes: self.inboxes.keys().copied().collect(),
            teams: self
                .teams
                .iter()
                .filter(|t| t.members.contains(&me))
                .map(|t| t.id)
                .collect(),
        })
    }

    pub fn team_name(&self, id: TeamId) -> Option<&str> {
        self.teams
            .iter()
            .find(|t| t.id == id)
            .map(|t| t.name.as_str())
    }

    /// An inbox's name, whether or not I am in it.
    pub fn inbox_name(&self, id: InboxId) -> Option<&str> {
        self.inboxes
            .get(&id)
            .or_else(|| self.all_inboxes.get(&id))
            .map(|i| i.name.as_str())
    }

    /// Stores a copy of a conversation unless ours is newer.
    pub fn upsert_conversation(&mut self, conversation: Conversation) {
        if self.gone.contains(&conversation.id) {
            return;
        }
        let id = conversation.id;
        let old = match self.conversations.get(&id) {
            Some(known) if known.version > conversation.version || *known == conversation => {
                return;
            }
            known => known.map(key_of),
        };
        let new = key_of(&conversation);
        self.conversations.insert(id, conversation);
        if let Some(old) = old {
            self.tracking.by_activity.remove(old);
        }
        self.tracking.by_activity.insert(new);
        self.touch(Topic::Row(id));
        self.place(id, old);
    }

    /// Forgets a conversation: it left my sight.
    fn remove_conversation(&mut self, id: ConversationId) {
        self.unread.remove(&id);
        if let Some(gone) = self.conversations.remove(&id) {
            let old = key_of(&gone);
            self.tracking.by_activity.remove(old);
            self.place(id, Some(old));
        }
        self.touch(Topic::Row(id));
    }

    /// Sets an unread count unless we hold one true at a later seq.
    pub fn set_unread(&mut self, id: ConversationId, unread: u32, at: Seq) {
        match self.unread.get(&id) {
            Some((_, known)) if *known > at => {}
            Some((count, _)) if *count == unread => {
                self.unread.insert(id, (unread, at));
            }
            _ => {
                self.unread.insert(id, (unread, at));
                self.touch(Topic::Row(id));
            }
        }
    }

    pub fn unread_of(&self, id: ConversationId) -> u32 {
        self.unread.get(&id).map_or(0, |(n, _)| *n)
    }

    pub fn apply_entry(&mut self, entry: ConversationEntry, seq: Seq) {
        self.set_unread(entry.conversation.id, entry.unread, seq);
        self.upsert_conversation(entry.conversation);
    }

    /// A page of a view arrived; `first` when it was asked for without a cursor. Returns false
    /// when it predates the feed: the view must be fetched again from its first page.
    pub fn apply_page(&mut self, view: View, page: ConversationPage, first: bool) -> bool {
        let seq = page.seq;
        let list = self.lists.entry(view).or_default();
        // Where the list ended before this page: known conversations below it join now.
        let above = if first || !list.loaded {
            None
        } else {
            list.oldest
        };
        list.record_page(&page, first);
        self.touch(Topic::List(view));
        for entry in page.items {
            self.apply_entry(entry, seq);
        }
        self.extend_list(view, above);
        let fresh = !self.predates_feed(seq);
        if !fresh && let Some(list) = self.lists.get_mut(&view) {
            list.loaded = false;
        }
        fresh
    }

    pub fn apply_thread_page(&mut self, id: ConversationId, page: ThreadPage, newest: bool) {
        self.threads.entry(id).or_default().merge_page(page, newest);
        self.touch(Topic::Thread(id));
        self.touch(Topic::Unsent);
    }

    /// Keeps a conversation's thread live from now on: feed events for it are kept, even
    /// before its first page arrives. Threads nobody opened are not kept (the page has them).
    pub fn watch_thread(&mut self, id: ConversationId) {
        if let std::collections::hash_map::Entry::Vacant(thread) = self.threads.entry(id) {
            thread.insert(Thread::default());
            self.touch(Topic::Thread(id));
        }
    }

    /// The server's answer to a send: the stored message replaces the optimistic one.
    pub fn apply_sent(&mut self, message: Message) {
        self.touch_thread(message.conversation_id, true);
        self.threads
            .entry(message.conversation_id)
            .or_default()
            .insert_message(message);
    }

    /// A thread changed; `unsent`: what the agent is sending may have too.
    fn touch_thread(&mut self, id: ConversationId, unsent: bool) {
        self.touch(Topic::Thread(id));
        if unsent {
            self.touch(Topic::Unsent);
        }
    }

    /// Shows a reply at once, before the server has it.
    pub fn add_pending(
        &mut self,
        id: ConversationId,
        client_id: ClientId,
        outgoing: Outgoing,
        created_at: chrono::DateTime<chrono::Utc>,
    ) {
        self.touch_thread(id, true);
        self.threads
            .entry(id)
            .or_default()
            .add_pending(client_id, outgoing, created_at);
    }

    /// The agent marked it unread: it stays so while they look at it, until something new.
    pub fn keep_unread(&mut self, id: ConversationId) {
        if let Some(latest) = self.threads.get(&id).and_then(|t| t.latest_id()) {
            self.kept_unread.insert(id, latest);
            self.touch(Topic::Meta);
        }
    }

    /// Whether it is kept unread with `latest` its newest item.
    pub fn kept_unread(&self, id: ConversationId, latest: switchboard_protocol::MessageId) -> bool {
        self.kept_unread
            .get(&id)
            .is_some_and(|kept| *kept >= latest)
    }

    /// Marks everything up to the newest loaded item read, before the server confirms it:
    /// the bubble clears at once; the agent's own `unread.counts` event settles it.
    pub fn mark_read_locally(&mut self, id: ConversationId) {
        let at = self.last_seq.unwrap_or_default();
        self.set_unread(id, 0, at);
    }

    /// Applies one frame of the feed. Returns false for an event already applied.
    pub fn apply_frame(&mut self, frame: ServerFrame) -> bool {
        match frame {
            ServerFrame::Welcome {
                agent,
                seq,
                log,
                counts,
            } => {
                let new_me = self.me.is_none();
                self.me.get_or_insert(agent);
                self.log = Some(log);
                if let Some(counts) = counts {
                    self.set_counts(counts, seq);
                }
                if self.last_seq.is_none() {
                    self.last_seq = Some(seq);
                    self.feed_began(seq);
                }
                self.connection = Connection::Live;
                self.touch(Topic::Meta);
                if new_me {
                    self.rebuild_lists();
                }
                true
            }
            ServerFrame::Event(event) => self.apply_event(event),
            ServerFrame::Resync { seq, counts } => {
                self.resync(seq);
                self.set_counts(counts, seq);
                true
            }
            ServerFrame::Pong | ServerFrame::Error(_) => true,
        }
    }

    fn set_counts(&mut self, counts: Counts, at: Seq) {
        if self.counts.as_ref().is_none_or(|(_, known)| *known <= at) {
            if self
                .counts
                .as_ref()
                .is_none_or(|(known, _)| *known != counts)
            {
                self.touch(Topic::Counts);
            }
            self.counts = Some((counts, at));
        }
    }

    /// Forgets every cached list and conversation (keeping what the agent is still sending)
    /// and continues from `seq`; views refetch when `generation` changes.
    fn resync(&mut self, seq: Seq) {
        self.forget_lists();
        self.gone.clear();
        for thread in self.threads.values_mut() {
            thread.forget_items();
        }
        self.last_seq = Some(seq);
        self.feed_from = Some(seq);
    }

    /// Forgets the lists and the conversations they hold; views refetch them.
    fn forget_lists(&mut self) {
        self.conversations.clear();
        self.tracking.by_activity.clear();
        self.unread.clear();
        self.lists.clear();
        self.generation += 1;
        self.tracking.touched.all();
    }

    pub fn apply_event(&mut self, event: FeedEvent) -> bool {
        if self.last_seq.is_some_and(|last| event.seq <= last) {
            return false;
        }
        self.last_seq = Some(event.seq);
        match event.body {
            EventBody::MessageCreated { message } => {
                let id = message.conversation_id;
                if let Some(thread) = self.threads.get_mut(&id) {
                    let unsent = message.client_id.is_some();
                    thread.insert_message(message);
                    self.touch_thread(id, unsent);
                }
            }
            EventBody::MessageStatus {
                conversation_id,
                message_id,
                status,
                failure,
                attempt,
                ..
            } => {
                if let Some(thread) = self.threads.get_mut(&conversation_id) {
                    let report = thread::Report {
                        attempt,
                        status,
                        failure,
                    };
                    thread.report_status(message_id, report);
                    self.touch_thread(conversation_id, false);
                }
            }
            EventBody::ConversationCreated { conversation }
            | EventBody::ConversationUpdated { conversation } => {
                // The feed says I see it (again): it is no longer gone.
                if self.gone.remove(&conversation.id) {
                    self.touch(Topic::Meta);
                }
                self.upsert_conversation(conversation);
            }
            EventBody::ConversationEvent { event: item } => {
                let id = item.conversation_id;
                if let Some(thread) = self.threads.get_mut(&id) {
                    thread.insert(switchboard_protocol::ThreadItem::Event(item));
                    self.touch_thread(id, false);
                }
            }
            EventBody::UnreadCounts {
                counts,
                conversations,
            } => {
                self.set_counts(counts, event.seq);
                for unread in conversations {
                    self.set_unread(unread.conversation_id, unread.unread, event.seq);
                }
            }
            EventBody::ConversationGone { conversation_id } => {
                self.remove_conversation(conversation_id);
                // What the agent was still sending stays theirs to see fail or go.
                if let Some(thread) = self.threads.get_mut(&conversation_id) {
                    thread.forget_items();
                    self.touch_thread(conversation_id, true);
                }
                self.gone.insert(conversation_id);
                self.touch(Topic::Meta);
            }
            EventBody::AgentStatus { status } => self.set_status(status),
            EventBody::WorkspaceChanged { sight } => {
                self.workspace_generation += 1;
                self.touch(Topic::Meta);
                // Teams give sight: what the lists hold may have changed too.
                if sight {
                    self.forget_lists();
                }
            }
        }
        true
    }

    /// The name to show for an agent.
    pub fn agent_name(&self, id: AgentId) -> Option<&str> {
        self.agents.get(&id).map(|a| a.name.as_str())
    }
}

#[cfg(test)]
mod tests;
