//! The things an inbox is made of: agents, inboxes, contacts, conversations and their threads.

use crate::{
    AgentId, AttachmentId, Channel, ClientId, ContactId, ConversationId, InboxId, MessageId,
    MessageStatus, TeamId, WrapUpReasonId,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agent {
    pub id: AgentId,
    pub name: String,
    pub email: String,
}

/// Whether an agent can take conversations now. Available and Away are the agent's choice;
/// Offline is the server's observation (no app open).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Availability {
    Available,
    Away,
    #[default]
    Offline,
}

impl Availability {
    pub fn as_str(self) -> &'static str {
        match self {
            Availability::Available => "available",
            Availability::Away => "away",
            Availability::Offline => "offline",
        }
    }
}

/// An agent's availability and load as teammates see it, live.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentStatus {
    pub agent_id: AgentId,
    pub availability: Availability,
    /// Open conversations assigned to them.
    pub load: u32,
}

/// A team (a queue): agents serving some inboxes together. A conversation of one of its
/// inboxes waits in its queue; with routing on, it is offered to its members in turn.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Team {
    pub id: TeamId,
    pub name: String,
    pub members: Vec<AgentId>,
    /// Each inbox is served by at most one team.
    pub inboxes: Vec<InboxId>,
    /// `None`: conversations wait in the queue until someone takes them.
    #[serde(default)]
    pub routing: Option<Routing>,
}

/// How a team hands out its queue: round-robin to Available members under their capacity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Routing {
    /// Open conversations an agent may hold before they are skipped.
    pub capacity: u32,
    /// Seconds an agent has to open an offered conversation before it goes back to the queue.
    pub offer_timeout_secs: u32,
}

/// A reason to give when closing a conversation (a workspace list, managed in Settings).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WrapUpReason {
    pub id: WrapUpReasonId,
    pub label: String,
}

/// How a closed conversation ended.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Closure {
    /// The wrap-up reason's label when it was closed.
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub by: Option<AgentId>,
    pub at: DateTime<Utc>,
}

/// One channel entry point: a WhatsApp number, a Messenger page, a support address.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inbox {
    pub id: InboxId,
    pub channel: Channel,
    pub name: String,
    /// What the customer wrote to: `+34 910 000 001`, `soporte@example.com`, a page name.
    pub address: String,
}

/// A customer as known on one channel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub id: ContactId,
    pub channel: Channel,
    /// The channel's address for them: a phone number, an email address, a username.
    pub handle: String,
    /// Unknown until the customer or an agent tells us.
    pub name: Option<String>,
    /// Asked to receive nothing more (SMS STOP) until they opt back in.
    #[serde(default)]
    pub opted_out: bool,
}

impl Conversation {
    /// Where the conversation stands for the channel rules, at `now`.
    pub fn situation(&self, now: DateTime<Utc>) -> crate::rules::Situation {
        crate::rules::Situation {
            channel: self.channel,
            last_inbound_at: self.last_inbound_at,
            unanswered: self.unanswered,
            opted_out: self.contact.opted_out,
            now,
        }
    }
}

impl Contact {
    /// What to call the contact: their name, or their handle when the name is unknown.
    pub fn display_name(&self) -> &str {
        self.name
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .unwrap_or(&self.handle)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConversationStatus {
    Open,
    Closed,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// From the customer.
    In,
    /// From the team.
    Out,
}

/// The latest message of a conversation, as shown in the list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastMessage {
    pub id: MessageId,
    pub direction: Direction,
    /// The agent who wrote it; `None` for the customer's.
    #[serde(default)]
    pub author: Option<AgentId>,
    /// The start of the text, at most [`LastMessage::PREVIEW_CHARS`] characters.
    pub preview: String,
    pub at: DateTime<Utc>,
}

impl LastMessage {
    pub const PREVIEW_CHARS: usize = 140;

