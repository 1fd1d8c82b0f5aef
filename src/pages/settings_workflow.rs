//! Settings an admin keeps for everyone: the wrap-up reasons agents close conversations with,
//! and the teams (who is in each, which inboxes it serves, whether it routes). Others see
//! them, read-only.

use crate::api::{Api, use_api};
use crate::components::{Icon, icons};
use crate::i18n::use_i18n;
use leptos::prelude::*;
use leptos::task::spawn_local;
use switchboard_protocol::api::{SaveTeam, Workspace};
use switchboard_protocol::{AgentId, InboxId, Routing, Team, TeamId, WrapUpReasonId};

/// The workspace as these settings show it, fetched again after each change.
fn load(
    api: Api,
    i18n: crate::i18n::I18n,
    into: RwSignal<Option<Workspace>>,
    problem: RwSignal<Option<String>>,
) {
    spawn_local(async move {
        match api.workspace().await {
            Ok(workspace) => into.set(Some(workspace)),
            Err(failure) => problem.set(Some(failure.describe(i18n.t()))),
        }
    });
}

#[component]
pub fn WorkflowSettings() -> impl IntoView {
    let api = use_api();
    // Taken here: a reload runs later, where no context can be looked up.
    let i18n = use_i18n();
    let workspace = RwSignal::new(None::<Workspace>);
    let problem = RwSignal::new(None::<String>);
    load(api, i18n, workspace, problem);
    let reload = Callback::new(move |()| load(api, i18n, workspace, problem));
    view! {
        {move || problem.get().map(|p| view! { <p class="sb-wf-settings__problem" role="alert">{p}</p> })}
        {move || workspace.get().map(|w| view! {
            <ReasonSettings workspace=w.clone() on_changed=reload/>
            <TeamSettings workspace=w on_changed=reload/>
        })}
    }
}

