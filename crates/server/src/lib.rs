//! Switchboard's reference server: REST under `/api/v1`, the websocket feed, the sandbox
//! provider and the demo simulator, on SQLite. `app` builds the router (tests drive it
//! directly); `start` binds a listener and runs everything a deployment needs.

pub mod admin;
pub mod auth;
pub mod bench_seed;
pub mod client;
pub mod config;
pub mod db;
pub mod demo;
mod demo_script;
pub mod emoji;
pub mod error;
pub mod fanout;
pub mod feed_counts;
pub mod login_guard;
pub mod presence;
pub mod providers;
pub mod routes;
pub mod serve;
pub mod simulator;
pub mod sniff;
pub mod static_files;
pub mod storage;
pub mod store;
pub mod workflow;

use crate::config::Config;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::providers::Providers;
use crate::providers::sandbox::Sandbox;
use crate::store::agents::AgentKind;
use crate::store::{agents, inboxes, sessions};
use crate::workflow::delivery::{self, Outbox};
use axum::Router;
use axum::http::{HeaderValue, header};
use std::net::SocketAddr;
use std::ops::Deref;
use std::sync::Arc;
use std::time::Duration;
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
use tower_http::set_header::SetResponseHeaderLayer;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

pub struct Inner {
    pub db: Db,
    pub config: Config,
    pub providers: Providers,
    pub outbox: Outbox,
    /// Where attachments' bytes are kept.
    pub storage: Arc<dyn storage::Storage>,
    pub logins: login_guard::LoginGuard,
    /// Sessions just ended (logout): their open feeds close at once, not at the next heartbeat.
    pub ended_sessions: tokio::sync::broadcast::Sender<Arc<str>>,
    /// Who has the app open.
    pub presence: presence::Presence,
    /// Hands each new event of the log to the feed sockets it is for.
    pub fanout: fanout::Hub,
}

impl Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    /// Opens the database, seeds the demo if asked and starts the outbound dispatcher.
    pub async fn open(config: Config) -> AppResult<AppState> {
        writable_data_dir(&config.data_dir)?;
        // Before anything is written: a place for files that cannot be made stops the start.
        let storage: Arc<dyn storage::Storage> = Arc::new(
            storage::LocalDir::new(config.attachments_dir()).map_err(|e| {
                AppError::internal(format!(
                    "cannot create the attachments directory {}: {e}. Give the server's user write access to it (or remove what is in its place), or pass another --data-dir.",
                    config.attachments_dir().display()
                ))
            })?,
        );
        let db = Db::open_with(&config.database_path(), config.limits.busy_timeout).await?;
        if config.demo {
            if demo::seed_if_empty(&db).await? {
                tracing::info!("seeded the demo workspace");
            }
            demo::ensure_workflow(&db).await?;
            demo::ensure_templates(&db).await?;
            demo::ensure_quick_replies(&db).await?;
        }
        // Providers are reached over TLS with rustls; its crypto comes from `ring`.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let sandbox = Arc::new(Sandbox::new(db.clone(), config.sandbox.clone()));
        let providers = Providers::new(
            sandbox,
            config.public_origin.clone(),
            config.sandbox_webhooks,
        );
        let outbox = delivery::start(db.clone(), providers.clone(), storage.clone()).await?;
        workflow::sweep::start(db.clone(), storage.clone());
        let fanout = fanout::Hub::start(db.clone(), config.feed_queue);
        Ok(AppState(Arc::new(Inner {
            fanout,
            db,
            config,
            providers,
            outbox,
            storage,
            logins: login_guard::LoginGuard::default(),
            ended_sessions: tokio::sync::broadcast::channel(64).0,
            presence: presence::Presence::default(),
        })))
    }
}

