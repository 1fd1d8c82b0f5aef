//! Typed ids, so a conversation id can never be passed where a message id belongs.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map($name)
            }
        }
    };
}

id_type!(
    /// An agent (a person who answers customers, or a service account).
    AgentId
);
id_type!(
    /// An inbox: one channel entry point (a phone number, a page, an address).
    InboxId
);
id_type!(
    /// A customer, as known on one channel.
    ContactId
);
id_type!(
    /// A conversation between a contact and the team, in one inbox.
    ConversationId
);
id_type!(
    /// An item of a conversation's thread: a message or a conversation event. Items of all
    /// conversations share one increasing sequence, so a larger id is always newer.
    MessageId
);
id_type!(
    /// A saved (quick) reply.
    QuickReplyId
);
id_type!(
    /// A file uploaded by an agent or received from a customer.
    AttachmentId
);
id_type!(
    /// A team (a queue): agents serving some inboxes together.
    TeamId
);
id_type!(
    /// One of the workspace's wrap-up reasons, given when a conversation is closed.
    WrapUpReasonId
);

/// Position in the server's event log. Strictly increasing; the feed resumes from it.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Seq(pub i64);

impl fmt::Display for Seq {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// The id a client gives an outgoing message before the server has seen it. Sending the same
/// `client_id` twice stores the message once: retries are safe.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ClientId(pub uuid::Uuid);

impl fmt::Display for ClientId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl FromStr for ClientId {
    type Err = uuid::Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.parse().map(ClientId)
    }
}
