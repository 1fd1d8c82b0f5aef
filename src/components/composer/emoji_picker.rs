//! The emoji picker: search by name in Spanish or English, groups, recently used first, a
//! skin tone, and the keyboard throughout (the search box keeps the focus; the arrows move in
//! the grid, Enter inserts, Escape closes). Its table loads the first time it opens.

use super::picker::{focus_when_shown, keep_in_view};
use crate::api::use_api;
use crate::components::Problem;
use crate::emoji::use_emoji;
use crate::i18n::{Locale, use_i18n};
use leptos::prelude::*;

const COLUMNS: usize = 8;
const SEARCH_RESULTS: usize = 64;
/// A face for each group's tab, and the recently used tab's.
const RECENT_ICON: &str = "🕘";
const TONE_SAMPLES: [&str; 6] = ["✋", "✋🏻", "✋🏼", "✋🏽", "✋🏾", "✋🏿"];

fn group_icon(id: &str) -> &'static str {
    match id {
        "smileys_emotion" => "😀",
        "people_body" => "👋",
        "animals_nature" => "🐻",
        "food_drink" => "🍔",
        "travel_places" => "✈️",
        "activities" => "⚽",
        "objects" => "💡",
        "symbols" => "❤️",
        _ => "🏳️",
    }
}

/// One cell of the grid: what it inserts, the base glyph it is remembered by, its name.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Cell {
    insert: String,
    glyph: String,
    name: String,
}

// The picker opens once in a while, after the composer: its code is a chunk of its own.
crate::split::split_point!(emoji: pub fn emoji_picker(on_pick: Callback<String>, on_close: Callback<()>) {
    view! { <EmojiPicker on_pick on_close/> }
});

