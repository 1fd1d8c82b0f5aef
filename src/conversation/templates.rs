//! The approved templates of the open conversation's inbox, for channels where only templates
//! may go once the window closes. A failure is kept for the template picker to say.

use crate::api::{Api, ApiFailure};
use crate::i18n::Texts;
use crate::state::{State, Store};
use leptos::prelude::*;
use leptos::task::spawn_local;
use switchboard_protocol::rules::Outside;
use switchboard_protocol::templates::Template;
use switchboard_protocol::{ConversationId, InboxId};

/// The inbox whose templates a conversation may need: only channels that fall back to them.
pub fn template_inbox(state: &State, id: ConversationId) -> Option<InboxId> {
    state
        .conversations
        .get(&id)
        .filter(|c| c.channel.rules().outside_window == Outside::TemplatesOnly)
        .map(|c| c.inbox_id)
}

#[derive(Clone, Copy)]
pub struct InboxTemplates {
    pub list: RwSignal<Vec<Template>>,
    failure: RwSignal<Option<ApiFailure>>,
    inbox: Memo<Option<InboxId>>,
    api: Api,
}

impl InboxTemplates {
    pub fn new(store: Store, api: Api, id: Memo<Option<ConversationId>>) -> InboxTemplates {
        let inbox = Memo::new(move |_| {
            id.get()
                .and_then(|id| store.with_conversation(id, |s| template_inbox(s, id)))
        });
        let templates = InboxTemplates {
            list: RwSignal::new(Vec::new()),
            failure: RwSignal::new(None),
            inbox,
            api,
        };
        Effect::new(move |_| {
            templates.list.set(Vec::new());
            templates.failure.set(None);
            if let Some(inbox) = inbox.get() {
                templates.fetch(inbox);
            }
        });
        templates
    }

    /// Why they could not be loaded, in the agent's words.
    pub fn problem(&self, texts: &Texts) -> Option<String> {
        self.failure.with(|failure| {
            failure
                .as_ref()
                .map(|f| f.explain(texts.templates_load_failed, texts))
        })
    }

    pub fn reload(&self) {
        if let Some(inbox) = self.inbox.get_untracked() {
            self.failure.set(None);
            self.fetch(inbox);
        }
    }

    fn fetch(&self, inbox: InboxId) {
        let (this, api) = (*self, self.api);
        spawn_local(async move {
            let answer = api.templates(inbox).await;
            // Another conversation (another inbox) may be open by now.
            if this.inbox.get_untracked() != Some(inbox) {
                return;
            }
            match answer {
                Ok(list) => this.list.set(list),
                Err(failure) => this.failure.set(Some(failure)),
            }
        });
    }
}
