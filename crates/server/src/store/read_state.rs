//! What each agent has read: per conversation, the id of the last item they saw.

use crate::error::AppResult;
use sqlx::SqliteConnection;
use switchboard_protocol::{AgentId, ConversationId, MessageId};

/// Moves the agent's read mark forward to `up_to`; never back. Returns whether it moved.
pub async fn mark(
    conn: &mut SqliteConnection,
    agent: AgentId,
    conversation: ConversationId,
    up_to: MessageId,
) -> AppResult<bool> {
    let done = sqlx::query(
        "INSERT INTO read_state (agent_id, conversation_id, last_read_id) VALUES (?1, ?2, ?3)
         ON CONFLICT (agent_id, conversation_id) DO UPDATE SET last_read_id = excluded.last_read_id
         WHERE excluded.last_read_id > read_state.last_read_id",
    )
    .bind(agent.0)
    .bind(conversation.0)
    .bind(up_to.0)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Customer messages in the conversation the agent has not read.
pub async fn unread(
    conn: &mut SqliteConnection,
    agent: AgentId,
    conversation: ConversationId,
) -> AppResult<u32> {
    let (count,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM items
         WHERE conversation_id = ?2 AND kind = 'message' AND direction = 'in'
           AND id > COALESCE((SELECT last_read_id FROM read_state WHERE agent_id = ?1 AND conversation_id = ?2), 0)",
    )
    .bind(agent.0)
    .bind(conversation.0)
    .fetch_one(conn)
    .await?;
    Ok(u32::try_from(count).unwrap_or(u32::MAX))
}

/// Moves the agent's read mark back to `last_read` (marking a conversation unread); never
/// forward, so what was unread stays unread. With no mark yet, everything is unread already.
pub async fn set_back(
    conn: &mut SqliteConnection,
    agent: AgentId,
    conversation: ConversationId,
    last_read: MessageId,
) -> AppResult<()> {
    sqlx::query(
        "UPDATE read_state SET last_read_id = MIN(last_read_id, ?3)
         WHERE agent_id = ?1 AND conversation_id = ?2",
    )
    .bind(agent.0)
    .bind(conversation.0)
    .bind(last_read.0)
    .execute(conn)
    .await?;
    Ok(())
}
