//! The composer when the reply window has closed and only approved templates may go.

use super::picker::{PickItem, PickerList, focus_when_shown, picker_keydown};
use crate::components::{Icon, Problem, icons};
use crate::compose::matching::rank;
use crate::i18n::use_i18n;
use crate::state::Outgoing;
use leptos::prelude::*;
use switchboard_protocol::templates::{Template, TemplateUse};

crate::split::split_point!(templates: pub fn template_picker(templates: Signal<Vec<Template>>, on_send: Callback<Outgoing>, problem: MaybeProp<String>, on_reload: Option<Callback<()>>) {
    view! { <TemplatePicker templates=templates on_send=on_send problem=problem on_reload=on_reload/> }
});

/// Picks an approved template and fills in its placeholders, with a live preview. Templates
/// that could not be loaded say so, with a Retry.
#[component]
fn TemplatePicker(
    templates: Signal<Vec<Template>>,
    on_send: Callback<Outgoing>,
    problem: MaybeProp<String>,
    on_reload: Option<Callback<()>>,
) -> impl IntoView {
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
    // The same picker as saved replies, with the templates in it: where only templates may
    // go, they are what the agent reaches for.
    let browsing = RwSignal::new(false);
    let search = RwSignal::new(String::new());
    let active = RwSignal::new(0usize);
    let found = Memo::new(move |_| {
        let query = search.get();
        ordered.with(|all| {
            rank(&query, all, |t: &Template| {
                vec![t.name.as_str(), t.body.as_str()]
            })
        })
    });
    let items = Signal::derive(move || {
        ordered.with(|all| {
            found.with(|found| {
                found
                    .iter()
                    .map(|&i| PickItem {
                        title: format!("{} ({})", all[i].name, all[i].language),
                        shortcut: None,
                        preview: all[i].body.clone(),
                    })
                    .collect::<Vec<_>>()
            })
        })
    });
    let pick = Callback::new(move |index: usize| {
        if let Some(chosen_index) = found.with_untracked(|f| f.get(index).copied()) {
            chosen.set(chosen_index);
        }
        browsing.set(false);
    });
    let close = Callback::new(move |()| browsing.set(false));
    let search_box = NodeRef::<leptos::html::Input>::new();
    focus_when_shown(search_box);
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
            ..Outgoing::default()
        });
        values.update(|v| v.iter_mut().for_each(String::clear));
    };
    view! {
        <Show
            when=move || templates.with(|t| !t.is_empty())
            fallback=move || match problem.get() {
                Some(text) => view! { <Problem text=text on_retry=on_reload class="sb-composer sb-notice"/> }.into_any(),
                None => view! { <p class="sb-composer sb-notice">{move || i18n.t().no_templates}</p> }.into_any(),
            }
        >
            <form class="sb-composer sb-template" on:submit=send>
                <Show when=move || browsing.get()>
                    <div class="sb-popover-backdrop" on:click=move |_| browsing.set(false)></div>
                    <div class="sb-picker sb-picker--browsing">
                        <input
                            node_ref=search_box
                            class="sb-input sb-picker__search"
                            type="search"
                            aria-label=move || i18n.t().search_templates
                            placeholder=move || i18n.t().search_templates
                            prop:value=move || search.get()
                            on:input=move |ev| { search.set(event_target_value(&ev)); active.set(0); }
                            on:keydown=move |ev| { picker_keydown(&ev, active, found.with_untracked(Vec::len), pick, close); }
                        />
                        <PickerList list_id="sb-template-list" items=items active=active label=Signal::derive(move || i18n.t().template_label) on_pick=pick/>
                    </div>
                </Show>
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
                    <button class="sb-icon-button" type="button" title=move || i18n.t().templates aria-label=move || i18n.t().templates aria-expanded=move || browsing.get().to_string()
                        on:click=move |_| { search.set(String::new()); active.set(0); browsing.update(|open| *open = !*open); }>
                        <Icon icon=icons::QUICK_REPLY/>
                    </button>
                    <button class="sb-button sb-button--primary sb-composer__send" type="submit" disabled=move || rendered.with(Option::is_none)>
                        <Icon icon=icons::SEND/>
                        <span>{move || i18n.t().send_template}</span>
                    </button>
                </div>
            </form>
        </Show>
    }
}
