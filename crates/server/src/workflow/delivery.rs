//! Outbound delivery: the outbox hands `sending` messages to their inbox's provider, and every
//! status the provider reports (API answer, webhook, sandbox carrier) goes through
//! [`report_status`], which only ever moves a message forward.

use crate::db::{Db, now_ms};
use crate::error::{AppError, AppResult};
use crate::providers::{Accepted, Outbound, OutboundFile, Providers};
use crate::storage::Storage;
use crate::store::events::{self, Audience};
use crate::store::{attachments, conversations, early_reports, inboxes, items};
use chrono::{DateTime, Utc};
use std::sync::Arc;
use switchboard_protocol::{ConversationId, EventBody, Failure, InboxId, MessageId, MessageStatus};
use tokio::sync::mpsc;

/// Providers report within hours; after a day a message waits for nothing more.
const REPORTS_WITHIN_MS: i64 = 24 * 3600 * 1000;
/// A reply the server never handed over (it stopped first) is sent late within this, and
/// marked failed after it: a customer should not get an answer from yesterday out of the blue.
const SEND_LATE_WITHIN_MS: i64 = 3600 * 1000;
/// How often a hand-over that failed on our side before it reached the provider is tried.
const DISPATCH_TRIES: u32 = 5;
/// How many messages are handed over at once. A conversation always uses the same lane, so
/// its replies go out in the order they were written; a slow provider holds up one lane.
const LANES: usize = 8;

/// Messages waiting to be handed to their provider, in the order they were written.
#[derive(Clone)]
pub struct Outbox(Vec<mpsc::UnboundedSender<(MessageId, u32)>>);

impl Outbox {
    pub fn push(&self, id: MessageId, conversation: ConversationId) {
        self.push_try(id, conversation, 1);
    }

    fn push_try(&self, id: MessageId, conversation: ConversationId, attempt: u32) {
        let lane = usize::try_from(conversation.0.unsigned_abs()).unwrap_or(0) % self.0.len();
        // The receiver lives as long as the server; if it is gone we are shutting down, and
        // the message stays `sending` in the database to be picked up on the next start.
        let _ = self.0[lane].send((id, attempt));
    }
}

/// Starts the dispatcher and picks up what a previous run left unfinished.
pub async fn start(db: Db, providers: Providers, storage: Arc<dyn Storage>) -> AppResult<Outbox> {
    let mut lanes = Vec::with_capacity(LANES);
    let mut receivers = Vec::with_capacity(LANES);
    for _ in 0..LANES {
        let (sender, receiver) = mpsc::unbounded_channel();
        lanes.push(sender);
        receivers.push(receiver);
    }
    let outbox = Outbox(lanes);
    let now = now_ms();
    let unfinished =
        items::in_flight(&mut *db.pool().acquire().await?, now - REPORTS_WITHIN_MS).await?;
    for flight in unfinished {
        match flight.provider_message_id.clone() {
            None if flight.status != MessageStatus::Sending => {}
            None if flight.handed_over => {
                let failure = Failure {
                    code: OUTCOME_UNKNOWN.into(),
                    reason: "The server stopped while handing this message to the provider: it may have gone out.".into(),
                };
                apply(&db, flight.id, MessageStatus::Failed, Some(failure)).await?;
            }
            None if now - flight.since_ms < SEND_LATE_WITHIN_MS => {
                outbox.push(flight.id, flight.conversation_id);
            }
            None => {
                let failure = Failure {
                    code: "not_sent".into(),
                    reason: "The server stopped before this message reached the provider, so it was not sent.".into(),
                };
                apply(&db, flight.id, MessageStatus::Failed, Some(failure)).await?;
            }
            Some(provider_id) if flight.channel.awaits_reports(flight.status) => {
                providers.resume(&flight, &provider_id);
            }
            Some(_) => {}
        }
    }
    for mut receiver in receivers {
        let (db, providers, retries) = (db.clone(), providers.clone(), outbox.clone());
        let storage = storage.clone();
        tokio::spawn(async move {
            while let Some((id, attempt)) = receiver.recv().await {
                let Err(error) = dispatch(&db, &providers, storage.as_ref(), id).await else {
                    continue;
                };
                tracing::error!(%error, message = %id, attempt, "could not hand a message to its provider");
                let Ok(conversation) = conversation_of(&db, id).await else {
                    continue;
                };
                if attempt < DISPATCH_TRIES {
                    let retries = retries.clone();
                    tokio::spawn(async move {
                        tokio::time::sleep(std::time::Duration::from_secs(1 << attempt)).await;
                        retries.push_try(id, conversation, attempt + 1);
                    });
                }
            }
        });
    }
    Ok(outbox)
}

