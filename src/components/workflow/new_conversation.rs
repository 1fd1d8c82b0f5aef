//! The "New conversation" form: channel, To (with matching contacts), From (the agent's entry
//! points of that channel), a subject for email, and the first message (a template on
//! WhatsApp). It shows the `Starting` controller and calls it back.

use super::Modal;
use crate::actions::choices::entry_points;
use crate::actions::start::Starting;
use crate::i18n::use_i18n;
use crate::state::use_store;
use leptos::prelude::*;
use switchboard_protocol::{Channel, ConversationId};

// Starting a conversation is occasional: the form's code is a chunk of its own.
crate::split::split_point!(start: pub fn new_conversation(on_opened: Callback<(ConversationId, bool)>, on_cancel: Callback<()>) {
    view! { <NewConversation on_opened on_cancel/> }
});

#[component]
pub fn NewConversation(
    on_opened: Callback<(ConversationId, bool)>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let starting = Starting::new();
    let channel = starting.channel;
    let from_points = Memo::new(move |_| {
        let channel = channel.get();
        store.with(|s| entry_points(s, channel))
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        starting.submit(on_opened);
    };
    let is = move |c: Channel| channel.get() == c;
    view! {
        <Modal label=Signal::derive(move || i18n.w().new_conversation) on_close=on_cancel>
            <form class="sb-modal__form sb-new" on:submit=submit>
                <label class="sb-field">
                    <span class="sb-field__label">{move || i18n.w().channel}</span>
                    <select class="sb-input" prop:value=move || channel.get().as_str()
                        on:change=move |ev| { if let Ok(c) = event_target_value(&ev).parse::<Channel>() { channel.set(c) } }>
                        {Channel::STARTABLE.into_iter().map(|c| view! {
                            <option value=c.as_str()>{move || (i18n.t().channel_name)(c)}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label class="sb-field">
                    <span class="sb-field__label">{move || i18n.w().to}</span>
                    <input class="sb-input" name="to" required autocomplete="off"
                        type=move || if is(Channel::Email) { "email" } else { "tel" }
                        placeholder=move || (i18n.w().to_hint)(channel.get())
                        prop:value=starting.to on:input=move |ev| starting.to.set(event_target_value(&ev))/>
                </label>
                <Show when=move || starting.suggestions.with(|s| !s.is_empty())>
                    <ul class="sb-new__suggestions" role="list" aria-label=move || i18n.w().suggestions>
                        <For each=move || starting.suggestions.get() key=|c| c.id children=move |contact| {
                            let label = format!("{} · {}", contact.display_name(), contact.handle);
                            view! {
                                <li><button class="sb-link-button" type="button" on:click=move |_| starting.pick_contact(&contact)>{label}</button></li>
                            }
                        }/>
                    </ul>
                </Show>
                <label class="sb-field">
                    <span class="sb-field__label">{move || i18n.w().from}</span>
                    <select class="sb-input"
                        prop:value=move || starting.from.get().map(|i| i.0.to_string()).unwrap_or_default()
                        on:change=move |ev| starting.from.set(event_target_value(&ev).parse().ok().map(switchboard_protocol::InboxId))>
                        <For each=move || from_points.get() key=|i| i.id children=move |inbox| view! {
                            <option value=inbox.id.0.to_string()>{format!("{} · {}", inbox.name, inbox.address)}</option>
                        }/>
                    </select>
                </label>
                <label class="sb-field">
                    <span class="sb-field__label">{move || i18n.w().name_optional}</span>
                    <input class="sb-input" name="name" autocomplete="off"
                        prop:value=starting.name on:input=move |ev| starting.name.set(event_target_value(&ev))/>
                </label>
                <Show when=move || is(Channel::Email)>
                    <label class="sb-field">
                        <span class="sb-field__label">{move || i18n.w().subject}</span>
                        <input class="sb-input" name="subject" maxlength="300"
                            prop:value=starting.subject on:input=move |ev| starting.subject.set(event_target_value(&ev))/>
                    </label>
                </Show>
                <Show
                    when=move || is(Channel::Whatsapp)
                    fallback=move || view! {
                        <label class="sb-field">
                            <span class="sb-field__label">{move || i18n.w().message}</span>
                            <textarea class="sb-input" rows="4" required
                                prop:value=starting.text on:input=move |ev| starting.text.set(event_target_value(&ev))></textarea>
                        </label>
                    }
                >
                    <p class="sb-modal__hint">{move || i18n.w().starts_with_template}</p>
                    <label class="sb-field">
                        <span class="sb-field__label">{move || i18n.w().template}</span>
                        <select class="sb-input" required
                            prop:value=move || starting.template.get().unwrap_or_default()
                            on:change=move |ev| {
                                let name = event_target_value(&ev);
                                starting.pick_template((!name.is_empty()).then_some(name));
                            }>
                            <option value="">{move || i18n.w().choose_template}</option>
                            <For each=move || starting.templates.get() key=|t| (t.name.clone(), t.language.clone()) children=move |t| view! {
                                <option value=t.name.clone()>{format!("{} ({})", t.name, t.language)}</option>
                            }/>
                        </select>
                    </label>
                    {move || starting.chosen_template().map(|template| {
                        let placeholders = template.placeholders();
                        view! {
                            <p class="sb-new__preview" aria-label=move || i18n.t().template_preview>{move || template.preview(&starting.values.get())}</p>
                            {placeholders.into_iter().enumerate().map(|(n, name)| view! {
                                <label class="sb-field">
                                    <span class="sb-field__label">{move || (i18n.t().template_value)(&name)}</span>
                                    <input class="sb-input" required
                                        prop:value=move || starting.values.with(|v| v.get(n).cloned().unwrap_or_default())
                                        on:input=move |ev| {
                                            let value = event_target_value(&ev);
                                            starting.values.update(|v| { if let Some(slot) = v.get_mut(n) { *slot = value } });
                                        }/>
                                </label>
                            }).collect_view()}
                        }
                    })}
                </Show>
                {move || starting.error.get().map(|e| view! { <p class="sb-modal__error" role="alert">{e}</p> })}
                <div class="sb-modal__buttons">
                    <button class="sb-button sb-button--secondary" type="button" on:click=move |_| on_cancel.run(())>
                        {move || i18n.w().cancel}
                    </button>
                    <button class="sb-button sb-button--primary" type="submit" disabled=move || starting.busy.get()>
                        {move || i18n.w().start_conversation}
                    </button>
                </div>
            </form>
        </Modal>
    }
}
