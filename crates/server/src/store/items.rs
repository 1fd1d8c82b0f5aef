//! A conversation's thread: messages and conversation events, in one id sequence.

use super::{direction_from, direction_text, message_status_from};
use crate::db::from_ms;
use crate::error::{AppError, AppResult};
use sqlx::SqliteConnection;
use switchboard_protocol::templates::TemplateUse;
use switchboard_protocol::{
    AgentId, Channel, ClientId, ConversationEvent, ConversationEventKind, ConversationId,
    Direction, EventDetails, Failure, InboxId, Message, MessageId, MessageStatus, ThreadItem,
};

const COLUMNS: &str = "id, conversation_id, kind, direction, author_id, text, client_id, status,
    failure_code, failure_reason, human_agent, note, template, attempt, event_kind, event_agent_id,
    event_details, attachments, created_at";

#[derive(sqlx::FromRow)]
struct ItemRow {
    id: i64,
    conversation_id: i64,
    kind: String,
    direction: Option<String>,
    author_id: Option<i64>,
    text: Option<String>,
    client_id: Option<String>,
    status: Option<String>,
    failure_code: Option<String>,
    failure_reason: Option<String>,
    human_agent: bool,
    note: bool,
    template: Option<String>,
    attempt: i64,
    event_kind: Option<String>,
    event_agent_id: Option<i64>,
    event_details: Option<String>,
    attachments: Option<String>,
    created_at: i64,
}

fn event_kind_text(kind: ConversationEventKind) -> &'static str {
    match kind {
        ConversationEventKind::Created => "created",
        ConversationEventKind::Assigned => "assigned",
        ConversationEventKind::Unassigned => "unassigned",
        ConversationEventKind::Closed => "closed",
        ConversationEventKind::Reopened => "reopened",
        ConversationEventKind::OptedOut => "opted_out",
        ConversationEventKind::OptedIn => "opted_in",
        ConversationEventKind::Transferred => "transferred",
        ConversationEventKind::Snoozed => "snoozed",
        ConversationEventKind::Woke => "woke",
        ConversationEventKind::Moved => "moved",
        ConversationEventKind::Offered => "offered",
        ConversationEventKind::Returned => "returned",
    }
}

fn event_kind_from(text: &str) -> AppResult<ConversationEventKind> {
    Ok(match text {
        "created" => ConversationEventKind::Created,
        "assigned" => ConversationEventKind::Assigned,
        "unassigned" => ConversationEventKind::Unassigned,
        "closed" => ConversationEventKind::Closed,
        "reopened" => ConversationEventKind::Reopened,
        "opted_out" => ConversationEventKind::OptedOut,
        "opted_in" => ConversationEventKind::OptedIn,
        "transferred" => ConversationEventKind::Transferred,
        "snoozed" => ConversationEventKind::Snoozed,
        "woke" => ConversationEventKind::Woke,
        "moved" => ConversationEventKind::Moved,
        "offered" => ConversationEventKind::Offered,
        "returned" => ConversationEventKind::Returned,
        other => {
            return Err(AppError::internal(format!(
                "stored event kind `{other}` is not valid"
            )));
        }
    })
}

impl ItemRow {
    fn into_item(self) -> AppResult<ThreadItem> {
        let id = MessageId(self.id);
        let conversation_id = ConversationId(self.conversation_id);
        let created_at = from_ms(self.created_at);
        if self.kind == "event" {
            return Ok(ThreadItem::Event(ConversationEvent {
                id,
                conversation_id,
                kind: event_kind_from(self.event_kind.as_deref().unwrap_or_default())?,
                actor: self.author_id.map(AgentId),
                agent: self.event_agent_id.map(AgentId),
                details: self
                    .event_details
                    .as_deref()
                    .map(serde_json::from_str)
                    .transpose()
                    .map_err(|e| AppError::internal(format!("stored event details: {e}")))?
                    .unwrap_or_default(),
                created_at,
            }));
        }
        let failure = match (self.failure_code, self.failure_reason) {
            (Some(code), Some(reason)) => Some(Failure { code, reason }),
            _ => None,
        };
        Ok(ThreadItem::Message(Message {
            id,
            conversation_id,
            direction: direction_from(self.direction.as_deref().unwrap_or_default())?,
            author: self.author_id.map(AgentId),
            text: self.text.unwrap_or_default(),
            client_id: self.client_id.and_then(|c| c.parse::<ClientId>().ok()),
            status: self
                .status
                .as_deref()
                .map(message_status_from)
                .transpose()?,
            failure,
            human_agent: self.human_agent,
            note: self.note,
            attachments: self
                .attachments
                .as_deref()
                .map(serde_json::from_str)
                .transpose()
                .map_err(|e| AppError::internal(format!("stored attachments: {e}")))?
                .unwrap_or_default(),
            template: self.template,
            attempt: u32::try_from(self.attempt).unwrap_or(0),
            created_at,
        }))
    }

