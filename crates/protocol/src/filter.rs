//! Views are filters. A [`Filter`] says which conversations a list holds; the inbox's tabs
//! are named filters ([`crate::View::filter`]), and what comes next (a team's queue, a
//! channel, tags, saved views, search) narrows the same type instead of adding a new kind of
//! list. `holds` is the one definition, shared by the app (which keeps its lists live from the
//! feed) and the server (whose SQL selects the same sets; its tests hold the two together).

use crate::{AgentId, Channel, Conversation, ConversationStatus, InboxId, TeamId, Viewer};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Whose conversations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum AssigneeFilter {
    /// Nobody's yet: waiting in a queue.
    Nobody,
    /// The agent asking.
    Me,
    Agent(AgentId),
}

/// Which queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum TeamFilter {
    /// In no team's queue.
    NoTeam,
    Team(TeamId),
}

/// Which conversations a list holds. Each field left out holds everything.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Filter {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ConversationStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee: Option<AssigneeFilter>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<TeamFilter>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snoozed: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inbox: Option<InboxId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<Channel>,
}

/// What a filter looks at of a conversation: counts group conversations by it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Group {
    pub inbox: InboxId,
    pub channel: Channel,
    pub status: ConversationStatus,
    pub assignee: Option<AgentId>,
    pub team: Option<TeamId>,
    pub snoozed: bool,
}

impl Group {
    pub fn of(conversation: &Conversation) -> Group {
        Group {
            inbox: conversation.inbox_id,
            channel: conversation.channel,
            status: conversation.status,
            assignee: conversation.assignee,
            team: conversation.team_id,
            snoozed: conversation.snoozed_until.is_some(),
        }
    }
}

impl Filter {
    /// Whether a conversation `viewer` may see belongs in this list.
    pub fn holds(&self, conversation: &Conversation, viewer: &Viewer) -> bool {
        viewer.sees(conversation) && self.holds_group(&Group::of(conversation), viewer.me)
    }

    /// The rule on what the filter looks at (sight is checked apart, by [`Viewer::sees`]).
    pub fn holds_group(&self, group: &Group, me: AgentId) -> bool {
        self.status.is_none_or(|status| group.status == status)
            && self.assignee.is_none_or(|assignee| match assignee {
                AssigneeFilter::Nobody => group.assignee.is_none(),
                AssigneeFilter::Me => group.assignee == Some(me),
                AssigneeFilter::Agent(agent) => group.assignee == Some(agent),
            })
            && self.team.is_none_or(|team| match team {
                TeamFilter::NoTeam => group.team.is_none(),
                TeamFilter::Team(team) => group.team == Some(team),
            })
            && self.snoozed.is_none_or(|snoozed| group.snoozed == snoozed)
            && self.inbox.is_none_or(|inbox| group.inbox == inbox)
            && self.channel.is_none_or(|channel| group.channel == channel)
    }

    /// This filter narrowed by another: what both hold. `None` when they ask for different
    /// values of the same thing (nothing could be in both).
    pub fn and(self, other: Filter) -> Option<Filter> {
        /// What two constraints on one field leave: `None` when they contradict.
        fn both<T: PartialEq>(a: Option<T>, b: Option<T>) -> Option<Option<T>> {
            match (a, b) {
                (Some(a), Some(b)) if a != b => None,
                (a, b) => Some(a.or(b)),
            }
        }
        Some(Filter {
            status: both(self.status, other.status)?,
            assignee: both(self.assignee, other.assignee)?,
            team: both(self.team, other.team)?,
            snoozed: both(self.snoozed, other.snoozed)?,
            inbox: both(self.inbox, other.inbox)?,
            channel: both(self.channel, other.channel)?,
        })
    }
}

impl fmt::Display for AssigneeFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AssigneeFilter::Nobody => f.write_str("nobody"),
            AssigneeFilter::Me => f.write_str("me"),
            AssigneeFilter::Agent(id) => write!(f, "{id}"),
        }
    }
}

impl FromStr for AssigneeFilter {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "nobody" => Ok(AssigneeFilter::Nobody),
            "me" => Ok(AssigneeFilter::Me),
            id => id
                .parse()
                .map(AssigneeFilter::Agent)
                .map_err(|_| format!("`{s}` is not nobody, me or an agent's id")),
        }
    }
}

impl fmt::Display for TeamFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TeamFilter::NoTeam => f.write_str("none"),
            TeamFilter::Team(id) => write!(f, "{id}"),
        }
    }
}

impl FromStr for TeamFilter {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "none" => Ok(TeamFilter::NoTeam),
            id => id
                .parse()
                .map(TeamFilter::Team)
                .map_err(|_| format!("`{s}` is not none or a team's id")),
        }
    }
}

macro_rules! string_forms {
    ($($ty:ty),*) => {$(
        impl TryFrom<String> for $ty {
            type Error = String;
            fn try_from(s: String) -> Result<Self, String> {
                s.parse()
            }
        }
        impl From<$ty> for String {
            fn from(value: $ty) -> String {
                value.to_string()
            }
        }
    )*};
}
string_forms!(AssigneeFilter, TeamFilter);

#[cfg(test)]
mod tests {
    use super::*;
    use ConversationStatus::{Closed, Open};

    const ME: AgentId = AgentId(1);

    fn group(status: ConversationStatus, assignee: Option<AgentId>, snoozed: bool) -> Group {
        Group {
            inbox: InboxId(1),
            channel: Channel::Sms,
            status,
            assignee,
            team: Some(TeamId(3)),
            snoozed,
        }
    }

    #[test]
    fn an_empty_filter_holds_everything_and_each_field_narrows() {
        let any = Filter::default();
        assert!(any.holds_group(&group(Closed, Some(AgentId(9)), false), ME));
        let mine = Filter {
            assignee: Some(AssigneeFilter::Me),
            ..Filter::default()
        };
        assert!(mine.holds_group(&group(Open, Some(ME), true), ME));
        assert!(!mine.holds_group(&group(Open, None, false), ME));
        let team = Filter {
            team: Some(TeamFilter::Team(TeamId(3))),
            channel: Some(Channel::Email),
            ..Filter::default()
        };
        assert!(!team.holds_group(&group(Open, None, false), ME), "channel");
    }

    #[test]
    fn narrowing_keeps_what_both_hold_and_contradictions_hold_nothing() {
        let open = Filter {
            status: Some(Open),
            ..Filter::default()
        };
        let sms = Filter {
            channel: Some(Channel::Sms),
            ..Filter::default()
        };
        let both = open.and(sms).unwrap();
        assert_eq!(
            (both.status, both.channel),
            (Some(Open), Some(Channel::Sms))
        );
        let closed = Filter {
            status: Some(Closed),
            ..Filter::default()
        };
        assert_eq!(open.and(closed), None);
    }

    #[test]
    fn filters_read_and_write_their_string_forms() {
        for text in ["nobody", "me", "12"] {
            assert_eq!(text.parse::<AssigneeFilter>().unwrap().to_string(), text);
        }
        for text in ["none", "4"] {
            assert_eq!(text.parse::<TeamFilter>().unwrap().to_string(), text);
        }
        assert!("someone".parse::<AssigneeFilter>().is_err());
        let json = serde_json::to_string(&Filter {
            assignee: Some(AssigneeFilter::Agent(AgentId(2))),
            ..Filter::default()
        })
        .unwrap();
        assert_eq!(json, r#"{"assignee":"2"}"#);
    }
}
