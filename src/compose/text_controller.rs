//! The text box's state machine: the `/` and `:` lists as the agent types (what they offer is
//! `compose::suggestions`), what picking puts in the text, what a key press does, and whether
//! the draft may go. The component (`components/composer/text.rs`) renders it and hands it the
//! browser's events; the DOM (focus, the caret on screen) stays there, told where the caret
//! goes by what these methods return. The decisions are plain functions, tested natively.

use super::files::Files;
use super::guard::{OthersNewest, ReplyGuard};
use super::suggestions::{
    Suggestion, Trigger, emojis_for, inserted, insertion, replies_for, still_dismissed,
    word_at_caret,
};
use super::trigger::Typed;
use super::{ListKey, PickItem, ReplyContext, highlighted, list_action, step};
use crate::api::{Api, use_api};
use crate::drafts::KeptDraft;
use crate::emoji::{EmojiLibrary, use_emoji};
use crate::i18n::{I18n, Locale, use_i18n};
use crate::preferences::{KeyPress, Preferences, SendKey, sends, use_preferences};
use crate::quick_replies::{QuickReplies, use_quick_replies};
use crate::state::Outgoing;
use leptos::prelude::*;
use switchboard_protocol::rules::{
    self, AttachmentMeta, Draft, NOTE_MAX_CHARS, Refusal, Situation, SmsSegments,
};
use switchboard_protocol::variables::{Placeholder, placeholders};
use switchboard_protocol::{Attachment, Channel};

/// The counter shows once a draft passes this share of its limit.
const COUNTER_FROM: f64 = 0.8;

/// What the box writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// To the customer, as the channel allows (`human_agent`: tagged as a human agent's reply).
    Reply { human_agent: bool },
    /// To the team only.
    Note,
}

/// What a key press in the text box means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyDecision {
    /// It works the list open under the caret.
    List(ListKey),
    Send,
    /// The browser's: a letter, a line break.
    Type,
}

/// What the component does after handing over a key press.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyOutcome {
    /// Let the browser do its part (type, break the line).
    Ignored,
    /// Stop the browser's default, and put the caret at `caret` when one is given.
    Handled { caret: Option<usize> },
}

// The decisions, as plain functions.

/// How long the box's text may be.
pub fn limit(kind: Kind, channel: Channel) -> usize {
    match kind {
        Kind::Note => NOTE_MAX_CHARS,
        Kind::Reply { .. } => channel.max_text_chars(),
    }
}

/// Why a reply may not go, by the same check the server makes.
pub fn reply_refusal(
    situation: &Situation,
    text: &str,
    attachments: &[AttachmentMeta],
    human_agent: bool,
) -> Option<Refusal> {
    let draft = Draft {
        text,
        attachments,
        human_agent,
        template: false,
    };
    rules::check(situation, &draft).err()
}

/// Why a note may not go. Files alone make a note.
pub fn note_refusal(text: &str, attachments: &[AttachmentMeta]) -> Option<Refusal> {
    if attachments.is_empty() {
        rules::check_note(text).err()
    } else {
        None
    }
}

/// A refusal worth telling the agent: an empty box is simply not ready yet.
pub fn blocking(refusal: Option<&Refusal>) -> Option<Refusal> {
    refusal.filter(|r| **r != Refusal::Empty).cloned()
}

/// Whether the draft may go: the rules allow it, every variable is filled in (one left would
/// reach the customer as braces), and no file is still on its way up.
pub fn may_send(refusal: Option<&Refusal>, unfilled: &[Placeholder], uploading: bool) -> bool {
    refusal.is_none() && unfilled.is_empty() && !uploading
}

/// Whether the length counter shows: past four fifths of the limit.
pub fn counter_shown(length: usize, limit: usize) -> bool {
    length as f64 >= COUNTER_FROM * limit as f64
}

/// The variables left unfilled, as the agent wrote them: `{{contact.name}}, {{agent.name}}`.
pub fn unfilled_names(unfilled: &[Placeholder]) -> Option<String> {
    (!unfilled.is_empty()).then(|| {
        unfilled
            .iter()
            .map(|p| format!("{{{{{}}}}}", p.name))
            .collect::<Vec<_>>()
            .join(", ")
    })
}

