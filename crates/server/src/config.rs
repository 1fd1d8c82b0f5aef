//! Everything the server can be told, with the defaults of the demo.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Clone, Debug)]
pub struct Config {
    pub bind: SocketAddr,
    /// Holds the SQLite database and, under `attachments/`, the files of messages.
    pub data_dir: PathBuf,
    /// The largest file an agent may upload or a customer's message may bring.
    pub max_upload_bytes: u64,
    /// The built app (trunk's `dist/`); `None` serves only the API.
    pub static_dir: Option<PathBuf>,
    /// Seed the demo workspace when the database is new.
    pub demo: bool,
    pub simulator: Option<SimulatorConfig>,
    pub sandbox: SandboxConfig,
    pub retention: Retention,
    pub session_ttl: Duration,
    /// Mark the session cookie `Secure` (serve over HTTPS when this is on).
    pub secure_cookies: bool,
    /// The origin browsers see (`https://inbox.example.com`) when a proxy in front rewrites
    /// `Host`; cookie-authenticated writes and the feed must come from it. `None`: the
    /// request's own `Host`.
    pub public_origin: Option<String>,
    /// Sandbox inboxes take their channel's provider webhooks signed with the published
    /// sandbox secret, so that anyone can try them (the demo). Never on a real deployment.
    pub sandbox_webhooks: bool,
    pub limits: Limits,
    /// How often snoozes are woken and unopened routing offers taken back.
    pub timer_tick: Duration,
    /// How long an agent whose last app closed still counts as online (a reload reconnects).
    pub offline_grace: Duration,
    /// How often a feed socket is pinged (and told the server is there); one silent for
    /// nearly three of these is presumed dead.
    pub feed_heartbeat: Duration,
    /// Frames that may wait for one feed socket; a socket further behind reads the log itself.
    pub feed_queue: usize,
}

/// What a connection may hold of the server, and for how long.
#[derive(Clone, Debug)]
pub struct Limits {
    /// A request's headers must arrive within this; a kept-alive connection may wait this
    /// long for its next request. (A websocket keeps its own heartbeat instead.)
    pub header_timeout: Duration,
    /// A request (its body included) must be answered within this; uploads get
    /// `upload_timeout`.
    pub request_timeout: Duration,
    pub upload_timeout: Duration,
    /// Open connections at once, websockets included; past it a connection gets a 503.
    /// Lowered at start to what the open-file limit leaves room for.
    pub max_connections: usize,
    /// Open connections at once from one client address (`None`: no such cap, as behind a
    /// proxy, where every connection comes from the proxy).
    pub max_connections_per_client: Option<usize>,
    /// A statement waits this long for a lock held elsewhere before the request gets 503.
    pub busy_timeout: Duration,
    /// Behind a reverse proxy: the client's address is the last one it added to
    /// `X-Forwarded-For` (never trusted otherwise: any caller can send that header).
    pub behind_proxy: bool,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_timeout: Duration::from_secs(20),
            request_timeout: Duration::from_secs(60),
            upload_timeout: Duration::from_secs(15 * 60),
            max_connections: 20_000,
            max_connections_per_client: Some(2_000),
            busy_timeout: crate::db::DEFAULT_BUSY_TIMEOUT,
            behind_proxy: false,
        }
    }
}

/// How the sandbox provider's pretend carrier behaves.
#[derive(Clone, Debug)]
pub struct SandboxConfig {
    pub sent_after: Duration,
    pub delivered_after: Duration,
    pub read_after: Duration,
    /// Share of outbound messages that fail, 0.0..=1.0.
    pub failure_rate: f64,
}

/// The demo's customers, writing on their own.
#[derive(Clone, Debug)]
pub struct SimulatorConfig {
    /// Mean pause between two customer messages.
    pub every: Duration,
}

/// How much of the event log is kept for clients to resume from. Older clients resync.
#[derive(Clone, Debug)]
pub struct Retention {
    pub max_age: Duration,
    pub max_events: i64,
}

impl Config {
    /// Defaults for a server whose data lives in `data_dir`: no demo, no simulator, a quick
    /// sandbox carrier. Tests start from here.
    pub fn new(data_dir: impl Into<PathBuf>) -> Self {
        Config {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            max_upload_bytes: 25 * 1024 * 1024,
            data_dir: data_dir.into(),
            static_dir: None,
            demo: false,
            simulator: None,
            sandbox: SandboxConfig {
                sent_after: Duration::from_millis(400),
                delivered_after: Duration::from_millis(1_500),
                read_after: Duration::from_millis(4_000),
                failure_rate: 0.0,
            },
            retention: Retention {
                max_age: Duration::from_secs(7 * 24 * 3600),
                max_events: 1_000_000,
            },
            session_ttl: Duration::from_secs(14 * 24 * 3600),
            secure_cookies: false,
            public_origin: None,
            sandbox_webhooks: false,
            limits: Limits::default(),
            timer_tick: Duration::from_secs(5),
            offline_grace: Duration::from_secs(5),
            feed_heartbeat: Duration::from_secs(25),
            feed_queue: 256,
        }
    }

    pub fn attachments_dir(&self) -> PathBuf {
        self.data_dir.join("attachments")
    }

    pub fn database_path(&self) -> PathBuf {
        self.data_dir.join("switchboard.sqlite3")
    }
}
