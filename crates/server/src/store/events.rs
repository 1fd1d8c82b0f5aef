//! The event log behind the feed. Appended in the same transaction as the change it
//! describes, with its audience (who may receive it) decided then; read back in order once
//! for every connected socket (`fanout`), and by a socket itself when it replays; pruned by
//! age and size. Counts are the exception: a change writes that they moved, and the reader
//! makes each agent's counts event (`feed_counts`).

use crate::config::Retention;
use crate::db::{WriteTx, from_ms, now_ms};
use crate::error::{AppError, AppResult};
use serde::{Deserialize, Serialize};
use sqlx::SqliteConnection;
use std::collections::BTreeSet;
use switchboard_protocol::{AgentId, ConversationId, EventBody, Seq};

/// Who may receive an event.
#[derive(Clone, Copy, Debug)]
pub enum Audience<'a> {
    /// These agents (a conversation's audience before and after a change).
    Agents(&'a BTreeSet<AgentId>),
    /// This agent alone (their counts).
    Agent(AgentId),
    /// Every agent of the workspace (availability, teams).
    Everyone,
}

impl Audience<'_> {
    fn is_nobody(&self) -> bool {
        matches!(self, Audience::Agents(agents) if agents.is_empty())
    }
}

/// What a row of the log holds.
#[derive(Clone, Copy, Debug)]
pub enum Entry<'a> {
    /// An event, sent as it is stored.
    Event(&'a EventBody),
    /// The audience's counts moved, and the unread counts of these conversations: each
    /// reader makes every agent's `unread.counts` event from the kept counts (`feed_counts`).
    CountsMoved(&'a [ConversationId]),
}

/// The stored body of [`Entry::CountsMoved`]; never sent as it is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename = "counts.moved")]
pub struct CountsMoved {
    pub conversations: Vec<ConversationId>,
}

const COUNTS_MOVED: &str = "counts.moved";

impl Entry<'_> {
    fn kind(&self) -> &'static str {
        match self {
            Entry::Event(body) => body.kind(),
            Entry::CountsMoved(_) => COUNTS_MOVED,
        }
    }

    fn payload(&self) -> AppResult<String> {
        match self {
            Entry::Event(body) => json(body),
            Entry::CountsMoved(conversations) => json(&CountsMoved {
                conversations: conversations.to_vec(),
            }),
        }
    }
}

/// Appends an event for `audience`; `None` when the audience is nobody (nothing to write).
pub async fn append(
    tx: &mut WriteTx,
    audience: Audience<'_>,
    body: &EventBody,
) -> AppResult<Option<Seq>> {
    append_batch(tx, &[(audience, Entry::Event(body))]).await
}

/// Appends these entries, in order, each for its own audience: two statements however many
/// there are (each statement crosses to the connection's thread and back). An entry whose
/// audience is nobody is not written. The last one's seq; `None` when none was written.
pub async fn append_batch(
    tx: &mut WriteTx,
    events: &[(Audience<'_>, Entry<'_>)],
) -> AppResult<Option<Seq>> {
    let events: Vec<_> = events
        .iter()
        .filter(|(audience, _)| !audience.is_nobody())
        .collect();
    if events.is_empty() {
        return Ok(None);
    }
    let rows = events
        .iter()
        .map(|(_, entry)| Ok((entry.kind(), entry.payload()?)))
        .collect::<AppResult<Vec<_>>>()?;
    // Rows are inserted in `key` order, so their seqs ascend in that order.
    let seqs: Vec<(i64,)> = sqlx::query_as(
        "INSERT INTO events (at, kind, payload)
         SELECT ?1, e.value ->> 0, e.value ->> 1 FROM json_each(?2) e ORDER BY e.key
         RETURNING seq",
    )
    .bind(now_ms())
    .bind(json(&rows)?)
    .fetch_all(&mut **tx)
    .await?;
    let mut seqs: Vec<i64> = seqs.into_iter().map(|(seq,)| seq).collect();
    seqs.sort_unstable();
    if seqs.len() != events.len() {
        return Err(AppError::internal(format!(
            "{} events written of {}",
            seqs.len(),
            events.len()
        )));
    }
    // Every audience in one statement, as [agent, seq] pairs and the seqs for everyone: a
    // statement each was most of a change seen by many agents.
    let (mut pairs, mut for_everyone) = (Vec::new(), Vec::new());
    for ((audience, _), seq) in events.iter().zip(&seqs) {
        match audience {
            Audience::Agents(agents) => pairs.extend(agents.iter().map(|agent| (agent.0, *seq))),
            Audience::Agent(agent) => pairs.push((agent.0, *seq)),
            Audience::Everyone => for_everyone.push(*seq),
        }
    }
    sqlx::query(
        "INSERT INTO event_audience (agent_id, seq)
         SELECT p.value ->> 0, p.value ->> 1 FROM json_each(?1) p
         UNION ALL
         SELECT g.id, s.value FROM json_each(?2) s CROSS JOIN agents g",
    )
    .bind(json(&pairs)?)
    .bind(json(&for_everyone)?)
    .execute(&mut **tx)
    .await?;
    let last = *seqs
        .last()
        .ok_or_else(|| AppError::internal("no event was written"))?;
    tx.note_event(Seq(last));
    Ok(Some(Seq(last)))
}

