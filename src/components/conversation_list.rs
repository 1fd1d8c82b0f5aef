use super::ChannelIcon;
use super::list_window::{self, GroupSize, ROW_PX, Slice};
use super::row_body::{Pooled, RowNodes};
use crate::app::{conversation_path, use_clock};
use crate::i18n::use_i18n;
use crate::state::{ListGroup, Row};
use leptos::prelude::*;
use leptos::tachys::view::any_view::AnyViewState;
use leptos::tachys::view::{Mountable, Render};
use switchboard_protocol::{Channel, ConversationId, View};
use wasm_bindgen::JsCast;

/// How near its end (in pixels) the list asks for the next page.
const MORE_PX: i32 = 400;

/// The conversations of a view, windowed: only the rows on screen (and a few beyond) are in
/// the DOM, over a space as tall as the whole list. Asks for more when scrolled near its end;
/// keeps each view's scroll position while another tab is shown.
#[component]
pub fn ConversationList(
    #[prop(into)] view: Signal<View>,
    #[prop(into)] groups: Signal<Vec<ListGroup>>,
    /// What a row shows (called in a memo per rendered row: it subscribes to that row only).
    row: Callback<ConversationId, Option<Row>>,
    #[prop(into)] selected: Signal<Option<ConversationId>>,
    #[prop(into)] loading: Signal<bool>,
    /// The last load failed: say nothing about the list being empty.
    #[prop(into)]
    failed: Signal<bool>,
    #[prop(into)] on_more: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let scroller = NodeRef::<leptos::html::Div>::new();
    let scroll_top = RwSignal::new(0);
    // The window's height bounds the list's: no ResizeObserver needed, and a list hidden
    // (a phone showing the thread) still knows how much to render when it comes back.
    let viewport = RwSignal::new(inner_height());
    let resize = window_event_listener(leptos::ev::resize, move |_| viewport.set(inner_height()));
    on_cleanup(move || resize.remove());
    // Where each view was left (a handful of views: a list, not a map).
    let saved = StoredValue::new(Vec::<(View, i32)>::new());

    let window = Memo::new(move |_| {
        let sizes = groups.with(|g| sizes_of(g));
        list_window::window(&sizes, scroll_top.get(), viewport.get())
    });

    let on_scroll = move |_| {
        let Some(el) = scroller.get_untracked() else {
            return;
        };
        let top = el.scroll_top();
        scroll_top.set(top);
        let current = view.get_untracked();
        saved.update_value(|saved| {
            saved.retain(|(v, _)| *v != current);
            saved.push((current, top));
        });
        if top + el.client_height() > el.scroll_height() - MORE_PX {
            on_more.run(());
        }
    };
    // Back to a tab: where it was left.
    Effect::new(move |shown: Option<View>| {
        let current = view.get();
        if shown != Some(current) {
            let top = saved.with_value(|saved| {
                saved
                    .iter()
                    .find(|(v, _)| *v == current)
                    .map_or(0, |(_, top)| *top)
            });
            scroll_top.set(top);
            if let Some(el) = scroller.get_untracked() {
                // After the new list's space is in the DOM.
                request_animation_frame(move || el.set_scroll_top(top));
            }
        }
        current
    });

    // The row a key asked for, until it has the focus: keys pressed faster than the window
    // renders still move one row each.
    let asked = StoredValue::new(None::<ConversationId>);
    let empty = move || groups.with(|g| g.iter().all(|g| g.ids.is_empty() && g.total == 0));
    // Up and down move between conversations, as in a mail client, scrolling the window along.
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        let step = match ev.key().as_str() {
            "ArrowDown" => 1,
            "ArrowUp" => -1,
            _ => return,
        };
        let Some(el) = scroller.get_untracked() else {
            return;
        };
        let focused = asked.get_value().or_else(|| {
            document()
                .active_element()
                .and_then(|a| a.get_attribute("data-id"))
                .and_then(|id| id.parse().ok())
                .map(ConversationId)
        });
        let sizes = groups.with_untracked(|g| sizes_of(g));
        let target = groups.with_untracked(|groups| {
            let at = match focused.and_then(|id| position(groups, id)) {
                Some(at) => list_window::step(&sizes, at, step),
                None => list_window::first_at(&sizes, el.scroll_top()),
            }?;
            Some((at, *groups.get(at.0)?.ids.get(at.1)?))
        });
        let Some(((group, index), id)) = target else {
            return;
        };
        ev.prevent_default();
        let (top, heading) = list_window::row_top(&sizes, group, index);
        let (shown, height) = (el.scroll_top(), el.client_height());
        let to = if top - heading < shown {
            Some(top - heading)
        } else if top + ROW_PX > shown + height {
            Some(top + ROW_PX - height)
        } else {
            None
        };
        if let Some(to) = to {
            el.set_scroll_top(to);
            scroll_top.set(to);
        }
        asked.set_value(Some(id));
        focus_row(el.unchecked_into(), id, asked);
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
            <div class="sb-list__space" style:height=move || format!("{}px", window.with(|w| w.height))>
                <For
                    each=move || {
                        let slices = window.with(|w| w.slices.clone());
                        groups.with(|g| {
                            slices.into_iter().filter_map(|s| Some(g.get(s.group)?.channel)).collect::<Vec<_>>()
                        })
                    }
                    key=|channel| *channel
                    children=move |channel| {
                        let part = Memo::new(move |_| {
                            groups.with(|g| {
                                let index = g.iter().position(|g| g.channel == channel)?;
                                let slice = window.with(|w| w.slices.iter().find(|s| s.group == index).copied())?;
                                let group = g.get(index)?;
                                Some(Part {
                                    slice,
                                    total: group.total,
                                    ids: group.ids.get(slice.first..slice.end).map(<[ConversationId]>::to_vec).unwrap_or_default(),
                                })
                            })
                        });
                        view! { <GroupSlice channel=channel part=part row=row view=view selected=selected/> }
                    }
                />
            </div>
            <Show when=move || loading.get()>
                <p class="sb-list__note" role="status">{move || i18n.t().loading}</p>
            </Show>
            <Show when=move || !loading.get() && !failed.get() && empty()>
                <p class="sb-list__empty">{move || (i18n.t().empty_view)(view.get())}</p>
            </Show>
        </div>
    }
}

