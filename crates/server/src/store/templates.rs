use crate::error::AppResult;
use sqlx::SqliteConnection;
use switchboard_protocol::InboxId;
use switchboard_protocol::templates::Template;

pub async fn for_inbox(conn: &mut SqliteConnection, inbox: InboxId) -> AppResult<Vec<Template>> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT name, language, body FROM templates WHERE inbox_id = ?1 ORDER BY name, language",
    )
    .bind(inbox.0)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(name, language, body)| Template {
            name,
            language,
            body,
        })
        .collect())
}

pub async fn find(
    conn: &mut SqliteConnection,
    inbox: InboxId,
    name: &str,
    language: &str,
) -> AppResult<Option<Template>> {
    let row: Option<(String, String, String)> = sqlx::query_as(
        "SELECT name, language, body FROM templates WHERE inbox_id = ?1 AND name = ?2 AND language = ?3",
    )
    .bind(inbox.0)
    .bind(name.to_owned())
    .bind(language.to_owned())
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(name, language, body)| Template {
        name,
        language,
        body,
    }))
}

/// Adds a template unless the inbox has one of that name and language.
pub async fn add(
    conn: &mut SqliteConnection,
    inbox: InboxId,
    template: &Template,
) -> AppResult<()> {
    sqlx::query(
        "INSERT OR IGNORE INTO templates (inbox_id, name, language, body) VALUES (?1, ?2, ?3, ?4)",
    )
    .bind(inbox.0)
    .bind(template.name.clone())
    .bind(template.language.clone())
    .bind(template.body.clone())
    .execute(conn)
    .await?;
    Ok(())
}
