//! What each agent has read: per conversation, the id of the last item they saw.

use super::access::sees;
use super::ids_json;
use crate::error::{AppError, AppResult};
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

/// "Customer messages in conversation `c` that agent `$agent` has not read", as an SQL
/// expression: the one definition of an unread count.
macro_rules! unread_in_c {
    ($agent:literal) => {
        concat!(
            "(SELECT COUNT(*) FROM items i
              WHERE i.conversation_id = c.id AND i.kind = 'message' AND i.direction = 'in'
                AND i.id > COALESCE((SELECT r.last_read_id FROM read_state r
                                     WHERE r.agent_id = ",
            $agent,
            " AND r.conversation_id = c.id), 0))"
        )
    };
}

/// Customer messages in the conversation the agent has not read.
pub async fn unread(
    conn: &mut SqliteConnection,
    agent: AgentId,
    conversation: ConversationId,
) -> AppResult<u32> {
    let (count,): (i64,) = sqlx::query_as(concat!(
        "SELECT ",
        unread_in_c!("?1"),
        " FROM (SELECT ?2 AS id) c"
    ))
    .bind(agent.0)
    .bind(conversation.0)
    .fetch_one(conn)
    .await?;
    Ok(u32::try_from(count).unwrap_or(u32::MAX))
}

/// For each of `agents` (in order), their unread count of each of `conversations` (in order)
/// that they may see; one statement for them all.
pub async fn unread_where_seen(
    conn: &mut SqliteConnection,
    agents: &[AgentId],
    conversations: &[ConversationId],
) -> AppResult<Vec<(AgentId, ConversationId, u32)>> {
    if agents.is_empty() || conversations.is_empty() {
        return Ok(Vec::new());
    }
    // As one row, for the reason `access::audience` gives.
    let (rows,): (String,) = sqlx::query_as(concat!(
        "SELECT json_group_array(json_array(agent, conversation, unread)) FROM (
         SELECT a.value AS agent, c.id AS conversation, ",
        unread_in_c!("a.value"),
        " AS unread FROM json_each(?1) a CROSS JOIN json_each(?2) v JOIN conversations c ON c.id = v.value
          WHERE ",
        sees!("a.value"),
        " ORDER BY a.key, v.key)"
    ))
    .bind(ids_json(agents.iter().map(|a| a.0)))
    .bind(ids_json(conversations.iter().map(|c| c.0)))
    .fetch_one(conn)
    .await?;
    let rows: Vec<(i64, i64, i64)> = serde_json::from_str(&rows)
        .map_err(|e| AppError::internal(format!("unread counts {rows:?}: {e}")))?;
    Ok(rows
        .into_iter()
        .map(|(agent, conversation, count)| {
            let count = u32::try_from(count).unwrap_or(u32::MAX);
            (AgentId(agent), ConversationId(conversation), count)
        })
        .collect())
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
