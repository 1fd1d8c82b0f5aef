//! An agent replies. The message is stored as `sending` and handed to the outbox; the
//! provider's reports move it on. The same `client_id` sent again returns the stored message.

use super::{Before, Recount, Told, announce, routing, tell_thread};
use crate::AppState;
use crate::db::{WriteTx, now_ms};
use crate::error::{AppError, AppResult};
use crate::store::items::{self, NewEvent, NewMessage};
use crate::store::{attachments, conversations, inboxes, templates};
use axum::http::StatusCode;
use switchboard_protocol::api::SendMessage;
use switchboard_protocol::rules::{self, Draft, Outside, Permit, Refusal};
use switchboard_protocol::templates::{TemplateError, TemplateUse};
use switchboard_protocol::{
    Agent, Attachment, Channel, Conversation, ConversationEventKind, ConversationId,
    ConversationStatus, Direction, ErrorCode, Message, MessageStatus,
};

/// Whether a text is one a message on this channel can carry at all (not empty, not too long).
/// For what customers send us; replies go through the full [`rules::check`].
pub fn check_text(channel: Channel, text: &str) -> AppResult<()> {
    let refusal = if text.trim().is_empty() {
        Refusal::Empty
    } else {
        let (limit, length) = (channel.max_text_chars(), text.chars().count());
        if length <= limit {
            return Ok(());
        }
        Refusal::TextTooLong { limit, length }
    };
    Err(refused(channel, &refusal))
}

fn size(bytes: u64) -> String {
    match bytes {
        b if b >= 1024 * 1024 => format!("{} MB", b / (1024 * 1024)),
        b => format!("{} KB", b.div_ceil(1024)),
    }
}

/// A refusal as the caller gets it: its code, and a sentence that says what to do.
pub fn refused(channel: Channel, refusal: &Refusal) -> AppError {
    let name = channel.display_name();
    let message = match refusal {
        Refusal::Empty => "The message is empty. Write something before sending.".to_owned(),
        Refusal::TextTooLong { limit, length } => {
            format!("{name} messages can be at most {limit} characters long; this one has {length}.")
        }
        Refusal::NoteTooLong { limit, length } => {
            format!("A note can be at most {limit} characters long; this one has {length}.")
        }
        Refusal::OptedOut => {
            "This contact asked to receive no more messages (they replied STOP). Nothing can be sent until they opt back in.".to_owned()
        }
        Refusal::WindowClosed { allowed, .. } => {
            let hours = channel.rules().window_hours.unwrap_or(24);
            match allowed {
                Outside::TemplatesOnly => format!(
                    "More than {hours} hours have passed since the customer's last message. Only an approved template can be sent now."
                ),
                Outside::HumanAgentTag { days } => format!(
                    "More than {hours} hours have passed since the customer's last message. Send it as a human agent's reply (allowed for {days} days after their last message)."
                ),
                Outside::Nothing => format!(
                    "The {name} reply window has closed. Nothing can be sent until the customer writes again."
                ),
            }
        }
        Refusal::TooManyUnanswered { limit } => {
            format!("{name} allows at most {limit} messages in a row without an answer. Wait for the customer to reply.")
        }
        Refusal::TooManyAttachments { limit: 1 } => format!("A {name} message can carry one file."),
        Refusal::TooManyAttachments { limit } => format!("A {name} message can carry at most {limit} files."),
        Refusal::AttachmentType { name: file, content_type } => {
            format!("{name} cannot send {file} ({content_type}).")
        }
        Refusal::AttachmentTooLarge { name: file, limit } => {
            format!("{file} is larger than {name}'s limit of {} for this kind of file.", size(*limit))
        }
        Refusal::AttachmentsTooLarge { limit } => {
            format!("The files together are larger than {name}'s limit of {} per message.", size(*limit))
        }
    };
    AppError::unprocessable(refusal.code(), message)
}