    /// The list preview of a message text: whitespace runs folded, cut at a character boundary.
    pub fn preview_of(text: &str) -> String {
        let folded = text.split_whitespace().collect::<Vec<_>>().join(" ");
        match folded.char_indices().nth(Self::PREVIEW_CHARS) {
            Some((cut, _)) => format!("{}…", &folded[..cut]),
            None => folded,
        }
    }
}

/// A conversation as every agent sees it. What differs per agent (unread counts) travels
/// separately: see [`crate::api::ConversationEntry`] and the `unread.counts` feed event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conversation {
    pub id: ConversationId,
    pub inbox_id: InboxId,
    pub channel: Channel,
    pub contact: Contact,
    pub status: ConversationStatus,
    pub assignee: Option<AgentId>,
    pub last_message: Option<LastMessage>,
    pub last_activity_at: DateTime<Utc>,
    /// When the customer last wrote: reply windows run from it.
    #[serde(default)]
    pub last_inbound_at: Option<DateTime<Utc>>,
    /// Our messages since the customer last wrote.
    #[serde(default)]
    pub unanswered: u32,
    pub created_at: DateTime<Utc>,
    /// Grows with every change; a copy with a lower version is stale and must be ignored.
    pub version: i64,
    /// The team whose queue it belongs to.
    #[serde(default)]
    pub team_id: Option<TeamId>,
    /// Out of the way until then (or until the customer writes).
    #[serde(default)]
    pub snoozed_until: Option<DateTime<Utc>>,
    /// How it ended, while closed.
    #[serde(default)]
    pub closure: Option<Closure>,
}

/// A file of a message: uploaded by an agent, or received from a customer.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Attachment {
    pub id: AttachmentId,
    /// The file's name as it came, for showing and downloading.
    pub name: String,
    /// What the bytes are (sniffed from them, not taken from the name).
    pub content_type: String,
    pub bytes: u64,
}

impl Attachment {
    /// Where an agent who may see it downloads it.
    pub fn url(&self) -> String {
        format!("/api/v1/attachments/{}", self.id)
    }

    /// What the channel rules look at.
    pub fn meta(&self) -> crate::rules::AttachmentMeta {
        crate::rules::AttachmentMeta {
            name: self.name.clone(),
            content_type: self.content_type.clone(),
            bytes: self.bytes,
        }
    }

    pub fn kind(&self) -> AttachmentKind {
        AttachmentKind::of(&self.content_type)
    }
}

/// What a file is to people: shown inline (images, audio, video) or offered as a download.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttachmentKind {
    Image,
    Audio,
    Video,
    Document,
}

impl AttachmentKind {
    pub fn of(content_type: &str) -> AttachmentKind {
        match content_type.split('/').next().unwrap_or_default() {
            "image" => AttachmentKind::Image,
            "audio" => AttachmentKind::Audio,
            "video" => AttachmentKind::Video,
            _ => AttachmentKind::Document,
        }
    }
}

/// Why an outbound message will not arrive, as the provider said it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failure {
    /// The provider's code (or ours), for programs: `131047`, `30003`, `sandbox.unreachable`.
    pub code: String,
    /// A sentence for the agent.
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub id: MessageId,
    pub conversation_id: ConversationId,
    pub direction: Direction,
    /// The agent who wrote it; `None` for the customer's messages.
    pub author: Option<AgentId>,
    pub text: String,
    /// Set by the client for messages it sends; the key that makes sends idempotent.
    pub client_id: Option<ClientId>,
    /// Delivery status of outbound messages; `None` for the customer's messages.
    pub status: Option<MessageStatus>,
    pub failure: Option<Failure>,
    /// Sent outside the reply window as a human agent's reply (Messenger, Instagram).
    #[serde(default)]
    pub human_agent: bool,
    /// A private note for the team: never sent to the customer, no delivery status.
    #[serde(default)]
    pub note: bool,
    /// Files sent with it (by the customer or the agent).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<Attachment>,
    /// The name of the template it was sent as.
    #[serde(default)]
    pub template: Option<String>,
    /// How many times it was sent again after failing (0: never). A new attempt starts
    /// over at `sending`; reports about an earlier one no longer apply.
    #[serde(default)]
    pub attempt: u32,
    pub created_at: DateTime<Utc>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConversationEventKind {
    Created,
    /// `agent` is the new assignee.
    Assigned,
    /// Sent back to the queue by `actor`.
    Unassigned,
    /// `details.reason` and `details.summary` say how it ended.
    Closed,
    /// By `actor`, or by the customer writing (no actor).
    Reopened,
    /// The customer asked to receive nothing more (SMS STOP).
    OptedOut,
    /// The customer opted back in (SMS START).
    OptedIn,
    /// Handed to `agent`, or to the queue of `details.team`, with `details.note`.
    Transferred,
    /// Until `details.until`.
    Snoozed,
    /// Back from a snooze: `details.cause` says why (the time came, the customer wrote), or
    /// `actor` ended it.
    Woke,
    /// From `details.from_inbox` to `details.to_inbox`.
    Moved,
    /// Routing offered it to `agent` (the system did it).
    Offered,
    /// Back to the queue because `details.cause` (the offer was not opened in time).
    Returned,
}

