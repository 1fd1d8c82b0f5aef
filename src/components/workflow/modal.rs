//! A modal dialog on the browser's own `<dialog>`: it takes the focus, keeps it (the page
//! behind is inert), closes on Escape, and is named for screen readers. Whoever opens it gives
//! the focus back when it goes (see `ActionBar`).

use leptos::prelude::*;

#[component]
pub fn Modal(
    #[prop(into)] label: Signal<&'static str>,
    #[prop(into)] on_close: Callback<()>,
    children: Children,
) -> impl IntoView {
    let node = NodeRef::<leptos::html::Dialog>::new();
    Effect::new(move |_| {
        if let Some(dialog) = node.get()
            && !dialog.open()
        {
            let _ = dialog.show_modal();
        }
    });
    view! {
        <dialog
            class="sb-modal"
            node_ref=node
            aria-label=move || label.get()
            on:cancel=move |ev: leptos::ev::Event| {
                // Escape: the dialog goes when its owner says so.
                ev.prevent_default();
                on_close.run(());
            }
        >
            <h2 class="sb-modal__title">{move || label.get()}</h2>
            {children()}
        </dialog>
    }
}
