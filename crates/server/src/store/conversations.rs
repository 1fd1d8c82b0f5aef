//! Conversations, as lists per filter and one at a time, always as seen by one agent: only
//! what the access rule lets them see (`store::access`), with the agent's own unread count.

use super::access::sees;
use super::{channel_from, conversation_status_from, direction_from, direction_text, status_text};
use crate::db::from_ms;
use crate::error::{AppError, AppResult};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sqlx::SqliteConnection;
use switchboard_protocol::api::ConversationEntry;
use switchboard_protocol::{
    AgentId, AssigneeFilter, Closure, Contact, ContactId, Conversation, ConversationId,
    ConversationStatus, Direction, Filter, InboxId, LastMessage, MessageId, TeamFilter, TeamId,
};

/// The shared columns of a conversation, its inbox `i` and contact `ct`: one list for every query.
macro_rules! columns {
    () => {
        "c.id, c.inbox_id, i.channel, c.contact_id, ct.handle, ct.name AS contact_name, ct.opted_out,
         c.status, c.assignee_id, c.last_message_id, c.last_message_direction, c.last_message_author_id,
         c.last_message_preview, c.last_message_at, c.last_activity_at, c.last_inbound_at, c.unanswered,
         c.created_at, c.version, c.team_id, c.snoozed_until, c.close_reason, c.close_summary,
         c.closed_by, c.closed_at"
    };
}

/// The columns every conversation query selects, for agent `?1`.
macro_rules! select_entries {
    ($($rest:literal),*) => {
        concat!(
            "SELECT ", columns!(), ",
                    CASE WHEN c.last_inbound_id > COALESCE(r.last_read_id, 0) THEN (
                        SELECT COUNT(*) FROM items m
                        WHERE m.conversation_id = c.id AND m.kind = 'message' AND m.direction = 'in'
                          AND m.id > COALESCE(r.last_read_id, 0)
                    ) ELSE 0 END AS unread
             FROM conversations c
             JOIN inboxes i ON i.id = c.inbox_id
             JOIN contacts ct ON ct.id = c.contact_id
             LEFT JOIN read_state r ON r.conversation_id = c.id AND r.agent_id = ?1
             WHERE ", sees!(), " ",
            $($rest),*
        )
    };
}

#[derive(sqlx::FromRow)]
struct EntryRow {
    id: i64,
    inbox_id: i64,
    channel: String,
    contact_id: i64,
    handle: String,
    contact_name: Option<String>,
    opted_out: bool,
    status: String,
    assignee_id: Option<i64>,
    last_message_id: Option<i64>,
    last_message_direction: Option<String>,
    last_message_author_id: Option<i64>,
    last_message_preview: Option<String>,
    last_message_at: Option<i64>,
    last_activity_at: i64,
    last_inbound_at: Option<i64>,
    unanswered: i64,
    created_at: i64,
    version: i64,
    team_id: Option<i64>,
    snoozed_until: Option<i64>,
    close_reason: Option<String>,
    close_summary: Option<String>,
    closed_by: Option<i64>,
    closed_at: Option<i64>,
    unread: i64,
}

impl EntryRow {
    fn into_entry(self) -> AppResult<ConversationEntry> {
        let channel = channel_from(&self.channel)?;
        let last_message = match (
            self.last_message_id,
            self.last_message_direction,
            self.last_message_preview,
            self.last_message_at,
        ) {
            (Some(id), Some(direction), Some(preview), Some(at)) => Some(LastMessage {
                id: MessageId(id),
                direction: direction_from(&direction)?,
                author: self.last_message_author_id.map(AgentId),
                preview,
                at: from_ms(at),
            }),
            _ => None,
        };
        let status = conversation_status_from(&self.status)?;
        let closure = match (status, self.closed_at) {
            (ConversationStatus::Closed, Some(at)) => Some(Closure {
                reason: self.close_reason,
                summary: self.close_summary,
                by: self.closed_by.map(AgentId),
                at: from_ms(at),
            }),
            _ => None,
        };
        Ok(ConversationEntry {
            conversation: Conversation {
                id: ConversationId(self.id),
                inbox_id: InboxId(self.inbox_id),
                channel,
                contact: Contact {
                    id: ContactId(self.contact_id),
                    channel,
                    handle: self.handle,
                    name: self.contact_name,
                    opted_out: self.opted_out,
                },
                status,
                assignee: self.assignee_id.map(AgentId),
                last_message,
                last_activity_at: from_ms(self.last_activity_at),
                last_inbound_at: self.last_inbound_at.map(from_ms),
                unanswered: u32::try_from(self.unanswered).unwrap_or(u32::MAX),
                created_at: from_ms(self.created_at),
                version: self.version,
                team_id: self.team_id.map(TeamId),
                snoozed_until: self.snoozed_until.map(from_ms),
                closure,
            },
            unread: u32::try_from(self.unread).unwrap_or(u32::MAX),
        })
    }
}

