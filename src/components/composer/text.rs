//! The text box: a reply the channel's rules allow, or a private note for the team.

use super::attachments::{AttachmentTray, file_list};
use super::emoji_picker::EmojiPicker;
use super::picker::{PickItem, PickerList, focus_when_shown, picker_keydown};
use crate::components::{Icon, icons};
use crate::compose::files::Files;
use crate::compose::matching::rank;
use crate::compose::trigger::{replace_range, typed_at};
use crate::compose::{ReplyContext, highlighted};
use crate::drafts::KeptDraft;
use crate::emoji::use_emoji;
use crate::i18n::{Locale, use_i18n};
use crate::preferences::{KeyPress, SendKey, sends, use_preferences};
use crate::quick_replies::use_quick_replies;
use crate::state::Outgoing;
use leptos::prelude::*;
use switchboard_protocol::quick_replies::QuickReply;
use switchboard_protocol::rules::{self, Draft, NOTE_MAX_CHARS, Refusal, Situation};
use switchboard_protocol::variables::{fill, placeholders};
use switchboard_protocol::{Attachment, Channel};

/// At most this many saved replies are offered at once.
const PICKER_ROWS: usize = 8;

/// Shown once a draft passes this share of its limit.
const COUNTER_FROM: f64 = 0.8;

/// What a word at the caret asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Trigger {
    Reply,
    Emoji,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Suggestion {
    Reply(QuickReply),
    /// `insert` is in the agent's skin tone; `glyph` is remembered as recently used.
    Emoji {
        insert: String,
        glyph: String,
        name: String,
    },
}

