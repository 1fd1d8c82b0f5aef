pub mod attachments;
mod emoji_picker;
mod picker;
mod templates;
mod text;

use super::{Icon, icons};
use crate::compose::ReplyContext;
use crate::compose::files::Files;
use crate::compose::guard::OthersNewest;
use crate::drafts;
use crate::i18n::{Texts, clock, use_i18n};
use crate::split::Loaded;
use crate::state::Outgoing;
use attachments::file_list;
use leptos::prelude::*;
use switchboard_protocol::rules::{Outside, Situation, Window};
use switchboard_protocol::templates::Template;
use switchboard_protocol::{AgentId, Channel, ConversationId};
use templates::template_picker;
use text::{Kind, TextComposer};

/// The countdown appears when the window closes within this many hours.
const COUNTDOWN_HOURS: i64 = 6;

/// What the channel's rules let the agent send here now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Write { human_agent: bool },
    Templates,
    Blocked,
}

/// What the agent is told above the composer.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Notice {
    OptedOut,
    Unanswered(u32),
    /// `None`: the customer has not written yet (a conversation an agent started).
    TemplatesOnly {
        closed_secs_ago: Option<i64>,
    },
    HumanAgent {
        until: chrono::DateTime<chrono::Utc>,
    },
    Closed,
    ClosesIn {
        secs: i64,
    },
}

fn assess(situation: &Situation) -> (Mode, Option<Notice>) {
    let rules = situation.channel.rules();
    if situation.opted_out {
        return (Mode::Blocked, Some(Notice::OptedOut));
    }
    if let Some(limit) = rules.max_unanswered
        && situation.unanswered >= limit
    {
        return (Mode::Blocked, Some(Notice::Unanswered(limit)));
    }
    match situation.window() {
        Window::None => (Mode::Write { human_agent: false }, None),
        Window::Open { closes_at } => {
            let secs = (closes_at - situation.now).num_seconds();
            let soon = secs < COUNTDOWN_HOURS * 3600;
            (
                Mode::Write { human_agent: false },
                soon.then_some(Notice::ClosesIn { secs }),
            )
        }
        Window::Closed {
            since,
            allowed,
            until,
        } => match (allowed, until) {
            (Outside::TemplatesOnly, _) => {
                let closed_secs_ago = since.map(|since| (situation.now - since).num_seconds());
                (
                    Mode::Templates,
                    Some(Notice::TemplatesOnly { closed_secs_ago }),
                )
            }
            (Outside::HumanAgentTag { .. }, Some(until)) => (
                Mode::Write { human_agent: true },
                Some(Notice::HumanAgent { until }),
            ),
            _ => (Mode::Blocked, Some(Notice::Closed)),
        },
    }
}

fn notice_text(notice: &Notice, texts: &Texts, channel: &str) -> String {
    match notice {
        Notice::OptedOut => texts.banner_opted_out.to_owned(),
        Notice::Unanswered(limit) => (texts.banner_unanswered)(channel, *limit),
        Notice::TemplatesOnly {
            closed_secs_ago: None,
        } => texts.banner_templates_first.to_owned(),
        Notice::TemplatesOnly {
            closed_secs_ago: Some(ago),
        } => (texts.banner_templates_only)(&(texts.duration)(*ago)),
        Notice::HumanAgent { until } => {
            let local = until.with_timezone(&chrono::Local);
            let when = format!(
                "{} {} {}",
                chrono::Datelike::day(&local),
                (texts.month_short)(chrono::Datelike::month(&local)),
                clock(&local)
            );
            (texts.banner_human_agent)(&when)
        }
        Notice::Closed => (texts.banner_window_closed)(channel),
        Notice::ClosesIn { secs } => (texts.window_closes_in)(&(texts.duration)(*secs)),
    }
}

