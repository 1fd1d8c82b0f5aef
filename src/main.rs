use leptos::prelude::{document, request_animation_frame, set_timeout};
use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

fn main() {
    // A panic shows its message in the console instead of a bare "unreachable".
    console_error_panic_hook::set_once();
    // The app mounts after the boot screen has painted once (a frame's callback runs before
    // that frame paints, so the second one runs after): then the boot screen, larger than any
    // text of the first page, is the page's largest paint on every load, not only on the
    // loads where the wasm came later than the first frame. A hidden tab paints nothing and
    // runs no frames: it mounts at once, and a tab hidden before its frames came mounts after
    // a second all the same.
    if document().hidden() {
        mount();
        return;
    }
    let mounted = Rc::new(Cell::new(false));
    let once = move || {
        if !mounted.replace(true) {
            mount();
        }
    };
    let after_paint = once.clone();
    request_animation_frame(move || request_animation_frame(after_paint));
    set_timeout(once, Duration::from_secs(1));
}

fn mount() {
    leptos::mount::mount_to_body(switchboard::app::App);
}
