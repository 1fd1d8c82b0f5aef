//! A customer writes: the message lands in the conversation it replies to (email), else the
//! contact's open conversation in that inbox, or opens a new one in the queue. A message the
//! provider delivers twice (webhook retries) is stored once.

use super::{Readers, announce_conversation, announce_thread, publish_counts};
use crate::db::Db;
use crate::error::AppResult;
use crate::store::attachments::{self, NewAttachment};
use crate::store::items::{self, NewMessage};
use crate::store::{contacts, conversations};
use switchboard_protocol::api::InboundReceived;
use switchboard_protocol::rules::Consent;
use switchboard_protocol::{ConversationEventKind, Direction, Inbox};

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
    /// holds one of them, else starts a new one, as help desks do with a new email thread.
    /// `None` (chat channels): it joins the contact's open conversation.
    pub replies_to: Option<&'a [String]>,
    /// Files that came with it, their bytes already in storage.
    pub files: &'a [ReceivedFile],
}

/// A customer's file whose bytes are stored under `storage_key`.
pub struct ReceivedFile {
    pub name: String,
    pub content_type: String,
    pub bytes: u64,
    pub storage_key: String,
}

/// Stores a customer's message; `None` when the provider had delivered it already.
pub async fn receive(db: &Db, inbound: Inbound<'_>) -> AppResult<Option<InboundReceived>> {
    let inbox = inbound.inbox;
    let mut tx = db.write().await?;
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
                Some(id) if conversations::is_open(&mut tx, id).await? => Some(id),
                _ => None,
            }
        }
        None => conversations::open_for_contact(&mut tx, inbox.id, contact.id).await?,
    };
    let (conversation_id, opened) = match existing {
        Some(id) => (id, None),
        None => {
            let id = conversations::insert(&mut tx, inbox.id, contact.id, now).await?;
            let event =
                items::insert_event(&mut tx, id, ConversationEventKind::Created, None, None, now)
                    .await?;
            (id, Some(event))
        }
    };
    let mut message = items::insert_message(
        &mut tx,
        NewMessage {
            conversation: conversation_id,
            direction: Direction::In,
            author: None,
            text: inbound.text,
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
    let mut files = Vec::with_capacity(inbound.files.len());
    for file in inbound.files {
        let new = NewAttachment {
            conversation: conversation_id,
            uploader: None,
            name: &file.name,
            content_type: &file.content_type,
            bytes: file.bytes,
            storage_key: &file.storage_key,
        };
        files.push(attachments::insert(&mut tx, new).await?);
    }
    attachments::link(&mut tx, message.id, &files).await?;
    message.attachments = files;
    if let Some(subject) = inbound.subject.filter(|s| !s.trim().is_empty()) {
        conversations::set_subject(&mut tx, conversation_id, subject).await?;
    }
    let mut thread_events: Vec<_> = opened.iter().cloned().collect();
    // "STOP" (or "START") alone is the customer's word on consent: record it and say so.
    let consent = inbox.channel.rules().consent_keyword(inbound.text);
    let change = match consent {
        Some(Consent::OptOut) if !contact.opted_out => {
            Some((true, ConversationEventKind::OptedOut))
        }
        Some(Consent::OptIn) if contact.opted_out => Some((false, ConversationEventKind::OptedIn)),
        _ => None,
    };
    if let Some((opted_out, kind)) = change {
        contacts::set_opted_out(&mut tx, contact.id, opted_out).await?;
        thread_events
            .push(items::insert_event(&mut tx, conversation_id, kind, None, None, now).await?);
    }

    announce_conversation(&mut tx, conversation_id, opened.is_some()).await?;
    announce_thread(&mut tx, inbox.id, &thread_events, &message).await?;
    publish_counts(&mut tx, inbox.id, conversation_id, Readers::Everyone).await?;
    tx.commit().await?;

    Ok(Some(InboundReceived {
        conversation_id,
        message,
        created: opened.is_some(),
    }))
}
