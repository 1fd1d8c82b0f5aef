//! What a query found, grouped (contacts, conversations, messages), each result a link that
//! opens its conversation beside the current tab. Asked for once the agent stops typing for a
//! moment; an answer to an older query than the box holds is dropped.

use crate::api::{Api, use_api};
use crate::app::{conversation_path, use_clock};
use crate::components::Problem;
use crate::i18n::{I18n, Texts, use_i18n};
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::time::Duration;
use switchboard_protocol::search::{ConversationRef, Group, MessageHit, Page, Query, Results};
use switchboard_protocol::{ConversationStatus, View};
use wasm_bindgen::JsCast;

/// Typing pauses this long before the query is sent.
const SETTLE: Duration = Duration::from_millis(200);

crate::split::split_point!(search: pub fn search_results(query: RwSignal<String>, tab: Signal<View>) {
    view! { <SearchResults query tab/> }
});

/// One search's state: which query it is for (`turn`), and what came back.
#[derive(Clone, Copy)]
struct Search {
    // Read when the results are made: a timer's callback runs outside any owner.
    api: Api,
    i18n: I18n,
    turn: StoredValue<u32>,
    found: RwSignal<Option<Results>>,
    waiting: RwSignal<bool>,
    failure: RwSignal<Option<String>>,
}

impl Search {
    /// A new query: whatever is on its way for an older one will be dropped.
    fn next_turn(self) -> u32 {
        self.turn.update_value(|t| *t += 1);
        self.turn.get_value()
    }

    fn current(self, turn: u32) -> bool {
        self.turn.get_value() == turn
    }

    /// Asks for `group`'s next page (every group's first with `Group::All`) and shows it.
    fn ask(self, text: String, group: Group) {
        let (api, i18n) = (self.api, self.i18n);
        let turn = self.turn.get_value();
        let (offset, before) = self.found.with_untracked(|found| match (found, group) {
            (Some(r), Group::Contacts) => (r.contacts.items.len(), None),
            (Some(r), Group::Conversations) => (r.conversations.items.len(), None),
            (Some(r), Group::Messages) => (0, r.messages.items.last().map(|m| m.message)),
            _ => (0, None),
        });
        self.waiting.set(true);
        spawn_local(async move {
            let answer = api.search(&text, group, offset, before).await;
            if !self.current(turn) {
                return;
            }
            self.waiting.set(false);
            match answer {
                Ok(page) => {
                    self.failure.set(None);
                    self.found.update(|found| match (found.as_mut(), group) {
                        (Some(r), Group::Contacts) => extend(&mut r.contacts, page.contacts),
                        (Some(r), Group::Conversations) => {
                            extend(&mut r.conversations, page.conversations)
                        }
                        (Some(r), Group::Messages) => extend(&mut r.messages, page.messages),
                        _ => *found = Some(page),
                    });
                }
                Err(failure) => {
                    if group == Group::All {
                        self.found.set(None); // not an older query's results under this failure
                    }
                    self.failure
                        .set(Some(failure.explain(i18n.t().search_failed, i18n.t())));
                }
            }
        });
    }
}

fn extend<T>(shown: &mut Page<T>, next: Page<T>) {
    shown.items.extend(next.items);
    shown.more = next.more;
}

#[component]
fn SearchResults(query: RwSignal<String>, tab: Signal<View>) -> impl IntoView {
    let i18n = use_i18n();
    let clock = use_clock();
    let search = Search {
        api: use_api(),
        i18n,
        turn: StoredValue::new(0),
        found: RwSignal::new(None),
        waiting: RwSignal::new(false),
        failure: RwSignal::new(None),
    };
    Effect::new(move |_| {
        let text = query.get();
        let turn = search.next_turn();
        search.failure.set(None);
        if Query::parse(&text).is_err() {
            // No words yet (or only marks): nothing to look for.
            search.found.set(None);
            search.waiting.set(false);
            return;
        }
        // What the last query found stays until this one's answer replaces it.
        search.waiting.set(true);
        set_timeout(
            move || {
                if search.current(turn) {
                    search.ask(text, Group::All);
                }
            },
            SETTLE,
        );
    });
    let keys = window_event_listener(leptos::ev::keydown, box_keys(query));
    on_cleanup(move || keys.remove());
    let retry = Callback::new(move |()| search.ask(query.get_untracked(), Group::All));
    // A next page only of what is shown: not while another query's answer is on its way.
    let more = move |group: Group| {
        move |_| {
            if !search.waiting.get_untracked() {
                search.ask(query.get_untracked(), group);
            }
        }
    };

    let status = move || {
        let t = i18n.t();
        if let Some(text) = search.failure.get() {
            return Some(view! { <Problem text=text on_retry=Some(retry)/> }.into_any());
        }
        let nothing = search.found.with(|f| {
            f.as_ref().is_some_and(|r| {
                r.contacts.items.is_empty()
                    && r.conversations.items.is_empty()
                    && r.messages.items.is_empty()
            })
        });
        let no_words = query.with(|q| Query::parse(q).is_err());
        let text = if no_words {
            t.search_hint
        } else if search.waiting.get() {
            t.loading
        } else if nothing {
            t.search_nothing
        } else {
            return None;
        };
        Some(view! { <p class="sb-search__status" role="status">{text}</p> }.into_any())
    };
    let groups = move || {
        let t = i18n.t();
        let (tab, now) = (tab.get(), clock.0.get());
        search.found.with(|found| {
            let found = found.as_ref()?;
            let conversation = |c: &ConversationRef| conversation_item(c, tab, t, now);
            Some(view! {
                {group(t.search_contacts, &found.contacts, conversation, more(Group::Contacts), t)}
                {group(t.conversations_label, &found.conversations, conversation, more(Group::Conversations), t)}
                {group(t.search_messages, &found.messages, |m| message_item(m, tab, t, now), more(Group::Messages), t)}
            })
        })
    };
    view! {
        <section class="sb-search" aria-label=move || i18n.t().search_results>
            {groups}
            {status}
        </section>
    }
}

