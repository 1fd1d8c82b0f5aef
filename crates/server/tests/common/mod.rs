//! A real server on a free port with a real SQLite file in a temp dir, and clients for it.
#![allow(dead_code)] // each test file uses its own part of this
#![allow(clippy::unwrap_used)] // test helpers stop at the first unexpected error

pub mod stand_in;

use futures_util::{SinkExt, StreamExt};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::time::Duration;
use switchboard_protocol::api::{InboundReceived, SandboxInbound, Session};
use switchboard_protocol::{Channel, ClientFrame, Seq, ServerFrame};
use switchboard_server::config::Config;
use switchboard_server::{Running, start};
use tokio_tungstenite::tungstenite::Message as WsMessage;

pub struct TestServer {
    pub running: Running,
    pub dir: tempfile::TempDir,
    pub http: reqwest::Client,
}

pub fn quick_config(dir: &std::path::Path) -> Config {
    let mut config = Config::new(dir);
    config.bind = "127.0.0.1:0".parse().unwrap();
    config.demo = true;
    config.sandbox_webhooks = true;
    config.sandbox.sent_after = Duration::from_millis(50);
    config.sandbox.delivered_after = Duration::from_millis(150);
    config.sandbox.read_after = Duration::from_millis(300);
    config
}

impl TestServer {
    pub async fn start() -> TestServer {
        Self::start_with(|_| {}).await
    }

    pub async fn start_with(adjust: impl FnOnce(&mut Config)) -> TestServer {
        let dir = tempfile::tempdir().unwrap();
        let mut config = quick_config(dir.path());
        adjust(&mut config);
        Self::start_in(dir, config).await
    }