/// The whole HTTP surface: the API, and the app when a static directory is configured.
pub fn app(state: AppState) -> Router {
    let mut router = Router::new().nest("/api/v1", routes::api(&state.config.limits));
    if let Some(dir) = &state.config.static_dir {
        router = router.merge(static_files::router(dir.clone()));
    }
    router
        // Pictures, sound, video and PDFs are compressed already: gzip would only cost time.
        // The app's wasm is sent precompressed (brotli 11) or not at all compressed.
        .layer(
            CompressionLayer::new().compress_when(
                DefaultPredicate::new()
                    .and(NotForContentType::const_new("application/wasm"))
                    .and(NotForContentType::const_new("audio/"))
                    .and(NotForContentType::const_new("video/"))
                    .and(NotForContentType::const_new("application/pdf")),
            ),
        )
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .with_state(state)
}

/// A started server.
pub struct Running {
    pub addr: SocketAddr,
    pub state: AppState,
    pub server: tokio::task::JoinHandle<()>,
}

impl Running {
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

/// Binds `config.bind` (port 0 picks a free one), serves, and starts the background work:
/// event-log pruning, session cleanup and, if configured, the simulator.
pub async fn start(config: Config) -> AppResult<Running> {
    let state = AppState::open(config).await?;
    let listener = tokio::net::TcpListener::bind(state.config.bind)
        .await
        .map_err(|e| AppError::internal(format!("cannot listen on {}: {e}", state.config.bind)))?;
    let addr = listener
        .local_addr()
        .map_err(|e| AppError::internal(e.to_string()))?;
    let router = app(state.clone());
    let mut limits = state.config.limits.clone();
    limits.max_connections = serve::connection_cap(limits.max_connections);
    let server = tokio::spawn(serve::run(listener, router, limits));
    start_maintenance(state.clone());
    workflow::timers::start(state.clone(), state.config.timer_tick);
    if let Some(simulator) = state.config.simulator.clone() {
        let token = simulator_token(&state).await?;
        simulator::start(format!("http://{addr}"), token, simulator);
    }
    Ok(Running {
        addr,
        state,
        server,
    })
}

/// Makes sure the data directory exists and takes files, naming it and the way out if not.
fn writable_data_dir(dir: &std::path::Path) -> AppResult<()> {
    let fix = "Give the server's user write access to it, or pass another --data-dir";
    std::fs::create_dir_all(dir).map_err(|e| {
        AppError::internal(format!(
            "cannot create the data directory {}: {e}. {fix}.",
            dir.display()
        ))
    })?;
    let probe = dir.join(".write-test");
    std::fs::write(&probe, b"").map_err(|e| {
        AppError::internal(format!(
            "cannot write in the data directory {}: {e}. {fix}.",
            dir.display()
        ))
    })?;
    let _ = std::fs::remove_file(probe);
    Ok(())
}

/// A session for the simulator's service account, a member of every inbox.
async fn simulator_token(state: &AppState) -> AppResult<String> {
    let mut tx = state.db.write().await?;
    let agent = match agents::by_email(&mut tx, simulator::EMAIL).await? {
        Some(agent) => agent,
        None => {
            agents::insert(
                &mut tx,
                simulator::EMAIL,
                "Simulator",
                None,
                AgentKind::Service,
            )
            .await?
        }
    };
    let all: Vec<(i64,)> = sqlx::query_as("SELECT id FROM inboxes")
        .fetch_all(&mut *tx)
        .await?;
    for (inbox,) in all {
        inboxes::add_member(&mut tx, switchboard_protocol::InboxId(inbox), agent).await?;
    }
    let token = sessions::create(&mut tx, agent, Duration::from_secs(365 * 24 * 3600)).await?;
    tx.commit().await?;
    Ok(token)
}

fn start_maintenance(state: AppState) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(600));
        loop {
            every.tick().await;
            let result: AppResult<()> = async {
                let mut tx = state.db.write().await?;
                let pruned = store::events::prune(&mut tx, &state.config.retention).await?;
                let expired = sessions::delete_expired(&mut tx).await?;
                let unclaimed = store::early_reports::prune(&mut tx, db::now_ms()).await?;
                tx.commit().await?;
                if pruned + expired + unclaimed > 0 {
                    tracing::info!(pruned, expired, unclaimed, "maintenance");
                }
                Ok(())
            }
            .await;
            if let Err(error) = result {
                tracing::warn!(%error, "maintenance failed");
            }
        }
    });
}
