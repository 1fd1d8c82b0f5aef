use super::{Icon, icons};
use crate::i18n::{Texts, use_i18n};
use crate::state::Outgoing;
use leptos::prelude::*;
use switchboard_protocol::Channel;
use switchboard_protocol::rules::{self, Draft, Outside, Refusal, Situation, Window};
use switchboard_protocol::templates::{Template, TemplateUse};

/// Shown once a draft passes this share of the channel's limit.
const COUNTER_FROM: f64 = 0.8;
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
    TemplatesOnly {
        closed_secs_ago: i64,
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
                let closed_secs_ago =
                    since.map_or(0, |since| (situation.now - since).num_seconds());
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
        Notice::TemplatesOnly { closed_secs_ago } => {
            (texts.banner_templates_only)(&(texts.duration)(*closed_secs_ago))
        }
        Notice::HumanAgent { until } => {
            let local = until.with_timezone(&chrono::Local);
            let when = format!(
                "{} {} {}",
                local.format("%-d"),
                (texts.month_short)(chrono::Datelike::month(&local)),
                local.format("%H:%M")
            );
            (texts.banner_human_agent)(&when)
        }
        Notice::Closed => (texts.banner_window_closed)(channel),
        Notice::ClosesIn { secs } => (texts.window_closes_in)(&(texts.duration)(*secs)),
    }
}

/// The reply box, shaped by the channel's rules: it says before sending what would fail, and
/// offers only what the channel allows now (a template, a human agent's reply, nothing).
/// With a keyboard, Enter sends and Shift+Enter breaks the line (Enter while an input method
/// composes a character does neither); on a touch screen Enter breaks the line and the Send
/// button sends. Off touch screens the box takes the focus when it opens.
#[component]
pub fn Composer(
    channel: Channel,
    #[prop(into)] situation: Signal<Situation>,
    #[prop(into)] templates: Signal<Vec<Template>>,
    #[prop(into)] on_send: Callback<Outgoing>,
) -> impl IntoView {
    let i18n = use_i18n();
    let assessed = Memo::new(move |_| situation.with(assess));
    let mode = Memo::new(move |_| assessed.with(|(mode, _)| *mode));
    let channel_name = move || (i18n.t().channel_name)(channel);
    let notice = move || {
        assessed.with(|(_, notice)| {
            notice.as_ref().map(|n| {
                (
                    notice_text(n, i18n.t(), channel_name()),
                    matches!(n, Notice::ClosesIn { .. }),
                )
            })
        })
    };
    view! {
        <div class="sb-composer-area">
            {move || notice().map(|(text, countdown)| {
                if countdown {
                    view! { <p class="sb-countdown" role="note">{text}</p> }.into_any()
                } else {
                    view! { <p class="sb-notice" role="status">{text}</p> }.into_any()
                }
            })}
            {move || match mode.get() {
                Mode::Write { human_agent } => {
                    view! { <TextComposer channel=channel situation=situation human_agent=human_agent on_send=on_send/> }.into_any()
                }
                Mode::Templates => view! { <TemplatePicker templates=templates on_send=on_send/> }.into_any(),
                Mode::Blocked => view! {
                    <div class="sb-composer sb-composer--blocked">
                        <textarea class="sb-composer__input" aria-label=move || i18n.t().message placeholder=move || i18n.t().replies_blocked disabled></textarea>
                    </div>
                }
                .into_any(),
            }}
        </div>
    }
}

