//! Uploads an agent never sent are forgotten after a while, records and bytes, so abandoned
//! drafts do not fill the disk.

use crate::db::{Db, now_ms};
use crate::error::AppResult;
use crate::storage::Storage;
use crate::store::attachments;
use std::sync::Arc;
use std::time::Duration;

/// How long an unsent upload is kept: long enough for a draft left over a weekend.
pub const KEEP_UNSENT: Duration = Duration::from_secs(7 * 24 * 3600);
const EVERY: Duration = Duration::from_secs(6 * 3600);

/// Forgets the unsent uploads older than [`KEEP_UNSENT`] at `now_ms`; how many.
pub async fn unsent_uploads(db: &Db, storage: &dyn Storage, now_ms: i64) -> AppResult<usize> {
    let before = now_ms - KEEP_UNSENT.as_millis() as i64;
    let mut tx = db.write().await?;
    let keys = attachments::forget_unsent_before(&mut tx, before).await?;
    tx.commit().await?;
    for key in &keys {
        if let Err(error) = storage.delete(key).await {
            tracing::warn!(%error, "could not delete an abandoned upload's bytes");
        }
    }
    Ok(keys.len())
}

/// Sweeps now and every few hours, for the server's lifetime.
pub fn start(db: Db, storage: Arc<dyn Storage>) {
    tokio::spawn(async move {
        loop {
            match unsent_uploads(&db, storage.as_ref(), now_ms()).await {
                Ok(0) => {}
                Ok(swept) => tracing::info!(swept, "forgot abandoned uploads"),
                Err(error) => tracing::warn!(%error, "could not sweep abandoned uploads"),
            }
            tokio::time::sleep(EVERY).await;
        }
    });
}
