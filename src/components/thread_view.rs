use super::thread_window::ThreadWindow;
use super::{Icon, MessageText, Problem, icons};
use crate::api::{ThreadPageSize, use_api};
use crate::compose::file_kind_label;
use crate::i18n::use_i18n;
use crate::i18n::{clock, file_size};
use crate::outbox;
use crate::split::Loaded;
use crate::state::{Pending, PendingState, use_store};
use chrono::{DateTime, Local, Utc};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::collections::HashMap;
use std::sync::Arc;
use switchboard_protocol::failures::FailureKind;
use switchboard_protocol::{
    Attachment, AttachmentKind, ClientId, ConversationId, Direction, Message, MessageId,
    MessageStatus,
};

/// One line of a thread, ready to show (names resolved, texts translated).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ThreadLine {
    Day(String),
    /// Where what the agent had not read yet began when they opened the conversation.
    Unread(String),
    Message {
        message: Message,
        author: Option<String>,
        /// Set when the message failed.
        failure: Option<FailureLine>,
    },
    Event {
        id: i64,
        text: String,
        at: DateTime<Utc>,
    },
    Pending(Pending),
}

/// A failed message's failure, as the agent reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FailureLine {
    /// What happened: the app says it, and what to do, in the agent's language.
    pub kind: FailureKind,
    /// The provider's own words and code, for whoever needs the detail.
    pub detail: String,
    /// Sending it again can help, and the channel's rules allow it now.
    pub retry: bool,
}

/// A line's identity in the list: it keeps its DOM node for as long as it is shown, while what
/// it says changes in place (a reply from sending to read, a retry, a translated event).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum LineKey {
    Day(String),
    Unread,
    /// The agent's own message, from the moment it is sent to the server's copy of it.
    Sent(ClientId),
    Item(i64),
}

impl ThreadLine {
    pub fn key(&self) -> LineKey {
        match self {
            ThreadLine::Day(label) => LineKey::Day(label.clone()),
            ThreadLine::Unread(_) => LineKey::Unread,
            ThreadLine::Message { message, .. } => match message.client_id {
                Some(client_id) => LineKey::Sent(client_id),
                None => LineKey::Item(message.id.0),
            },
            ThreadLine::Event { id, .. } => LineKey::Item(*id),
            ThreadLine::Pending(p) => LineKey::Sent(p.client_id),
        }
    }

    /// A heading between lines (a day, the start of the unread), not a message or event.
    pub fn is_marker(&self) -> bool {
        matches!(self, ThreadLine::Day(_) | ThreadLine::Unread(_))
    }

    fn class(&self) -> String {
        match self {
            ThreadLine::Day(_) => "sb-day".to_owned(),
            ThreadLine::Unread(_) => "sb-unread-from".to_owned(),
            ThreadLine::Event { .. } => "sb-event".to_owned(),
            ThreadLine::Message { message, .. } => format!(
                "sb-msg {}{}",
                if message.direction == Direction::Out {
                    "sb-msg--out"
                } else {
                    "sb-msg--in"
                },
                if message.note { " sb-msg--note" } else { "" }
            ),
            ThreadLine::Pending(p) => format!(
                "sb-msg sb-msg--out sb-msg--pending{}",
                if p.outgoing.note { " sb-msg--note" } else { "" }
            ),
        }
    }

    fn status(&self) -> Option<&'static str> {
        match self {
            ThreadLine::Message { message, .. } => message.status.map(MessageStatus::as_str),
            ThreadLine::Pending(p) => Some(match p.state {
                PendingState::Failed { .. } => MessageStatus::Failed.as_str(),
                _ => MessageStatus::Sending.as_str(),
            }),
            _ => None,
        }
    }
}

/// Where the view was last put, and what is needed to keep the line being read in place.
struct Placement {
    /// The conversation, the first and last lines shown and the newest line of all.
    placed: (
        Option<ConversationId>,
        Option<LineKey>,
        Option<LineKey>,
        Option<LineKey>,
    ),
    /// Whether the agent was at the bottom when last seen.
    near_bottom: bool,
    /// The keys of the lines shown, in order: the list's `li`s, one for one.
    keys: Vec<LineKey>,
    /// The line being read and how far below the top of the view it stands.
    pinned: Option<(LineKey, f64)>,
    /// The part of the thread in the DOM, for the conversation last placed.
    window: ThreadWindow,
}

