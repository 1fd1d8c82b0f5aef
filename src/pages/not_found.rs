use crate::i18n::use_i18n;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <main class="sb-center">
            <div class="sb-card sb-card--narrow">
                <h1 class="sb-card__title">{move || i18n.t().not_found_title}</h1>
                <p>{move || i18n.t().not_found_hint}</p>
                <A href="/inbox/unassigned" attr:class="sb-button sb-button--primary">{move || i18n.t().go_to_inbox}</A>
            </div>
        </main>
    }
}