/// What a key does. `inline_list` is the length of the list open under the caret, if one is:
/// its keys come first, so Enter picks rather than sends.
pub fn key_decision(
    press: KeyPress<'_>,
    inline_list: Option<usize>,
    send_key: SendKey,
) -> KeyDecision {
    if let Some(action) = inline_list.and_then(|len| list_action(press.key, press.composing, len)) {
        return KeyDecision::List(action);
    }
    if sends(send_key, press) {
        KeyDecision::Send
    } else {
        KeyDecision::Type
    }
}

/// The message the box sends.
pub fn outgoing(kind: Kind, text: &str, attachments: Vec<Attachment>) -> Outgoing {
    Outgoing {
        text: text.trim().to_owned(),
        human_agent: kind == Kind::Reply { human_agent: true },
        template: None,
        note: kind == Kind::Note,
        attachments,
    }
}

/// What a text box is for and what it writes into.
pub struct TextSetup {
    pub channel: Channel,
    pub kind: Kind,
    pub situation: Signal<Situation>,
    pub draft: RwSignal<KeptDraft>,
    /// What saved replies' variables stand for here.
    pub context: Signal<ReplyContext>,
    pub files: Files,
    pub on_send: Callback<Outgoing>,
    /// Others' newest message in the thread, for the reply guard (`None` until loaded).
    pub others_newest: Signal<Option<Option<OthersNewest>>>,
}

/// The text box's state, reactive: read it in views, change it through its methods.
#[derive(Clone, Copy)]
pub struct TextController {
    pub kind: Kind,
    pub channel: Channel,
    pub limit: usize,
    draft: RwSignal<KeptDraft>,
    context: Signal<ReplyContext>,
    files: Files,
    on_send: Callback<Outgoing>,
    /// A reply's guard (a private note has none).
    pub guard: Option<ReplyGuard>,
    pub text: Memo<String>,
    pub length: Memo<usize>,
    refusal: Memo<Option<Refusal>>,
    pub unfilled: Memo<Vec<Placeholder>>,
    caret: RwSignal<usize>,
    dismissed_at: RwSignal<Option<usize>>,
    browsing: RwSignal<bool>,
    search: RwSignal<String>,
    /// The highlighted row of the open list (the list itself moves it on hover).
    pub active: RwSignal<usize>,
    emoji_open: RwSignal<bool>,
    typed: Memo<Option<(Trigger, Typed)>>,
    query: Memo<Option<(Trigger, String)>>,
    found: Memo<Vec<Suggestion>>,
    open: Memo<bool>,
    api: Api,
    i18n: I18n,
    preferences: Preferences,
    quick_replies: QuickReplies,
    emoji: EmojiLibrary,
}