impl Default for Placement {
    fn default() -> Self {
        Placement {
            placed: (None, None, None, None),
            near_bottom: true,
            keys: Vec::new(),
            pinned: None,
            window: ThreadWindow::Tail,
        }
    }
}

/// How far from the bottom still counts as "at the bottom" (new messages keep it in view).
const STICKY_PX: i32 = 120;
/// How near an edge of what is shown the agent scrolls before more comes in on that side.
const EDGE_PX: i32 = 200;
/// Lines shown above a message the thread opens at, so that what led to it is in view too.
const CONTEXT_LINES: usize = 10;

/// Where the seeking of a message to open at stands, after one step.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Seek {
    /// Nothing sought (or given up): the view is placed as usual.
    Idle,
    /// On its way: earlier pages loading, or the window moving to it.
    Busy,
    /// Brought into view just now.
    Found,
}

/// The thread, oldest at the top. Opens at the newest message (or at `focus`, a search
/// result's), follows new ones while the agent is at the bottom, and keeps the line being
/// read in place when lines come and go around it: earlier pages loading above, the window
/// moving (`thread_window`). What could not be loaded is said at the top, where earlier
/// messages would be, with a Retry.
#[component]
pub fn MessageList(
    #[prop(into)] conversation: Signal<Option<ConversationId>>,
    #[prop(into)] lines: Signal<Vec<Arc<ThreadLine>>>,
    #[prop(into)] loading_older: Signal<bool>,
    #[prop(into)] reached_start: Signal<bool>,
    /// Fetch the page before the oldest loaded.
    #[prop(into)]
    on_older: Callback<ThreadPageSize>,
    /// The message to open at instead of the newest: brought into the middle of the view
    /// and marked, earlier pages fetched until it is loaded.
    #[prop(into, optional)]
    focus: MaybeProp<MessageId>,
    #[prop(into)] on_retry: Callback<ClientId>,
    /// What failed to load (the conversation, its messages, earlier ones).
    #[prop(into, optional)]
    problem: MaybeProp<String>,
    /// Tries again what failed to load.
    #[prop(optional)]
    on_reload: Option<Callback<()>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let scroller = NodeRef::<leptos::html::Div>::new();
    // New lines came in below while the agent read further up.
    let unseen_below = RwSignal::new(false);
    let placement = StoredValue::new(Placement::default());
    // The window moved (it is kept in `placement`).
    let moved = Trigger::new();
    // A conversation opens at its newest lines: until the view is placed for it (which sets
    // the window to them), the window chosen in the conversation before does not count.
    let window_now = move || {
        let this = conversation.get_untracked();
        placement.with_value(|p| {
            if p.placed.0 == this {
                p.window.clone()
            } else {
                ThreadWindow::Tail
            }
        })
    };
    let current_window = move || {
        moved.track();
        conversation.track();
        window_now()
    };
    let move_window = move |next: Option<ThreadWindow>| {
        if let Some(next) = next {
            placement.update_value(|p| p.window = next);
            moved.notify();
        }
    };
    let range = move || {
        let window = current_window();
        lines.with(|lines| window.range(lines))
    };
    // The message still to bring into view, in its conversation.
    let seeking = StoredValue::new(None::<(ConversationId, MessageId)>);
    Effect::new(move |_| seeking.set_value(conversation.get().zip(focus.get())));

    let remember = move || {
        let Some(el) = scroller.get_untracked() else {
            return;
        };
        let at_bottom = el.scroll_height() - el.scroll_top() - el.client_height() < STICKY_PX;
        placement.update_value(|p| p.near_bottom = at_bottom);
        if at_bottom && window_now() == ThreadWindow::Tail {
            unseen_below.set(false);
        }
        // A heading is not what is being read: a day's stays first when earlier lines of the
        // same day come in above the others.
        let heading = |at: usize| {
            placement
                .with_value(|p| matches!(p.keys.get(at), Some(LineKey::Day(_) | LineKey::Unread)))
        };
        let reading = lines_of(&el).and_then(|items| reading_line(&el, &items, heading));
        placement.update_value(|p| {
            p.pinned = reading.and_then(|(at, offset)| Some((p.keys.get(at)?.clone(), offset)));
        });
    };
    // Puts the line being read back where it stood.
    let keep_pinned = move |el: &web_sys::HtmlDivElement| {
        let pinned = placement.with_value(|p| {
            let (key, offset) = p.pinned.as_ref()?;
            Some((p.keys.iter().position(|k| k == key)?, *offset))
        });
        let Some((index, offset)) = pinned else {
            return;
        };
        let line = lines_of(el).and_then(|items| items.children().item(index as u32));
        if let Some(line) = line {
            let now = line.get_bounding_client_rect().top() - el.get_bounding_client_rect().top();
            el.set_scroll_top(el.scroll_top() + (now - offset).round() as i32);
        }
    };
    // Near the top of what is shown: earlier lines, from the window or else from the server.
    let show_earlier = move || match lines.with_untracked(|lines| window_now().earlier(lines)) {
        None => on_older.run(ThreadPageSize::Usual),
        earlier => move_window(earlier),
    };
    // One step toward the message being sought, once the lines shown are in the DOM: fetch
    // earlier pages until it is loaded, move the window to it, then bring it to the middle
    // of the view.
    let seek = move |el: &web_sys::HtmlDivElement, shown: &std::ops::Range<usize>| {
        let Some((sought_in, message)) = seeking.get_value() else {
            return Seek::Idle;
        };
        if conversation.get_untracked() != Some(sought_in) {
            return Seek::Idle;
        }
        // By the message's id: one the agent sent from the app is keyed by its client id.
        let is_it = |line: &Arc<ThreadLine>| matches!(&**line, ThreadLine::Message { message: m, .. } if m.id == message);
        match lines.with_untracked(|lines| lines.iter().position(is_it)) {
            Some(at) if shown.contains(&at) => {
                let line =
                    lines_of(el).and_then(|items| items.children().item((at - shown.start) as u32));
                if let Some(line) = line {
                    let options = web_sys::ScrollIntoViewOptions::new();
                    options.set_block(web_sys::ScrollLogicalPosition::Center);
                    line.scroll_into_view_with_scroll_into_view_options(&options);
                    let _ = line.set_attribute("data-found", "true");
                }
                seeking.set_value(None);
                Seek::Found
            }
            Some(at) => {
                let from =
                    lines.with_untracked(|lines| lines[at.saturating_sub(CONTEXT_LINES)].key());
                move_window(Some(ThreadWindow::From(from)));
                Seek::Busy
            }
            // Not in this thread (unsent since): it opens as usual.
            None if reached_start.get_untracked() => {
                seeking.set_value(None);
                Seek::Idle
            }
            // Waits for the first page, or fetches earlier ones (the loader asks once at a time).
            None => {
                on_older.run(ThreadPageSize::Largest);
                Seek::Busy
            }
        }
    };
    let show_later = move || move_window(lines.with_untracked(|lines| window_now().later(lines)));
    let to_bottom = move |_| {
        move_window(Some(ThreadWindow::Tail));
        placement.update_value(|p| p.near_bottom = true);
        if let Some(el) = scroller.get_untracked() {
            el.set_scroll_top(el.scroll_height());
        }
        unseen_below.set(false);
    };
    let on_scroll = move |_| {
        remember();
        let Some(el) = scroller.get_untracked() else {
            return;
        };
        if el.scroll_top() < EDGE_PX {
            show_earlier();
        } else if el.scroll_height() - el.scroll_top() - el.client_height() < EDGE_PX {
            show_later();
        }
    };

    // After the lines shown change, put the view where a reader expects it. Day headings do
    // not count: "Today" stays first when earlier messages of today load above the others.
    Effect::new(move |_| {
        let is_item = |line: &&Arc<ThreadLine>| !line.is_marker();
        let shown = range();
        let (first, last, newest) = lines.with(|l| {
            let part = l.get(shown.clone()).unwrap_or_default();
            (
                part.iter().find(is_item).map(|line| line.key()),
                part.iter().rev().find(is_item).map(|line| line.key()),
                l.iter().rev().find(is_item).map(|line| line.key()),
            )
        });
        let current = conversation.get();
        focus.track();
        let following = window_now() == ThreadWindow::Tail;
        let Some(el) = scroller.get() else { return };
        // The list's own DOM update is another effect of the same change: measure after it.
        request_animation_frame(move || {
            let (
                previous_conversation,
                previous_first,
                previous_last,
                previous_newest,
                near_bottom,
            ) = placement.with_value(|p| {
                let (conversation, first, last, newest) = p.placed.clone();
                (conversation, first, last, newest, p.near_bottom)
            });
            let at_bottom = following && near_bottom;
            let sought = seek(&el, &shown);
            if sought != Seek::Idle {
                // Placed by the seeking.
            } else if previous_conversation != current || previous_first.is_none() {
                placement.update_value(|p| p.window = ThreadWindow::Tail);
                el.set_scroll_top(el.scroll_height());
                unseen_below.set(false);
            } else if at_bottom && previous_last != last {
                el.set_scroll_top(el.scroll_height());
            } else if previous_first != first || previous_last != last {
                keep_pinned(&el);
            }
            if previous_conversation == current && previous_newest != newest && !at_bottom {
                unseen_below.set(true);
            }
            // While seeking the view is not placed yet: a seek that gives up opens at the newest.
            let first = first.filter(|_| sought != Seek::Busy);
            placement.update_value(|p| p.placed = (current, first, last, newest));
            remember();
            // At the top (or in a short thread that does not scroll): earlier lines came in
            // while the agent was there, or earlier messages are still to fetch.
            if sought == Seek::Idle
                && el.scroll_top() < EDGE_PX
                && (shown.start > 0 || !reached_start.get_untracked())
            {
                show_earlier();
            }
        });
    });

    // Each line shown, by its key: a line that changes updates its row in place; the list
    // itself only adds, moves and removes rows.
    let rows = StoredValue::new_local(HashMap::<LineKey, ArcRwSignal<Arc<ThreadLine>>>::new());
    let each = move || {
        let shown = range();
        lines.with(|lines| {
            let lines = lines.get(shown).unwrap_or_default();
            placement.update_value(|p| p.keys = lines.iter().map(|line| line.key()).collect());
            rows.try_update_value(|rows| {
                let mut next = HashMap::with_capacity(lines.len());
                let shown = lines
                    .iter()
                    .map(|line| {
                        let key = line.key();
                        let row = match rows.remove(&key) {
                            Some(row) => {
                                if !row.with_untracked(|was| Arc::ptr_eq(was, line)) {
                                    row.set(line.clone());
                                }
                                row
                            }
                            None => ArcRwSignal::new(line.clone()),
                        };
                        next.insert(key.clone(), row.clone());
                        (key, row)
                    })
                    .collect::<Vec<_>>();
                *rows = next;
                shown
            })
            .unwrap_or_default()
        })
    };

    let viewing = RwSignal::new(None::<Attachment>);
    provide_context(Viewing(viewing));
    view! {
        // The full-size picture is a chunk of its own, fetched when a picture is first opened.
        {move || viewing.with(Option::is_some).then(|| view! { <Loaded load=move || lightbox(viewing)/> })}
        <div class="sb-thread" node_ref=scroller on:scroll=on_scroll>
            // One line that is always there, so saying "loading" or "start" never moves the thread.
            <p class="sb-thread__note" role="status" class:sb-thread__note--hidden=move || problem.with(Option::is_some)>
                {move || {
                    if problem.with(Option::is_some) {
                        ""
                    } else if loading_older.get() {
                        i18n.t().loading_older
                    } else if reached_start.get() && { let r = range(); r.start == 0 && !r.is_empty() } {
                        i18n.t().thread_start
                    } else {
                        ""
                    }
                }}
            </p>
            {move || problem.get().map(|text| view! { <Problem text=text on_retry=on_reload class="sb-thread__problem"/> })}
            <ol class="sb-thread__items">
                <For
                    each=each
                    key=|(key, _)| key.clone()
                    children=move |(_, line)| view! { <Line line=line on_retry=on_retry/> }
                />
            </ol>
            <Show when=move || unseen_below.get()>
                <button class="sb-button sb-button--primary sb-thread__unseen" type="button" on:click=to_bottom>
                    {move || i18n.t().new_messages}" ↓"
                </button>
            </Show>
        </div>
    }
}

