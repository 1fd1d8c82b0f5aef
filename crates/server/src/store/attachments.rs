//! Attachments' records. The bytes are in [`crate::storage`]; a message's list is also copied
//! into its item (`items.attachments`) when it is linked, so threads read in one query.

use crate::db::now_ms;
use crate::error::{AppError, AppResult};
use sqlx::SqliteConnection;
use switchboard_protocol::{
    AgentId, Attachment, AttachmentId, ConversationId, LastMessage, MessageId,
};

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    name: String,
    content_type: String,
    bytes: i64,
}

impl From<Row> for Attachment {
    fn from(row: Row) -> Attachment {
        Attachment {
            id: AttachmentId(row.id),
            name: row.name,
            content_type: row.content_type,
            bytes: u64::try_from(row.bytes).unwrap_or(0),
        }
    }
}

pub struct NewAttachment<'a> {
    pub conversation: ConversationId,
    /// The agent who uploaded it; `None` for a customer's.
    pub uploader: Option<AgentId>,
    pub name: &'a str,
    pub content_type: &'a str,
    pub bytes: u64,
    pub storage_key: &'a str,
}

pub async fn insert(conn: &mut SqliteConnection, new: NewAttachment<'_>) -> AppResult<Attachment> {
    let row: Row = sqlx::query_as(
        "INSERT INTO attachments (conversation_id, uploader_id, name, content_type, bytes, storage_key, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id, name, content_type, bytes",
    )
    .bind(new.conversation.0)
    .bind(new.uploader.map(|a| a.0))
    .bind(new.name)
    .bind(new.content_type)
    .bind(i64::try_from(new.bytes).unwrap_or(i64::MAX))
    .bind(new.storage_key)
    .bind(now_ms())
    .fetch_one(conn)
    .await?;
    Ok(row.into())
}

/// The agent's own uploads for this conversation not sent yet, in the order asked for; an
/// id that is not one of them is refused.
pub async fn unsent(
    conn: &mut SqliteConnection,
    agent: AgentId,
    conversation: ConversationId,
    ids: &[AttachmentId],
) -> AppResult<Vec<Attachment>> {
    let mut found = Vec::with_capacity(ids.len());
    for id in ids {
        let row: Option<Row> = sqlx::query_as(
            "SELECT id, name, content_type, bytes FROM attachments
             WHERE id = ?1 AND uploader_id = ?2 AND conversation_id = ?3 AND message_id IS NULL",
        )
        .bind(id.0)
        .bind(agent.0)
        .bind(conversation.0)
        .fetch_optional(&mut *conn)
        .await?;
        let attachment = row.map(Attachment::from).ok_or_else(|| {
            AppError::unprocessable(switchboard_protocol::ErrorCode::InvalidRequest, format!(
                "Attachment {id} is not a file you uploaded to this conversation, or it was sent already."
            ))
        })?;
        if !found.contains(&attachment) {
            found.push(attachment);
        }
    }
    Ok(found)
}

/// Makes the attachments part of the message.
pub async fn link(
    conn: &mut SqliteConnection,
    message: MessageId,
    attachments: &[Attachment],
) -> AppResult<()> {
    if attachments.is_empty() {
        return Ok(());
    }
    for attachment in attachments {
        sqlx::query("UPDATE attachments SET message_id = ?2 WHERE id = ?1")
            .bind(attachment.id.0)
            .bind(message.0)
            .execute(&mut *conn)
            .await?;
    }
    let json = serde_json::to_string(attachments)
        .map_err(|e| AppError::internal(format!("attachments to JSON: {e}")))?;
    sqlx::query("UPDATE items SET attachments = ?2 WHERE id = ?1")
        .bind(message.0)
        .bind(json)
        .execute(&mut *conn)
        .await?;
    // A message of files alone is previewed in the list by its first file's name.
    let preview = LastMessage::preview_of(&format!("📎 {}", attachments[0].name));
    sqlx::query(
        "UPDATE conversations SET last_message_preview = ?2
         WHERE last_message_id = ?1 AND last_message_preview = ''",
    )
    .bind(message.0)
    .bind(preview)
    .execute(conn)
    .await?;
    Ok(())
}

/// An attachment the agent may see, with its storage key: their own unsent upload, or a file
/// of a conversation they may see (the one access rule).
pub async fn visible(
    conn: &mut SqliteConnection,
    agent: AgentId,
    id: AttachmentId,
) -> AppResult<Option<(Attachment, String)>> {
    let row: Option<(i64, String, String, i64, String)> = sqlx::query_as(concat!(
        "SELECT a.id, a.name, a.content_type, a.bytes, a.storage_key FROM attachments a
         JOIN conversations c ON c.id = a.conversation_id
         WHERE a.id = ?2 AND (a.message_id IS NOT NULL OR a.uploader_id = ?1) AND ",
        crate::store::access::sees!()
    ))
    .bind(agent.0)
    .bind(id.0)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(id, name, content_type, bytes, key)| {
        (
            Row {
                id,
                name,
                content_type,
                bytes,
            }
            .into(),
            key,
        )
    }))
}

/// A message's files with their storage keys, in the order they were attached.
pub async fn of_message(
    conn: &mut SqliteConnection,
    message: MessageId,
) -> AppResult<Vec<(Attachment, String)>> {
    let rows: Vec<(i64, String, String, i64, String)> = sqlx::query_as(
        "SELECT id, name, content_type, bytes, storage_key FROM attachments WHERE message_id = ?1 ORDER BY id",
    )
    .bind(message.0)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, content_type, bytes, key)| {
            let row = Row {
                id,
                name,
                content_type,
                bytes,
            };
            (row.into(), key)
        })
        .collect())
}

/// Forgets an upload of the agent's that was not sent; its storage key, to delete the bytes.
pub async fn forget_unsent(
    conn: &mut SqliteConnection,
    agent: AgentId,
    id: AttachmentId,
) -> AppResult<Option<String>> {
    let key: Option<(String,)> = sqlx::query_as(
        "DELETE FROM attachments WHERE id = ?1 AND uploader_id = ?2 AND message_id IS NULL
         RETURNING storage_key",
    )
    .bind(id.0)
    .bind(agent.0)
    .fetch_optional(conn)
    .await?;
    Ok(key.map(|(key,)| key))
}

/// Forgets the uploads nobody sent that were made before `before_ms`; their storage keys.
pub async fn forget_unsent_before(
    conn: &mut SqliteConnection,
    before_ms: i64,
) -> AppResult<Vec<String>> {
    let keys: Vec<(String,)> = sqlx::query_as(
        "DELETE FROM attachments WHERE message_id IS NULL AND uploader_id IS NOT NULL AND created_at < ?1
         RETURNING storage_key",
    )
    .bind(before_ms)
    .fetch_all(conn)
    .await?;
    Ok(keys.into_iter().map(|(key,)| key).collect())
}

/// Which of these storage keys a record names.
pub async fn known_keys(
    conn: &mut SqliteConnection,
    keys: &[String],
) -> AppResult<std::collections::HashSet<String>> {
    if keys.is_empty() {
        return Ok(Default::default());
    }
    let marks = vec!["?"; keys.len()].join(", ");
    // Only placeholders are formatted in; the keys are bound.
    let sql = format!("SELECT storage_key FROM attachments WHERE storage_key IN ({marks})");
    let mut query = sqlx::query_as::<_, (String,)>(sqlx::AssertSqlSafe(sql));
    for key in keys {
        query = query.bind(key);
    }
    let rows = query.fetch_all(conn).await?;
    Ok(rows.into_iter().map(|(key,)| key).collect())
}