#[component]
pub fn EmojiPicker(on_pick: Callback<String>, on_close: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let library = use_emoji();
    let api = use_api();
    library.load(api);
    let search = RwSignal::new(String::new());
    // 0: recently used; then the groups.
    let tab = RwSignal::new(if library.recent.with_untracked(Vec::is_empty) {
        1
    } else {
        0
    });
    let active = RwSignal::new(0usize);
    let cells = Memo::new(move |_| {
        let spanish = i18n.locale.get() == Locale::Es;
        let tone = library.tone.get();
        library.emojis.with(|emojis| {
            let Some(emojis) = emojis else {
                return Vec::new();
            };
            let cell = |e: &crate::emoji::Entry| Cell {
                insert: e.in_tone(tone).to_owned(),
                glyph: e.glyph.clone(),
                name: e.name(spanish).to_owned(),
            };
            let query = search.get();
            if !query.trim().is_empty() {
                return emojis
                    .search(&query, SEARCH_RESULTS)
                    .into_iter()
                    .map(cell)
                    .collect();
            }
            match tab.get() {
                0 => library.recent.with(|recent| {
                    recent
                        .iter()
                        .filter_map(|g| emojis.by_glyph(g))
                        .map(cell)
                        .collect()
                }),
                group => emojis
                    .entries
                    .iter()
                    .filter(|e| e.group + 1 == group)
                    .map(cell)
                    .collect(),
            }
        })
    });
    Effect::new(move |_| {
        cells.track();
        active.set(0);
    });
    let groups = Memo::new(move |_| {
        library
            .emojis
            .with(|e| e.as_ref().map(|e| e.groups.clone()).unwrap_or_default())
    });
    let pick = move |index: usize| {
        if let Some(cell) = cells.with_untracked(|c| c.get(index).cloned()) {
            library.remember(&cell.glyph);
            on_pick.run(cell.insert);
        }
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        let len = cells.with_untracked(Vec::len);
        let move_by = |delta: isize| {
            if len > 0 {
                active.update(|a| *a = (*a as isize + delta).clamp(0, len as isize - 1) as usize);
            }
        };
        match ev.key().as_str() {
            "ArrowRight" => move_by(1),
            "ArrowLeft" => move_by(-1),
            "ArrowDown" => move_by(COLUMNS as isize),
            "ArrowUp" => move_by(-(COLUMNS as isize)),
            "Enter" if len > 0 => pick(active.get_untracked()),
            "Escape" => on_close.run(()),
            _ => return,
        }
        ev.prevent_default();
    };
    let keep_focus = |ev: leptos::ev::MouseEvent| ev.prevent_default();
    let label = move |cell: &Cell| cell.name.clone();
    let search_box = NodeRef::<leptos::html::Input>::new();
    focus_when_shown(search_box);
    keep_in_view(active, |index| format!("sb-emoji-{index}"));
    view! {
        <div class="sb-popover-backdrop" on:click=move |_| on_close.run(())></div>
        <div class="sb-picker sb-emoji" role="dialog" aria-label=move || i18n.t().emoji_picker>
            <input
                node_ref=search_box
                class="sb-input sb-picker__search"
                type="search"
                aria-label=move || i18n.t().search_emoji
                placeholder=move || i18n.t().search_emoji
                aria-controls="sb-emoji-grid"
                aria-activedescendant=move || (!cells.with(Vec::is_empty)).then(|| format!("sb-emoji-{}", active.get()))
                prop:value=move || search.get()
                on:input=move |ev| search.set(event_target_value(&ev))
                on:keydown=on_keydown
            />
            <Show when=move || search.with(|s| s.trim().is_empty())>
                <div class="sb-emoji__tabs" role="tablist" aria-label=move || i18n.t().emoji_groups>
                    <button type="button" role="tab" class="sb-emoji__tab" aria-selected=move || (tab.get() == 0).to_string()
                        aria-label=move || (i18n.t().emoji_group)("recent") title=move || (i18n.t().emoji_group)("recent")
                        on:mousedown=keep_focus on:click=move |_| tab.set(0)>{RECENT_ICON}</button>
                    {move || groups.get().into_iter().enumerate().map(|(index, id)| {
                        let name = (i18n.t().emoji_group)(&id);
                        view! {
                            <button type="button" role="tab" class="sb-emoji__tab" aria-selected=move || (tab.get() == index + 1).to_string()
                                aria-label=name title=name on:mousedown=keep_focus on:click=move |_| tab.set(index + 1)>{group_icon(&id)}</button>
                        }
                    }).collect_view()}
                </div>
            </Show>
            <ul id="sb-emoji-grid" class="sb-emoji__grid" role="listbox" aria-label=move || i18n.t().emoji_picker>
                {move || cells.get().into_iter().enumerate().map(|(index, cell)| view! {
                    <li
                        id=format!("sb-emoji-{index}")
                        role="option"
                        class="sb-emoji__cell"
                        aria-selected=move || (active.get() == index).to_string()
                        aria-label=label(&cell)
                        title=label(&cell)
                        on:mousedown=move |ev| { ev.prevent_default(); pick(index) }
                    >{cell.insert.clone()}</li>
                }).collect_view()}
            </ul>
            {move || library.failure.with(|f| f.as_ref().map(|f| f.explain(i18n.t().emoji_load_failed, i18n.t()))).map(|text| view! {
                <Problem text=text on_retry=Some(Callback::new(move |()| library.load(api))) class="sb-picker__empty"/>
            })}
            {move || {
                let loaded = library.emojis.with(Option::is_some);
                let text = if library.failure.with(Option::is_some) {
                    None
                } else if !loaded {
                    Some(i18n.t().loading)
                } else if cells.with(Vec::is_empty) {
                    Some(if search.with(|s| s.trim().is_empty()) { i18n.t().no_recent_emoji } else { i18n.t().nothing_found })
                } else {
                    None
                };
                text.map(|text| view! { <p class="sb-picker__empty" role="status">{text}</p> })
            }}
            <div class="sb-emoji__tones" role="radiogroup" aria-label=move || i18n.t().skin_tone>
                {TONE_SAMPLES.iter().enumerate().map(|(tone, sample)| view! {
                    <button type="button" role="radio" class="sb-emoji__tone" aria-checked=move || (library.tone.get() == tone).to_string()
                        aria-label=move || (i18n.t().skin_tone_name)(tone) title=move || (i18n.t().skin_tone_name)(tone)
                        on:mousedown=keep_focus on:click=move |_| library.set_tone(tone)>{*sample}</button>
                }).collect_view()}
            </div>
        </div>
    }
}