async fn conversation_of(db: &Db, id: MessageId) -> AppResult<ConversationId> {
    let message = items::message(&mut *db.pool().acquire().await?, id).await?;
    message
        .map(|m| m.conversation_id)
        .ok_or_else(|| AppError::internal(format!("message {id} vanished")))
}

/// The code of a failure after which nobody knows whether the provider took the message.
pub const OUTCOME_UNKNOWN: &str = "outcome_unknown";

/// Hands one message to its provider. Errors before the hand-over may be retried; once it
/// has begun, the message is never handed over again (for this attempt), whatever fails.
async fn dispatch(
    db: &Db,
    providers: &Providers,
    storage: &dyn Storage,
    id: MessageId,
) -> AppResult<()> {
    let mut tx = db.write().await?;
    let claimed = items::claim_handover(&mut tx, id, now_ms()).await?;
    tx.commit().await?;
    if !claimed {
        return Ok(()); // handed over already, or no longer waiting to be
    }
    let outbound = outbound(db, providers, storage, id).await;
    let (outbound, inbox) = match outbound {
        Ok(found) => found,
        Err(error) => {
            tracing::error!(%error, message = %id, "could not read a message to hand over");
            let failure = Failure {
                code: "not_sent".into(),
                reason: "The server could not prepare this message for the provider, so it was not sent.".into(),
            };
            return settle(db, id, Err(failure), None).await;
        }
    };
    let result = match &inbox.adapter {
        Ok(adapter) => adapter.send(&outbound).await,
        Err(reason) => Err(Failure {
            code: "provider_unavailable".into(),
            reason: reason.clone(),
        }),
    };
    settle(db, id, result, Some(inbox.id)).await
}

/// The inbox a message goes out through, with its adapter.
struct Through {
    id: InboxId,
    adapter: Result<crate::providers::Adapter, String>,
}

async fn outbound(
    db: &Db,
    providers: &Providers,
    storage: &dyn Storage,
    id: MessageId,
) -> AppResult<(Outbound, Through)> {
    let mut conn = db.pool().acquire().await?;
    let message = items::message(&mut conn, id)
        .await?
        .ok_or_else(|| AppError::internal(format!("message {id} vanished")))?;
    let conversation = conversations::shared(&mut conn, message.conversation_id).await?;
    let (provider, settings) = inboxes::provider(&mut conn, conversation.inbox_id).await?;
    let subject = conversations::subject(&mut conn, message.conversation_id).await?;
    let thread_ids = items::provider_ids(&mut conn, message.conversation_id, id).await?;
    // The stored text is the rendered template; the provider needs its name and values.
    let template = items::template_use(&mut conn, id).await?;
    // A file that cannot be read stops the message (it fails as not sent), never goes without.
    let mut files = Vec::new();
    if !message.attachments.is_empty() {
        for (file, key) in attachments::of_message(&mut conn, id).await? {
            let bytes = storage.get(&key).await.map_err(|e| {
                AppError::internal(format!("reading attachment {} to send: {e}", file.id))
            })?;
            files.push(OutboundFile {
                name: file.name,
                content_type: file.content_type,
                bytes,
            });
        }
    }
    let adapter = providers.connect(
        conversation.inbox_id,
        conversation.channel,
        &provider,
        &settings,
    );
    Ok((
        Outbound {
            message_id: id,
            attempt: message.attempt,
            channel: conversation.channel,
            to: conversation.contact.handle,
            text: message.text,
            human_agent: message.human_agent,
            template,
            subject,
            thread_ids,
            files,
        },
        Through {
            id: conversation.inbox_id,
            adapter,
        },
    ))
}
/// Records what the provider answered. Our own writes are tried again if they fail: the
/// message itself must not go out again.
async fn settle(
    db: &Db,
    id: MessageId,
    answer: Result<Accepted, Failure>,
    inbox: Option<InboxId>,
) -> AppResult<()> {
    let mut result = Ok(());
    for pause_ms in [0, 200, 1_000, 5_000, 15_000] {
        tokio::time::sleep(std::time::Duration::from_millis(pause_ms)).await;
        result = record(db, id, &answer, inbox).await;
        match &result {
            Ok(()) => return Ok(()),
            Err(error) => {
                tracing::warn!(%error, message = %id, "could not record the provider's answer; trying again")
            }
        }
    }
    result
}