/// The reply box, shaped by the channel's rules: it says before sending what would fail, and
/// offers only what the channel allows now (a template, a human agent's reply, nothing). A
/// private note for the team is always possible. What the agent writes is kept per
/// conversation (`keep_for` the agent): switching away or reloading loses nothing.
#[component]
pub fn Composer(
    channel: Channel,
    conversation: ConversationId,
    #[prop(into)] situation: Signal<Situation>,
    #[prop(into)] templates: Signal<Vec<Template>>,
    #[prop(into)] on_send: Callback<Outgoing>,
    keep_for: Option<AgentId>,
    /// What saved replies' variables stand for here.
    #[prop(into)]
    context: Signal<ReplyContext>,
    /// Why the templates could not be loaded.
    #[prop(into, optional)]
    templates_problem: MaybeProp<String>,
    /// Loads the templates again.
    #[prop(optional)]
    on_reload_templates: Option<Callback<()>>,
    /// Others' newest message in the thread (`None` until it is loaded): a reply begun
    /// before a newer one asks before it goes.
    #[prop(into, optional)]
    others_newest: Signal<Option<Option<OthersNewest>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (draft, files) = drafts::use_composing().of(keep_for, conversation, channel);
    let note = Memo::new(move |_| draft.with(|d| d.note));
    // Once the conversation is on the page.
    Effect::new(move |_| accept_dropped_files(files));
    let assessed = Memo::new(move |_| situation.with(assess));
    let mode = Memo::new(move |_| assessed.with(|(mode, _)| *mode));
    let channel_name = move || (i18n.t().channel_name)(channel);
    let notice = move || {
        if note.get() {
            return None;
        }
        assessed.with(|(_, notice)| {
            notice.as_ref().map(|n| {
                (
                    notice_text(n, i18n.t(), channel_name()),
                    matches!(n, Notice::ClosesIn { .. }),
                )
            })
        })
    };
    let set_note = move |on: bool| draft.update(|d| d.note = on);
    let kinds = NodeRef::<leptos::html::Div>::new();
    view! {
        <div class="sb-composer-area" class:sb-composer-area--note=note>
            {move || notice().map(|(text, countdown)| {
                if countdown {
                    view! { <p class="sb-countdown" role="note">{text}</p> }.into_any()
                } else {
                    view! { <p class="sb-notice" role="status">{text}</p> }.into_any()
                }
            })}
            <div class="sb-composer__kinds" role="radiogroup" aria-label=move || i18n.t().composer_kind
                on:keydown=move |ev| {
                    // One stop for Tab; the arrows choose, as in any radio group.
                    if matches!(ev.key().as_str(), "ArrowLeft" | "ArrowRight" | "ArrowUp" | "ArrowDown") {
                        ev.prevent_default();
                        set_note(!note.get_untracked());
                        if let Some(group) = kinds.get_untracked()
                            && let Ok(Some(checked)) = group.query_selector("[aria-checked=true]")
                            && let Ok(checked) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(checked)
                        {
                            let _ = checked.focus();
                        }
                    }
                }
                node_ref=kinds>
                <button type="button" role="radio" class="sb-composer__kind" aria-checked=move || (!note.get()).to_string()
                    tabindex=move || if note.get() { "-1" } else { "0" } on:click=move |_| set_note(false)>
                    {move || i18n.t().reply_kind}
                </button>
                <button type="button" role="radio" class="sb-composer__kind sb-composer__kind--note" aria-checked=move || note.get().to_string()
                    tabindex=move || if note.get() { "0" } else { "-1" } on:click=move |_| set_note(true)>
                    <Icon icon=icons::NOTE/>
                    {move || i18n.t().private_note}
                </button>
            </div>
            {move || match (note.get(), mode.get()) {
                (true, _) => view! {
                    <TextComposer channel=channel situation=situation draft=draft kind=Kind::Note context=context files=files on_send=on_send others_newest=others_newest/>
                }
                .into_any(),
                (false, Mode::Write { human_agent }) => view! {
                    <TextComposer channel=channel situation=situation draft=draft kind=Kind::Reply { human_agent } context=context files=files on_send=on_send others_newest=others_newest/>
                }
                .into_any(),
                (false, Mode::Templates) => view! {
                    // A chunk of its own: only a conversation whose reply window has closed needs it.
                    <Loaded load=move || template_picker(templates, on_send, templates_problem, on_reload_templates)/>
                }
                .into_any(),
                (false, Mode::Blocked) => view! {
                    <div class="sb-composer sb-composer--blocked">
                        <textarea class="sb-composer__input" aria-label=move || i18n.t().message placeholder=move || i18n.t().replies_blocked disabled></textarea>
                    </div>
                }
                .into_any(),
            }}
        </div>
    }
}