    fn into_message(self) -> AppResult<Message> {
        match self.into_item()? {
            ThreadItem::Message(message) => Ok(message),
            ThreadItem::Event(event) => Err(AppError::internal(format!(
                "item {} is an event, not a message",
                event.id
            ))),
        }
    }
}

pub struct NewMessage<'a> {
    pub conversation: ConversationId,
    pub direction: Direction,
    pub author: Option<AgentId>,
    pub text: &'a str,
    pub client_id: Option<ClientId>,
    /// `Some(Sending)` for outbound messages, `None` for the customer's.
    pub status: Option<MessageStatus>,
    /// Tagged as a human agent's reply (outside a Messenger/Instagram window).
    pub human_agent: bool,
    /// Sent as this template.
    pub template: Option<&'a TemplateUse>,
    /// A private note: kept in the thread, never sent, and not the conversation's last message.
    pub note: bool,
    /// The provider's id for a customer's message (retried webhooks carry it again).
    pub provider_message_id: Option<&'a str>,
    pub at_ms: i64,
}

pub async fn insert_message(
    conn: &mut SqliteConnection,
    new: NewMessage<'_>,
) -> AppResult<Message> {
    let row: ItemRow = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "INSERT INTO items (conversation_id, kind, direction, author_id, text, client_id, status, human_agent,
                            template, template_language, template_params, provider_message_id, note, created_at, status_at)
         VALUES (?1, 'message', ?2, ?3, ?4, ?5, ?6, ?8, ?9, ?10, ?11, ?12, ?13, ?7, ?7) RETURNING {COLUMNS}"
    )))
    .bind(new.conversation.0)
    .bind(direction_text(new.direction))
    .bind(new.author.map(|a| a.0))
    .bind(new.text.to_owned())
    .bind(new.client_id.map(|c| c.to_string()))
    .bind(new.status.map(MessageStatus::as_str))
    .bind(new.at_ms)
    .bind(new.human_agent)
    .bind(new.template.map(|t| t.name.clone()))
    .bind(new.template.map(|t| t.language.clone()))
    .bind(new.template.map(|t| serde_json::to_string(&t.params).unwrap_or_default()))
    .bind(new.provider_message_id.map(str::to_owned))
    .bind(new.note)
    .fetch_one(&mut *conn)
    .await?;
    let message = row.into_message()?;
    if new.note {
        // The list shows the conversation with the customer; a note changes nothing there.
        return Ok(message);
    }
    super::conversations::touch_with_message(
        conn,
        new.conversation,
        message.id,
        new.direction,
        new.author,
        new.text,
        new.at_ms,
    )
    .await?;
    Ok(message)
}

/// An event of a conversation's timeline: what happened, who did it, to whom and why.
pub struct NewEvent {
    pub kind: ConversationEventKind,
    pub actor: Option<AgentId>,
    pub agent: Option<AgentId>,
    pub details: EventDetails,
}

impl NewEvent {
    /// An event with no one it concerns and nothing more to say.
    pub fn of(kind: ConversationEventKind, actor: Option<AgentId>) -> NewEvent {
        NewEvent {
            kind,
            actor,
            agent: None,
            details: EventDetails::default(),
        }
    }
}

pub async fn insert_event(
    conn: &mut SqliteConnection,
    conversation: ConversationId,
    event: NewEvent,
    at_ms: i64,
) -> AppResult<ConversationEvent> {
    let details = (!event.details.is_empty())
        .then(|| serde_json::to_string(&event.details))
        .transpose()
        .map_err(|e| AppError::internal(format!("event details to JSON: {e}")))?;
    let row: ItemRow = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "INSERT INTO items (conversation_id, kind, author_id, event_kind, event_agent_id, event_details, created_at)
         VALUES (?1, 'event', ?2, ?3, ?4, ?5, ?6) RETURNING {COLUMNS}"
    )))
    .bind(conversation.0)
    .bind(event.actor.map(|a| a.0))
    .bind(event_kind_text(event.kind))
    .bind(event.agent.map(|a| a.0))
    .bind(details)
    .bind(at_ms)
    .fetch_one(conn)
    .await?;
    match row.into_item()? {
        ThreadItem::Event(event) => Ok(event),
        ThreadItem::Message(_) => Err(AppError::internal("inserted event reads back as a message")),
    }
}

