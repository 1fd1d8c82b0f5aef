use leptos::prelude::*;

/// The product mark and name.
#[component]
pub fn Brand() -> impl IntoView {
    view! {
        <span class="sb-brand">
            <svg class="sb-brand__mark" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
                <rect width="32" height="32" rx="9" fill="currentColor"/>
                <path d="M9 11.5h9.5M9 16h14M9 20.5h7" stroke="#fff" stroke-width="2.6" stroke-linecap="round"/>
                <circle cx="23" cy="11.5" r="2.4" fill="#fff"/>
            </svg>
            <span class="sb-brand__name">"Switchboard"</span>
        </span>
    }
}
