//! Counts in the feed are made when the log is read, not when a change is written. A change
//! that moves counts appends one `counts.moved` row for everyone it concerns, naming the
//! conversations whose unread counts it may have changed; whoever reads the log (the hub, a
//! socket replaying) makes each agent's `unread.counts` event from the kept counts, in the
//! snapshot it reads the rows in. Counts are state, not steps: the newest is the whole truth,
//! so an agent whose counts moved several times in one read gets one event, at the last of
//! those rows. The writer's turn no longer reads and writes an event for every agent a
//! change concerns (25 of them for a message in a busy inbox); the reads run beside it.

use crate::error::{AppError, AppResult};
use crate::store::events::{EventFrame, Logged};
use crate::store::{counts, events, read_state};
use chrono::DateTime;
use sqlx::SqliteConnection;
use std::collections::{BTreeMap, BTreeSet};
use switchboard_protocol::{
    AgentId, ConversationId, ConversationUnread, EventBody, FeedEvent, Seq, ServerFrame,
};

/// What one agent is told for the counts rows of a read.
struct Pending {
    /// The last of their rows: where their event goes.
    seq: Seq,
    at: i64,
    conversations: BTreeSet<ConversationId>,
}

/// Each agent's counts frame for the `counts.moved` rows among `rows` (each with the agents
/// it is for), for the agents `wanted` keeps: at the seq of the agent's last such row, with
/// their counts now and their unread count of every conversation those rows named that they
/// still see. Two statements for all of them.
pub async fn frames<'a>(
    conn: &mut SqliteConnection,
    rows: impl IntoIterator<Item = (&'a Logged, &'a [AgentId])>,
    wanted: impl Fn(AgentId) -> bool,
) -> AppResult<BTreeMap<AgentId, EventFrame>> {
    let mut pending: BTreeMap<AgentId, Pending> = BTreeMap::new();
    for (logged, audience) in rows {
        let Logged::CountsMoved {
            seq,
            at,
            conversations,
        } = logged
        else {
            continue;
        };
        for agent in audience.iter().copied().filter(|agent| wanted(*agent)) {
            let told = pending.entry(agent).or_insert_with(|| Pending {
                seq: *seq,
                at: *at,
                conversations: BTreeSet::new(),
            });
            (told.seq, told.at) = (*seq, *at);
            told.conversations.extend(conversations.iter().copied());
        }
    }
    if pending.is_empty() {
        return Ok(BTreeMap::new());
    }
    let agents: Vec<AgentId> = pending.keys().copied().collect();
    let named: Vec<ConversationId> = pending
        .values()
        .flat_map(|told| told.conversations.iter().copied())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut unread: BTreeMap<AgentId, Vec<ConversationUnread>> = BTreeMap::new();
    for (agent, conversation_id, count) in
        read_state::unread_where_seen(conn, &agents, &named).await?
    {
        if pending[&agent].conversations.contains(&conversation_id) {
            unread.entry(agent).or_default().push(ConversationUnread {
                conversation_id,
                unread: count,
            });
        }
    }
    let mut counts = counts::for_agents(conn, &agents).await?;
    pending
        .into_iter()
        .map(|(agent, told)| {
            let event = FeedEvent {
                seq: told.seq,
                at: DateTime::from_timestamp_millis(told.at).unwrap_or_default(),
                body: EventBody::UnreadCounts {
                    counts: counts.remove(&agent).unwrap_or_default(),
                    conversations: unread.remove(&agent).unwrap_or_default(),
                },
            };
            let text = serde_json::to_string(&ServerFrame::Event(event))
                .map_err(|e| AppError::internal(format!("a counts event: {e}")))?;
            let frame = EventFrame {
                seq: told.seq,
                text,
            };
            Ok((agent, frame))
        })
        .collect()
}

/// A page of what an agent receives, as a socket replays it.
pub struct Page {
    pub frames: Vec<EventFrame>,
    /// Rows of the log read: a page of fewer than asked reached the head.
    pub rows: usize,
    /// The seq of the last row read, `None` when there was none.
    pub read_to: Option<Seq>,
}

/// Up to `limit` rows after `since` that `agent` may receive, as frames: events as they are
/// stored, the counts made once for the page.
pub async fn visible_after(
    conn: &mut SqliteConnection,
    agent: AgentId,
    since: Seq,
    limit: u32,
) -> AppResult<Page> {
    let rows = events::visible_after(conn, agent, since, limit).await?;
    let me = [agent];
    let mut counts = frames(conn, rows.iter().map(|row| (row, &me[..])), |_| true).await?;
    let (read_to, read) = (rows.last().map(Logged::seq), rows.len());
    let mut frames = Vec::with_capacity(read);
    for row in rows {
        match row {
            Logged::Event(frame) => frames.push(frame),
            Logged::CountsMoved { seq, .. } => {
                if counts.get(&agent).is_some_and(|frame| frame.seq == seq) {
                    frames.extend(counts.remove(&agent));
                }
            }
        }
    }
    Ok(Page {
        frames,
        rows: read,
        read_to,
    })
}