/// Where a page of a view starts: after the conversation with this activity time and id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cursor {
    activity_ms: i64,
    id: i64,
}

impl Cursor {
    pub const START: Cursor = Cursor {
        activity_ms: i64::MAX,
        id: i64::MAX,
    };

    pub fn encode(self) -> String {
        URL_SAFE_NO_PAD.encode(format!("{}:{}", self.activity_ms, self.id))
    }

    pub fn decode(text: &str) -> Option<Cursor> {
        let bytes = URL_SAFE_NO_PAD.decode(text).ok()?;
        let text = String::from_utf8(bytes).ok()?;
        let (activity, id) = text.split_once(':')?;
        Some(Cursor {
            activity_ms: activity.parse().ok()?,
            id: id.parse().ok()?,
        })
    }
}

/// A value bound into a query built at run time.
enum Bind {
    Int(i64),
    Text(&'static str),
}

/// `WHERE` conditions for a filter; numbered placeholders from `?{first}` on, their values
/// pushed to `binds`. `?1` is always the agent asking.
fn filter_conditions(filter: &Filter, binds: &mut Vec<Bind>) -> String {
    let mut conditions = Vec::new();
    let bind = |value: Bind, binds: &mut Vec<Bind>| {
        binds.push(value);
        format!("?{}", binds.len() + 1)
    };
    if let Some(status) = filter.status {
        conditions.push(format!(
            "c.status = {}",
            bind(Bind::Text(status_text(status)), binds)
        ));
    }
    match filter.assignee {
        None => {}
        Some(AssigneeFilter::Nobody) => conditions.push("c.assignee_id IS NULL".to_owned()),
        Some(AssigneeFilter::Me) => conditions.push("c.assignee_id = ?1".to_owned()),
        Some(AssigneeFilter::Agent(agent)) => {
            conditions.push(format!(
                "c.assignee_id = {}",
                bind(Bind::Int(agent.0), binds)
            ));
        }
    }
    match filter.team {
        None => {}
        Some(TeamFilter::NoTeam) => conditions.push("c.team_id IS NULL".to_owned()),
        Some(TeamFilter::Team(team)) => {
            conditions.push(format!("c.team_id = {}", bind(Bind::Int(team.0), binds)));
        }
    }
    match filter.snoozed {
        None => {}
        Some(true) => conditions.push("c.snoozed_until IS NOT NULL".to_owned()),
        Some(false) => conditions.push("c.snoozed_until IS NULL".to_owned()),
    }
    if let Some(inbox) = filter.inbox {
        conditions.push(format!("c.inbox_id = {}", bind(Bind::Int(inbox.0), binds)));
    }
    if let Some(channel) = filter.channel {
        conditions.push(format!(
            "i.channel = {}",
            bind(Bind::Text(channel.as_str()), binds)
        ));
    }
    conditions
        .into_iter()
        .map(|c| format!(" AND {c}"))
        .collect()
}

/// The query of a page of a list: its SQL (agent `?1`, then the filter's values, then the
/// cursor and the limit) and the filter's values.
fn list_query(filter: &Filter) -> (String, Vec<Bind>) {
    let mut binds = Vec::new();
    let conditions = filter_conditions(filter, &mut binds);
    let n = binds.len() + 1;
    let sql = format!(
        "{}{conditions} AND (c.last_activity_at, c.id) < (?{}, ?{}) ORDER BY c.last_activity_at DESC, c.id DESC LIMIT ?{}",
        select_entries!(),
        n + 1,
        n + 2,
        n + 3
    );
    (sql, binds)
}

fn bind_all<'q, O>(
    mut query: sqlx::query::QueryAs<'q, sqlx::Sqlite, O, sqlx::sqlite::SqliteArguments>,
    binds: Vec<Bind>,
) -> sqlx::query::QueryAs<'q, sqlx::Sqlite, O, sqlx::sqlite::SqliteArguments> {
    for value in binds {
        query = match value {
            Bind::Int(n) => query.bind(n),
            Bind::Text(text) => query.bind(text),
        };
    }
    query
}

