//! All SQL lives here, one module per table (or close family of tables), so the rest of the
//! server speaks in protocol types and another engine (PostgreSQL) means another `store`,
//! not another server. Functions take a plain connection: a pooled one for reads, a
//! [`crate::db::WriteTx`] for writes.

pub mod access;
pub mod agents;
pub mod attachments;
pub mod contacts;
pub mod conversations;
pub mod counts;
pub mod early_reports;
pub mod events;
pub mod inboxes;
pub mod items;
pub mod quick_replies;
pub mod read_state;
pub mod search;
pub mod sessions;
pub mod teams;
pub mod templates;
pub mod wrap_up;

use crate::error::{AppError, AppResult};
use switchboard_protocol::{AgentId, Channel, ConversationStatus, Direction, MessageStatus};

/// A value stored as text that no longer parses: the database is not what this code wrote.
fn corrupt(what: &str, value: &str) -> AppError {
    AppError::internal(format!("stored {what} `{value}` is not valid"))
}

pub(crate) fn channel_from(value: &str) -> Result<Channel, AppError> {
    value.parse().map_err(|_| corrupt("channel", value))
}

pub(crate) fn status_text(status: ConversationStatus) -> &'static str {
    match status {
        ConversationStatus::Open => "open",
        ConversationStatus::Closed => "closed",
    }
}

pub(crate) fn conversation_status_from(value: &str) -> Result<ConversationStatus, AppError> {
    match value {
        "open" => Ok(ConversationStatus::Open),
        "closed" => Ok(ConversationStatus::Closed),
        other => Err(corrupt("conversation status", other)),
    }
}

pub(crate) fn direction_text(direction: Direction) -> &'static str {
    match direction {
        Direction::In => "in",
        Direction::Out => "out",
    }
}

pub(crate) fn direction_from(value: &str) -> Result<Direction, AppError> {
    match value {
        "in" => Ok(Direction::In),
        "out" => Ok(Direction::Out),
        other => Err(corrupt("direction", other)),
    }
}

pub(crate) fn message_status_from(value: &str) -> Result<MessageStatus, AppError> {
    MessageStatus::parse(value).ok_or_else(|| corrupt("message status", value))
}

/// Ids as a JSON array, for a statement that takes a batch through `json_each`.
pub(crate) fn ids_json(ids: impl IntoIterator<Item = i64>) -> String {
    let ids: Vec<String> = ids.into_iter().map(|id| id.to_string()).collect();
    format!("[{}]", ids.join(","))
}

/// Agents' ids read as one JSON array (`json_group_array`): a statement that would return a
/// row for each agent returns one, since each row crosses from the connection's thread alone.
pub(crate) fn agent_ids(json: &str) -> AppResult<std::collections::BTreeSet<AgentId>> {
    let ids: Vec<i64> = serde_json::from_str(json)
        .map_err(|e| AppError::internal(format!("agent ids {json:?}: {e}")))?;
    Ok(ids.into_iter().map(AgentId).collect())
}
