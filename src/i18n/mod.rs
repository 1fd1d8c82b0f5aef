//! Every user-visible string, in Spanish and English. A locale is a [`Texts`] value, so a
//! string missing from one language is a compile error, not a blank on screen.

mod en;
mod es;
mod workflow;

pub use workflow::WorkflowTexts;

use chrono::{DateTime, Datelike, Local, Timelike, Utc};
use leptos::prelude::*;
use switchboard_protocol::failures::FailureKind;
use switchboard_protocol::rules::Refusal;
use switchboard_protocol::{Cause, Channel, ConversationEventKind, MessageStatus, View};

/// A timeline event with its names resolved (agents, team, inboxes) and its time written,
/// ready to be put in words.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EventWords<'a> {
    pub kind: Option<ConversationEventKind>,
    /// Who did it; `None` when the system did.
    pub actor: Option<&'a str>,
    /// Whom it concerns (the new assignee).
    pub agent: Option<&'a str>,
    pub from_agent: Option<&'a str>,
    pub team: Option<&'a str>,
    pub note: Option<&'a str>,
    pub reason: Option<&'a str>,
    pub summary: Option<&'a str>,
    /// A snooze's end, written in the agent's time.
    pub until: Option<&'a str>,
    pub from_inbox: Option<&'a str>,
    pub to_inbox: Option<&'a str>,
    pub cause: Option<Cause>,
}

/// ` — “…”` after an event's sentence, for a note or a summary.
fn quoted(text: Option<&str>) -> String {
    text.map(|t| format!(": “{t}”")).unwrap_or_default()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Locale {
    Es,
    En,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::Es, Locale::En];

    pub fn code(self) -> &'static str {
        match self {
            Locale::Es => "es",
            Locale::En => "en",
        }
    }

    /// The locale for a BCP 47 tag such as `es-MX` or `en-GB`; Spanish for any Spanish, else English.
    pub fn from_tag(tag: &str) -> Locale {
        if tag.to_ascii_lowercase().starts_with("es") {
            Locale::Es
        } else {
            Locale::En
        }
    }

    pub fn texts(self) -> &'static Texts {
        match self {
            Locale::Es => &es::TEXTS,
            Locale::En => &en::TEXTS,
        }
    }
}

/// The strings of one language. Plain fields for fixed text, functions where a number or a
/// name goes in.
pub struct Texts {
    pub language_name: &'static str,
    pub product: &'static str,

    // Login
    pub login_title: &'static str,
    pub login_subtitle: &'static str,
    pub email: &'static str,
    pub password: &'static str,
    pub log_in: &'static str,
    pub logging_in: &'static str,
    pub log_out: &'static str,
    pub demo_hint: &'static str,
    pub language: &'static str,

    // Tabs and lists
    pub tabs_label: &'static str,
    pub view_name: fn(View) -> &'static str,
    pub conversations_label: &'static str,
    pub channel_conversations: fn(&str) -> String,
    pub unread: fn(u32) -> String,
    pub you_prefix: &'static str,
    pub teammate_prefix: fn(&str) -> String,
    // Search
    pub search: &'static str,
    pub search_placeholder: &'static str,
    pub search_results: &'static str,
    pub search_contacts: &'static str,
    pub search_messages: &'static str,
    pub search_hint: &'static str,
    pub search_more: &'static str,
    pub search_failed: &'static str,
    pub search_nothing: &'static str,
    pub search_closed: &'static str,
    pub channel_name: fn(Channel) -> &'static str,
    pub empty_view: fn(View) -> &'static str,
    pub loading: &'static str,
    pub load_more: &'static str,
    pub assigned_to: fn(&str) -> String,

