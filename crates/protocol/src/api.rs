//! REST bodies under `/api/v1`, and the error body every failure carries.

use crate::{
    Agent, AgentId, AgentStatus, Availability, Channel, ClientId, Contact, Conversation,
    ConversationId, Inbox, InboxId, Message, MessageId, Routing, Seq, Team, TeamId, ThreadItem,
    WrapUpReason, WrapUpReasonId,
};
use serde::{Deserialize, Serialize};
use std::fmt;

/// `POST /api/v1/session`
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

/// Answer to a login. The same token is also set as an HttpOnly cookie; programs and embedding
/// portals send it as `Authorization: Bearer <token>`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub token: String,
    pub agent: Agent,
}

/// `GET /api/v1/workspace`: who I am, my teammates, the inboxes I belong to, the teams,
/// everyone's availability and load, and the wrap-up reasons.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Workspace {
    pub me: Agent,
    /// I may manage teams and wrap-up reasons.
    #[serde(default)]
    pub admin: bool,
    pub agents: Vec<Agent>,
    /// The inboxes I am a member of.
    pub inboxes: Vec<Inbox>,
    /// Every inbox of the workspace by channel, for moving a conversation and for teams.
    #[serde(default)]
    pub all_inboxes: Vec<Inbox>,
    #[serde(default)]
    pub teams: Vec<Team>,
    #[serde(default)]
    pub statuses: Vec<AgentStatus>,
    #[serde(default)]
    pub wrap_up_reasons: Vec<WrapUpReason>,
    /// Who belongs to each of my inboxes: who a conversation there can be handed to.
    #[serde(default)]
    pub inbox_members: std::collections::BTreeMap<InboxId, Vec<AgentId>>,
    /// The feed position this snapshot reflects, as a conversation page's: the app may fetch
    /// it while the feed connects and fetch it again if the feed began after it.
    pub seq: Seq,
}

/// A conversation with what is personal to the agent who asked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationEntry {
    pub conversation: Conversation,
    /// Customer messages this agent has not read.
    pub unread: u32,
}

/// `GET /api/v1/conversations?view=mine&cursor=...`: newest activity first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationPage {
    pub items: Vec<ConversationEntry>,
    /// Pass back as `cursor` for the next (older) page; `None` on the last page.
    pub next_cursor: Option<String>,
    /// The feed position this snapshot reflects: events up to it are already included.
    pub seq: Seq,
}

/// `GET /api/v1/conversations/{id}`
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationSnapshot {
    #[serde(flatten)]
    pub entry: ConversationEntry,
    pub seq: Seq,
}

/// `GET /api/v1/conversations/{id}/messages?before=...`: a page of the thread, oldest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadPage {
    pub items: Vec<ThreadItem>,
    /// Pass back as `before` for the previous page; `None` when this page starts the thread.
    pub before: Option<MessageId>,
    pub seq: Seq,
}

/// `POST /api/v1/conversations/{id}/messages`. Sending the same `client_id` again returns the
/// stored message instead of sending twice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SendMessage {
    pub client_id: ClientId,
    pub text: String,
    /// Send as a human agent's reply where the channel needs it outside its window.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub human_agent: bool,
    /// Send this template (the server renders `text` from it; what the client put there is
    /// only its preview).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<crate::templates::TemplateUse>,
    /// A private note for the team instead of a reply: the channel's rules do not apply and
    /// nothing reaches the customer.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub note: bool,
    /// Files uploaded for it first (`POST /api/v1/conversations/{id}/attachments`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<crate::AttachmentId>,
}

/// `POST /api/v1/conversations/{id}/read`: everything up to `up_to` has been read by me.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarkRead {
    pub up_to: MessageId,
}

/// `POST /api/v1/conversations/{id}/assign`. Assigning to oneself takes a conversation from
/// the queue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assign {
    pub agent_id: crate::AgentId,
    /// The conversation's `version` the agent acted on: if it changed since, 409.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
}

/// The body of actions that need nothing more than the `version` the agent acted on
/// (`unassign`, `reopen`, `unsnooze`): if the conversation changed since, 409.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Act {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
}

/// To whom a conversation is handed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TransferTarget {
    Agent(AgentId),
    /// The team's queue (or, with routing, the next available member).
    Team(TeamId),
}

/// `POST /api/v1/conversations/{id}/transfer`
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transfer {
    pub to: TransferTarget,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
    /// Hand it to an agent who is Away or Offline anyway (otherwise 409 `agent_unavailable`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub confirmed: bool,
}

/// `POST /api/v1/conversations/{id}/close`
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Close {
    /// Required when the workspace has wrap-up reasons.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<WrapUpReasonId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
    /// Close a teammate's conversation anyway (otherwise 409 `not_yours`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub confirmed: bool,
}