/// The text of an approved template of the inbox, filled in.
pub(crate) async fn render_template(
    conn: &mut sqlx::SqliteConnection,
    inbox: switchboard_protocol::InboxId,
    chosen: &TemplateUse,
) -> AppResult<String> {
    let template = templates::find(conn, inbox, &chosen.name, &chosen.language)
        .await?
        .ok_or_else(|| {
            AppError::unprocessable(
                ErrorCode::InvalidRequest,
                format!(
                    "This inbox has no approved template `{}` in `{}`.",
                    chosen.name, chosen.language
                ),
            )
        })?;
    template.render(&chosen.params).map_err(|error| {
        let message = match error {
            TemplateError::WrongCount { expected } => {
                format!("The template `{}` takes {expected} values.", chosen.name)
            }
            TemplateError::Empty { placeholder } => {
                format!(
                    "Fill in {{{{{placeholder}}}}} of the template `{}`.",
                    chosen.name
                )
            }
        };
        AppError::unprocessable(ErrorCode::InvalidRequest, message)
    })
}

/// Stores the reply and hands it to the outbox; returns it, with whether it is new (`false`:
/// a retry of a stored one).
pub async fn send(
    state: &AppState,
    agent: &Agent,
    conversation_id: ConversationId,
    request: SendMessage,
) -> AppResult<(Message, bool)> {
    let (state, agent) = (state.clone(), agent.clone());
    crate::db::on_writer_thread(async move {
        let mut tx = state.db.write().await?;
        let (message, new) = store(&state, &mut tx, &agent, conversation_id, request).await?;
        tx.commit().await?;
        if new && !message.note {
            state.outbox.push(message.id, conversation_id);
        }
        Ok((message, new))
    })
    .await
}

/// [`send`] within a transaction of the caller's (a conversation being started): nothing is
/// handed to the outbox before the caller commits.
pub(crate) async fn store(
    state: &AppState,
    tx: &mut WriteTx,
    agent: &Agent,
    conversation_id: ConversationId,
    request: SendMessage,
) -> AppResult<(Message, bool)> {
    if let Some(stored) = items::by_client_id(tx, request.client_id).await? {
        if stored.conversation_id == conversation_id && stored.author == Some(agent.id) {
            return Ok((stored, false));
        }
        return Err(AppError::new(
            StatusCode::CONFLICT,
            ErrorCode::ClientIdConflict,
            "This client_id was already used for another message. Make a new one for each message.",
        ));
    }

    let entry = conversations::visible(tx, agent.id, conversation_id).await?;
    let conversation = entry.conversation;
    if request.note {
        return keep_note(tx, agent, &conversation, &request)
            .await
            .map(|note| (note, true));
    }
    // A template's text is ours to render; what the client sent is its preview.
    let text = match &request.template {
        Some(chosen) => render_template(tx, conversation.inbox_id, chosen).await?,
        None => request.text.trim().to_owned(),
    };
    let text = text.as_str();
    let now = now_ms();
    let files = attachments::unsent(tx, agent.id, conversation_id, &request.attachments).await?;
    if !files.is_empty() {
        if request.template.is_some() {
            return Err(AppError::unprocessable(
                ErrorCode::InvalidRequest,
                "A template goes as approved, without files. Send the files in another message.",
            ));
        }
        can_carry_files(tx, &conversation).await?;
    }
    let metas: Vec<_> = files.iter().map(Attachment::meta).collect();
    let draft = Draft {
        text,
        attachments: &metas,
        template: request.template.is_some(),
        human_agent: request.human_agent,
    };
    let permit = rules::check(&conversation.situation(crate::db::from_ms(now)), &draft)
        .map_err(|refusal| refused(conversation.channel, &refusal))?;

    let before = Before::of(tx, conversation_id).await?;
    let mut thread_events = Vec::new();
    // Answering a closed conversation reopens it, and answering one nobody has (the queue, a
    // reopened one) takes it: the sender becomes its assignee.
    let closed = conversation.status == ConversationStatus::Closed;
    if closed {
        conversations::reopen(tx, conversation_id, now).await?;
        let event = NewEvent::of(ConversationEventKind::Reopened, Some(agent.id));
        thread_events.push(items::insert_event(tx, conversation_id, event, now).await?);
    }
    if conversation.assignee.is_none() || (closed && conversation.assignee != Some(agent.id)) {
        conversations::set_assignee(tx, conversation_id, Some(agent.id)).await?;
        let event = NewEvent {
            agent: Some(agent.id),
            ..NewEvent::of(ConversationEventKind::Assigned, Some(agent.id))
        };
        thread_events.push(items::insert_event(tx, conversation_id, event, now).await?);
    }
    // Its assignee answering an offer takes it up (a teammate's answer does not).
    if conversation.assignee.is_none_or(|a| a == agent.id) {
        routing::opened(tx, conversation_id).await?;
    }
    let mut message = items::insert_message(
        tx,
        NewMessage {
            conversation: conversation_id,
            direction: Direction::Out,
            author: Some(agent.id),
            text,
            client_id: Some(request.client_id),
            status: Some(MessageStatus::Sending),
            human_agent: permit == Permit::HumanAgent,
            template: request.template.as_ref(),
            note: false,
            provider_message_id: None,
            at_ms: now,
        },
    )
    .await?;
    attachments::link(tx, message.id, &files).await?;
    message.attachments = files;
    // No read mark here: a customer message that lands while the agent types has not been
    // seen. The app marks read what it showed.

    let recount = if thread_events.is_empty() {
        Recount::Of(agent.id)
    } else {
        Recount::Concerned
    };
    let told = Told {
        events: &thread_events,
        message: Some(&message),
    };
    announce(tx, &state.presence, conversation_id, before, told, recount).await?;
    Ok((message, true))
}

