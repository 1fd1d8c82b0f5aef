//! The REST client: one function per endpoint, protocol types in and out. Same-origin
//! requests carry the session cookie by themselves; a 401 anywhere ends the session.

mod workflow;

pub use workflow::Action;

use gloo_net::http::{Request, Response};
use leptos::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use switchboard_protocol::api::{
    Assign, ConversationEntry, ConversationPage, ConversationSnapshot, LoginRequest, MarkRead,
    SendMessage, Session, ThreadPage, Workspace,
};
use switchboard_protocol::feed::ConversationUnread;
use switchboard_protocol::quick_replies::{QuickReply, SaveQuickReply};
use switchboard_protocol::search::{Group, Results};
use switchboard_protocol::templates::Template;
use switchboard_protocol::{
    Agent, AgentId, ApiError, AttachmentId, ConversationId, ErrorCode, InboxId, Message, MessageId,
    QuickReplyId, View,
};

const BASE: &str = "/api/v1";

/// Why a request did not succeed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApiFailure {
    /// The server could not be reached (offline, server down).
    Network,
    /// The server answered with an error.
    Refused { status: u16, error: ApiError },
    /// The server answered, but not in the shape this app reads (a server and an app of
    /// different versions), or the request could not be written. Not the network: asking
    /// again gets the same answer.
    Unreadable,
}

impl ApiFailure {
    pub fn is_unauthenticated(&self) -> bool {
        matches!(self, ApiFailure::Refused { status: 401, .. })
    }

    /// Trying the same request again may work: the network, or the server's own trouble.
    pub fn is_transient(&self) -> bool {
        match self {
            ApiFailure::Network => true,
            ApiFailure::Refused { status, .. } => *status >= 500 || *status == 429,
            ApiFailure::Unreadable => false,
        }
    }

    /// The server says, for good, that what was asked for is not there for this agent (it does
    /// not exist, or they may not see it), as opposed to trouble on the way.
    pub fn is_refused_for_good(&self) -> bool {
        matches!(self, ApiFailure::Refused { .. }) && !self.is_transient()
    }

    /// "What failed. Why.", in the agent's language; `what` is a sentence of its own.
    pub fn explain(&self, what: &str, texts: &crate::i18n::Texts) -> String {
        format!("{what} {}", self.describe(texts))
    }

    /// A sentence for the agent, in their language.
    pub fn describe(&self, texts: &crate::i18n::Texts) -> String {
        match self {
            ApiFailure::Network => texts.network_error.to_owned(),
            ApiFailure::Unreadable => texts.answer_unreadable.to_owned(),
            ApiFailure::Refused { error, .. } if error.code == ErrorCode::Internal => {
                texts.something_failed.to_owned()
            }
            ApiFailure::Refused { error, .. } => texts.error(error.code.as_str(), &error.message),
        }
    }
}

/// The API, with a flag the app watches: it turns true when the server says the session is gone.
/// How much of a thread one request asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ThreadPageSize {
    /// The server's page: what a reader scrolling back needs next.
    Usual,
    /// The most the server gives at once: for reaching a message far back in few requests.
    Largest,
}

/// The server's largest thread page (`routes::conversations::MAX_PAGE`).
const LARGEST_THREAD_PAGE: u32 = 200;

#[derive(Clone, Copy)]
pub struct Api {
    pub session_lost: RwSignal<bool>,
}

impl Api {
    pub fn new() -> Api {
        Api {
            session_lost: RwSignal::new(false),
        }
    }

    /// Reads an answer. `guarded`: a 401 means the session ended (not so for a login attempt).
    async fn finish<T: DeserializeOwned>(
        &self,
        sent: Result<Response, gloo_net::Error>,
        guarded: bool,
    ) -> Result<T, ApiFailure> {
        let response = sent.map_err(|_| ApiFailure::Network)?;
        if response.ok() {
            // The body arrived: a failure to read it is a mismatch, not the network.
            return response
                .json::<T>()
                .await
                .map_err(|_| ApiFailure::Unreadable);
        }
        let status = response.status();
        let error = response.json::<ApiError>().await.unwrap_or_else(|_| {
            ApiError::new(
                ErrorCode::Internal,
                format!("The server answered {status}."),
            )
        });
        let failure = ApiFailure::Refused { status, error };
        if guarded && failure.is_unauthenticated() {
            self.session_lost.set(true);
        }
        Err(failure)
    }

    async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, ApiFailure> {
        self.finish(Request::get(&format!("{BASE}{path}")).send().await, true)
            .await
    }

    async fn post<T: DeserializeOwned>(
        &self,
        path: &str,
        body: &impl Serialize,
        guarded: bool,
    ) -> Result<T, ApiFailure> {
        let request = Request::post(&format!("{BASE}{path}"))
            .json(body)
            .map_err(|_| ApiFailure::Unreadable)?;
        self.finish(request.send().await, guarded).await
    }

    pub async fn login(&self, email: String, password: String) -> Result<Session, ApiFailure> {
        self.post("/session", &LoginRequest { email, password }, false)
            .await
    }

    pub async fn me(&self) -> Result<Agent, ApiFailure> {
        self.get("/session").await
    }

    pub async fn logout(&self) -> Result<(), ApiFailure> {
        // Already logged out (401) is what was asked for.
        match Request::delete(&format!("{BASE}/session")).send().await {
            Ok(response) if response.ok() || response.status() == 401 => Ok(()),
            other => self.finish::<()>(other, false).await,
        }
    }

    pub async fn workspace(&self) -> Result<Workspace, ApiFailure> {
        self.get("/workspace").await
    }

