use leptos::prelude::{document, request_animation_frame};

fn main() {
    // A panic shows its message in the console instead of a bare "unreachable".
    console_error_panic_hook::set_once();
    // The app mounts after the boot screen has painted once (a frame's callback runs before
    // that frame paints, so the second one runs after): then the boot screen, larger than any
    // text of the first page, is the page's largest paint on every load, not only on the
    // loads where the wasm came later than the first frame. A hidden tab paints nothing and
    // runs no frames: it mounts at once.
    if document().hidden() {
        mount();
    } else {
        request_animation_frame(|| request_animation_frame(mount));
    }
}

fn mount() {
    leptos::mount::mount_to_body(switchboard::app::App);
}
