//! Routing: a team with routing on hands out its queue round-robin to members who are
//! Available (the app open, and they chose so) and under the team's capacity (open
//! conversations assigned). A conversation offered and not opened in time goes back to the
//! queue and on to the next (`timers`). Without routing, or with nobody free, it waits.

use super::{Before, announce_events};
use crate::AppState;
use crate::db::{WriteTx, now_ms};
use crate::error::AppResult;
use crate::presence::Presence;
use crate::store::items::{self, NewEvent};
use crate::store::{agents, conversations, teams};
use switchboard_protocol::{
    AgentId, ConversationEvent, ConversationEventKind, ConversationId, ConversationStatus,
};

/// Offers the conversation to the next free member of its team, if it waits in a routed
/// queue and someone is free (not `skip`, who just let it go). The offer's event, if made.
pub async fn offer(
    tx: &mut WriteTx,
    presence: &Presence,
    id: ConversationId,
    skip: Option<AgentId>,
) -> AppResult<Option<ConversationEvent>> {
    let conversation = conversations::shared(tx, id).await?;
    let waiting = conversation.status == ConversationStatus::Open
        && conversation.assignee.is_none()
        && conversation.snoozed_until.is_none();
    let Some(team_id) = conversation.team_id.filter(|_| waiting) else {
        return Ok(None);
    };
    let Some(team) = teams::get(tx, team_id).await? else {
        return Ok(None);
    };
    let Some(routing) = team.routing else {
        return Ok(None);
    };
    let mut free = Vec::new();
    for member in team.members {
        if Some(member) == skip || !presence.online(member) {
            continue;
        }
        if agents::chose_available(tx, member).await?
            && agents::is_human(tx, member).await?
            && agents::load(tx, member).await? < routing.capacity
        {
            free.push(member);
        }
    }
    let last = teams::last_offered_to(tx, team_id).await?;
    let Some(chosen) = teams::next_in_turn(&free, last) else {
        return Ok(None);
    };
    let now = now_ms();
    conversations::set_assignee(tx, id, Some(chosen)).await?;
    conversations::set_offered(tx, id, Some(now)).await?;
    teams::set_last_offered_to(tx, team_id, chosen).await?;
    let event = NewEvent {
        agent: Some(chosen),
        ..NewEvent::of(ConversationEventKind::Offered, None)
    };
    Ok(Some(items::insert_event(tx, id, event, now).await?))
}

/// Someone became free (came online Available, chose Available): what waits in their teams'
/// routed queues is offered, oldest first, while anyone is free.
pub async fn hand_out(state: &AppState, agent: AgentId) -> AppResult<()> {
    let mine = {
        let mut conn = state.db.pool().acquire().await?;
        teams::of_agent(&mut conn, agent).await?
    };
    for team in mine {
        let waiting = {
            let mut conn = state.db.pool().acquire().await?;
            conversations::waiting_in(&mut conn, team).await?
        };
        for id in waiting {
            let mut tx = state.db.write().await?;
            // Someone may have taken it since the list was read: on to the next.
            let now = conversations::shared(&mut tx, id).await?;
            if now.assignee.is_some()
                || now.snoozed_until.is_some()
                || now.status != ConversationStatus::Open
            {
                continue;
            }
            let before = Before::of(&mut tx, id).await?;
            let Some(offered) = offer(&mut tx, &state.presence, id, None).await? else {
                break; // nobody free any more (or the team no longer routes)
            };
            announce_events(&mut tx, &state.presence, id, before, &[offered]).await?;
            tx.commit().await?;
        }
    }
    Ok(())
}

/// The assignee opened the conversation: an offer to them is taken up.
pub async fn opened(tx: &mut WriteTx, id: ConversationId) -> AppResult<()> {
    if conversations::offered_at(tx, id).await?.is_some() {
        conversations::set_offered(tx, id, None).await?;
    }
    Ok(())
}
