//! Small, failure-tolerant wrappers over browser APIs. Storage can be disabled (private
//! modes, embedded iframes): every function degrades to "nothing stored" instead of failing.

use wasm_bindgen::JsCast;

/// The element a key press went to.
pub fn key_target(event: &web_sys::KeyboardEvent) -> Option<web_sys::Element> {
    event.target()?.dyn_into().ok()
}

/// Whether a key press belongs to what has the focus (a field or the composer being typed in,
/// a dialog) rather than to the page's shortcuts.
pub fn key_is_taken(el: &web_sys::Element) -> bool {
    matches!(
        el.tag_name().to_ascii_lowercase().as_str(),
        "input" | "textarea" | "select"
    ) || el
        .closest("[contenteditable], dialog")
        .ok()
        .flatten()
        .is_some()
}

fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

pub fn local_storage_get(key: &str) -> Option<String> {
    window()?.local_storage().ok()??.get_item(key).ok()?
}

pub fn local_storage_set(key: &str, value: &str) {
    if let Some(storage) = window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = storage.set_item(key, value);
    }
}

pub fn local_storage_remove(key: &str) {
    if let Some(storage) = window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = storage.remove_item(key);
    }
}

/// The keys of local storage that start with `prefix`.
pub fn local_storage_keys(prefix: &str) -> Vec<String> {
    let Some(storage) = window().and_then(|w| w.local_storage().ok().flatten()) else {
        return Vec::new();
    };
    let count = storage.length().unwrap_or(0);
    (0..count)
        .filter_map(|i| storage.key(i).ok().flatten())
        .filter(|key| key.starts_with(prefix))
        .collect()
}

pub fn navigator_language() -> Option<String> {
    window()?.navigator().language()
}

pub fn set_document_lang(code: &str) {
    if let Some(root) = window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("lang", code);
    }
}

/// Sets the tab's title, only when it says something else: the browser does real work for
/// every write (a burst wrote the same title once per frame, a few ms each at 4x throttling).
pub fn set_title(title: &str) {
    if let Some(document) = window().and_then(|w| w.document())
        && document.title() != title
    {
        document.set_title(title);
    }
}

pub fn is_visible() -> bool {
    window()
        .and_then(|w| w.document())
        .is_none_or(|d| d.visibility_state() == web_sys::VisibilityState::Visible)
}

/// Whether the main pointer is a finger (a phone or tablet), as opposed to a mouse or nothing.
pub fn pointer_is_coarse() -> bool {
    window()
        .and_then(|w| w.match_media("(pointer: coarse)").ok().flatten())
        .is_some_and(|query| query.matches())
}

/// What the browser believes about the network (true when it cannot tell).
pub fn is_online() -> bool {
    window().is_none_or(|w| w.navigator().on_line())
}

/// `ws://host/path` or `wss://host/path` for the page's own origin.
pub fn websocket_url(path: &str) -> Option<String> {
    let location = window()?.location();
    let scheme = if location.protocol().ok()? == "https:" {
        "wss"
    } else {
        "ws"
    };
    Some(format!("{scheme}://{}{path}", location.host().ok()?))
}

pub fn focus_element(id: &str) {
    if let Some(element) = window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = element.focus();
    }
}

/// Calls `changed` with the new visibility whenever the page is hidden or shown. For the
/// app's lifetime.
pub fn on_visibility_change(changed: impl Fn(bool) + 'static) {
    use wasm_bindgen::closure::Closure;
    let Some(document) = window().and_then(|w| w.document()) else {
        return;
    };
    let listener = Closure::<dyn Fn()>::new(move || changed(is_visible()));
    let _ = document
        .add_event_listener_with_callback("visibilitychange", listener.as_ref().unchecked_ref());
    listener.forget();
}
