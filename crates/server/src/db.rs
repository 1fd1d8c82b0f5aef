//! The SQLite database: connection pool, migrations, the single writer and time helpers.
//!
//! All writes go through [`Db::write`], one at a time, on a connection of their own. That
//! makes event sequence numbers commit in order (a reader that sees seq N has every event
//! before it), spares SQLite's lock upgrades and keeps the writer's page cache warm. Readers
//! use the pool freely: WAL gives them a consistent snapshot.
//!
//! The WAL is checkpointed by a task of its own ([`checkpoints`]), not by the commit that
//! happens to fill it: SQLite's automatic checkpoint copies and syncs ~1,000 pages inside
//! that commit, with the writer held and every writer queued behind it.

use crate::error::{AppError, AppResult};
use chrono::{DateTime, TimeZone, Utc};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqliteConnection, SqlitePool, Transaction};
use std::ops::{Deref, DerefMut};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use switchboard_protocol::Seq;
use tokio::sync::{Mutex, Notify, OwnedMutexGuard, watch};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

#[derive(Clone)]
pub struct Db {
    pool: SqlitePool,
    /// The one connection that writes, so its page cache stays its own: a pooled connection
    /// that another had written through since its last use read its pages again.
    writes: SqlitePool,
    writer: Arc<Mutex<()>>,
    head: Arc<watch::Sender<Seq>>,
    wrote: Arc<Notify>,
    log: Arc<str>,
}

/// How long a statement waits for a lock another process holds (a backup, the `sqlite3`
/// shell) before the request is answered 503 "busy, try again".
pub const DEFAULT_BUSY_TIMEOUT: Duration = Duration::from_secs(5);

impl Db {
    /// Opens (creating if needed) the database file and brings its schema up to date.
    pub async fn open(path: &Path) -> AppResult<Db> {
        Self::open_with(path, DEFAULT_BUSY_TIMEOUT).await
    }

    /// [`Db::open`], waiting at most `busy_timeout` for a lock held elsewhere. An error names
    /// the file and what to do about it.
    pub async fn open_with(path: &Path, busy_timeout: Duration) -> AppResult<Db> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(busy_timeout)
            .pragma("wal_autocheckpoint", "0")
            // Statement journals and sorts stay in memory: on disk, each one was a temporary
            // file created and unlinked inside the writer's transaction.
            .pragma("temp_store", "memory")
            // Pages are read from the file's mapping, not copied in by a system call each.
            .pragma("mmap_size", "268435456");
        let cannot_open = |e: &dyn std::fmt::Display| {
            AppError::internal(format!(
                "cannot open the database {}: {e}. Check that the server's user may read and write that file and its directory, or pass another --data-dir.",
                path.display()
            ))
        };
        let acquire_timeout = busy_timeout.max(Duration::from_secs(1));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .acquire_timeout(acquire_timeout)
            .connect_with(options.clone())
            .await
            .map_err(|e| cannot_open(&e))?;
        MIGRATOR.run(&pool).await.map_err(|e| cannot_open(&e))?;
        let mut conn = pool.acquire().await?;
        let head = crate::store::events::head(&mut conn).await?;
        let log = crate::store::events::log_id(&mut conn).await?;
        drop(conn);
        let writes = SqlitePoolOptions::new()
            .max_connections(1)
            .acquire_timeout(acquire_timeout)
            // Waiting for the writer's turn is the writer mutex's business, not the pool's.
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(options)
            .await
            .map_err(|e| cannot_open(&e))?;
        let wrote = Arc::new(Notify::new());
        tokio::spawn(checkpoints(pool.clone(), wrote.clone()));
        Ok(Db {
            pool,
            writes,
            writer: Arc::new(Mutex::new(())),
            head: Arc::new(watch::channel(head).0),
            wrote,
            log: Arc::from(log),
        })
    }

    /// For reads. Each query sees a consistent snapshot; use [`Db::snapshot`] when several
    /// queries must agree with each other.
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// A read transaction: every query in it sees the same state of the database.
    pub async fn snapshot(&self) -> AppResult<Transaction<'static, Sqlite>> {
        Ok(self.pool.begin().await?)
    }

    /// Waits for the writer's turn and starts a write transaction. It takes SQLite's write
    /// lock at once (`BEGIN IMMEDIATE`), so a lock held by another process is waited for up to
    /// the busy timeout; a deferred one that read first could only give up at its first write.
    pub async fn write(&self) -> AppResult<WriteTx> {
        let guard = self.writer.clone().lock_owned().await;
        let tx = self.writes.begin_with("BEGIN IMMEDIATE").await?;
        Ok(WriteTx {
            tx,
            _guard: guard,
            head: self.head.clone(),
            wrote: self.wrote.clone(),
            appended: None,
        })
    }

    /// The name of this database's event log (see `store::events::log_id`).
    pub fn log(&self) -> &str {
        &self.log
    }

    /// Wakes when events are committed; holds the newest committed seq.
    pub fn subscribe(&self) -> watch::Receiver<Seq> {
        self.head.subscribe()
    }

    pub async fn close(&self) {
        self.writes.close().await;
        self.pool.close().await;
    }
}

/// A write transaction holding the writer's turn. Events appended in it are announced to
/// feed subscribers when it commits, and never if it does not.
pub struct WriteTx {
    tx: Transaction<'static, Sqlite>,
    _guard: OwnedMutexGuard<()>,
    head: Arc<watch::Sender<Seq>>,
    wrote: Arc<Notify>,
    appended: Option<Seq>,
}

