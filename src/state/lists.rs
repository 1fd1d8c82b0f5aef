//! What each tab shows. A view's list is derived, not stored: every known conversation the
//! view holds, newest activity first, down to the oldest one a loaded page reached (so a
//! conversation that arrived by the feed appears at once, and no gap opens between pages).

use super::State;
use chrono::{DateTime, Utc};
use switchboard_protocol::api::ConversationPage;
use switchboard_protocol::{Channel, ConversationId, MessageId, View};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListState {
    /// Activity and id of the oldest conversation loaded; `None` before the first page.
    pub oldest: Option<(DateTime<Utc>, ConversationId)>,
    pub next_cursor: Option<String>,
    pub loaded: bool,
}

impl ListState {
    pub(super) fn record_page(&mut self, page: &ConversationPage, first: bool) {
        if first {
            *self = ListState::default();
        }
        self.loaded = true;
        self.next_cursor = page.next_cursor.clone();
        if let Some(last) = page.items.last() {
            let key = (last.conversation.last_activity_at, last.conversation.id);
            self.oldest = Some(self.oldest.map_or(key, |oldest| oldest.min(key)));
        }
    }

    pub fn complete(&self) -> bool {
        self.loaded && self.next_cursor.is_none()
    }
}

/// Who wrote the message a row previews.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PreviewBy {
    Customer,
    Me,
    /// A teammate, by first name.
    Teammate(String),
}

/// One line of a conversation list, with everything the row shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub id: ConversationId,
    pub version: i64,
    pub channel: Channel,
    /// The entry point the customer wrote to (the inbox's name).
    pub inbox: String,
    pub name: String,
    /// The contact's name is unknown and `name` is their handle.
    pub name_is_handle: bool,
    pub preview: String,
    pub preview_by: PreviewBy,
    pub last_message: Option<MessageId>,
    pub at: DateTime<Utc>,
    pub unread: u32,
    pub assignee: Option<String>,
    /// Closed: the wrap-up reason it was closed with.
    pub closed_reason: Option<String>,
    pub snoozed_until: Option<DateTime<Utc>>,
}

impl State {
    /// The rows of a view for the agent, newest first.
    pub fn rows(&self, view: View) -> Vec<Row> {
        let Some(viewer) = self.viewer() else {
            return Vec::new();
        };
        let me = viewer.me;
        let filter = view.filter();
        let list = self.lists.get(&view).cloned().unwrap_or_default();
        let mut rows: Vec<Row> = self
            .conversations
            .values()
            .filter(|c| filter.holds(c, &viewer))
            .filter(|c| {
                list.complete()
                    || list
                        .oldest
                        .is_some_and(|oldest| (c.last_activity_at, c.id) >= oldest)
            })
            .map(|c| {
                let name = c.contact.display_name().to_owned();
                Row {
                    id: c.id,
                    version: c.version,
                    channel: c.channel,
                    inbox: self
                        .inboxes
                        .get(&c.inbox_id)
                        .map(|i| i.name.clone())
                        .unwrap_or_default(),
                    name_is_handle: name == c.contact.handle,
                    name,
                    preview: c
                        .last_message
                        .as_ref()
                        .map(|m| m.preview.clone())
                        .unwrap_or_default(),
                    preview_by: match c.last_message.as_ref().and_then(|m| m.author) {
                        None => PreviewBy::Customer,
                        Some(author) if author == me => PreviewBy::Me,
                        Some(author) => PreviewBy::Teammate(
                            self.agent_name(author)
                                .and_then(|name| name.split_whitespace().next())
                                .unwrap_or_default()
                                .to_owned(),
                        ),
                    },
                    last_message: c.last_message.as_ref().map(|m| m.id),
                    at: c.last_activity_at,
                    unread: self.unread_of(c.id),
                    assignee: c
                        .assignee
                        .filter(|a| *a != me)
                        .and_then(|a| self.agent_name(a))
                        .map(str::to_owned),
                    closed_reason: c.closure.as_ref().and_then(|c| c.reason.clone()),
                    snoozed_until: c.snoozed_until,
                }
            })
            .collect();
        rows.sort_by_key(|row| std::cmp::Reverse((row.at, row.id)));
        rows
    }

    /// "Mine", grouped by channel in a stable order, each group with its total from the
    /// server's counts (the list may not have loaded them all yet).
    pub fn rows_by_channel(&self, view: View) -> Vec<(Channel, u32, Vec<Row>)> {
        let rows = self.rows(view);
        let totals = self
            .counts
            .as_ref()
            .map(|(c, _)| c.mine_by_channel.clone())
            .unwrap_or_default();
        Channel::ALL
            .into_iter()
            .filter_map(|channel| {
                let group: Vec<Row> = rows
                    .iter()
                    .filter(|r| r.channel == channel)
                    .cloned()
                    .collect();
                let total = totals.get(&channel).map_or(group.len() as u32, |c| c.total);
                (!group.is_empty() || total > 0).then_some((channel, total, group))
            })
            .collect()
    }
}
