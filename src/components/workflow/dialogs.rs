//! The header's dialogs: close with a reason, transfer to an agent or a team, snooze until a
//! time, move to another inbox. Each shows what it is given and hands the action back; a
//! question from the server (a teammate's conversation, an agent away) shows in the dialog
//! with a button to go ahead anyway.

use super::Modal;
use super::action_bar::ActionContext;
use crate::actions::choices::{AgentChoice, Preset, TeamChoice, typed_time};
use crate::actions::{ConversationActions, Panel};
use crate::api::Action;
use crate::i18n::use_i18n;
use leptos::prelude::*;
use switchboard_protocol::api::{Close, MoveTo, Snooze, Transfer, TransferTarget};
use switchboard_protocol::{Inbox, WrapUpReason, WrapUpReasonId};

// Each dialog opens a few times a day: their code is a chunk of its own, fetched the first
// time one opens.
crate::split::split_point!(dialogs: pub fn workflow_dialog(panel: Panel, context: Signal<Option<ActionContext>>, actions: ConversationActions) {
    dialog(panel, context, actions)
});

/// The open panel's dialog, for the conversation the bar is about.
fn dialog(
    panel: Panel,
    context: Signal<Option<ActionContext>>,
    actions: ConversationActions,
) -> Option<AnyView> {
    let c = context.get_untracked()?;
    let (question, error, busy) = (actions.question, actions.error, actions.busy);
    let on_submit = Callback::new(move |action| actions.run(action));
    let on_cancel = Callback::new(move |()| actions.dismiss());
    Some(match panel {
        Panel::Close => view! {
            <CloseDialog reasons=c.reasons question=question error=error busy=busy on_submit=on_submit on_cancel=on_cancel/>
        }
        .into_any(),
        Panel::Transfer => {
            let agents = Signal::derive(move || {
                context.with(|c| c.as_ref().map(|c| c.agents.clone()).unwrap_or_default())
            });
            view! {
                <TransferDialog agents=agents teams=c.teams question=question error=error busy=busy on_submit=on_submit on_cancel=on_cancel/>
            }
            .into_any()
        }
        Panel::Snooze => view! {
            <SnoozeDialog error=error busy=busy on_submit=on_submit on_cancel=on_cancel/>
        }
        .into_any(),
        Panel::Move => view! {
            <MoveDialog targets=c.move_targets channel=c.conversation.channel.display_name()
                error=error busy=busy on_submit=on_submit on_cancel=on_cancel/>
        }
        .into_any(),
    })
}

/// What every dialog shows under its fields: the question to confirm, or the failure.
#[component]
fn Answer(
    #[prop(into)] question: Signal<Option<String>>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    view! {
        {move || question.get().map(|q| view! { <p class="sb-modal__question" role="alert">{q}</p> })}
        {move || error.get().map(|e| view! { <p class="sb-modal__error" role="alert">{e}</p> })}
    }
}

/// The dialog's buttons: the action (or, once asked, the action anyway) and Cancel.
#[component]
fn Buttons(
    #[prop(into)] label: Signal<&'static str>,
    #[prop(into)] anyway: Signal<&'static str>,
    #[prop(into)] asked: Signal<bool>,
    #[prop(into)] busy: Signal<bool>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="sb-modal__buttons">
            <button class="sb-button sb-button--secondary" type="button" on:click=move |_| on_cancel.run(())>
                {move || i18n.w().cancel}
            </button>
            <button class="sb-button sb-button--primary" type="submit" disabled=move || busy.get()>
                {move || if asked.get() { anyway.get() } else { label.get() }}
            </button>
        </div>
    }
}