pub async fn by_client_id(
    conn: &mut SqliteConnection,
    client_id: ClientId,
) -> AppResult<Option<Message>> {
    let row: Option<ItemRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM items WHERE client_id = ?1"
    )))
    .bind(client_id.to_string())
    .fetch_optional(conn)
    .await?;
    row.map(ItemRow::into_message).transpose()
}

pub async fn message(conn: &mut SqliteConnection, id: MessageId) -> AppResult<Option<Message>> {
    let row: Option<ItemRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM items WHERE id = ?1 AND kind = 'message'"
    )))
    .bind(id.0)
    .fetch_optional(conn)
    .await?;
    row.map(ItemRow::into_message).transpose()
}

/// The message a provider knows by this id, in `inbox` when given (ids are the provider's, so
/// two inboxes can meet the same one).
pub async fn by_provider_id(
    conn: &mut SqliteConnection,
    inbox: Option<InboxId>,
    provider_id: &str,
) -> AppResult<Option<Message>> {
    let row: Option<ItemRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM items
         WHERE provider_message_id = ?1
           AND (?2 IS NULL OR conversation_id IN (SELECT id FROM conversations WHERE inbox_id = ?2))
         LIMIT 1"
    )))
    .bind(provider_id.to_owned())
    .bind(inbox.map(|i| i.0))
    .fetch_optional(conn)
    .await?;
    row.map(ItemRow::into_message).transpose()
}

/// Up to `limit` thread items before `before` (the newest when `None`), oldest first, and the
/// `before` of the previous page when there is one.
pub async fn page(
    conn: &mut SqliteConnection,
    conversation: ConversationId,
    before: Option<MessageId>,
    limit: u32,
) -> AppResult<(Vec<ThreadItem>, Option<MessageId>)> {
    let rows: Vec<ItemRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM items WHERE conversation_id = ?1 AND id < ?2 ORDER BY id DESC LIMIT ?3"
    )))
    .bind(conversation.0)
    .bind(before.map_or(i64::MAX, |b| b.0))
    .bind(i64::from(limit) + 1)
    .fetch_all(conn)
    .await?;
    let more = rows.len() > limit as usize;
    let mut items = rows
        .into_iter()
        .take(limit as usize)
        .map(ItemRow::into_item)
        .collect::<AppResult<Vec<_>>>()?;
    items.reverse();
    let previous = if more {
        items.first().map(ThreadItem::id)
    } else {
        None
    };
    Ok((items, previous))
}

/// The newest item of a conversation.
pub async fn latest_id(
    conn: &mut SqliteConnection,
    conversation: ConversationId,
) -> AppResult<Option<MessageId>> {
    let (id,): (Option<i64>,) =
        sqlx::query_as("SELECT MAX(id) FROM items WHERE conversation_id = ?1")
            .bind(conversation.0)
            .fetch_one(conn)
            .await?;
    Ok(id.map(MessageId))
}

pub async fn set_provider_id(
    conn: &mut SqliteConnection,
    id: MessageId,
    provider_id: &str,
) -> AppResult<()> {
    sqlx::query("UPDATE items SET provider_message_id = ?2 WHERE id = ?1")
        .bind(id.0)
        .bind(provider_id.to_owned())
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_status(
    conn: &mut SqliteConnection,
    id: MessageId,
    status: MessageStatus,
    failure: Option<&Failure>,
    at_ms: i64,
) -> AppResult<()> {
    sqlx::query(
        "UPDATE items SET status = ?2, failure_code = ?3, failure_reason = ?4, status_at = ?5 WHERE id = ?1",
    )
    .bind(id.0)
    .bind(status.as_str())
    .bind(failure.map(|f| f.code.clone()))
    .bind(failure.map(|f| f.reason.clone()))
    .bind(at_ms)
    .execute(conn)
    .await?;
    Ok(())
}

/// The template a message was sent as, with its values.
pub async fn template_use(
    conn: &mut SqliteConnection,
    id: MessageId,
) -> AppResult<Option<TemplateUse>> {
    let row: Option<(Option<String>, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT template, template_language, template_params FROM items WHERE id = ?1",
    )
    .bind(id.0)
    .fetch_optional(conn)
    .await?;
    Ok(match row {
        Some((Some(name), Some(language), params)) => Some(TemplateUse {
            name,
            language,
            params: params
                .and_then(|p| serde_json::from_str(&p).ok())
                .unwrap_or_default(),
        }),
        _ => None,
    })
}

/// The provider ids of a conversation's messages before `before`, oldest first: what an email
/// reply refers to.
pub async fn provider_ids(
    conn: &mut SqliteConnection,
    conversation: ConversationId,
    before: MessageId,
) -> AppResult<Vec<String>> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT provider_message_id FROM items
         WHERE conversation_id = ?1 AND id < ?2 AND provider_message_id IS NOT NULL ORDER BY id",
    )
    .bind(conversation.0)
    .bind(before.0)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// The conversation the first of these provider message ids that we know belongs to, in this
