//! The conversation header's actions: buttons on desktop (the everyday ones: Assign to me,
//! Unassign, Transfer, Snooze, Close) and a "More actions" menu (Mark as unread, Move; on
//! phones, every action), with keyboard shortcuts, and the dialog of the action chosen.

use super::dialogs::workflow_dialog;
use crate::actions::choices::{AgentChoice, TeamChoice};
use crate::actions::{ConversationActions, Panel};
use crate::api::Action;
use crate::components::{Icon, icons};
use crate::i18n::use_i18n;
use crate::split::Loaded;
use icondata_core::IconData;
use leptos::prelude::*;
use switchboard_protocol::{AgentId, Conversation, ConversationStatus, Inbox, WrapUpReason};
use wasm_bindgen::JsCast;

/// What the bar needs to know of the conversation and the workspace.
#[derive(Clone, Debug, PartialEq)]
pub struct ActionContext {
    pub conversation: Conversation,
    pub me: Option<AgentId>,
    pub agents: Vec<AgentChoice>,
    pub teams: Vec<TeamChoice>,
    pub reasons: Vec<WrapUpReason>,
    pub move_targets: Vec<Inbox>,
}

/// One action as the bar offers it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Item {
    AssignToMe,
    Unassign,
    Transfer,
    Snooze,
    Unsnooze,
    Close,
    Reopen,
    MarkUnread,
    Move,
}

impl Item {
    /// What makes sense for this conversation, in the order shown.
    fn offered(conversation: &Conversation, me: Option<AgentId>) -> Vec<Item> {
        if conversation.status == ConversationStatus::Closed {
            return vec![Item::Reopen, Item::MarkUnread, Item::Move];
        }
        let mut items = Vec::new();
        if conversation.assignee != me || me.is_none() {
            items.push(Item::AssignToMe);
        }
        if conversation.assignee.is_some() {
            items.push(Item::Unassign);
        }
        items.push(Item::Transfer);
        items.push(if conversation.snoozed_until.is_some() {
            Item::Unsnooze
        } else {
            Item::Snooze
        });
        items.push(Item::Close);
        items.push(Item::MarkUnread);
        items.push(Item::Move);
        items
    }

    /// Shown as a button on desktop; the rest live in the menu.
    fn on_the_bar(self) -> bool {
        !matches!(self, Item::MarkUnread | Item::Move)
    }

    fn shortcut(self) -> Option<&'static str> {
        Some(match self {
            Item::AssignToMe => "a",
            Item::Transfer => "t",
            Item::Snooze => "z",
            Item::Close => "c",
            Item::Reopen => "r",
            Item::MarkUnread => "u",
            Item::Move => "m",
            Item::Unassign | Item::Unsnooze => return None,
        })
    }

    fn icon(self) -> &'static IconData {
        match self {
            Item::AssignToMe => icons::TAKE,
            Item::Unassign => icons::UNASSIGN,
            Item::Transfer => icons::TRANSFER,
            Item::Snooze | Item::Unsnooze => icons::SNOOZE,
            Item::Close => icons::CLOSE_CONVERSATION,
            Item::Reopen => icons::REOPEN,
            Item::MarkUnread => icons::MARK_UNREAD,
            Item::Move => icons::MOVE,
        }
    }
}

/// Whether a single key is meant for the conversation's actions: the focus is in the open
/// conversation (not in the list, not on the page at large), and not where the agent types.
/// So the keys never act by surprise (WCAG 2.1.4: active only on a component with focus).
fn meant_for_actions(event: &web_sys::KeyboardEvent) -> bool {
    crate::browser::key_target(event).is_some_and(|el| {
        el.closest(".sb-conversation").ok().flatten().is_some()
            && !crate::browser::key_is_taken(&el)
    })
}

