use super::{AvailabilityPicker, Brand, Icon, LanguagePicker, icons};
use crate::i18n::use_i18n;
use crate::state::{Connection, use_store};
use leptos::prelude::*;

/// The bar across the top: product, language, who is logged in, and the way out.
#[component]
pub fn TopBar(
    #[prop(into)] agent_name: Signal<String>,
    #[prop(into)] on_logout: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let live = Memo::new(move |_| store.with(|s| s.connection == Connection::Live));
    view! {
        <header class="sb-topbar">
            <Brand/>
            <div class="sb-topbar__end">
                <LanguagePicker/>
                <AvailabilityPicker/>
                <span class="sb-topbar__agent">
                    <span
                        class="sb-topbar__agent-dot"
                        class:sb-topbar__agent-dot--down=move || !live.get()
                        title=move || if live.get() { i18n.t().back_online } else { i18n.t().reconnecting }
                        aria-hidden="true"
                    ></span>
                    {move || agent_name.get()}
                </span>
                <a class="sb-icon-button" href="/settings" title=move || i18n.t().settings aria-label=move || i18n.t().settings>
                    <Icon icon=icons::SETTINGS/>
                </a>
                <button class="sb-icon-button" type="button" title=move || i18n.t().log_out aria-label=move || i18n.t().log_out on:click=move |_| on_logout.run(())>
                    <Icon icon=icons::LOG_OUT/>
                </button>
            </div>
        </header>
    }
}
