//! The open conversation's header: who the customer is, where they wrote, the conversation's
//! state, and what the agent can do with it (one button per action it is given).

use super::{Avatar, ChannelIcon, Icon, Problem, icons};
use crate::i18n::use_i18n;
use leptos::prelude::*;
use switchboard_protocol::{Channel, ConversationStatus};

/// Who the conversation is assigned to, as the agent reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Assignee {
    Nobody,
    Me,
    Teammate(String),
}

/// What the header shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heading {
    pub name: String,
    /// The contact has no name: `name` is their handle, shown once.
    pub name_is_handle: bool,
    pub handle: String,
    pub channel: Channel,
    /// The inbox's name and the address the customer wrote to.
    pub inbox: Option<(String, String)>,
    pub status: ConversationStatus,
    pub assignee: Assignee,
}

/// What the agent may do from the header: a button for each action given, none for the
/// rest. New actions (close, transfer, snooze...) are new fields here and a button below.
#[derive(Clone, Copy, Default)]
pub struct HeaderActions {
    pub assign_to_me: Option<Callback<()>>,
}

#[component]
pub fn ConversationHeader(
    heading: Heading,
    /// The list this conversation was opened from (phones go back to it).
    #[prop(into)]
    back_to: Signal<String>,
    actions: HeaderActions,
    /// Why the last action failed, said under the header.
    #[prop(into, optional)]
    problem: MaybeProp<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let Heading {
        name,
        name_is_handle,
        handle,
        channel,
        inbox,
        status,
        assignee,
    } = heading;
    view! {
        <header class="sb-conversation__header">
            <a class="sb-icon-button sb-conversation__back" href=move || back_to.get() aria-label=move || i18n.t().back_to_list title=move || i18n.t().back_to_list>
                <Icon icon=icons::BACK/>
            </a>
            <Avatar name=name.clone() name_is_handle=name_is_handle channel=channel/>
            <div class="sb-conversation__who">
                <h1 class="sb-conversation__name">{name}</h1>
                <p class="sb-conversation__where">
                    {(!name_is_handle).then(|| view! { <span class="sb-conversation__handle">{handle}</span> })}
                    <span class="sb-conversation__channel">
                        <ChannelIcon channel=channel/>
                        {channel.display_name()}
                        {inbox.map(|(name, address)| view! { <span class="sb-conversation__inbox">{format!(" · {name} · {address}")}</span> })}
                    </span>
                </p>
            </div>
            <div class="sb-conversation__actions">
                {(status == ConversationStatus::Closed).then(|| view! {
                    <span class="sb-pill sb-pill--closed">{move || i18n.t().closed_badge}</span>
                })}
                <Assignment assignee=assignee assign_to_me=actions.assign_to_me/>
            </div>
            {move || problem.get().map(|text| view! { <Problem text=text class="sb-conversation__problem"/> })}
        </header>
    }
}

/// Who has the conversation, and taking it when it is not mine.
#[component]
fn Assignment(assignee: Assignee, assign_to_me: Option<Callback<()>>) -> impl IntoView {
    let i18n = use_i18n();
    // With an icon where the conversation waits in the queue; plain when taking it from a teammate.
    let take = move |icon: bool| {
        assign_to_me.map(|take| {
            view! {
                <button class="sb-button sb-button--secondary" type="button" on:click=move |_| take.run(())>
                    {icon.then(|| view! { <Icon icon=icons::TAKE/> })}
                    {move || i18n.t().assign_to_me}
                </button>
            }
        })
    };
    match assignee {
        Assignee::Nobody => take(true).into_any(),
        Assignee::Me => {
            view! { <span class="sb-pill sb-pill--mine">{move || i18n.t().assigned_to_you}</span> }
                .into_any()
        }
        Assignee::Teammate(name) => view! {
            <span class="sb-pill">{(i18n.t().assigned_to)(&name)}</span>
            {take(false)}
        }
        .into_any(),
    }
}
