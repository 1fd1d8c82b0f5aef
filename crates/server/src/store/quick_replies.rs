//! Saved replies. An agent sees their own and those of the inboxes they are in; anyone who sees
//! a shared one may change it, only its owner a personal one.

use crate::db::now_ms;
use crate::error::{AppError, AppResult};
use axum::http::StatusCode;
use sqlx::SqliteConnection;
use switchboard_protocol::quick_replies::{QuickReply, SaveQuickReply, Scope};
use switchboard_protocol::{AgentId, ErrorCode, InboxId, QuickReplyId};

const COLUMNS: &str = "id, inbox_id, author_id, shortcut, title, body";

/// Replies the agent may see: theirs, and their inboxes'.
const VISIBLE: &str =
    "(owner_id = ?1 OR inbox_id IN (SELECT inbox_id FROM inbox_members WHERE agent_id = ?1))";

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    inbox_id: Option<i64>,
    author_id: i64,
    shortcut: String,
    title: String,
    body: String,
}

impl From<Row> for QuickReply {
    fn from(row: Row) -> QuickReply {
        QuickReply {
            id: QuickReplyId(row.id),
            shortcut: row.shortcut,
            title: row.title,
            body: row.body,
            scope: match row.inbox_id {
                Some(inbox_id) => Scope::Inbox {
                    inbox_id: InboxId(inbox_id),
                },
                None => Scope::Personal,
            },
            author: AgentId(row.author_id),
        }
    }
}

pub async fn visible_to(conn: &mut SqliteConnection, agent: AgentId) -> AppResult<Vec<QuickReply>> {
    let rows: Vec<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM quick_replies WHERE {VISIBLE} ORDER BY shortcut, id"
    )))
    .bind(agent.0)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(QuickReply::from).collect())
}

async fn find(
    conn: &mut SqliteConnection,
    agent: AgentId,
    id: QuickReplyId,
) -> AppResult<QuickReply> {
    let row: Option<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM quick_replies WHERE id = ?2 AND {VISIBLE}"
    )))
    .bind(agent.0)
    .bind(id.0)
    .fetch_optional(conn)
    .await?;
    row.map(QuickReply::from)
        .ok_or_else(|| AppError::not_found("quick reply"))
}

fn taken(error: sqlx::Error, shortcut: &str) -> AppError {
    match &error {
        sqlx::Error::Database(db) if db.is_unique_violation() => AppError::new(
            StatusCode::CONFLICT,
            ErrorCode::ShortcutTaken,
            format!("/{shortcut} is already a quick reply here. Choose another shortcut."),
        ),
        _ => error.into(),
    }
}

/// Stores a new reply (already checked) for `agent`, shared with `reply.inbox_id` if set.
pub async fn insert(
    conn: &mut SqliteConnection,
    agent: AgentId,
    reply: &SaveQuickReply,
) -> AppResult<QuickReply> {
    let now = now_ms();
    let row: Row = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "INSERT INTO quick_replies (inbox_id, owner_id, author_id, shortcut, title, body, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7) RETURNING {COLUMNS}"
    )))
    .bind(reply.inbox_id.map(|i| i.0))
    .bind(reply.inbox_id.is_none().then_some(agent.0))
    .bind(agent.0)
    .bind(&reply.shortcut)
    .bind(&reply.title)
    .bind(&reply.body)
    .bind(now)
    .fetch_one(conn)
    .await
    .map_err(|e| taken(e, &reply.shortcut))?;
    Ok(row.into())
}

/// Changes a reply the agent may see; it may move between personal and an inbox.
pub async fn update(
    conn: &mut SqliteConnection,
    agent: AgentId,
    id: QuickReplyId,
    reply: &SaveQuickReply,
) -> AppResult<QuickReply> {
    find(conn, agent, id).await?;
    let row: Row = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "UPDATE quick_replies SET inbox_id = ?2, owner_id = ?3, shortcut = ?4, title = ?5, body = ?6, updated_at = ?7
         WHERE id = ?1 RETURNING {COLUMNS}"
    )))
    .bind(id.0)
    .bind(reply.inbox_id.map(|i| i.0))
    .bind(reply.inbox_id.is_none().then_some(agent.0))
    .bind(&reply.shortcut)
    .bind(&reply.title)
    .bind(&reply.body)
    .bind(now_ms())
    .fetch_one(conn)
    .await
    .map_err(|e| taken(e, &reply.shortcut))?;
    Ok(row.into())
}

pub async fn delete(
    conn: &mut SqliteConnection,
    agent: AgentId,
    id: QuickReplyId,
) -> AppResult<()> {
    find(conn, agent, id).await?;
    sqlx::query("DELETE FROM quick_replies WHERE id = ?1")
        .bind(id.0)
        .execute(conn)
        .await?;
    Ok(())
}