/// One page of what `filter` holds for `agent`, newest activity first, and the cursor of the
/// next page.
pub async fn list(
    conn: &mut SqliteConnection,
    agent: AgentId,
    filter: &Filter,
    after: Cursor,
    limit: u32,
) -> AppResult<(Vec<ConversationEntry>, Option<Cursor>)> {
    let (sql, binds) = list_query(filter);
    // Built from fixed fragments and numbered placeholders only; every value is bound.
    let query = sqlx::query_as::<_, EntryRow>(sqlx::AssertSqlSafe(sql)).bind(agent.0);
    let query = bind_all(query, binds);
    let rows: Vec<EntryRow> = query
        .bind(after.activity_ms)
        .bind(after.id)
        .bind(i64::from(limit) + 1)
        .fetch_all(conn)
        .await?;
    let more = rows.len() > limit as usize;
    let entries = rows
        .into_iter()
        .take(limit as usize)
        .map(EntryRow::into_entry)
        .collect::<AppResult<Vec<_>>>()?;
    let next = match (more, entries.last()) {
        (true, Some(last)) => Some(Cursor {
            activity_ms: last.conversation.last_activity_at.timestamp_millis(),
            id: last.conversation.id.0,
        }),
        _ => None,
    };
    Ok((entries, next))
}

/// How SQLite runs [`list`] for this filter (`EXPLAIN QUERY PLAN`, one line per step), to
/// check that each view reads an index instead of every conversation.
pub async fn list_plan(conn: &mut SqliteConnection, filter: &Filter) -> AppResult<Vec<String>> {
    let (sql, binds) = list_query(filter);
    let explain = format!("EXPLAIN QUERY PLAN {sql}");
    let query =
        sqlx::query_as::<_, (i64, i64, i64, String)>(sqlx::AssertSqlSafe(explain)).bind(1_i64);
    let query = bind_all(query, binds);
    let steps = query
        .bind(i64::MAX)
        .bind(i64::MAX)
        .bind(51_i64)
        .fetch_all(conn)
        .await?;
    Ok(steps.into_iter().map(|(_, _, _, step)| step).collect())
}

/// One conversation as `agent` sees it; `None` when it does not exist or is not theirs to see.
pub async fn get(
    conn: &mut SqliteConnection,
    agent: AgentId,
    id: ConversationId,
) -> AppResult<Option<ConversationEntry>> {
    let row: Option<EntryRow> = sqlx::query_as(select_entries!("AND c.id = ?2"))
        .bind(agent.0)
        .bind(id.0)
        .fetch_optional(conn)
        .await?;
    row.map(EntryRow::into_entry).transpose()
}

/// Like [`get`], but a conversation the agent may not see is an error: a 404 that says no more
/// than that it is not there for them.
pub async fn visible(
    conn: &mut SqliteConnection,
    agent: AgentId,
    id: ConversationId,
) -> AppResult<ConversationEntry> {
    get(conn, agent, id)
        .await?
        .ok_or_else(|| AppError::not_found("conversation"))
}