fn sizes_of(groups: &[ListGroup]) -> Vec<GroupSize> {
    groups
        .iter()
        .map(|g| GroupSize {
            heading: g.channel.is_some(),
            rows: g.ids.len(),
        })
        .collect()
}

fn inner_height() -> i32 {
    window()
        .inner_height()
        .ok()
        .and_then(|h| h.as_f64())
        .map_or(1_000, |h| h as i32)
}

/// Where a conversation is: its group and its index there.
fn position(groups: &[ListGroup], id: ConversationId) -> Option<(usize, usize)> {
    groups
        .iter()
        .enumerate()
        .find_map(|(g, group)| Some((g, group.ids.iter().position(|i| *i == id)?)))
}

/// Focuses a row, once the window has rendered it, unless another key asked for another.
fn focus_row(
    list: web_sys::Element,
    id: ConversationId,
    asked: StoredValue<Option<ConversationId>>,
) {
    let focus = move || {
        if asked.get_value() != Some(id) {
            return true;
        }
        let done = list
            .query_selector(&format!("a.sb-row[data-id=\"{id}\"]"))
            .ok()
            .flatten()
            .and_then(|row| row.dyn_into::<web_sys::HtmlElement>().ok())
            .map(|row| row.focus())
            .is_some();
        if done {
            asked.set_value(None);
        }
        done
    };
    if !focus() {
        request_animation_frame(move || {
            if !focus() {
                asked.set_value(None);
            }
        });
    }
}

/// What of one group is on screen: where, its total, the rows.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Part {
    slice: Slice,
    total: u32,
    ids: Vec<ConversationId>,
}

/// What of one group is on screen: its heading when in view, and its visible rows.
#[component]
fn GroupSlice(
    channel: Option<Channel>,
    part: Memo<Option<Part>>,
    row: Callback<ConversationId, Option<Row>>,
    view: Signal<View>,
    selected: Signal<Option<ConversationId>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let total = Signal::derive(move || part.with(|p| p.as_ref().map_or(0, |p| p.total)));
    let heading = move || {
        let channel = channel?;
        part.with(|p| p.as_ref().is_some_and(|p| p.slice.heading)).then(|| {
            view! {
                <h2 class="sb-list__group">
                    <ChannelIcon channel=channel/>
                    <span class="sb-list__group-name">{move || (i18n.t().channel_name)(channel)}</span>
                    <span class="sb-list__group-count">{move || total.get()}</span>
                </h2>
            }
        })
    };
    let label = move || {
        channel.map_or_else(
            || i18n.t().conversations_label.to_owned(),
            |channel| (i18n.t().channel_conversations)((i18n.t().channel_name)(channel)),
        )
    };
    let top = move || {
        let top = part.with(|p| p.as_ref().map_or(0, |p| p.slice.top));
        format!("translateY({top}px)")
    };
    // The rows, keyed by conversation. A row that stays keeps its node where it is: a window
    // moved by a screen takes rows off one end and adds them at the other, and `For` moved
    // every row that stayed (its diff counts them as moved), so all were styled and laid out
    // again. Here only a row whose place among the others changed moves.
    let list = StoredValue::new_local(None::<web_sys::Element>);
    let parent = Owner::current().expect("a component's owner");
    let rows = StoredValue::new_local(Vec::<Mounted>::new());
    let sync = move || {
        let ids = part.with(|p| p.as_ref().map(|p| p.ids.clone()).unwrap_or_default());
        let Some(list) = list.get_value() else { return };
        let make = |id: ConversationId| {
            // Everything of the row belongs to its own owner (what the effect itself owns
            // is disposed each time it runs again).
            let owner = parent.child();
            let state = untrack(|| {
                owner.with(|| {
                    let at = Signal::derive(move || {
                        part.with(|p| {
                            p.as_ref().map_or(0, |p| {
                                p.slice.first + p.ids.iter().position(|i| *i == id).unwrap_or(0) + 1
                            })
                        })
                    });
                    view! { <ConversationRow id=id row=row at=at total=total view=view selected=selected/> }
                        .into_any()
                        .build()
                })
            });
            Mounted { id, owner, state }
        };
        rows.update_value(|rows| place(&list, rows, &ids, make));
    };
    // Kept as long as the slice (a render effect dropped stops).
    StoredValue::new_local(RenderEffect::new({
        let sync = sync.clone();
        move |_| sync()
    }));
    // The first rows go in as the list is built, so it never shows empty.
    let attach_rows = move |el: web_sys::Element| {
        list.set_value(Some(el));
        untrack(&sync);
    };
    view! {
        <div class="sb-list__slice" style:transform=top>
            {heading}
            <ul class="sb-list__items" role="list" aria-label=label use:attach_rows></ul>
        </div>
    }
}

