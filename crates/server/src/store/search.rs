//! Search over the FTS5 indexes of migration `0014_search.sql`: messages and notes by their
//! words, contacts by any part of their name, handle or phone digits. Every query keeps to what
//! the agent may see ([`sees!`]); closed conversations are included.
//!
//! A query is read by `switchboard_protocol::search::Query`; this module only turns its words
//! into FTS5's syntax, each word quoted, so what an agent types is never read as an operator.

use super::access::sees;
use super::{channel_from, conversation_status_from, direction_from};
use crate::error::AppResult;
use sqlx::SqliteConnection;
use switchboard_protocol::search::{ConversationRef, MessageHit, Page, Piece, Query};
use switchboard_protocol::{AgentId, Contact, ContactId, ConversationId, MessageId};

/// Conversations are found through their newest matching messages, at most this many: enough
/// for any page an agent reads, and a bound on a word that is in every message.
const CONVERSATIONS_FROM_MESSAGES: i64 = 2_000;
/// Where a snippet's matching words start and end (control characters no text shows).
const HIT_START: char = '\u{1}';
const HIT_END: char = '\u{2}';
/// Words of a message's text around its first match.
const SNIPPET_WORDS: i64 = 16;

/// The words as an FTS5 query of the word index: all of them, the last as a prefix while it is
/// being typed ("camio" finds "camión").
fn words_match(query: &Query) -> String {
    let last = query.words.len() - 1;
    query
        .words
        .iter()
        .enumerate()
        .map(|(n, word)| {
            let prefix = if n == last && query.typing { "*" } else { "" };
            format!("\"{word}\"{prefix}")
        })
        .collect::<Vec<_>>()
        .join(" AND ")
}

/// The query as an FTS5 query of the contacts' trigrams: a phone number by its digits, other
/// text by every word of 3 or more characters in the name or handle. `None` when nothing is
/// long enough.
fn contacts_match(query: &Query) -> Option<String> {
    if let Some(digits) = &query.phone_digits {
        return Some(format!("digits : \"{digits}\""));
    }
    let words: Vec<String> = query
        .words
        .iter()
        .filter(|word| word.chars().count() >= 3)
        .map(|word| format!("\"{word}\""))
        .collect();
    (!words.is_empty()).then(|| format!("{{name handle}} : ({})", words.join(" AND ")))
}

/// The columns of a [`ConversationRef`] from `c` (conversation) and `ct` (its contact).
macro_rules! conversation_columns {
    () => {
        "c.id AS conversation_id, c.status AS status, c.last_activity_at AS last_activity_at,
         ct.id AS contact_id, ct.channel AS channel, ct.handle AS handle, ct.name AS name,
         ct.opted_out AS opted_out"
    };
}

#[derive(sqlx::FromRow)]
struct ConversationRow {
    conversation_id: i64,
    status: String,
    last_activity_at: i64,
    contact_id: i64,
    channel: String,
    handle: String,
    name: Option<String>,
    opted_out: bool,
}

#[derive(sqlx::FromRow)]
struct MessageRow {
    id: i64,
    direction: Option<String>,
    note: bool,
    created_at: i64,
    snippet: String,
    #[sqlx(flatten)]
    conversation: ConversationRow,
}

fn conversation_ref(row: ConversationRow) -> AppResult<ConversationRef> {
    Ok(ConversationRef {
        id: ConversationId(row.conversation_id),
        contact: Contact {
            id: ContactId(row.contact_id),
            channel: channel_from(&row.channel)?,
            handle: row.handle,
            name: row.name,
            opted_out: row.opted_out,
        },
        status: conversation_status_from(&row.status)?,
        last_activity_at: row.last_activity_at,
    })
}

/// A page of conversations from rows fetched with `limit + 1`.
fn conversation_page(rows: Vec<ConversationRow>, limit: u32) -> AppResult<Page<ConversationRef>> {
    let items = rows
        .into_iter()
        .map(conversation_ref)
        .collect::<AppResult<_>>()?;
    Ok(page(items, limit))
}

/// A page of `limit` from rows fetched with `limit + 1`.
fn page<T>(mut items: Vec<T>, limit: u32) -> Page<T> {
    let more = items.len() > limit as usize;
    items.truncate(limit as usize);
    Page { items, more }
}

/// Contacts that match, each with their newest conversation the agent may see (contacts the
/// agent sees no conversation of are not found), by name.
pub async fn contacts(
    conn: &mut SqliteConnection,
    agent: AgentId,
    query: &Query,
    offset: u32,
    limit: u32,
) -> AppResult<Page<ConversationRef>> {
    let Some(pattern) = contacts_match(query) else {
        return Ok(Page::default());
    };
    let rows: Vec<ConversationRow> = sqlx::query_as(concat!(
        "SELECT ",
        conversation_columns!(),
        " FROM (SELECT contacts_search.rowid AS contact_id,
                      (SELECT c.id FROM conversations c WHERE c.contact_id = contacts_search.rowid
                         AND ",
        sees!(),
        " ORDER BY c.last_activity_at DESC, c.id DESC LIMIT 1) AS newest
               FROM contacts_search WHERE contacts_search MATCH ?2) found
         JOIN conversations c ON c.id = found.newest
         JOIN contacts ct ON ct.id = found.contact_id
         ORDER BY ct.name IS NULL, ct.name COLLATE NOCASE, ct.handle, ct.id
         LIMIT ?3 OFFSET ?4"
    ))
    .bind(agent.0)
    .bind(pattern)
    .bind(i64::from(limit) + 1)
    .bind(i64::from(offset))
    .fetch_all(conn)
    .await?;
    conversation_page(rows, limit)
}

