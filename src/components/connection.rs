use super::{Icon, icons};
use crate::i18n::use_i18n;
use crate::state::{Connection, use_store};
use leptos::prelude::*;

/// Says so when the live feed is down; disappears when it is back.
#[component]
pub fn ConnectionBanner() -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let down = Memo::new(move |_| store.with(|s| s.connection == Connection::Reconnecting));
    view! {
        <div class="sb-banner-slot" role="status" aria-live="polite">
            <Show when=move || down.get()>
                <div class="sb-banner sb-banner--warning">
                    <Icon icon=icons::OFFLINE/>
                    <strong>{move || i18n.t().reconnecting}</strong>
                    <span>{move || i18n.t().reconnecting_detail}</span>
                </div>
            </Show>
        </div>
    }
}
