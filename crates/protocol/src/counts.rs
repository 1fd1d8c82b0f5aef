//! The inbox views (tabs) and the per-agent counts shown on them.

use crate::{AgentId, Channel, Conversation, ConversationStatus};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

/// A tab of the inbox. The slug is used in URLs and in the REST API.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum View {
    /// Open and nobody's yet: the queue.
    Unassigned,
    /// Open and assigned to the agent asking.
    Mine,
    /// Every open conversation the agent may see.
    All,
    /// Closed conversations.
    Closed,
}

impl View {
    pub const ALL: [View; 4] = [View::Unassigned, View::Mine, View::All, View::Closed];

    pub fn slug(self) -> &'static str {
        match self {
            View::Unassigned => "unassigned",
            View::Mine => "mine",
            View::All => "all",
            View::Closed => "closed",
        }
    }

    /// Whether `conversation` belongs in this view for agent `me`.
    pub fn includes(self, conversation: &Conversation, me: AgentId) -> bool {
        self.holds(conversation.status, conversation.assignee, me)
    }

    /// The one definition of each view. The server's list queries select the same sets;
    /// its tests hold the two together.
    pub fn holds(self, status: ConversationStatus, assignee: Option<AgentId>, me: AgentId) -> bool {
        let open = status == ConversationStatus::Open;
        match self {
            View::Unassigned => open && assignee.is_none(),
            View::Mine => open && assignee == Some(me),
            View::All => open,
            View::Closed => !open,
        }
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
        }
    }

    /// Adds `count` conversations that share a channel, status and assignee into every view
    /// that holds them.
    pub fn add(
        &mut self,
        channel: Channel,
        status: ConversationStatus,
        assignee: Option<AgentId>,
        me: AgentId,
        count: ViewCount,
    ) {
        for view in View::ALL {
            if !view.holds(status, assignee, me) {
                continue;
            }
            match view {
                View::Unassigned => self.unassigned.add(count),
                View::Mine => {
                    self.mine.add(count);
                    self.mine_by_channel.entry(channel).or_default().add(count);
                }
                View::All => self.all.add(count),
                View::Closed => self.closed.add(count),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ConversationStatus::{Closed, Open};

    const ME: AgentId = AgentId(1);
    const OTHER: AgentId = AgentId(2);

    #[test]
    fn each_open_conversation_is_in_all_and_in_exactly_one_of_unassigned_or_someones() {
        assert!(View::Unassigned.holds(Open, None, ME));
        assert!(View::All.holds(Open, None, ME));
        assert!(!View::Mine.holds(Open, None, ME));
        assert!(View::Mine.holds(Open, Some(ME), ME));
        assert!(!View::Mine.holds(Open, Some(OTHER), ME));
        assert!(!View::Unassigned.holds(Open, Some(OTHER), ME));
        assert!(View::All.holds(Open, Some(OTHER), ME));
    }

    #[test]
    fn closed_conversations_are_only_in_closed() {
        for assignee in [None, Some(ME), Some(OTHER)] {
            let views: Vec<View> = View::ALL
                .into_iter()
                .filter(|v| v.holds(Closed, assignee, ME))
                .collect();
            assert_eq!(views, vec![View::Closed]);
        }
    }

    #[test]
    fn counts_fold_groups_into_tabs_and_my_channels() {
        let mut counts = Counts::default();
        let two = ViewCount {
            total: 2,
            unread: 1,
        };
        counts.add(Channel::Whatsapp, Open, Some(ME), ME, two);
        counts.add(
            Channel::Sms,
            Open,
            None,
            ME,
            ViewCount {
                total: 3,
                unread: 3,
            },
        );
        counts.add(
            Channel::Email,
            Open,
            Some(OTHER),
            ME,
            ViewCount {
                total: 1,
                unread: 0,
            },
        );
        counts.add(
            Channel::Sms,
            Closed,
            Some(ME),
            ME,
            ViewCount {
                total: 5,
                unread: 0,
            },
        );
        assert_eq!(counts.mine, two);
        assert_eq!(
            counts.unassigned,
            ViewCount {
                total: 3,
                unread: 3
            }
        );
        assert_eq!(
            counts.all,
            ViewCount {
                total: 6,
                unread: 4
            }
        );
        assert_eq!(counts.closed.total, 5);
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