/// A conversation as every agent sees it (unread is per agent and left out).
pub async fn shared(conn: &mut SqliteConnection, id: ConversationId) -> AppResult<Conversation> {
    // Any member's view carries the same shared fields; reading it without a member joins
    // the agent-neutral row.
    let row: Option<EntryRow> = sqlx::query_as(concat!(
        "SELECT ",
        columns!(),
        ", 0 AS unread
         FROM conversations c
         JOIN inboxes i ON i.id = c.inbox_id
         JOIN contacts ct ON ct.id = c.contact_id
         WHERE c.id = ?1"
    ))
    .bind(id.0)
    .fetch_optional(conn)
    .await?;
    let row = row.ok_or_else(|| AppError::internal(format!("conversation {id} vanished")))?;
    Ok(row.into_entry()?.conversation)
}

/// The contact's open conversation in this inbox, if any.
pub async fn open_for_contact(
    conn: &mut SqliteConnection,
    inbox: InboxId,
    contact: ContactId,
) -> AppResult<Option<ConversationId>> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT id FROM conversations WHERE contact_id = ?1 AND inbox_id = ?2 AND status = 'open'
         ORDER BY id DESC LIMIT 1",
    )
    .bind(contact.0)
    .bind(inbox.0)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(id,)| ConversationId(id)))
}

/// A new open conversation, in the queue of the team serving its inbox.
pub async fn insert(
    conn: &mut SqliteConnection,
    inbox: InboxId,
    contact: ContactId,
    at_ms: i64,
) -> AppResult<ConversationId> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO conversations (inbox_id, contact_id, status, last_activity_at, created_at, team_id)
         VALUES (?1, ?2, 'open', ?3, ?3, (SELECT team_id FROM team_inboxes WHERE inbox_id = ?1)) RETURNING id",
    )
    .bind(inbox.0)
    .bind(contact.0)
    .bind(at_ms)
    .fetch_one(conn)
    .await?;
    Ok(ConversationId(id))
}

