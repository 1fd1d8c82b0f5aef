use super::{Avatar, ChannelIcon};
use crate::app::{conversation_path, use_clock};
use crate::i18n::use_i18n;
use crate::state::{PreviewBy, Row};
use leptos::prelude::*;
use switchboard_protocol::{Channel, ConversationId, View};
use wasm_bindgen::JsCast;

/// A run of rows, optionally under a channel heading (as "Mine" shows them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListGroup {
    pub channel: Option<Channel>,
    pub total: u32,
    pub rows: Vec<Row>,
}

/// The conversations of a view. Asks for more when scrolled near its end.
#[component]
pub fn ConversationList(
    #[prop(into)] view: Signal<View>,
    #[prop(into)] groups: Signal<Vec<ListGroup>>,
    #[prop(into)] selected: Signal<Option<ConversationId>>,
    #[prop(into)] loading: Signal<bool>,
    /// The last load failed: say nothing about the list being empty.
    #[prop(into)]
    failed: Signal<bool>,
    #[prop(into)] on_more: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let scroller = NodeRef::<leptos::html::Div>::new();
    let on_scroll = move |_| {
        if let Some(el) = scroller.get()
            && el.scroll_top() + el.client_height() > el.scroll_height() - 400
        {
            on_more.run(());
        }
    };
    let empty = move || groups.with(|g| g.iter().all(|g| g.rows.is_empty() && g.total == 0));
    // Up and down move between conversations, as in a mail client.
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        let step = match ev.key().as_str() {
            "ArrowDown" => 1,
            "ArrowUp" => -1,
            _ => return,
        };
        let Some(list) = scroller.get_untracked() else {
            return;
        };
        let Ok(rows) = list.query_selector_all("a.sb-row") else {
            return;
        };
        let active = leptos::prelude::document().active_element();
        let current = (0..rows.length()).find(|i| {
            rows.item(*i)
                .is_some_and(|row| Some(row.unchecked_ref::<web_sys::Element>()) == active.as_ref())
        });
        let next = match current {
            Some(i) => i as i64 + step,
            None => 0,
        };
        if let Some(row) = u32::try_from(next)
            .ok()
            .and_then(|i| rows.item(i))
            .and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
        {
            ev.prevent_default();
            let _ = row.focus();
        }
    };
    view! {
        <div
            id="sb-tabpanel"
            class="sb-list"
            role="tabpanel"
            aria-labelledby=move || format!("sb-tab-{}", view.get().slug())
            node_ref=scroller
            on:scroll=on_scroll
            on:keydown=on_keydown
        >
            <For
                each=move || groups.with(|g| g.iter().map(|g| g.channel).collect::<Vec<_>>())
                key=|channel| *channel
                children=move |channel| {
                    let group = move || groups.with(|g| g.iter().find(|g| g.channel == channel).cloned());
                    let heading = channel.map(|channel| {
                        view! {
                            <h2 class="sb-list__group">
                                <ChannelIcon channel=channel/>
                                <span class="sb-list__group-name">{move || (i18n.t().channel_name)(channel)}</span>
                                <span class="sb-list__group-count">{move || group().map_or(0, |g| g.total)}</span>
                            </h2>
                        }
                    });
                    let label = move || {
                        channel.map_or_else(
                            || i18n.t().conversations_label.to_owned(),
                            |channel| (i18n.t().channel_conversations)((i18n.t().channel_name)(channel)),
                        )
                    };
                    view! {
                        {heading}
                        <ul class="sb-list__items" role="list" aria-label=label>
                            <For
                                each=move || group().map(|g| g.rows).unwrap_or_default()
                                key=|row| (row.id, row.version, row.unread, row.inbox.clone())
                                children=move |row| view! { <ConversationRow row=row view=view selected=selected/> }
                            />
                        </ul>
                    }
                }
            />
            <Show when=move || loading.get()>
                <p class="sb-list__note" role="status">{move || i18n.t().loading}</p>
            </Show>
            <Show when=move || !loading.get() && !failed.get() && empty()>
                <p class="sb-list__empty">{move || (i18n.t().empty_view)(view.get())}</p>
            </Show>
        </div>
    }
}

#[component]
fn ConversationRow(
    row: Row,
    #[prop(into)] view: Signal<View>,
    #[prop(into)] selected: Signal<Option<ConversationId>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let clock = use_clock();
    let id = row.id;
    let at = row.at;
    let is_selected = move || selected.get() == Some(id);
    let unread = row.unread;
    let has_unread = unread > 0;
    let preview = row.preview.clone();
    let by = row.preview_by.clone();
    let channel = row.channel;
    let inbox = row.inbox.clone();
    let assignee = row.assignee.clone();
    let closed_reason = row.closed_reason.clone();
    let snoozed_until = row.snoozed_until;
    view! {
        <li class="sb-row-item">
            <a
                class="sb-row"
                class:sb-row--selected=is_selected
                class:sb-row--unread=has_unread
                href=move || conversation_path(view.get(), id)
                aria-current=move || is_selected().then_some("page")
            >
                <Avatar name=row.name.clone() name_is_handle=row.name_is_handle channel=row.channel/>
                <span class="sb-row__body">
                    <span class="sb-row__top">
                        <span class="sb-row__name" class:sb-row__name--handle=row.name_is_handle>{row.name.clone()}</span>
                        <span class="sb-visually-hidden">", "</span>
                        <time class="sb-row__time" datetime=at.to_rfc3339()>
                            {move || i18n.t().short_time(at, clock.0.get())}
                        </time>
                    </span>
                    <span class="sb-row__bottom">
                        <span class="sb-row__preview">
                            {move || match &by {
                                PreviewBy::Customer => String::new(),
                                PreviewBy::Me => i18n.t().you_prefix.to_owned(),
                                PreviewBy::Teammate(name) => (i18n.t().teammate_prefix)(name),
                            }}
                            {preview.clone()}
                        </span>
                        {has_unread.then(|| {
                            view! {
                                <span class="sb-bubble" role="img" aria-label=move || (i18n.t().unread)(unread)>
                                    {unread}
                                </span>
                            }
                        })}
                    </span>
                    // Every row has this line, so all rows are the same height.
                    <span class="sb-row__meta">
                        <span class="sb-row__where">{move || (i18n.t().channel_name)(channel)}" · "{inbox.clone()}</span>
                        // How it ended says more than whose it was: it comes first.
                        {closed_reason.map(|reason| view! { <span class="sb-row__ended">{move || format!(" · {}", (i18n.w().closed_with)(&reason))}</span> })}
                        {assignee.map(|name| view! { <span class="sb-row__assignee">{move || format!(" · {}", (i18n.t().assigned_to)(&name))}</span> })}
                        {snoozed_until.map(|until| view! {
                            <span class="sb-row__snoozed">{move || format!(" · {}", (i18n.w().snoozed_until)(&i18n.t().moment_in_sentence(until, clock.0.get())))}</span>
                        })}
                    </span>
                </span>
            </a>
        </li>
    }
}
