//! What a change touched, so that only what shows it recomputes: the store keeps one trigger
//! per topic and readers subscribe to the topics they read.

use switchboard_protocol::{ConversationId, View};

/// A part of the state that readers subscribe to on its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Topic {
    /// Everything that changes seldom: the connection, the workspace (agents, inboxes, teams,
    /// availability, reasons), who I am, what is gone or kept unread, the resync generation.
    Meta,
    /// The per-view counts.
    Counts,
    /// Replies not confirmed yet, across every thread (the outbox).
    Unsent,
    /// Which conversations a view holds, and in what order.
    List(View),
    /// One conversation's record and unread count (its row, its header).
    Row(ConversationId),
    /// One conversation's thread.
    Thread(ConversationId),
}

/// The topics a change touched (a topic may be named twice: waking a reader twice is
/// harmless, a set would cost the first load); `everything` after a resync or a reset.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Touched {
    pub everything: bool,
    pub topics: Vec<Topic>,
}

impl Touched {
    pub fn add(&mut self, topic: Topic) {
        if !self.everything && self.topics.last() != Some(&topic) {
            self.topics.push(topic);
        }
    }

    /// Each topic once, in order: what tests compare.
    pub fn distinct(&self) -> Vec<Topic> {
        let mut topics = self.topics.clone();
        topics.sort_unstable();
        topics.dedup();
        topics
    }

    pub fn all(&mut self) {
        self.everything = true;
        self.topics.clear();
    }

    pub fn is_empty(&self) -> bool {
        !self.everything && self.topics.is_empty()
    }

    pub fn has(&self, topic: Topic) -> bool {
        self.everything || self.topics.contains(&topic)
    }
}
