//! What an operator does from the command line (`switchboard-server inboxes`, `connect`):
//! see each inbox's provider and webhook URL, and put an inbox on a provider.

use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::providers::{self, Settings, sandbox};
use crate::store::inboxes;
use switchboard_protocol::{Inbox, InboxId};

/// An inbox as an operator sees it.
pub struct InboxLine {
    pub inbox: Inbox,
    pub provider: String,
    /// Where its provider's webhooks go (relative to the server's origin).
    pub webhook: Option<String>,
}

pub async fn inboxes(db: &Db) -> AppResult<Vec<InboxLine>> {
    let all = inboxes::all(&mut *db.pool().acquire().await?).await?;
    Ok(all
        .into_iter()
        .map(|(inbox, provider)| {
            // A sandbox inbox takes its channel's provider format (on demo servers).
            let named = if provider == sandbox::NAME {
                providers::provider_of(inbox.channel)
            } else {
                Some(provider.as_str())
            };
            let webhook = named.map(|named| providers::webhook_path(named, inbox.id));
            InboxLine {
                inbox,
                provider,
                webhook,
            }
        })
        .collect())
}

/// Puts `inbox` on `provider` with these settings (JSON), after checking that they are
/// complete and that the provider carries the inbox's channel.
pub async fn connect(db: &Db, inbox: InboxId, provider: &str, settings: &str) -> AppResult<()> {
    let found = inboxes::with_provider(&mut *db.pool().acquire().await?, inbox).await?;
    let (found, _, _) = found.ok_or_else(|| AppError::not_found("inbox"))?;
    Settings::parse(found.channel, provider, settings).map_err(AppError::invalid)?;
    let mut tx = db.write().await?;
    inboxes::set_provider(&mut tx, inbox, provider, settings).await?;
    tx.commit().await?;
    Ok(())
}
