//! A customer writes: the message lands in the conversation it replies to (email, and only
//! when the sender is that conversation's contact), else the contact's latest conversation in
//! that inbox, or opens a new one in the queue of the team serving the inbox (offered to a
//! free member when the team routes). A closed conversation reopens, a snoozed one wakes. A
//! message the provider delivers twice (webhook retries) is stored once.
//!
//! What is kept is bounded: a text past [`MAX_STORED_TEXT`] is stored cut, with the whole of
//! it as a `.txt` file beside it; files are checked before any is stored, and removed again
//! if the message is not stored after all.

use super::{Before, Recount, Told, announce, routing};
use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::storage::Storage;
use crate::store::attachments::{self, NewAttachment};
use crate::store::items::{self, NewEvent, NewMessage};
use crate::store::{contacts, conversations};
use std::sync::Arc;
use switchboard_protocol::api::InboundReceived;
use switchboard_protocol::rules::Consent;
use switchboard_protocol::{
    Cause, ConversationEventKind, ConversationStatus, Direction, EventDetails, Inbox,
};

/// The most of a customer's text a message keeps (in bytes; the whole text goes with it as a
/// file). Agents read it, the feed carries it and every list previews it.
pub const MAX_STORED_TEXT: usize = 64 * 1024;
/// The most files one customer message may bring.
pub const MAX_FILES: usize = 10;
/// The name of the file that holds a long message whole.
pub const FULL_TEXT_NAME: &str = "full-message.txt";

pub struct Inbound<'a> {
    pub inbox: &'a Inbox,
    /// The customer's handle, already normalised for the channel.
    pub from: &'a str,
    pub name: Option<&'a str>,
    pub text: &'a str,
    /// When the customer sent it (the provider's timestamp), in unix milliseconds.
    pub sent_at_ms: i64,
    /// The provider's id for it; `None` from the sandbox endpoint.
    pub provider_message_id: Option<&'a str>,
    /// Email: the subject.
    pub subject: Option<&'a str>,
    /// Email threading: the Message-IDs it replies to. It joins the open conversation that
    /// holds one of them if the sender is that conversation's contact, else starts a new
    /// one, as help desks do with a new email thread (a stranger naming someone else's
    /// Message-ID must not write into their conversation). `None` (chat channels): it joins
    /// the contact's open conversation.
    pub replies_to: Option<&'a [String]>,
    /// Files that came with it, as they came.
    pub files: Vec<IncomingFile>,
}

/// A customer's file, its bytes not stored yet.
pub struct IncomingFile {
    /// As the customer named it (cleaned here).
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Checks a customer's files against what a message may bring: nothing is stored before
/// every one of them passes.
pub fn check_files(files: &[IncomingFile], max_file_bytes: u64) -> AppResult<()> {
    if files.len() > MAX_FILES {
        return Err(AppError::invalid(format!(
            "A message can bring at most {MAX_FILES} files."
        )));
    }
    for file in files {
        if file.bytes.is_empty() || file.bytes.len() as u64 > max_file_bytes {
            return Err(AppError::invalid(format!(
                "An attachment must have between 1 byte and {} MB.",
                max_file_bytes / (1024 * 1024)
            )));
        }
    }
    Ok(())
}

/// The text a message keeps: all of it, or when it is longer than [`MAX_STORED_TEXT`], its
/// beginning (cut at a line or word where one is near) and the whole as file bytes.
pub fn bounded_text(text: &str) -> (String, Option<Vec<u8>>) {
    if text.len() <= MAX_STORED_TEXT {
        return (text.to_owned(), None);
    }
    const ELLIPSIS: &str = " […]";
    let mut end = MAX_STORED_TEXT - ELLIPSIS.len();
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let head = &text[..end];
    // A clean cut reads better; look back a little for the end of a line or a word.
    let near = end.saturating_sub(512);
    let cut = head
        .rfind('\n')
        .filter(|&at| at >= near)
        .or_else(|| head.rfind(' ').filter(|&at| at >= near))
        .unwrap_or(end);
    let shown = format!("{}{ELLIPSIS}", head[..cut].trim_end());
    (shown, Some(text.as_bytes().to_vec()))
}

/// Files written to storage for a message not stored yet: unless [`Pending::keep`] is
/// called, they are deleted again, whatever way the request ends (an error, a duplicate, a
/// client that hung up mid-way).
struct Pending {
    storage: Arc<dyn Storage>,
    keys: Vec<String>,
}

impl Pending {
    fn keep(mut self) {
        self.keys.clear();
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        if self.keys.is_empty() {
            return;
        }
        let keys = std::mem::take(&mut self.keys);
        let storage = self.storage.clone();
        let forget = async move {
            for key in keys {
                if let Err(error) = storage.delete(&key).await {
                    tracing::warn!(%error, "could not delete the file of a message not stored");
                }
            }
        };
        // Dropped outside a runtime only at shutdown; the sweep finds what is left then.
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(forget);
        }
    }
}

