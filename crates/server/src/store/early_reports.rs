//! Status reports about a provider id we do not know yet: kept until the outbox stores that
//! id for its message, then applied in the order they came. Reports about messages sent
//! outside Switchboard are never claimed and are pruned after a day.

use super::message_status_from;
use crate::error::AppResult;
use sqlx::SqliteConnection;
use switchboard_protocol::{Failure, InboxId, MessageStatus};

/// How long an unclaimed report is kept.
pub const KEEP_MS: i64 = 24 * 3600 * 1000;

pub async fn keep(
    conn: &mut SqliteConnection,
    inbox: InboxId,
    provider_id: &str,
    status: MessageStatus,
    failure: Option<&Failure>,
    now_ms: i64,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO early_reports (inbox_id, provider_message_id, status, failure_code, failure_reason, received_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )
    .bind(inbox.0)
    .bind(provider_id.to_owned())
    .bind(status.as_str())
    .bind(failure.map(|f| f.code.clone()))
    .bind(failure.map(|f| f.reason.clone()))
    .bind(now_ms)
    .execute(conn)
    .await?;
    Ok(())
}

/// The reports kept for this id, oldest first; they are gone from the table afterwards.
pub async fn take(
    conn: &mut SqliteConnection,
    inbox: InboxId,
    provider_id: &str,
) -> AppResult<Vec<(MessageStatus, Option<Failure>)>> {
    let rows: Vec<(String, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT status, failure_code, failure_reason FROM early_reports
         WHERE inbox_id = ?1 AND provider_message_id = ?2 ORDER BY id",
    )
    .bind(inbox.0)
    .bind(provider_id.to_owned())
    .fetch_all(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM early_reports WHERE inbox_id = ?1 AND provider_message_id = ?2")
        .bind(inbox.0)
        .bind(provider_id.to_owned())
        .execute(&mut *conn)
        .await?;
    rows.into_iter()
        .map(|(status, code, reason)| {
            let failure = code.map(|code| Failure {
                code,
                reason: reason.unwrap_or_default(),
            });
            Ok((message_status_from(&status)?, failure))
        })
        .collect()
}

pub async fn prune(conn: &mut SqliteConnection, now_ms: i64) -> AppResult<u64> {
    let done = sqlx::query("DELETE FROM early_reports WHERE received_at < ?1")
        .bind(now_ms - KEEP_MS)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}
