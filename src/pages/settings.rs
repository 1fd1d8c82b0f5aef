use super::settings_replies::QuickReplySettings;
use super::settings_workflow::WorkflowSettings;
use crate::api::use_api;
use crate::components::{ConnectionBanner, Icon, TopBar, icons};
use crate::i18n::use_i18n;
use crate::preferences::{SendKey, use_preferences};
use crate::session::{SessionStatus, use_session};
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;

// Most agents open Settings rarely: its code is a chunk of its own.
crate::split::split_point!(settings: pub fn settings_page() { view! { <SettingsPage/> } });

/// The agent's settings: how to send, and (for the team) saved replies.
#[component]
pub fn SettingsPage() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let session = use_session();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if session.status.get() == SessionStatus::LoggedOut {
            navigate(
                "/login?next=%2Fsettings",
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
    });
    crate::browser::set_title(&format!("{} · Switchboard", i18n.t().settings));
    let (agent_name, logout) = super::top_bar_of(session, api);
    view! {
        <Show
            when=move || session.is_logged_in()
            fallback=move || view! { <div class="sb-splash" role="status">{move || i18n.t().loading}</div> }
        >
            <div class="sb-app sb-app--page">
                <TopBar agent_name=agent_name on_logout=logout/>
                <ConnectionBanner/>
                <main class="sb-settings" id="sb-main">
                    <a class="sb-link-button sb-settings__back" href="/inbox/mine">
                        <Icon icon=icons::BACK/>{move || i18n.t().back_to_inbox}
                    </a>
                    <h1 class="sb-settings__title">{move || i18n.t().settings}</h1>
                    <SendingSettings/>
                    <QuickReplySettings/>
                    <WorkflowSettings/>
                </main>
            </div>
        </Show>
    }
}

#[component]
fn SendingSettings() -> impl IntoView {
    let i18n = use_i18n();
    let preferences = use_preferences();
    view! {
        <section class="sb-settings__section" aria-labelledby="sb-settings-sending">
            <h2 id="sb-settings-sending">{move || i18n.t().sending_settings}</h2>
            <fieldset class="sb-settings__choices">
                <legend>{move || i18n.t().send_with}</legend>
                {SendKey::ALL.into_iter().map(|key| view! {
                    <label class="sb-settings__choice">
                        <input
                            type="radio"
                            name="send-key"
                            value=key.as_str()
                            prop:checked=move || preferences.send_key.get() == key
                            on:change=move |_| preferences.set_send_key(key)
                        />
                        {move || (i18n.t().send_key_name)(key)}
                    </label>
                }).collect_view()}
            </fieldset>
        </section>
    }
}