/// Conversations whose messages hold the words, newest activity first.
pub async fn conversations(
    conn: &mut SqliteConnection,
    agent: AgentId,
    query: &Query,
    offset: u32,
    limit: u32,
) -> AppResult<Page<ConversationRef>> {
    let rows: Vec<ConversationRow> = sqlx::query_as(concat!(
        "SELECT ",
        conversation_columns!(),
        " FROM (SELECT DISTINCT it.conversation_id AS id
               FROM (SELECT rowid AS id FROM items_search WHERE items_search MATCH ?2
                     ORDER BY rowid DESC LIMIT ?5) found
               JOIN items it ON it.id = found.id) matched
         JOIN conversations c ON c.id = matched.id
         JOIN contacts ct ON ct.id = c.contact_id
         WHERE ",
        sees!(),
        " ORDER BY c.last_activity_at DESC, c.id DESC
         LIMIT ?3 OFFSET ?4"
    ))
    .bind(agent.0)
    .bind(words_match(query))
    .bind(i64::from(limit) + 1)
    .bind(i64::from(offset))
    .bind(CONVERSATIONS_FROM_MESSAGES)
    .fetch_all(conn)
    .await?;
    conversation_page(rows, limit)
}

/// Messages and notes that hold the words, newest first, older than `before` when given.
pub async fn messages(
    conn: &mut SqliteConnection,
    agent: AgentId,
    query: &Query,
    before: Option<MessageId>,
    limit: u32,
) -> AppResult<Page<MessageHit>> {
    // The index gives its matches newest first (rowid order), so a page reads no further back
    // than it needs among what the agent may see.
    let rows: Vec<MessageRow> = sqlx::query_as(concat!(
        "SELECT it.id AS id, it.direction AS direction, it.note AS note,
                    it.created_at AS created_at,
                    snippet(items_search, 0, char(1), char(2), '…', ?5) AS snippet, ",
        conversation_columns!(),
        " FROM items_search
             JOIN items it ON it.id = items_search.rowid
             JOIN conversations c ON c.id = it.conversation_id
             JOIN contacts ct ON ct.id = c.contact_id
             WHERE items_search MATCH ?2 AND items_search.rowid < ?3 AND ",
        sees!(),
        " ORDER BY items_search.rowid DESC
             LIMIT ?4"
    ))
    .bind(agent.0)
    .bind(words_match(query))
    .bind(before.map_or(i64::MAX, |id| id.0))
    .bind(i64::from(limit) + 1)
    .bind(SNIPPET_WORDS)
    .fetch_all(conn)
    .await?;
    let items = rows
        .into_iter()
        .map(|row| {
            Ok(MessageHit {
                message: MessageId(row.id),
                conversation: conversation_ref(row.conversation)?,
                direction: row.direction.as_deref().map(direction_from).transpose()?,
                note: row.note,
                at: row.created_at,
                snippet: pieces(&row.snippet),
            })
        })
        .collect::<AppResult<_>>()?;
    Ok(page(items, limit))
}

/// A snippet with its matches marked by FTS5, as plain and matching pieces.
fn pieces(snippet: &str) -> Vec<Piece> {
    let mut pieces: Vec<Piece> = Vec::new();
    let mut hit = false;
    for c in snippet.chars() {
        match c {
            HIT_START => hit = true,
            HIT_END => hit = false,
            c => match pieces.last_mut() {
                Some(piece) if piece.hit == hit => piece.text.push(c),
                _ => pieces.push(Piece {
                    text: c.to_string(),
                    hit,
                }),
            },
        }
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_snippet_is_cut_into_plain_and_matching_pieces() {
        let pieces = pieces("…el \u{1}camión\u{2} llegó \u{1}tarde\u{2}");
        let shown: Vec<(&str, bool)> = pieces.iter().map(|p| (p.text.as_str(), p.hit)).collect();
        assert_eq!(
            shown,
            [
                ("…el ", false),
                ("camión", true),
                (" llegó ", false),
                ("tarde", true)
            ]
        );
    }

    #[test]
    fn what_is_typed_is_quoted_never_read_as_an_operator() {
        let query = Query::parse("NEAR(pedido OR \"x\"* rojo").unwrap();
        assert_eq!(
            words_match(&query),
            "\"near\" AND \"pedido\" AND \"or\" AND \"x\" AND \"rojo\"*"
        );
        let phone = Query::parse("+34 600 11").unwrap();
        assert_eq!(contacts_match(&phone).unwrap(), "digits : \"3460011\"");
        let name = Query::parse("Ana González").unwrap();
        assert_eq!(
            contacts_match(&name).unwrap(),
            "{name handle} : (\"ana\" AND \"gonzález\")"
        );
        assert_eq!(contacts_match(&Query::parse("al").unwrap()), None);
    }
}
