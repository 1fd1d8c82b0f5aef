//! Switchboard's single-page app. See the README's architecture section for the map.

pub mod actions;
pub mod api;
pub mod app;
pub mod browser;
pub mod components;
pub mod compose;
pub mod conversation;
pub mod drafts;
pub mod emoji;
#[cfg(test)]
mod fixtures;
pub mod i18n;
pub mod outbox;
pub mod pages;
pub mod preferences;
pub mod quick_replies;
pub mod realtime;
pub mod search;
pub mod session;
pub mod split;
pub mod state;
pub mod upload;
pub mod workspace;
