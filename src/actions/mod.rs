//! Working a conversation from its header: the actions (close, transfer, snooze...) sent
//! with the version the agent saw, their answer put in the store at once (the feed confirms
//! it for every other tab), a refusal that asks (a teammate's conversation, an agent who is
//! away) turned into a question, and any other failure said. Components show what this holds
//! and call [`ConversationActions::run`]; they never call the API themselves.

pub mod choices;
pub mod start;

use crate::api::{Action, Api, ApiFailure, use_api};
use crate::i18n::{I18n, use_i18n};
use crate::state::{Store, use_store};
use leptos::prelude::*;
use leptos::task::spawn_local;
use switchboard_protocol::{ConversationId, ErrorCode};

/// Which of the header's dialogs is open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Panel {
    Close,
    Transfer,
    Snooze,
    Move,
}

#[derive(Clone, Copy)]
pub struct ConversationActions {
    id: Signal<Option<ConversationId>>,
    api: Api,
    store: Store,
    i18n: I18n,
    /// The open dialog; a successful action closes it.
    pub panel: RwSignal<Option<Panel>>,
    /// An action on its way: buttons wait.
    pub busy: RwSignal<bool>,
    /// The server asks first (a teammate's conversation, an agent away): its question.
    pub question: RwSignal<Option<String>>,
    /// What went wrong with the last action, in the agent's language.
    pub error: RwSignal<Option<String>>,
    /// A short word that an action was done where nothing else shows it ("Marked as unread").
    pub notice: RwSignal<Option<&'static str>>,
}

impl ConversationActions {
    pub fn new(id: Signal<Option<ConversationId>>) -> ConversationActions {
        let actions = ConversationActions {
            id,
            api: use_api(),
            store: use_store(),
            i18n: use_i18n(),
            panel: RwSignal::new(None),
            busy: RwSignal::new(false),
            question: RwSignal::new(None),
            error: RwSignal::new(None),
            notice: RwSignal::new(None),
        };
        // Another conversation: nothing of this one's dialogs and answers stays, and what is
        // on its way for the last one no longer holds this one's buttons.
        Effect::new(move |_| {
            id.track();
            actions.panel.set(None);
            actions.question.set(None);
            actions.error.set(None);
            actions.notice.set(None);
            actions.busy.set(false);
        });
        actions
    }

    pub fn open(&self, panel: Panel) {
        self.question.set(None);
        self.error.set(None);
        self.panel.set(Some(panel));
    }

    pub fn dismiss(&self) {
        self.question.set(None);
        self.panel.set(None);
    }

    /// Sends the action for the conversation as the agent sees it now.
    pub fn run(&self, action: Action) {
        let Some(id) = self.id.get_untracked() else {
            return;
        };
        if self.busy.get_untracked() {
            return;
        }
        let this = *self;
        let version = this
            .store
            .peek(|s| s.conversations.get(&id).map(|c| c.version));
        let era = this.store.era();
        this.busy.set(true);
        this.error.set(None);
        this.notice.set(None);
        // Kept unread from now, before the server's new counts can come back by the feed and
        // the open thread reads it again.
        if action == Action::MarkUnread {
            this.store.update(|s| s.keep_unread(id));
        }
        spawn_local(async move {
            let answer = this.api.act(id, &action, version).await;
            // The agent moved on to another conversation: the store takes the answer (the feed
            // would bring it anyway), but this one's dialog and words are not about it.
            if this.id.get_untracked() != Some(id) {
                if let Ok(entry) = answer {
                    this.store.update_in_session(era, |s| {
                        let seq = s.last_seq.unwrap_or_default();
                        s.apply_entry(entry, seq);
                    });
                }
                return;
            }
            this.busy.set(false);
            match answer {
                Ok(entry) => {
                    this.store.update_in_session(era, |s| {
                        let seq = s.last_seq.unwrap_or_default();
                        s.apply_entry(entry, seq);
                    });
                    this.question.set(None);
                    this.panel.set(None);
                    if action == Action::MarkUnread {
                        this.notice.set(Some(this.i18n.w().marked_unread));
                    }
                }
                Err(failure) => {
                    if action == Action::MarkUnread {
                        this.store.update(|s| s.forget_kept_unread(id));
                    }
                    this.refused(id, &action, failure).await
                }
            }
        });
    }

