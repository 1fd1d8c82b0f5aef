//! The open conversation, as plain modules rather than one component: loading it and its
//! pages, marking it read, following it into "Mine", what a screen reader hears, the reply's
//! context and clock, its inbox's templates and assignment. [`ConversationController`] wires
//! them for one route; `pages/thread.rs` renders what it exposes.

mod announcer;
mod following;
mod heading;
mod lines;
mod loader;
mod reading;
mod reply;
mod templates;

pub use announcer::{newest_news, worth_saying};
pub use following::is_mine;
pub use heading::heading_of;
pub use lines::{LineCache, thread_lines};
pub use loader::{LoadProblem, first_problem};
pub use reading::should_mark;
pub use reply::reply_context_of;
pub use templates::template_inbox;

use crate::actions::{ConversationActions, choices};
use crate::api::use_api;
use crate::app::{PageVisible, use_clock, use_page_visible, view_path};
use crate::components::{ActionContext, Heading, ThreadLine};
use crate::compose::guard::OthersNewest;
use crate::i18n::{I18n, use_i18n};
use crate::outbox::{Outbox, use_outbox};
use crate::session::{SessionStatus, use_session};
use crate::state::{Outgoing, Store, Topic, use_store};
use leptos::prelude::*;
use loader::Loader;
use reply::ReplyWindow;
use std::sync::Arc;
use switchboard_protocol::rules::Situation;
use switchboard_protocol::{
    AgentId, Channel, ClientId, ConversationId, Direction, MessageId, ThreadItem, View,
};
use templates::InboxTemplates;

#[derive(Clone, Copy)]
pub struct ConversationController {
    pub id: Memo<Option<ConversationId>>,
    /// The tab it was opened from.
    pub view: Memo<View>,
    pub loader: Loader,
    pub heading: Memo<Option<Heading>>,
    pub lines: Memo<Vec<Arc<ThreadLine>>>,
    pub reached_start: Memo<bool>,
    /// Others' newest message, for the reply guard (`None` until the thread is loaded).
    pub others_newest: Memo<Option<Option<OthersNewest>>>,
    /// What the live region says.
    pub announcement: ReadSignal<String>,
    /// The composer's conversation and channel: a new one gets a fresh composer.
    pub composing: Memo<Option<(Channel, ConversationId)>>,
    /// Whose drafts the composer keeps (known before the workspace loads).
    pub keep_for: Option<AgentId>,
    pub reply: ReplyWindow,
    pub templates: InboxTemplates,
    /// The header's actions (close, transfer, snooze...) and what they offer.
    pub actions: ConversationActions,
    pub action_context: Memo<Option<ActionContext>>,
    store: Store,
    outbox: Outbox,
    i18n: I18n,
}

