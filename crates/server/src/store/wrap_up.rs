//! The workspace's wrap-up reasons: what agents choose from when they close a conversation.

use crate::error::{AppError, AppResult};
use axum::http::StatusCode;
use sqlx::SqliteConnection;
use switchboard_protocol::{ErrorCode, WrapUpReason, WrapUpReasonId};

pub async fn all(conn: &mut SqliteConnection) -> AppResult<Vec<WrapUpReason>> {
    let rows: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, label FROM wrap_up_reasons ORDER BY label COLLATE NOCASE")
            .fetch_all(conn)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(id, label)| WrapUpReason {
            id: WrapUpReasonId(id),
            label,
        })
        .collect())
}

pub async fn label(conn: &mut SqliteConnection, id: WrapUpReasonId) -> AppResult<Option<String>> {
    let row: Option<(String,)> = sqlx::query_as("SELECT label FROM wrap_up_reasons WHERE id = ?1")
        .bind(id.0)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(|(label,)| label))
}

fn taken(error: sqlx::Error) -> AppError {
    match &error {
        sqlx::Error::Database(db) if db.is_unique_violation() => AppError::new(
            StatusCode::CONFLICT,
            ErrorCode::NameTaken,
            "There is already a wrap-up reason with this label.",
        ),
        _ => error.into(),
    }
}

pub async fn insert(conn: &mut SqliteConnection, label: &str) -> AppResult<WrapUpReason> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO wrap_up_reasons (label, created_at) VALUES (?1, ?2) RETURNING id",
    )
    .bind(label)
    .bind(crate::db::now_ms())
    .fetch_one(conn)
    .await
    .map_err(taken)?;
    Ok(WrapUpReason {
        id: WrapUpReasonId(id),
        label: label.to_owned(),
    })
}

/// Renames a reason; whether it existed. Closed conversations keep the label they got.
pub async fn rename(
    conn: &mut SqliteConnection,
    id: WrapUpReasonId,
    label: &str,
) -> AppResult<bool> {
    let done = sqlx::query("UPDATE wrap_up_reasons SET label = ?2 WHERE id = ?1")
        .bind(id.0)
        .bind(label)
        .execute(conn)
        .await
        .map_err(taken)?;
    Ok(done.rows_affected() > 0)
}

pub async fn delete(conn: &mut SqliteConnection, id: WrapUpReasonId) -> AppResult<bool> {
    let done = sqlx::query("DELETE FROM wrap_up_reasons WHERE id = ?1")
        .bind(id.0)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() > 0)
}
