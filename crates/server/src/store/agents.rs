use crate::error::AppResult;
use sqlx::SqliteConnection;
use switchboard_protocol::{Agent, AgentId, InboxId};

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
             WHERE mine.agent_id = ?1 AND theirs.agent_id = a.id))
         ORDER BY a.name COLLATE NOCASE",
    )
    .bind(of.0)
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

/// The people who may see an inbox: the audience of its per-agent events.
pub async fn human_members(conn: &mut SqliteConnection, inbox: InboxId) -> AppResult<Vec<AgentId>> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT a.id FROM inbox_members m JOIN agents a ON a.id = m.agent_id
         WHERE m.inbox_id = ?1 AND a.kind = 'human' ORDER BY a.id",
    )
    .bind(inbox.0)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|(id,)| AgentId(id)).collect())
}

pub async fn is_human(conn: &mut SqliteConnection, id: AgentId) -> AppResult<bool> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT 1 FROM agents WHERE id = ?1 AND kind = 'human'")
            .bind(id.0)
            .fetch_optional(conn)
            .await?;
    Ok(row.is_some())
}