impl ConversationController {
    /// For the conversation `id` opened from the tab `view` (both from the route).
    pub fn new(id: Memo<Option<ConversationId>>, view: Memo<View>) -> ConversationController {
        let (i18n, api, store, clock) = (use_i18n(), use_api(), use_store(), use_clock());
        let PageVisible(visible) = use_page_visible();

        let loader = Loader::new(store, api, id);
        // Where the unread part began when the agent opened it: kept while it stays open.
        let unread_from = RwSignal::new(None::<(ConversationId, MessageId)>);
        Effect::new(move |_| {
            let id = id.get();
            if unread_from.with_untracked(|from| from.map(|(c, _)| c)) != id {
                unread_from.set(None);
            }
        });
        reading::mark_read_while_seen(store, api, id, visible, unread_from);
        following::follow_into_mine(store, id, view);

        let heading = Memo::new(move |_| {
            id.get()
                .and_then(|id| store.with_conversation(id, |s| heading_of(s, id)))
        });
        // What the last lines were built from: an unchanged item keeps its line.
        let cache = StoredValue::new_local((None::<ConversationId>, LineCache::default()));
        let lines = Memo::new(move |_| {
            let Some(id) = id.get() else {
                return Vec::new();
            };
            let texts = i18n.t();
            let now = clock.0.get();
            let from = unread_from.get().filter(|(c, _)| *c == id).map(|(_, m)| m);
            // Names, and whether a failed message may go again, come from the conversation.
            let topics = [Topic::Thread(id), Topic::Row(id), Topic::Meta];
            store.read(&topics, |s| {
                cache
                    .try_update_value(|(cached_for, cache)| {
                        if *cached_for != Some(id) {
                            *cache = LineCache::default();
                            *cached_for = Some(id);
                        }
                        s.threads
                            .get(&id)
                            .map(|t| thread_lines(t, s, texts, now, from, cache))
                            .unwrap_or_default()
                    })
                    .unwrap_or_default()
            })
        });
        let reached_start = Memo::new(move |_| {
            id.get().is_some_and(|id| {
                store.read(&[Topic::Thread(id)], |s| {
                    s.threads.get(&id).is_some_and(|t| t.reached_start)
                })
            })
        });
        let others_newest = Memo::new(move |_| {
            let id = id.get()?;
            let texts = i18n.t();
            store.read(&[Topic::Thread(id), Topic::Row(id), Topic::Meta], |s| {
                // Known once both the page and the conversation (who the customer is) are.
                let thread = s.threads.get(&id).filter(|t| t.loaded)?;
                let customer = s.conversations.get(&id)?.contact.display_name();
                Some(others_newest_of(thread, s, customer, texts.a_teammate))
            })
        });
        let announcement = announcer::announce(i18n, id, lines, heading);
        let composing = Memo::new(move |_| {
            heading
                .with(|h| h.as_ref().map(|h| h.channel))
                .zip(id.get())
        });
        let keep_for = match use_session().status.get_untracked() {
            SessionStatus::LoggedIn(agent) => Some(agent.id),
            _ => None,
        };

        ConversationController {
            id,
            view,
            loader,
            heading,
            lines,
            reached_start,
            others_newest,
            announcement,
            composing,
            keep_for,
            reply: ReplyWindow::new(store, id),
            templates: InboxTemplates::new(store, api, id),
            actions: ConversationActions::new(id.into()),
            action_context: Memo::new(move |_| {
                let id = id.get()?;
                store.with_conversation(id, |s| {
                    let conversation = s.conversations.get(&id)?.clone();
                    let (agents, teams) = choices::transfer_choices(s, &conversation);
                    Some(ActionContext {
                        me: s.me.as_ref().map(|a| a.id),
                        agents,
                        teams,
                        reasons: choices::reasons(s),
                        move_targets: choices::move_targets(s, &conversation),
                        conversation,
                    })
                })
            }),
            store,
            outbox: use_outbox(),
            i18n,
        }
    }

    /// The list to go back to.
    pub fn back_to(&self) -> String {
        view_path(self.view.get())
    }

    /// What the thread says could not be loaded.
    pub fn load_problem(&self) -> Option<String> {
        self.loader.problem().map(|p| p.text(self.i18n.t()))
    }

    pub fn templates_problem(&self) -> Option<String> {
        self.templates.problem(self.i18n.t())
    }

    /// The situation the composer checks against, before the conversation is known too.
    pub fn situation(&self, channel: Channel) -> Signal<Situation> {
        let reply = self.reply;
        Signal::derive(move || {
            reply.situation.get().unwrap_or(Situation {
                channel,
                last_inbound_at: None,
                unanswered: 0,
                opted_out: false,
                now: reply.now.get(),
            })
        })
    }

    pub fn send(&self, id: ConversationId, outgoing: Outgoing) {
        self.outbox.send(self.store, id, outgoing);
    }

    /// Sends again a reply the server refused.
    pub fn retry_send(&self, client_id: ClientId) {
        if let Some(id) = self.id.get_untracked() {
            self.outbox.retry(self.store, id, client_id);
        }
    }
}

/// The newest message of the thread the customer or a teammate wrote (a note too), named.
fn others_newest_of(
    thread: &crate::state::Thread,
    state: &crate::state::State,
    customer: &str,
    a_teammate: &str,
) -> Option<OthersNewest> {
    let me = state.me.as_ref().map(|a| a.id);
    thread.items().rev().find_map(|item| {
        let ThreadItem::Message(message) = &**item else {
            return None;
        };
        let author = match (message.direction, message.author) {
            (Direction::In, _) => customer,
            (_, Some(agent)) if Some(agent) != me => state.agent_name(agent).unwrap_or(a_teammate),
            _ => return None,
        };
        Some(OthersNewest {
            id: message.id,
            author: author.to_owned(),
        })
    })
}

#[cfg(test)]
mod tests;