async fn record(
    db: &Db,
    id: MessageId,
    answer: &Result<Accepted, Failure>,
    inbox: Option<InboxId>,
) -> AppResult<()> {
    let accepted = match (answer, inbox) {
        (Ok(accepted), Some(inbox)) => (accepted, inbox),
        (Ok(_), None) => return Ok(()),
        (Err(failure), _) => {
            return apply(db, id, MessageStatus::Failed, Some(failure.clone()))
                .await
                .map(drop);
        }
    };
    let (accepted, inbox) = accepted;
    let mut tx = db.write().await?;
    items::set_provider_id(&mut tx, id, &accepted.provider_message_id).await?;
    let early = early_reports::take(&mut tx, inbox, &accepted.provider_message_id).await?;
    tx.commit().await?;
    if accepted.sent {
        apply(db, id, MessageStatus::Sent, None).await?;
    }
    for (status, failure) in early {
        apply(db, id, status, failure).await?;
    }
    Ok(())
}

/// What became of a status report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Applied {
    /// The message moved to the reported status.
    Moved,
    /// The report was stale or repeated; nothing changed.
    Ignored,
}

/// A provider's report about the message it knows as `provider_message_id`, through a webhook
/// of `inbox` (`None`: from our own sandbox carrier).
/// `Ok(None)`: no such message yet. Providers may report before we stored their id; a
/// webhook's report is then kept and applied when the id is stored.
pub async fn report_status(
    db: &Db,
    inbox: Option<InboxId>,
    provider_message_id: &str,
    status: MessageStatus,
    failure: Option<Failure>,
) -> AppResult<Option<Applied>> {
    let mut message =
        items::by_provider_id(&mut *db.pool().acquire().await?, inbox, provider_message_id).await?;
    if let (None, Some(inbox)) = (&message, inbox) {
        // Looked up again and kept in one write: the outbox cannot store the id in between.
        let mut tx = db.write().await?;
        message = items::by_provider_id(&mut tx, Some(inbox), provider_message_id).await?;
        if message.is_none() {
            let (id, at) = (provider_message_id, now_ms());
            early_reports::keep(&mut tx, inbox, id, status, failure.as_ref(), at).await?;
            tx.commit().await?;
        }
    }
    match message {
        Some(message) => apply(db, message.id, status, failure).await.map(Some),
        None => Ok(None),
    }
}

async fn apply(
    db: &Db,
    id: MessageId,
    status: MessageStatus,
    failure: Option<Failure>,
) -> AppResult<Applied> {
    let mut tx = db.write().await?;
    let message = items::message(&mut tx, id)
        .await?
        .ok_or_else(|| AppError::internal(format!("message {id} vanished")))?;
    let Some(current) = message.status else {
        return Ok(Applied::Ignored); // a customer's message has no delivery status
    };
    let Some(next) = current.advance(status) else {
        return Ok(Applied::Ignored);
    };
    let failure = if next == MessageStatus::Failed {
        Some(failure.unwrap_or_else(|| Failure {
            code: "unknown".into(),
            reason: "The provider reported a failure without a reason.".into(),
        }))
    } else {
        None
    };
    items::set_status(&mut tx, id, next, failure.as_ref(), now_ms()).await?;
    let audience = crate::store::access::audience(&mut tx, message.conversation_id).await?;
    let body = EventBody::MessageStatus {
        conversation_id: message.conversation_id,
        message_id: id,
        client_id: message.client_id,
        status: next,
        failure,
        attempt: message.attempt,
    };
    events::append(&mut tx, Audience::Agents(&audience), &body).await?;
    tx.commit().await?;
    Ok(Applied::Moved)
}

/// Everything we sent the customer up to `until` reached `status` (Messenger's delivery
/// and read watermarks).
pub async fn reached_until(
    db: &Db,
    inbox: InboxId,
    customer: &str,
    until: DateTime<Utc>,
    status: MessageStatus,
) -> AppResult<usize> {
    let unread = items::outbound_before(
        &mut *db.pool().acquire().await?,
        inbox,
        customer,
        until.timestamp_millis(),
    )
    .await?;
    let mut moved = 0;
    for id in unread {
        if apply(db, id, status, None).await? == Applied::Moved {
            moved += 1;
        }
    }
    Ok(moved)
}
