//! Search: the box at the top of the conversation list (in the first load: `/` and Ctrl/⌘+K
//! reach it from anywhere), and the results that take the list's place while it holds a
//! query (a chunk of their own, fetched the first time an agent searches).

mod results;

pub use results::search_results;

use crate::browser::{key_is_taken, key_target};
use crate::components::{Icon, icons};
use crate::i18n::use_i18n;
use leptos::prelude::*;
use switchboard_protocol::search::MAX_QUERY_CHARS;

/// The search box; `query` is what it holds (empty: the list shows). Its keys while results
/// show (Enter, the down arrow, Escape) are the results' own (`results`): kept out of the
/// first load.
#[component]
pub fn SearchBox(query: RwSignal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let input = NodeRef::<leptos::html::Input>::new();
    let keys = window_event_listener(leptos::ev::keydown, move |ev| {
        let modifier = ev.ctrl_key() || ev.meta_key();
        let wanted = if modifier {
            ev.key().eq_ignore_ascii_case("k") && !ev.alt_key()
        } else {
            ev.key() == "/" && !ev.alt_key() && !key_target(&ev).is_some_and(|el| key_is_taken(&el))
        };
        if let (true, Some(input)) = (wanted, input.get_untracked()) {
            ev.prevent_default();
            let _ = input.focus();
            input.select();
        }
    });
    on_cleanup(move || keys.remove());
    view! {
        <form
            class="sb-search-box"
            role="search"
            on:submit=|ev| ev.prevent_default()
        >
            <Icon icon=icons::SEARCH class="sb-search-box__icon"/>
            <input
                class="sb-input sb-search-box__input"
                type="search"
                node_ref=input
                aria-label=move || i18n.t().search
                placeholder=move || i18n.t().search_placeholder
                maxlength=MAX_QUERY_CHARS
                autocomplete="off"
                spellcheck="false"
                prop:value=move || query.get()
                on:input=move |ev| query.set(event_target_value(&ev))
            />
        </form>
    }
}
