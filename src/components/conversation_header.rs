//! The open conversation's header: who the customer is, where they wrote, and the
//! conversation's state (whose it is, which queue it waits in, until when it is snoozed, how
//! it was closed). What the agent can do with it is the `ActionBar` beside it.

use super::{Avatar, ChannelIcon, Icon, Problem, icons};
use crate::i18n::use_i18n;
use chrono::{DateTime, Utc};
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
    /// Closed: the wrap-up reason it was closed with.
    pub closed_reason: Option<String>,
    pub snoozed_until: Option<DateTime<Utc>>,
    /// Nobody's yet: the team whose queue it waits in.
    pub queue: Option<String>,
    pub assignee: Assignee,
}

#[component]
pub fn ConversationHeader(
    heading: Heading,
    /// The list this conversation was opened from (phones go back to it).
    #[prop(into)]
    back_to: Signal<String>,
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
        closed_reason,
        snoozed_until,
        queue,
        assignee,
    } = heading;
    let clock = crate::app::use_clock();
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
                    <span class="sb-pill sb-pill--closed">
                        {move || match &closed_reason {
                            Some(reason) => (i18n.w().closed_with)(reason),
                            None => i18n.t().closed_badge.to_owned(),
                        }}
                    </span>
                })}
                {snoozed_until.map(|until| view! {
                    <span class="sb-pill sb-pill--snoozed">{move || (i18n.w().snoozed_until)(&i18n.t().moment_in_sentence(until, clock.0.get()))}</span>
                })}
                {queue.map(|team| view! { <span class="sb-pill">{move || (i18n.w().team_queue)(&team)}</span> })}
                <Assignment assignee=assignee/>
            </div>
            {move || problem.get().map(|text| view! { <Problem text=text class="sb-conversation__problem"/> })}
        </header>
    }
}

/// Who has the conversation.
#[component]
fn Assignment(assignee: Assignee) -> impl IntoView {
    let i18n = use_i18n();
    match assignee {
        Assignee::Nobody => {
            view! { <span class="sb-pill">{move || i18n.t().unassigned}</span> }.into_any()
        }
        Assignee::Me => {
            view! { <span class="sb-pill sb-pill--mine">{move || i18n.t().assigned_to_you}</span> }
                .into_any()
        }
        Assignee::Teammate(name) => {
            view! { <span class="sb-pill sb-pill--assignee">{move || (i18n.t().assigned_to)(&name)}</span> }
                .into_any()
        }
    }
}
