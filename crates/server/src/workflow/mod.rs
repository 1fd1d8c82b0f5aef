//! What agents and customers do to conversations. Each operation is one write transaction
//! that changes the data and appends the feed events describing the change, so the feed
//! can never disagree with the database.

pub mod assign;
pub mod delivery;
pub mod inbound;
pub mod read;
pub mod reply;
pub mod retry;
pub mod sweep;

use crate::db::WriteTx;
use crate::error::AppResult;
use crate::store::events::{self, Audience};
use crate::store::{agents, conversations, counts, read_state};
use switchboard_protocol::feed::ConversationUnread;
use switchboard_protocol::{
    AgentId, Conversation, ConversationEvent, ConversationId, EventBody, InboxId, Message,
};

/// Appends `conversation.created` or `conversation.updated` with the conversation as it now is.
async fn announce_conversation(
    tx: &mut WriteTx,
    id: ConversationId,
    created: bool,
) -> AppResult<Conversation> {
    let conversation = conversations::shared(tx, id).await?;
    let body = if created {
        EventBody::ConversationCreated {
            conversation: conversation.clone(),
        }
    } else {
        EventBody::ConversationUpdated {
            conversation: conversation.clone(),
        }
    };
    events::append(tx, Audience::Inbox(conversation.inbox_id), &body).await?;
    Ok(conversation)
}

/// Appends what a thread gained, in thread order: conversation events (created, assigned...),
/// then the message.
async fn announce_thread(
    tx: &mut WriteTx,
    inbox: InboxId,
    thread_events: &[ConversationEvent],
    message: &Message,
) -> AppResult<()> {
    let audience = Audience::Inbox(inbox);
    for event in thread_events {
        let body = EventBody::ConversationEvent {
            event: event.clone(),
        };
        events::append(tx, audience, &body).await?;
    }
    let body = EventBody::MessageCreated {
        message: message.clone(),
    };
    events::append(tx, audience, &body).await?;
    Ok(())
}

/// Whose counts a change moves.
enum Readers {
    /// Every person in the inbox: the change moved a conversation between views.
    Everyone,
    One(AgentId),
}

/// Appends each concerned agent's new counts and their unread count of `conversation`.
async fn publish_counts(
    tx: &mut WriteTx,
    inbox: InboxId,
    conversation: ConversationId,
    readers: Readers,
) -> AppResult<()> {
    let agents = match readers {
        Readers::Everyone => agents::human_members(tx, inbox).await?,
        Readers::One(agent) => vec![agent],
    };
    for agent in agents {
        let body = EventBody::UnreadCounts {
            counts: counts::for_agent(tx, agent).await?,
            conversations: vec![ConversationUnread {
                conversation_id: conversation,
                unread: read_state::unread(tx, agent, conversation).await?,
            }],
        };
        events::append(tx, Audience::Agent(inbox, agent), &body).await?;
    }
    Ok(())
}