    // Thread
    pub skip_to_conversation: &'static str,
    pub new_messages: &'static str,
    pub announce_message: fn(&str, &str) -> String,
    pub announce_failed: fn(&str) -> String,
    pub pick_a_conversation: &'static str,
    pub pick_a_conversation_hint: &'static str,
    pub back_to_list: &'static str,
    pub assign_to_me: &'static str,
    pub assigned_to_you: &'static str,
    pub unassigned: &'static str,
    pub closed_badge: &'static str,
    pub loading_older: &'static str,
    pub thread_start: &'static str,
    pub status_name: fn(MessageStatus) -> &'static str,
    pub event_text: fn(&EventWords) -> String,
    /// Working a conversation: closing, transferring, snoozing, starting one, teams.
    pub workflow: &'static WorkflowTexts,
    pub someone: &'static str,
    pub customer: &'static str,
    /// A part of the app loaded when first used (settings, the emoji picker) did not arrive.
    pub part_not_loaded: &'static str,
    pub retry: &'static str,
    pub not_sent: &'static str,
    /// A provider's failure, in words an agent acts on.
    pub failure_kind: fn(FailureKind) -> &'static str,
    pub conversation_not_found: &'static str,
    /// What could not be loaded or done; `ApiFailure::explain` adds why.
    pub conversation_load_failed: &'static str,
    pub messages_load_failed: &'static str,
    pub older_load_failed: &'static str,

    // Composer
    pub message: &'static str,
    pub message_placeholder: &'static str,
    pub send: &'static str,
    pub hint_enter_sends: &'static str,
    pub hint_mod_enter_sends: &'static str,
    pub composer_kind: &'static str,
    pub reply_kind: &'static str,
    pub private_note: &'static str,
    pub add_note: &'static str,
    pub note_placeholder: &'static str,
    pub note_hint: &'static str,
    pub waiting_for_connection: &'static str,
    pub quick_replies: &'static str,
    pub search_quick_replies: &'static str,
    pub templates: &'static str,
    pub search_templates: &'static str,
    pub nothing_found: &'static str,
    pub unfilled_variables: fn(&str) -> String,
    pub emoji: &'static str,
    pub attach: &'static str,
    pub attachments: &'static str,
    pub drop_files: &'static str,
    pub remove_named: fn(&str) -> String,
    pub cancel_upload_named: fn(&str) -> String,
    pub uploading_named: fn(&str) -> String,
    pub download_named: fn(&str) -> String,
    pub open_image: fn(&str) -> String,
    /// A long message shown cut: the button that shows it whole, and back.
    pub show_all: &'static str,
    pub show_less: &'static str,
    pub close: &'static str,
    pub emoji_picker: &'static str,
    pub search_emoji: &'static str,
    pub emoji_groups: &'static str,
    pub emoji_group: fn(&str) -> &'static str,
    pub no_recent_emoji: &'static str,
    pub skin_tone: &'static str,
    pub skin_tone_name: fn(usize) -> &'static str,

    // Settings
    pub settings: &'static str,
    pub back_to_inbox: &'static str,
    pub sending_settings: &'static str,
    pub send_with: &'static str,
    pub send_key_name: fn(crate::preferences::SendKey) -> &'static str,
    pub new_quick_reply: &'static str,
    pub quick_replies_hint: &'static str,
    pub shortcut: &'static str,
    pub title: &'static str,
    pub shared_with: &'static str,
    pub only_me: &'static str,
    pub reply_text: &'static str,
    pub variables_hint: &'static str,
    pub save: &'static str,
    pub cancel: &'static str,
    pub edit: &'static str,
    pub delete: &'static str,
    pub edit_named: fn(&str) -> String,
    pub delete_named: fn(&str) -> String,
    pub confirm_delete_quick_reply: fn(&str) -> String,
    pub quick_reply_invalid: fn(switchboard_protocol::quick_replies::Invalid) -> String,
    pub too_long: fn(usize, usize) -> String,
    pub send_as_human_agent: &'static str,
    pub human_agent_badge: &'static str,
    pub template_badge: fn(&str) -> String,
    pub template_label: &'static str,
    pub template_value: fn(&str) -> String,
    pub template_preview: &'static str,
    pub send_template: &'static str,
    pub no_templates: &'static str,
    pub templates_load_failed: &'static str,
    pub quick_replies_load_failed: &'static str,
    pub emoji_load_failed: &'static str,
    pub quick_reply_delete_failed: &'static str,
    pub replies_blocked: &'static str,
    /// The customer never wrote (a conversation an agent started): templates only.
    pub banner_templates_first: &'static str,
    pub banner_templates_only: fn(&str) -> String,
    pub banner_human_agent: fn(&str) -> String,
    /// The reply guard: someone (named) wrote since the agent began their reply.
    pub guard_news: fn(&str) -> String,
    pub guard_review: &'static str,
    /// Who wrote, when their name is not known here.
    pub a_teammate: &'static str,
    pub send_anyway: &'static str,
    pub banner_window_closed: fn(&str) -> String,
    pub banner_opted_out: &'static str,
    pub banner_unanswered: fn(&str, u32) -> String,
    pub window_closes_in: fn(&str) -> String,
    pub duration: fn(i64) -> String,
    pub sms_segments: fn(usize, usize, usize) -> String,
    pub refusal: fn(&Refusal, &str) -> String,

