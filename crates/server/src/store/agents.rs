use crate::error::AppResult;
use sqlx::SqliteConnection;
use switchboard_protocol::{Agent, AgentId};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AgentKind {
    /// A person who logs in and answers customers.
    Human,
    /// A program with a token (the simulator, integrations). Never counted as a reader.
    Service,
}

impl AgentKind {
    fn as_str(self) -> &'static str {
        match self {
            AgentKind::Human => "human",
            AgentKind::Service => "service",
        }
    }
}

/// An agent with what only login needs.
pub struct Credentials {
    pub agent: Agent,
    pub password_hash: Option<String>,
}

type AgentTuple = (i64, String, String);

fn agent((id, name, email): AgentTuple) -> Agent {
    Agent {
        id: AgentId(id),
        name,
        email,
    }
}

pub async fn credentials(
    conn: &mut SqliteConnection,
    email: &str,
) -> AppResult<Option<Credentials>> {
    let row: Option<(i64, String, String, Option<String>)> = sqlx::query_as(
        "SELECT id, name, email, password_hash FROM agents WHERE email = ?1 AND kind = 'human'",
    )
    .bind(email.trim().to_owned())
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(id, name, email, password_hash)| Credentials {
        agent: agent((id, name, email)),
        password_hash,
    }))
}

pub async fn by_id(conn: &mut SqliteConnection, id: AgentId) -> AppResult<Option<Agent>> {
    let row: Option<AgentTuple> =
        sqlx::query_as("SELECT id, name, email FROM agents WHERE id = ?1")
            .bind(id.0)
            .fetch_optional(conn)
            .await?;
    Ok(row.map(agent))
}

/// The people an agent works with: themself and everyone who shares an inbox with them.
pub async fn teammates(conn: &mut SqliteConnection, of: AgentId) -> AppResult<Vec<Agent>> {
    let rows: Vec<AgentTuple> = sqlx::query_as(
        "SELECT a.id, a.name, a.email FROM agents a
         WHERE a.kind = 'human' AND (a.id = ?1 OR EXISTS (
             SELECT 1 FROM inbox_members mine JOIN inbox_members theirs ON theirs.inbox_id = mine.inbox_id
             WHERE mine.agent_id = ?1 AND theirs.agent_id = a.id) OR EXISTS (
             SELECT 1 FROM team_members mine JOIN team_members theirs ON theirs.team_id = mine.team_id
             WHERE mine.agent_id = ?1 AND theirs.agent_id = a.id))
         ORDER BY a.name COLLATE NOCASE",
    )
    .bind(of.0)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(agent).collect())
}

/// Every person of the workspace, by name (for an admin).
pub async fn all_people(conn: &mut SqliteConnection) -> AppResult<Vec<Agent>> {
    let rows: Vec<AgentTuple> = sqlx::query_as(
        "SELECT id, name, email FROM agents WHERE kind = 'human' ORDER BY name COLLATE NOCASE",
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(agent).collect())
}

pub async fn insert(
    conn: &mut SqliteConnection,
    email: &str,
    name: &str,
    password_hash: Option<&str>,
    kind: AgentKind,
) -> AppResult<AgentId> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO agents (email, name, password_hash, kind, created_at) VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
    )
    .bind(email.to_owned())
    .bind(name.to_owned())
    .bind(password_hash.map(str::to_owned))
    .bind(kind.as_str())
    .bind(crate::db::now_ms())
    .fetch_one(conn)
    .await?;
    Ok(AgentId(id))
}

pub async fn by_email(conn: &mut SqliteConnection, email: &str) -> AppResult<Option<AgentId>> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT id FROM agents WHERE email = ?1")
        .bind(email.to_owned())
        .fetch_optional(conn)
        .await?;
    Ok(row.map(|(id,)| AgentId(id)))
}

/// Which of these agents are people (service accounts have no counts to show).
pub async fn humans_among(
    conn: &mut SqliteConnection,
    agents: &std::collections::BTreeSet<AgentId>,
) -> AppResult<Vec<AgentId>> {
    let ids = super::ids_json(agents.iter().map(|a| a.0));
    // As one row, for the reason `access::audience` gives.
    let (humans,): (String,) = sqlx::query_as(
        "SELECT json_group_array(id) FROM (SELECT id FROM agents
         WHERE kind = 'human' AND id IN (SELECT value FROM json_each(?1)) ORDER BY id)",
    )
    .bind(ids)
    .fetch_one(conn)
    .await?;
    Ok(super::agent_ids(&humans)?.into_iter().collect())
}

pub async fn is_admin(conn: &mut SqliteConnection, id: AgentId) -> AppResult<bool> {
    let row: Option<(bool,)> = sqlx::query_as("SELECT admin FROM agents WHERE id = ?1")
        .bind(id.0)
        .fetch_optional(conn)
        .await?;
    Ok(row.is_some_and(|(admin,)| admin))
}

pub async fn set_admin(conn: &mut SqliteConnection, id: AgentId, admin: bool) -> AppResult<()> {
    sqlx::query("UPDATE agents SET admin = ?2 WHERE id = ?1")
        .bind(id.0)
        .bind(admin)
        .execute(conn)
        .await?;
    Ok(())
}

/// What the agent chose: available (`true`) or away.
pub async fn chose_available(conn: &mut SqliteConnection, id: AgentId) -> AppResult<bool> {
    let row: Option<(String,)> = sqlx::query_as("SELECT availability FROM agents WHERE id = ?1")
        .bind(id.0)
        .fetch_optional(conn)
        .await?;
    Ok(row.is_none_or(|(a,)| a == "available"))
}

pub async fn set_chose_available(
    conn: &mut SqliteConnection,
    id: AgentId,
    available: bool,
) -> AppResult<()> {
    sqlx::query("UPDATE agents SET availability = ?2 WHERE id = ?1")
        .bind(id.0)
        .bind(if available { "available" } else { "away" })
        .execute(conn)
        .await?;
    Ok(())
}

/// Open conversations assigned to the agent: their load.
pub async fn load(conn: &mut SqliteConnection, id: AgentId) -> AppResult<u32> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM conversations WHERE assignee_id = ?1 AND status = 'open'",
    )
    .bind(id.0)
    .fetch_one(conn)
    .await?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// Every person's choice of availability and load, for the workspace.
pub async fn choices_and_loads(
    conn: &mut SqliteConnection,
) -> AppResult<Vec<(AgentId, bool, u32)>> {
    let rows: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT a.id, a.availability,
                (SELECT COUNT(*) FROM conversations c WHERE c.assignee_id = a.id AND c.status = 'open')
         FROM agents a WHERE a.kind = 'human' ORDER BY a.id",
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, availability, load)| {
            (
                AgentId(id),
                availability == "available",
                u32::try_from(load).unwrap_or(u32::MAX),
            )
        })
        .collect())
}

pub async fn is_human(conn: &mut SqliteConnection, id: AgentId) -> AppResult<bool> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT 1 FROM agents WHERE id = ?1 AND kind = 'human'")
            .bind(id.0)
            .fetch_optional(conn)
            .await?;
    Ok(row.is_some())
}
