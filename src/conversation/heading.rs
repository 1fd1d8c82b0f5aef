//! What the header says about a conversation, from the store.

use crate::components::{Assignee, Heading};
use crate::state::State;
use switchboard_protocol::ConversationId;

/// The header of a conversation the store holds.
pub fn heading_of(state: &State, id: ConversationId) -> Option<Heading> {
    let conversation = state.conversations.get(&id)?;
    let me = state.me.as_ref().map(|a| a.id);
    let name = conversation.contact.display_name().to_owned();
    Some(Heading {
        name_is_handle: name == conversation.contact.handle,
        name,
        handle: conversation.contact.handle.clone(),
        channel: conversation.channel,
        inbox: state
            .inboxes
            .get(&conversation.inbox_id)
            .map(|i| (i.name.clone(), i.address.clone())),
        status: conversation.status,
        closed_reason: conversation.closure.as_ref().and_then(|c| c.reason.clone()),
        snoozed_until: conversation.snoozed_until,
        queue: conversation
            .team_id
            .filter(|_| conversation.assignee.is_none())
            .and_then(|team| state.team_name(team))
            .map(str::to_owned),
        assignee: match conversation.assignee {
            None => Assignee::Nobody,
            Some(agent) if Some(agent) == me => Assignee::Me,
            Some(agent) => {
                Assignee::Teammate(state.agent_name(agent).unwrap_or_default().to_owned())
            }
        },
    })
}
