//! The workflow's endpoints: actions on a conversation, starting one, availability, teams and
//! wrap-up reasons.

use super::{Api, ApiFailure, BASE};
use gloo_net::http::Request;
use serde::Serialize;
use serde::de::DeserializeOwned;
use switchboard_protocol::api::{
    Act, Close, ContactMatches, ConversationEntry, MoveTo, SaveTeam, SaveWrapUpReason,
    SetAvailability, Snooze, StartConversation, Started, Transfer,
};
use switchboard_protocol::{
    AgentStatus, Availability, Channel, ConversationId, Team, TeamId, WrapUpReason, WrapUpReasonId,
};

/// What an agent does to a conversation, with what it needs.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    Assign(switchboard_protocol::AgentId),
    Unassign,
    Transfer(Transfer),
    Close(Close),
    Reopen,
    Snooze(Snooze),
    Unsnooze,
    MarkUnread,
    Move(MoveTo),
}

impl Api {
    async fn put<T: DeserializeOwned>(
        &self,
        path: &str,
        body: &impl Serialize,
    ) -> Result<T, ApiFailure> {
        let request = Request::put(&format!("{BASE}{path}"))
            .json(body)
            .map_err(|_| ApiFailure::Network)?;
        self.finish(request.send().await, true).await
    }

    /// Does `action` to the conversation the agent saw at `version`.
    pub async fn act(
        &self,
        id: ConversationId,
        action: &Action,
        version: Option<i64>,
    ) -> Result<ConversationEntry, ApiFailure> {
        let path = |name: &str| format!("/conversations/{id}/{name}");
        let act = Act { version };
        match action {
            Action::Assign(agent_id) => {
                let body = switchboard_protocol::api::Assign {
                    agent_id: *agent_id,
                    version,
                };
                self.post(&path("assign"), &body, true).await
            }
            Action::Unassign => self.post(&path("unassign"), &act, true).await,
            Action::Transfer(transfer) => {
                let body = Transfer {
                    version,
                    ..transfer.clone()
                };
                self.post(&path("transfer"), &body, true).await
            }
            Action::Close(close) => {
                let body = Close {
                    version,
                    ..close.clone()
                };
                self.post(&path("close"), &body, true).await
            }
            Action::Reopen => self.post(&path("reopen"), &act, true).await,
            Action::Snooze(snooze) => {
                let body = Snooze {
                    version,
                    ..snooze.clone()
                };
                self.post(&path("snooze"), &body, true).await
            }
            Action::Unsnooze => self.post(&path("unsnooze"), &act, true).await,
            Action::MarkUnread => {
                self.post(&path("unread"), &serde_json::json!({}), true)
                    .await
            }
            Action::Move(to) => {
                let body = MoveTo {
                    version,
                    ..to.clone()
                };
                self.post(&path("move"), &body, true).await
            }
        }
    }

    pub async fn start_conversation(
        &self,
        request: &StartConversation,
    ) -> Result<Started, ApiFailure> {
        self.post("/conversations", request, true).await
    }

    pub async fn contacts(
        &self,
        channel: Channel,
        query: &str,
    ) -> Result<ContactMatches, ApiFailure> {
        let query = String::from(js_sys::encode_uri_component(query));
        self.get(&format!("/contacts?channel={}&q={query}", channel.as_str()))
            .await
    }

    pub async fn set_availability(
        &self,
        availability: Availability,
    ) -> Result<AgentStatus, ApiFailure> {
        self.put("/me/availability", &SetAvailability { availability })
            .await
    }

    /// Creates a team (`id` `None`) or rewrites one.
    pub async fn save_team(&self, id: Option<TeamId>, team: &SaveTeam) -> Result<Team, ApiFailure> {
        match id {
            None => self.post("/teams", team, true).await,
            Some(id) => self.put(&format!("/teams/{id}"), team).await,
        }
    }

    pub async fn delete_team(&self, id: TeamId) -> Result<(), ApiFailure> {
        self.delete(&format!("/teams/{id}")).await
    }

    /// Adds a wrap-up reason (`id` `None`) or renames one.
    pub async fn save_reason(
        &self,
        id: Option<WrapUpReasonId>,
        label: String,
    ) -> Result<WrapUpReason, ApiFailure> {
        let body = SaveWrapUpReason { label };
        match id {
            None => self.post("/wrap-up-reasons", &body, true).await,
            Some(id) => self.put(&format!("/wrap-up-reasons/{id}"), &body).await,
        }
    }

    pub async fn delete_reason(&self, id: WrapUpReasonId) -> Result<(), ApiFailure> {
        self.delete(&format!("/wrap-up-reasons/{id}")).await
    }
}
