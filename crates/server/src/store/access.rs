//! The one access rule as SQL. `switchboard_protocol::access::Viewer::sees` says who may see a
//! conversation: a member of its inbox, a member of the team whose queue it is in, or its
//! assignee. Every query about conversations is built with [`sees!`] (agent `?1`, conversation
//! `c`), and each event's audience is read with [`audience`], so no query carries its own copy.

use crate::error::AppResult;
use sqlx::SqliteConnection;
use std::collections::BTreeSet;
use switchboard_protocol::{AgentId, ConversationId, InboxId, TeamId, Viewer};

/// "Agent `?1` may see conversation `c`", for a `WHERE` clause; `sees!("a.value")` for the
/// agent of another expression (a batch of agents).
macro_rules! sees {
    () => {
        $crate::store::access::sees!("?1")
    };
    ($agent:literal) => {
        concat!(
            "(c.inbox_id IN (SELECT inbox_id FROM inbox_members WHERE agent_id = ",
            $agent,
            ")
          OR c.team_id IN (SELECT team_id FROM team_members WHERE agent_id = ",
            $agent,
            ")
          OR c.assignee_id = ",
            $agent,
            ")"
        )
    };
}
pub(crate) use sees;

/// Everyone who may see the conversation now (service accounts included).
pub async fn audience(
    conn: &mut SqliteConnection,
    id: ConversationId,
) -> AppResult<BTreeSet<AgentId>> {
    // As one row: each row crosses from the connection's thread on its own, and this read
    // runs in the writer's turn for every change.
    let (ids,): (String,) = sqlx::query_as(
        "SELECT json_group_array(agent_id) FROM (
             SELECT m.agent_id FROM conversations c JOIN inbox_members m ON m.inbox_id = c.inbox_id WHERE c.id = ?1
             UNION SELECT t.agent_id FROM conversations c JOIN team_members t ON t.team_id = c.team_id WHERE c.id = ?1
             UNION SELECT c.assignee_id FROM conversations c WHERE c.id = ?1 AND c.assignee_id IS NOT NULL)",
    )
    .bind(id.0)
    .fetch_one(conn)
    .await?;
    super::agent_ids(&ids)
}

/// Whether `agent` may see the conversation.
pub async fn can_see(
    conn: &mut SqliteConnection,
    agent: AgentId,
    id: ConversationId,
) -> AppResult<bool> {
    let row: Option<(i64,)> = sqlx::query_as(concat!(
        "SELECT 1 FROM conversations c WHERE c.id = ?2 AND ",
        sees!()
    ))
    .bind(agent.0)
    .bind(id.0)
    .fetch_optional(conn)
    .await?;
    Ok(row.is_some())
}

/// What an agent's sight depends on: their inboxes and their teams.
pub async fn viewer(conn: &mut SqliteConnection, agent: AgentId) -> AppResult<Viewer> {
    let inboxes: Vec<(i64,)> =
        sqlx::query_as("SELECT inbox_id FROM inbox_members WHERE agent_id = ?1")
            .bind(agent.0)
            .fetch_all(&mut *conn)
            .await?;
    let teams: Vec<(i64,)> = sqlx::query_as("SELECT team_id FROM team_members WHERE agent_id = ?1")
        .bind(agent.0)
        .fetch_all(conn)
        .await?;
    Ok(Viewer {
        me: agent,
        inboxes: inboxes.into_iter().map(|(id,)| InboxId(id)).collect(),
        teams: teams.into_iter().map(|(id,)| TeamId(id)).collect(),
    })
}

/// Whether `agent` may see anything of an inbox: a member, or someone who sees one of its
/// conversations (its templates, to answer it).
pub async fn sees_inbox(
    conn: &mut SqliteConnection,
    agent: AgentId,
    inbox: InboxId,
) -> AppResult<bool> {
    let row: Option<(i64,)> = sqlx::query_as(concat!(
        "SELECT 1 WHERE EXISTS (SELECT 1 FROM inbox_members WHERE inbox_id = ?2 AND agent_id = ?1)
            OR EXISTS (SELECT 1 FROM conversations c WHERE c.inbox_id = ?2 AND ",
        sees!(),
        ")"
    ))
    .bind(agent.0)
    .bind(inbox.0)
    .fetch_optional(conn)
    .await?;
    Ok(row.is_some())
}

/// Whether `agent` belongs to the inbox, or to the team (if any): sight that does not come
/// from being the assignee.
pub async fn serves(
    conn: &mut SqliteConnection,
    agent: AgentId,
    inbox: InboxId,
    team: Option<TeamId>,
) -> AppResult<bool> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT 1 WHERE EXISTS (SELECT 1 FROM inbox_members WHERE inbox_id = ?2 AND agent_id = ?1)
            OR EXISTS (SELECT 1 FROM team_members WHERE team_id = ?3 AND agent_id = ?1)",
    )
    .bind(agent.0)
    .bind(inbox.0)
    .bind(team.map(|t| t.0))
    .fetch_optional(conn)
    .await?;
    Ok(row.is_some())
}