/// Why the system did something to a conversation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cause {
    /// The snooze's time came.
    TimeCame,
    /// The customer wrote.
    CustomerWrote,
    /// The agent it was offered to did not open it in time.
    NotOpened,
}

/// What an event says beyond its kind: who to whom and why.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventDetails {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<TeamId>,
    /// The assignee before a transfer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_agent: Option<AgentId>,
    /// A transfer's note for the one who takes it over.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// A closing's wrap-up reason (its label then).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_inbox: Option<InboxId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_inbox: Option<InboxId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<Cause>,
}

impl EventDetails {
    pub fn is_empty(&self) -> bool {
        *self == EventDetails::default()
    }
}

/// Something that happened to a conversation, shown inline in its thread.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationEvent {
    pub id: MessageId,
    pub conversation_id: ConversationId,
    pub kind: ConversationEventKind,
    /// Who did it; `None` when the system did (a customer's first message, automation).
    pub actor: Option<AgentId>,
    /// Whom it concerns: the new assignee (`assigned`, `transferred`, `offered`).
    pub agent: Option<AgentId>,
    #[serde(default, skip_serializing_if = "EventDetails::is_empty")]
    pub details: EventDetails,
    pub created_at: DateTime<Utc>,
}

/// One entry of a thread, in the order of their ids.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ThreadItem {
    Message(Message),
    Event(ConversationEvent),
}

impl ThreadItem {
    pub fn id(&self) -> MessageId {
        match self {
            ThreadItem::Message(m) => m.id,
            ThreadItem::Event(e) => e.id,
        }
    }

    pub fn conversation_id(&self) -> ConversationId {
        match self {
            ThreadItem::Message(m) => m.conversation_id,
            ThreadItem::Event(e) => e.conversation_id,
        }
    }

    pub fn created_at(&self) -> DateTime<Utc> {
        match self {
            ThreadItem::Message(m) => m.created_at,
            ThreadItem::Event(e) => e.created_at,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preview_folds_whitespace_and_cuts_long_text_at_a_character() {
        assert_eq!(
            LastMessage::preview_of("  hola\n\n qué  tal "),
            "hola qué tal"
        );
        let long = "ñ".repeat(200);
        let preview = LastMessage::preview_of(&long);
        assert_eq!(preview.chars().count(), LastMessage::PREVIEW_CHARS + 1);
        assert!(preview.ends_with('…'));
    }

    #[test]
    fn a_contact_without_a_name_is_called_by_its_handle() {
        let mut contact = Contact {
            id: ContactId(1),
            channel: Channel::Whatsapp,
            handle: "+34 600 000 001".into(),
            name: None,
            opted_out: false,
        };
        assert_eq!(contact.display_name(), "+34 600 000 001");
        contact.name = Some("  ".into());
        assert_eq!(contact.display_name(), "+34 600 000 001");
        contact.name = Some("Lucía".into());
        assert_eq!(contact.display_name(), "Lucía");
    }
}
