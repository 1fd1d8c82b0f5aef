use leptos::prelude::*;

/// A labelled text input bound to a signal.
#[component]
pub fn Field(
    #[prop(into)] label: Signal<&'static str>,
    value: RwSignal<String>,
    kind: &'static str,
    name: &'static str,
    autocomplete: &'static str,
) -> impl IntoView {
    view! {
        <label class="sb-field">
            <span class="sb-field__label">{move || label.get()}</span>
            <input
                class="sb-input"
                type=kind
                name=name
                autocomplete=autocomplete
                required
                prop:value=value
                on:input=move |ev| value.set(event_target_value(&ev))
            />
        </label>
    }
}
