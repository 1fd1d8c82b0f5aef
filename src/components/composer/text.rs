//! The text box: a reply the channel's rules allow, or a private note for the team. Its state
//! machine (the `/` and `:` lists, picking, keys, whether it may send) is
//! `compose::text_controller`; this renders it and hands it the browser's events.

use super::attachments::{AttachmentTray, file_list};
use super::emoji_picker::emoji_picker;
use super::picker::{PickerList, focus_when_shown};
use crate::components::{Icon, Problem, icons};
use crate::compose::ReplyContext;
use crate::compose::files::Files;
use crate::compose::guard::OthersNewest;
use crate::compose::text_controller::{KeyOutcome, TextController, TextSetup};
use crate::drafts::KeptDraft;
use crate::i18n::use_i18n;
use crate::preferences::{KeyPress, SendKey, use_preferences};
use crate::split::Loaded;
use crate::state::Outgoing;
use leptos::prelude::*;
use switchboard_protocol::Channel;
use switchboard_protocol::rules::Situation;

pub use crate::compose::text_controller::Kind;

/// A key event as the controller reads it.
fn press<'a>(ev: &leptos::ev::KeyboardEvent, key: &'a str, touch: bool) -> KeyPress<'a> {
    KeyPress {
        key,
        shift: ev.shift_key(),
        modifier: ev.ctrl_key() || ev.meta_key(),
        composing: ev.is_composing(),
        touch,
    }
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
    context: Signal<ReplyContext>,
    files: Files,
    on_send: Callback<Outgoing>,
    others_newest: Signal<Option<Option<OthersNewest>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let preferences = use_preferences();
    let text_box = TextController::new(TextSetup {
        channel,
        kind,
        situation,
        draft,
        context,
        files,
        on_send,
        others_newest,
    });
    let note = kind == Kind::Note;
    let limit = text_box.limit;
    let (text, length) = (text_box.text, text_box.length);

    let input = NodeRef::<leptos::html::Textarea>::new();
    // The controller says where the caret goes; the box on screen follows once it has redrawn.
    let put_caret = move |at: Option<usize>| {
        let Some(at) = at else { return };
        request_animation_frame(move || {
            if let Some(input) = input.get_untracked() {
                let _ = input.focus();
                let at = u32::try_from(at).unwrap_or(u32::MAX);
                let _ = input.set_selection_range(at, at);
            }
        });
    };
    let pick = Callback::new(move |index: usize| put_caret(text_box.pick(index)));
    let close = Callback::new(move |()| put_caret(text_box.close_list()));
    let pick_emoji =
        Callback::new(move |glyph: String| put_caret(Some(text_box.pick_emoji(&glyph))));
    let close_emoji = Callback::new(move |()| put_caret(text_box.close_emoji()));
    let search_box = NodeRef::<leptos::html::Input>::new();
    focus_when_shown(search_box);
    let caret_of = move || {
        input
            .get_untracked()
            .and_then(|input| input.selection_start().ok().flatten())
            .unwrap_or(0) as usize
    };
    let track_caret = move || text_box.caret_moved(caret_of());

    let touch = crate::browser::pointer_is_coarse();
    let handle = move |ev: &leptos::ev::KeyboardEvent, outcome: KeyOutcome| {
        if let KeyOutcome::Handled { caret } = outcome {
            ev.prevent_default();
            put_caret(caret);
        }
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        let key = ev.key();
        handle(&ev, text_box.key(press(&ev, &key, touch)));
    };
    let on_search_keydown = move |ev: leptos::ev::KeyboardEvent| {
        let key = ev.key();
        handle(&ev, text_box.search_key(press(&ev, &key, touch)));
    };
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
    let backdrop = NodeRef::<leptos::html::Div>::new();
    let chooser = NodeRef::<leptos::html::Input>::new();
    let sync_scroll = move |_| {
        if let (Some(input), Some(backdrop)) = (input.get_untracked(), backdrop.get_untracked()) {
            backdrop.set_scroll_top(input.scroll_top());
        }
    };
    let items = Signal::derive(move || text_box.items());
    let list_label = Signal::derive(move || {
        if text_box.offers_emojis() {
            i18n.t().emoji_picker
        } else {
            i18n.t().quick_replies
        }
    });
    view! {
        <form class="sb-composer" class:sb-composer--note=note on:submit=move |ev| { ev.prevent_default(); text_box.send(); }>
            <AttachmentTray files=files draft=draft/>
            {move || text_box.guard.and_then(|guard| guard.asking.get().map(|author| (guard, author))).map(|(guard, author)| view! {
                <div class="sb-guard" role="alert">
                    <p class="sb-guard__text">{(i18n.t().guard_news)(&author)}</p>
                    <div class="sb-guard__actions">
                        <button class="sb-button sb-button--secondary" type="button" on:click=move |_| {
                            guard.review();
                            if let Some(input) = input.get_untracked() {
                                let _ = input.focus();
                            }
                        }>
                            {move || i18n.t().guard_review}
                        </button>
                        <button class="sb-button sb-button--primary" type="button" on:click=move |_| { text_box.send_anyway(); }>
                            {move || i18n.t().send_anyway}
                        </button>
                    </div>
                </div>
            })}
            <Show when=move || text_box.list_open()>
                <Show when=move || text_box.browsing()>
                    <div class="sb-popover-backdrop" on:click=move |_| close.run(())></div>
                </Show>
                <div class="sb-picker" class:sb-picker--browsing=move || text_box.browsing()>
                    <Show when=move || text_box.browsing()>
                        <input
                            node_ref=search_box
                            class="sb-input sb-picker__search"
                            type="search"
                            aria-label=move || i18n.t().search_quick_replies
                            aria-controls="sb-quick-replies"
                            placeholder=move || i18n.t().search_quick_replies
                            prop:value=move || text_box.search()
                            on:input=move |ev| text_box.set_search(event_target_value(&ev))
                            on:keydown=on_search_keydown
                        />
                        {move || text_box.replies_problem().map(|text| view! {
                            <Problem text=text on_retry=Some(Callback::new(move |()| text_box.reload_replies())) class="sb-picker__empty"/>
                        })}
                    </Show>
                    <PickerList list_id="sb-quick-replies" items=items active=text_box.active label=list_label on_pick=pick/>
                </div>
            </Show>
            <Show when=move || text_box.emoji_open()>
                <Loaded load=move || emoji_picker(pick_emoji, close_emoji)/>
            </Show>
            <div class="sb-composer__field">
                <div class="sb-composer__backdrop" node_ref=backdrop aria-hidden="true">
                    {move || text_box.marked_runs().map(|runs| runs
                        .into_iter()
                        .map(|(run, mark)| if mark {
                            view! { <mark>{run}</mark> }.into_any()
                        } else {
                            run.into_any()
                        })
                        .collect_view())}
                    " "
                </div>
                <textarea
                    id="sb-composer-input"
                    node_ref=input
                    class="sb-composer__input"
                    rows="1"
                    aria-label=move || if note { i18n.t().private_note } else { i18n.t().message }
                    aria-describedby="sb-composer-hint"
                    aria-controls="sb-quick-replies"
                    aria-expanded=move || text_box.inline_open().to_string()
                    aria-activedescendant=move || text_box.inline_open().then(|| format!("sb-quick-replies-{}", text_box.active.get()))
                    placeholder=placeholder
                    prop:value=move || text.get()
                    on:input=move |ev| text_box.edited(event_target_value(&ev), caret_of())
                    on:keydown=on_keydown
                    on:keyup=move |ev| if !matches!(ev.key().as_str(), "ArrowUp" | "ArrowDown") { track_caret() }
                    on:click=move |_| track_caret()
                    on:scroll=sync_scroll
                    on:paste=move |ev: leptos::ev::ClipboardEvent| {
                        // An image from the clipboard is a file like any other.
                        let pasted = ev.clipboard_data().and_then(|data| data.files()).map(file_list).unwrap_or_default();
                        if !pasted.is_empty() {
                            ev.prevent_default();
                            files.add(pasted);
                        }
                    }
                ></textarea>
            </div>
            <div class="sb-composer__bar">
                <input
                    node_ref=chooser
                    class="sb-visually-hidden"
                    type="file"
                    multiple
                    tabindex="-1"
                    aria-hidden="true"
                    on:change=move |_| {
                        if let Some(input) = chooser.get_untracked() {
                            let chosen = input.files().map(file_list).unwrap_or_default();
                            input.set_value("");
                            files.add(chosen);
                        }
                    }
                />
                <button class="sb-icon-button" type="button" title=move || i18n.t().attach aria-label=move || i18n.t().attach
                    on:click=move |_| if let Some(input) = chooser.get_untracked() { input.click() }>
                    <Icon icon=icons::ATTACH/>
                </button>
                <button class="sb-icon-button" type="button" title=move || i18n.t().emoji aria-label=move || i18n.t().emoji aria-expanded=move || text_box.emoji_open().to_string()
                    on:click=move |_| text_box.toggle_emoji()>
                    <Icon icon=icons::EMOJI/>
                </button>
                <button class="sb-icon-button" type="button" title=move || i18n.t().quick_replies aria-label=move || i18n.t().quick_replies aria-expanded=move || text_box.browsing().to_string()
                    on:click=move |_| put_caret(text_box.toggle_browser())>
                    <Icon icon=icons::QUICK_REPLY/>
                </button>
                <span id="sb-composer-hint" class="sb-composer__hint">
                    {move || if note { i18n.t().note_hint } else { "" }}
                    {hint}
                </span>
                {move || text_box.unfilled_names().map(|names| view! {
                    <span class="sb-composer__counter sb-composer__counter--over" role="status">{(i18n.t().unfilled_variables)(&names)}</span>
                })}
                {move || text_box.segments().map(|s| view! {
                    <span class="sb-composer__counter">{(i18n.t().sms_segments)(s.segments, length.get(), s.per_segment)}</span>
                })}
                <Show when=move || text_box.counter_shown()>
                    <span class="sb-composer__counter">{move || format!("{}/{limit}", length.get())}</span>
                </Show>
                {move || text_box.blocking().map(|refusal| view! {
                    <span class="sb-composer__counter sb-composer__counter--over" role="status">
                        {(i18n.t().refusal)(&refusal, (i18n.t().channel_name)(channel))}
                    </span>
                })}
                <button class="sb-button sb-button--primary sb-composer__send" type="submit" disabled=move || !text_box.can_send()>
                    <Icon icon=if note { icons::NOTE } else { icons::SEND }/>
                    <span>{send_label}</span>
                </button>
            </div>
        </form>
    }
}