    // Connection and errors
    pub reconnecting: &'static str,
    pub reconnecting_detail: &'static str,
    pub back_online: &'static str,
    pub network_error: &'static str,
    pub session_expired: &'static str,
    pub error_for_code: fn(&str) -> Option<&'static str>,
    pub something_failed: &'static str,
    /// An answer the app could not read: a server and an app of different versions.
    pub answer_unreadable: &'static str,
    pub workspace_load_failed: &'static str,
    pub not_found_title: &'static str,
    pub not_found_hint: &'static str,
    pub go_to_inbox: &'static str,

    // Time
    pub just_now: &'static str,
    pub minutes_ago: fn(i64) -> String,
    pub yesterday: &'static str,
    pub tomorrow: &'static str,
    pub weekday: fn(u32) -> &'static str,
    pub month_short: fn(u32) -> &'static str,
    pub today: &'static str,
}

/// "2 h 14 min", "45 min", "42 s", "1 d 2 h": the two largest units, rounded down.
fn short_duration(seconds: i64, day: &str) -> String {
    let seconds = seconds.max(0);
    let (days, hours, minutes) = (seconds / 86_400, seconds / 3600 % 24, seconds / 60 % 60);
    match (days, hours, minutes) {
        (d, h, _) if d > 0 => format!("{d} {day} {h} h"),
        (_, h, m) if h > 0 => format!("{h} h {m} min"),
        (_, _, m) if m > 0 => format!("{m} min"),
        _ => format!("{seconds} s"),
    }
}

