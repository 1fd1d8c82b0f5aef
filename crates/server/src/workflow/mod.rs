//! What agents and customers do to conversations. Each operation is one write transaction
//! that changes the data and appends the feed events describing the change, so the feed
//! can never disagree with the database. Every change to a conversation ends in [`announce`],
//! the one place that decides who hears of it: those who could see it before and those who
//! can now (`store::access`).

pub mod actions;
pub mod delivery;
pub mod inbound;
pub mod read;
pub mod reply;
pub mod retry;
pub mod routing;
pub mod start;
pub mod sweep;
pub mod timers;

use crate::db::WriteTx;
use crate::error::AppResult;
use crate::presence::Presence;
use crate::store::events::{self, Audience, Entry};
use crate::store::{access, agents, conversations};
use std::collections::BTreeSet;
use switchboard_protocol::{
    AgentId, AgentStatus, Conversation, ConversationEvent, ConversationId, EventBody, Message,
};

/// What a change needs to remember of a conversation from before it: who could see it and
/// what it was.
pub struct Before {
    audience: BTreeSet<AgentId>,
    /// `None` for a conversation this change creates.
    conversation: Option<Conversation>,
}

impl Before {
    pub async fn of(tx: &mut WriteTx, id: ConversationId) -> AppResult<Before> {
        Ok(Before {
            conversation: Some(conversations::shared(tx, id).await?),
            audience: access::audience(tx, id).await?,
        })
    }

    /// A conversation this change creates.
    pub fn nothing() -> Before {
        Before {
            audience: BTreeSet::new(),
            conversation: None,
        }
    }

    /// The conversation as it was before the change.
    pub fn conversation(&self) -> Option<&Conversation> {
        self.conversation.as_ref()
    }

    fn assignee(&self) -> Option<AgentId> {
        self.conversation.as_ref().and_then(|c| c.assignee)
    }
}

/// Whose counts a change moves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Recount {
    /// Everyone concerned: the change moved the conversation between views.
    Concerned,
    /// Only this agent's (their own reply, their read mark).
    Of(AgentId),
}

/// What happened to the conversation's thread in this change.
#[derive(Default)]
pub struct Told<'a> {
    pub events: &'a [ConversationEvent],
    pub message: Option<&'a Message>,
}

/// Appends what a change did, for whom it concerns, and returns the conversation as it now
/// is: its new state to those who see it now (`conversation.created` or `.updated`), then
/// the thread's new events and message; `conversation.gone` to those who saw it and no longer
/// do; new counts; and, when it changed hands, both agents' load.
pub async fn announce(
    tx: &mut WriteTx,
    presence: &Presence,
    id: ConversationId,
    before: Before,
    told: Told<'_>,
    recount: Recount,
) -> AppResult<Conversation> {
    let conversation = conversations::shared(tx, id).await?;
    let now_seen_by = access::audience(tx, id).await?;
    let body = if before.conversation.is_some() {
        EventBody::ConversationUpdated {
            conversation: conversation.clone(),
        }
    } else {
        EventBody::ConversationCreated {
            conversation: conversation.clone(),
        }
    };
    let thread: Vec<EventBody> = told
        .events
        .iter()
        .map(|event| EventBody::ConversationEvent {
            event: event.clone(),
        })
        .chain(told.message.map(|message| EventBody::MessageCreated {
            message: message.clone(),
        }))
        .collect();
    let left: BTreeSet<AgentId> = before.audience.difference(&now_seen_by).copied().collect();
    let gone = EventBody::ConversationGone {
        conversation_id: id,
    };
    let recounted: BTreeSet<AgentId> = match recount {
        Recount::Concerned => {
            let concerned = before.audience.union(&now_seen_by).copied().collect();
            agents::humans_among(tx, &concerned)
                .await?
                .into_iter()
                .collect()
        }
        Recount::Of(agent) => BTreeSet::from([agent]),
    };
    // What it is now, then the thread's new events and message, for those who see it; gone
    // for those who saw it; then that the counts moved, for everyone concerned: written
    // together.
    let seen = Audience::Agents(&now_seen_by);
    let mut batch = vec![(seen, Entry::Event(&body))];
    batch.extend(thread.iter().map(|body| (seen, Entry::Event(body))));
    batch.push((Audience::Agents(&left), Entry::Event(&gone)));
    let moved = [id];
    batch.push((Audience::Agents(&recounted), Entry::CountsMoved(&moved)));
    events::append_batch(tx, &batch).await?;
    if before.assignee() != conversation.assignee {
        for agent in [before.assignee(), conversation.assignee]
            .into_iter()
            .flatten()
        {
            publish_status(tx, presence, agent).await?;
        }
    }
    Ok(conversation)
}

/// [`announce`] for a change that added `events` to the thread (no message) and may have moved
/// the conversation between views: everyone concerned is recounted.
pub async fn announce_events(
    tx: &mut WriteTx,
    presence: &Presence,
    id: ConversationId,
    before: Before,
    events: &[ConversationEvent],
) -> AppResult<Conversation> {
    let told = Told {
        events,
        message: None,
    };
    announce(tx, presence, id, before, told, Recount::Concerned).await
}

/// Appends a message that changes nothing else of the conversation (a private note), for
/// those who see it.
pub async fn tell_thread(tx: &mut WriteTx, id: ConversationId, message: &Message) -> AppResult<()> {
    let audience = access::audience(tx, id).await?;
    let body = EventBody::MessageCreated {
        message: message.clone(),
    };
    events::append(tx, Audience::Agents(&audience), &body).await?;
    Ok(())
}

/// Appends that these agents' counts moved, and with them their unread count of these
/// conversations: the feed tells each their counts as they are when it reads the row
/// (`feed_counts`).
pub async fn publish_counts(
    tx: &mut WriteTx,
    agents: &[AgentId],
    conversations: &[ConversationId],
) -> AppResult<()> {
    let agents: BTreeSet<AgentId> = agents.iter().copied().collect();
    let moved = Entry::CountsMoved(conversations);
    events::append_batch(tx, &[(Audience::Agents(&agents), moved)]).await?;
    Ok(())
}

/// An agent's availability and load as teammates see them.
pub async fn status_of(
    tx: &mut sqlx::SqliteConnection,
    presence: &Presence,
    agent: AgentId,
) -> AppResult<AgentStatus> {
    let chose_available = agents::chose_available(tx, agent).await?;
    Ok(AgentStatus {
        agent_id: agent,
        availability: presence.availability(agent, chose_available),
        load: agents::load(tx, agent).await?,
    })
}

/// Tells everyone an agent's availability or load changed.
pub async fn publish_status(
    tx: &mut WriteTx,
    presence: &Presence,
    agent: AgentId,
) -> AppResult<()> {
    let status = status_of(tx, presence, agent).await?;
    events::append(tx, Audience::Everyone, &EventBody::AgentStatus { status }).await?;
    Ok(())
}