/// A file in storage, its record not written yet.
struct Stored {
    name: String,
    content_type: String,
    bytes: u64,
    key: String,
}

/// Stores the files (sniffed and named by their bytes) and the whole text of a long message.
async fn store(
    state: &AppState,
    files: Vec<IncomingFile>,
    full_text: Option<Vec<u8>>,
    pending: &mut Pending,
) -> AppResult<Vec<Stored>> {
    let named = files
        .into_iter()
        .map(|file| {
            (
                crate::routes::attachments::clean_name(Some(&file.name)),
                file.bytes,
            )
        })
        .chain(full_text.map(|bytes| (FULL_TEXT_NAME.to_owned(), bytes)));
    let mut stored = Vec::new();
    for (name, bytes) in named {
        let sniffed = crate::sniff::sniff(&bytes);
        let key = crate::storage::new_key();
        pending.keys.push(key.clone());
        state
            .storage
            .put(&key, &bytes)
            .await
            .map_err(|e| AppError::internal(format!("storing a customer's file: {e}")))?;
        stored.push(Stored {
            name: crate::sniff::fit_extension(&name, &sniffed),
            content_type: sniffed.content_type,
            bytes: bytes.len() as u64,
            key,
        });
    }
    Ok(stored)
}

/// Stores a customer's message; `None` when the provider had delivered it already. It runs to
/// its end even if the caller hangs up: a message stored with its files, or neither.
pub async fn receive(state: &AppState, inbound: Inbound<'_>) -> AppResult<Option<InboundReceived>> {
    let owned = (
        inbound.inbox.clone(),
        inbound.from.to_owned(),
        inbound.name.map(str::to_owned),
        inbound.text.to_owned(),
        inbound.provider_message_id.map(str::to_owned),
        inbound.subject.map(str::to_owned),
        inbound.replies_to.map(<[String]>::to_vec),
    );
    let (sent_at_ms, files, state) = (inbound.sent_at_ms, inbound.files, state.clone());
    crate::db::on_writer_thread(async move {
        let (inbox, from, name, text, provider_id, subject, replies_to) = owned;
        let inbound = Inbound {
            inbox: &inbox,
            from: &from,
            name: name.as_deref(),
            text: &text,
            sent_at_ms,
            provider_message_id: provider_id.as_deref(),
            subject: subject.as_deref(),
            replies_to: replies_to.as_deref(),
            files,
        };
        receive_now(&state, inbound).await
    })
    .await
}