    async fn refused(&self, id: ConversationId, action: &Action, failure: ApiFailure) {
        let texts = self.i18n.t();
        let asks = match &failure {
            ApiFailure::Refused { error, .. } => match error.code {
                ErrorCode::NotYours | ErrorCode::AgentUnavailable => Some(error.message.clone()),
                _ => None,
            },
            _ => None,
        };
        if let Some(server_question) = asks {
            self.question
                .set(Some(self.question_for(action, server_question)));
            return;
        }
        self.error.set(Some(failure.describe(texts)));
        // It changed since the agent looked: show them how it is now.
        let changed = matches!(&failure, ApiFailure::Refused { error, .. } if error.code == ErrorCode::ConversationChanged);
        if changed && let Ok(snapshot) = self.api.conversation(id).await {
            self.store
                .update(|s| s.apply_entry(snapshot.entry, snapshot.seq));
        }
    }

    /// The question in the agent's language (the server's sentence is English).
    fn question_for(&self, action: &Action, server_question: String) -> String {
        let words = self.i18n.w();
        self.store.peek(|s| match action {
            Action::Close(_) => s
                .conversations
                .values()
                .find(|c| Some(c.id) == self.id.get_untracked())
                .and_then(|c| c.assignee)
                .and_then(|owner| s.agent_name(owner))
                .map_or(server_question.clone(), |name| (words.not_yours)(name)),
            Action::Transfer(transfer) => match transfer.to {
                switchboard_protocol::api::TransferTarget::Agent(agent) => {
                    let availability = s
                        .statuses
                        .get(&agent)
                        .map_or(switchboard_protocol::Availability::Offline, |st| {
                            st.availability
                        });
                    s.agent_name(agent).map_or(server_question.clone(), |name| {
                        (words.unavailable)(name, availability)
                    })
                }
                _ => server_question.clone(),
            },
            _ => server_question.clone(),
        })
    }
}

/// The agent's own availability: what they see in the top bar and choose there.
#[derive(Clone, Copy)]
pub struct MyAvailability {
    api: Api,
    store: Store,
    i18n: I18n,
    pub error: RwSignal<Option<String>>,
}

impl MyAvailability {
    pub fn new() -> MyAvailability {
        let mine = MyAvailability {
            api: use_api(),
            store: use_store(),
            i18n: use_i18n(),
            error: RwSignal::new(None),
        };
        // A page that loads no workspace of its own (Settings) still shows the truth; the
        // inbox's loader brings it there, once.
        let known = use_context::<crate::workspace::WorkspaceLoader>().is_some()
            || mine.store.peek(|s| {
                s.me.as_ref()
                    .is_some_and(|me| s.statuses.contains_key(&me.id))
            });
        if !known {
            spawn_local(async move {
                if let Ok(workspace) = mine.api.workspace().await {
                    mine.store.update(|s| s.set_statuses(workspace.statuses));
                }
            });
        }
        mine
    }

    /// As teammates see it; Available until the server said otherwise.
    pub fn current(&self) -> switchboard_protocol::Availability {
        self.store.with(|s| {
            s.me.as_ref()
                .and_then(|me| s.statuses.get(&me.id))
                .map_or(switchboard_protocol::Availability::Available, |st| {
                    st.availability
                })
        })
    }

    pub fn choose(&self, availability: switchboard_protocol::Availability) {
        let this = *self;
        this.error.set(None);
        spawn_local(async move {
            match this.api.set_availability(availability).await {
                Ok(status) => this.store.update(|s| s.set_status(status)),
                Err(failure) => this.error.set(Some(failure.describe(this.i18n.t()))),
            }
        });
    }
}

impl Default for MyAvailability {
    fn default() -> Self {
        MyAvailability::new()
    }
}