impl Suggestion {
    fn item(&self) -> PickItem {
        match self {
            Suggestion::Reply(reply) => PickItem {
                title: reply.title.clone(),
                shortcut: Some(reply.shortcut.clone()),
                preview: reply.body.clone(),
            },
            Suggestion::Emoji { insert, name, .. } => PickItem {
                title: format!("{insert}  {name}"),
                shortcut: None,
                preview: String::new(),
            },
        }
    }
}

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
    context: Signal<ReplyContext>,
    files: Files,
    on_send: Callback<Outgoing>,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = crate::api::use_api();
    let preferences = use_preferences();
    let quick_replies = use_quick_replies();
    let emoji = use_emoji();
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
    let metas = Memo::new(move |_| {
        draft.with(|d| {
            d.attachments
                .iter()
                .map(Attachment::meta)
                .collect::<Vec<_>>()
        })
    });
    let refusal = Memo::new(move |_| {
        text.with(|t| {
            metas.with(|metas| {
                if note {
                    return if metas.is_empty() {
                        rules::check_note(t).err()
                    } else {
                        None
                    };
                }
                let draft = Draft {
                    text: t,
                    attachments: metas,
                    human_agent,
                    template: false,
                };
                situation.with(|s| rules::check(s, &draft).err())
            })
        })
    });
    // A variable nobody filled in would reach the customer as braces.
    let unfilled = Memo::new(move |_| text.with(|t| placeholders(t)));
    let blocking = move || refusal.with(|r| r.as_ref().filter(|r| **r != Refusal::Empty).cloned());
    let can_send =
        move || refusal.with(Option::is_none) && unfilled.with(Vec::is_empty) && !files.busy();
    let show_counter = move || length.get() as f64 >= COUNTER_FROM * limit as f64;
    let segments = move || {
        (channel == Channel::Sms && !note && length.get() > 0)
            .then(|| text.with(|t| rules::sms_segments(t)))
    };

    // Suggestions while typing: saved replies after `/` (or from the button), emojis after
    // `:` and two letters.
    let input = NodeRef::<leptos::html::Textarea>::new();
    let caret = RwSignal::new(0usize);
    let dismissed_at = RwSignal::new(None::<usize>);
    let browsing = RwSignal::new(false);
    let search = RwSignal::new(String::new());
    let active = RwSignal::new(0usize);
    let emoji_open = RwSignal::new(false);
    let at_caret = Memo::new(move |_| {
        let at = caret.get();
        text.with(|t| {
            typed_at(t, at, '/', 0)
                .map(|typed| (Trigger::Reply, typed))
                .or_else(|| typed_at(t, at, ':', 2).map(|typed| (Trigger::Emoji, typed)))
        })
    });
    // Escape closes the list for the word being typed, not for good: once that word is gone,
    // a new `/` opens it again.
    Effect::new(move |_| {
        let start = at_caret.with(|typed| typed.as_ref().map(|(_, t)| t.start));
        if dismissed_at.get_untracked().is_some() && start != dismissed_at.get_untracked() {
            dismissed_at.set(None);
        }
    });
    let typed = Memo::new(move |_| {
        at_caret
            .get()
            .filter(|(_, typed)| dismissed_at.get() != Some(typed.start))
    });
    let query = Memo::new(move |_| {
        if browsing.get() {
            Some((Trigger::Reply, search.get()))
        } else {
            typed.get().map(|(trigger, typed)| (trigger, typed.query))
        }
    });
    let found = Memo::new(move |_| match query.get() {
        None => Vec::new(),
        Some((Trigger::Reply, query)) => {
            let inbox = context.with(|c| c.inbox);
            quick_replies.all.track();
            let available = quick_replies.for_inbox(inbox);
            rank(&query, &available, |r: &QuickReply| {
                vec![r.shortcut.as_str(), r.title.as_str()]
            })
            .into_iter()
            .take(PICKER_ROWS)
            .map(|i| Suggestion::Reply(available[i].clone()))
            .collect()
        }
        Some((Trigger::Emoji, query)) => {
            emoji.load(api);
            let spanish = i18n.locale.get() == Locale::Es;
            let tone = emoji.tone.get();
            emoji.emojis.with(|emojis| {
                emojis.as_ref().map_or_else(Vec::new, |emojis| {
                    emojis
                        .search(&query, PICKER_ROWS)
                        .into_iter()
                        .map(|e| Suggestion::Emoji {
                            insert: e.in_tone(tone).to_owned(),
                            glyph: e.glyph.clone(),
                            name: e.name(spanish).to_owned(),
                        })
                        .collect()
                })
            })
        }
    });
    // Typing opens the list only when something matches; the button always does.
    let open = Memo::new(move |_| browsing.get() || found.with(|f| !f.is_empty()));
    Effect::new(move |_| {
        query.track();
        active.set(0);
    });
    let items = Signal::derive(move || {
        found.with(|found| found.iter().map(Suggestion::item).collect::<Vec<_>>())
    });
    let list_label = Signal::derive(move || match query.get() {
        Some((Trigger::Emoji, _)) => i18n.t().emoji_picker,
        _ => i18n.t().quick_replies,
    });
    let put_caret = move |at: usize| {
        caret.set(at);
        request_animation_frame(move || {
            if let Some(input) = input.get_untracked() {
                let _ = input.focus();
                let at = u32::try_from(at).unwrap_or(u32::MAX);
                let _ = input.set_selection_range(at, at);
            }
        });
    };
    let close = Callback::new(move |()| {
        if browsing.get_untracked() {
            browsing.set(false);
            put_caret(caret.get_untracked());
        } else if let Some((_, typed)) = typed.get_untracked() {
            dismissed_at.set(Some(typed.start));
        }
    });
    // Puts `insert` where the typed word was (or at the caret) and the caret after it.
    let insert = move |insert: &str, replace_typed: bool| {
        let (start, end) = match typed.get_untracked() {
            Some((_, typed)) if replace_typed => (typed.start, typed.end),
            _ => (caret.get_untracked(), caret.get_untracked()),
        };
        let (new_text, at) = text.with_untracked(|t| replace_range(t, start, end, insert));
        draft.update(|d| d.text = new_text);
        put_caret(at);
    };
    let pick = Callback::new(move |index: usize| {
        let Some(suggestion) = found.with_untracked(|f| f.get(index).cloned()) else {
            return;
        };
        let replace_typed = !browsing.get_untracked();
        browsing.set(false);
        match suggestion {
            Suggestion::Reply(reply) => {
                let body = context.with_untracked(|c| fill(&reply.body, &c.values()));
                insert(&body, replace_typed);
            }
            Suggestion::Emoji {
                insert: glyph,
                glyph: base,
                ..
            } => {
                emoji.remember(&base);
                insert(&glyph, replace_typed);
            }
        }
    });
    let pick_emoji = Callback::new(move |glyph: String| {
        emoji_open.set(false);
        insert(&glyph, false);
    });
    let close_emoji = Callback::new(move |()| {
        if emoji_open.get_untracked() {
            emoji_open.set(false);
            put_caret(caret.get_untracked());
        }
    });
    let open_browser = move |_| {
        if browsing.get_untracked() {
            close.run(());
            return;
        }
        emoji_open.set(false);
        quick_replies.refresh(api);
        search.set(String::new());
        browsing.set(true);
    };
    let search_box = NodeRef::<leptos::html::Input>::new();
    focus_when_shown(search_box);
    let track_caret = move || {
        if let Some(input) = input.get_untracked() {
            let at = input.selection_start().ok().flatten().unwrap_or(0);
            caret.set(at as usize);
        }
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
            attachments: draft.with_untracked(|d| d.attachments.clone()),
        });
        draft.update(|d| {
            d.text.clear();
            d.attachments.clear();
        });
        files.refused.set(None);
        dismissed_at.set(None);
    };
    let touch = crate::browser::pointer_is_coarse();
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if open.get_untracked()
            && !browsing.get_untracked()
            && picker_keydown(&ev, active, found.with_untracked(Vec::len), pick, close)
        {
            return;
        }
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
    let unfilled_text = move || {
        unfilled.with(|u| {
            (!u.is_empty()).then(|| {
                let names: Vec<String> = u.iter().map(|p| format!("{{{{{}}}}}", p.name)).collect();
                (i18n.t().unfilled_variables)(&names.join(", "))
            })
        })
    };
    view! {
        <form class="sb-composer" class:sb-composer--note=note on:submit=move |ev| { ev.prevent_default(); send(); }>
            <AttachmentTray files=files draft=draft/>
            <Show when=move || open.get()>
                <Show when=move || browsing.get()>
                    <div class="sb-popover-backdrop" on:click=move |_| close.run(())></div>
                </Show>
                <div class="sb-picker" class:sb-picker--browsing=move || browsing.get()>
                    <Show when=move || browsing.get()>
                        <input
                            node_ref=search_box
                            class="sb-input sb-picker__search"
                            type="search"
                            aria-label=move || i18n.t().search_quick_replies
                            aria-controls="sb-quick-replies"
                            placeholder=move || i18n.t().search_quick_replies
                            prop:value=move || search.get()
                            on:input=move |ev| search.set(event_target_value(&ev))
                            on:keydown=move |ev| { picker_keydown(&ev, active, found.with_untracked(Vec::len), pick, close); }
                        />
                    </Show>
                    <PickerList list_id="sb-quick-replies" items=items active=active label=list_label on_pick=pick/>
                </div>
            </Show>
            <Show when=move || emoji_open.get()>
                <EmojiPicker on_pick=pick_emoji on_close=close_emoji/>
            </Show>
            <div class="sb-composer__field">
                <div class="sb-composer__backdrop" node_ref=backdrop aria-hidden="true">
                    {move || (!unfilled.with(Vec::is_empty)).then(|| text.with(|t| {
                        highlighted(t, &unfilled.get())
                            .into_iter()
                            .map(|(run, mark)| if mark {
                                view! { <mark>{run}</mark> }.into_any()
                            } else {
                                run.into_any()
                            })
                            .collect_view()
                    }))}
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
                    aria-expanded=move || (open.get() && !browsing.get()).to_string()
                    aria-activedescendant=move || (open.get() && !browsing.get()).then(|| format!("sb-quick-replies-{}", active.get()))
                    placeholder=placeholder
                    prop:value=move || text.get()
                    on:input=move |ev| { draft.update(|d| d.text = event_target_value(&ev)); track_caret(); }
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
                <button class="sb-icon-button" type="button" title=move || i18n.t().emoji aria-label=move || i18n.t().emoji aria-expanded=move || emoji_open.get().to_string()
                    on:click=move |_| { browsing.set(false); emoji_open.update(|open| *open = !*open); }>
                    <Icon icon=icons::EMOJI/>
                </button>
                <button class="sb-icon-button" type="button" title=move || i18n.t().quick_replies aria-label=move || i18n.t().quick_replies aria-expanded=move || browsing.get().to_string() on:click=open_browser>
                    <Icon icon=icons::QUICK_REPLY/>
                </button>
                <span id="sb-composer-hint" class="sb-composer__hint">
                    {move || if note { i18n.t().note_hint } else { "" }}
                    {hint}
                </span>
                {move || unfilled_text().map(|text| view! {
                    <span class="sb-composer__counter sb-composer__counter--over" role="status">{text}</span>
                })}
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
