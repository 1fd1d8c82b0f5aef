//! The app's providers (language, API, session, store, clock) and its routes.

use crate::api::Api;
use crate::i18n::I18n;
use crate::outbox::Outbox;
use crate::pages::{InboxPage, LoginPage, NoConversation, NotFoundPage, ThreadPage, settings_page};
use crate::session::{Session, SessionStatus};
use crate::split::Loaded;
use crate::state::{Connection, Store};
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{ParentRoute, Redirect, Route, Router, Routes};
use leptos_router::path;
use std::time::Duration;

/// The current time, ticking twice a minute: relative times ("5 min") follow it.
#[derive(Clone, Copy)]
pub struct Clock(pub RwSignal<DateTime<Utc>>);

pub fn use_clock() -> Clock {
    expect_context::<Clock>()
}

#[component]
pub fn App() -> impl IntoView {
    let i18n = I18n::detect();
    crate::browser::set_document_lang(i18n.locale.get_untracked().code());
    let api = Api::new();
    let session = Session::new();
    let store = Store::new();
    let outbox = Outbox::new();
    let preferences = crate::preferences::Preferences::load();
    let quick_replies = crate::quick_replies::QuickReplies::new(session);
    let clock = Clock(RwSignal::new(Utc::now()));
    provide_context(i18n);
    provide_context(api);
    provide_context(session);
    provide_context(store);
    provide_context(outbox);
    provide_context(preferences);
    provide_context(quick_replies);
    provide_context(crate::emoji::EmojiLibrary::new());
    let composing = crate::drafts::Composing::new();
    provide_context(composing.clone());
    provide_context(clock);
    let visible = PageVisible(RwSignal::new(crate::browser::is_visible()));
    provide_context(visible);
    crate::browser::on_visibility_change(move |now_visible| visible.0.set(now_visible));

    set_interval(move || clock.0.set(Utc::now()), Duration::from_secs(30));

    // A session from an earlier visit lives in the cookie: ask who we are.
    spawn_local(async move {
        match api.me().await {
            Ok(agent) => session.logged_in(agent),
            Err(_) => session.logged_out(),
        }
    });

    // The server said the session is gone (expired, logged out elsewhere).
    Effect::new(move |_| {
        if api.session_lost.get() {
            api.session_lost.set(false);
            session.logged_out();
        }
    });

    // One feed per session; everything cached belongs to the session it was loaded in.
    Effect::new(move |_| match session.status.get() {
        SessionStatus::LoggedIn(agent) => {
            crate::realtime::start(store, session);
            outbox.start(store, api, i18n, session, agent.id);
            quick_replies.refresh(api);
        }
        SessionStatus::LoggedOut => {
            store.reset();
            quick_replies.clear();
            composing.clear();
        }
        SessionStatus::Checking => {}
    });

    // Back online: what waits in the outbox goes now rather than at its next try.
    let live = Memo::new(move |_| store.with(|s| s.connection == Connection::Live));
    Effect::new(move |_| {
        if live.get() {
            outbox.ring();
        }
    });

    view! {
        <Router>
            <Routes fallback=NotFoundPage>
                <Route path=path!("/") view=|| view! { <Redirect path="/inbox/unassigned"/> }/>
                <Route path=path!("/inbox") view=|| view! { <Redirect path="/inbox/unassigned"/> }/>
                <Route path=path!("/login") view=LoginPage/>
                <Route path=path!("/settings") view=|| view! { <Loaded load=settings_page/> }/>
                <ParentRoute path=path!("/inbox/:view") view=InboxPage>
                    <Route path=path!("") view=NoConversation/>
                    <Route path=path!("c/:id") view=ThreadPage/>
                </ParentRoute>
            </Routes>
        </Router>
    }
}

/// The address of a tab.
pub fn view_path(view: switchboard_protocol::View) -> String {
    format!("/inbox/{}", view.slug())
}

/// The address of a conversation opened from a tab.
pub fn conversation_path(
    view: switchboard_protocol::View,
    id: switchboard_protocol::ConversationId,
) -> String {
    format!("/inbox/{}/c/{id}", view.slug())
}

/// The conversation a path opens, if any: `/inbox/mine/c/12` -> 12.
pub fn conversation_in_path(path: &str) -> Option<switchboard_protocol::ConversationId> {
    let (_, id) = path.split_once("/c/")?;
    id.trim_end_matches('/').parse().ok()
}

/// Whether the page is on screen; reading it subscribes.
#[derive(Clone, Copy)]
pub struct PageVisible(pub RwSignal<bool>);

pub fn use_page_visible() -> PageVisible {
    expect_context::<PageVisible>()
}

#[cfg(test)]
mod tests {
    use super::*;
    use switchboard_protocol::{ConversationId, View};

    #[test]
    fn paths_carry_the_tab_and_the_conversation() {
        assert_eq!(
            conversation_path(View::Mine, ConversationId(123)),
            "/inbox/mine/c/123"
        );
        assert_eq!(
            conversation_in_path("/inbox/mine/c/123"),
            Some(ConversationId(123))
        );
        assert_eq!(conversation_in_path("/inbox/mine"), None);
        assert_eq!(conversation_in_path("/inbox/mine/c/abc"), None);
    }
}
