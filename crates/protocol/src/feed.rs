//! The websocket feed at `/api/v1/feed`.
//!
//! The client's first frame is `hello`; credentials travel in it (or, for the same-origin app,
//! in the session cookie of the upgrade request), never in the URL. The server answers
//! `welcome`, replays every event after `since`, then streams live ones. Every event carries its
//! position `seq` in the server's durable log, so a client that reconnects with the last `seq`
//! it applied misses nothing and sees nothing twice. When `since` is older than the log keeps,
//! the server says `resync` and the client refetches its snapshots.

use crate::{
    Agent, AgentStatus, ApiError, ClientId, Conversation, ConversationEvent, ConversationId,
    Counts, Failure, Message, MessageId, MessageStatus, Seq,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Frames the client sends.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientFrame {
    Hello {
        /// A bearer token; the same-origin app leaves it out and is known by its cookie.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        token: Option<String>,
        /// The last `seq` this client applied; `None` for a client starting from snapshots.
        #[serde(default)]
        since: Option<Seq>,
        /// The `log` of the welcome that `since` belongs to. When the server's log is another
        /// (a restored or replaced database), seqs mean other things: it says `resync`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        log: Option<String>,
    },
    Ping,
}

/// Frames the server sends.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerFrame {
    /// Authenticated. `seq` is the head of the log; when the client sent no `since`, `counts`
    /// are the agent's current counts and the client continues from `seq`.
    Welcome {
        agent: Agent,
        seq: Seq,
        /// Names this server's log; send it back with `since` when resuming.
        log: String,
        #[serde(default)]
        counts: Option<Counts>,
    },
    Event(FeedEvent),
    /// The client's `since` is no longer in the log: drop cached lists and threads, refetch
    /// them, and continue from `seq`.
    Resync {
        seq: Seq,
        counts: Counts,
    },
    /// The answer to a ping, and also sent unasked every heartbeat (25 s): a client whose
    /// timers are throttled (a hidden tab) still hears the server often enough.
    Pong,
    /// The frame or the credentials were refused. After an authentication error the server
    /// closes the socket.
    Error(ApiError),
}

/// One entry of the log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedEvent {
    pub seq: Seq,
    pub at: DateTime<Utc>,
    #[serde(flatten)]
    pub body: EventBody,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind")]
pub enum EventBody {
    #[serde(rename = "message.created")]
    MessageCreated { message: Message },
    #[serde(rename = "message.status")]
    MessageStatus {
        conversation_id: ConversationId,
        message_id: MessageId,
        client_id: Option<ClientId>,
        status: MessageStatus,
        failure: Option<Failure>,
        /// The attempt it is about (see [`Message::attempt`]).
        #[serde(default)]
        attempt: u32,
    },
    #[serde(rename = "conversation.created")]
    ConversationCreated { conversation: Conversation },
    #[serde(rename = "conversation.updated")]
    ConversationUpdated { conversation: Conversation },
    /// Assigned, closed, reopened...: shown inline in the thread.
    #[serde(rename = "conversation.event")]
    ConversationEvent { event: ConversationEvent },
    /// This agent's counts changed, and with them the unread count of these conversations.
    /// Only the agent concerned receives it.
    #[serde(rename = "unread.counts")]
    UnreadCounts {
        counts: Counts,
        #[serde(default)]
        conversations: Vec<ConversationUnread>,
    },
    /// The conversation is out of this agent's sight now (transferred or moved away): drop
    /// it. Sent to those who could see it before and cannot any more.
    #[serde(rename = "conversation.gone")]
    ConversationGone { conversation_id: ConversationId },
    /// A teammate's availability or load changed.
    #[serde(rename = "agent.status")]
    AgentStatus { status: AgentStatus },
    /// Teams, wrap-up reasons or memberships changed: fetch the workspace again. `sight`:
    /// what the agent may see may have changed too (teams give sight): fetch the lists again.
    #[serde(rename = "workspace.changed")]
    WorkspaceChanged {
        #[serde(default = "yes")]
        sight: bool,
    },
}

impl EventBody {
    /// The wire name of the event kind (`message.created`...).
    pub fn kind(&self) -> &'static str {
        match self {
            EventBody::MessageCreated { .. } => "message.created",
            EventBody::MessageStatus { .. } => "message.status",
            EventBody::ConversationCreated { .. } => "conversation.created",
            EventBody::ConversationUpdated { .. } => "conversation.updated",
            EventBody::ConversationEvent { .. } => "conversation.event",
            EventBody::UnreadCounts { .. } => "unread.counts",
            EventBody::ConversationGone { .. } => "conversation.gone",
            EventBody::AgentStatus { .. } => "agent.status",
            EventBody::WorkspaceChanged { .. } => "workspace.changed",
        }
    }
}

fn yes() -> bool {
    true
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationUnread {
    pub conversation_id: ConversationId,
    pub unread: u32,
}
