//! One conversation: its header, its thread and the composer, over a
//! [`ConversationController`](crate::conversation::ConversationController).

use crate::components::{ActionBar, Composer, ConversationHeader, MessageList};
use crate::conversation::ConversationController;
use crate::i18n::use_i18n;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use switchboard_protocol::{ConversationId, MessageId, View};

#[component]
pub fn ThreadPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| {
        params
            .with(|p| p.get("id"))
            .and_then(|v| v.parse::<ConversationId>().ok())
    });
    let view = Memo::new(move |_| {
        params
            .with(|p| p.get("view"))
            .and_then(|v| v.parse::<View>().ok())
            .unwrap_or(View::Unassigned)
    });
    // `?m=`: a search result opens the thread at its message.
    let query = use_query_map();
    let focus = Memo::new(move |_| {
        query
            .with(|q| q.get("m"))
            .and_then(|v| v.parse::<MessageId>().ok())
    });
    let conversation = ConversationController::new(id, view);
    let loader = conversation.loader;

    view! {
        <Show
            when=move || !loader.missing()
            fallback=move || view! {
                <div class="sb-placeholder" role="alert">
                    <p class="sb-placeholder__hint">{move || i18n.t().conversation_not_found}</p>
                </div>
            }
        >
            <article class="sb-conversation" data-drop-label=move || i18n.t().drop_files>
                <div class="sb-conversation__head">
                    {move || conversation.heading.get().map(|heading| view! {
                        <ConversationHeader
                            heading=heading
                            back_to=Signal::derive(move || conversation.back_to())
                        />
                    })}
                    // Outside the heading's redraws: an open dialog keeps what is typed in it.
                    <ActionBar context=conversation.action_context actions=conversation.actions/>
                </div>
                <MessageList
                    conversation=conversation.id
                    lines=conversation.lines
                    loading_older=loader.loading_older
                    reached_start=conversation.reached_start
                    on_older=Callback::new(move |page| loader.older(page))
                    focus=focus
                    on_retry=Callback::new(move |client_id| conversation.retry_send(client_id))
                    problem=Signal::derive(move || conversation.load_problem())
                    on_reload=Callback::new(move |()| loader.retry())
                />
                <div class="sb-visually-hidden" role="status" aria-live="polite">{move || conversation.announcement.get()}</div>
                {move || conversation.composing.get().map(|(channel, id)| view! {
                    <Composer
                        channel=channel
                        conversation=id
                        keep_for=conversation.keep_for
                        context=conversation.reply.context
                        others_newest=conversation.others_newest
                        situation=conversation.situation(channel)
                        templates=conversation.templates.list
                        templates_problem=Signal::derive(move || conversation.templates_problem())
                        on_reload_templates=Callback::new(move |()| conversation.templates.reload())
                        on_send=Callback::new(move |outgoing| conversation.send(id, outgoing))
                    />
                })}
            </article>
        </Show>
    }
}