/// `POST /api/v1/conversations/{id}/snooze`
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snooze {
    pub until: chrono::DateTime<chrono::Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
}

/// `POST /api/v1/conversations/{id}/move`: to another inbox of the same channel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoveTo {
    pub inbox_id: InboxId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
}

/// `POST /api/v1/conversations`: an agent starts a conversation with a customer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StartConversation {
    pub channel: Channel,
    /// A phone number (E.164) or an email address, as the channel takes.
    pub to: String,
    /// The entry point it goes out from: an inbox of that channel the agent belongs to.
    pub from: InboxId,
    /// The contact's name, when a new contact is made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Email: the subject.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// The first message, sent as a reply would be (the channel's rules apply: a new
    /// WhatsApp conversation can only start with a template).
    pub message: SendMessage,
}

/// Answer to [`StartConversation`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Started {
    pub entry: ConversationEntry,
    /// The first message, as stored; `None` when an open conversation already existed and
    /// nothing was sent.
    #[serde(default)]
    pub message: Option<Message>,
    /// An open conversation with that contact on that inbox was opened instead of a new one.
    pub existing: bool,
}

/// `GET /api/v1/contacts?channel=&q=`: contacts the agent has conversations with, matching.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactMatches {
    pub items: Vec<Contact>,
}

/// `PUT /api/v1/me/availability`: Available or Away (Offline is the server's to say).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetAvailability {
    pub availability: Availability,
}

/// `POST /api/v1/wrap-up-reasons`, `PUT /api/v1/wrap-up-reasons/{id}` (admins).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaveWrapUpReason {
    pub label: String,
}

/// `POST /api/v1/teams`, `PUT /api/v1/teams/{id}` (admins).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaveTeam {
    pub name: String,
    pub members: Vec<AgentId>,
    pub inboxes: Vec<InboxId>,
    #[serde(default)]
    pub routing: Option<Routing>,
}

/// `POST /api/v1/sandbox/inbound`: a customer message, as the sandbox provider receives it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SandboxInbound {
    pub channel: Channel,
    /// The customer's address on that channel: phone number, email address, username.
    pub from: String,
    #[serde(default)]
    pub name: Option<String>,
    pub text: String,
    /// When the customer sent it, as providers report; now when left out. Reply windows run
    /// from it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<chrono::DateTime<chrono::Utc>>,
    /// Files the customer sends with it (a photo, a voice note, a document).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<InboundFile>,
}

/// A customer's file, as the sandbox takes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboundFile {
    pub name: String,
    /// The bytes, in standard base64.
    pub data: String,
}

/// Answer to a sandbox inbound message: where it landed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboundReceived {
    pub conversation_id: ConversationId,
    pub message: Message,
    /// Whether the message opened a new conversation.
    pub created: bool,
}

/// A code a program can branch on. Unknown codes from a newer server are kept as `Other`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum ErrorCode {
    /// No session, or it expired: log in again.
    Unauthenticated,
    /// Email and password do not match an agent.
    InvalidCredentials,
    /// The request came from another site, or the agent lacks the right.
    Forbidden,
    /// It does not exist, or this agent may not see it.
    NotFound,
    /// The request is malformed: bad JSON, a missing or wrong field.
    InvalidRequest,
    EmptyMessage,
    TextTooLong,
    /// The same `client_id` was already used for another message.
    ClientIdConflict,
    /// Only a failed message can be sent again.
    NotFailed,
    /// Sending it again would fail the same way (a wrong address, a block, an opt-out...).
    RetryWontHelp,
    /// The channel's reply window is closed; the body says what is still allowed.
    WindowClosed,
    /// The contact asked to receive nothing (SMS STOP).
    OptedOut,
    TooManyUnanswered,
    TooManyAttachments,
    AttachmentType,
    AttachmentTooLarge,
    PayloadTooLarge,
    UnsupportedMediaType,
    /// Another quick reply of the same inbox (or the same agent) has this shortcut.
    ShortcutTaken,
    /// The feed's first frame must be `hello`.
    HelloRequired,
    /// Too many failed logins from this client or for this account: wait (`Retry-After`).
    TooManyAttempts,
    /// The conversation changed since the agent looked (`version`): look again first.
    ConversationChanged,
    /// It is a teammate's conversation: confirm to act on it anyway.
    NotYours,
    /// The agent it would go to is Away or Offline: confirm to hand it over anyway.
    AgentUnavailable,
    /// The workspace has wrap-up reasons: closing needs one.
    ReasonRequired,
    /// The agent belongs to no inbox of that channel to send from: an admin must add one.
    NoEntryPoint,
    /// Not a phone number or an email address the channel can reach.
    InvalidAddress,
    /// Another team or reason already has this name.
    NameTaken,
    /// The server is busy (the database is locked): try again after `Retry-After`.
    Busy,
    /// The server has as many connections open as it takes: try again shortly.
    TooManyConnections,
    /// The request took longer than the server allows (a body sent too slowly).
    RequestTimeout,
    /// Our fault; the message says nothing a caller could use.
    Internal,
    Other(String),
}