impl WriteTx {
    pub(crate) fn note_event(&mut self, seq: Seq) {
        self.appended = Some(seq);
    }

    pub async fn commit(self) -> AppResult<()> {
        self.tx.commit().await?;
        self.wrote.notify_one();
        if let Some(seq) = self.appended {
            self.head.send_replace(seq);
        }
        Ok(())
    }
}

impl Deref for WriteTx {
    type Target = SqliteConnection;
    fn deref(&self) -> &SqliteConnection {
        &self.tx
    }
}

impl DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut SqliteConnection {
        &mut self.tx
    }
}

/// The least time between two checkpoints: the WAL holds about this much of the writes.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(250);

/// Copies what was committed from the WAL into the database, after writes and at most every
/// [`CHECKPOINT_EVERY`], until the pool closes. PASSIVE: it never waits for the writer or a
/// reader, and SQLite restarts the WAL from its beginning once a checkpoint has copied it all.
async fn checkpoints(pool: SqlitePool, wrote: Arc<Notify>) {
    loop {
        wrote.notified().await;
        match sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
            .execute(&pool)
            .await
        {
            Ok(_) => {}
            Err(sqlx::Error::PoolClosed) => return,
            // The next write tries again; the WAL only grows until one succeeds.
            Err(error) => tracing::warn!(%error, "could not checkpoint the database"),
        }
        tokio::time::sleep(CHECKPOINT_EVERY).await;
    }
}

/// Runs `work` on the writers' own thread and waits for it. A write holds the one writer's
/// turn across each of its statements; on the server's runtime every statement's answer
/// waited in line behind the feed's sockets before the write could go on, and so did every
/// write queued behind it. Only writes run there, so the one holding the turn goes on at once.
pub async fn on_writer_thread<T: Send + 'static>(
    work: impl std::future::Future<Output = AppResult<T>> + Send + 'static,
) -> AppResult<T> {
    let spawned = match writers() {
        Some(writers) => writers.spawn(work),
        None => tokio::spawn(work),
    };
    spawned
        .await
        .map_err(|e| AppError::internal(format!("a write stopped: {e}")))?
}

/// The writers' runtime, started on first use; `None` if the system would not give it a
/// thread (the writes then run where they are, only slower).
fn writers() -> Option<&'static tokio::runtime::Handle> {
    static WRITERS: std::sync::OnceLock<Option<tokio::runtime::Handle>> =
        std::sync::OnceLock::new();
    let start = || -> std::io::Result<tokio::runtime::Handle> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let handle = runtime.handle().clone();
        std::thread::Builder::new()
            .name("writers".into())
            .spawn(move || runtime.block_on(std::future::pending::<()>()))?;
        Ok(handle)
    };
    WRITERS
        .get_or_init(|| {
            start()
                .inspect_err(|error| tracing::warn!(%error, "no thread for the writers"))
                .ok()
        })
        .as_ref()
}

pub fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

/// A stored timestamp. Out-of-range values (a corrupt row) read as the epoch rather than panic.
pub fn from_ms(ms: i64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(ms).single().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file_len(path: &Path) -> u64 {
        std::fs::metadata(path).map_or(0, |m| m.len())
    }

    /// Commits leave the checkpoint to the task, so that task must keep the WAL copied into
    /// the database: without it the database file would never grow and the WAL would grow
    /// without end.
    #[tokio::test]
    async fn what_is_committed_reaches_the_database_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db.sqlite3");
        let db = Db::open(&path).await.unwrap();
        let mut tx = db.write().await.unwrap();
        sqlx::query("CREATE TABLE blobs (bytes BLOB NOT NULL)")
            .execute(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let before = file_len(&path);
        const WRITES: u64 = 200;
        const BYTES: usize = 16 * 1024;
        for _ in 0..WRITES {
            let mut tx = db.write().await.unwrap();
            sqlx::query("INSERT INTO blobs (bytes) VALUES (randomblob(?1))")
                .bind(BYTES as i64)
                .execute(&mut *tx)
                .await
                .unwrap();
            tx.commit().await.unwrap();
        }
        let written = WRITES * BYTES as u64;
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        while file_len(&path) < before + written {
            assert!(
                std::time::Instant::now() < deadline,
                "the database file stayed at {} bytes, the WAL at {}",
                file_len(&path),
                file_len(&path.with_extension("sqlite3-wal"))
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        db.close().await;
    }

    /// A transaction's statement journal is a temporary file unless temp_store says memory
    /// (2): on disk it was created and unlinked inside the writer's turn.
    #[tokio::test]
    async fn every_connection_keeps_its_temporary_data_in_memory() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("db.sqlite3")).await.unwrap();
        let mut reader = db.pool().acquire().await.unwrap();
        assert_eq!(temp_store(&mut reader).await, 2);
        drop(reader);
        let mut tx = db.write().await.unwrap();
        assert_eq!(temp_store(&mut tx).await, 2);
        drop(tx);
        db.close().await;
    }

    async fn temp_store(conn: &mut SqliteConnection) -> i64 {
        let (store,): (i64,) = sqlx::query_as("PRAGMA temp_store")
            .fetch_one(conn)
            .await
            .unwrap();
        store
    }
}
