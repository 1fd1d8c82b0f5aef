use crate::app::view_path;
use crate::i18n::use_i18n;
use leptos::prelude::*;
use switchboard_protocol::{Counts, View};
use wasm_bindgen::JsCast;

/// Compact numbers for badges: 7, 86, 1.2k (cut, never rounded up). In whole numbers: float
/// formatting would bring ~10 KB of wasm for this one badge.
pub fn compact(n: u32) -> String {
    if n < 1000 {
        n.to_string()
    } else if n < 10_000 && n % 1000 >= 100 {
        format!("{}.{}k", n / 1000, n % 1000 / 100)
    } else {
        format!("{}k", n / 1000)
    }
}

/// The inbox's tabs, each with its live count. Arrow keys move between them.
#[component]
pub fn ViewTabs(
    #[prop(into)] current: Signal<View>,
    #[prop(into)] counts: Signal<Option<Counts>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let keys = move |ev: leptos::ev::KeyboardEvent| {
        let index = View::ALL
            .iter()
            .position(|v| *v == current.get_untracked())
            .unwrap_or(0) as i32;
        let last = View::ALL.len() as i32 - 1;
        let target = match ev.key().as_str() {
            "ArrowRight" => index + 1,
            "ArrowLeft" => index - 1,
            "Home" => 0,
            "End" => last,
            _ => return,
        };
        ev.prevent_default();
        let next = View::ALL[target.rem_euclid(last + 1) as usize];
        if let Some(tab) = leptos::prelude::document()
            .get_element_by_id(&format!("sb-tab-{}", next.slug()))
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = tab.focus();
            tab.click();
        }
    };
    view! {
        <nav class="sb-tabs" role="tablist" aria-label=move || i18n.t().tabs_label on:keydown=keys>
            {View::ALL
                .into_iter()
                .map(|view| {
                    let selected = move || current.get() == view;
                    let count = move || counts.with(|c| c.as_ref().map(|c| c.view(view)));
                    view! {
                        <a
                            id=format!("sb-tab-{}", view.slug())
                            class="sb-tab"
                            class:sb-tab--selected=selected
                            role="tab"
                            aria-controls="sb-tabpanel"
                            href=view_path(view)
                            aria-selected=move || selected().to_string()
                            tabindex=move || if selected() { "0" } else { "-1" }
                        >
                            <span class="sb-tab__label">{move || (i18n.t().view_name)(view)}</span>
                            {move || {
                                count()
                                    .map(|c| {
                                        let unread = c.unread > 0;
                                        view! {
                                            <span class="sb-tab__count" class:sb-tab__count--unread=unread>
                                                {compact(c.total)}
                                            </span>
                                        }
                                    })
                            }}
                        </a>
                    }
                })
                .collect_view()}
        </nav>
    }
}

#[cfg(test)]
mod tests {
    use super::compact;

    #[test]
    fn badge_numbers_stay_short() {
        assert_eq!(compact(7), "7");
        assert_eq!(compact(999), "999");
        assert_eq!(compact(1000), "1k");
        assert_eq!(compact(1250), "1.2k");
        assert_eq!(compact(1299), "1.2k");
        assert_eq!(compact(2050), "2k");
        assert_eq!(compact(9999), "9.9k");
        assert_eq!(compact(23_456), "23k");
    }
}
