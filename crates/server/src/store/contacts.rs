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

/// The contact with this handle on this channel, if known.
pub async fn find(
    conn: &mut SqliteConnection,
    channel: Channel,
    handle: &str,
) -> AppResult<Option<Contact>> {
    let row: Option<(i64, Option<String>, bool)> = sqlx::query_as(
        "SELECT id, name, opted_out FROM contacts WHERE channel = ?1 AND handle = ?2",
    )
    .bind(channel.as_str())
    .bind(handle.to_owned())
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(id, name, opted_out)| Contact {
        id: ContactId(id),
        channel,
        handle: handle.to_owned(),
        name,
        opted_out,
    }))
}

/// Contacts the agent has a conversation with (one they may see) on this channel, whose name
/// or handle contains `query` (digits alone match phone numbers however they were typed).
pub async fn matching(
    conn: &mut SqliteConnection,
    agent: switchboard_protocol::AgentId,
    channel: Channel,
    query: &str,
    limit: u32,
) -> AppResult<Vec<Contact>> {
    let digits: String = query.chars().filter(char::is_ascii_digit).collect();
    // What is typed is looked for as it is: `%` and `_` are not wildcards.
    let words: String = query
        .trim()
        .to_lowercase()
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    let rows: Vec<(i64, String, Option<String>, bool)> = sqlx::query_as(concat!(
        "SELECT ct.id, ct.handle, ct.name, ct.opted_out FROM contacts ct
         WHERE ct.channel = ?2
           AND (lower(ct.handle) LIKE '%' || ?3 || '%' ESCAPE '\\' OR lower(COALESCE(ct.name, '')) LIKE '%' || ?3 || '%' ESCAPE '\\'
                OR (?4 <> '' AND replace(ct.handle, '+', '') LIKE '%' || ?4 || '%'))
           AND EXISTS (SELECT 1 FROM conversations c WHERE c.contact_id = ct.id AND ",
        crate::store::access::sees!(),
        ")
         ORDER BY ct.name IS NULL, ct.name COLLATE NOCASE, ct.handle LIMIT ?5"
    ))
    .bind(agent.0)
    .bind(channel.as_str())
    .bind(words)
    .bind(digits)
    .bind(i64::from(limit))
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, handle, name, opted_out)| Contact {
            id: ContactId(id),
            channel,
            handle,
            name,
            opted_out,
        })
        .collect())
}