/// The list of the thread's lines in its scroller.
fn lines_of(scroller: &web_sys::Element) -> Option<web_sys::Element> {
    scroller.query_selector(".sb-thread__items").ok().flatten()
}

/// The first line at least partly in view that is not a heading, by its place in the list,
/// and how far its top stands below the view's top. The lines are in order, so a binary
/// search finds it.
fn reading_line(
    view: &web_sys::Element,
    items: &web_sys::Element,
    heading: impl Fn(usize) -> bool,
) -> Option<(usize, f64)> {
    let top = view.get_bounding_client_rect().top();
    let lines = items.children();
    let (mut low, mut high) = (0, lines.length());
    while low < high {
        let middle = low + (high - low) / 2;
        if lines.item(middle)?.get_bounding_client_rect().bottom() > top {
            high = middle;
        } else {
            low = middle + 1;
        }
    }
    while heading(low as usize) {
        low += 1;
    }
    let line = lines.item(low)?;
    Some((low as usize, line.get_bounding_client_rect().top() - top))
}

fn clock_time(at: DateTime<Utc>) -> String {
    clock(&at.with_timezone(&Local))
}

/// One row of the thread: the `li` stays while what it holds follows the line.
#[component]
fn Line(line: ArcRwSignal<Arc<ThreadLine>>, on_retry: Callback<ClientId>) -> impl IntoView {
    let (class, status, waiting, role, body) =
        (line.clone(), line.clone(), line.clone(), line.clone(), line);
    view! {
        <li
            class=move || class.with(|l| l.class())
            data-status=move || status.with(|l| l.status())
            data-waiting=move || waiting.with(|l| matches!(&**l, ThreadLine::Pending(p) if p.state == PendingState::Waiting).then_some("true"))
            role=move || role.with(|l| l.is_marker().then_some("separator"))
        >
            {move || line_body(ThreadLine::clone(&body.get()), on_retry)}
        </li>
    }
}

