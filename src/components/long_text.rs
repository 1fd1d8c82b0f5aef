//! A message's text. A long one (a pasted log, a forwarded email) shows its beginning with
//! "Show all": the whole text is only put in the page when the agent asks, so opening such a
//! conversation stays instant. Always text, never HTML.

use crate::i18n::use_i18n;
use leptos::prelude::*;

/// Past this many characters or lines a text is shown cut.
const MAX_CHARS: usize = 1_200;
const MAX_LINES: usize = 16;

/// The beginning to show of a text too long to show whole; `None` when it fits.
pub fn cut_preview(text: &str) -> Option<&str> {
    let by_chars = text.char_indices().nth(MAX_CHARS).map(|(at, _)| at);
    let by_lines = text
        .match_indices('\n')
        .nth(MAX_LINES - 1)
        .map(|(at, _)| at);
    let end = match (by_chars, by_lines) {
        (None, None) => return None,
        (Some(a), Some(b)) => a.min(b),
        (Some(a), None) | (None, Some(a)) => a,
    };
    Some(text[..end].trim_end())
}

#[component]
pub fn MessageText(text: String) -> impl IntoView {
    let i18n = use_i18n();
    let Some(preview) = cut_preview(&text).map(str::to_owned) else {
        return view! { <p class="sb-msg__text">{text}</p> }.into_any();
    };
    let whole = RwSignal::new(false);
    view! {
        <div class="sb-msg__long">
            <p class="sb-msg__text">
                {move || if whole.get() { text.clone() } else { format!("{preview}…") }}
            </p>
            <button class="sb-link-button" type="button" aria-expanded=move || whole.get().to_string()
                on:click=move |_| whole.update(|w| *w = !*w)>
                {move || if whole.get() { i18n.t().show_less } else { i18n.t().show_all }}
            </button>
        </div>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_text_is_shown_whole() {
        assert_eq!(cut_preview("Hola, ¿seguís abiertos?"), None);
        assert_eq!(cut_preview(&"línea\n".repeat(MAX_LINES - 1)), None);
    }

    #[test]
    fn a_long_text_is_cut_by_characters_or_by_lines_whichever_comes_first() {
        let long = "ñ".repeat(MAX_CHARS + 10);
        assert_eq!(cut_preview(&long).unwrap().chars().count(), MAX_CHARS);
        let lines = "a\n".repeat(100);
        assert_eq!(cut_preview(&lines).unwrap().lines().count(), MAX_LINES);
    }
}
