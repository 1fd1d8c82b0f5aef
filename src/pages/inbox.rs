use crate::api::{Api, ApiFailure, use_api};
use crate::app::{conversation_in_path, conversation_path};
use crate::components::{
    ConnectionBanner, ConversationList, Icon, Problem, TopBar, ViewTabs, icons, new_conversation,
};
use crate::i18n::use_i18n;
use crate::search::{SearchBox, search_results};
use crate::session::{SessionStatus, use_session};
use crate::split::Loaded;
use crate::state::{Connection, Store, Topic, use_store};
use crate::workspace::WorkspaceLoader;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::components::Outlet;
use leptos_router::hooks::{use_location, use_navigate, use_params_map};
use std::collections::HashSet;
use switchboard_protocol::{ConversationId, View};

/// Fetches a page of a view (the first when `cursor` is `None`) into the store. A page that
/// comes back after a resync dropped the cache is stale: the first page is fetched again.
/// "Mine" is loaded whole: an agent's own conversations are a short list, and its channel
/// groups must show every one their counts promise.
async fn load_page(
    store: Store,
    api: Api,
    busy: RwSignal<HashSet<View>>,
    failed: RwSignal<Option<(View, ApiFailure)>>,
    view: View,
    mut cursor: Option<String>,
) {
    if busy.with_untracked(|b| b.contains(&view)) {
        return;
    }
    busy.update(|b| {
        b.insert(view);
    });
    loop {
        let era = store.era();
        let page = match api.conversations(view, cursor.as_deref()).await {
            Ok(page) => page,
            Err(failure) => {
                failed.set(Some((view, failure)));
                break;
            }
        };
        failed.set(None);
        let first = cursor.is_none();
        let next = page.next_cursor.clone();
        let mut fresh = true;
        if store.update_in(era, |s| fresh = s.apply_page(view, page, first)) {
            if !fresh {
                cursor = None; // taken before the feed began: again, from the top
                continue;
            }
            if view == View::Mine && next.is_some() {
                cursor = next;
                continue;
            }
        } else if store.era().same_session(era) {
            cursor = None; // resynced meanwhile: start over
            continue;
        }
        break;
    }
    busy.update(|b| {
        b.remove(&view);
    });
}