/// Records a new message as the conversation's latest.
pub(super) async fn touch_with_message(
    conn: &mut SqliteConnection,
    id: ConversationId,
    message: MessageId,
    direction: Direction,
    author: Option<AgentId>,
    text: &str,
    at_ms: i64,
) -> AppResult<()> {
    sqlx::query(
        "UPDATE conversations SET
            last_message_id = ?2, last_message_direction = ?3, last_message_preview = ?4,
            last_message_at = ?5, last_message_author_id = ?6, last_activity_at = MAX(last_activity_at, ?5),
            last_inbound_id = CASE WHEN ?3 = 'in' THEN ?2 ELSE last_inbound_id END,
            last_inbound_at = CASE WHEN ?3 = 'in' THEN ?5 ELSE last_inbound_at END,
            unanswered = CASE WHEN ?3 = 'in' THEN 0 ELSE unanswered + 1 END,
            version = version + 1
         WHERE id = ?1",
    )
    .bind(id.0)
    .bind(message.0)
    .bind(direction_text(direction))
    .bind(LastMessage::preview_of(text))
    .bind(at_ms)
    .bind(author.map(|a| a.0))
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn set_assignee(
    conn: &mut SqliteConnection,
    id: ConversationId,
    assignee: Option<AgentId>,
) -> AppResult<()> {
    sqlx::query("UPDATE conversations SET assignee_id = ?2, version = version + 1 WHERE id = ?1")
        .bind(id.0)
        .bind(assignee.map(|a| a.0))
        .execute(conn)
        .await?;
    Ok(())
}

/// Closes it, recording how it ended. A snooze or an offer ends with it.
pub async fn close(
    conn: &mut SqliteConnection,
    id: ConversationId,
    reason: Option<&str>,
    summary: Option<&str>,
    by: Option<AgentId>,
    at_ms: i64,
) -> AppResult<()> {
    sqlx::query(
        "UPDATE conversations SET status = 'closed', close_reason = ?2, close_summary = ?3,
            closed_by = ?4, closed_at = ?5, snoozed_until = NULL, offered_at = NULL,
            last_activity_at = MAX(last_activity_at, ?5), version = version + 1
         WHERE id = ?1",
    )
    .bind(id.0)
    .bind(reason)
    .bind(summary)
    .bind(by.map(|a| a.0))
    .bind(at_ms)
    .execute(conn)
    .await?;
    Ok(())
}

/// Opens a closed conversation again; how it had ended is forgotten.
pub async fn reopen(conn: &mut SqliteConnection, id: ConversationId, at_ms: i64) -> AppResult<()> {
    sqlx::query(
        "UPDATE conversations SET status = 'open', close_reason = NULL, close_summary = NULL,
            closed_by = NULL, closed_at = NULL, last_activity_at = MAX(last_activity_at, ?2),
            version = version + 1
         WHERE id = ?1",
    )
    .bind(id.0)
    .bind(at_ms)
    .execute(conn)
    .await?;
    Ok(())
}

/// Puts it in a team's queue (`None`: no team's).
pub async fn set_team(
    conn: &mut SqliteConnection,
    id: ConversationId,
    team: Option<TeamId>,
) -> AppResult<()> {
    sqlx::query("UPDATE conversations SET team_id = ?2, version = version + 1 WHERE id = ?1")
        .bind(id.0)
        .bind(team.map(|t| t.0))
        .execute(conn)
        .await?;
    Ok(())
}

/// Snoozes it until `until_ms`, or wakes it (`None`).
pub async fn set_snoozed(
    conn: &mut SqliteConnection,
    id: ConversationId,
    until_ms: Option<i64>,
) -> AppResult<()> {
    sqlx::query("UPDATE conversations SET snoozed_until = ?2, version = version + 1 WHERE id = ?1")
        .bind(id.0)
        .bind(until_ms)
        .execute(conn)
        .await?;
    Ok(())
}

/// Moves it to another inbox (of the same channel), in that inbox's team's queue.
pub async fn set_inbox(
    conn: &mut SqliteConnection,
    id: ConversationId,
    inbox: InboxId,
    team: Option<TeamId>,
) -> AppResult<()> {
    sqlx::query(
        "UPDATE conversations SET inbox_id = ?2, team_id = ?3, version = version + 1 WHERE id = ?1",
    )
    .bind(id.0)
    .bind(inbox.0)
    .bind(team.map(|t| t.0))
    .execute(conn)
    .await?;
    Ok(())
}

/// Records that routing offered it to its assignee at `at_ms` (`None`: not waiting on an
/// offer). Not a change others see: the version stays.
pub async fn set_offered(
    conn: &mut SqliteConnection,
    id: ConversationId,
    at_ms: Option<i64>,
) -> AppResult<()> {
    sqlx::query("UPDATE conversations SET offered_at = ?2 WHERE id = ?1")
        .bind(id.0)
        .bind(at_ms)
        .execute(conn)
        .await?;
    Ok(())
}

/// Whether it waits for its assignee to open a routing offer.
pub async fn offered_at(conn: &mut SqliteConnection, id: ConversationId) -> AppResult<Option<i64>> {
    let row: Option<(Option<i64>,)> =
        sqlx::query_as("SELECT offered_at FROM conversations WHERE id = ?1")
            .bind(id.0)
            .fetch_optional(conn)
            .await?;
    Ok(row.and_then(|(at,)| at))
}

/// Snoozed conversations whose time came by `now_ms`.
pub async fn snoozes_due(
    conn: &mut SqliteConnection,
    now_ms: i64,
) -> AppResult<Vec<ConversationId>> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT id FROM conversations WHERE snoozed_until IS NOT NULL AND snoozed_until <= ?1 ORDER BY snoozed_until LIMIT 500",
    )
    .bind(now_ms)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|(id,)| ConversationId(id)).collect())
}

/// Routing offers made before `before_ms` and not opened, with the team whose timeout they
/// ran against.
pub async fn offers_made_before(
    conn: &mut SqliteConnection,
    now_ms: i64,
) -> AppResult<Vec<ConversationId>> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT c.id FROM conversations c JOIN teams t ON t.id = c.team_id
         WHERE c.offered_at IS NOT NULL AND c.offered_at + t.offer_timeout_secs * 1000 <= ?1
         ORDER BY c.offered_at LIMIT 500",
    )
    .bind(now_ms)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|(id,)| ConversationId(id)).collect())
}

