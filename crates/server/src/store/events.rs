//! The event log behind the feed. Appended in the same transaction as the change it
//! describes, with its audience (who may receive it) decided then; read back in order once
//! for every connected socket (`fanout`), and by a socket itself when it replays; pruned by
//! age and size.

use crate::config::Retention;
use crate::db::{WriteTx, from_ms, now_ms};
use crate::error::{AppError, AppResult};
use sqlx::SqliteConnection;
use std::collections::BTreeSet;
use switchboard_protocol::{AgentId, EventBody, Seq};

/// Who may receive an event.
#[derive(Clone, Copy, Debug)]
pub enum Audience<'a> {
    /// These agents (a conversation's audience before and after a change).
    Agents(&'a BTreeSet<AgentId>),
    /// Every agent of the workspace (availability, teams).
    Everyone,
}

/// Appends an event for `audience`; `None` when the audience is nobody (nothing to write).
pub async fn append(
    tx: &mut WriteTx,
    audience: Audience<'_>,
    body: &EventBody,
) -> AppResult<Option<Seq>> {
    append_all(tx, audience, std::slice::from_ref(body)).await
}

/// Appends these events, in order, all for `audience`: two statements however many there are.
/// The last one's seq; `None` when there are none or the audience is nobody.
pub async fn append_all(
    tx: &mut WriteTx,
    audience: Audience<'_>,
    bodies: &[EventBody],
) -> AppResult<Option<Seq>> {
    if bodies.is_empty() || matches!(audience, Audience::Agents(agents) if agents.is_empty()) {
        return Ok(None);
    }
    let seqs = insert(tx, bodies.iter()).await?;
    let seqs_json = super::ids_json(seqs.iter().copied());
    match audience {
        Audience::Agents(agents) => {
            // One statement for the whole audience: a round trip each was most of a write.
            sqlx::query(
                "INSERT INTO event_audience (agent_id, seq)
                 SELECT a.value, s.value FROM json_each(?1) a CROSS JOIN json_each(?2) s",
            )
            .bind(super::ids_json(agents.iter().map(|a| a.0)))
            .bind(seqs_json)
            .execute(&mut **tx)
            .await?;
        }
        Audience::Everyone => {
            sqlx::query(
                "INSERT INTO event_audience (agent_id, seq)
                 SELECT a.id, s.value FROM agents a CROSS JOIN json_each(?1) s",
            )
            .bind(seqs_json)
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(seqs.last().map(|seq| Seq(*seq)))
}

/// Appends one event for each agent, for that agent alone, in the order given: two statements
/// however many there are (a statement each was most of a change seen by many agents).
pub async fn append_each(tx: &mut WriteTx, events: &[(AgentId, EventBody)]) -> AppResult<()> {
    if events.is_empty() {
        return Ok(());
    }
    let seqs = insert(tx, events.iter().map(|(_, body)| body)).await?;
    let addressed: Vec<String> = events
        .iter()
        .zip(&seqs)
        .map(|((agent, _), seq)| format!("[{},{seq}]", agent.0))
        .collect();
    sqlx::query(
        "INSERT INTO event_audience (agent_id, seq)
         SELECT e.value ->> 0, e.value ->> 1 FROM json_each(?1) e",
    )
    .bind(format!("[{}]", addressed.join(",")))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Writes the events in one statement and returns their seqs, in the order given.
async fn insert<'a>(
    tx: &mut WriteTx,
    bodies: impl ExactSizeIterator<Item = &'a EventBody>,
) -> AppResult<Vec<i64>> {
    let count = bodies.len();
    let rows = bodies
        .map(|body| Ok((body.kind(), serde_json::to_string(body)?)))
        .collect::<Result<Vec<_>, serde_json::Error>>()
        .and_then(|rows| serde_json::to_string(&rows))
        .map_err(|e| AppError::internal(format!("event does not serialize: {e}")))?;
    // Rows are inserted in `key` order, so their seqs ascend in that order.
    let rows: Vec<(i64,)> = sqlx::query_as(
        "INSERT INTO events (at, kind, payload)
         SELECT ?1, e.value ->> 0, e.value ->> 1 FROM json_each(?2) e ORDER BY e.key
         RETURNING seq",
    )
    .bind(now_ms())
    .bind(rows)
    .fetch_all(&mut **tx)
    .await?;
    let mut seqs: Vec<i64> = rows.into_iter().map(|(seq,)| seq).collect();
    seqs.sort_unstable();
    if seqs.len() != count {
        return Err(AppError::internal(format!(
            "{} events written of {count}",
            seqs.len()
        )));
    }
    if let Some(last) = seqs.last() {
        tx.note_event(Seq(*last));
    }
    Ok(seqs)
}

/// The newest seq ever written (pruning does not lower it).
pub async fn head(conn: &mut SqliteConnection) -> AppResult<Seq> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT seq FROM sqlite_sequence WHERE name = 'events'")
            .fetch_optional(conn)
            .await?;
    Ok(Seq(row.map_or(0, |(seq,)| seq)))
}

/// The name of this database's log, made once when the database is created. A client that
/// resumes with another log's seq (a restored backup, a new database) must resync.
pub async fn log_id(conn: &mut SqliteConnection) -> AppResult<String> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT value FROM meta WHERE key = 'log_id'")
        .fetch_optional(&mut *conn)
        .await?;
    let id = match row {
        Some((id,)) => id,
        None => {
            let id = i64::from_le_bytes(rand::random::<[u8; 8]>()) & i64::MAX;
            sqlx::query("INSERT OR IGNORE INTO meta (key, value) VALUES ('log_id', ?1)")
                .bind(id)
                .execute(&mut *conn)
                .await?;
            let (id,): (i64,) = sqlx::query_as("SELECT value FROM meta WHERE key = 'log_id'")
                .fetch_one(conn)
                .await?;
            id
        }
    };
    Ok(format!("{id:016x}"))
}