impl TextController {
    pub fn new(setup: TextSetup) -> TextController {
        let TextSetup {
            channel,
            kind,
            situation,
            draft,
            context,
            files,
            on_send,
            others_newest,
        } = setup;
        let (api, i18n, preferences) = (use_api(), use_i18n(), use_preferences());
        let (quick_replies, emoji) = (use_quick_replies(), use_emoji());

        let text = Memo::new(move |_| draft.with(|d| d.text.clone()));
        let length = Memo::new(move |_| text.with(|t| t.chars().count()));
        let guard = (kind != Kind::Note).then(|| ReplyGuard::new(others_newest, text));
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
                metas.with(|metas| match kind {
                    Kind::Note => note_refusal(t, metas),
                    Kind::Reply { human_agent } => {
                        situation.with(|s| reply_refusal(s, t, metas, human_agent))
                    }
                })
            })
        });
        let unfilled = Memo::new(move |_| text.with(|t| placeholders(t)));

        let caret = RwSignal::new(0usize);
        let dismissed_at = RwSignal::new(None::<usize>);
        let browsing = RwSignal::new(false);
        let search = RwSignal::new(String::new());
        let active = RwSignal::new(0usize);
        let emoji_open = RwSignal::new(false);
        let at_caret = Memo::new(move |_| {
            let at = caret.get();
            text.with(|t| word_at_caret(t, at))
        });
        Effect::new(move |_| {
            let start = at_caret.with(|word| word.as_ref().map(|(_, typed)| typed.start));
            let kept = still_dismissed(dismissed_at.get_untracked(), start);
            if kept != dismissed_at.get_untracked() {
                dismissed_at.set(kept);
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
                replies_for(&query, &quick_replies.for_inbox(inbox))
            }
            Some((Trigger::Emoji, query)) => {
                emoji.load(api);
                let spanish = i18n.locale.get() == Locale::Es;
                let tone = emoji.tone.get();
                emoji.emojis.with(|emojis| {
                    emojis
                        .as_ref()
                        .map_or_else(Vec::new, |e| emojis_for(&query, e, tone, spanish))
                })
            }
        });
        // Typing opens the list only when something matches; the button always does.
        let open = Memo::new(move |_| browsing.get() || found.with(|f| !f.is_empty()));
        Effect::new(move |_| {
            query.track();
            active.set(0);
        });

        TextController {
            kind,
            channel,
            limit: limit(kind, channel),
            draft,
            context,
            files,
            on_send,
            guard,
            text,
            length,
            refusal,
            unfilled,
            caret,
            dismissed_at,
            browsing,
            search,
            active,
            emoji_open,
            typed,
            query,
            found,
            open,
            api,
            i18n,
            preferences,
            quick_replies,
            emoji,
        }
    }

    // What the view reads.

    /// The list of saved replies is open from its button (with a search box).
    pub fn browsing(&self) -> bool {
        self.browsing.get()
    }

    pub fn search(&self) -> String {
        self.search.get()
    }

    pub fn emoji_open(&self) -> bool {
        self.emoji_open.get()
    }

    /// A list is showing: the browser, or suggestions for the word at the caret.
    pub fn list_open(&self) -> bool {
        self.open.get()
    }

    /// Suggestions for the word at the caret are showing (the text box drives them).
    pub fn inline_open(&self) -> bool {
        self.open.get() && !self.browsing.get()
    }

    /// The list offers emojis (else saved replies).
    pub fn offers_emojis(&self) -> bool {
        self.query.with(|q| matches!(q, Some((Trigger::Emoji, _))))
    }

    pub fn items(&self) -> Vec<PickItem> {
        self.found
            .with(|found| found.iter().map(Suggestion::item).collect())
    }

    /// Why the saved replies could not be loaded, while the agent browses them.
    pub fn replies_problem(&self) -> Option<String> {
        let texts = self.i18n.t();
        self.quick_replies.failure.with(|failure| {
            failure
                .as_ref()
                .map(|f| f.explain(texts.quick_replies_load_failed, texts))
        })
    }

    pub fn can_send(&self) -> bool {
        self.refusal.with(|r| {
            self.unfilled
                .with(|u| may_send(r.as_ref(), u, self.files.busy()))
        })
    }

    /// What the rules refuse, when it is worth saying.
    pub fn blocking(&self) -> Option<Refusal> {
        self.refusal.with(|r| blocking(r.as_ref()))
    }

    /// The plain length counter (SMS replies count segments instead).
    pub fn counter_shown(&self) -> bool {
        counter_shown(self.length.get(), self.limit)
            && (self.kind == Kind::Note || self.channel != Channel::Sms)
    }

    /// How many SMS a reply costs, once something is written.
    pub fn segments(&self) -> Option<SmsSegments> {
        (self.channel == Channel::Sms && self.kind != Kind::Note && self.length.get() > 0)
            .then(|| self.text.with(|t| rules::sms_segments(t)))
    }

    pub fn unfilled_names(&self) -> Option<String> {
        self.unfilled.with(|u| unfilled_names(u))
    }

    /// The text cut into runs, unfilled variables marked, when there are any.
    pub fn marked_runs(&self) -> Option<Vec<(String, bool)>> {
        self.unfilled.with(|unfilled| {
            (!unfilled.is_empty()).then(|| self.text.with(|t| highlighted(t, unfilled)))
        })
    }

    // What the view hands over.

    /// The agent typed: the new text, and where the caret is now.
    pub fn edited(&self, text: String, caret: usize) {
        self.draft.update(|d| d.text = text);
        self.caret.set(caret);
    }

    pub fn caret_moved(&self, caret: usize) {
        self.caret.set(caret);
    }

    pub fn set_search(&self, search: String) {
        self.search.set(search);
    }

    /// Picks a row of the open list; where the caret goes.
    pub fn pick(&self, index: usize) -> Option<usize> {
        let suggestion = self.found.with_untracked(|f| f.get(index).cloned())?;
        let replace_typed = !self.browsing.get_untracked();
        self.browsing.set(false);
        if let Suggestion::Emoji { glyph, .. } = &suggestion {
            self.emoji.remember(glyph);
        }
        let insert = self.context.with_untracked(|c| inserted(&suggestion, c));
        Some(self.insert(&insert, replace_typed))
    }

    /// Closes the open list; where the caret goes (back into the box after browsing).
    pub fn close_list(&self) -> Option<usize> {
        if self.browsing.get_untracked() {
            self.browsing.set(false);
            Some(self.caret.get_untracked())
        } else {
            if let Some((_, typed)) = self.typed.get_untracked() {
                self.dismissed_at.set(Some(typed.start));
            }
            None
        }
    }

    /// The saved replies' button: opens the browser (fresh from the server), or closes it.
    pub fn toggle_browser(&self) -> Option<usize> {
        if self.browsing.get_untracked() {
            return self.close_list();
        }
        self.emoji_open.set(false);
        self.quick_replies.refresh(self.api);
        self.search.set(String::new());
        self.browsing.set(true);
        None
    }

    /// Loads the saved replies again after a failure.
    pub fn reload_replies(&self) {
        self.quick_replies.refresh(self.api);
    }

    pub fn toggle_emoji(&self) {
        self.browsing.set(false);
        self.emoji_open.update(|open| *open = !*open);
    }

    /// An emoji from the picker, at the caret; where the caret goes.
    pub fn pick_emoji(&self, glyph: &str) -> usize {
        self.emoji_open.set(false);
        self.insert(glyph, false)
    }

    pub fn close_emoji(&self) -> Option<usize> {
        self.emoji_open.get_untracked().then(|| {
            self.emoji_open.set(false);
            self.caret.get_untracked()
        })
    }

    /// A key pressed in the text box.
    pub fn key(&self, press: KeyPress<'_>) -> KeyOutcome {
        let inline = (self.open.get_untracked() && !self.browsing.get_untracked())
            .then(|| self.found.with_untracked(Vec::len));
        match key_decision(press, inline, self.preferences.send_key.get_untracked()) {
            KeyDecision::List(key) => KeyOutcome::Handled {
                caret: self.list_key(key),
            },
            KeyDecision::Send => {
                self.send();
                KeyOutcome::Handled { caret: None }
            }
            KeyDecision::Type => KeyOutcome::Ignored,
        }
    }

    /// A key pressed in the browser's search box: only the list's keys are ours.
    pub fn search_key(&self, press: KeyPress<'_>) -> KeyOutcome {
        let len = self.found.with_untracked(Vec::len);
        match list_action(press.key, press.composing, len) {
            Some(key) => KeyOutcome::Handled {
                caret: self.list_key(key),
            },
            None => KeyOutcome::Ignored,
        }
    }

    /// Sends the draft if it may go, and empties the box. Whether it went. A reply waits
    /// instead when someone wrote since the agent began it (the guard asks).
    pub fn send(&self) -> bool {
        if !self.can_send() || self.guard.is_some_and(|guard| guard.holds()) {
            return false;
        }
        let attachments = self.draft.with_untracked(|d| d.attachments.clone());
        self.on_send.run(
            self.text
                .with_untracked(|t| outgoing(self.kind, t, attachments)),
        );
        self.draft.update(|d| {
            d.text.clear();
            d.attachments.clear();
        });
        self.files.refused.set(None);
        self.dismissed_at.set(None);
        true
    }

    /// Sends though someone wrote since: the agent has seen it and says the reply stands.
    pub fn send_anyway(&self) -> bool {
        if let Some(guard) = self.guard {
            guard.confirm();
        }
        self.send()
    }

    fn list_key(&self, key: ListKey) -> Option<usize> {
        let len = self.found.with_untracked(Vec::len);
        match key {
            ListKey::Pick => self.pick(self.active.get_untracked().min(len.saturating_sub(1))),
            ListKey::Close => self.close_list(),
            ListKey::Up | ListKey::Down => {
                self.active.update(|a| *a = step(*a, len, key));
                None
            }
        }
    }

    /// Puts `insert` where the typed word was (or at the caret); the caret after it.
    fn insert(&self, insert: &str, replace_typed: bool) -> usize {
        let typed = self.typed.get_untracked();
        let (text, at) = self.text.with_untracked(|t| {
            insertion(
                t,
                typed.as_ref().map(|(_, typed)| typed),
                self.caret.get_untracked(),
                insert,
                replace_typed,
            )
        });
        self.draft.update(|d| d.text = text);
        self.caret.set(at);
        at
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enter() -> KeyPress<'static> {
        KeyPress {
            key: "Enter",
            ..KeyPress::default()
        }
    }

    #[test]
    fn enter_picks_from_the_list_under_the_caret_instead_of_sending() {
        assert_eq!(
            key_decision(enter(), Some(3), SendKey::Enter),
            KeyDecision::List(ListKey::Pick)
        );
        assert_eq!(
            key_decision(enter(), None, SendKey::Enter),
            KeyDecision::Send
        );
        let escape = KeyPress {
            key: "Escape",
            ..enter()
        };
        assert_eq!(
            key_decision(escape, Some(1), SendKey::Enter),
            KeyDecision::List(ListKey::Close)
        );
        assert_eq!(
            key_decision(escape, None, SendKey::Enter),
            KeyDecision::Type
        );
        let composing = KeyPress {
            composing: true,
            ..enter()
        };
        assert_eq!(
            key_decision(composing, Some(3), SendKey::Enter),
            KeyDecision::Type,
            "an input method keeps Enter"
        );
        let newline = KeyPress {
            shift: true,
            ..enter()
        };
        assert_eq!(
            key_decision(newline, None, SendKey::Enter),
            KeyDecision::Type
        );
    }

    #[test]
    fn an_unfilled_variable_or_a_file_on_its_way_holds_the_send() {
        let unfilled = placeholders("Hola {{contact.first_name}}");
        assert!(!may_send(None, &unfilled, false));
        assert_eq!(
            unfilled_names(&unfilled).as_deref(),
            Some("{{contact.first_name}}")
        );
        assert!(!may_send(None, &[], true));
        assert!(may_send(None, &[], false));
        assert_eq!(unfilled_names(&[]), None);
    }

    #[test]
    fn an_empty_box_is_not_ready_but_says_nothing_and_a_long_one_says_why() {
        assert_eq!(note_refusal("", &[]), Some(Refusal::Empty));
        assert_eq!(blocking(Some(&Refusal::Empty)), None);
        let long = "a".repeat(NOTE_MAX_CHARS + 1);
        let refusal = note_refusal(&long, &[]);
        assert!(matches!(refusal, Some(Refusal::NoteTooLong { .. })));
        assert_eq!(blocking(refusal.as_ref()), refusal);
    }

    #[test]
    fn the_counter_shows_past_four_fifths_of_the_limit() {
        assert_eq!(limit(Kind::Note, Channel::Sms), NOTE_MAX_CHARS);
        let whatsapp = limit(Kind::Reply { human_agent: false }, Channel::Whatsapp);
        assert!(!counter_shown(whatsapp * 3 / 4, whatsapp));
        assert!(counter_shown((whatsapp * 4).div_ceil(5), whatsapp));
    }

    #[test]
    fn what_goes_out_is_trimmed_and_says_what_kind_it_is() {
        let note = outgoing(Kind::Note, "  Llamar mañana \n", Vec::new());
        assert_eq!(note.text, "Llamar mañana");
        assert!(note.note && !note.human_agent);
        let tagged = outgoing(Kind::Reply { human_agent: true }, "Hola", Vec::new());
        assert!(tagged.human_agent && !tagged.note && tagged.template.is_none());
    }
}