/// The first element `selector` finds, as a `T`.
fn element<T: JsCast>(selector: &str) -> Option<T> {
    document()
        .query_selector(selector)
        .ok()
        .flatten()
        .and_then(|el| el.dyn_into().ok())
}

/// Keys while results show: in the box, Enter opens the first result and the down arrow goes
/// to it; Escape, in the box or the results, empties the box (the list comes back).
fn box_keys(query: RwSignal<String>) -> impl Fn(web_sys::KeyboardEvent) + Clone + 'static {
    move |ev| {
        let Some(target) = crate::browser::key_target(&ev) else {
            return;
        };
        let in_box = target.class_list().contains("sb-search-box__input");
        let key = ev.key();
        if key == "Escape" && (in_box || target.closest(".sb-search").ok().flatten().is_some()) {
            query.set(String::new());
            if let Some(input) = element::<web_sys::HtmlElement>(".sb-search-box__input") {
                let _ = input.focus();
            }
            return;
        }
        let Some(first) = element::<web_sys::HtmlElement>(".sb-search__item").filter(|_| in_box)
        else {
            return;
        };
        match key.as_str() {
            "Enter" => first.click(),
            "ArrowDown" => {
                let _ = first.focus();
            }
            _ => return,
        }
        ev.prevent_default();
    }
}

/// A group of results with its heading, or nothing when it found nothing.
fn group<T>(
    title: &'static str,
    page: &Page<T>,
    item: impl Fn(&T) -> AnyView,
    on_more: impl FnMut(leptos::ev::MouseEvent) + 'static,
    texts: &'static Texts,
) -> Option<AnyView> {
    if page.items.is_empty() {
        return None;
    }
    let items: Vec<AnyView> = page.items.iter().map(item).collect();
    let more = page.more.then(|| {
        view! {
            <button class="sb-button sb-button--secondary sb-search__more" type="button" on:click=on_more>
                {texts.search_more}
            </button>
        }
    });
    Some(
        view! {
            <h2 class="sb-search__group">{title}</h2>
            <ul class="sb-search__list" aria-label=title>{items}</ul>
            {more}
        }
        .into_any(),
    )
}

fn when(at: i64, texts: &Texts, now: DateTime<Utc>) -> String {
    DateTime::from_timestamp_millis(at)
        .map(|at| texts.short_time(at, now))
        .unwrap_or_default()
}

/// A contact or a conversation: who, on which channel, closed or not, its last activity.
fn conversation_item(
    c: &ConversationRef,
    tab: View,
    texts: &'static Texts,
    now: DateTime<Utc>,
) -> AnyView {
    let name = c.contact.display_name().to_owned();
    let handle = (name != c.contact.handle).then(|| format!(" · {}", c.contact.handle));
    let closed = (c.status == ConversationStatus::Closed)
        .then(|| view! { <span class="sb-search__closed">{texts.search_closed}</span> });
    view! {
        <li>
            <a class="sb-search__item" href=conversation_path(tab, c.id)>
                <span class="sb-search__top">
                    <span class="sb-search__name">{name}</span>
                    <time class="sb-search__time">{when(c.last_activity_at, texts, now)}</time>
                </span>
                <span class="sb-search__meta">
                    {(texts.channel_name)(c.contact.channel)}{handle}{closed}
                </span>
            </a>
        </li>
    }
    .into_any()
}

/// A message whose words matched: who wrote to whom, when, and the words around the match
/// with the matching ones marked (as text).
fn message_item(m: &MessageHit, tab: View, texts: &'static Texts, now: DateTime<Utc>) -> AnyView {
    let pieces: Vec<AnyView> = m
        .snippet
        .iter()
        .map(|piece| {
            let text = piece.text.clone();
            if piece.hit {
                view! { <mark>{text}</mark> }.into_any()
            } else {
                text.into_any()
            }
        })
        .collect();
    let note = m
        .note
        .then(|| view! { <span class="sb-search__note">{texts.private_note}</span> });
    view! {
        <li>
            <a class="sb-search__item" href=format!("{}?m={}", conversation_path(tab, m.conversation.id), m.message)>
                <span class="sb-search__top">
                    <span class="sb-search__name">{m.conversation.contact.display_name().to_owned()}</span>
                    <time class="sb-search__time">{when(m.at, texts, now)}</time>
                </span>
                <span class="sb-search__snippet">{note}{pieces}</span>
            </a>
        </li>
    }
    .into_any()
}