#[component]
fn CloseDialog(
    reasons: Vec<WrapUpReason>,
    #[prop(into)] question: Signal<Option<String>>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(into)] busy: Signal<bool>,
    on_submit: Callback<Action>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let reason = RwSignal::new(String::new());
    let summary = RwSignal::new(String::new());
    let required = !reasons.is_empty();
    let missing = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let chosen = reason
            .get_untracked()
            .parse::<i64>()
            .ok()
            .map(WrapUpReasonId);
        if required && chosen.is_none() {
            missing.set(true);
            return;
        }
        let summary = summary.get_untracked();
        on_submit.run(Action::Close(Close {
            reason: chosen,
            summary: (!summary.trim().is_empty()).then_some(summary),
            version: None,
            confirmed: question.get_untracked().is_some(),
        }));
    };
    view! {
        <Modal label=Signal::derive(move || i18n.w().close_title) on_close=on_cancel>
            <form class="sb-modal__form" on:submit=submit>
                {required.then(|| view! {
                    <label class="sb-field">
                        <span class="sb-field__label">{move || i18n.w().reason}</span>
                        <select class="sb-input" aria-invalid=move || missing.get().to_string()
                            on:change=move |ev| { missing.set(false); reason.set(event_target_value(&ev)); }>
                            <option value="" selected>{move || i18n.w().choose_reason}</option>
                            {reasons.into_iter().map(|r| view! { <option value=r.id.0.to_string()>{r.label}</option> }).collect_view()}
                        </select>
                    </label>
                })}
                <Show when=move || missing.get()>
                    <p class="sb-modal__error" role="alert">{move || i18n.t().error("reason_required", "")}</p>
                </Show>
                <label class="sb-field">
                    <span class="sb-field__label">{move || i18n.w().summary}</span>
                    <textarea class="sb-input" rows="3" maxlength="2000"
                        prop:value=summary on:input=move |ev| summary.set(event_target_value(&ev))></textarea>
                </label>
                <Answer question=question error=error/>
                <Buttons
                    label=Signal::derive(move || i18n.w().close_conversation)
                    anyway=Signal::derive(move || i18n.w().close_anyway)
                    asked=Signal::derive(move || question.get().is_some())
                    busy=busy
                    on_cancel=on_cancel
                />
            </form>
        </Modal>
    }
}

/// A transfer's target as a radio value: `agent:2`, `team:1`.
fn target_value(target: TransferTarget) -> String {
    match target {
        TransferTarget::Agent(id) => format!("agent:{id}"),
        TransferTarget::Team(id) => format!("team:{id}"),
    }
}

fn target_of(value: &str) -> Option<TransferTarget> {
    let (kind, id) = value.split_once(':')?;
    let id: i64 = id.parse().ok()?;
    match kind {
        "agent" => Some(TransferTarget::Agent(switchboard_protocol::AgentId(id))),
        "team" => Some(TransferTarget::Team(switchboard_protocol::TeamId(id))),
        _ => None,
    }
}