/// What a row holds.
fn line_body(line: ThreadLine, on_retry: Callback<ClientId>) -> AnyView {
    let i18n = use_i18n();
    match line {
        ThreadLine::Day(label) | ThreadLine::Unread(label) => {
            view! { <span>{label}</span> }.into_any()
        }
        ThreadLine::Event { text, at, .. } => view! {
            <span class="sb-event__text">{text}</span>
            <time class="sb-event__time" datetime=at.to_rfc3339()>{clock_time(at)}</time>
        }
        .into_any(),
        ThreadLine::Message {
            message,
            author,
            failure,
        } => {
            let status = message.status;
            let note = message.note;
            let failure =
                failure.map(|failure| view! { <Failed message=message.clone() failure=failure/> });
            view! {
                {author.map(|name| view! { <span class="sb-msg__author">{name}</span> })}
                <div class="sb-msg__bubble">
                    {note.then(|| view! { <NoteLabel/> })}
                    <MessageFiles attachments=message.attachments.clone()/>
                    {(!message.text.is_empty()).then(|| view! { <MessageText text=message.text.clone()/> })}
                    <span class="sb-msg__meta">
                        {message.human_agent.then(|| view! { <span class="sb-msg__badge">{move || i18n.t().human_agent_badge}</span> })}
                        {message.template.clone().map(|name| view! { <span class="sb-msg__badge">{move || (i18n.t().template_badge)(&name)}</span> })}
                        <time datetime=message.created_at.to_rfc3339()>{clock_time(message.created_at)}</time>
                        {status.map(|status| view! { <StatusMark status=status/> })}
                    </span>
                </div>
                {failure}
            }
            .into_any()
        }
        ThreadLine::Pending(pending) => {
            let client_id = pending.client_id;
            let note = pending.outgoing.note;
            let waiting = pending.state == PendingState::Waiting;
            let (status, reason) = match pending.state {
                PendingState::Sending | PendingState::Waiting => (MessageStatus::Sending, None),
                PendingState::Failed { reason } => (MessageStatus::Failed, Some(reason)),
            };
            view! {
                <div class="sb-msg__bubble">
                    {note.then(|| view! { <NoteLabel/> })}
                    <MessageFiles attachments=pending.outgoing.attachments.clone()/>
                    {(!pending.outgoing.text.is_empty()).then(|| view! { <p class="sb-msg__text">{pending.outgoing.text.clone()}</p> })}
                    <span class="sb-msg__meta">
                        <time datetime=pending.created_at.to_rfc3339()>{clock_time(pending.created_at)}</time>
                        <StatusMark status=status/>
                    </span>
                </div>
                {waiting.then(|| view! { <p class="sb-msg__waiting" role="status">{move || i18n.t().waiting_for_connection}</p> })}
                {reason.map(|reason| view! {
                    <p class="sb-msg__failure">
                        <strong>{move || i18n.t().not_sent}":"</strong>" "{reason}" "
                        <button class="sb-link-button" type="button" on:click=move |_| on_retry.run(client_id)>
                            <Icon icon=icons::RETRY/>
                            {move || i18n.t().retry}
                        </button>
                    </p>
                })}
            }
            .into_any()
        }
    }
}