/// The inbox: tabs and the conversation list on the left, the open conversation on the right.
#[component]
pub fn InboxPage() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let session = use_session();
    let store = use_store();
    let navigate = use_navigate();
    let open_started = navigate.clone();
    // The "New conversation" form is open.
    let starting = RwSignal::new(false);
    // The form gone (cancelled), the focus goes back to its button.
    let new_button = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |was_open: Option<bool>| {
        let open = starting.get();
        if was_open == Some(true) && !open {
            request_animation_frame(move || {
                if let Some(button) = new_button.get_untracked() {
                    let _ = button.focus();
                }
            });
        }
        open
    });
    // Said when "New conversation" found an open one with that contact and opened it instead.
    let already_open = RwSignal::new(false);
    let opened = Callback::new(move |(id, existing): (ConversationId, bool)| {
        starting.set(false);
        already_open.set(existing);
        open_started(
            &conversation_path(View::Mine, id),
            NavigateOptions::default(),
        );
    });
    let params = use_params_map();
    let location = use_location();

    let view = Memo::new(move |_| {
        params
            .with(|p| p.get("view"))
            .and_then(|v| v.parse::<View>().ok())
    });
    let current = Signal::derive(move || view.get().unwrap_or(View::Unassigned));
    let selected = Memo::new(move |_| conversation_in_path(&location.pathname.get()));

    // Not logged in: to the login, and back here afterwards. Unknown tab: to the queue.
    Effect::new({
        let navigate = navigate.clone();
        move |_| {
            let replace = NavigateOptions {
                replace: true,
                ..Default::default()
            };
            if session.status.get() == SessionStatus::LoggedOut {
                let next = String::from(js_sys::encode_uri_component(
                    &location.pathname.get_untracked(),
                ));
                navigate(&format!("/login?next={next}"), replace);
            } else if view.get().is_none() {
                navigate("/inbox/unassigned", replace);
            }
        }
    });

    // Snapshots load while the feed connects; one taken before the feed began is fetched
    // again (`State::feed_from`), so no event can fall between the two.
    let ready = Memo::new(move |_| matches!(session.status.get(), SessionStatus::LoggedIn(_)));
    let generation = Memo::new(move |_| store.with(|s| s.generation));
    let busy = RwSignal::new(HashSet::new());
    let failed = RwSignal::new(None::<(View, ApiFailure)>);

    let workspace = WorkspaceLoader::new(store, api);
    provide_context(workspace);
    // The tab's list is loaded; it no longer is when the feed began after its first page.
    let loaded = Memo::new(move |_| {
        let view = current.get();
        store.read(&[Topic::List(view)], |s| {
            s.lists.get(&view).is_some_and(|l| l.loaded)
        })
    });
    Effect::new(move |_| {
        let (Some(view), true) = (view.get(), ready.get()) else {
            return;
        };
        let _ = generation.get(); // read: a memo only tracked wakes on every change of its sources
        if !loaded.get() {
            spawn_local(load_page(store, api, busy, failed, view, None));
        }
    });
    let more = Callback::new(move |()| {
        let Some(view) = view.get_untracked() else {
            return;
        };
        let (loaded, cursor) = store.peek(|s| {
            s.lists
                .get(&view)
                .map_or((false, None), |l| (l.loaded, l.next_cursor.clone()))
        });
        // A list that is not loaded (or no longer) starts again from its first page.
        let cursor = cursor.filter(|_| loaded);
        if !loaded || cursor.is_some() {
            spawn_local(load_page(store, api, busy, failed, view, cursor));
        }
    });

    // The list's order and totals; each row reads its own conversation.
    let groups = Memo::new(move |_| {
        let view = current.get();
        store.read(&[Topic::List(view), Topic::Counts], |s| s.groups(view))
    });
    let row = Callback::new(move |id| store.with_conversation(id, |s| s.row(id)));
    let counts = Memo::new(move |_| {
        store.read(&[Topic::Counts], |s| {
            s.counts.as_ref().map(|(c, _)| c.clone())
        })
    });
    let loading = Signal::derive(move || busy.with(|b| b.contains(&current.get())));
    // Why the list on screen failed: an answer the app cannot read is not "offline".
    let failure = Memo::new(move |_| {
        let view = current.get();
        failed.with(|f| {
            f.as_ref()
                .filter(|(v, _)| *v == view)
                .map(|(_, failure)| failure.describe(i18n.t()))
        })
    });
    let load_failed = Signal::derive(move || failure.with(Option::is_some));
    // A list that failed while the server was away loads by itself once the feed is back.
    let live = Memo::new(move |_| store.with(|s| s.connection == Connection::Live));
    Effect::new(move |_| {
        if live.get() && failed.with_untracked(Option::is_some) {
            more.run(());
        }
    });

    // The tab title counts what waits for me: my unread conversations and the queue's.
    Effect::new(move |_| {
        let waiting = counts.with(|c| {
            c.as_ref()
                .map_or(0, |c| c.mine.unread + c.unassigned.unread)
        });
        let title = if waiting > 0 {
            format!("({waiting}) Switchboard")
        } else {
            "Switchboard".to_owned()
        };
        crate::browser::set_title(&title);
    });

    let (agent_name, logout) = super::top_bar_of(session, api);
    // What the search box holds; while it holds something, results take the list's place
    // (the list stays, hidden, with its scroll and selection).
    let query = RwSignal::new(String::new());
    let searching = Memo::new(move |_| query.with(|q| !q.trim().is_empty()));

    view! {
        <Show
            when=move || session.is_logged_in()
            fallback=move || view! { <div class="sb-splash" role="status">{move || i18n.t().loading}</div> }
        >
            <div class="sb-app" class:sb-app--thread-open=move || selected.get().is_some()>
                <a class="sb-skip" href="#sb-main">{move || i18n.t().skip_to_conversation}</a>
                <TopBar agent_name=agent_name on_logout=logout/>
                <ConnectionBanner/>
                <div class="sb-workspace">
                    <section class="sb-sidebar" aria-label=move || i18n.t().conversations_label>
                        <SearchBox query=query/>
                        <Show when=move || searching.get()>
                            <Loaded load=move || search_results(query, current)/>
                        </Show>
                        <div class="sb-sidebar__lists" hidden=move || searching.get()>
                        <ViewTabs current=current counts=counts/>
                        <div class="sb-list-actions">
                            <button class="sb-button sb-button--secondary" type="button" node_ref=new_button on:click=move |_| { already_open.set(false); starting.set(true); }>
                                <Icon icon=icons::NEW_CONVERSATION/>{move || i18n.w().new_conversation}
                            </button>
                        </div>
                        <Show when=move || already_open.get()>
                            <p class="sb-list__note" role="status">{move || i18n.w().already_open}</p>
                        </Show>
                        <Show when=move || starting.get()>
                            <Loaded load=move || new_conversation(opened, Callback::new(move |()| starting.set(false)))/>
                        </Show>
                        {move || workspace.problem(i18n.t()).map(|text| view! {
                            <Problem text=text on_retry=Some(Callback::new(move |()| workspace.retry())) class="sb-list__error"/>
                        })}
                        {move || failure.get().map(|text| view! {
                            <Problem text=text on_retry=Some(more) class="sb-list__error"/>
                        })}
                        <ConversationList view=current groups=groups row=row selected=selected loading=loading failed=load_failed on_more=more/>
                        </div>
                    </section>
                    <main id="sb-main" class="sb-main" tabindex="-1">
                        <Outlet/>
                    </main>
                </div>
            </div>
        </Show>
    }
}

/// The right-hand pane when no conversation is open.
#[component]
pub fn NoConversation() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="sb-placeholder">
            <Icon icon=icons::INBOX class="sb-placeholder__icon"/>
            <h2 class="sb-placeholder__title">{move || i18n.t().pick_a_conversation}</h2>
            <p class="sb-placeholder__hint">{move || i18n.t().pick_a_conversation_hint}</p>
        </div>
    }
}
