//! The one access rule: who may see and act on a conversation. An agent sees a conversation
//! when they belong to its inbox, or to the team whose queue it is in, or it is assigned to
//! them. The server's SQL (`store::access` in the reference server) is built from this rule
//! and its tests hold the two together; the app asks the same question of a conversation an
//! event brought, to drop one that left its sight (a transfer, a move).

use crate::{AgentId, Conversation, InboxId, TeamId};
use std::collections::BTreeSet;

/// An agent, with what their sight depends on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Viewer {
    pub me: AgentId,
    /// The inboxes they are a member of.
    pub inboxes: BTreeSet<InboxId>,
    /// The teams they are a member of.
    pub teams: BTreeSet<TeamId>,
}

impl Viewer {
    /// An agent who sees only what is assigned to them (until their inboxes and teams are known).
    pub fn only(me: AgentId) -> Viewer {
        Viewer {
            me,
            inboxes: BTreeSet::new(),
            teams: BTreeSet::new(),
        }
    }

    pub fn sees(&self, conversation: &Conversation) -> bool {
        self.sees_parts(
            conversation.inbox_id,
            conversation.team_id,
            conversation.assignee,
        )
    }

    /// [`Viewer::sees`], from the three facts it depends on.
    pub fn sees_parts(
        &self,
        inbox: InboxId,
        team: Option<TeamId>,
        assignee: Option<AgentId>,
    ) -> bool {
        self.inboxes.contains(&inbox)
            || team.is_some_and(|team| self.teams.contains(&team))
            || assignee == Some(self.me)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_inbox_a_team_or_the_assignment_gives_sight() {
        let viewer = Viewer {
            me: AgentId(1),
            inboxes: [InboxId(1)].into(),
            teams: [TeamId(7)].into(),
        };
        assert!(viewer.sees_parts(InboxId(1), None, None));
        assert!(viewer.sees_parts(InboxId(2), Some(TeamId(7)), None));
        assert!(viewer.sees_parts(InboxId(2), None, Some(AgentId(1))));
        assert!(!viewer.sees_parts(InboxId(2), Some(TeamId(8)), Some(AgentId(2))));
    }
}
