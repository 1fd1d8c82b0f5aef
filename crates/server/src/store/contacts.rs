use crate::error::AppResult;
use sqlx::SqliteConnection;
use switchboard_protocol::{Channel, Contact, ContactId};

/// The contact with this handle on this channel, created if new. A name, when given,
/// replaces the stored one: customers and providers tell us their current name.
pub async fn upsert(
    conn: &mut SqliteConnection,
    channel: Channel,
    handle: &str,
    name: Option<&str>,
) -> AppResult<Contact> {
    let (id, name, opted_out): (i64, Option<String>, bool) = sqlx::query_as(
        "INSERT INTO contacts (channel, handle, name, created_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (channel, handle) DO UPDATE SET name = COALESCE(excluded.name, contacts.name)
         RETURNING id, name, opted_out",
    )
    .bind(channel.as_str())
    .bind(handle.to_owned())
    .bind(name.map(str::to_owned))
    .bind(crate::db::now_ms())
    .fetch_one(conn)
    .await?;
    Ok(Contact {
        id: ContactId(id),
        channel,
        handle: handle.to_owned(),
        name,
        opted_out,
    })
}

/// Records that the contact opted out of (or back into) messages on their channel.
pub async fn set_opted_out(
    conn: &mut SqliteConnection,
    id: ContactId,
    opted_out: bool,
) -> AppResult<()> {
    sqlx::query("UPDATE contacts SET opted_out = ?2 WHERE id = ?1")
        .bind(id.0)
        .bind(opted_out)
        .execute(conn)
        .await?;
    Ok(())
}