fn json(value: &impl serde::Serialize) -> AppResult<String> {
    serde_json::to_string(value)
        .map_err(|e| AppError::internal(format!("an event does not serialize: {e}")))
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

/// A row of the log as it is read back.
#[derive(Clone, Debug)]
pub enum Logged {
    /// An event's frame, as every agent in its audience receives it.
    Event(EventFrame),
    /// Counts moved: each reader makes its agents' frames (`feed_counts`).
    CountsMoved {
        seq: Seq,
        at: i64,
        conversations: Vec<ConversationId>,
    },
}

impl Logged {
    pub fn seq(&self) -> Seq {
        match self {
            Logged::Event(frame) => frame.seq,
            Logged::CountsMoved { seq, .. } => *seq,
        }
    }

    fn read(seq: i64, at: i64, kind: &str, payload: &str) -> AppResult<Logged> {
        if kind != COUNTS_MOVED {
            return Ok(Logged::Event(EventFrame {
                seq: Seq(seq),
                text: frame_text(seq, at, payload)?,
            }));
        }
        let moved: CountsMoved = serde_json::from_str(payload)
            .map_err(|e| AppError::internal(format!("event {seq} ({kind}): {e}")))?;
        Ok(Logged::CountsMoved {
            seq: Seq(seq),
            at,
            conversations: moved.conversations,
        })
    }
}

/// Up to `limit` rows after `since` that `agent` may receive, in order.
pub async fn visible_after(
    conn: &mut SqliteConnection,
    agent: AgentId,
    since: Seq,
    limit: u32,
) -> AppResult<Vec<Logged>> {
    let rows: Vec<(i64, i64, String, String)> = sqlx::query_as(
        "SELECT e.seq, e.at, e.kind, e.payload FROM event_audience a JOIN events e ON e.seq = a.seq
         WHERE a.agent_id = ?1 AND a.seq > ?2
         ORDER BY a.seq LIMIT ?3",
    )
    .bind(agent.0)
    .bind(since.0)
    .bind(i64::from(limit))
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|(seq, at, kind, payload)| Logged::read(seq, at, &kind, &payload))
        .collect()
}

/// Up to `limit` rows after `since`, whoever they are for, in order, each with its audience:
/// what the feed's hub reads once and hands to every socket concerned.
pub async fn after_with_audience(
    conn: &mut SqliteConnection,
    since: Seq,
    limit: u32,
) -> AppResult<Vec<(Logged, Vec<AgentId>)>> {
    let rows: Vec<(i64, i64, String, String, Option<String>)> = sqlx::query_as(
        "SELECT e.seq, e.at, e.kind, e.payload,
                (SELECT group_concat(a.agent_id) FROM event_audience a WHERE a.seq = e.seq)
         FROM events e WHERE e.seq > ?1 ORDER BY e.seq LIMIT ?2",
    )
    .bind(since.0)
    .bind(i64::from(limit))
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|(seq, at, kind, payload, audience)| {
            let audience = audience
                .unwrap_or_default()
                .split(',')
                .filter_map(|id| id.parse().ok().map(AgentId))
                .collect();
            Ok((Logged::read(seq, at, &kind, &payload)?, audience))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Db;

    fn gone(id: i64) -> EventBody {
        EventBody::ConversationGone {
            conversation_id: ConversationId(id),
        }
    }

    /// The events each agent may receive, as the ids of the `gone` bodies they carry.
    async fn received(db: &Db, agent: i64) -> Vec<i64> {
        let mut conn = db.pool().acquire().await.unwrap();
        visible_after(&mut conn, AgentId(agent), Seq(0), 100)
            .await
            .unwrap()
            .iter()
            .map(|logged| {
                let Logged::Event(frame) = logged else {
                    panic!("only events were written: {logged:?}")
                };
                let value: serde_json::Value = serde_json::from_str(&frame.text).unwrap();
                value["conversation_id"].as_i64().unwrap()
            })
            .collect()
    }

    /// One batch writes events for different audiences: each agent receives exactly the ones
    /// addressed to them, in the batch's order, and an event for nobody is not written.
    #[tokio::test]
    async fn a_batch_reaches_each_event_s_own_audience_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("db.sqlite3")).await.unwrap();
        let mut tx = db.write().await.unwrap();
        for id in 1..=3 {
            sqlx::query("INSERT INTO agents (id, email, name, created_at) VALUES (?1, ?2, 'A', 0)")
                .bind(id)
                .bind(format!("{id}@example.com"))
                .execute(&mut *tx)
                .await
                .unwrap();
        }
        let (one_two, nobody) = (BTreeSet::from([AgentId(1), AgentId(2)]), BTreeSet::new());
        let bodies: Vec<EventBody> = (10..=15).map(gone).collect();
        let batch = [
            (Audience::Agents(&one_two), Entry::Event(&bodies[0])),
            (Audience::Agent(AgentId(3)), Entry::Event(&bodies[1])),
            (Audience::Agents(&nobody), Entry::Event(&bodies[2])),
            (Audience::Everyone, Entry::Event(&bodies[3])),
            (Audience::Agent(AgentId(2)), Entry::Event(&bodies[4])),
            (Audience::Agent(AgentId(1)), Entry::Event(&bodies[5])),
        ];
        let last = append_batch(&mut tx, &batch).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(
            last,
            Some(Seq(5)),
            "five events written, the one for nobody not"
        );
        // A later batch is matched to its own events, not to the newest of the log.
        let mut tx = db.write().await.unwrap();
        let later = [gone(16), gone(17)];
        let batch = [
            (Audience::Agent(AgentId(3)), Entry::Event(&later[0])),
            (Audience::Agents(&one_two), Entry::Event(&later[1])),
        ];
        assert_eq!(append_batch(&mut tx, &batch).await.unwrap(), Some(Seq(7)));
        tx.commit().await.unwrap();
        assert_eq!(received(&db, 1).await, [10, 13, 15, 17]);
        assert_eq!(received(&db, 2).await, [10, 13, 14, 17]);
        assert_eq!(received(&db, 3).await, [11, 13, 16]);
        db.close().await;
    }
}