#[component]
fn TransferDialog(
    #[prop(into)] agents: Signal<Vec<AgentChoice>>,
    teams: Vec<TeamChoice>,
    #[prop(into)] question: Signal<Option<String>>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(into)] busy: Signal<bool>,
    on_submit: Callback<Action>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let chosen = RwSignal::new(None::<TransferTarget>);
    let note = RwSignal::new(String::new());
    let missing = RwSignal::new(false);
    let asked_for = RwSignal::new(None::<TransferTarget>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(to) = chosen.get_untracked() else {
            missing.set(true);
            return;
        };
        let note = note.get_untracked();
        // Confirming holds for the target that was asked about, not for another one.
        let confirmed = question.get_untracked().is_some() && asked_for.get_untracked() == Some(to);
        asked_for.set(Some(to));
        on_submit.run(Action::Transfer(Transfer {
            to,
            note: (!note.trim().is_empty()).then_some(note),
            version: None,
            confirmed,
        }));
    };
    let pick = move |value: String| {
        missing.set(false);
        chosen.set(target_of(&value));
    };
    view! {
        <Modal label=Signal::derive(move || i18n.w().transfer_title) on_close=on_cancel>
            <form class="sb-modal__form" on:submit=submit>
                <fieldset class="sb-choices">
                    <legend>{move || i18n.w().agents}</legend>
                    <For
                        each=move || agents.get()
                        // By id alone: a teammate's new availability updates their row in
                        // place, and the radio the agent is on keeps the focus.
                        key=|a| a.id
                        children=move |agent| {
                            let id = agent.id;
                            let value = target_value(TransferTarget::Agent(id));
                            let now = move || agents.with(|all| all.iter().find(|a| a.id == id).map(|a| (a.availability, a.load)));
                            let availability = move || now().map_or(switchboard_protocol::Availability::Offline, |(a, _)| a);
                            let load = move || now().map_or(0, |(_, l)| l);
                            view! {
                                <label class="sb-choice" class:sb-choice--current=agent.current>
                                    <input type="radio" name="transfer-to" value=value.clone() disabled=agent.current
                                        prop:checked=move || chosen.get().map(target_value).as_deref() == Some(value.as_str())
                                        on:change=move |ev| pick(event_target_value(&ev))/>
                                    <span class=move || format!("sb-presence sb-presence--{}", availability().as_str()) aria-hidden="true"></span>
                                    <span class="sb-choice__name">
                                        {agent.name.clone()}
                                        {agent.me.then(|| view! { " "{move || i18n.w().you} })}
                                    </span>
                                    <span class="sb-choice__detail">
                                        {move || (i18n.w().availability)(availability())}
                                        " · "
                                        {move || (i18n.w().load)(load())}
                                    </span>
                                </label>
                            }
                        }
                    />
                </fieldset>
                {(!teams.is_empty()).then(|| view! {
                    <fieldset class="sb-choices">
                        <legend>{move || i18n.w().teams}</legend>
                        {teams.into_iter().map(|team| {
                            let value = target_value(TransferTarget::Team(team.id));
                            let checked = value.clone();
                            let name = team.name.clone();
                            view! {
                                <label class="sb-choice" class:sb-choice--current=team.current>
                                    <input type="radio" name="transfer-to" value=value disabled=team.current
                                        prop:checked=move || chosen.get().map(target_value).as_deref() == Some(checked.as_str())
                                        on:change=move |ev| pick(event_target_value(&ev))/>
                                    <span class="sb-choice__name">{move || (i18n.w().team)(&name)}</span>
                                </label>
                            }
                        }).collect_view()}
                    </fieldset>
                })}
                <Show when=move || missing.get()>
                    <p class="sb-modal__error" role="alert">{move || i18n.w().choose_target}</p>
                </Show>
                <label class="sb-field">
                    <span class="sb-field__label">{move || i18n.w().transfer_note}</span>
                    <textarea class="sb-input" rows="2" maxlength="2000"
                        prop:value=note on:input=move |ev| note.set(event_target_value(&ev))></textarea>
                </label>
                <Answer
                    question=Signal::derive(move || question.get().filter(|_| asked_for.get() == chosen.get()))
                    error=error
                />
                <Buttons
                    label=Signal::derive(move || i18n.w().transfer)
                    anyway=Signal::derive(move || i18n.w().transfer_anyway)
                    asked=Signal::derive(move || question.get().is_some() && asked_for.get() == chosen.get())
                    busy=busy
                    on_cancel=on_cancel
                />
            </form>
        </Modal>
    }
}

