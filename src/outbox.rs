//! Sending replies and notes. Each shows in the thread at once and is kept in the browser until
//! the server confirms it, so neither a reload nor a lost connection loses a word. They go one
//! at a time, oldest first, each with its `client_id`, so sending one again can never store it
//! twice. Offline they wait their turn and go when the server can be reached again; the
//! server's own trouble is tried a few times; a refusal stays, with its reason and a retry.

use crate::api::{Api, ApiFailure};
use crate::i18n::I18n;
use crate::session::Session;
use crate::state::{Outgoing, PendingState, Store, Topic, Unsent};
use futures::StreamExt;
use futures::channel::mpsc::{UnboundedReceiver, UnboundedSender, unbounded};
use futures::future::{Either, select};
use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::collections::HashSet;
use switchboard_protocol::api::SendMessage;
use switchboard_protocol::{AgentId, ClientId, ConversationId, Message};

/// Tries before a server error (5xx, 429) becomes a failure the agent sees.
const SERVER_TRIES: u32 = 6;
/// The longest wait between two tries while the server cannot be reached.
const MAX_WAIT_MS: u32 = 15_000;
/// A send not answered by then is treated as lost in the network.
const SEND_TIMEOUT_MS: u32 = 30_000;

/// Each reply is kept under its own key, so two tabs of the same agent never overwrite each
/// other's: a tab removes only the replies it saw confirmed.
fn kept_prefix(agent: AgentId) -> String {
    format!("sb.unsent.{agent}.")
}

fn kept_key(agent: AgentId, client_id: ClientId) -> String {
    format!("{}{client_id}", kept_prefix(agent))
}

fn load_kept(agent: AgentId) -> Vec<Unsent> {
    let mut kept: Vec<Unsent> = crate::browser::local_storage_keys(&kept_prefix(agent))
        .iter()
        .filter_map(|key| crate::browser::local_storage_get(key))
        .filter_map(|json| serde_json::from_str(&json).ok())
        .collect();
    kept.sort_by_key(|u| (u.created_at, u.client_id.0));
    kept
}

/// The queue's doorbell: rung when there is something new to send or a reason to try again.
#[derive(Clone, Copy)]
pub struct Outbox {
    bell: StoredValue<Option<UnboundedSender<()>>>,
}

impl Outbox {
    pub fn new() -> Outbox {
        Outbox {
            bell: StoredValue::new(None),
        }
    }

    /// Asks the sender to look at the queue now (a new reply, the connection is back).
    pub fn ring(&self) {
        self.bell.with_value(|bell| {
            if let Some(bell) = bell {
                let _ = bell.unbounded_send(());
            }
        });
    }

    /// Shows a new reply at once and queues it.
    pub fn send(&self, store: Store, conversation: ConversationId, outgoing: Outgoing) {
        let client_id = ClientId(uuid::Uuid::new_v4());
        store.update(|s| s.add_pending(conversation, client_id, outgoing, chrono::Utc::now()));
        self.ring();
    }

    /// Queues a refused reply again, with its `client_id`.
    pub fn retry(&self, store: Store, conversation: ConversationId, client_id: ClientId) {
        store.update(|s| s.set_pending_state(conversation, client_id, PendingState::Sending));
        self.ring();
    }

    /// Starts sending for `agent`'s session: what an earlier visit left unsent comes back first,
    /// and the browser keeps a copy of the queue from then on. Ends with the session.
    pub fn start(&self, store: Store, api: Api, i18n: I18n, session: Session, agent: AgentId) {
        let kept = load_kept(agent);
        let written = StoredValue::new(kept.iter().map(|u| u.client_id).collect::<HashSet<_>>());
        store.update(|s| s.restore_unsent(agent, kept));

        let unsent = Memo::new(move |_| {
            store.read(&[Topic::Unsent], |s| {
                (s.unsent_of == Some(agent)).then(|| s.unsent())
            })
        });
        Effect::new(move |_| {
            let Some(unsent) = unsent.get() else { return };
            let now: HashSet<ClientId> = unsent.iter().map(|u| u.client_id).collect();
            for reply in &unsent {
                if let Ok(json) = serde_json::to_string(reply) {
                    crate::browser::local_storage_set(&kept_key(agent, reply.client_id), &json);
                }
            }
            written.update_value(|written| {
                for gone in written.difference(&now) {
                    crate::browser::local_storage_remove(&kept_key(agent, *gone));
                }
                *written = now;
            });
        });

        let (bell, doorbell) = unbounded();
        self.bell.set_value(Some(bell));
        let epoch = session.epoch.get_untracked();
        spawn_local(run(store, api, i18n, session, epoch, doorbell));
    }
}