/// The picture opened full size, if any.
#[derive(Clone, Copy)]
struct Viewing(RwSignal<Option<Attachment>>);

/// A message's files: pictures inline (opened full size on click), sound and video playable,
/// documents to download.
#[component]
fn MessageFiles(attachments: Vec<Attachment>) -> impl IntoView {
    let i18n = use_i18n();
    let viewing = use_context::<Viewing>();
    (!attachments.is_empty()).then(|| view! {
        <div class="sb-files">
            {attachments.into_iter().map(|file| {
                let url = file.url();
                let name = file.name.clone();
                match file.kind() {
                    AttachmentKind::Image => {
                        let label = (i18n.t().open_image)(&name);
                        view! {
                            <button class="sb-files__image" type="button" aria-label=label on:click=move |_| if let Some(Viewing(v)) = viewing { v.set(Some(file.clone())) }>
                                <img src=url alt=name loading="lazy"/>
                            </button>
                        }.into_any()
                    }
                    AttachmentKind::Audio => view! { <audio class="sb-files__audio" controls preload="none" src=url aria-label=name></audio> }.into_any(),
                    AttachmentKind::Video => view! { <video class="sb-files__video" controls preload="metadata" src=url aria-label=name></video> }.into_any(),
                    AttachmentKind::Document => {
                        let label = (i18n.t().download_named)(&name);
                        view! {
                            <a class="sb-files__document" href=url download=name.clone() aria-label=label>
                                <Icon icon=icons::FILE/>
                                <span class="sb-files__name">{name.clone()}</span>
                                <span class="sb-files__size">{format!("{} · {}", file_kind_label(&file.content_type, &file.name), file_size(file.bytes))}</span>
                            </a>
                        }.into_any()
                    }
                }
            }).collect_view()}
        </div>
    })
}

