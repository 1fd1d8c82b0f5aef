//! Replies and notes the server has not confirmed, as the browser keeps them between visits,
//! and the order they go out in: oldest first, one at a time.

use super::{Outgoing, Pending, PendingState, State, Topic};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use switchboard_protocol::{AgentId, ClientId, ConversationId};

/// A reply not confirmed by the server yet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unsent {
    pub conversation: ConversationId,
    pub client_id: ClientId,
    pub outgoing: Outgoing,
    pub created_at: DateTime<Utc>,
    /// Why it could not go, when it could not: it waits for the agent's retry.
    #[serde(default)]
    pub failed: Option<String>,
}

impl Unsent {
    fn of(conversation: ConversationId, pending: &Pending) -> Unsent {
        Unsent {
            conversation,
            client_id: pending.client_id,
            outgoing: pending.outgoing.clone(),
            created_at: pending.created_at,
            failed: match &pending.state {
                PendingState::Failed { reason } => Some(reason.clone()),
                PendingState::Sending | PendingState::Waiting => None,
            },
        }
    }
}

impl State {
    /// Every reply still on its way or refused, oldest first.
    pub fn unsent(&self) -> Vec<Unsent> {
        let mut all: Vec<Unsent> = self
            .threads
            .iter()
            .flat_map(|(id, thread)| thread.pending_all().iter().map(|p| Unsent::of(*id, p)))
            .collect();
        all.sort_by_key(|u| (u.created_at, u.client_id.0));
        all
    }

    /// Puts back what an earlier visit of `agent` left unsent. Those waiting go again, in
    /// their order; the server answers those it already has with its stored copy.
    pub fn restore_unsent(&mut self, agent: AgentId, kept: Vec<Unsent>) {
        for unsent in kept {
            let thread = self.threads.entry(unsent.conversation).or_default();
            if thread.pending(unsent.client_id).is_some() || thread.confirmed(unsent.client_id) {
                continue;
            }
            thread.add_pending(unsent.client_id, unsent.outgoing, unsent.created_at);
            if let Some(reason) = unsent.failed {
                thread.set_pending_state(unsent.client_id, PendingState::Failed { reason });
            }
            self.touch(Topic::Thread(unsent.conversation));
        }
        self.unsent_of = Some(agent);
        self.touch(Topic::Unsent);
    }

    /// The reply to send now: the oldest one that is not waiting for the agent's retry.
    pub fn next_unsent(&self) -> Option<Unsent> {
        self.unsent().into_iter().find(|u| u.failed.is_none())
    }

    pub fn set_pending_state(
        &mut self,
        conversation: ConversationId,
        client_id: ClientId,
        state: PendingState,
    ) {
        if let Some(thread) = self.threads.get_mut(&conversation) {
            thread.set_pending_state(client_id, state);
            self.touch_thread(conversation, true);
        }
    }
}
