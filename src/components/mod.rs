//! Reusable views. They take data and callbacks; they never call the API or parse JSON.

mod avatar;
mod brand;
mod composer;
mod connection;
mod conversation_header;
mod conversation_list;
mod field;
mod icon;
mod language;
mod list_window;
mod long_text;
mod problem;
mod row_body;
mod tabs;
mod thread_view;
mod thread_window;
mod top_bar;
mod workflow;

pub use avatar::Avatar;
pub use brand::Brand;
pub use composer::Composer;
pub use connection::ConnectionBanner;
pub use conversation_header::{Assignee, ConversationHeader, Heading};
pub use conversation_list::ConversationList;
pub use field::Field;
pub use icon::{ChannelIcon, Icon, icons};
pub use language::LanguagePicker;
pub use long_text::MessageText;
pub use problem::Problem;
pub use tabs::ViewTabs;
pub use thread_view::{FailureLine, MessageList, ThreadLine};
pub use top_bar::TopBar;
pub use workflow::{
    ActionBar, ActionContext, AvailabilityPicker, NewConversation, new_conversation,
};