    pub async fn start_in(dir: tempfile::TempDir, config: Config) -> TestServer {
        let running = start(config).await.expect("server starts");
        TestServer {
            running,
            dir,
            http: reqwest::Client::new(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.running.url())
    }

    pub async fn login(&self, email: &str) -> Agent {
        let response = self
            .http
            .post(self.url("/api/v1/session"))
            .json(&serde_json::json!({ "email": email, "password": "demo1234" }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "login of {email}");
        let session: Session = response.json().await.unwrap();
        Agent {
            token: session.token,
            id: session.agent.id,
            base: self.running.url(),
            http: self.http.clone(),
        }
    }

    /// Stops serving (the database stays on disk).
    pub async fn stop(self) -> tempfile::TempDir {
        self.running.server.abort();
        let _ = self.running.server.await;
        self.running.state.db.close().await;
        self.dir
    }
}

/// An agent's API client.
#[derive(Clone)]
pub struct Agent {
    pub token: String,
    pub id: switchboard_protocol::AgentId,
    pub base: String,
    pub http: reqwest::Client,
}

impl Agent {
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http
            .get(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap()
    }

    pub async fn post(&self, path: &str, body: &impl Serialize) -> reqwest::Response {
        self.http
            .post(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    pub async fn put(&self, path: &str, body: &impl Serialize) -> reqwest::Response {
        self.http
            .put(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    pub async fn delete(&self, path: &str) -> reqwest::Response {
        self.http
            .delete(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap()
    }

    /// Uploads a file to a conversation as the composer does, the browser declaring `declared`.
    pub async fn upload(
        &self,
        conversation: switchboard_protocol::ConversationId,
        name: &str,
        declared: &str,
        bytes: Vec<u8>,
    ) -> reqwest::Response {
        let part = reqwest::multipart::Part::bytes(bytes)
            .file_name(name.to_owned())
            .mime_str(declared)
            .unwrap();
        self.http
            .post(format!(
                "{}/api/v1/conversations/{conversation}/attachments",
                self.base
            ))
            .bearer_auth(&self.token)
            .multipart(reqwest::multipart::Form::new().part("file", part))
            .send()
            .await
            .unwrap()
    }

    /// Uploads a file that must be taken; the stored attachment.
    pub async fn attach(
        &self,
        conversation: switchboard_protocol::ConversationId,
        name: &str,
        declared: &str,
        bytes: Vec<u8>,
    ) -> switchboard_protocol::Attachment {
        let response = self.upload(conversation, name, declared, bytes).await;
        assert_eq!(response.status(), 201, "upload of {name}");
        response.json().await.unwrap()
    }

    pub async fn get_json<T: DeserializeOwned>(&self, path: &str) -> T {
        let response = self.get(path).await;
        assert!(
            response.status().is_success(),
            "GET {path}: {}",
            response.status()
        );
        response.json().await.unwrap()
    }

    pub async fn inbound(
        &self,
        channel: Channel,
        from: &str,
        name: Option<&str>,
        text: &str,
    ) -> InboundReceived {
        let body = SandboxInbound {
            channel,
            from: from.into(),
            name: name.map(Into::into),
            text: text.into(),
            at: None,
            attachments: Vec::new(),
        };
        let response = self.post("/api/v1/sandbox/inbound", &body).await;
        assert_eq!(response.status(), 201, "inbound");
        response.json().await.unwrap()
    }

    pub async fn feed(&self, since: Option<Seq>) -> Feed {
        Feed::connect(&self.base, Some(self.token.clone()), since).await
    }
}

pub type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// A feed client that speaks the protocol.
pub struct Feed {
    pub socket: Socket,
}

impl Feed {
    pub async fn open(base: &str) -> Socket {
        let url = format!("{}/api/v1/feed", base.replacen("http", "ws", 1));
        tokio_tungstenite::connect_async(url)
            .await
            .expect("feed connects")
            .0
    }

    pub async fn connect(base: &str, token: Option<String>, since: Option<Seq>) -> Feed {
        let mut feed = Feed {
            socket: Self::open(base).await,
        };
        feed.send(&ClientFrame::Hello {
            token,
            since,
            log: None,
        })
        .await;
        feed
    }

    pub async fn send(&mut self, frame: &ClientFrame) {
        let text = serde_json::to_string(frame).unwrap();
        self.socket
            .send(WsMessage::Text(text.into()))
            .await
            .unwrap();
    }

    /// The next frame, or `None` if none comes within the time (or the socket closed).
    pub async fn next_within(&mut self, wait: Duration) -> Option<ServerFrame> {
        loop {
            let message = tokio::time::timeout(wait, self.socket.next())
                .await
                .ok()??
                .ok()?;
            match message {
                WsMessage::Text(text) => {
                    return Some(serde_json::from_str(&text).expect("server frames parse"));
                }
                WsMessage::Close(_) => return None,
                _ => continue,
            }
        }
    }

    pub async fn next(&mut self) -> ServerFrame {
        self.next_within(Duration::from_secs(5))
            .await
            .expect("a frame within 5 s")
    }

    /// The welcome, then the event that says `agent` came online: an agent's first app is
    /// announced just after its welcome, to everyone, that app included.
    pub async fn welcomed_online(&mut self, agent: switchboard_protocol::AgentId) -> ServerFrame {
        let welcome = self.next().await;
        assert!(
            matches!(welcome, ServerFrame::Welcome { .. }),
            "{welcome:?}"
        );
        let online = self.next().await;
        assert!(
            matches!(&online, ServerFrame::Event(e) if matches!(&e.body,
                switchboard_protocol::EventBody::AgentStatus { status } if status.agent_id == agent)),
            "{online:?}"
        );
        online
    }

    /// Frames until none arrives for `quiet`.
    pub async fn drain(&mut self, quiet: Duration) -> Vec<ServerFrame> {
        let mut frames = Vec::new();
        while let Some(frame) = self.next_within(quiet).await {
            frames.push(frame);
        }
        frames
    }

    /// Waits for the first frame matching `wanted`, returning the frames before it too.
    pub async fn until(
        &mut self,
        wanted: impl Fn(&ServerFrame) -> bool,
    ) -> (ServerFrame, Vec<ServerFrame>) {
        let mut before = Vec::new();
        loop {
            let frame = self.next().await;
            if wanted(&frame) {
                return (frame, before);
            }
            before.push(frame);
        }
    }
}

pub fn event_seqs(frames: &[ServerFrame]) -> Vec<i64> {
    frames
        .iter()
        .filter_map(|f| match f {
            ServerFrame::Event(e) => Some(e.seq.0),
            _ => None,
        })
        .collect()
}

/// Webhooks as providers send them: an inbox on a real provider, and signed calls to it.
impl TestServer {
    /// A new inbox of `channel` on `provider` with these settings, with every agent in it.
    pub async fn provider_inbox(
        &self,
        channel: Channel,
        provider: &str,
        settings: &serde_json::Value,
    ) -> switchboard_protocol::InboxId {
        use switchboard_server::store::inboxes;
        let db = &self.running.state.db;
        let mut tx = db.write().await.unwrap();
        let inbox = inboxes::insert(&mut tx, channel, provider, "stand-in")
            .await
            .unwrap();
        sqlx::query("INSERT INTO inbox_members (inbox_id, agent_id) SELECT ?1, id FROM agents")
            .bind(inbox.0)
            .execute(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        switchboard_server::admin::connect(db, inbox, provider, &settings.to_string())
            .await
            .unwrap();
        inbox
    }

    /// A Telegram inbox only `agent` belongs to (everyone is taken out of the demo's one), so
    /// that a Telegram customer's conversation is theirs alone.
    pub async fn telegram_only_for(&self, agent: &Agent) -> switchboard_protocol::InboxId {
        use switchboard_server::store::inboxes;
        let mut tx = self.running.state.db.write().await.unwrap();
        let inbox = inboxes::insert(&mut tx, Channel::Telegram, "VIP", "@vip")
            .await
            .unwrap();
        sqlx::query("DELETE FROM inbox_members WHERE inbox_id IN (SELECT id FROM inboxes WHERE channel = 'telegram')")
            .execute(&mut *tx)
            .await
            .unwrap();
        inboxes::add_member(&mut tx, inbox, agent.id).await.unwrap();
        tx.commit().await.unwrap();
        inbox
    }

    pub fn webhook_url(&self, provider: &str, inbox: switchboard_protocol::InboxId) -> String {
        self.url(&format!("/api/v1/webhooks/{provider}/{inbox}"))
    }

    /// POSTs a webhook body with these headers.
    pub async fn webhook(
        &self,
        provider: &str,
        inbox: switchboard_protocol::InboxId,
        headers: &[(&str, String)],
        body: impl Into<Vec<u8>>,
    ) -> reqwest::Response {
        let mut request = self.http.post(self.webhook_url(provider, inbox));
        for (name, value) in headers {
            request = request.header(*name, value);
        }
        request.body(body.into()).send().await.unwrap()
    }
}

/// `X-Hub-Signature-256` as Meta computes it: `sha256=` and the hex HMAC of the raw body.
pub fn meta_signature(app_secret: &str, body: &[u8]) -> String {
    use hmac::Mac;
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(app_secret.as_bytes()).unwrap();
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// `X-Twilio-Signature` as Twilio computes it: base64 HMAC-SHA1 of the URL followed by each
/// POST parameter, sorted by name, as name then value.
pub fn twilio_signature(auth_token: &str, url: &str, form: &str) -> String {
    use base64::Engine;
    use hmac::Mac;
    let mut params: Vec<(String, String)> = form_urlencoded::parse(form.as_bytes())
        .into_owned()
        .collect();
    params.sort();
    let mut data = url.to_owned();
    for (name, value) in params {
        data.push_str(&name);
        data.push_str(&value);
    }
    let mut mac = hmac::Hmac::<sha1::Sha1>::new_from_slice(auth_token.as_bytes()).unwrap();
    mac.update(data.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// An error answer's status and code, checked to carry a sentence for people too.
pub async fn error_code(response: reqwest::Response) -> (u16, String) {
    let status = response.status().as_u16();
    let body: serde_json::Value = response.json().await.expect("error bodies are JSON");
    assert!(
        body["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{body}"
    );
    (status, body["code"].as_str().unwrap_or_default().to_owned())
}

/// A webhook fixture (taken from the provider's documentation) from `tests/fixtures/webhooks`.
pub fn fixture(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/webhooks")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

impl Agent {
    /// The conversations of an inbox, newest first.
    pub async fn conversations_in(
        &self,
        inbox: switchboard_protocol::InboxId,
    ) -> Vec<switchboard_protocol::Conversation> {
        let page: switchboard_protocol::api::ConversationPage = self
            .get_json("/api/v1/conversations?view=all&limit=200")
            .await;
        page.items
            .into_iter()
            .map(|e| e.conversation)
            .filter(|c| c.inbox_id == inbox)
            .collect()
    }

    /// The messages of a conversation, oldest first.
    pub async fn messages(
        &self,
        conversation: switchboard_protocol::ConversationId,
    ) -> Vec<switchboard_protocol::Message> {
        let page: switchboard_protocol::api::ThreadPage = self
            .get_json(&format!("/api/v1/conversations/{conversation}/messages"))
            .await;
        page.items
            .into_iter()
            .filter_map(|item| match item {
                switchboard_protocol::ThreadItem::Message(m) => Some(m),
                _ => None,
            })
            .collect()
    }

    /// The texts of a conversation's messages, oldest first.
    pub async fn texts(&self, conversation: switchboard_protocol::ConversationId) -> Vec<String> {
        self.messages(conversation)
            .await
            .into_iter()
            .map(|m| m.text)
            .collect()
    }

    /// Sends a reply; the stored message.
    pub async fn reply(
        &self,
        conversation: switchboard_protocol::ConversationId,
        body: serde_json::Value,
    ) -> switchboard_protocol::Message {
        let mut body = body;
        body["client_id"] = serde_json::json!(uuid::Uuid::new_v4());
        let response = self
            .post(
                &format!("/api/v1/conversations/{conversation}/messages"),
                &body,
            )
            .await;
        let status = response.status();
        let text = response.text().await.unwrap();
        assert!(status.is_success(), "reply: {status} {text}");
        serde_json::from_str(&text).unwrap()
    }

    /// Waits up to 5 s for a message to reach `status`; the message as it then is.
    pub async fn message_reaching(
        &self,
        conversation: switchboard_protocol::ConversationId,
        id: switchboard_protocol::MessageId,
        status: switchboard_protocol::MessageStatus,
    ) -> switchboard_protocol::Message {
        let mut last = None;
        for _ in 0..100 {
            last = self
                .messages(conversation)
                .await
                .into_iter()
                .find(|m| m.id == id);
            if last.as_ref().and_then(|m| m.status) == Some(status) {
                return last.unwrap();
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("message {id} never reached {status:?}: {last:?}");
    }
}
