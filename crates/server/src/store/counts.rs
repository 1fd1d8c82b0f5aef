use super::access::sees;
use super::{channel_from, conversation_status_from};
use crate::error::AppResult;
use sqlx::SqliteConnection;
use switchboard_protocol::{AgentId, Counts, Group, InboxId, TeamId, ViewCount};

/// An agent's counts for every tab, from the conversations they may see. The grouping is done
/// here; which tab holds which group is the protocol's rule (`View::filter`).
pub async fn for_agent(conn: &mut SqliteConnection, agent: AgentId) -> AppResult<Counts> {
    type GroupRow = (
        i64,
        String,
        String,
        Option<i64>,
        Option<i64>,
        bool,
        i64,
        i64,
    );
    let groups: Vec<GroupRow> = sqlx::query_as(concat!(
        "SELECT c.inbox_id, i.channel, c.status, c.assignee_id, c.team_id,
                c.snoozed_until IS NOT NULL, COUNT(*),
                SUM(CASE WHEN c.last_inbound_id > COALESCE(r.last_read_id, 0) THEN 1 ELSE 0 END)
         FROM conversations c
         JOIN inboxes i ON i.id = c.inbox_id
         LEFT JOIN read_state r ON r.conversation_id = c.id AND r.agent_id = ?1
         WHERE ",
        sees!(),
        " GROUP BY c.inbox_id, i.channel, c.status, c.assignee_id, c.team_id, c.snoozed_until IS NOT NULL"
    ))
    .bind(agent.0)
    .fetch_all(conn)
    .await?;
    let mut counts = Counts::default();
    for (inbox, channel, status, assignee, team, snoozed, total, unread) in groups {
        let group = Group {
            inbox: InboxId(inbox),
            channel: channel_from(&channel)?,
            status: conversation_status_from(&status)?,
            assignee: assignee.map(AgentId),
            team: team.map(TeamId),
            snoozed,
        };
        let count = ViewCount {
            total: u32::try_from(total).unwrap_or(u32::MAX),
            unread: u32::try_from(unread).unwrap_or(u32::MAX),
        };
        counts.add(&group, agent, count);
    }
    Ok(counts)
}