/// Events up to this seq have been pruned: a client behind it must resync.
pub async fn floor(conn: &mut SqliteConnection) -> AppResult<Seq> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT value FROM meta WHERE key = 'events_pruned_through'")
            .fetch_optional(conn)
            .await?;
    Ok(Seq(row.map_or(0, |(seq,)| seq)))
}

/// A stored event as the feed sends it: the text of its `ServerFrame::Event`.
#[derive(Clone, Debug)]
pub struct EventFrame {
    pub seq: Seq,
    pub text: String,
}

/// The frame of a stored event, made from its stored body as it is: the frame is the body's
/// fields after `type`, `seq` and `at` (`FeedEvent` flattens its body), so the text is the
/// same, byte for byte, as serializing the parsed event again, without parsing it (the tests
/// hold the two together for every event they write).
pub fn frame_text(seq: i64, at: i64, payload: &str) -> AppResult<String> {
    let fields = payload
        .strip_prefix("{\"kind\":")
        .ok_or_else(|| AppError::internal(format!("event {seq} is not an event body")))?;
    let at = serde_json::to_string(&from_ms(at))
        .map_err(|e| AppError::internal(format!("event {seq}'s time: {e}")))?;
    Ok(format!(
        "{{\"type\":\"event\",\"seq\":{seq},\"at\":{at},\"kind\":{fields}"
    ))
}

/// Up to `limit` events after `since` that `agent` may receive, in order, as frames.
pub async fn visible_after(
    conn: &mut SqliteConnection,
    agent: AgentId,
    since: Seq,
    limit: u32,
) -> AppResult<Vec<EventFrame>> {
    let rows: Vec<(i64, i64, String)> = sqlx::query_as(
        "SELECT e.seq, e.at, e.payload FROM event_audience a JOIN events e ON e.seq = a.seq
         WHERE a.agent_id = ?1 AND a.seq > ?2
         ORDER BY a.seq LIMIT ?3",
    )
    .bind(agent.0)
    .bind(since.0)
    .bind(i64::from(limit))
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|(seq, at, payload)| {
            Ok(EventFrame {
                seq: Seq(seq),
                text: frame_text(seq, at, &payload)?,
            })
        })
        .collect()
}

/// Up to `limit` events after `since`, whoever they are for, in order, each as its frame with
/// its audience: what the feed's hub reads once and hands to every socket concerned.
pub async fn after_with_audience(
    conn: &mut SqliteConnection,
    since: Seq,
    limit: u32,
) -> AppResult<Vec<(EventFrame, Vec<AgentId>)>> {
    let rows: Vec<(i64, i64, String, Option<String>)> = sqlx::query_as(
        "SELECT e.seq, e.at, e.payload,
                (SELECT group_concat(a.agent_id) FROM event_audience a WHERE a.seq = e.seq)
         FROM events e WHERE e.seq > ?1 ORDER BY e.seq LIMIT ?2",
    )
    .bind(since.0)
    .bind(i64::from(limit))
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|(seq, at, payload, audience)| {
            let audience = audience
                .unwrap_or_default()
                .split(',')
                .filter_map(|id| id.parse().ok().map(AgentId))
                .collect();
            let frame = EventFrame {
                seq: Seq(seq),
                text: frame_text(seq, at, &payload)?,
            };
            Ok((frame, audience))
        })
        .collect()
}

/// Drops events older than the retention allows and records how far the log now reaches back.
pub async fn prune(tx: &mut WriteTx, retention: &Retention) -> AppResult<u64> {
    let head = head(tx).await?;
    let oldest_kept_at =
        now_ms() - i64::try_from(retention.max_age.as_millis()).unwrap_or(i64::MAX);
    let (through,): (Option<i64>,) =
        sqlx::query_as("SELECT MAX(seq) FROM events WHERE at < ?1 OR seq <= ?2")
            .bind(oldest_kept_at)
            .bind(head.0 - retention.max_events)
            .fetch_one(&mut **tx)
            .await?;
    let Some(through) = through else {
        return Ok(0);
    };
    sqlx::query("DELETE FROM event_audience WHERE seq <= ?1")
        .bind(through)
        .execute(&mut **tx)
        .await?;
    let done = sqlx::query("DELETE FROM events WHERE seq <= ?1")
        .bind(through)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "INSERT INTO meta (key, value) VALUES ('events_pruned_through', ?1)
         ON CONFLICT (key) DO UPDATE SET value = MAX(value, excluded.value)",
    )
    .bind(through)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected())
}