crate::split::split_point!(lightbox: fn lightbox(viewing: RwSignal<Option<Attachment>>) {
    view! { <Lightbox viewing=viewing/> }
});

/// A picture full size over the thread; Escape, the close button or a click outside closes it.
#[component]
fn Lightbox(viewing: RwSignal<Option<Attachment>>) -> impl IntoView {
    let i18n = use_i18n();
    let close_button = NodeRef::<leptos::html::Button>::new();
    let download_link = NodeRef::<leptos::html::A>::new();
    Effect::new(move |_| {
        if viewing.with(Option::is_some)
            && let Some(button) = close_button.get()
        {
            let _ = button.focus();
        }
    });
    move || {
        viewing.get().map(|file| {
        let url = file.url();
        let download_label = (i18n.t().download_named)(&file.name);
        view! {
            <div class="sb-lightbox" role="dialog" aria-modal="true" aria-label=file.name.clone()
                on:click=move |_| viewing.set(None)
                on:keydown=move |ev| match ev.key().as_str() {
                    "Escape" => viewing.set(None),
                    // The dialog keeps the focus: Tab goes between its two buttons.
                    "Tab" => {
                        ev.prevent_default();
                        let on_close = close_button.get_untracked().is_some_and(|b| {
                            web_sys::window()
                                .and_then(|w| w.document())
                                .and_then(|d| d.active_element())
                                .is_some_and(|active| active == **b)
                        });
                        if on_close {
                            if let Some(link) = download_link.get_untracked() {
                                let _ = link.focus();
                            }
                        } else if let Some(button) = close_button.get_untracked() {
                            let _ = button.focus();
                        }
                    }
                    _ => {}
                }>
                <img class="sb-lightbox__image" src=url.clone() alt=file.name.clone() on:click=|ev| ev.stop_propagation()/>
                <div class="sb-lightbox__bar" on:click=|ev| ev.stop_propagation()>
                    <a class="sb-button sb-button--secondary" node_ref=download_link href=url download=file.name.clone()>
                        <Icon icon=icons::DOWNLOAD/>{download_label}
                    </a>
                    <button class="sb-button sb-button--secondary" type="button" node_ref=close_button on:click=move |_| viewing.set(None)>
                        <Icon icon=icons::CLOSE/>{move || i18n.t().close}
                    </button>
                </div>
            </div>
        }
    })
    }
}