/// inbox (at most the first 20 are looked at).
pub async fn conversation_of_any(
    conn: &mut SqliteConnection,
    inbox: InboxId,
    provider_ids: &[String],
) -> AppResult<Option<ConversationId>> {
    for id in provider_ids.iter().take(20) {
        if let Some(message) = by_provider_id(conn, Some(inbox), id).await? {
            return Ok(Some(message.conversation_id));
        }
    }
    Ok(None)
}

/// Begins handing a message's current attempt to its provider: `false` when it is not
/// waiting for that (handed over already, or no longer `sending`).
pub async fn claim_handover(
    conn: &mut SqliteConnection,
    id: MessageId,
    at_ms: i64,
) -> AppResult<bool> {
    let done = sqlx::query(
        "UPDATE items SET handover_at = ?2
         WHERE id = ?1 AND status = 'sending' AND provider_message_id IS NULL AND handover_at IS NULL",
    )
    .bind(id.0)
    .bind(at_ms)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Starts another attempt at a failed message: `sending` again, without the last attempt's
/// failure and provider id (its late reports then match nothing). The new attempt's number.
pub async fn start_attempt(
    conn: &mut SqliteConnection,
    id: MessageId,
    at_ms: i64,
) -> AppResult<u32> {
    let (attempt,): (i64,) = sqlx::query_as(
        "UPDATE items SET status = 'sending', failure_code = NULL, failure_reason = NULL,
             provider_message_id = NULL, handover_at = NULL, attempt = attempt + 1, status_at = ?2
         WHERE id = ?1 AND status = 'failed' RETURNING attempt",
    )
    .bind(id.0)
    .bind(at_ms)
    .fetch_one(conn)
    .await?;
    Ok(u32::try_from(attempt).unwrap_or(u32::MAX))
}

/// An outbound message whose delivery may not have finished, for resuming work after a restart.
pub struct InFlight {
    pub id: MessageId,
    pub conversation_id: ConversationId,
    /// The hand-over to the provider had begun.
    pub handed_over: bool,
    pub channel: Channel,
    pub status: MessageStatus,
    pub provider_message_id: Option<String>,
    pub since_ms: i64,
}

/// Outbound messages that may not be finished: every one still `sending`, and those `sent` or
/// `delivered` whose last change is newer than `since_ms`. Whether the channel will still
/// report on them is for the caller to judge.
pub async fn in_flight(conn: &mut SqliteConnection, since_ms: i64) -> AppResult<Vec<InFlight>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: i64,
        conversation_id: i64,
        handed_over: bool,
        channel: String,
        status: String,
        provider_message_id: Option<String>,
        since_ms: i64,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT i.id, i.conversation_id, i.handover_at IS NOT NULL AS handed_over, b.channel,
                i.status, i.provider_message_id, COALESCE(i.status_at, i.created_at) AS since_ms
         FROM items i JOIN conversations c ON c.id = i.conversation_id JOIN inboxes b ON b.id = c.inbox_id
         WHERE i.status = 'sending'
            OR (i.status IN ('sent', 'delivered') AND COALESCE(i.status_at, i.created_at) >= ?1)
         ORDER BY i.id",
    )
    .bind(since_ms)
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|row| {
            Ok(InFlight {
                id: MessageId(row.id),
                conversation_id: ConversationId(row.conversation_id),
                handed_over: row.handed_over,
                channel: super::channel_from(&row.channel)?,
                status: message_status_from(&row.status)?,
                provider_message_id: row.provider_message_id,
                since_ms: row.since_ms,
            })
        })
        .collect()
}

/// Our messages to this customer in this inbox, up to `until_ms`, still waiting to be read.
pub async fn outbound_before(
    conn: &mut SqliteConnection,
    inbox: InboxId,
    customer: &str,
    until_ms: i64,
) -> AppResult<Vec<MessageId>> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT i.id FROM items i
         JOIN conversations c ON c.id = i.conversation_id
         JOIN contacts ct ON ct.id = c.contact_id
         WHERE c.inbox_id = ?1 AND ct.handle = ?2 AND i.direction = 'out'
           AND i.status IN ('sent', 'delivered') AND i.created_at <= ?3
         ORDER BY i.id",
    )
    .bind(inbox.0)
    .bind(customer.to_owned())
    .bind(until_ms)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|(id,)| MessageId(id)).collect())
}
