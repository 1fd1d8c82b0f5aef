//! What an agent does to a conversation from its header: send it back to the queue, transfer
//! it, close it with a reason, reopen it, snooze it, wake it, mark it unread, move it to
//! another inbox. Each one is idempotent (asking for what already holds changes nothing and
//! answers the conversation as it is), checked against the `version` the agent acted on (409
//! `conversation_changed` when it changed since), and recorded as an event in the thread, in
//! the same transaction as the change.

use super::{Before, announce_events, publish_counts, routing};
use crate::AppState;
use crate::db::{WriteTx, now_ms};
use crate::error::{AppError, AppResult};
use crate::store::items::{self, NewEvent};
use crate::store::{access, agents, conversations, inboxes, read_state, teams, wrap_up};
use axum::http::StatusCode;
use switchboard_protocol::api::{
    Close, ConversationEntry, MoveTo, Snooze, Transfer, TransferTarget,
};
use switchboard_protocol::{
    Agent, AgentId, Availability, Conversation, ConversationEventKind, ConversationId,
    ConversationStatus, ErrorCode, EventDetails, MessageId,
};

/// The longest transfer note and closing summary.
pub const MAX_NOTE_CHARS: usize = 2_000;
/// How far ahead a snooze may go.
const MAX_SNOOZE_DAYS: i64 = 366;

/// The conversation as the agent acting on it sees it (404 if they may not).
async fn acting_on(tx: &mut WriteTx, actor: &Agent, id: ConversationId) -> AppResult<Conversation> {
    Ok(conversations::visible(tx, actor.id, id).await?.conversation)
}

/// 409 when the conversation changed since the agent looked at it.
pub fn check_version(conversation: &Conversation, version: Option<i64>) -> AppResult<()> {
    match version {
        Some(seen) if seen != conversation.version => Err(AppError::new(
            StatusCode::CONFLICT,
            ErrorCode::ConversationChanged,
            "This conversation changed since you looked at it. Look at it again, then decide.",
        )),
        _ => Ok(()),
    }
}

/// What the acting agent gets back: the conversation, with their unread count if they still
/// see it.
async fn answer(
    tx: &mut WriteTx,
    actor: &Agent,
    conversation: Conversation,
) -> AppResult<ConversationEntry> {
    Ok(
        match conversations::get(tx, actor.id, conversation.id).await? {
            Some(entry) => entry,
            None => ConversationEntry {
                conversation,
                unread: 0,
            },
        },
    )
}

/// Commits a change that ended in `announce`, answering the conversation as it now is.
async fn done(
    state: &AppState,
    tx: WriteTx,
    actor: &Agent,
    id: ConversationId,
    before: Before,
    events: Vec<NewEvent>,
) -> AppResult<ConversationEntry> {
    done_skipping(state, tx, actor, id, before, events, None).await
}

/// [`done`], routing on to anyone but `skip` (who just handed it over).
async fn done_skipping(
    state: &AppState,
    mut tx: WriteTx,
    actor: &Agent,
    id: ConversationId,
    before: Before,
    events: Vec<NewEvent>,
    skip: Option<AgentId>,
) -> AppResult<ConversationEntry> {
    let now = now_ms();
    let mut told = Vec::with_capacity(events.len());
    for event in events {
        told.push(items::insert_event(&mut tx, id, event, now).await?);
    }
    // Whatever the change, one left in a routed queue is offered on.
    if let Some(offered) = routing::offer(&mut tx, &state.presence, id, skip).await? {
        told.push(offered);
    }
    let conversation = announce_events(&mut tx, &state.presence, id, before, &told).await?;
    let entry = answer(&mut tx, actor, conversation).await?;
    tx.commit().await?;
    Ok(entry)
}

/// What holds already: nothing changes, and the agent gets the conversation as it is.
async fn as_it_is(
    mut tx: WriteTx,
    actor: &Agent,
    conversation: Conversation,
) -> AppResult<ConversationEntry> {
    answer(&mut tx, actor, conversation).await
}

/// A conversation is handed only to a person who may already see it (a member of its inbox
/// or of its team): handing it over never opens an inbox to someone outside it. To hand it to
/// another team, transfer it to that team.
async fn can_take(tx: &mut WriteTx, agent: AgentId, id: ConversationId) -> AppResult<()> {
    if agents::is_human(tx, agent).await? && access::can_see(tx, agent, id).await? {
        return Ok(());
    }
    Err(AppError::unprocessable(
        ErrorCode::InvalidRequest,
        "That agent does not exist or cannot see this inbox. Transfer it to their team instead.",
    ))
}

fn trimmed(text: Option<&str>, what: &str) -> AppResult<Option<String>> {
    let text = text.map(str::trim).filter(|t| !t.is_empty());
    if text.is_some_and(|t| t.chars().count() > MAX_NOTE_CHARS) {
        return Err(AppError::invalid(format!(
            "The {what} can be at most {MAX_NOTE_CHARS} characters long."
        )));
    }
    Ok(text.map(str::to_owned))
}

