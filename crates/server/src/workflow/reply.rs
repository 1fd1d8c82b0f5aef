//! An agent replies. The message is stored as `sending` and handed to the outbox; the
//! provider's reports move it on. The same `client_id` sent again returns the stored message.

use super::{Readers, announce_conversation, announce_thread, publish_counts};
use crate::AppState;
use crate::db::now_ms;
use crate::error::{AppError, AppResult};
use crate::store::conversations;
use crate::store::items::{self, NewMessage};
use axum::http::StatusCode;
use switchboard_protocol::api::SendMessage;
use switchboard_protocol::{
    Agent, Channel, ConversationEventKind, ConversationId, ConversationStatus, Direction,
    ErrorCode, Message, MessageStatus,
};

/// Whether this text may be sent on this channel, as a refusal the agent can act on.
pub fn check_text(channel: Channel, text: &str) -> AppResult<()> {
    if text.trim().is_empty() {
        return Err(AppError::unprocessable(
            ErrorCode::EmptyMessage,
            "The message is empty. Write something before sending.",
        ));
    }
    let limit = channel.max_text_chars();
    let length = text.chars().count();
    if length > limit {
        return Err(AppError::unprocessable(
            ErrorCode::TextTooLong,
            format!(
                "{} messages can be at most {limit} characters long; this one has {length}.",
                channel.display_name()
            ),
        ));
    }
    Ok(())
}

/// Stores the reply and returns it, with whether it is new (`false`: a retry of a stored one).
pub async fn send(
    state: &AppState,
    agent: &Agent,
    conversation_id: ConversationId,
    request: SendMessage,
) -> AppResult<(Message, bool)> {
    let text = request.text.trim();
    let mut tx = state.db.write().await?;

    if let Some(stored) = items::by_client_id(&mut tx, request.client_id).await? {
        if stored.conversation_id == conversation_id && stored.author == Some(agent.id) {
            return Ok((stored, false));
        }
        return Err(AppError::new(
            StatusCode::CONFLICT,
            ErrorCode::ClientIdConflict,
            "This client_id was already used for another message. Make a new one for each message.",
        ));
    }

    let entry = conversations::visible(&mut tx, agent.id, conversation_id).await?;
    let conversation = entry.conversation;
    check_text(conversation.channel, text)?;

    let now = now_ms();
    let mut thread_events = Vec::new();
    // Answering a closed conversation reopens it; answering from the queue takes it.
    if conversation.status == ConversationStatus::Closed {
        conversations::set_status(&mut tx, conversation_id, ConversationStatus::Open).await?;
        thread_events.push(
            items::insert_event(
                &mut tx,
                conversation_id,
                ConversationEventKind::Reopened,
                Some(agent.id),
                None,
                now,
            )
            .await?,
        );
    }
    if conversation.assignee.is_none() {
        conversations::set_assignee(&mut tx, conversation_id, Some(agent.id)).await?;
        thread_events.push(
            items::insert_event(
                &mut tx,
                conversation_id,
                ConversationEventKind::Assigned,
                Some(agent.id),
                Some(agent.id),
                now,
            )
            .await?,
        );
    }
    let message = items::insert_message(
        &mut tx,
        NewMessage {
            conversation: conversation_id,
            direction: Direction::Out,
            author: Some(agent.id),
            text,
            client_id: Some(request.client_id),
            status: Some(MessageStatus::Sending),
            at_ms: now,
        },
    )
    .await?;
    // No read mark here: a customer message that lands while the agent types has not been
    // seen. The app marks read what it showed.

    announce_conversation(&mut tx, conversation_id, false).await?;
    announce_thread(&mut tx, conversation.inbox_id, &thread_events, &message).await?;
    let readers = if thread_events.is_empty() {
        Readers::One(agent.id)
    } else {
        Readers::Everyone
    };
    publish_counts(&mut tx, conversation.inbox_id, conversation_id, readers).await?;
    tx.commit().await?;

    state.outbox.push(message.id);
    Ok((message, true))
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
        let (status, body) = error.public();
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body.code, ErrorCode::TextTooLong);
        assert!(body.message.contains("1000"), "{}", body.message);
    }
}
