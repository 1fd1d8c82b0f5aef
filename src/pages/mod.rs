//! Route-level components: they own the data loading for what they show.

mod inbox;
mod login;
mod not_found;
mod settings;
mod settings_replies;
mod settings_workflow;
mod thread;

pub use inbox::{InboxPage, NoConversation};
pub use login::LoginPage;
pub use not_found::NotFoundPage;
pub use settings::{SettingsPage, settings_page};
pub use thread::ThreadPage;

use crate::api::Api;
use crate::session::{Session, SessionStatus};
use leptos::prelude::*;

/// What the top bar of a page behind the login shows and does: who is logged in, and logging
/// out.
fn top_bar_of(session: Session, api: Api) -> (Signal<String>, Callback<()>) {
    let agent_name = Signal::derive(move || match session.status.get() {
        SessionStatus::LoggedIn(agent) => agent.name,
        _ => String::new(),
    });
    let logout = Callback::new(move |()| {
        leptos::task::spawn_local(async move {
            let _ = api.logout().await;
            session.logged_out();
        });
    });
    (agent_name, logout)
}
