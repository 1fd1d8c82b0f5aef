//! The agent's availability in the top bar: Available or Away, seen live by teammates.

use crate::actions::MyAvailability;
use crate::i18n::use_i18n;
use leptos::prelude::*;
use switchboard_protocol::Availability;

#[component]
pub fn AvailabilityPicker() -> impl IntoView {
    let i18n = use_i18n();
    let mine = MyAvailability::new();
    let current = Memo::new(move |_| mine.current());
    view! {
        <label class="sb-availability">
            <span class=move || format!("sb-presence sb-presence--{}", current.get().as_str()) aria-hidden="true"></span>
            <span class="sb-visually-hidden">{move || i18n.w().availability_label}</span>
            <select
                class="sb-availability__select"
                title=move || i18n.w().availability_label
                prop:value=move || current.get().as_str()
                on:change=move |ev| {
                    let chosen = match event_target_value(&ev).as_str() {
                        "away" => Availability::Away,
                        _ => Availability::Available,
                    };
                    mine.choose(chosen);
                }
            >
                {[Availability::Available, Availability::Away].into_iter().map(|a| view! {
                    <option value=a.as_str()>{move || (i18n.w().availability)(a)}</option>
                }).collect_view()}
            </select>
            {move || mine.error.get().map(|e| view! { <span class="sb-visually-hidden" role="alert">{e}</span> })}
        </label>
    }
}
