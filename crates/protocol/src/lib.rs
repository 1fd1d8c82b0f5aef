//! The contract between the Switchboard app and any server that speaks its protocol.
//!
//! Everything here is plain data plus pure functions: no I/O, builds for wasm32 and native.
//! The reference server and the app both depend on it, so a rule written here is enforced
//! in one place and shown to the agent by the very same code.

pub mod access;
pub mod api;
pub mod channel;
pub mod counts;
pub mod emoji;
pub mod failures;
pub mod feed;
pub mod filter;
pub mod ids;
pub mod model;
pub mod quick_replies;
pub mod rules;
pub mod search;
pub mod status;
pub mod templates;
pub mod variables;

pub use access::Viewer;
pub use api::{ApiError, ErrorCode};
pub use channel::Channel;
pub use counts::{Counts, View, ViewCount};
pub use feed::{ClientFrame, ConversationUnread, EventBody, FeedEvent, ServerFrame};
pub use filter::{AssigneeFilter, Filter, Group, TeamFilter};
pub use ids::{
    AgentId, AttachmentId, ClientId, ContactId, ConversationId, InboxId, MessageId, QuickReplyId,
    Seq, TeamId, WrapUpReasonId,
};
pub use model::{
    Agent, AgentStatus, Attachment, AttachmentKind, Availability, Cause, Closure, Contact,
    Conversation, ConversationEvent, ConversationEventKind, ConversationStatus, Direction,
    EventDetails, Failure, Inbox, LastMessage, Message, Routing, Team, ThreadItem, WrapUpReason,
};
pub use status::MessageStatus;
