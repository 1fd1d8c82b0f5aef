use crate::api::use_api;
use crate::components::{Brand, Field, LanguagePicker};
use crate::i18n::use_i18n;
use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

/// Where to go after logging in: the page that sent us here, if it is one of ours. Only a
/// plain path qualifies: browsers read `//host`, `/\host` and paths with tabs or newlines
/// as other sites.
fn safe_next(next: Option<String>) -> String {
    next.filter(|n| {
        n.starts_with('/')
            && !n.starts_with("//")
            && !n.contains('\\')
            && !n.chars().any(|c| c.is_control() || c.is_whitespace())
    })
    .unwrap_or_else(|| "/inbox/unassigned".to_owned())
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let session = use_session();
    let navigate = use_navigate();
    let query = use_query_map();
    let next = Memo::new(move |_| safe_next(query.with(|q| q.get("next"))));

    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);

    // Already logged in (or just did): straight to the inbox.
    Effect::new({
        let navigate = navigate.clone();
        move |_| {
            if session.is_logged_in() {
                navigate(&next.get(), Default::default());
            }
        }
    });

    let login = Action::new_local(move |(email, password): &(String, String)| {
        let (email, password) = (email.clone(), password.clone());
        async move {
            match api.login(email, password).await {
                Ok(answer) => {
                    error.set(None);
                    session.logged_in(answer.agent);
                }
                Err(failure) => {
                    error.set(Some(failure.describe(i18n.locale.get_untracked().texts())))
                }
            }
        }
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        login.dispatch((email.get_untracked(), password.get_untracked()));
    };

    view! {
        <main class="sb-center sb-login">
            <div class="sb-card sb-login__card">
                <Brand/>
                <h1 class="sb-login__title">{move || i18n.t().login_title}</h1>
                <p class="sb-login__subtitle">{move || i18n.t().login_subtitle}</p>
                <form class="sb-form" on:submit=submit novalidate>
                    <Field label=Signal::derive(move || i18n.t().email) value=email kind="email" name="email" autocomplete="username"/>
                    <Field
                        label=Signal::derive(move || i18n.t().password)
                        value=password
                        kind="password"
                        name="password"
                        autocomplete="current-password"
                    />
                    <Show when=move || error.get().is_some()>
                        <p class="sb-form__error" role="alert">{move || error.get()}</p>
                    </Show>
                    <button class="sb-button sb-button--primary sb-button--block" type="submit" disabled=move || login.pending().get()>
                        {move || if login.pending().get() { i18n.t().logging_in } else { i18n.t().log_in }}
                    </button>
                </form>
                <p class="sb-login__hint">{move || i18n.t().demo_hint}</p>
                <div class="sb-login__footer">
                    <LanguagePicker/>
                </div>
            </div>
        </main>
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_our_own_paths_are_followed_after_login() {
        assert_eq!(safe_next(Some("/inbox/mine/c/4".into())), "/inbox/mine/c/4");
        assert_eq!(
            safe_next(Some("https://evil.example".into())),
            "/inbox/unassigned"
        );
        assert_eq!(
            safe_next(Some("//evil.example".into())),
            "/inbox/unassigned"
        );
        assert_eq!(safe_next(None), "/inbox/unassigned");
        assert_eq!(
            safe_next(Some("/inbox/all?x=1#c".into())),
            "/inbox/all?x=1#c"
        );
    }

    #[test]
    fn paths_browsers_read_as_another_site_are_refused() {
        for sneaky in [
            "/\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/ /evil.example",
        ] {
            assert_eq!(
                safe_next(Some(sneaky.into())),
                "/inbox/unassigned",
                "{sneaky:?}"
            );
        }
    }
}
