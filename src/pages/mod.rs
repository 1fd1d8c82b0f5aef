//! Route-level components: they own the data loading for what they show.

mod inbox;
mod login;
mod not_found;
mod settings;
mod settings_replies;
mod thread;

pub use inbox::{InboxPage, NoConversation};
pub use login::LoginPage;
pub use not_found::NotFoundPage;
pub use settings::SettingsPage;
pub use thread::ThreadPage;