/// Marks a private note, which the customer never sees.
#[component]
fn NoteLabel() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span class="sb-msg__note-label">
            <Icon icon=icons::NOTE/>
            {move || i18n.t().private_note}
        </span>
    }
}

/// Why a message failed, and the button that sends it again when that can help.
#[component]
fn Failed(message: Message, failure: FailureLine) -> impl IntoView {
    let i18n = use_i18n();
    let (store, api) = (use_store(), use_api());
    let busy = RwSignal::new(false);
    let refused = RwSignal::new(None::<String>);
    let message = StoredValue::new(message);
    let send_again = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        refused.set(None);
        spawn_local(async move {
            let message = message.get_value();
            if let Err(reason) = outbox::send_again(store, api, i18n, &message).await {
                refused.set(Some(reason));
            }
            busy.set(false);
        });
    };
    view! {
        <div class="sb-msg__failure">
            <p>
                <strong>{move || (i18n.t().status_name)(MessageStatus::Failed)}":"</strong>" "
                {move || (i18n.t().failure_kind)(failure.kind)}
                {failure.retry.then(|| view! {
                    " "
                    <button class="sb-link-button" type="button" disabled=move || busy.get() on:click=send_again>
                        <Icon icon=icons::RETRY/>
                        {move || i18n.t().retry}
                    </button>
                })}
            </p>
            <p class="sb-msg__detail">{failure.detail}</p>
            {move || refused.get().map(|reason| view! { <p class="sb-msg__refused" role="alert">{reason}</p> })}
        </div>
    }
}

/// A message's delivery status as an icon, named for assistive technology and tests.
#[component]
fn StatusMark(status: MessageStatus) -> impl IntoView {
    let i18n = use_i18n();
    let icon = match status {
        MessageStatus::Sending => icons::SENDING,
        MessageStatus::Sent => icons::SENT,
        MessageStatus::Delivered | MessageStatus::Read => icons::DELIVERED,
        MessageStatus::Failed => icons::FAILED,
    };
    view! {
        <span
            class=format!("sb-status sb-status--{}", status.as_str())
            role="img"
            aria-label=move || (i18n.t().status_name)(status)
            title=move || (i18n.t().status_name)(status)
        >
            <Icon icon=icon/>
        </span>
    }
}