/// The menu's keys: arrows move between items (round the end), Escape closes it.
fn menu_keys(ev: &web_sys::KeyboardEvent, open: RwSignal<bool>) {
    let step: i32 = match ev.key().as_str() {
        "Escape" => {
            open.set(false);
            return;
        }
        "ArrowDown" => 1,
        "ArrowUp" => -1,
        _ => return,
    };
    ev.prevent_default();
    let Some(menu) = ev
        .current_target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return;
    };
    let Ok(items) = menu.query_selector_all("[role=menuitem]") else {
        return;
    };
    let items: Vec<web_sys::HtmlElement> = (0..items.length())
        .filter_map(|i| items.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
        .filter(|el| el.offset_parent().is_some())
        .collect();
    if items.is_empty() {
        return;
    }
    let active = document().active_element();
    let at = items
        .iter()
        .position(|el| active.as_ref() == Some(el.unchecked_ref::<web_sys::Element>()));
    let len = items.len() as i32;
    let next = at.map_or(if step > 0 { 0 } else { len - 1 }, |i| {
        (i as i32 + step).rem_euclid(len)
    });
    let _ = items[next as usize].focus();
}

#[component]
pub fn ActionBar(
    #[prop(into)] context: Signal<Option<ActionContext>>,
    actions: ConversationActions,
) -> impl IntoView {
    let i18n = use_i18n();
    let menu_open = RwSignal::new(false);
    let label = move |item: Item| {
        let w = i18n.w();
        match item {
            Item::AssignToMe => i18n.t().assign_to_me,
            Item::Unassign => w.unassign,
            Item::Transfer => w.transfer,
            Item::Snooze => w.snooze,
            Item::Unsnooze => w.wake_up,
            Item::Close => w.close,
            Item::Reopen => w.reopen,
            Item::MarkUnread => w.mark_unread,
            Item::Move => w.move_inbox,
        }
    };
    // What had the focus when a dialog opened gets it back when the dialog goes.
    let opener = StoredValue::new_local(None::<web_sys::HtmlElement>);
    Effect::new(move |was_open: Option<bool>| {
        let open = actions.panel.get().is_some();
        if was_open == Some(true) && !open {
            let back = opener.get_value().filter(|el| el.is_connected());
            // After the dialog has left the page, or the browser puts the focus on the body.
            request_animation_frame(move || {
                if let Some(el) = back {
                    let _ = el.focus();
                }
            });
        }
        open
    });
    let menu_button = NodeRef::<leptos::html::Button>::new();
    let choose = move |item: Item| {
        let from_menu = menu_open.get_untracked();
        menu_open.set(false);
        let focused = document()
            .active_element()
            .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok());
        // A menu item goes with the menu: the focus returns to the menu's button.
        let back = if from_menu {
            menu_button.get_untracked().map(|b| b.unchecked_into())
        } else {
            focused
        };
        opener.set_value(back);
        let me = context.with_untracked(|c| c.as_ref().and_then(|c| c.me));
        match item {
            Item::AssignToMe => {
                if let Some(me) = me {
                    actions.run(Action::Assign(me));
                }
            }
            Item::Unassign => actions.run(Action::Unassign),
            Item::Unsnooze => actions.run(Action::Unsnooze),
            Item::Reopen => actions.run(Action::Reopen),
            Item::MarkUnread => actions.run(Action::MarkUnread),
            Item::Transfer => actions.open(Panel::Transfer),
            Item::Snooze => actions.open(Panel::Snooze),
            Item::Close => actions.open(Panel::Close),
            Item::Move => actions.open(Panel::Move),
        }
    };
    let offered = Memo::new(move |_| {
        context.with(|c| {
            c.as_ref()
                .map(|c| Item::offered(&c.conversation, c.me))
                .unwrap_or_default()
        })
    });

    // Shortcuts, when the agent is not typing and no dialog is open.
    let keys = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.ctrl_key() || ev.meta_key() || ev.alt_key() || ev.repeat() || !meant_for_actions(&ev)
        {
            return;
        }
        if actions.panel.get_untracked().is_some() || actions.busy.get_untracked() {
            return;
        }
        let key = ev.key().to_ascii_lowercase();
        let item = offered.with_untracked(|items| {
            items
                .iter()
                .copied()
                .find(|item| item.shortcut() == Some(key.as_str()))
        });
        if let Some(item) = item {
            ev.prevent_default();
            choose(item);
        }
    });
    on_cleanup(move || keys.remove());

    // A click outside the menu closes it (phones have no Escape).
    let menu = NodeRef::<leptos::html::Div>::new();
    let outside = window_event_listener(leptos::ev::pointerdown, move |ev| {
        if !menu_open.get_untracked() {
            return;
        }
        let inside = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Node>().ok())
            .zip(menu.get_untracked())
            .is_some_and(|(target, menu)| menu.contains(Some(&target)));
        if !inside {
            menu_open.set(false);
        }
    });
    on_cleanup(move || outside.remove());

    let button = move |item: Item| {
        view! {
            <button
                class="sb-button sb-button--secondary sb-actions__button"
                type="button"
                disabled=move || actions.busy.get()
                aria-keyshortcuts=item.shortcut().map(str::to_uppercase)
                title=move || item.shortcut().map(|k| format!("{} ({})", label(item), k.to_uppercase()))
                on:click=move |_| choose(item)
            >
                <Icon icon=item.icon()/>
                <span class="sb-actions__label">{move || label(item)}</span>
            </button>
        }
    };
    view! {
        <div class="sb-actions" role="group" aria-label=move || i18n.w().actions_label>
            <div class="sb-actions__bar">
                {move || offered.get().into_iter().filter(|i| i.on_the_bar()).map(button).collect_view()}
            </div>
            <div class="sb-actions__more" node_ref=menu>
                <button
                    class="sb-icon-button"
                    type="button"
                    node_ref=menu_button
                    aria-haspopup="menu"
                    aria-expanded=move || menu_open.get().to_string()
                    aria-label=move || i18n.w().more_actions
                    title=move || i18n.w().more_actions
                    on:click=move |_| menu_open.update(|open| *open = !*open)
                    on:keydown=move |ev| { if ev.key() == "Escape" { menu_open.set(false); } }
                >
                    <Icon icon=icons::MORE/>
                </button>
                <Show when=move || menu_open.get()>
                    <div class="sb-menu" role="menu" aria-label=move || i18n.w().more_actions
                        on:keydown=move |ev| menu_keys(&ev, menu_open)>
                        {move || offered.get().into_iter().map(|item| view! {
                            <button
                                class="sb-menu__item"
                                class:sb-menu__item--bar=item.on_the_bar()
                                type="button"
                                role="menuitem"
                                on:click=move |_| choose(item)
                            >
                                <Icon icon=item.icon()/>
                                {move || label(item)}
                            </button>
                        }).collect_view()}
                        <p class="sb-menu__hint">{move || i18n.w().keyboard_hint}</p>
                    </div>
                </Show>
            </div>
            {move || actions.notice.get().map(|n| view! { <p class="sb-actions__notice" role="status">{n}</p> })}
            {move || (actions.panel.get().is_none()).then(|| actions.error.get()).flatten().map(|e| view! {
                <p class="sb-actions__error" role="alert">{e}</p>
            })}
            {move || actions.panel.get().map(|panel| view! {
                <Loaded load=move || workflow_dialog(panel, context, actions)/>
            })}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conversation() -> Conversation {
        serde_json::from_str(include_str!(
            "../../../crates/protocol/tests/fixtures/conversation.json"
        ))
        .unwrap()
    }

    #[test]
    fn what_is_offered_follows_the_conversation() {
        let mut c = conversation(); // open, assigned to agent 1
        let me = Some(AgentId(1));
        assert_eq!(
            Item::offered(&c, me),
            [
                Item::Unassign,
                Item::Transfer,
                Item::Snooze,
                Item::Close,
                Item::MarkUnread,
                Item::Move
            ]
        );
        assert_eq!(Item::offered(&c, Some(AgentId(2)))[0], Item::AssignToMe);
        c.assignee = None;
        assert_eq!(
            Item::offered(&c, me)[..2],
            [Item::AssignToMe, Item::Transfer]
        );
        c.snoozed_until = Some(chrono::Utc::now());
        assert!(Item::offered(&c, me).contains(&Item::Unsnooze));
        c.status = ConversationStatus::Closed;
        assert_eq!(
            Item::offered(&c, me),
            [Item::Reopen, Item::MarkUnread, Item::Move]
        );
    }
}