async fn receive_now(state: &AppState, inbound: Inbound<'_>) -> AppResult<Option<InboundReceived>> {
    let inbox = inbound.inbox;
    check_files(&inbound.files, state.config.max_upload_bytes)?;
    let (text, full_text) = bounded_text(inbound.text);
    let mut pending = Pending {
        storage: state.storage.clone(),
        keys: Vec::new(),
    };
    let stored = store(state, inbound.files, full_text, &mut pending).await?;

    let mut tx = state.db.write().await?;
    if let Some(id) = inbound.provider_message_id
        && items::by_provider_id(&mut tx, Some(inbox.id), id)
            .await?
            .is_some()
    {
        return Ok(None);
    }
    let now = inbound.sent_at_ms;
    let contact = contacts::upsert(&mut tx, inbox.channel, inbound.from, inbound.name).await?;
    let existing = match inbound.replies_to {
        Some(references) => {
            match items::conversation_of_any(&mut tx, inbox.id, references).await? {
                Some(id) if conversations::is_contacts(&mut tx, id, contact.id).await? => Some(id),
                _ => None,
            }
        }
        None => conversations::latest_for_contact(&mut tx, inbox.id, contact.id).await?,
    };
    let because_they_wrote = || EventDetails {
        cause: Some(Cause::CustomerWrote),
        ..EventDetails::default()
    };
    let mut thread_events = Vec::new();
    let (conversation_id, before) = match existing {
        Some(id) => {
            let before = Before::of(&mut tx, id).await?;
            let Some(found) = before.conversation().cloned() else {
                return Err(AppError::internal(format!("conversation {id} vanished")));
            };
            if found.status == ConversationStatus::Closed {
                conversations::reopen(&mut tx, id, now).await?;
                let event = NewEvent {
                    details: because_they_wrote(),
                    ..NewEvent::of(ConversationEventKind::Reopened, None)
                };
                thread_events.push(items::insert_event(&mut tx, id, event, now).await?);
            }
            if found.snoozed_until.is_some() {
                conversations::set_snoozed(&mut tx, id, None).await?;
                let event = NewEvent {
                    details: because_they_wrote(),
                    ..NewEvent::of(ConversationEventKind::Woke, None)
                };
                thread_events.push(items::insert_event(&mut tx, id, event, now).await?);
            }
            (id, before)
        }
        None => {
            let id = conversations::insert(&mut tx, inbox.id, contact.id, now).await?;
            let created = NewEvent::of(ConversationEventKind::Created, None);
            thread_events.push(items::insert_event(&mut tx, id, created, now).await?);
            (id, Before::nothing())
        }
    };
    let created = existing.is_none();
    let mut message = items::insert_message(
        &mut tx,
        NewMessage {
            conversation: conversation_id,
            direction: Direction::In,
            author: None,
            text: &text,
            client_id: None,
            status: None,
            human_agent: false,
            template: None,
            provider_message_id: inbound.provider_message_id,
            note: false,
            at_ms: now,
        },
    )
    .await?;
    let mut files = Vec::with_capacity(stored.len());
    for file in &stored {
        let new = NewAttachment {
            conversation: conversation_id,
            uploader: None,
            name: &file.name,
            content_type: &file.content_type,
            bytes: file.bytes,
            storage_key: &file.key,
        };
        files.push(attachments::insert(&mut tx, new).await?);
    }
    attachments::link(&mut tx, message.id, &files).await?;
    message.attachments = files;
    if let Some(subject) = inbound.subject.filter(|s| !s.trim().is_empty()) {
        conversations::set_subject(&mut tx, conversation_id, subject).await?;
    }
    // "STOP" (or "START") alone is the customer's word on consent: record it and say so.
    let consent = inbox.channel.rules().consent_keyword(&text);
    let change = match consent {
        Some(Consent::OptOut) if !contact.opted_out => {
            Some((true, ConversationEventKind::OptedOut))
        }
        Some(Consent::OptIn) if contact.opted_out => Some((false, ConversationEventKind::OptedIn)),
        _ => None,
    };
    if let Some((opted_out, kind)) = change {
        contacts::set_opted_out(&mut tx, contact.id, opted_out).await?;
        let event = NewEvent::of(kind, None);
        thread_events.push(items::insert_event(&mut tx, conversation_id, event, now).await?);
    }
    thread_events.extend(routing::offer(&mut tx, &state.presence, conversation_id, None).await?);

    let told = Told {
        events: &thread_events,
        message: Some(&message),
    };
    announce(
        &mut tx,
        &state.presence,
        conversation_id,
        before,
        told,
        Recount::Concerned,
    )
    .await?;
    tx.commit().await?;
    pending.keep();

    Ok(Some(InboundReceived {
        conversation_id,
        message,
        created,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_within_the_bound_is_kept_whole() {
        let text = "é".repeat(MAX_STORED_TEXT / 2);
        assert_eq!(bounded_text(&text), (text.clone(), None));
    }

    #[test]
    fn a_longer_text_is_cut_on_a_character_boundary_and_kept_whole_as_a_file() {
        let text = format!("{}{}", "a".repeat(MAX_STORED_TEXT - 1), "ñ".repeat(1000));
        let (shown, whole) = bounded_text(&text);
        assert!(shown.len() <= MAX_STORED_TEXT, "{}", shown.len());
        assert!(shown.ends_with("[…]"));
        assert_eq!(whole.as_deref(), Some(text.as_bytes()));
    }

    #[test]
    fn the_cut_falls_at_the_end_of_a_line_when_one_is_near() {
        let line = format!("{}\n", "palabra ".repeat(20));
        let text = line.repeat(MAX_STORED_TEXT / line.len() + 5);
        let (shown, _) = bounded_text(&text);
        let body = shown.strip_suffix(" […]").unwrap();
        assert!(body.ends_with("palabra"), "{:?}", &body[body.len() - 20..]);
        assert!(text.starts_with(body));
    }

    #[test]
    fn too_many_or_empty_files_are_refused_before_anything_is_stored() {
        let file = |n: usize| IncomingFile {
            name: "a.txt".into(),
            bytes: vec![b'a'; n],
        };
        assert!(check_files(&[file(1), file(10)], 10).is_ok());
        assert!(check_files(&[file(1), file(0)], 10).is_err());
        assert!(check_files(&[file(11)], 10).is_err());
        let many: Vec<_> = (0..=MAX_FILES).map(|_| file(1)).collect();
        assert!(check_files(&many, 10).is_err());
    }
}
