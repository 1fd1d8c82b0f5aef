//! The inbox's tabs, as named filters, and the per-agent counts shown on them.

use crate::{
    AgentId, AssigneeFilter, Channel, Conversation, ConversationStatus, Filter, Group, Viewer,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

/// A tab of the inbox. The slug is used in URLs and in the REST API.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum View {
    /// Open, nobody's yet and not snoozed: the queue of my teams and my inboxes.
    Unassigned,
    /// Open, assigned to the agent asking, not snoozed.
    Mine,
    /// Every open conversation the agent may see.
    All,
    /// Closed conversations.
    Closed,
    /// My conversations put out of the way until a time (or until the customer writes).
    Snoozed,
}

impl View {
    pub const ALL: [View; 5] = [
        View::Unassigned,
        View::Mine,
        View::All,
        View::Snoozed,
        View::Closed,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            View::Unassigned => "unassigned",
            View::Mine => "mine",
            View::All => "all",
            View::Closed => "closed",
            View::Snoozed => "snoozed",
        }
    }

    /// The one definition of each tab.
    pub fn filter(self) -> Filter {
        let open = Some(ConversationStatus::Open);
        match self {
            View::Unassigned => Filter {
                status: open,
                assignee: Some(AssigneeFilter::Nobody),
                snoozed: Some(false),
                ..Filter::default()
            },
            View::Mine => Filter {
                status: open,
                assignee: Some(AssigneeFilter::Me),
                snoozed: Some(false),
                ..Filter::default()
            },
            View::All => Filter {
                status: open,
                ..Filter::default()
            },
            View::Closed => Filter {
                status: Some(ConversationStatus::Closed),
                ..Filter::default()
            },
            View::Snoozed => Filter {
                status: open,
                assignee: Some(AssigneeFilter::Me),
                snoozed: Some(true),
                ..Filter::default()
            },
        }
    }

    /// Whether `conversation` belongs in this tab for `viewer`.
    pub fn includes(self, conversation: &Conversation, viewer: &Viewer) -> bool {
        self.filter().holds(conversation, viewer)
    }
}

impl fmt::Display for View {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.slug())
    }
}

impl FromStr for View {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        View::ALL.into_iter().find(|v| v.slug() == s).ok_or(())
    }
}

/// How many conversations a view holds, and how many of them have messages this agent has
/// not read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ViewCount {
    pub total: u32,
    pub unread: u32,
}

impl ViewCount {
    fn add(&mut self, other: ViewCount) {
        self.total += other.total;
        self.unread += other.unread;
    }
}

/// One agent's counts: per tab, and for "Mine" per channel.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub unassigned: ViewCount,
    pub mine: ViewCount,
    pub all: ViewCount,
    pub closed: ViewCount,
    #[serde(default)]
    pub snoozed: ViewCount,
    /// Only channels with at least one conversation in "Mine".
    pub mine_by_channel: BTreeMap<Channel, ViewCount>,
}

impl Counts {
    pub fn view(&self, view: View) -> ViewCount {
        match view {
            View::Unassigned => self.unassigned,
            View::Mine => self.mine,
            View::All => self.all,
            View::Closed => self.closed,
            View::Snoozed => self.snoozed,
        }
    }

    fn view_mut(&mut self, view: View) -> &mut ViewCount {
        match view {
            View::Unassigned => &mut self.unassigned,
            View::Mine => &mut self.mine,
            View::All => &mut self.all,
            View::Closed => &mut self.closed,
            View::Snoozed => &mut self.snoozed,
        }
    }

    /// Adds `count` conversations (that `me` may see) of one group into every tab that holds
    /// them.
    pub fn add(&mut self, group: &Group, me: AgentId, count: ViewCount) {
        for view in View::ALL {
            if !view.filter().holds_group(group, me) {
                continue;
            }
            self.view_mut(view).add(count);
            if view == View::Mine {
                self.mine_by_channel
                    .entry(group.channel)
                    .or_default()
                    .add(count);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{InboxId, TeamId};
    use ConversationStatus::{Closed, Open};

    const ME: AgentId = AgentId(1);
    const OTHER: AgentId = AgentId(2);

    fn group(
        channel: Channel,
        status: ConversationStatus,
        assignee: Option<AgentId>,
        snoozed: bool,
    ) -> Group {
        Group {
            inbox: InboxId(1),
            channel,
            status,
            assignee,
            team: Some(TeamId(1)),
            snoozed,
        }
    }

    fn views(group: &Group) -> Vec<View> {
        View::ALL
            .into_iter()
            .filter(|v| v.filter().holds_group(group, ME))
            .collect()
    }

    #[test]
    fn each_open_conversation_is_in_all_and_in_at_most_one_of_queue_mine_or_snoozed() {
        use View::*;
        assert_eq!(
            views(&group(Channel::Sms, Open, None, false)),
            [Unassigned, All]
        );
        assert_eq!(
            views(&group(Channel::Sms, Open, Some(ME), false)),
            [Mine, All]
        );
        assert_eq!(
            views(&group(Channel::Sms, Open, Some(ME), true)),
            [All, Snoozed]
        );
        assert_eq!(views(&group(Channel::Sms, Open, Some(OTHER), false)), [All]);
        assert_eq!(views(&group(Channel::Sms, Open, Some(OTHER), true)), [All]);
    }

    #[test]
    fn closed_conversations_are_only_in_closed() {
        for assignee in [None, Some(ME), Some(OTHER)] {
            assert_eq!(
                views(&group(Channel::Sms, Closed, assignee, false)),
                [View::Closed]
            );
        }
    }

    #[test]
    fn counts_fold_groups_into_tabs_and_my_channels() {
        let mut counts = Counts::default();
        let two = ViewCount {
            total: 2,
            unread: 1,
        };
        let count = |total, unread| ViewCount { total, unread };
        counts.add(&group(Channel::Whatsapp, Open, Some(ME), false), ME, two);
        counts.add(&group(Channel::Sms, Open, None, false), ME, count(3, 3));
        counts.add(
            &group(Channel::Email, Open, Some(OTHER), false),
            ME,
            count(1, 0),
        );
        counts.add(
            &group(Channel::Sms, Closed, Some(ME), false),
            ME,
            count(5, 0),
        );
        counts.add(&group(Channel::Sms, Open, Some(ME), true), ME, count(1, 1));
        assert_eq!(counts.mine, two);
        assert_eq!(counts.unassigned, count(3, 3));
        assert_eq!(counts.all, count(7, 5));
        assert_eq!(counts.closed.total, 5);
        assert_eq!(counts.snoozed, count(1, 1));
        assert_eq!(counts.mine_by_channel.len(), 1);
        assert_eq!(counts.mine_by_channel[&Channel::Whatsapp], two);
    }

    #[test]
    fn view_slugs_parse_back() {
        for view in View::ALL {
            assert_eq!(view.slug().parse::<View>(), Ok(view));
        }
        assert!("inbox".parse::<View>().is_err());
    }
}
