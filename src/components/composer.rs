use super::{Icon, icons};
use crate::i18n::use_i18n;
use leptos::prelude::*;
use switchboard_protocol::Channel;

/// Shown once a draft passes this share of the channel's limit.
const COUNTER_FROM: f64 = 0.8;

/// The reply box. With a keyboard, Enter sends and Shift+Enter breaks the line (Enter while
/// an input method composes a character does neither); on a touch screen Enter breaks the line
/// and the Send button sends. Off touch screens the box takes the focus when it opens.
#[component]
pub fn Composer(channel: Channel, #[prop(into)] on_send: Callback<String>) -> impl IntoView {
    let i18n = use_i18n();
    let text = RwSignal::new(String::new());
    let limit = channel.max_text_chars();
    let length = Memo::new(move |_| text.with(|t| t.chars().count()));
    let too_long = move || length.get() > limit;
    let can_send = move || !text.with(|t| t.trim().is_empty()) && !too_long();
    let show_counter = move || length.get() as f64 >= COUNTER_FROM * limit as f64;

    let send = move || {
        if !can_send() {
            return;
        }
        on_send.run(text.get_untracked().trim().to_owned());
        text.set(String::new());
    };
    let touch = crate::browser::pointer_is_coarse();
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Enter" && !ev.shift_key() && !ev.is_composing() && !touch {
            ev.prevent_default();
            send();
        }
    };
    let input = NodeRef::<leptos::html::Textarea>::new();
    Effect::new(move |_| {
        if let Some(input) = input.get()
            && !touch
        {
            let _ = input.focus();
        }
    });
    view! {
        <form class="sb-composer" on:submit=move |ev| { ev.prevent_default(); send(); }>
            <textarea
                id="sb-composer-input"
                node_ref=input
                class="sb-composer__input"
                rows="1"
                aria-label=move || i18n.t().message
                aria-describedby="sb-composer-hint"
                placeholder=move || i18n.t().message_placeholder
                prop:value=text
                on:input=move |ev| text.set(event_target_value(&ev))
                on:keydown=on_keydown
            ></textarea>
            <div class="sb-composer__bar">
                <span id="sb-composer-hint" class="sb-composer__hint">{move || i18n.t().composer_hint}</span>
                <Show when=show_counter>
                    <span class="sb-composer__counter" class:sb-composer__counter--over=too_long role="status">
                        {move || if too_long() { (i18n.t().too_long)(length.get(), limit) } else { format!("{}/{limit}", length.get()) }}
                    </span>
                </Show>
                <button class="sb-button sb-button--primary sb-composer__send" type="submit" disabled=move || !can_send()>
                    <Icon icon=icons::SEND/>
                    <span>{move || i18n.t().send}</span>
                </button>
            </div>
        </form>
    }
}
