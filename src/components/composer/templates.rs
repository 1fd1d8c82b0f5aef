//! The composer when the reply window has closed and only approved templates may go.

use crate::components::{Icon, icons};
use crate::i18n::use_i18n;
use crate::state::Outgoing;
use leptos::prelude::*;
use switchboard_protocol::templates::{Template, TemplateUse};

/// Picks an approved template and fills in its placeholders, with a live preview.
#[component]
pub fn TemplatePicker(
    templates: Signal<Vec<Template>>,
    on_send: Callback<Outgoing>,
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
            note: false,
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