#[component]
fn TextComposer(
    channel: Channel,
    situation: Signal<Situation>,
    human_agent: bool,
    on_send: Callback<Outgoing>,
) -> impl IntoView {
    let i18n = use_i18n();
    let text = RwSignal::new(String::new());
    let limit = channel.max_text_chars();
    let length = Memo::new(move |_| text.with(|t| t.chars().count()));
    // The same check the server makes; an empty box is simply not ready.
    let refusal = Memo::new(move |_| {
        text.with(|t| {
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
        (channel == Channel::Sms && length.get() > 0).then(|| text.with(|t| rules::sms_segments(t)))
    };

    let send = move || {
        if !can_send() {
            return;
        }
        on_send.run(Outgoing {
            text: text.get_untracked().trim().to_owned(),
            human_agent,
            template: None,
        });
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
    let send_label = move || {
        if human_agent {
            i18n.t().send_as_human_agent
        } else {
            i18n.t().send
        }
    };
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
                {move || segments().map(|s| view! {
                    <span class="sb-composer__counter">{(i18n.t().sms_segments)(s.segments, length.get(), s.per_segment)}</span>
                })}
                <Show when=move || show_counter() && channel != Channel::Sms>
                    <span class="sb-composer__counter">{move || format!("{}/{limit}", length.get())}</span>
                </Show>
                {move || blocking().map(|refusal| view! {
                    <span class="sb-composer__counter sb-composer__counter--over" role="status">
                        {(i18n.t().refusal)(&refusal, (i18n.t().channel_name)(channel))}
                    </span>
                })}
                <button class="sb-button sb-button--primary sb-composer__send" type="submit" disabled=move || !can_send()>
                    <Icon icon=icons::SEND/>
                    <span>{send_label}</span>
                </button>
            </div>
        </form>
    }
}

/// Picks an approved template and fills in its placeholders, with a live preview.
#[component]
fn TemplatePicker(templates: Signal<Vec<Template>>, on_send: Callback<Outgoing>) -> impl IntoView {
    let i18n = use_i18n();
    let chosen = RwSignal::new(0usize);
    let values = RwSignal::new(Vec::<String>::new());
    // Templates in the agent's language first.
    let ordered = Memo::new(move |_| {
        let code = i18n.locale.get().code();
        let mut all = templates.get();
        all.sort_by_key(|t| (!t.language.starts_with(code), t.name.clone()));
        all
    });
    let template = Memo::new(move |_| ordered.with(|all| all.get(chosen.get()).cloned()));
    // A different template has other placeholders.
    Effect::new(move |_| {
        let count = template.with(|t| t.as_ref().map_or(0, |t| t.placeholders().len()));
        values.set(vec![String::new(); count]);
    });
    let rendered = Memo::new(move |_| {
        template.with(|t| t.as_ref().and_then(|t| values.with(|v| t.render(v).ok())))
    });
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Some(template), Some(text)) = (template.get_untracked(), rendered.get_untracked())
        else {
            return;
        };
        on_send.run(Outgoing {
            text,
            human_agent: false,
            template: Some(TemplateUse {
                name: template.name,
                language: template.language,
                params: values.get_untracked(),
            }),
        });
        values.update(|v| v.iter_mut().for_each(String::clear));
    };
    view! {
        <Show
            when=move || templates.with(|t| !t.is_empty())
            fallback=move || view! { <p class="sb-composer sb-notice">{move || i18n.t().no_templates}</p> }
        >
            <form class="sb-composer sb-template" on:submit=send>
                <label class="sb-field">
                    <span class="sb-field__label">{move || i18n.t().template_label}</span>
                    <select class="sb-input" on:change=move |ev| chosen.set(event_target_value(&ev).parse().unwrap_or(0))>
                        {move || ordered.get().into_iter().enumerate().map(|(index, t)| view! {
                            <option value=index.to_string() selected=move || chosen.get() == index>{format!("{} ({})", t.name, t.language)}</option>
                        }).collect_view()}
                    </select>
                </label>
                <div class="sb-template__values">
                    {move || template.get().map(|t| t.placeholders().into_iter().enumerate().map(|(index, placeholder)| view! {
                        <label class="sb-field">
                            <span class="sb-field__label">{move || (i18n.t().template_value)(&placeholder)}</span>
                            <input
                                class="sb-input"
                                prop:value=move || values.with(|v| v.get(index).cloned().unwrap_or_default())
                                on:input=move |ev| values.update(|v| if let Some(slot) = v.get_mut(index) { *slot = event_target_value(&ev) })
                            />
                        </label>
                    }).collect_view())}
                </div>
                <p class="sb-template__preview" aria-label=move || i18n.t().template_preview>
                    {move || template.with(|t| t.as_ref().map(|t| values.with(|v| t.preview(v)))).unwrap_or_default()}
                </p>
                <div class="sb-composer__bar">
                    <button class="sb-button sb-button--primary sb-composer__send" type="submit" disabled=move || rendered.with(Option::is_none)>
                        <Icon icon=icons::SEND/>
                        <span>{move || i18n.t().send_template}</span>
                    </button>
                </div>
            </form>
        </Show>
    }
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