/// Gives the conversation to `assignee` (the actor themself, to take it from the queue).
pub async fn assign(
    state: &AppState,
    actor: &Agent,
    id: ConversationId,
    assignee: AgentId,
    version: Option<i64>,
) -> AppResult<ConversationEntry> {
    let mut tx = state.db.write().await?;
    let conversation = acting_on(&mut tx, actor, id).await?;
    if conversation.assignee == Some(assignee) {
        // Taking what was offered to me takes up the offer.
        if assignee == actor.id {
            routing::opened(&mut tx, id).await?;
        }
        let entry = answer(&mut tx, actor, conversation).await?;
        tx.commit().await?;
        return Ok(entry);
    }
    check_version(&conversation, version)?;
    can_take(&mut tx, assignee, id).await?;
    let before = Before::of(&mut tx, id).await?;
    conversations::set_assignee(&mut tx, id, Some(assignee)).await?;
    conversations::set_offered(&mut tx, id, None).await?;
    let event = NewEvent {
        agent: Some(assignee),
        ..NewEvent::of(ConversationEventKind::Assigned, Some(actor.id))
    };
    done(state, tx, actor, id, before, vec![event]).await
}

/// Sends it back to its queue (Talkdesk's "Send to Inbox"): nobody's, for the team to take
/// (or routing to offer to someone else).
pub async fn unassign(
    state: &AppState,
    actor: &Agent,
    id: ConversationId,
    version: Option<i64>,
) -> AppResult<ConversationEntry> {
    let mut tx = state.db.write().await?;
    let conversation = acting_on(&mut tx, actor, id).await?;
    let Some(previous) = conversation.assignee else {
        return as_it_is(tx, actor, conversation).await;
    };
    check_version(&conversation, version)?;
    let before = Before::of(&mut tx, id).await?;
    conversations::set_assignee(&mut tx, id, None).await?;
    conversations::set_offered(&mut tx, id, None).await?;
    // In the queue it waits for whoever is free, not for a time.
    if conversation.snoozed_until.is_some() {
        conversations::set_snoozed(&mut tx, id, None).await?;
    }
    let event = NewEvent {
        agent: Some(previous),
        ..NewEvent::of(ConversationEventKind::Unassigned, Some(actor.id))
    };
    // Offered on, but not straight back to whoever just gave it up.
    done_skipping(state, tx, actor, id, before, vec![event], Some(previous)).await
}

/// Hands it to an agent, or to a team's queue, with an optional note for whoever takes it.
pub async fn transfer(
    state: &AppState,
    actor: &Agent,
    id: ConversationId,
    request: Transfer,
) -> AppResult<ConversationEntry> {
    let note = trimmed(request.note.as_deref(), "note")?;
    let mut tx = state.db.write().await?;
    let conversation = acting_on(&mut tx, actor, id).await?;
    let details = EventDetails {
        from_agent: conversation.assignee,
        note,
        ..EventDetails::default()
    };
    match request.to {
        TransferTarget::Agent(agent) => {
            if conversation.assignee == Some(agent) && details.note.is_none() {
                return as_it_is(tx, actor, conversation).await;
            }
            check_version(&conversation, request.version)?;
            can_take(&mut tx, agent, id).await?;
            let status = super::status_of(&mut tx, &state.presence, agent).await?;
            if status.availability != Availability::Available && !request.confirmed {
                let name = agents::by_id(&mut tx, agent)
                    .await?
                    .map(|a| a.name)
                    .unwrap_or_default();
                let availability = match status.availability {
                    Availability::Away => "away",
                    _ => "offline",
                };
                return Err(AppError::new(
                    StatusCode::CONFLICT,
                    ErrorCode::AgentUnavailable,
                    format!("{name} is {availability} and may not see it soon. Transfer anyway?"),
                ));
            }
            let before = Before::of(&mut tx, id).await?;
            conversations::set_assignee(&mut tx, id, Some(agent)).await?;
            conversations::set_offered(&mut tx, id, None).await?;
            let event = NewEvent {
                kind: ConversationEventKind::Transferred,
                actor: Some(actor.id),
                agent: Some(agent),
                details,
            };
            done(state, tx, actor, id, before, vec![event]).await
        }
        TransferTarget::Team(team) => {
            if conversation.team_id == Some(team) && conversation.assignee.is_none() {
                return as_it_is(tx, actor, conversation).await;
            }
            check_version(&conversation, request.version)?;
            if teams::get(&mut tx, team).await?.is_none() {
                return Err(AppError::unprocessable(
                    ErrorCode::InvalidRequest,
                    "There is no such team to transfer it to.",
                ));
            }
            let before = Before::of(&mut tx, id).await?;
            conversations::set_team(&mut tx, id, Some(team)).await?;
            conversations::set_assignee(&mut tx, id, None).await?;
            conversations::set_offered(&mut tx, id, None).await?;
            if conversation.snoozed_until.is_some() {
                conversations::set_snoozed(&mut tx, id, None).await?;
            }
            let event = NewEvent {
                kind: ConversationEventKind::Transferred,
                actor: Some(actor.id),
                agent: None,
                details: EventDetails {
                    team: Some(team),
                    ..details
                },
            };
            // Routing hands it to someone else than whoever just passed it on.
            done_skipping(state, tx, actor, id, before, vec![event], Some(actor.id)).await
        }
    }
}