impl Default for Outbox {
    fn default() -> Self {
        Outbox::new()
    }
}

pub fn use_outbox() -> Outbox {
    expect_context::<Outbox>()
}

/// Waits until the doorbell rings or `ms` pass.
async fn wait(doorbell: &mut UnboundedReceiver<()>, ms: u32) {
    let rung = doorbell.next();
    let timer = TimeoutFuture::new(ms);
    if let Either::Left(_) = select(rung, timer).await {
        // Several rings while busy mean the same thing: look at the queue once.
        while doorbell.try_recv().is_ok() {}
    }
}

async fn run(
    store: Store,
    api: Api,
    i18n: I18n,
    session: Session,
    epoch: u64,
    mut doorbell: UnboundedReceiver<()>,
) {
    let mut server_tries = 0;
    let mut offline_tries = 0;
    loop {
        if session.epoch.get_untracked() != epoch {
            return;
        }
        let Some(next) = store.peek(|s| s.next_unsent()) else {
            // Nothing to send; look up now and then to notice the session ending.
            wait(&mut doorbell, 1_000).await;
            continue;
        };
        let era = store.era();
        // A request that hangs must not hold the queue: after a while it counts as lost (the
        // `client_id` makes sending it again safe).
        let sent = match select(
            Box::pin(api.send(next.conversation, &request(&next))),
            TimeoutFuture::new(SEND_TIMEOUT_MS),
        )
        .await
        {
            Either::Left((sent, _)) => sent,
            Either::Right(_) => Err(ApiFailure::Network),
        };
        match sent {
            Ok(message) => {
                (server_tries, offline_tries) = (0, 0);
                store.update_in_session(era, |s| s.apply_sent(message));
            }
            // The session ended: the browser keeps the queue for the agent's next login.
            Err(failure) if failure.is_unauthenticated() => return,
            Err(ApiFailure::Network) => {
                store.update_in_session(era, |s| {
                    s.set_pending_state(next.conversation, next.client_id, PendingState::Waiting);
                });
                offline_tries += 1;
                wait(&mut doorbell, backoff_ms(offline_tries)).await;
            }
            Err(failure) if failure.is_transient() && server_tries + 1 < SERVER_TRIES => {
                // The server's own trouble: wait the whole pause, whatever rings meanwhile.
                server_tries += 1;
                TimeoutFuture::new(backoff_ms(server_tries)).await;
            }
            Err(failure) => {
                server_tries = 0;
                let reason = failure.describe(i18n.locale.get_untracked().texts());
                store.update_in_session(era, |s| {
                    s.set_pending_state(
                        next.conversation,
                        next.client_id,
                        PendingState::Failed { reason },
                    );
                });
            }
        }
    }
}

fn request(unsent: &Unsent) -> SendMessage {
    SendMessage {
        client_id: unsent.client_id,
        text: unsent.outgoing.text.clone(),
        human_agent: unsent.outgoing.human_agent,
        template: unsent.outgoing.template.clone(),
        note: unsent.outgoing.note,
        attachments: unsent.outgoing.attachments.iter().map(|a| a.id).collect(),
    }
}

/// 1 s, 2 s, 4 s... up to [`MAX_WAIT_MS`].
fn backoff_ms(tries: u32) -> u32 {
    (1_000u32 << tries.min(4)).min(MAX_WAIT_MS)
}

/// Sends a message the provider could not deliver again. Why not, in the agent's language,
/// when the server refuses.
pub async fn send_again(
    store: Store,
    api: Api,
    i18n: I18n,
    message: &Message,
) -> Result<(), String> {
    let era = store.era();
    match api.send_again(message.conversation_id, message.id).await {
        Ok(updated) => {
            store.update_in_session(era, |s| s.apply_sent(updated));
            Ok(())
        }
        Err(failure) => Err(failure.describe(i18n.locale.get_untracked().texts())),
    }
}
