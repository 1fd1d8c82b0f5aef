//! An agent starts a conversation (Webex's "nueva conversación saliente"): to a phone number
//! or an email address, from an entry point (an inbox of that channel they belong to), with
//! a first message the channel allows (a new WhatsApp conversation opens with a template).
//! Everything is checked before anything is made, and it is made in one transaction (the
//! conversation and its first message together); an open conversation with that contact on
//! that inbox is used instead of a second one, and the message goes there.

use super::reply::{self, refused, render_template};
use super::{Before, Recount, Told, announce};
use crate::AppState;
use crate::db::now_ms;
use crate::error::{AppError, AppResult};
use crate::store::items::{self, NewEvent};
use crate::store::{contacts, conversations, inboxes};
use switchboard_protocol::api::{ConversationEntry, StartConversation, Started};
use switchboard_protocol::rules::{self, Draft, Refusal, Situation};
use switchboard_protocol::{Agent, ConversationEventKind, ErrorCode};

const MAX_NAME: usize = 200;
const MAX_SUBJECT: usize = 300;

/// Starts the conversation; `Started.existing` when an open one was found instead.
pub async fn start(
    state: &AppState,
    agent: &Agent,
    request: StartConversation,
) -> AppResult<Started> {
    let channel = request.channel;
    let name = channel.display_name();
    if !channel.can_start() {
        return Err(AppError::unprocessable(
            ErrorCode::InvalidRequest,
            format!("{name} conversations start when the customer writes."),
        ));
    }
    let entry_points: Vec<_> = {
        let mut conn = state.db.pool().acquire().await?;
        inboxes::visible_to(&mut conn, agent.id)
            .await?
            .into_iter()
            .filter(|inbox| inbox.channel == channel)
            .collect()
    };
    if entry_points.is_empty() {
        return Err(AppError::unprocessable(
            ErrorCode::NoEntryPoint,
            format!(
                "You have no {name} number or address to write from. Ask your admin to add you to one of the {name} inboxes."
            ),
        ));
    }
    let Some(from) = entry_points.iter().find(|inbox| inbox.id == request.from) else {
        return Err(AppError::unprocessable(
            ErrorCode::InvalidRequest,
            format!("Choose one of your {name} inboxes to write from."),
        ));
    };
    let to = channel.outbound_address(&request.to).ok_or_else(|| {
        let expected = if channel.uses_phone_numbers() {
            "a phone number in international form, such as +34 600 123 456"
        } else {
            "an email address"
        };
        AppError::unprocessable(
            ErrorCode::InvalidAddress,
            format!("`{}` is not {expected}.", request.to.trim()),
        )
    })?;
    let contact_name = request
        .name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty());
    let subject = request
        .subject
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    if contact_name.is_some_and(|n| n.chars().count() > MAX_NAME)
        || subject.is_some_and(|s| s.chars().count() > MAX_SUBJECT)
    {
        return Err(AppError::invalid(format!(
            "A name can be at most {MAX_NAME} characters, a subject {MAX_SUBJECT}."
        )));
    }
    let message = request.message;
    if message.note || !message.attachments.is_empty() {
        return Err(AppError::unprocessable(
            ErrorCode::InvalidRequest,
            "A conversation starts with a message to the customer; add notes and files once it is open.",
        ));
    }

    let mut tx = state.db.write().await?;
    let known = contacts::find(&mut tx, channel, &to).await?;
    if known.as_ref().is_some_and(|c| c.opted_out) {
        return Err(refused(channel, &Refusal::OptedOut));
    }
    if let Some(contact) = &known
        && let Some(id) = conversations::open_for_contact(&mut tx, from.id, contact.id).await?
    {
        // The agent meant to write to them: it goes to the conversation they already have,
        // under its rules (once, however often the request comes).
        let (sent, new) = reply::store(state, &mut tx, agent, id, message).await?;
        tx.commit().await?;
        if new {
            state.outbox.push(sent.id, id);
        }
        let entry =
            conversations::visible(&mut *state.db.pool().acquire().await?, agent.id, id).await?;
        return Ok(Started {
            entry,
            message: Some(sent),
            existing: true,
        });
    }
    // What the channel allows as a first message, checked before anything is made.
    let text = match &message.template {
        Some(chosen) => render_template(&mut tx, from.id, chosen).await?,
        None => message.text.trim().to_owned(),
    };
    let fresh = Situation {
        channel,
        last_inbound_at: None,
        unanswered: 0,
        opted_out: false,
        now: chrono::Utc::now(),
    };
    let draft = Draft {
        text: &text,
        attachments: &[],
        template: message.template.is_some(),
        human_agent: message.human_agent,
    };
    rules::check(&fresh, &draft).map_err(|refusal| refused(channel, &refusal))?;

    let now = now_ms();
    // A known contact keeps their name: what one agent typed does not rename them for all.
    let contact = match known {
        Some(contact) => contact,
        None => contacts::upsert(&mut tx, channel, &to, contact_name).await?,
    };
    let id = conversations::insert(&mut tx, from.id, contact.id, now).await?;
    conversations::set_assignee(&mut tx, id, Some(agent.id)).await?;
    if let Some(subject) = subject {
        conversations::set_subject(&mut tx, id, subject).await?;
    }
    let created = items::insert_event(
        &mut tx,
        id,
        NewEvent::of(ConversationEventKind::Created, Some(agent.id)),
        now,
    )
    .await?;
    let assigned = items::insert_event(
        &mut tx,
        id,
        NewEvent {
            agent: Some(agent.id),
            ..NewEvent::of(ConversationEventKind::Assigned, Some(agent.id))
        },
        now,
    )
    .await?;
    let told = Told {
        events: &[created, assigned],
        message: None,
    };
    announce(
        &mut tx,
        &state.presence,
        id,
        Before::nothing(),
        told,
        Recount::Concerned,
    )
    .await?;
    tx.commit().await?;

    let (sent, _) = reply::send(state, agent, id, message).await?;
    let entry: ConversationEntry = {
        let mut conn = state.db.pool().acquire().await?;
        conversations::visible(&mut conn, agent.id, id).await?
    };
    Ok(Started {
        entry,
        message: Some(sent),
        existing: false,
    })
}