    pub async fn conversations(
        &self,
        view: View,
        cursor: Option<&str>,
    ) -> Result<ConversationPage, ApiFailure> {
        let cursor = cursor
            .map(|c| format!("&cursor={}", String::from(js_sys::encode_uri_component(c))))
            .unwrap_or_default();
        self.get(&format!("/conversations?view={}{cursor}", view.slug()))
            .await
    }

    /// Search: every group's first page (`Group::All`), or the next page of one group, after
    /// `offset` results (contacts, conversations) or `before` a message.
    pub async fn search(
        &self,
        q: &str,
        group: Group,
        offset: usize,
        before: Option<MessageId>,
    ) -> Result<Results, ApiFailure> {
        let q = String::from(js_sys::encode_uri_component(q));
        let page = match group {
            Group::All => String::new(),
            Group::Contacts => format!("&in=contacts&offset={offset}"),
            Group::Conversations => format!("&in=conversations&offset={offset}"),
            Group::Messages => before
                .map(|b| format!("&in=messages&before={b}"))
                .unwrap_or_else(|| "&in=messages".to_owned()),
        };
        self.get(&format!("/search?q={q}{page}")).await
    }

    pub async fn conversation(
        &self,
        id: ConversationId,
    ) -> Result<ConversationSnapshot, ApiFailure> {
        self.get(&format!("/conversations/{id}")).await
    }

    /// A page of the thread, newest first, before `before` (from the newest without it); as
    /// long as `page` says.
    pub async fn thread(
        &self,
        id: ConversationId,
        before: Option<MessageId>,
        page: ThreadPageSize,
    ) -> Result<ThreadPage, ApiFailure> {
        let mut query = Vec::new();
        query.extend(before.map(|b| format!("before={b}")));
        if page == ThreadPageSize::Largest {
            query.push(format!("limit={LARGEST_THREAD_PAGE}"));
        }
        let query = if query.is_empty() {
            String::new()
        } else {
            format!("?{}", query.join("&"))
        };
        self.get(&format!("/conversations/{id}/messages{query}"))
            .await
    }

    pub async fn send(
        &self,
        id: ConversationId,
        message: &SendMessage,
    ) -> Result<Message, ApiFailure> {
        self.post(&format!("/conversations/{id}/messages"), message, true)
            .await
    }

    /// Sends a message the provider could not deliver again (a new attempt of it).
    pub async fn send_again(
        &self,
        id: ConversationId,
        message: MessageId,
    ) -> Result<Message, ApiFailure> {
        let path = format!("/conversations/{id}/messages/{message}/retry");
        self.post(&path, &serde_json::json!({}), true).await
    }

    pub async fn mark_read(
        &self,
        id: ConversationId,
        up_to: MessageId,
    ) -> Result<ConversationUnread, ApiFailure> {
        self.post(
            &format!("/conversations/{id}/read"),
            &MarkRead { up_to },
            true,
        )
        .await
    }

    pub async fn emoji(&self) -> Result<switchboard_protocol::emoji::EmojiTable, ApiFailure> {
        self.get("/emoji").await
    }

    pub async fn quick_replies(&self) -> Result<Vec<QuickReply>, ApiFailure> {
        self.get("/quick-replies").await
    }

    /// Creates a quick reply (`id` `None`) or changes one.
    pub async fn save_quick_reply(
        &self,
        id: Option<QuickReplyId>,
        reply: &SaveQuickReply,
    ) -> Result<QuickReply, ApiFailure> {
        let request = match id {
            None => Request::post(&format!("{BASE}/quick-replies")),
            Some(id) => Request::put(&format!("{BASE}/quick-replies/{id}")),
        };
        let request = request.json(reply).map_err(|_| ApiFailure::Unreadable)?;
        self.finish(request.send().await, true).await
    }

    pub async fn delete_quick_reply(&self, id: QuickReplyId) -> Result<(), ApiFailure> {
        self.delete(&format!("/quick-replies/{id}")).await
    }

    /// Takes an upload that was not sent out of the draft, on the server too.
    pub async fn discard_attachment(&self, id: AttachmentId) -> Result<(), ApiFailure> {
        self.delete(&format!("/attachments/{id}")).await
    }

    async fn delete(&self, path: &str) -> Result<(), ApiFailure> {
        let sent = Request::delete(&format!("{BASE}{path}")).send().await;
        match sent {
            Ok(response) if response.status() == 204 => Ok(()),
            other => self.finish::<()>(other, true).await,
        }
    }

    pub async fn templates(&self, inbox: InboxId) -> Result<Vec<Template>, ApiFailure> {
        self.get(&format!("/inboxes/{inbox}/templates")).await
    }

    pub async fn assign(
        &self,
        id: ConversationId,
        agent_id: AgentId,
    ) -> Result<ConversationEntry, ApiFailure> {
        self.post(
            &format!("/conversations/{id}/assign"),
            &Assign {
                agent_id,
                version: None,
            },
            true,
        )
        .await
    }
}

impl Default for Api {
    fn default() -> Self {
        Api::new()
    }
}

pub fn use_api() -> Api {
    expect_context::<Api>()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Locale;

    #[test]
    fn an_answer_the_app_cannot_read_is_something_gone_wrong_not_the_network() {
        for locale in Locale::ALL {
            let texts = locale.texts();
            let unreadable = ApiFailure::Unreadable.describe(texts);
            assert_ne!(unreadable, ApiFailure::Network.describe(texts));
            assert!(!unreadable.contains(texts.network_error), "{unreadable}");
        }
        assert!(
            !ApiFailure::Unreadable.is_transient(),
            "asking again gets the same answer"
        );
        assert!(ApiFailure::Network.is_transient());
    }
}
