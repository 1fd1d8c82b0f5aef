use super::{Readers, announce_conversation, publish_counts};
use crate::db::{Db, now_ms};
use crate::error::{AppError, AppResult};
use crate::store::events::{self, Audience};
use crate::store::{agents, conversations, inboxes, items};
use switchboard_protocol::api::ConversationEntry;
use switchboard_protocol::{
    Agent, AgentId, ConversationEventKind, ConversationId, ErrorCode, EventBody,
};

/// Gives the conversation to `assignee` (the actor themself, to take it from the queue).
pub async fn assign(
    db: &Db,
    actor: &Agent,
    conversation_id: ConversationId,
    assignee: AgentId,
) -> AppResult<ConversationEntry> {
    let mut tx = db.write().await?;
    let entry = conversations::visible(&mut tx, actor.id, conversation_id).await?;
    let inbox = entry.conversation.inbox_id;
    if entry.conversation.assignee == Some(assignee) {
        return Ok(entry);
    }
    if !agents::is_human(&mut tx, assignee).await?
        || !inboxes::is_member(&mut tx, assignee, inbox).await?
    {
        return Err(AppError::unprocessable(
            ErrorCode::InvalidRequest,
            "That agent does not exist or cannot see this inbox.",
        ));
    }
    conversations::set_assignee(&mut tx, conversation_id, Some(assignee)).await?;
    let event = items::insert_event(
        &mut tx,
        conversation_id,
        ConversationEventKind::Assigned,
        Some(actor.id),
        Some(assignee),
        now_ms(),
    )
    .await?;
    announce_conversation(&mut tx, conversation_id, false).await?;
    events::append(
        &mut tx,
        Audience::Inbox(inbox),
        &EventBody::ConversationEvent { event },
    )
    .await?;
    publish_counts(&mut tx, inbox, conversation_id, Readers::Everyone).await?;
    let entry = conversations::visible(&mut tx, actor.id, conversation_id).await?;
    tx.commit().await?;
    Ok(entry)
}