/// Whether its routing offer is still waiting to be opened past its team's time at `now_ms`.
pub async fn offer_expired(
    conn: &mut SqliteConnection,
    id: ConversationId,
    now_ms: i64,
) -> AppResult<bool> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT 1 FROM conversations c JOIN teams t ON t.id = c.team_id
         WHERE c.id = ?1 AND c.offered_at IS NOT NULL AND c.assignee_id IS NOT NULL
           AND c.offered_at + t.offer_timeout_secs * 1000 <= ?2",
    )
    .bind(id.0)
    .bind(now_ms)
    .fetch_optional(conn)
    .await?;
    Ok(row.is_some())
}

/// Waiting in a team's queue, oldest first: what routing hands out when someone is free.
pub async fn waiting_in(
    conn: &mut SqliteConnection,
    team: TeamId,
) -> AppResult<Vec<ConversationId>> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT id FROM conversations
         WHERE team_id = ?1 AND status = 'open' AND assignee_id IS NULL AND snoozed_until IS NULL
         ORDER BY last_activity_at LIMIT 100",
    )
    .bind(team.0)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|(id,)| ConversationId(id)).collect())
}

/// The contact's latest conversation in this inbox, open or closed: where they write back.
pub async fn latest_for_contact(
    conn: &mut SqliteConnection,
    inbox: InboxId,
    contact: ContactId,
) -> AppResult<Option<ConversationId>> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT id FROM conversations WHERE contact_id = ?1 AND inbox_id = ?2
         ORDER BY (status = 'open') DESC, last_activity_at DESC, id DESC LIMIT 1",
    )
    .bind(contact.0)
    .bind(inbox.0)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(id,)| ConversationId(id)))
}

/// The id of the customer's newest message in the conversation (0: none yet).
pub async fn last_inbound_id(conn: &mut SqliteConnection, id: ConversationId) -> AppResult<i64> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT last_inbound_id FROM conversations WHERE id = ?1")
            .bind(id.0)
            .fetch_optional(conn)
            .await?;
    Ok(row.map_or(0, |(id,)| id))
}

/// Whether the conversation is this contact's.
pub async fn is_contacts(
    conn: &mut SqliteConnection,
    id: ConversationId,
    contact: ContactId,
) -> AppResult<bool> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT 1 FROM conversations WHERE id = ?1 AND contact_id = ?2")
            .bind(id.0)
            .bind(contact.0)
            .fetch_optional(conn)
            .await?;
    Ok(row.is_some())
}

/// An email conversation's subject.
pub async fn subject(conn: &mut SqliteConnection, id: ConversationId) -> AppResult<Option<String>> {
    let (subject,): (Option<String>,) =
        sqlx::query_as("SELECT subject FROM conversations WHERE id = ?1")
            .bind(id.0)
            .fetch_one(conn)
            .await?;
    Ok(subject)
}

pub async fn set_subject(
    conn: &mut SqliteConnection,
    id: ConversationId,
    subject: &str,
) -> AppResult<()> {
    sqlx::query("UPDATE conversations SET subject = ?2 WHERE id = ?1 AND subject IS NULL")
        .bind(id.0)
        .bind(subject.to_owned())
        .execute(conn)
        .await?;
    Ok(())
}

/// Whether the conversation is open (a reply to a closed one starts a new conversation).
/// Whether the conversation is open and is this contact's.
pub async fn is_open_with(
    conn: &mut SqliteConnection,
    id: ConversationId,
    contact: ContactId,
) -> AppResult<bool> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT 1 FROM conversations WHERE id = ?1 AND contact_id = ?2 AND status = 'open'",
    )
    .bind(id.0)
    .bind(contact.0)
    .fetch_optional(conn)
    .await?;
    Ok(row.is_some())
}

#[cfg(test)]
mod tests {
    use super::Cursor;

    #[test]
    fn cursors_round_trip_and_garbage_is_refused() {
        let cursor = Cursor {
            activity_ms: 1_763_715_600_000,
            id: 8,
        };
        assert_eq!(Cursor::decode(&cursor.encode()), Some(cursor));
        assert_eq!(Cursor::decode("not a cursor"), None);
        assert_eq!(Cursor::decode(""), None);
    }
}
