fn main() {
    // A panic shows its message in the console instead of a bare "unreachable".
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(switchboard::app::App);
}