#[component]
fn SnoozeDialog(
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(into)] busy: Signal<bool>,
    on_submit: Callback<Action>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let presets: Vec<(Preset, chrono::DateTime<chrono::Utc>)> = Preset::ALL
        .into_iter()
        .filter_map(|p| p.until_local().map(|until| (p, until)))
        .collect();
    let first = presets.first().map(|(p, _)| *p);
    let chosen = RwSignal::new(first);
    let typed = RwSignal::new(String::new());
    let invalid = RwSignal::new(false);
    let until_of = {
        let presets = presets.clone();
        move || match chosen.get_untracked() {
            Some(preset) => presets.iter().find(|(p, _)| *p == preset).map(|(_, t)| *t),
            None => typed_time(&typed.get_untracked()),
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match until_of() {
            Some(until) if until > chrono::Utc::now() => on_submit.run(Action::Snooze(Snooze {
                until,
                version: None,
            })),
            _ => invalid.set(true),
        }
    };
    let name = move |preset: Preset| {
        let w = i18n.w();
        match preset {
            Preset::InAnHour => w.in_an_hour,
            Preset::ThisEvening => w.this_evening,
            Preset::TomorrowMorning => w.tomorrow_morning,
            Preset::NextWeek => w.next_week,
        }
    };
    let clock = crate::app::use_clock();
    view! {
        <Modal label=Signal::derive(move || i18n.w().snooze_title) on_close=on_cancel>
            <form class="sb-modal__form" on:submit=submit>
                <fieldset class="sb-choices">
                    <legend class="sb-visually-hidden">{move || i18n.w().snooze_title}</legend>
                    {presets.into_iter().map(|(preset, until)| view! {
                        <label class="sb-choice">
                            <input type="radio" name="snooze-until" prop:checked=move || chosen.get() == Some(preset)
                                on:change=move |_| { invalid.set(false); chosen.set(Some(preset)); }/>
                            <span class="sb-choice__name">{move || name(preset)}</span>
                            <span class="sb-choice__detail">{move || i18n.t().moment(until, clock.0.get())}</span>
                        </label>
                    }).collect_view()}
                    <label class="sb-choice">
                        <input type="radio" name="snooze-until" prop:checked=move || chosen.get().is_none()
                            on:change=move |_| { invalid.set(false); chosen.set(None); }/>
                        <span class="sb-choice__name">{move || i18n.w().pick_time}</span>
                    </label>
                    <input class="sb-input" type="datetime-local" aria-label=move || i18n.w().pick_time
                        prop:value=typed
                        on:input=move |ev| { invalid.set(false); chosen.set(None); typed.set(event_target_value(&ev)); }/>
                </fieldset>
                <Show when=move || invalid.get()>
                    <p class="sb-modal__error" role="alert">{move || i18n.w().snooze_in_future}</p>
                </Show>
                <Answer question=Signal::derive(|| None::<String>) error=error/>
                <Buttons
                    label=Signal::derive(move || i18n.w().snooze)
                    anyway=Signal::derive(move || i18n.w().snooze)
                    asked=Signal::derive(|| false)
                    busy=busy
                    on_cancel=on_cancel
                />
            </form>
        </Modal>
    }
}

#[component]
fn MoveDialog(
    targets: Vec<Inbox>,
    channel: &'static str,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(into)] busy: Signal<bool>,
    on_submit: Callback<Action>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let first = targets
        .first()
        .map(|i| i.id.0.to_string())
        .unwrap_or_default();
    let chosen = RwSignal::new(first);
    let empty = targets.is_empty();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Ok(id) = chosen.get_untracked().parse::<i64>() {
            on_submit.run(Action::Move(MoveTo {
                inbox_id: switchboard_protocol::InboxId(id),
                version: None,
            }));
        }
    };
    view! {
        <Modal label=Signal::derive(move || i18n.w().move_title) on_close=on_cancel>
            <form class="sb-modal__form" on:submit=submit>
                {if empty {
                    view! { <p class="sb-modal__hint">{move || (i18n.w().no_other_inbox)(channel)}</p> }.into_any()
                } else {
                    view! {
                        <label class="sb-field">
                            <span class="sb-field__label">{move || i18n.w().inbox}</span>
                            <select class="sb-input" on:change=move |ev| chosen.set(event_target_value(&ev))>
                                {targets.into_iter().map(|i| view! { <option value=i.id.0.to_string()>{format!("{} · {}", i.name, i.address)}</option> }).collect_view()}
                            </select>
                        </label>
                    }.into_any()
                }}
                <Answer question=Signal::derive(|| None::<String>) error=error/>
                <Buttons
                    label=Signal::derive(move || i18n.w().move_inbox)
                    anyway=Signal::derive(move || i18n.w().move_inbox)
                    asked=Signal::derive(|| false)
                    busy=Signal::derive(move || busy.get() || empty)
                    on_cancel=on_cancel
                />
            </form>
        </Modal>
    }
}
