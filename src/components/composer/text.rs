//! The text box: a reply the channel's rules allow, or a private note for the team.

use crate::components::{Icon, icons};
use crate::drafts::KeptDraft;
use crate::i18n::use_i18n;
use crate::preferences::{KeyPress, SendKey, sends, use_preferences};
use crate::state::Outgoing;
use leptos::prelude::*;
use switchboard_protocol::Channel;
use switchboard_protocol::rules::{self, Draft, NOTE_MAX_CHARS, Refusal, Situation};

/// Shown once a draft passes this share of its limit.
const COUNTER_FROM: f64 = 0.8;

/// What the box writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// To the customer, as the channel allows (`human_agent`: tagged as a human agent's reply).
    Reply { human_agent: bool },
    /// To the team only.
    Note,
}

/// With a keyboard, the agent's send key sends (Enter, or Ctrl/⌘+Enter) and the other breaks
/// the line; nothing sends while an input method composes a character. On a touch screen Enter
/// breaks the line and the Send button sends. Off touch screens the box takes the focus when
/// it opens.
#[component]
pub fn TextComposer(
    channel: Channel,
    situation: Signal<Situation>,
    draft: RwSignal<KeptDraft>,
    kind: Kind,
    on_send: Callback<Outgoing>,
) -> impl IntoView {
    let i18n = use_i18n();
    let preferences = use_preferences();
    let note = kind == Kind::Note;
    let human_agent = kind == Kind::Reply { human_agent: true };
    let text = Memo::new(move |_| draft.with(|d| d.text.clone()));
    let limit = if note {
        NOTE_MAX_CHARS
    } else {
        channel.max_text_chars()
    };
    let length = Memo::new(move |_| text.with(|t| t.chars().count()));
    // The same check the server makes; an empty box is simply not ready.
    let refusal = Memo::new(move |_| {
        text.with(|t| {
            if note {
                return rules::check_note(t).err();
            }
            let draft = Draft {
                text: t,
                human_agent,
                ..Draft::default()
            };
            situation.with(|s| rules::check(s, &draft).err())
        })
    });
    let blocking = move || refusal.with(|r| r.as_ref().filter(|r| **r != Refusal::Empty).cloned());
    let can_send = move || refusal.with(Option::is_none);
    let show_counter = move || length.get() as f64 >= COUNTER_FROM * limit as f64;
    let segments = move || {
        (channel == Channel::Sms && !note && length.get() > 0)
            .then(|| text.with(|t| rules::sms_segments(t)))
    };

    let send = move || {
        if !can_send() {
            return;
        }
        on_send.run(Outgoing {
            text: text.get_untracked().trim().to_owned(),
            human_agent,
            template: None,
            note,
        });
        draft.update(|d| d.text.clear());
    };
    let touch = crate::browser::pointer_is_coarse();
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        let key = ev.key();
        let press = KeyPress {
            key: &key,
            shift: ev.shift_key(),
            modifier: ev.ctrl_key() || ev.meta_key(),
            composing: ev.is_composing(),
            touch,
        };
        if sends(preferences.send_key.get_untracked(), press) {
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
    let send_label = move || match kind {
        Kind::Note => i18n.t().add_note,
        Kind::Reply { human_agent: true } => i18n.t().send_as_human_agent,
        Kind::Reply { human_agent: false } => i18n.t().send,
    };
    let hint = move || match preferences.send_key.get() {
        SendKey::Enter => i18n.t().hint_enter_sends,
        SendKey::ModEnter => i18n.t().hint_mod_enter_sends,
    };
    let placeholder = move || {
        if note {
            i18n.t().note_placeholder
        } else {
            i18n.t().message_placeholder
        }
    };
    view! {
        <form class="sb-composer" class:sb-composer--note=note on:submit=move |ev| { ev.prevent_default(); send(); }>
            <textarea
                id="sb-composer-input"
                node_ref=input
                class="sb-composer__input"
                rows="1"
                aria-label=move || if note { i18n.t().private_note } else { i18n.t().message }
                aria-describedby="sb-composer-hint"
                placeholder=placeholder
                prop:value=move || text.get()
                on:input=move |ev| draft.update(|d| d.text = event_target_value(&ev))
                on:keydown=on_keydown
            ></textarea>
            <div class="sb-composer__bar">
                <span id="sb-composer-hint" class="sb-composer__hint">
                    {move || if note { i18n.t().note_hint } else { "" }}
                    {hint}
                </span>
                {move || segments().map(|s| view! {
                    <span class="sb-composer__counter">{(i18n.t().sms_segments)(s.segments, length.get(), s.per_segment)}</span>
                })}
                <Show when=move || show_counter() && (note || channel != Channel::Sms)>
                    <span class="sb-composer__counter">{move || format!("{}/{limit}", length.get())}</span>
                </Show>
                {move || blocking().map(|refusal| view! {
                    <span class="sb-composer__counter sb-composer__counter--over" role="status">
                        {(i18n.t().refusal)(&refusal, (i18n.t().channel_name)(channel))}
                    </span>
                })}
                <button class="sb-button sb-button--primary sb-composer__send" type="submit" disabled=move || !can_send()>
                    <Icon icon=if note { icons::NOTE } else { icons::SEND }/>
                    <span>{send_label}</span>
                </button>
            </div>
        </form>
    }
}