/// Files dropped anywhere on the open conversation (thread or composer) go to its composer.
/// While files are dragged over it, the conversation says where they will go.
fn accept_dropped_files(files: Files) {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    let Some(area) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector(".sb-conversation").ok().flatten())
    else {
        return;
    };
    let carries_files = |ev: &web_sys::DragEvent| {
        ev.data_transfer()
            .is_some_and(|data| data.types().includes(&"Files".into(), 0))
    };
    let over = {
        let area = area.clone();
        Closure::<dyn Fn(web_sys::DragEvent)>::new(move |ev: web_sys::DragEvent| {
            if carries_files(&ev) {
                ev.prevent_default();
                let _ = area.class_list().add_1("sb-conversation--dropping");
            }
        })
    };
    let leave = {
        let area = area.clone();
        Closure::<dyn Fn(web_sys::DragEvent)>::new(move |ev: web_sys::DragEvent| {
            // Leaving a child for another child is not leaving the conversation.
            let inside = ev
                .related_target()
                .and_then(|t| t.dyn_into::<web_sys::Node>().ok())
                .is_some_and(|node| area.contains(Some(&node)));
            if !inside {
                let _ = area.class_list().remove_1("sb-conversation--dropping");
            }
        })
    };
    let drop = {
        let area = area.clone();
        Closure::<dyn Fn(web_sys::DragEvent)>::new(move |ev: web_sys::DragEvent| {
            let _ = area.class_list().remove_1("sb-conversation--dropping");
            let dropped = ev
                .data_transfer()
                .and_then(|data| data.files())
                .map(file_list)
                .unwrap_or_default();
            if !dropped.is_empty() {
                ev.prevent_default();
                files.add(dropped);
            }
        })
    };
    let listeners = [("dragover", over), ("dragleave", leave), ("drop", drop)];
    for (event, listener) in &listeners {
        let _ = area.add_event_listener_with_callback(event, listener.as_ref().unchecked_ref());
    }
    let kept = StoredValue::new_local(Some((area, listeners)));
    on_cleanup(move || {
        if let Some((area, listeners)) = kept.try_update_value(Option::take).flatten() {
            for (event, listener) in &listeners {
                let _ = area
                    .remove_event_listener_with_callback(event, listener.as_ref().unchecked_ref());
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone, Utc};

    fn situation(channel: Channel, hours_since_customer: i64) -> Situation {
        let now = Utc.with_ymd_and_hms(2026, 11, 21, 12, 0, 0).unwrap();
        Situation {
            channel,
            last_inbound_at: Some(now - Duration::hours(hours_since_customer)),
            unanswered: 0,
            opted_out: false,
            now,
        }
    }

    #[test]
    fn the_composer_offers_what_the_channel_allows() {
        assert_eq!(
            assess(&situation(Channel::Whatsapp, 2)).0,
            Mode::Write { human_agent: false }
        );
        assert_eq!(assess(&situation(Channel::Whatsapp, 25)).0, Mode::Templates);
        assert_eq!(
            assess(&situation(Channel::Messenger, 48)).0,
            Mode::Write { human_agent: true }
        );
        assert_eq!(assess(&situation(Channel::Instagram, 200)).0, Mode::Blocked);
        assert_eq!(
            assess(&situation(Channel::Sms, 2000)).0,
            Mode::Write { human_agent: false }
        );
        let mut stopped = situation(Channel::Sms, 1);
        stopped.opted_out = true;
        assert_eq!(assess(&stopped), (Mode::Blocked, Some(Notice::OptedOut)));
    }

    #[test]
    fn a_window_closing_within_hours_shows_a_countdown() {
        let (_, notice) = assess(&situation(Channel::Whatsapp, 22));
        assert_eq!(notice, Some(Notice::ClosesIn { secs: 2 * 3600 }));
        assert_eq!(
            assess(&situation(Channel::Whatsapp, 2)).1,
            None,
            "not yet worth a countdown"
        );
    }
}