/// Refuses a file for an inbox whose provider cannot carry it (see
/// [`crate::providers::carries_files`]): said when it is attached, never found out on the way.
pub async fn can_carry_files(
    conn: &mut sqlx::SqliteConnection,
    conversation: &Conversation,
) -> AppResult<()> {
    let (provider, _) = inboxes::provider(conn, conversation.inbox_id).await?;
    if crate::providers::carries_files(&provider) {
        return Ok(());
    }
    Err(AppError::unprocessable(
        ErrorCode::AttachmentType,
        format!(
            "This inbox sends through {provider}, and sending files through it is not available yet. Send the text alone, or share a link."
        ),
    ))
}

/// A private note: checked only as a note, kept in the thread for the team, handed to no
/// provider. It neither takes nor reopens the conversation: writing to the team is not
/// answering the customer.
async fn keep_note(
    tx: &mut WriteTx,
    agent: &Agent,
    conversation: &Conversation,
    request: &SendMessage,
) -> AppResult<Message> {
    if request.template.is_some() || request.human_agent {
        return Err(AppError::unprocessable(
            ErrorCode::InvalidRequest,
            "A note stays with the team: it cannot be a template or a human agent's reply.",
        ));
    }
    let text = request.text.trim();
    let files = attachments::unsent(tx, agent.id, conversation.id, &request.attachments).await?;
    match rules::check_note(text) {
        // A note may be a file alone.
        Err(Refusal::Empty) if !files.is_empty() => {}
        checked => checked.map_err(|refusal| refused(conversation.channel, &refusal))?,
    }
    let mut note = items::insert_message(
        tx,
        NewMessage {
            conversation: conversation.id,
            direction: Direction::Out,
            author: Some(agent.id),
            text,
            client_id: Some(request.client_id),
            status: None,
            human_agent: false,
            template: None,
            note: true,
            provider_message_id: None,
            at_ms: now_ms(),
        },
    )
    .await?;
    attachments::link(tx, note.id, &files).await?;
    note.attachments = files;
    tell_thread(tx, conversation.id, &note).await?;
    Ok(note)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_text_is_refused_as_empty() {
        let error = check_text(Channel::Sms, " \n\t ").unwrap_err();
        assert_eq!(error.public().1.code, ErrorCode::EmptyMessage);
    }

    #[test]
    fn text_at_the_channel_limit_passes_and_one_more_character_is_refused() {
        let limit = Channel::Instagram.max_text_chars();
        assert!(check_text(Channel::Instagram, &"é".repeat(limit)).is_ok());
        let error = check_text(Channel::Instagram, &"é".repeat(limit + 1)).unwrap_err();
        let (status, body, _) = error.public();
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body.code, ErrorCode::TextTooLong);
        assert!(body.message.contains("1000"), "{}", body.message);
    }
}