/// A row in the DOM: its conversation, what owns its effects, its view.
struct Mounted {
    id: ConversationId,
    owner: Owner,
    state: AnyViewState,
}

impl Mounted {
    fn node(&self) -> Option<web_sys::Element> {
        self.state.elements().into_iter().next()
    }

    fn remove(mut self) {
        self.state.unmount();
        self.owner.cleanup();
    }
}

/// Puts the rows of `ids` in `list`, in that order: those gone are removed, new ones are
/// made and mounted where they go, and a row that stays moves only when the row after it is
/// not the one that should be.
fn place(
    list: &web_sys::Element,
    rows: &mut Vec<Mounted>,
    ids: &[ConversationId],
    mut make: impl FnMut(ConversationId) -> Mounted,
) {
    let (mut kept, gone): (Vec<Mounted>, Vec<Mounted>) = std::mem::take(rows)
        .into_iter()
        .partition(|r| ids.contains(&r.id));
    for row in gone {
        row.remove();
    }
    let mut placed = Vec::with_capacity(ids.len());
    // From the last: each row goes before the one placed after it (none: at the end).
    let mut after: Option<web_sys::Element> = None;
    for id in ids.iter().rev() {
        let row = match kept.iter().position(|r| r.id == *id) {
            Some(at) => {
                let row = kept.swap_remove(at);
                if let Some(node) = row.node()
                    && node.next_element_sibling() != after
                {
                    let _ = list.insert_before(&node, after.as_deref());
                }
                row
            }
            None => {
                let mut row = make(*id);
                row.state.mount(list, after.as_deref());
                row
            }
        };
        after = row.node();
        placed.push(row);
    }
    placed.reverse();
    *rows = placed;
}

/// One conversation: the link stays while its content follows the row's data, so a focused
/// row keeps the focus when a message comes in. The content is drawn by one effect into nodes
/// taken from the rows that left the window (see `row_body`).
#[component]
fn ConversationRow(
    id: ConversationId,
    row: Callback<ConversationId, Option<Row>>,
    /// Its position in its group, from 1.
    #[prop(into)]
    at: Signal<usize>,
    #[prop(into)] total: Signal<u32>,
    #[prop(into)] view: Signal<View>,
    #[prop(into)] selected: Signal<Option<ConversationId>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let clock = use_clock();
    let data = Memo::new(move |_| row.run(id));
    let nodes = RowNodes::take();
    let parts = nodes.parts();
    let mut first = Some(Pooled::new(nodes));
    let draw = RenderEffect::new(move |drawn: Option<Pooled>| {
        let mut pooled = drawn.or_else(|| first.take()).expect("the row's nodes");
        if let Some(nodes) = pooled.nodes() {
            data.with(|row| nodes.fill(row.as_ref(), i18n.t(), clock.0.get()));
        }
        pooled
    });
    // Kept as long as the row: dropped with it, the effect gives its nodes back to the pool.
    StoredValue::new_local(draw);
    let is_selected = move || selected.get() == Some(id);
    let has_unread = move || data.with(|r| r.as_ref().is_some_and(|r| r.unread > 0));
    view! {
        <li class="sb-row-item" aria-setsize=move || total.get().max(at.get() as u32) aria-posinset=move || at.get()>
            <a
                class="sb-row"
                class:sb-row--selected=is_selected
                class:sb-row--unread=has_unread
                href=move || conversation_path(view.get(), id)
                data-id=id.to_string()
                aria-current=move || is_selected().then_some("page")
                use:attach=parts
            ></a>
        </li>
    }
}

/// Puts a row's drawn nodes into its link, once, as the link is built.
fn attach(link: web_sys::Element, (avatar, body): (web_sys::Element, web_sys::Element)) {
    let _ = link.append_with_node_2(&avatar, &body);
}
