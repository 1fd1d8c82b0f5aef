//! Settings: the saved replies the agent may use, created, changed and removed in place.

use crate::api::ApiFailure;
use crate::api::use_api;
use crate::components::{Icon, Problem, icons};
use crate::i18n::use_i18n;
use crate::quick_replies::use_quick_replies;
use leptos::prelude::*;
use leptos::task::spawn_local;
use switchboard_protocol::quick_replies::{QuickReply, SaveQuickReply, Scope};
use switchboard_protocol::variables::KNOWN;
use switchboard_protocol::{Inbox, InboxId, QuickReplyId};

/// The form's content: a new reply (`editing` `None`) or changes to one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Form {
    editing: Option<QuickReplyId>,
    reply: SaveQuickReply,
}

#[component]
pub fn QuickReplySettings() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let replies = use_quick_replies();
    let inboxes = RwSignal::new(Vec::<Inbox>::new());
    // The inboxes name where each reply is shared; without them the page says so.
    let inboxes_failure = RwSignal::new(None::<ApiFailure>);
    let load_inboxes = move || {
        spawn_local(async move {
            match api.workspace().await {
                Ok(workspace) => {
                    inboxes.set(workspace.inboxes);
                    inboxes_failure.set(None);
                }
                Err(failure) => inboxes_failure.set(Some(failure)),
            }
        })
    };
    replies.refresh(api);
    load_inboxes();
    let form = RwSignal::new(None::<Form>);
    let problem = RwSignal::new(None::<String>);
    // What went wrong with the list itself (a reply that could not be deleted).
    let list_problem = RwSignal::new(None::<String>);
    let failure_text = move |failure: &RwSignal<Option<ApiFailure>>, what: &'static str| {
        failure.with(|f| f.as_ref().map(|f| f.explain(what, i18n.t())))
    };
    let busy = RwSignal::new(false);

    let scope_name = move |scope: Scope| match scope {
        Scope::Personal => i18n.t().only_me.to_owned(),
        Scope::Inbox { inbox_id } => inboxes.with(|all| {
            all.iter()
                .find(|i| i.id == inbox_id)
                .map(|i| format!("{} · {}", i.name, i.channel.display_name()))
                .unwrap_or_default()
        }),
    };
    let shortcut_input = NodeRef::<leptos::html::Input>::new();
    let start_new = move |_| {
        problem.set(None);
        form.set(Some(Form::default()));
        request_animation_frame(move || {
            if let Some(input) = shortcut_input.get_untracked() {
                let _ = input.focus();
            }
        });
    };
    let start_edit = move |reply: QuickReply| {
        problem.set(None);
        // The form opens at the top of the list: take the agent there.
        request_animation_frame(move || {
            if let Some(input) = shortcut_input.get_untracked() {
                input.scroll_into_view();
                let _ = input.focus();
            }
        });
        form.set(Some(Form {
            editing: Some(reply.id),
            reply: SaveQuickReply {
                shortcut: reply.shortcut,
                title: reply.title,
                body: reply.body,
                inbox_id: match reply.scope {
                    Scope::Personal => None,
                    Scope::Inbox { inbox_id } => Some(inbox_id),
                },
            },
        }));
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(Form { editing, reply }) = form.get_untracked() else {
            return;
        };
        let reply = reply.normalized();
        if let Err(invalid) = reply.check() {
            problem.set(Some((i18n.t().quick_reply_invalid)(invalid)));
            return;
        }
        busy.set(true);
        spawn_local(async move {
            match api.save_quick_reply(editing, &reply).await {
                Ok(saved) => {
                    replies.all.update(|all| {
                        all.retain(|r| r.id != saved.id);
                        all.push(saved);
                        all.sort_by(|a, b| a.shortcut.cmp(&b.shortcut));
                    });
                    form.set(None);
                    problem.set(None);
                }
                Err(failure) => {
                    problem.set(Some(failure.describe(i18n.locale.get_untracked().texts())));
                }
            }
            busy.set(false);
        });
    };
    let remove = move |reply: QuickReply| {
        let question = (i18n.t().confirm_delete_quick_reply)(&reply.shortcut);
        let confirmed = web_sys::window()
            .and_then(|w| w.confirm_with_message(&question).ok())
            .unwrap_or(false);
        if !confirmed {
            return;
        }
        list_problem.set(None);
        spawn_local(async move {
            match api.delete_quick_reply(reply.id).await {
                Ok(()) => replies.all.update(|all| all.retain(|r| r.id != reply.id)),
                Err(failure) => {
                    let texts = i18n.locale.get_untracked().texts();
                    list_problem.set(Some(
                        failure.explain(texts.quick_reply_delete_failed, texts),
                    ));
                }
            }
        });
    };
    let edit_field = move |change: fn(&mut SaveQuickReply, String)| {
        move |ev: leptos::ev::Event| {
            let value = event_target_value(&ev);
            form.update(|f| {
                if let Some(f) = f {
                    change(&mut f.reply, value);
                }
            });
        }
    };
    let field = move |read: fn(&SaveQuickReply) -> String| {
        move || form.with(|f| f.as_ref().map(|f| read(&f.reply)).unwrap_or_default())
    };

    view! {
        <section class="sb-settings__section" aria-labelledby="sb-settings-replies">
            <div class="sb-settings__heading">
                <h2 id="sb-settings-replies">{move || i18n.t().quick_replies}</h2>
                <button class="sb-button sb-button--secondary" type="button" on:click=start_new>
                    {move || i18n.t().new_quick_reply}
                </button>
            </div>
            <p class="sb-settings__hint">{move || i18n.t().quick_replies_hint}</p>
            {move || failure_text(&replies.failure, i18n.t().quick_replies_load_failed).map(|text| view! {
                <Problem text=text on_retry=Some(Callback::new(move |()| replies.refresh(api)))/>
            })}
            {move || failure_text(&inboxes_failure, i18n.t().workspace_load_failed).map(|text| view! {
                <Problem text=text on_retry=Some(Callback::new(move |()| load_inboxes()))/>
            })}
            {move || list_problem.get().map(|text| view! { <Problem text=text/> })}
            <Show when=move || form.with(Option::is_some)>
                <form class="sb-settings__form" on:submit=save>
                    <div class="sb-settings__row">
                        <label class="sb-field">
                            <span class="sb-field__label">{move || i18n.t().shortcut}</span>
                            <input class="sb-input" name="shortcut" node_ref=shortcut_input required prop:value=field(|r| r.shortcut.clone()) on:input=edit_field(|r, v| r.shortcut = v)/>
                        </label>
                        <label class="sb-field">
                            <span class="sb-field__label">{move || i18n.t().title}</span>
                            <input class="sb-input" name="title" required prop:value=field(|r| r.title.clone()) on:input=edit_field(|r, v| r.title = v)/>
                        </label>
                        <label class="sb-field">
                            <span class="sb-field__label">{move || i18n.t().shared_with}</span>
                            <select class="sb-input" name="scope" on:change=edit_field(|r, v| r.inbox_id = v.parse().ok().map(InboxId))>
                                <option value="" selected=move || form.with(|f| f.as_ref().is_some_and(|f| f.reply.inbox_id.is_none()))>
                                    {move || i18n.t().only_me}
                                </option>
                                {move || inboxes.get().into_iter().map(|inbox| {
                                    let id = inbox.id;
                                    view! {
                                        <option value=id.to_string() selected=move || form.with(|f| f.as_ref().is_some_and(|f| f.reply.inbox_id == Some(id)))>
                                            {format!("{} · {}", inbox.name, inbox.channel.display_name())}
                                        </option>
                                    }
                                }).collect_view()}
                            </select>
                        </label>
                    </div>
                    <label class="sb-field">
                        <span class="sb-field__label">{move || i18n.t().reply_text}</span>
                        <textarea class="sb-input sb-settings__body" name="body" rows="4" required prop:value=field(|r| r.body.clone()) on:input=edit_field(|r, v| r.body = v)></textarea>
                    </label>
                    <p class="sb-settings__hint">
                        {move || i18n.t().variables_hint}" "
                        {KNOWN.iter().map(|name| view! { <code>{format!("{{{{{name}}}}}")}</code>" " }).collect_view()}
                    </p>
                    {move || problem.get().map(|p| view! { <p class="sb-settings__problem" role="alert">{p}</p> })}
                    <div class="sb-settings__actions">
                        <button class="sb-button sb-button--primary" type="submit" disabled=move || busy.get()>{move || i18n.t().save}</button>
                        <button class="sb-button sb-button--secondary" type="button" on:click=move |_| form.set(None)>{move || i18n.t().cancel}</button>
                    </div>
                </form>
            </Show>
            <ul class="sb-settings__list" aria-label=move || i18n.t().quick_replies>
                <For
                    each=move || replies.all.get()
                    key=|r| (r.id, r.shortcut.clone(), r.title.clone(), r.body.clone(), r.scope)
                    children=move |reply| {
                        // Named with where it is shared: the same shortcut lives in several inboxes.
                        let (shortcut, scope) = (reply.shortcut.clone(), reply.scope);
                        let named = move || format!("{shortcut} ({})", scope_name(scope));
                        let (edit_label, delete_label) = (named.clone(), named);
                        let (edit, delete) = (reply.clone(), reply.clone());
                        view! {
                            <li class="sb-settings__item">
                                <div class="sb-settings__item-text">
                                    <span class="sb-picker__shortcut">{format!("/{}", reply.shortcut)}</span>" "
                                    <strong>{reply.title.clone()}</strong>
                                    <span class="sb-settings__scope">{move || scope_name(reply.scope)}</span>
                                    <p class="sb-picker__preview">{reply.body.clone()}</p>
                                </div>
                                <button class="sb-icon-button" type="button" aria-label=move || (i18n.t().edit_named)(&edit_label()) title=move || i18n.t().edit on:click=move |_| start_edit(edit.clone())>
                                    <Icon icon=icons::EDIT/>
                                </button>
                                <button class="sb-icon-button" type="button" aria-label=move || (i18n.t().delete_named)(&delete_label()) title=move || i18n.t().delete on:click=move |_| remove(delete.clone())>
                                    <Icon icon=icons::DELETE/>
                                </button>
                            </li>
                        }
                    }
                />
            </ul>
        </section>
    }
}
