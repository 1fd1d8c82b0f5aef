//! Fan-out of the event log to the feed's sockets. One task reads each new event once, with
//! the audience decided when it was written, makes its frame once, and hands the same
//! bytes to the bounded queue of every socket of every agent in that audience.
//!
//! A socket never depends on the hub alone for completeness: it joins *before* it reads the
//! log up to the head (`routes::feed`), then takes queued frames after the seq it has sent,
//! so each event comes once and in order. A queue that fills (a slow client) is dropped by the
//! hub; the socket sees its queue end, reads what it missed from the log itself, and joins
//! again. When the hub cannot read the log it drops every queue, and so every socket falls
//! back to the log in the same way.

use crate::db::Db;
use crate::error::AppResult;
use crate::feed_counts;
use crate::store::events::{self, EventFrame, Logged};
use axum::extract::ws::Utf8Bytes;
use std::collections::HashMap;
use std::collections::btree_map::Entry;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use switchboard_protocol::{AgentId, Seq};
use tokio::sync::mpsc;

/// Events read from the log in one go.
const BATCH: u32 = 500;

/// An event's frame, serialized once and shared by every socket it goes to.
#[derive(Debug)]
pub struct Frame {
    pub seq: Seq,
    pub text: Utf8Bytes,
}

/// What a queue holds: one pointer a frame. A queue allocates room for 32 of them when it is
/// made, so the size of this is paid by every socket, idle ones too.
pub type Queued = Arc<Frame>;

struct Subscriber {
    id: u64,
    queue: mpsc::Sender<Queued>,
}

#[derive(Default)]
struct Registry {
    by_agent: HashMap<AgentId, Vec<Subscriber>>,
}

impl Registry {
    /// Keeps the agent's subscribers that `keep` says to, and forgets an agent left with none.
    fn keep(&mut self, agent: AgentId, keep: impl FnMut(&Subscriber) -> bool) {
        if let Some(subscribers) = self.by_agent.get_mut(&agent) {
            subscribers.retain(keep);
            if subscribers.is_empty() {
                self.by_agent.remove(&agent);
            }
        }
    }
}

struct Shared {
    registry: Mutex<Registry>,
    next_id: AtomicU64,
    queue_len: usize,
    /// Queues dropped because they were full (their sockets went back to the log).
    overflows: AtomicU64,
}

/// The hub: cheap to clone, one per server.
#[derive(Clone)]
pub struct Hub(Arc<Shared>);

/// A socket's place in the hub. Its queue ends (`recv` gives `None`) when the hub dropped it;
/// leaving the hub is dropping this.
pub struct Subscription {
    hub: Arc<Shared>,
    agent: AgentId,
    id: u64,
    queue: mpsc::Receiver<Queued>,
}

impl Hub {
    /// Starts the task that follows `db`'s head; `queue_len` frames wait per socket at most.
    pub fn start(db: Db, queue_len: usize) -> Hub {
        let hub = Hub(Arc::new(Shared {
            registry: Mutex::default(),
            next_id: AtomicU64::new(0),
            queue_len: queue_len.max(1),
            overflows: AtomicU64::new(0),
        }));
        tokio::spawn(follow(db, hub.0.clone()));
        hub
    }

    /// Joins for `agent`: every event for them committed from now on will be queued.
    pub fn join(&self, agent: AgentId) -> Subscription {
        let (queue, receiver) = mpsc::channel(self.0.queue_len);
        let id = self.0.next_id.fetch_add(1, Ordering::Relaxed);
        self.0
            .lock()
            .by_agent
            .entry(agent)
            .or_default()
            .push(Subscriber { id, queue });
        Subscription {
            hub: self.0.clone(),
            agent,
            id,
            queue: receiver,
        }
    }

    /// How many queues were dropped for being full since the start.
    pub fn overflows(&self) -> u64 {
        self.0.overflows.load(Ordering::Relaxed)
    }
}

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, Registry> {
        // The registry is left whole by every operation on it, even one that panicked.
        self.registry.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Queues `frame` for these agents' sockets; drops the queues that are full or closed.
    fn deliver(&self, frame: &Queued, audience: &[AgentId]) {
        let mut registry = self.lock();
        for agent in audience {
            registry.keep(*agent, |subscriber| {
                match subscriber.queue.try_send(frame.clone()) {
                    Ok(()) => true,
                    Err(mpsc::error::TrySendError::Full(_)) => {
                        self.overflows.fetch_add(1, Ordering::Relaxed);
                        false
                    }
                    Err(mpsc::error::TrySendError::Closed(_)) => false,
                }
            });
        }
    }

    /// Whether the agent has a socket here.
    fn listening(&self, agent: AgentId) -> bool {
        self.lock().by_agent.contains_key(&agent)
    }

    /// Every socket goes back to the log.
    fn drop_all(&self) {
        self.lock().by_agent.clear();
    }
}

impl Subscription {
    /// The next queued frame; `None` once the hub dropped this queue and it is empty.
    pub async fn recv(&mut self) -> Option<Queued> {
        self.queue.recv().await
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        self.hub
            .lock()
            .keep(self.agent, |subscriber| subscriber.id != self.id);
    }
}

fn shared(event: EventFrame) -> Queued {
    Arc::new(Frame {
        seq: event.seq,
        text: event.text.into(),
    })
}

/// Reads every event once as the head moves, until the server shuts down.
async fn follow(db: Db, hub: Arc<Shared>) {
    let mut head = db.subscribe();
    let mut cursor = *head.borrow_and_update();
    loop {
        match read_and_deliver(&db, &hub, cursor).await {
            Ok(read_to) => cursor = read_to,
            Err(error) => {
                // Keep the cursor and try again; meanwhile the sockets read the log themselves.
                tracing::warn!(%error, "the feed's hub could not read the log");
                hub.drop_all();
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        }
        if head.changed().await.is_err() {
            return;
        }
        head.borrow_and_update();
    }
}

/// Delivers the events after `cursor` up to the head; the seq read up to.
async fn read_and_deliver(db: &Db, hub: &Shared, mut cursor: Seq) -> AppResult<Seq> {
    loop {
        let mut snapshot = db.snapshot().await?;
        let head = events::head(&mut snapshot).await?;
        if cursor < events::floor(&mut snapshot).await? {
            // Pruned before it was read (the hub stalled): the sockets resync from the log.
            snapshot.commit().await?;
            hub.drop_all();
            return Ok(head);
        }
        let batch = events::after_with_audience(&mut snapshot, cursor, BATCH).await?;
        // Counts only for agents listening now: one who joins later reads the row itself.
        let rows = batch.iter().map(|(row, audience)| (row, &audience[..]));
        let mut counts =
            feed_counts::frames(&mut snapshot, rows, |agent| hub.listening(agent)).await?;
        snapshot.commit().await?;
        let full = batch.len() == BATCH as usize;
        for (row, audience) in batch {
            cursor = row.seq();
            match row {
                Logged::Event(event) => hub.deliver(&shared(event), &audience),
                Logged::CountsMoved { seq, .. } => {
                    for agent in audience {
                        if let Entry::Occupied(told) = counts.entry(agent)
                            && told.get().seq == seq
                        {
                            hub.deliver(&shared(told.remove()), &[agent]);
                        }
                    }
                }
            }
        }
        if !full {
            return Ok(cursor.max(head));
        }
    }
}