/// Closes it with a wrap-up reason (required when the workspace has some) and a summary.
pub async fn close(
    state: &AppState,
    actor: &Agent,
    id: ConversationId,
    request: Close,
) -> AppResult<ConversationEntry> {
    let summary = trimmed(request.summary.as_deref(), "summary")?;
    let mut tx = state.db.write().await?;
    let conversation = acting_on(&mut tx, actor, id).await?;
    if conversation.status == ConversationStatus::Closed {
        return as_it_is(tx, actor, conversation).await;
    }
    let reason = match request.reason {
        Some(reason) => Some(wrap_up::label(&mut tx, reason).await?.ok_or_else(|| {
            AppError::unprocessable(
                ErrorCode::InvalidRequest,
                "There is no such wrap-up reason.",
            )
        })?),
        None if !wrap_up::all(&mut tx).await?.is_empty() => {
            return Err(AppError::unprocessable(
                ErrorCode::ReasonRequired,
                "Choose a wrap-up reason to close the conversation.",
            ));
        }
        None => None,
    };
    if let Some(owner) = conversation.assignee.filter(|owner| *owner != actor.id)
        && !request.confirmed
    {
        let name = agents::by_id(&mut tx, owner)
            .await?
            .map(|a| a.name)
            .unwrap_or_default();
        return Err(AppError::new(
            StatusCode::CONFLICT,
            ErrorCode::NotYours,
            format!("This conversation is {name}'s. Close it anyway?"),
        ));
    }
    check_version(&conversation, request.version)?;
    let before = Before::of(&mut tx, id).await?;
    conversations::close(
        &mut tx,
        id,
        reason.as_deref(),
        summary.as_deref(),
        Some(actor.id),
        now_ms(),
    )
    .await?;
    let event = NewEvent {
        details: EventDetails {
            reason,
            summary,
            ..EventDetails::default()
        },
        ..NewEvent::of(ConversationEventKind::Closed, Some(actor.id))
    };
    done(state, tx, actor, id, before, vec![event]).await
}

/// Opens a closed conversation again; whoever reopens it takes it.
pub async fn reopen(
    state: &AppState,
    actor: &Agent,
    id: ConversationId,
    version: Option<i64>,
) -> AppResult<ConversationEntry> {
    let mut tx = state.db.write().await?;
    let conversation = acting_on(&mut tx, actor, id).await?;
    if conversation.status == ConversationStatus::Open {
        return as_it_is(tx, actor, conversation).await;
    }
    check_version(&conversation, version)?;
    let before = Before::of(&mut tx, id).await?;
    conversations::reopen(&mut tx, id, now_ms()).await?;
    let mut events = vec![NewEvent::of(
        ConversationEventKind::Reopened,
        Some(actor.id),
    )];
    if conversation.assignee != Some(actor.id) {
        conversations::set_assignee(&mut tx, id, Some(actor.id)).await?;
        events.push(NewEvent {
            agent: Some(actor.id),
            ..NewEvent::of(ConversationEventKind::Assigned, Some(actor.id))
        });
    }
    done(state, tx, actor, id, before, events).await
}