fn size(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{} MB", bytes / (1024 * 1024))
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

/// A time of day as agents read it in both languages: 09:05. Written by hand: chrono's
/// strftime would bring its whole format parser into the wasm.
pub fn clock(at: &impl Timelike) -> String {
    format!("{:02}:{:02}", at.hour(), at.minute())
}

/// A file's size as people read it: 830 B, 45 KB, 1.5 MB.
pub fn file_size(bytes: u64) -> String {
    const KB: u64 = 1024;
    const MB: u64 = 1024 * 1024;
    match bytes {
        b if b < KB => format!("{b} B"),
        b if b < MB => format!("{} KB", b.div_ceil(KB)),
        b => {
            let tenths = (b * 10).div_ceil(MB);
            if tenths % 10 == 0 || tenths >= 100 {
                format!("{} MB", tenths.div_ceil(10))
            } else {
                format!("{}.{} MB", tenths / 10, tenths % 10)
            }
        }
    }
}

impl Texts {
    /// A short, list-friendly time: "now", "5 min", "14:05" today, "yesterday", a weekday
    /// within a week, else "3 Nov".
    pub fn short_time(&self, at: DateTime<Utc>, now: DateTime<Utc>) -> String {
        let age = now.signed_duration_since(at);
        if age.num_seconds() < 60 {
            return self.just_now.to_owned();
        }
        if age.num_minutes() < 60 {
            return (self.minutes_ago)(age.num_minutes());
        }
        let local = at.with_timezone(&Local);
        let today = now.with_timezone(&Local).date_naive();
        let day = local.date_naive();
        if day == today {
            clock(&local)
        } else if today.pred_opt() == Some(day) {
            self.yesterday.to_owned()
        } else if (today - day).num_days() < 7 {
            (self.weekday)(local.weekday().num_days_from_monday()).to_owned()
        } else {
            format!("{} {}", local.day(), (self.month_short)(local.month()))
        }
    }

    /// A moment, past or to come, with its day: "Today 18:00", "Tomorrow 08:00", "Mon 3 Nov 09:00".
    pub fn moment(&self, at: DateTime<Utc>, now: DateTime<Utc>) -> String {
        let local = at.with_timezone(&Local);
        let today = now.with_timezone(&Local).date_naive();
        let day = local.date_naive();
        let label = if day == today {
            self.today.to_owned()
        } else if today.succ_opt() == Some(day) {
            self.tomorrow.to_owned()
        } else if today.pred_opt() == Some(day) {
            self.yesterday.to_owned()
        } else {
            format!(
                "{} {} {}",
                (self.weekday)(local.weekday().num_days_from_monday()),
                day.day(),
                (self.month_short)(day.month())
            )
        };
        format!("{label} {}", clock(&local))
    }

    /// [`Texts::moment`] in the middle of a sentence: "until tomorrow 09:00".
    pub fn moment_in_sentence(&self, at: DateTime<Utc>, now: DateTime<Utc>) -> String {
        let moment = self.moment(at, now);
        let relative = [self.today, self.tomorrow, self.yesterday]
            .iter()
            .any(|word| moment.starts_with(word));
        if relative {
            let mut chars = moment.chars();
            chars.next().map_or(moment.clone(), |first| {
                first.to_lowercase().chain(chars).collect()
            })
        } else {
            moment
        }
    }

    /// A day heading for the thread: "Today", "Yesterday", or a date.
    pub fn day_heading(&self, at: DateTime<Utc>, now: DateTime<Utc>) -> String {
        let day = at.with_timezone(&Local).date_naive();
        let today = now.with_timezone(&Local).date_naive();
        if day == today {
            self.today.to_owned()
        } else if today.pred_opt() == Some(day) {
            self.yesterday.to_owned()
        } else {
            format!(
                "{} {} {}",
                day.day(),
                (self.month_short)(day.month()),
                day.year()
            )
        }
    }

    /// The sentence for an API error code, in this language; the server's (English) message
    /// when the code is one we do not know.
    pub fn error(&self, code: &str, server_message: &str) -> String {
        (self.error_for_code)(code)
            .or_else(|| (self.workflow.error_for_code)(code))
            .map_or_else(|| server_message.to_owned(), str::to_owned)
    }
}

/// The app's language, switchable at runtime and remembered in the browser.
#[derive(Clone, Copy)]
pub struct I18n {
    pub locale: RwSignal<Locale>,
}

const STORAGE_KEY: &str = "switchboard.locale";

impl I18n {
    /// The saved choice, else the browser's language.
    pub fn detect() -> I18n {
        let saved =
            crate::browser::local_storage_get(STORAGE_KEY).map(|tag| Locale::from_tag(&tag));
        let locale = saved.unwrap_or_else(|| {
            crate::browser::navigator_language().map_or(Locale::En, |tag| Locale::from_tag(&tag))
        });
        I18n {
            locale: RwSignal::new(locale),
        }
    }

    /// Reactive: re-runs the caller when the language changes.
    pub fn t(&self) -> &'static Texts {
        self.locale.get().texts()
    }

    /// The words of working a conversation (`t().workflow`).
    pub fn w(&self) -> &'static WorkflowTexts {
        self.t().workflow
    }

    pub fn set(&self, locale: Locale) {
        crate::browser::local_storage_set(STORAGE_KEY, locale.code());
        crate::browser::set_document_lang(locale.code());
        self.locale.set(locale);
    }
}

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn file_sizes_read_naturally() {
        assert_eq!(file_size(830), "830 B");
        assert_eq!(file_size(45 * 1024), "45 KB");
        assert_eq!(file_size(1536 * 1024), "1.5 MB");
        assert_eq!(file_size(5 * 1024 * 1024), "5 MB");
        assert_eq!(file_size(12 * 1024 * 1024 + 1), "13 MB");
    }

    #[test]
    fn spanish_browsers_get_spanish_and_everyone_else_english() {
        assert_eq!(Locale::from_tag("es-MX"), Locale::Es);
        assert_eq!(Locale::from_tag("ES"), Locale::Es);
        assert_eq!(Locale::from_tag("en-GB"), Locale::En);
        assert_eq!(Locale::from_tag("pt-BR"), Locale::En);
    }

    #[test]
    fn both_languages_name_every_tab_and_status_differently_from_each_other() {
        for view in View::ALL {
            assert_ne!((es::TEXTS.view_name)(view), (en::TEXTS.view_name)(view));
        }
        assert_eq!((en::TEXTS.view_name)(View::Unassigned), "Inbox");
        assert_eq!(
            (en::TEXTS.status_name)(MessageStatus::Delivered),
            "Delivered"
        );
        assert_eq!((es::TEXTS.status_name)(MessageStatus::Read), "Leído");
    }

    #[test]
    fn channel_names_are_translated_where_they_are_words() {
        assert_eq!((es::TEXTS.channel_name)(Channel::Webchat), "Chat web");
        assert_eq!((es::TEXTS.channel_name)(Channel::Email), "Correo");
        assert_eq!((es::TEXTS.channel_name)(Channel::Whatsapp), "WhatsApp");
        assert_eq!((en::TEXTS.channel_name)(Channel::Webchat), "Web chat");
    }

    #[test]
    fn every_kind_of_delivery_failure_is_said_in_both_languages() {
        let kinds = FailureKind::ALL;
        let mut spanish: Vec<&str> = kinds.iter().map(|k| (es::TEXTS.failure_kind)(*k)).collect();
        for (kind, text) in kinds.iter().zip(&spanish) {
            assert_ne!(
                *text,
                (en::TEXTS.failure_kind)(*kind),
                "{kind:?} is translated"
            );
        }
        spanish.sort_unstable();
        spanish.dedup();
        assert_eq!(
            spanish.len(),
            kinds.len(),
            "each kind says something of its own"
        );
    }

    #[test]
    fn durations_are_short_and_whole() {
        assert_eq!((en::TEXTS.duration)(2 * 3600 + 14 * 60 + 59), "2 h 14 min");
        assert_eq!((en::TEXTS.duration)(45 * 60), "45 min");
        assert_eq!((en::TEXTS.duration)(42), "42 s");
        assert_eq!((es::TEXTS.duration)(26 * 3600), "1 d 2 h");
    }

    #[test]
    fn refusals_say_what_to_do_in_both_languages() {
        use switchboard_protocol::rules::Outside;
        let closed = Refusal::WindowClosed {
            since: None,
            allowed: Outside::TemplatesOnly,
        };
        assert!((en::TEXTS.refusal)(&closed, "WhatsApp").contains("template"));
        assert!((es::TEXTS.refusal)(&closed, "WhatsApp").contains("plantilla"));
        let long = Refusal::TextTooLong {
            limit: 1000,
            length: 1001,
        };
        assert!((es::TEXTS.refusal)(&long, "Instagram").contains("1000"));
    }

    #[test]
    fn unread_badges_read_naturally() {
        assert_eq!((en::TEXTS.unread)(3), "3 unread");
        assert_eq!((es::TEXTS.unread)(1), "1 sin leer");
    }

    #[test]
    fn list_times_are_short_and_relative() {
        let now = Utc.with_ymd_and_hms(2026, 11, 21, 12, 0, 0).unwrap();
        let en = &en::TEXTS;
        assert_eq!(
            en.short_time(now - chrono::Duration::seconds(20), now),
            "now"
        );
        assert_eq!(
            en.short_time(now - chrono::Duration::minutes(5), now),
            "5 min"
        );
        assert_eq!(
            es::TEXTS.short_time(now - chrono::Duration::minutes(5), now),
            "5 min"
        );
        let long_ago = en.short_time(now - chrono::Duration::days(40), now);
        assert!(long_ago.contains("Oct"), "{long_ago}");
    }

    #[test]
    fn known_error_codes_are_translated_and_unknown_ones_keep_the_servers_words() {
        assert_ne!(es::TEXTS.error("invalid_credentials", "x"), "x");
        assert_eq!(
            es::TEXTS.error("some_future_code", "Server says"),
            "Server says"
        );
    }
}
