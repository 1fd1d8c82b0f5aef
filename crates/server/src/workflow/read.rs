use super::{publish_counts, routing};
use crate::db::Db;
use crate::error::AppResult;
use crate::store::{conversations, items, read_state};
use switchboard_protocol::feed::ConversationUnread;
use switchboard_protocol::{Agent, AgentId, ConversationId, MessageId};

/// Marks the conversation read by `agent` up to `up_to` (never past its newest item, never
/// backwards) and returns what is still unread.
pub async fn mark(
    db: &Db,
    agent: &Agent,
    conversation_id: ConversationId,
    up_to: MessageId,
) -> AppResult<ConversationUnread> {
    let (db, agent) = (db.clone(), agent.id);
    crate::db::on_writer_thread(async move { mark_now(&db, agent, conversation_id, up_to).await })
        .await
}

async fn mark_now(
    db: &Db,
    agent: AgentId,
    conversation_id: ConversationId,
    up_to: MessageId,
) -> AppResult<ConversationUnread> {
    let mut tx = db.write().await?;
    let entry = conversations::visible(&mut tx, agent, conversation_id).await?;
    let latest = items::latest_id(&mut tx, conversation_id).await?;
    let up_to = latest.map_or(up_to, |latest| up_to.min(latest));
    if read_state::mark(&mut tx, agent, conversation_id, up_to).await? {
        publish_counts(&mut tx, &[agent], &[conversation_id]).await?;
    }
    // Its assignee opened it: an offer to them is taken up.
    if entry.conversation.assignee == Some(agent) {
        routing::opened(&mut tx, conversation_id).await?;
    }
    let unread = read_state::unread(&mut tx, agent, conversation_id).await?;
    tx.commit().await?;
    Ok(ConversationUnread {
        conversation_id,
        unread,
    })
}
