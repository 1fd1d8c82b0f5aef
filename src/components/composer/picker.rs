//! A list to pick from while writing: saved replies after `/` or from the button, templates
//! where only templates may go. The field with the focus drives it with the arrow keys, Enter
//! or Tab picks, Escape closes; the mouse and touch pick directly.

pub use crate::compose::PickItem;
use crate::compose::{ListKey, list_action, step};
use crate::i18n::use_i18n;
use leptos::prelude::*;

/// Handles a key for an open list of `len` items; whether it did (the caller then stops it).
pub fn picker_keydown(
    ev: &leptos::ev::KeyboardEvent,
    active: RwSignal<usize>,
    len: usize,
    on_pick: Callback<usize>,
    on_close: Callback<()>,
) -> bool {
    let Some(key) = list_action(&ev.key(), ev.is_composing(), len) else {
        return false;
    };
    ev.prevent_default();
    match key {
        ListKey::Pick => on_pick.run(active.get_untracked().min(len - 1)),
        ListKey::Close => on_close.run(()),
        ListKey::Up | ListKey::Down => active.update(|a| *a = step(*a, len, key)),
    }
    true
}

/// Gives the focus to an input whenever it appears (`autofocus` does nothing for an element
/// added to a page already loaded).
pub fn focus_when_shown(input: NodeRef<leptos::html::Input>) {
    Effect::new(move |_| {
        if let Some(input) = input.get() {
            let _ = input.focus();
        }
    });
}

/// Keeps the element with the id `id_of(active)` scrolled into view as `active` moves.
pub fn keep_in_view(active: RwSignal<usize>, id_of: impl Fn(usize) -> String + 'static) {
    Effect::new(move |_| {
        let id = id_of(active.get());
        if let Some(element) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(&id))
        {
            let options = web_sys::ScrollIntoViewOptions::new();
            options.set_block(web_sys::ScrollLogicalPosition::Nearest);
            element.scroll_into_view_with_scroll_into_view_options(&options);
        }
    });
}

#[component]
pub fn PickerList(
    list_id: &'static str,
    #[prop(into)] items: Signal<Vec<PickItem>>,
    active: RwSignal<usize>,
    #[prop(into)] label: Signal<&'static str>,
    on_pick: Callback<usize>,
) -> impl IntoView {
    let i18n = use_i18n();
    keep_in_view(active, move |index| format!("{list_id}-{index}"));
    view! {
        <ul id=list_id class="sb-picker__list" role="listbox" aria-label=move || label.get()>
            {move || items.get().into_iter().enumerate().map(|(index, item)| view! {
                <li
                    id=format!("{list_id}-{index}")
                    role="option"
                    class="sb-picker__option"
                    aria-selected=move || (active.get() == index).to_string()
                    // Picking with the mouse must not take the focus from the text box first.
                    on:mousedown=move |ev| { ev.prevent_default(); on_pick.run(index) }
                    on:mousemove=move |_| if active.get_untracked() != index { active.set(index) }
                >
                    <span class="sb-picker__head">
                        {item.shortcut.map(|s| view! { <span class="sb-picker__shortcut">{format!("/{s}")}</span> })}
                        <span class="sb-picker__title">{item.title}</span>
                    </span>
                    <span class="sb-picker__preview">{item.preview}</span>
                </li>
            }).collect_view()}
        </ul>
        <Show when=move || items.with(Vec::is_empty)>
            <p class="sb-picker__empty">{move || i18n.t().nothing_found}</p>
        </Show>
    }
}
