use crate::api::use_api;
use crate::app::{PageVisible, conversation_path, use_clock, use_page_visible, view_path};
use crate::components::{
    Avatar, ChannelIcon, Composer, FailureLine, Icon, MessageList, ThreadLine, icons,
};
use crate::compose::ReplyContext;
use crate::i18n::{EventWords, Texts, use_i18n};
use crate::outbox::use_outbox;
use crate::session::{SessionStatus, use_session};
use crate::state::{Entry, State, use_store};
use chrono::{DateTime, Local, Utc};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_params_map};
use switchboard_protocol::failures::{FailureKind, check_retry};
use switchboard_protocol::rules::{Outside, Situation};
use switchboard_protocol::templates::Template;
use switchboard_protocol::{
    AgentId, Channel, ConversationEvent, ConversationId, ConversationStatus, Direction, Message,
    MessageId, MessageStatus, ThreadItem, View,
};

/// The thread as lines to show: day headings between days, names resolved, texts translated.
pub fn thread_lines(
    entries: &[Entry],
    state: &State,
    texts: &Texts,
    now: DateTime<Utc>,
) -> Vec<ThreadLine> {
    let me = state.me.as_ref().map(|a| a.id);
    let name = |id: Option<AgentId>| id.and_then(|id| state.agent_name(id)).map(str::to_owned);
    let mut lines = Vec::with_capacity(entries.len() + 4);
    let mut last_day = None;
    for entry in entries {
        let at = match entry {
            Entry::Item(item) => item.created_at(),
            Entry::Pending(pending) => pending.created_at,
        };
        let day = at.with_timezone(&Local).date_naive();
        if last_day != Some(day) {
            lines.push(ThreadLine::Day(texts.day_heading(at, now)));
            last_day = Some(day);
        }
        lines.push(match entry {
            Entry::Item(ThreadItem::Message(message)) => ThreadLine::Message {
                author: name(message.author.filter(|a| Some(*a) != me)),
                failure: failure_line(state, message, now),
                message: message.clone(),
            },
            Entry::Item(ThreadItem::Event(event)) => ThreadLine::Event {
                id: event.id.0,
                text: event_text(event, state, texts, now),
                at: event.created_at,
            },
            Entry::Pending(pending) => ThreadLine::Pending(pending.clone()),
        });
    }
    lines
}

/// An event of the timeline in words: who did it, to whom, why, in the agent's language.
pub fn event_text(
    event: &ConversationEvent,
    state: &State,
    texts: &Texts,
    now: DateTime<Utc>,
) -> String {
    let agent = |id: Option<AgentId>| id.and_then(|id| state.agent_name(id));
    let details = &event.details;
    let until = details.until.map(|at| texts.moment(at, now));
    (texts.event_text)(&EventWords {
        kind: Some(event.kind),
        actor: agent(event.actor),
        agent: agent(event.agent),
        from_agent: agent(details.from_agent),
        team: details.team.and_then(|t| state.team_name(t)),
        note: details.note.as_deref(),
        reason: details.reason.as_deref(),
        summary: details.summary.as_deref(),
        until: until.as_deref(),
        from_inbox: details.from_inbox.and_then(|i| state.inbox_name(i)),
        to_inbox: details.to_inbox.and_then(|i| state.inbox_name(i)),
        cause: details.cause,
    })
}

/// What a failed message says about its failure, and whether it may be sent again now.
fn failure_line(state: &State, message: &Message, now: DateTime<Utc>) -> Option<FailureLine> {
    let failure = message.failure.as_ref()?;
    if message.status != Some(MessageStatus::Failed) {
        return None;
    }
    let situation = state
        .conversations
        .get(&message.conversation_id)
        .map(|c| c.situation(now));
    let channel = situation.map_or(Channel::Sms, |s| s.channel);
    Some(FailureLine {
        kind: FailureKind::of(channel, failure),
        detail: format!(
            "{}: {} ({})",
            channel.display_name(),
            failure.reason,
            failure.code
        ),
        retry: situation.is_some_and(|s| check_retry(&s, message).is_ok()),
    })
}

/// What the thread's header shows.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Header {
    name: String,
    name_is_handle: bool,
    handle: String,
    channel: Channel,
    inbox: Option<(String, String)>,
    status: ConversationStatus,
    /// `None`: unassigned; `Some(None)`: me; `Some(Some(name))`: a teammate.
    assignee: Option<Option<String>>,
}