impl ErrorCode {
    const NAMED: [ErrorCode; 32] = [
        ErrorCode::Unauthenticated,
        ErrorCode::InvalidCredentials,
        ErrorCode::Forbidden,
        ErrorCode::NotFound,
        ErrorCode::InvalidRequest,
        ErrorCode::EmptyMessage,
        ErrorCode::TextTooLong,
        ErrorCode::ClientIdConflict,
        ErrorCode::NotFailed,
        ErrorCode::RetryWontHelp,
        ErrorCode::WindowClosed,
        ErrorCode::OptedOut,
        ErrorCode::TooManyUnanswered,
        ErrorCode::TooManyAttachments,
        ErrorCode::AttachmentType,
        ErrorCode::AttachmentTooLarge,
        ErrorCode::PayloadTooLarge,
        ErrorCode::UnsupportedMediaType,
        ErrorCode::ShortcutTaken,
        ErrorCode::HelloRequired,
        ErrorCode::TooManyAttempts,
        ErrorCode::ConversationChanged,
        ErrorCode::NotYours,
        ErrorCode::AgentUnavailable,
        ErrorCode::ReasonRequired,
        ErrorCode::NoEntryPoint,
        ErrorCode::InvalidAddress,
        ErrorCode::NameTaken,
        ErrorCode::Busy,
        ErrorCode::TooManyConnections,
        ErrorCode::RequestTimeout,
        ErrorCode::Internal,
    ];

    pub fn as_str(&self) -> &str {
        match self {
            ErrorCode::Unauthenticated => "unauthenticated",
            ErrorCode::InvalidCredentials => "invalid_credentials",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::NotFound => "not_found",
            ErrorCode::InvalidRequest => "invalid_request",
            ErrorCode::EmptyMessage => "empty_message",
            ErrorCode::TextTooLong => "text_too_long",
            ErrorCode::ClientIdConflict => "client_id_conflict",
            ErrorCode::NotFailed => "not_failed",
            ErrorCode::RetryWontHelp => "retry_wont_help",
            ErrorCode::WindowClosed => "window_closed",
            ErrorCode::OptedOut => "opted_out",
            ErrorCode::TooManyUnanswered => "too_many_unanswered",
            ErrorCode::TooManyAttachments => "too_many_attachments",
            ErrorCode::AttachmentType => "attachment_type",
            ErrorCode::AttachmentTooLarge => "attachment_too_large",
            ErrorCode::PayloadTooLarge => "payload_too_large",
            ErrorCode::UnsupportedMediaType => "unsupported_media_type",
            ErrorCode::ShortcutTaken => "shortcut_taken",
            ErrorCode::HelloRequired => "hello_required",
            ErrorCode::TooManyAttempts => "too_many_attempts",
            ErrorCode::ConversationChanged => "conversation_changed",
            ErrorCode::NotYours => "not_yours",
            ErrorCode::AgentUnavailable => "agent_unavailable",
            ErrorCode::ReasonRequired => "reason_required",
            ErrorCode::NoEntryPoint => "no_entry_point",
            ErrorCode::InvalidAddress => "invalid_address",
            ErrorCode::NameTaken => "name_taken",
            ErrorCode::Busy => "busy",
            ErrorCode::TooManyConnections => "too_many_connections",
            ErrorCode::RequestTimeout => "request_timeout",
            ErrorCode::Internal => "internal",
            ErrorCode::Other(code) => code,
        }
    }
}

impl From<String> for ErrorCode {
    fn from(code: String) -> Self {
        ErrorCode::NAMED
            .into_iter()
            .find(|named| named.as_str() == code)
            .unwrap_or(ErrorCode::Other(code))
    }
}

impl From<ErrorCode> for String {
    fn from(code: ErrorCode) -> Self {
        code.as_str().to_owned()
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The body of every error answer, REST and feed alike.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    pub code: ErrorCode,
    /// A sentence for a person (in English; the app shows its own translation by `code`).
    pub message: String,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError {
            code,
            message: message.into(),
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message, self.code)
    }
}

impl std::error::Error for ApiError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_named_error_code_round_trips_and_unknown_ones_are_kept() {
        for code in ErrorCode::NAMED {
            assert_eq!(ErrorCode::from(code.as_str().to_owned()), code);
        }
        let newer: ErrorCode = serde_json::from_str("\"quota_exceeded\"").unwrap();
        assert_eq!(newer, ErrorCode::Other("quota_exceeded".into()));
        assert_eq!(serde_json::to_string(&newer).unwrap(), "\"quota_exceeded\"");
    }
}
