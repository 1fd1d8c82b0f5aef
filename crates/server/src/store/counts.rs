use super::{channel_from, conversation_status_from};
use crate::error::AppResult;
use sqlx::SqliteConnection;
use switchboard_protocol::{AgentId, Counts, ViewCount};

/// An agent's counts for every tab, from the conversations of the inboxes they belong to.
/// The grouping is done here; which view holds which group is the protocol's rule.
pub async fn for_agent(conn: &mut SqliteConnection, agent: AgentId) -> AppResult<Counts> {
    let groups: Vec<(String, String, Option<i64>, i64, i64)> = sqlx::query_as(
        "SELECT i.channel, c.status, c.assignee_id, COUNT(*),
                SUM(CASE WHEN c.last_inbound_id > COALESCE(r.last_read_id, 0) THEN 1 ELSE 0 END)
         FROM conversations c
         JOIN inboxes i ON i.id = c.inbox_id
         JOIN inbox_members m ON m.inbox_id = c.inbox_id AND m.agent_id = ?1
         LEFT JOIN read_state r ON r.conversation_id = c.id AND r.agent_id = ?1
         GROUP BY i.channel, c.status, c.assignee_id",
    )
    .bind(agent.0)
    .fetch_all(conn)
    .await?;
    let mut counts = Counts::default();
    for (channel, status, assignee, total, unread) in groups {
        counts.add(
            channel_from(&channel)?,
            conversation_status_from(&status)?,
            assignee.map(AgentId),
            agent,
            ViewCount {
                total: u32::try_from(total).unwrap_or(u32::MAX),
                unread: u32::try_from(unread).unwrap_or(u32::MAX),
            },
        );
    }
    Ok(counts)
}
