use crate::i18n::{Locale, use_i18n};
use leptos::prelude::*;

/// Switches the app's language; remembered in the browser.
#[component]
pub fn LanguagePicker() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label class="sb-language">
            <span class="sb-visually-hidden">{move || i18n.t().language}</span>
            <select
                class="sb-language__select"
                on:change=move |ev| i18n.set(Locale::from_tag(&event_target_value(&ev)))
            >
                {Locale::ALL
                    .into_iter()
                    .map(|locale| {
                        view! {
                            <option value=locale.code() selected=move || i18n.locale.get() == locale>
                                {locale.texts().language_name}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </label>
    }
}
