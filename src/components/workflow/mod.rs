//! Working a conversation: the header's actions and their dialogs, starting a conversation,
//! the agent's availability.

mod action_bar;
mod availability;
mod dialogs;
mod modal;
mod new_conversation;

pub use action_bar::{ActionBar, ActionContext};
pub use availability::AvailabilityPicker;
pub use modal::Modal;
pub use new_conversation::{NewConversation, new_conversation};
