//! An agent sends a failed message again: the same message, a new attempt, when retrying can
//! help and the channel's rules allow it now (`failures::check_retry`, as the app's button).

use crate::AppState;
use crate::db::{from_ms, now_ms};
use crate::error::{AppError, AppResult};
use crate::store::events::{self, Audience};
use crate::store::{conversations, items};
use crate::workflow::reply::refused;
use axum::http::StatusCode;
use switchboard_protocol::failures::{FailureKind, RetryRefusal, check_retry};
use switchboard_protocol::{
    Agent, ConversationId, Direction, ErrorCode, EventBody, Message, MessageId, MessageStatus,
};

/// Why sending it again would fail the same way, for the caller.
fn wont_help(kind: FailureKind) -> &'static str {
    match kind {
        FailureKind::InvalidRecipient => {
            "The address cannot receive messages on this channel; sending again would fail the same way."
        }
        FailureKind::Blocked => {
            "The customer blocked this account or is not available to it; sending again would fail the same way."
        }
        FailureKind::OptedOut => "The customer asked to receive no more messages.",
        FailureKind::WindowClosed => {
            "The reply window had closed; send an approved template instead."
        }
        FailureKind::Filtered => {
            "The carrier filtered this message for its content; change it and send a new one."
        }
        FailureKind::MayHaveGone => {
            "The provider gave no answer: the message may have gone out. Check with the customer before writing it again."
        }
        _ => "Sending this message again would fail the same way.",
    }
}

pub async fn retry(
    state: &AppState,
    agent: &Agent,
    conversation_id: ConversationId,
    message_id: MessageId,
) -> AppResult<Message> {
    let mut tx = state.db.write().await?;
    let conversation = conversations::visible(&mut tx, agent.id, conversation_id)
        .await?
        .conversation;
    let mut message = items::message(&mut tx, message_id)
        .await?
        .filter(|m| m.conversation_id == conversation_id && m.direction == Direction::Out)
        .ok_or_else(|| AppError::not_found("message"))?;
    let now = now_ms();
    check_retry(&conversation.situation(from_ms(now)), &message).map_err(
        |refusal| match refusal {
            RetryRefusal::NotFailed => AppError::new(
                StatusCode::CONFLICT,
                ErrorCode::NotFailed,
                "Only a failed message can be sent again.",
            ),
            RetryRefusal::WontHelp(kind) => {
                AppError::unprocessable(ErrorCode::RetryWontHelp, wont_help(kind))
            }
            RetryRefusal::Rules(refusal) => refused(conversation.channel, &refusal),
        },
    )?;
    message.attempt = items::start_attempt(&mut tx, message_id, now).await?;
    message.status = Some(MessageStatus::Sending);
    message.failure = None;
    let body = EventBody::MessageStatus {
        conversation_id,
        message_id,
        client_id: message.client_id,
        status: MessageStatus::Sending,
        failure: None,
        attempt: message.attempt,
    };
    let audience = crate::store::access::audience(&mut tx, conversation_id).await?;
    events::append(&mut tx, Audience::Agents(&audience), &body).await?;
    tx.commit().await?;
    state.outbox.push(message_id, conversation_id);
    Ok(message)
}
