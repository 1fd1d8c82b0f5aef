use super::channel_from;
use crate::error::AppResult;
use sqlx::SqliteConnection;
use switchboard_protocol::{AgentId, Channel, Inbox, InboxId};

type InboxTuple = (i64, String, String, String);

fn inbox((id, channel, name, address): InboxTuple) -> AppResult<Inbox> {
    Ok(Inbox {
        id: InboxId(id),
        channel: channel_from(&channel)?,
        name,
        address,
    })
}

pub async fn insert(
    conn: &mut SqliteConnection,
    channel: Channel,
    name: &str,
    address: &str,
) -> AppResult<InboxId> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO inboxes (channel, name, address, provider, created_at) VALUES (?1, ?2, ?3, 'sandbox', ?4) RETURNING id",
    )
    .bind(channel.as_str())
    .bind(name.to_owned())
    .bind(address.to_owned())
    .bind(crate::db::now_ms())
    .fetch_one(conn)
    .await?;
    Ok(InboxId(id))
}

pub async fn add_member(
    conn: &mut SqliteConnection,
    inbox: InboxId,
    agent: AgentId,
) -> AppResult<()> {
    sqlx::query("INSERT OR IGNORE INTO inbox_members (inbox_id, agent_id) VALUES (?1, ?2)")
        .bind(inbox.0)
        .bind(agent.0)
        .execute(conn)
        .await?;
    Ok(())
}

/// The inboxes an agent may see, in a stable order.
pub async fn visible_to(conn: &mut SqliteConnection, agent: AgentId) -> AppResult<Vec<Inbox>> {
    let rows: Vec<InboxTuple> = sqlx::query_as(
        "SELECT i.id, i.channel, i.name, i.address FROM inboxes i
         JOIN inbox_members m ON m.inbox_id = i.id AND m.agent_id = ?1 ORDER BY i.id",
    )
    .bind(agent.0)
    .fetch_all(conn)
    .await?;
    rows.into_iter().map(inbox).collect()
}

/// The first sandbox inbox of `channel` the agent may see: where a simulated customer writes.
pub async fn sandbox_for(
    conn: &mut SqliteConnection,
    agent: AgentId,
    channel: Channel,
) -> AppResult<Option<Inbox>> {
    let row: Option<InboxTuple> = sqlx::query_as(
        "SELECT i.id, i.channel, i.name, i.address FROM inboxes i
         JOIN inbox_members m ON m.inbox_id = i.id AND m.agent_id = ?1
         WHERE i.channel = ?2 AND i.provider = 'sandbox' ORDER BY i.id LIMIT 1",
    )
    .bind(agent.0)
    .bind(channel.as_str())
    .fetch_optional(conn)
    .await?;
    row.map(inbox).transpose()
}

pub async fn is_member(
    conn: &mut SqliteConnection,
    agent: AgentId,
    inbox: InboxId,
) -> AppResult<bool> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT 1 FROM inbox_members WHERE inbox_id = ?1 AND agent_id = ?2")
            .bind(inbox.0)
            .bind(agent.0)
            .fetch_optional(conn)
            .await?;
    Ok(row.is_some())
}

/// The provider that carries an inbox, and its settings (JSON).
pub async fn provider(conn: &mut SqliteConnection, inbox: InboxId) -> AppResult<(String, String)> {
    let row: (String, String) =
        sqlx::query_as("SELECT provider, settings FROM inboxes WHERE id = ?1")
            .bind(inbox.0)
            .fetch_one(conn)
            .await?;
    Ok(row)
}

/// An inbox by id, with its provider and settings: what a webhook is addressed to.
pub async fn with_provider(
    conn: &mut SqliteConnection,
    inbox: InboxId,
) -> AppResult<Option<(Inbox, String, String)>> {
    let row: Option<(i64, String, String, String, String, String)> = sqlx::query_as(
        "SELECT id, channel, name, address, provider, settings FROM inboxes WHERE id = ?1",
    )
    .bind(inbox.0)
    .fetch_optional(conn)
    .await?;
    row.map(|(id, channel, name, address, provider, settings)| {
        Ok((
            self::inbox((id, channel, name, address))?,
            provider,
            settings,
        ))
    })
    .transpose()
}

/// Puts an inbox on a provider (a deployment wires real providers; the demo uses the sandbox).
pub async fn set_provider(
    conn: &mut SqliteConnection,
    inbox: InboxId,
    provider: &str,
    settings: &str,
) -> AppResult<()> {
    sqlx::query("UPDATE inboxes SET provider = ?2, settings = ?3 WHERE id = ?1")
        .bind(inbox.0)
        .bind(provider.to_owned())
        .bind(settings.to_owned())
        .execute(conn)
        .await?;
    Ok(())
}

/// Every inbox with its provider, in id order (for operators).
pub async fn all(conn: &mut SqliteConnection) -> AppResult<Vec<(Inbox, String)>> {
    let rows: Vec<(i64, String, String, String, String)> =
        sqlx::query_as("SELECT id, channel, name, address, provider FROM inboxes ORDER BY id")
            .fetch_all(conn)
            .await?;
    rows.into_iter()
        .map(|(id, channel, name, address, provider)| {
            Ok((inbox((id, channel, name, address))?, provider))
        })
        .collect()
}

/// The people (not service accounts) who belong to an inbox, by id.
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
