//! Something that could not be loaded or done, said where it happened, with a Retry when
//! trying again is up to the agent.

use super::{Icon, icons};
use crate::i18n::use_i18n;
use leptos::prelude::*;

#[component]
pub fn Problem(
    text: String,
    #[prop(optional_no_strip)] on_retry: Option<Callback<()>>,
    /// Extra classes for where it sits.
    #[prop(optional)]
    class: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class=format!("sb-problem {class}") role="alert">
            <span class="sb-problem__text">{text}</span>
            {on_retry.map(|retry| view! {
                " "
                <button class="sb-link-button" type="button" on:click=move |_| retry.run(())>
                    <Icon icon=icons::RETRY/>{move || i18n.t().retry}
                </button>
            })}
        </p>
    }
}
