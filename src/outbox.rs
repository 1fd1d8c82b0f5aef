//! Sending replies: shown at once as `sending`, posted with a `client_id` so a retry can
//! never send twice, retried on their own while the network or the server is the trouble,
//! and kept with a reason (and a retry button) when they cannot go.

use crate::api::Api;
use crate::i18n::I18n;
use crate::state::{Outgoing, PendingState, Store};
use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;
use switchboard_protocol::api::SendMessage;
use switchboard_protocol::{ClientId, ConversationId, Message};

const AUTOMATIC_TRIES: u32 = 6;

pub fn send(store: Store, api: Api, i18n: I18n, conversation: ConversationId, outgoing: Outgoing) {
    let client_id = ClientId(uuid::Uuid::new_v4());
    store.update(|s| {
        s.threads.entry(conversation).or_default().add_pending(
            client_id,
            outgoing.clone(),
            chrono::Utc::now(),
        );
    });
    spawn_local(deliver(store, api, i18n, conversation, client_id, outgoing));
}

/// Tries a failed reply again, with the same `client_id`.
pub fn retry(
    store: Store,
    api: Api,
    i18n: I18n,
    conversation: ConversationId,
    client_id: ClientId,
) {
    let outgoing = store.peek(|s| {
        s.threads
            .get(&conversation)
            .and_then(|t| t.pending(client_id))
            .map(|p| p.outgoing.clone())
    });
    let Some(outgoing) = outgoing else { return };
    store.update(|s| {
        if let Some(thread) = s.threads.get_mut(&conversation) {
            thread.set_pending_state(client_id, PendingState::Sending);
        }
    });
    spawn_local(deliver(store, api, i18n, conversation, client_id, outgoing));
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

async fn deliver(
    store: Store,
    api: Api,
    i18n: I18n,
    conversation: ConversationId,
    client_id: ClientId,
    outgoing: Outgoing,
) {
    // A reply belongs to the session that wrote it: after a logout (or another agent's login in
    // this browser) it must not go out with someone else's credentials.
    let era = store.era();
    let request = SendMessage {
        client_id,
        text: outgoing.text,
        human_agent: outgoing.human_agent,
        template: outgoing.template,
    };
    let mut tries = 0;
    loop {
        if !store.era().same_session(era) {
            return;
        }
        tries += 1;
        match api.send(conversation, &request).await {
            Ok(message) => {
                store.update_in_session(era, |s| s.apply_sent(message));
                return;
            }
            Err(failure) if failure.is_transient() && tries < AUTOMATIC_TRIES => {
                TimeoutFuture::new(1_000 * 2u32.pow(tries.min(4))).await;
            }
            Err(failure) => {
                let reason = failure.describe(i18n.locale.get_untracked().texts());
                store.update_in_session(era, |s| {
                    if let Some(thread) = s.threads.get_mut(&conversation) {
                        thread.set_pending_state(client_id, PendingState::Failed { reason });
                    }
                });
                return;
            }
        }
    }
}
