//! Starting a conversation (the "New conversation" form): what the agent fills in, the
//! contacts that match what they type in "To", the entry points and templates of the chosen
//! channel, and sending it. The form shows this and calls [`Starting::submit`].

use super::choices;
use crate::api::{Api, use_api};
use crate::i18n::{I18n, use_i18n};
use crate::state::{Store, use_store};
use leptos::prelude::*;
use leptos::task::spawn_local;
use switchboard_protocol::api::{SendMessage, StartConversation, Started};
use switchboard_protocol::templates::{Template, TemplateUse};
use switchboard_protocol::{Channel, ClientId, Contact, ConversationId, InboxId};

#[derive(Clone, Copy)]
pub struct Starting {
    api: Api,
    store: Store,
    i18n: I18n,
    pub channel: RwSignal<Channel>,
    pub to: RwSignal<String>,
    pub from: RwSignal<Option<InboxId>>,
    pub name: RwSignal<String>,
    pub subject: RwSignal<String>,
    pub text: RwSignal<String>,
    /// The chosen template (WhatsApp) by name, and its values.
    pub template: RwSignal<Option<String>>,
    pub values: RwSignal<Vec<String>>,
    pub templates: RwSignal<Vec<Template>>,
    pub suggestions: RwSignal<Vec<Contact>>,
    pub busy: RwSignal<bool>,
    pub error: RwSignal<Option<String>>,
    /// The message is kept across retries: the same request twice sends once.
    client_id: StoredValue<ClientId>,
}

impl Starting {
    pub fn new() -> Starting {
        let starting = Starting {
            api: use_api(),
            store: use_store(),
            i18n: use_i18n(),
            channel: RwSignal::new(Channel::Sms),
            to: RwSignal::new(String::new()),
            from: RwSignal::new(None),
            name: RwSignal::new(String::new()),
            subject: RwSignal::new(String::new()),
            text: RwSignal::new(String::new()),
            template: RwSignal::new(None),
            values: RwSignal::new(Vec::new()),
            templates: RwSignal::new(Vec::new()),
            suggestions: RwSignal::new(Vec::new()),
            busy: RwSignal::new(false),
            error: RwSignal::new(None),
            client_id: StoredValue::new(ClientId(uuid::Uuid::new_v4())),
        };
        // A channel's first entry point is the one it goes from, unless the agent picks another.
        Effect::new(move |_| {
            let channel = starting.channel.get();
            let first = starting
                .store
                .with(|s| choices::entry_points(s, channel).first().map(|i| i.id));
            starting.from.set(first);
            starting.template.set(None);
            starting.suggestions.set(Vec::new());
        });
        // WhatsApp opens with a template: the entry point's approved ones.
        Effect::new(move |_| {
            starting.templates.set(Vec::new());
            let (Channel::Whatsapp, Some(inbox)) = (starting.channel.get(), starting.from.get())
            else {
                return;
            };
            let api = starting.api;
            let i18n = starting.i18n;
            spawn_local(async move {
                match api.templates(inbox).await {
                    Ok(list) if starting.from.get_untracked() == Some(inbox) => {
                        starting.templates.set(list);
                    }
                    Ok(_) => {}
                    Err(failure) => starting.error.set(Some(failure.describe(i18n.t()))),
                }
            });
        });
        // Contacts matching what is typed in "To", from three characters on.
        Effect::new(move |_| {
            let query = starting.to.get();
            let channel = starting.channel.get_untracked();
            if query.trim().chars().count() < 3 {
                starting.suggestions.set(Vec::new());
                return;
            }
            let api = starting.api;
            spawn_local(async move {
                if let Ok(found) = api.contacts(channel, query.trim()).await
                    && starting.to.get_untracked() == query
                {
                    starting.suggestions.set(found.items);
                }
            });
        });
        starting
    }

    /// The chosen template, if the channel takes one.
    pub fn chosen_template(&self) -> Option<Template> {
        let name = self.template.get()?;
        self.templates
            .with(|t| t.iter().find(|t| t.name == name).cloned())
    }

    pub fn pick_template(&self, name: Option<String>) {
        let count = name
            .as_ref()
            .and_then(|name| {
                self.templates
                    .with_untracked(|t| t.iter().find(|t| &t.name == name).cloned())
            })
            .map_or(0, |t| t.placeholders().len());
        self.values.set(vec![String::new(); count]);
        self.template.set(name);
    }

    pub fn pick_contact(&self, contact: &Contact) {
        self.to.set(contact.handle.clone());
        self.name.set(contact.name.clone().unwrap_or_default());
        self.suggestions.set(Vec::new());
    }

    /// Sends it; on success calls `opened` with the conversation to open, and whether it was
    /// one that existed.
    pub fn submit(&self, opened: Callback<(ConversationId, bool)>) {
        if self.busy.get_untracked() {
            return;
        }
        let this = *self;
        let Some(from) = this.from.get_untracked() else {
            this.error
                .set(Some(this.i18n.t().error("no_entry_point", "")));
            return;
        };
        let channel = this.channel.get_untracked();
        let template = this.template.get_untracked().and_then(|name| {
            this.templates.with_untracked(|list| {
                list.iter().find(|t| t.name == name).map(|t| TemplateUse {
                    name: t.name.clone(),
                    language: t.language.clone(),
                    params: this.values.get_untracked(),
                })
            })
        });
        let optional = |signal: RwSignal<String>| {
            let text = signal.get_untracked();
            (!text.trim().is_empty()).then(|| text.trim().to_owned())
        };
        let request = StartConversation {
            channel,
            to: this.to.get_untracked(),
            from,
            name: optional(this.name),
            subject: optional(this.subject).filter(|_| channel == Channel::Email),
            message: SendMessage {
                client_id: this.client_id.get_value(),
                text: this.text.get_untracked(),
                human_agent: false,
                template,
                note: false,
                attachments: Vec::new(),
            },
        };
        this.busy.set(true);
        this.error.set(None);
        spawn_local(async move {
            let answer = this.api.start_conversation(&request).await;
            this.busy.set(false);
            match answer {
                Ok(Started {
                    entry,
                    message,
                    existing,
                }) => {
                    let id = entry.conversation.id;
                    this.store.update(|s| {
                        let seq = s.last_seq.unwrap_or_default();
                        s.apply_entry(entry, seq);
                        if let Some(message) = message {
                            s.apply_sent(message);
                        }
                    });
                    this.client_id.set_value(ClientId(uuid::Uuid::new_v4()));
                    opened.run((id, existing));
                }
                Err(failure) => this.error.set(Some(failure.describe(this.i18n.t()))),
            }
        });
    }
}

impl Default for Starting {
    fn default() -> Self {
        Starting::new()
    }
}
