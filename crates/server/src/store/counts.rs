//! Each agent's counts. They are kept in `agent_counts` by the database itself: the triggers of
//! migration `0012_agent_counts.sql` are the one place that turns a change (to a conversation,
//! a read mark or a membership) into deltas, in the statement that makes it, so no write path
//! can forget them. Reading counts is a look-up of a few rows, whatever the size of the inbox.
//! [`recount`] is the same count done from scratch: the reference the tests hold the table to.

use super::access::sees;
use super::{channel_from, conversation_status_from};
use crate::error::{AppError, AppResult};
use sqlx::SqliteConnection;
use std::collections::BTreeMap;
use switchboard_protocol::{AgentId, Counts, Group, InboxId, TeamId, ViewCount};

/// One group's count, as both queries select it: the recount as columns named as the fields,
/// the kept counts as JSON arrays in this order.
#[derive(sqlx::FromRow, serde::Deserialize)]
struct GroupRow {
    inbox_id: i64,
    channel: String,
    status: String,
    assignee_id: Option<i64>,
    team_id: Option<i64>,
    /// 0 or 1 (SQLite has no booleans, and JSON keeps the integer).
    snoozed: i64,
    total: i64,
    unread: i64,
}

/// An agent's counts for every tab, as kept up to date. Someone else's conversations are
/// kept under assignee -1 (see the migration): for the views, anyone but me.
pub async fn for_agent(conn: &mut SqliteConnection, agent: AgentId) -> AppResult<Counts> {
    let mut counts = for_agents(conn, &[agent]).await?;
    Ok(counts.remove(&agent).unwrap_or_default())
}

/// [`for_agent`] for several agents in one statement: every one of them has an entry.
pub async fn for_agents(
    conn: &mut SqliteConnection,
    agents: &[AgentId],
) -> AppResult<BTreeMap<AgentId, Counts>> {
    // One row for them all, each agent's groups as a JSON array: sqlx's cost is per row (each
    // crosses from its worker thread), and this read runs for everyone a change concerns, in
    // the writer.
    let (rows,): (String,) = sqlx::query_as(
        "SELECT json_group_array(json_array(agent_id, json(groups))) FROM (
         SELECT k.agent_id,
                json_group_array(json_array(k.inbox_id, i.channel, k.status,
                    NULLIF(k.assignee_id, 0), NULLIF(k.team_id, 0), k.snoozed, k.total, k.unread))
                AS groups
         FROM json_each(?1) a JOIN agent_counts k ON k.agent_id = a.value
         JOIN inboxes i ON i.id = k.inbox_id
         WHERE k.total > 0
         GROUP BY k.agent_id)",
    )
    .bind(super::ids_json(agents.iter().map(|a| a.0)))
    .fetch_one(conn)
    .await?;
    let rows: Vec<(i64, Vec<GroupRow>)> = serde_json::from_str(&rows)
        .map_err(|e| AppError::internal(format!("agents' counts: {e}")))?;
    let mut groups: BTreeMap<AgentId, Vec<GroupRow>> =
        agents.iter().map(|agent| (*agent, Vec::new())).collect();
    for (agent, rows) in rows {
        groups.insert(AgentId(agent), rows);
    }
    groups
        .into_iter()
        .map(|(agent, groups)| Ok((agent, fold(agent, groups)?)))
        .collect()
}

/// An agent's counts counted from the conversations they may see (a full scan of them).
pub async fn recount(conn: &mut SqliteConnection, agent: AgentId) -> AppResult<Counts> {
    let groups: Vec<GroupRow> = sqlx::query_as(concat!(
        "SELECT c.inbox_id AS inbox_id, i.channel AS channel, c.status AS status,
                c.assignee_id AS assignee_id, c.team_id AS team_id,
                c.snoozed_until IS NOT NULL AS snoozed, COUNT(*) AS total,
                SUM(CASE WHEN c.last_inbound_id > COALESCE(r.last_read_id, 0) THEN 1 ELSE 0 END)
                    AS unread
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
    fold(agent, groups)
}

/// The grouping is done in SQL; which tab holds which group is the protocol's rule
/// (`View::filter`, through `Counts::add`).
fn fold(agent: AgentId, groups: Vec<GroupRow>) -> AppResult<Counts> {
    let mut counts = Counts::default();
    for row in groups {
        let group = Group {
            inbox: InboxId(row.inbox_id),
            channel: channel_from(&row.channel)?,
            status: conversation_status_from(&row.status)?,
            assignee: row.assignee_id.map(AgentId),
            team: row.team_id.map(TeamId),
            snoozed: row.snoozed != 0,
        };
        let count = ViewCount {
            total: u32::try_from(row.total).unwrap_or(u32::MAX),
            unread: u32::try_from(row.unread).unwrap_or(0),
        };
        counts.add(&group, agent, count);
    }
    Ok(counts)
}
