use super::{Brand, Icon, LanguagePicker, icons};
use crate::i18n::use_i18n;
use leptos::prelude::*;

/// The bar across the top: product, language, who is logged in, and the way out.
#[component]
pub fn TopBar(
    #[prop(into)] agent_name: Signal<String>,
    #[prop(into)] on_logout: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <header class="sb-topbar">
            <Brand/>
            <div class="sb-topbar__end">
                <LanguagePicker/>
                <span class="sb-topbar__agent">
                    <span class="sb-topbar__agent-dot" aria-hidden="true"></span>
                    {move || agent_name.get()}
                </span>
                <button class="sb-icon-button" type="button" title=move || i18n.t().log_out aria-label=move || i18n.t().log_out on:click=move |_| on_logout.run(())>
                    <Icon icon=icons::LOG_OUT/>
                </button>
            </div>
        </header>
    }
}