/// Puts it out of the way until `until` (it comes back then, or as soon as the customer
/// writes). One nobody had is the snoozer's.
pub async fn snooze(
    state: &AppState,
    actor: &Agent,
    id: ConversationId,
    request: Snooze,
) -> AppResult<ConversationEntry> {
    let now = chrono::Utc::now();
    if request.until <= now + chrono::Duration::seconds(30)
        || request.until > now + chrono::Duration::days(MAX_SNOOZE_DAYS)
    {
        return Err(AppError::unprocessable(
            ErrorCode::InvalidRequest,
            "Snooze until a time in the future, within a year.",
        ));
    }
    let mut tx = state.db.write().await?;
    let conversation = acting_on(&mut tx, actor, id).await?;
    // Stored to the millisecond: the same request again is the same time.
    let until_ms = request.until.timestamp_millis();
    if conversation.snoozed_until.map(|t| t.timestamp_millis()) == Some(until_ms) {
        return as_it_is(tx, actor, conversation).await;
    }
    if conversation.status == ConversationStatus::Closed {
        return Err(AppError::unprocessable(
            ErrorCode::InvalidRequest,
            "A closed conversation cannot be snoozed. Reopen it first.",
        ));
    }
    check_version(&conversation, request.version)?;
    let before = Before::of(&mut tx, id).await?;
    let mut events = Vec::new();
    if conversation.assignee.is_none() {
        conversations::set_assignee(&mut tx, id, Some(actor.id)).await?;
        events.push(NewEvent {
            agent: Some(actor.id),
            ..NewEvent::of(ConversationEventKind::Assigned, Some(actor.id))
        });
    }
    conversations::set_snoozed(&mut tx, id, Some(until_ms)).await?;
    conversations::set_offered(&mut tx, id, None).await?;
    events.push(NewEvent {
        details: EventDetails {
            until: Some(request.until),
            ..EventDetails::default()
        },
        ..NewEvent::of(ConversationEventKind::Snoozed, Some(actor.id))
    });
    done(state, tx, actor, id, before, events).await
}

/// Ends a snooze now.
pub async fn unsnooze(
    state: &AppState,
    actor: &Agent,
    id: ConversationId,
    version: Option<i64>,
) -> AppResult<ConversationEntry> {
    let mut tx = state.db.write().await?;
    let conversation = acting_on(&mut tx, actor, id).await?;
    if conversation.snoozed_until.is_none() {
        return as_it_is(tx, actor, conversation).await;
    }
    check_version(&conversation, version)?;
    let before = Before::of(&mut tx, id).await?;
    conversations::set_snoozed(&mut tx, id, None).await?;
    let event = NewEvent::of(ConversationEventKind::Woke, Some(actor.id));
    done(state, tx, actor, id, before, vec![event]).await
}

/// Marks it unread for the agent (only them): the customer's last message counts as unread
/// again, in every tab of theirs.
pub async fn mark_unread(
    state: &AppState,
    actor: &Agent,
    id: ConversationId,
) -> AppResult<ConversationEntry> {
    let mut tx = state.db.write().await?;
    let conversation = acting_on(&mut tx, actor, id).await?;
    let last_inbound = conversations::last_inbound_id(&mut tx, id).await?;
    if last_inbound == 0 {
        return Err(AppError::unprocessable(
            ErrorCode::InvalidRequest,
            "The customer has written nothing here to mark unread.",
        ));
    }
    read_state::set_back(&mut tx, actor.id, id, MessageId(last_inbound - 1)).await?;
    publish_counts(&mut tx, &[actor.id], &[id]).await?;
    let entry = answer(&mut tx, actor, conversation).await?;
    tx.commit().await?;
    Ok(entry)
}

/// Moves it to another inbox of the same channel (one the agent belongs to): replies go out
/// from there, and it joins that inbox's team's queue.
pub async fn move_to(
    state: &AppState,
    actor: &Agent,
    id: ConversationId,
    request: MoveTo,
) -> AppResult<ConversationEntry> {
    let mut tx = state.db.write().await?;
    let conversation = acting_on(&mut tx, actor, id).await?;
    if conversation.inbox_id == request.inbox_id {
        return as_it_is(tx, actor, conversation).await;
    }
    let target = inboxes::visible_to(&mut tx, actor.id)
        .await?
        .into_iter()
        .find(|inbox| inbox.id == request.inbox_id);
    let Some(target) = target.filter(|inbox| inbox.channel == conversation.channel) else {
        return Err(AppError::unprocessable(
            ErrorCode::InvalidRequest,
            format!(
                "It can only move to another {} inbox you belong to.",
                conversation.channel.display_name()
            ),
        ));
    };
    check_version(&conversation, request.version)?;
    let before = Before::of(&mut tx, id).await?;
    let team = teams::serving(&mut tx, target.id).await?;
    conversations::set_inbox(&mut tx, id, target.id, team).await?;
    let mut events = vec![NewEvent {
        details: EventDetails {
            from_inbox: Some(conversation.inbox_id),
            to_inbox: Some(target.id),
            ..EventDetails::default()
        },
        ..NewEvent::of(ConversationEventKind::Moved, Some(actor.id))
    }];
    // Moving never opens an inbox to its assignee: one who does not belong there (or to its
    // team) lets it go to the new queue.
    if let Some(assignee) = conversation.assignee
        && !access::serves(&mut tx, assignee, target.id, team).await?
    {
        conversations::set_assignee(&mut tx, id, None).await?;
        conversations::set_offered(&mut tx, id, None).await?;
        events.push(NewEvent {
            agent: Some(assignee),
            ..NewEvent::of(ConversationEventKind::Unassigned, Some(actor.id))
        });
    }
    done(state, tx, actor, id, before, events).await
}
