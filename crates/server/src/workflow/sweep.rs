//! What nobody will ever ask for again is forgotten, so the disk does not fill: uploads an
//! agent never sent (after a while, records and bytes), and files in storage that no record
//! names (a message refused or interrupted after its files were written, a crash mid-write).

use crate::db::{Db, now_ms};
use crate::error::{AppError, AppResult};
use crate::storage::Storage;
use crate::store::attachments;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

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

/// A file younger than this may be waiting for the record its request is about to write.
pub const ORPHAN_GRACE: Duration = Duration::from_secs(3600);

/// Deletes the files in storage that no attachment names and that are older than
/// [`ORPHAN_GRACE`] at `now`; how many.
pub async fn orphan_files(db: &Db, storage: &dyn Storage, now: SystemTime) -> AppResult<usize> {
    let held = storage
        .keys()
        .await
        .map_err(|e| AppError::internal(format!("listing stored files: {e}")))?;
    let old: Vec<String> = held
        .into_iter()
        .filter(|(_, written)| {
            now.duration_since(*written)
                .is_ok_and(|age| age >= ORPHAN_GRACE)
        })
        .map(|(key, _)| key)
        .collect();
    let mut swept = 0;
    for chunk in old.chunks(200) {
        let mut conn = db.pool().acquire().await?;
        let known = attachments::known_keys(&mut conn, chunk).await?;
        drop(conn);
        for key in chunk.iter().filter(|key| !known.contains(*key)) {
            match storage.delete(key).await {
                Ok(()) => swept += 1,
                Err(error) => tracing::warn!(%error, "could not delete a file no record names"),
            }
        }
    }
    Ok(swept)
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
            match orphan_files(&db, storage.as_ref(), SystemTime::now()).await {
                Ok(0) => {}
                Ok(swept) => tracing::info!(swept, "deleted files no record names"),
                Err(error) => tracing::warn!(%error, "could not sweep files without a record"),
            }
            tokio::time::sleep(EVERY).await;
        }
    });
}