/// One conversation: header, thread and composer.
#[component]
pub fn ThreadPage() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let store = use_store();
    let clock = use_clock();
    let PageVisible(visible) = use_page_visible();
    let params = use_params_map();

    let id = Memo::new(move |_| {
        params
            .with(|p| p.get("id"))
            .and_then(|v| v.parse::<ConversationId>().ok())
    });
    let view = Memo::new(move |_| {
        params
            .with(|p| p.get("view"))
            .and_then(|v| v.parse::<View>().ok())
            .unwrap_or(View::Unassigned)
    });
    let ready = Memo::new(move |_| store.with(|s| s.last_seq.is_some()));
    let generation = Memo::new(move |_| store.with(|s| s.generation));
    let missing = RwSignal::new(false);
    let loading_older = RwSignal::new(false);

    // Fetch what the store does not hold yet: the conversation and its newest page.
    Effect::new(move |_| {
        let Some(id) = id.get() else {
            missing.set(true);
            return;
        };
        if !ready.get() {
            return;
        }
        generation.track();
        missing.set(false);
        let (known, loaded) = store.peek(|s| {
            (
                s.conversations.contains_key(&id),
                s.threads.get(&id).is_some_and(|t| t.loaded),
            )
        });
        // From here on the feed keeps this thread live, before and after its page arrives.
        store.update(|s| s.watch_thread(id));
        let era = store.era();
        if !known {
            spawn_local(async move {
                match api.conversation(id).await {
                    Ok(snapshot) => {
                        store.update_in(era, |s| s.apply_entry(snapshot.entry, snapshot.seq));
                    }
                    Err(failure) if !failure.is_transient() => missing.set(true),
                    Err(_) => {}
                }
            });
        }
        if !loaded {
            spawn_local(async move {
                if let Ok(page) = api.thread(id, None).await {
                    store.update_in(era, |s| s.apply_thread_page(id, page, true));
                }
            });
        }
    });

    // Reading it while it is on screen marks it read, up to the newest message.
    let latest = Memo::new(move |_| {
        id.get()
            .and_then(|id| store.with(|s| s.threads.get(&id).and_then(|t| t.latest_id())))
    });
    let unread = Memo::new(move |_| id.get().map_or(0, |id| store.with(|s| s.unread_of(id))));
    let marked = StoredValue::new(None::<(ConversationId, MessageId)>);
    Effect::new(move |_| {
        let (Some(id), Some(latest)) = (id.get(), latest.get()) else {
            return;
        };
        if !visible.get() || unread.get() == 0 || marked.get_value() == Some((id, latest)) {
            return;
        }
        marked.set_value(Some((id, latest)));
        store.update(|s| s.mark_read_locally(id));
        spawn_local(async move {
            let _ = api.mark_read(id, latest).await;
        });
    });

    // Someone took this conversation from the queue: if it was me, follow it to "Mine", so the
    // address and the highlighted row say where it now is.
    let navigate = use_navigate();
    let mine_now = Memo::new(move |_| {
        id.get().is_some_and(|id| {
            store.with(|s| {
                let me = s.me.as_ref().map(|a| a.id);
                s.conversations.get(&id).is_some_and(|c| {
                    c.status == ConversationStatus::Open && c.assignee.is_some() && c.assignee == me
                })
            })
        })
    });
    Effect::new(move |_| {
        if let (true, View::Unassigned, Some(id)) = (mine_now.get(), view.get(), id.get_untracked())
        {
            navigate(
                &conversation_path(View::Mine, id),
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
    });

    // What a screen reader hears as the thread changes: a customer's new message, a failure.
    let announcement = RwSignal::new(String::new());
    let heard = StoredValue::new(None::<(ConversationId, String)>);

    let header = Memo::new(move |_| {
        let id = id.get()?;
        store.with(|s| {
            let conversation = s.conversations.get(&id)?;
            let me = s.me.as_ref().map(|a| a.id);
            let name = conversation.contact.display_name().to_owned();
            Some(Header {
                name_is_handle: name == conversation.contact.handle,
                name,
                handle: conversation.contact.handle.clone(),
                channel: conversation.channel,
                inbox: s
                    .inboxes
                    .get(&conversation.inbox_id)
                    .map(|i| (i.name.clone(), i.address.clone())),
                status: conversation.status,
                assignee: conversation.assignee.map(|a| {
                    (Some(a) != me).then(|| s.agent_name(a).unwrap_or_default().to_owned())
                }),
            })
        })
    });
    let lines = Memo::new(move |_| {
        let Some(id) = id.get() else {
            return Vec::new();
        };
        let texts = i18n.t();
        let now = clock.0.get();
        store.with(|s| {
            s.threads
                .get(&id)
                .map(|t| thread_lines(&t.entries(), s, texts, now))
                .unwrap_or_default()
        })
    });
    Effect::new(move |_| {
        let Some(id) = id.get() else { return };
        let contact = header
            .with_untracked(|h| h.as_ref().map(|h| h.name.clone()))
            .unwrap_or_default();
        let texts = i18n.t();
        let news = lines.with(|lines| {
            lines.iter().rev().find_map(|line| match line {
                ThreadLine::Message { message, .. } if message.direction == Direction::In => {
                    Some((
                        format!("in:{}", message.id),
                        (texts.announce_message)(&contact, &message.text),
                    ))
                }
                ThreadLine::Message {
                    message,
                    failure: Some(failure),
                    ..
                } => Some((
                    format!("failed:{}:{}", message.id, message.attempt),
                    (texts.announce_failed)((texts.failure_kind)(failure.kind)),
                )),
                _ => None,
            })
        });
        let Some((key, text)) = news else { return };
        // The first look at a thread announces nothing; what changes after it does.
        let before = heard.get_value();
        heard.set_value(Some((id, key.clone())));
        if before.is_some_and(|(seen_id, seen_key)| seen_id == id && seen_key != key) {
            announcement.set(text);
        }
    });
    let reached_start = Memo::new(move |_| {
        id.get()
            .is_some_and(|id| store.with(|s| s.threads.get(&id).is_some_and(|t| t.reached_start)))
    });

    let older = Callback::new(move |()| {
        let Some(id) = id.get_untracked() else { return };
        let before = store.peek(|s| {
            s.threads
                .get(&id)
                .filter(|t| t.loaded && !t.reached_start)
                .and_then(|t| t.before)
        });
        let Some(before) = before else { return };
        if loading_older.get_untracked() {
            return;
        }
        loading_older.set(true);
        let era = store.era();
        spawn_local(async move {
            if let Ok(page) = api.thread(id, Some(before)).await {
                store.update_in(era, |s| s.apply_thread_page(id, page, false));
            }
            loading_older.set(false);
        });
    });
    let outbox = use_outbox();
    let retry = Callback::new(move |client_id| {
        if let Some(id) = id.get_untracked() {
            outbox.retry(store, id, client_id);
        }
    });
    let take = move |_| {
        let (Some(id), Some(me)) = (
            id.get_untracked(),
            store.peek(|s| s.me.as_ref().map(|a| a.id)),
        ) else {
            return;
        };
        let era = store.era();
        spawn_local(async move {
            if let Ok(entry) = api.assign(id, me).await {
                store.update_in(era, |s| s.upsert_conversation(entry.conversation));
            }
        });
    };
    // Drafts are the logged-in agent's (known before the workspace loads).
    let me = match use_session().status.get_untracked() {
        SessionStatus::LoggedIn(agent) => Some(agent.id),
        _ => None,
    };
    // What saved replies' variables stand for in this conversation.
    let reply_context = Memo::new(move |_| {
        let Some(id) = id.get() else {
            return ReplyContext::default();
        };
        store.with(|s| {
            let Some(conversation) = s.conversations.get(&id) else {
                return ReplyContext::default();
            };
            ReplyContext {
                inbox: Some(conversation.inbox_id),
                inbox_name: s
                    .inboxes
                    .get(&conversation.inbox_id)
                    .map(|i| i.name.clone())
                    .unwrap_or_default(),
                contact_name: conversation.contact.name.clone(),
                contact_handle: conversation.contact.handle.clone(),
                agent_name: s.me.as_ref().map(|a| a.name.clone()).unwrap_or_default(),
            }
        })
    });
    // The composer belongs to one conversation: a new one gets a fresh composer.
    let composing =
        Memo::new(move |_| header.with(|h| h.as_ref().map(|h| h.channel)).zip(id.get()));

    // Reply windows are counted down to the second while a conversation is open.
    let now = RwSignal::new(Utc::now());
    if let Ok(ticker) = set_interval_with_handle(
        move || now.set(Utc::now()),
        std::time::Duration::from_secs(1),
    ) {
        on_cleanup(move || ticker.clear());
    }
    let situation = Memo::new(move |_| {
        let id = id.get()?;
        let now = now.get();
        store.with(|s| s.conversations.get(&id).map(|c| c.situation(now)))
    });
    // The approved templates of the conversation's inbox, for channels that need them.
    let templates = RwSignal::new(Vec::<Template>::new());
    let template_inbox = Memo::new(move |_| {
        let id = id.get()?;
        store.with(|s| {
            s.conversations
                .get(&id)
                .filter(|c| c.channel.rules().outside_window == Outside::TemplatesOnly)
                .map(|c| c.inbox_id)
        })
    });
    Effect::new(move |_| {
        templates.set(Vec::new());
        let Some(inbox) = template_inbox.get() else {
            return;
        };
        spawn_local(async move {
            if let Ok(list) = api.templates(inbox).await
                && template_inbox.get_untracked() == Some(inbox)
            {
                templates.set(list);
            }
        });
    });

    view! {
        <Show
            when=move || !missing.get()
            fallback=move || view! {
                <div class="sb-placeholder" role="alert">
                    <p class="sb-placeholder__hint">{move || i18n.t().conversation_not_found}</p>
                </div>
            }
        >
            <article class="sb-conversation" data-drop-label=move || i18n.t().drop_files>
                {move || header.get().map(|h| {
                    let assignment = match h.assignee.clone() {
                        None => view! {
                            <button class="sb-button sb-button--secondary" type="button" on:click=take>
                                <Icon icon=icons::TAKE/>{move || i18n.t().assign_to_me}
                            </button>
                        }.into_any(),
                        Some(None) => view! { <span class="sb-pill sb-pill--mine">{move || i18n.t().assigned_to_you}</span> }.into_any(),
                        Some(Some(name)) => view! {
                            <span class="sb-pill">{(i18n.t().assigned_to)(&name)}</span>
                            <button class="sb-button sb-button--secondary" type="button" on:click=take>
                                {move || i18n.t().assign_to_me}
                            </button>
                        }.into_any(),
                    };
                    view! {
                        <header class="sb-conversation__header">
                            <a class="sb-icon-button sb-conversation__back" href=move || view_path(view.get()) aria-label=move || i18n.t().back_to_list title=move || i18n.t().back_to_list>
                                <Icon icon=icons::BACK/>
                            </a>
                            <Avatar name=h.name.clone() name_is_handle=h.name_is_handle channel=h.channel/>
                            <div class="sb-conversation__who">
                                <h1 class="sb-conversation__name">{h.name.clone()}</h1>
                                <p class="sb-conversation__where">
                                    {(!h.name_is_handle).then(|| view! { <span class="sb-conversation__handle">{h.handle.clone()}</span> })}
                                    <span class="sb-conversation__channel">
                                        <ChannelIcon channel=h.channel/>
                                        {h.channel.display_name()}
                                        {h.inbox.clone().map(|(name, address)| view! { <span class="sb-conversation__inbox">{format!(" · {name} · {address}")}</span> })}
                                    </span>
                                </p>
                            </div>
                            <div class="sb-conversation__actions">
                                {(h.status == ConversationStatus::Closed).then(|| view! {
                                    <span class="sb-pill sb-pill--closed">{move || i18n.t().closed_badge}</span>
                                })}
                                {assignment}
                            </div>
                        </header>
                    }
                })}
                <MessageList
                    conversation=Signal::derive(move || id.get())
                    lines=lines
                    loading_older=loading_older
                    reached_start=reached_start
                    on_older=older
                    on_retry=retry
                />
                <div class="sb-visually-hidden" role="status" aria-live="polite">{move || announcement.get()}</div>
                {move || composing.get().map(|(channel, id)| {
                    let situation = Signal::derive(move || {
                        situation.get().unwrap_or(Situation {
                            channel,
                            last_inbound_at: None,
                            unanswered: 0,
                            opted_out: false,
                            now: now.get(),
                        })
                    });
                    view! {
                        <Composer
                            channel=channel
                            conversation=id
                            keep_for=me
                            context=reply_context
                            situation=situation
                            templates=templates
                            on_send=Callback::new(move |outgoing| outbox.send(store, id, outgoing))
                        />
                    }
                })}
            </article>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::Thread;
    use chrono::TimeZone;
    use switchboard_protocol::{ConversationEventKind, Direction, Message};

    #[test]
    fn days_are_headed_and_events_name_the_people() {
        let at = |d, h| Utc.with_ymd_and_hms(2026, 11, d, h, 0, 0).unwrap();
        let mut state = State::default();
        state.agents.insert(
            AgentId(2),
            switchboard_protocol::Agent {
                id: AgentId(2),
                name: "Luis".into(),
                email: "l@x".into(),
            },
        );
        let mut thread = Thread::default();
        thread.insert(ThreadItem::Message(Message {
            id: MessageId(1),
            conversation_id: ConversationId(1),
            direction: Direction::In,
            author: None,
            text: "Hola".into(),
            client_id: None,
            status: None,
            failure: None,
            human_agent: false,
            note: false,
            attachments: Vec::new(),
            template: None,
            attempt: 0,
            created_at: at(19, 12),
        }));
        thread.insert(ThreadItem::Event(ConversationEvent {
            id: MessageId(2),
            conversation_id: ConversationId(1),
            kind: ConversationEventKind::Assigned,
            actor: Some(AgentId(2)),
            agent: Some(AgentId(2)),
            details: Default::default(),
            created_at: at(21, 9),
        }));
        let texts = crate::i18n::Locale::En.texts();
        let lines = thread_lines(&thread.entries(), &state, texts, at(21, 12));
        assert!(matches!(&lines[0], ThreadLine::Day(_)));
        assert!(matches!(&lines[2], ThreadLine::Day(d) if d == "Today"));
        assert!(
            matches!(&lines[3], ThreadLine::Event { text, .. } if text == "Luis took the conversation")
        );
        assert_eq!(lines.len(), 4);
    }
}