#[component]
fn ReasonSettings(workspace: Workspace, on_changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    // Said in this section, where it happened.
    let problem = RwSignal::new(None::<String>);
    let api = use_api();
    let admin = workspace.admin;
    let label = RwSignal::new(String::new());
    let run = move |work: std::pin::Pin<
        Box<dyn std::future::Future<Output = Result<(), crate::api::ApiFailure>>>,
    >| {
        problem.set(None);
        spawn_local(async move {
            match work.await {
                Ok(()) => on_changed.run(()),
                Err(failure) => problem.set(Some(failure.describe(i18n.t()))),
            }
        });
    };
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = label.get_untracked();
        if text.trim().is_empty() {
            return;
        }
        label.set(String::new());
        run(Box::pin(async move {
            api.save_reason(None, text).await.map(|_| ())
        }));
    };
    let remove = move |id: WrapUpReasonId| {
        run(Box::pin(async move { api.delete_reason(id).await }));
    };
    view! {
        <section class="sb-settings__section" aria-labelledby="sb-settings-reasons">
            <h2 id="sb-settings-reasons">{move || i18n.w().wrap_up_reasons}</h2>
            <p class="sb-wf-settings__hint">{move || i18n.w().wrap_up_hint}</p>
            {(!admin).then(|| view! { <p class="sb-wf-settings__hint">{move || i18n.w().admins_only}</p> })}
            <ul class="sb-wf-settings__list" role="list">
                {workspace.wrap_up_reasons.into_iter().map(|reason| {
                    let id = reason.id;
                    let name = reason.label.clone();
                    view! {
                        <li class="sb-wf-settings__item">
                            <span>{reason.label}</span>
                            {admin.then(|| view! {
                                <button class="sb-icon-button" type="button"
                                    aria-label=move || (i18n.w().delete)(&name)
                                    on:click=move |_| remove(id)>
                                    <Icon icon=icons::DELETE/>
                                </button>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
            {move || problem.get().map(|p| view! { <p class="sb-wf-settings__problem" role="alert">{p}</p> })}
            {admin.then(|| view! {
                <form class="sb-wf-settings__inline" on:submit=add>
                    <label class="sb-field">
                        <span class="sb-field__label">{move || i18n.w().new_reason}</span>
                        <input class="sb-input" maxlength="80" prop:value=label on:input=move |ev| label.set(event_target_value(&ev))/>
                    </label>
                    <button class="sb-button sb-button--primary" type="submit">{move || i18n.w().add}</button>
                </form>
            })}
        </section>
    }
}

/// Puts `item` in the list (`on`) or takes it out.
fn toggle<T: PartialEq>(list: &mut Vec<T>, item: T, on: bool) {
    list.retain(|x| *x != item);
    if on {
        list.push(item);
    }
}

/// A team being edited (`id` `None`: a new one).
#[derive(Clone, Debug, Default, PartialEq)]
struct TeamForm {
    id: Option<TeamId>,
    name: String,
    members: Vec<AgentId>,
    inboxes: Vec<InboxId>,
    routing: bool,
    capacity: u32,
    offer_timeout_secs: u32,
}

impl TeamForm {
    fn of(team: &Team) -> TeamForm {
        TeamForm {
            id: Some(team.id),
            name: team.name.clone(),
            members: team.members.clone(),
            inboxes: team.inboxes.clone(),
            routing: team.routing.is_some(),
            capacity: team.routing.map_or(5, |r| r.capacity),
            offer_timeout_secs: team.routing.map_or(120, |r| r.offer_timeout_secs),
        }
    }

    fn fresh() -> TeamForm {
        TeamForm {
            capacity: 5,
            offer_timeout_secs: 120,
            ..TeamForm::default()
        }
    }

    fn request(&self) -> SaveTeam {
        SaveTeam {
            name: self.name.clone(),
            members: self.members.clone(),
            inboxes: self.inboxes.clone(),
            routing: self.routing.then_some(Routing {
                capacity: self.capacity,
                offer_timeout_secs: self.offer_timeout_secs,
            }),
        }
    }
}

#[component]
fn TeamSettings(workspace: Workspace, on_changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    // Said in this section, where it happened.
    let problem = RwSignal::new(None::<String>);
    let api = use_api();
    let admin = workspace.admin;
    let form = RwSignal::new(None::<TeamForm>);
    let agents = workspace.agents.clone();
    let inboxes = if workspace.all_inboxes.is_empty() {
        workspace.inboxes.clone()
    } else {
        workspace.all_inboxes.clone()
    };
    let name_of_agent = {
        let agents = agents.clone();
        move |id: AgentId| {
            agents
                .iter()
                .find(|a| a.id == id)
                .map(|a| a.name.clone())
                .unwrap_or_default()
        }
    };
    let name_of_inbox = {
        let inboxes = inboxes.clone();
        move |id: InboxId| {
            inboxes
                .iter()
                .find(|i| i.id == id)
                .map(|i| i.name.clone())
                .unwrap_or_default()
        }
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(editing) = form.get_untracked() else {
            return;
        };
        problem.set(None);
        spawn_local(async move {
            match api.save_team(editing.id, &editing.request()).await {
                Ok(_) => {
                    form.set(None);
                    on_changed.run(());
                }
                Err(failure) => problem.set(Some(failure.describe(i18n.t()))),
            }
        });
    };
    let remove = move |id: TeamId| {
        problem.set(None);
        spawn_local(async move {
            match api.delete_team(id).await {
                Ok(()) => on_changed.run(()),
                Err(failure) => problem.set(Some(failure.describe(i18n.t()))),
            }
        });
    };
    view! {
        <section class="sb-settings__section" aria-labelledby="sb-settings-teams">
            <div class="sb-settings__heading">
                <h2 id="sb-settings-teams">{move || i18n.w().teams_settings}</h2>
                {admin.then(|| view! {
                    <button class="sb-button sb-button--secondary" type="button" on:click=move |_| form.set(Some(TeamForm::fresh()))>
                        {move || i18n.w().new_team}
                    </button>
                })}
            </div>
            <p class="sb-wf-settings__hint">{move || i18n.w().teams_hint}</p>
            {move || problem.get().map(|p| view! { <p class="sb-wf-settings__problem" role="alert">{p}</p> })}
            <ul class="sb-wf-settings__list" role="list">
                {workspace.teams.into_iter().map(|team| {
                    let members: Vec<String> = team.members.iter().map(|a| name_of_agent(*a)).collect();
                    let served: Vec<String> = team.inboxes.iter().map(|i| name_of_inbox(*i)).collect();
                    let routed = team.routing.is_some();
                    let name = team.name.clone();
                    let delete_name = team.name.clone();
                    let id = team.id;
                    view! {
                        <li class="sb-wf-settings__item">
                            <span class="sb-wf-settings__team">
                                <strong>{team.name.clone()}</strong>
                                <span class="sb-wf-settings__detail">{members.join(", ")}</span>
                                <span class="sb-wf-settings__detail">{served.join(", ")}</span>
                                {routed.then(|| view! { <span class="sb-wf-settings__detail">{move || i18n.w().routing}</span> })}
                            </span>
                            {admin.then(|| view! {
                                <button class="sb-icon-button" type="button"
                                    aria-label=move || (i18n.w().edit_team)(&name)
                                    on:click=move |_| form.set(Some(TeamForm::of(&team)))>
                                    <Icon icon=icons::EDIT/>
                                </button>
                                <button class="sb-icon-button" type="button"
                                    aria-label=move || (i18n.w().delete)(&delete_name)
                                    on:click=move |_| remove(id)>
                                    <Icon icon=icons::DELETE/>
                                </button>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
            {move || form.get().map(|_| {
                let agents = agents.clone();
                let inboxes = inboxes.clone();
                view! {
                    <form class="sb-wf-settings__form" on:submit=save>
                        <label class="sb-field">
                            <span class="sb-field__label">{move || i18n.w().team_name}</span>
                            <input class="sb-input" required maxlength="80"
                                prop:value=move || form.with(|f| f.as_ref().map(|f| f.name.clone()).unwrap_or_default())
                                on:input=move |ev| { let v = event_target_value(&ev); form.update(|f| if let Some(f) = f { f.name = v }) }/>
                        </label>
                        <fieldset class="sb-settings__choices">
                            <legend>{move || i18n.w().members}</legend>
                            {agents.into_iter().map(|agent| {
                                let id = agent.id;
                                view! {
                                    <label class="sb-settings__choice">
                                        <input type="checkbox"
                                            prop:checked=move || form.with(|f| f.as_ref().is_some_and(|f| f.members.contains(&id)))
                                            on:change=move |ev| { let on = event_target_checked(&ev); form.update(|f| if let Some(f) = f { toggle(&mut f.members, id, on) }) }/>
                                        {agent.name}
                                    </label>
                                }
                            }).collect_view()}
                        </fieldset>
                        <fieldset class="sb-settings__choices">
                            <legend>{move || i18n.w().serves}</legend>
                            {inboxes.into_iter().map(|inbox| {
                                let id = inbox.id;
                                view! {
                                    <label class="sb-settings__choice">
                                        <input type="checkbox"
                                            prop:checked=move || form.with(|f| f.as_ref().is_some_and(|f| f.inboxes.contains(&id)))
                                            on:change=move |ev| { let on = event_target_checked(&ev); form.update(|f| if let Some(f) = f { toggle(&mut f.inboxes, id, on) }) }/>
                                        {format!("{} · {}", inbox.name, inbox.channel.display_name())}
                                    </label>
                                }
                            }).collect_view()}
                        </fieldset>
                        <label class="sb-settings__choice">
                            <input type="checkbox"
                                prop:checked=move || form.with(|f| f.as_ref().is_some_and(|f| f.routing))
                                on:change=move |ev| { let on = event_target_checked(&ev); form.update(|f| if let Some(f) = f { f.routing = on }) }/>
                            {move || i18n.w().routing}
                        </label>
                        <Show when=move || form.with(|f| f.as_ref().is_some_and(|f| f.routing))>
                            <label class="sb-field">
                                <span class="sb-field__label">{move || i18n.w().capacity}</span>
                                <input class="sb-input" type="number" min="1" max="100"
                                    prop:value=move || form.with(|f| f.as_ref().map_or(5, |f| f.capacity).to_string())
                                    on:input=move |ev| { let v = event_target_value(&ev).parse().unwrap_or(5); form.update(|f| if let Some(f) = f { f.capacity = v }) }/>
                            </label>
                            <label class="sb-field">
                                <span class="sb-field__label">{move || i18n.w().offer_timeout}</span>
                                <input class="sb-input" type="number" min="10" max="3600"
                                    prop:value=move || form.with(|f| f.as_ref().map_or(120, |f| f.offer_timeout_secs).to_string())
                                    on:input=move |ev| { let v = event_target_value(&ev).parse().unwrap_or(120); form.update(|f| if let Some(f) = f { f.offer_timeout_secs = v }) }/>
                            </label>
                        </Show>
                        <div class="sb-modal__buttons">
                            <button class="sb-button sb-button--secondary" type="button" on:click=move |_| form.set(None)>{move || i18n.w().cancel}</button>
                            <button class="sb-button sb-button--primary" type="submit">{move || i18n.w().save}</button>
                        </div>
                    </form>
                }
            })}
        </section>
    }
}
