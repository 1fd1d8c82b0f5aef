use clap::{Parser, Subcommand};
use std::io::Read;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;
use switchboard_protocol::InboxId;
use switchboard_server::config::{Config, Retention, SandboxConfig, SimulatorConfig};
use switchboard_server::db::Db;
use switchboard_server::providers::sandbox;
use switchboard_server::{admin, demo};

/// Switchboard's reference server.
#[derive(Parser)]
#[command(version, about)]
struct Args {
    #[command(subcommand)]
    command: Option<Command>,
    /// Address to listen on.
    #[arg(long, env = "HOST", default_value = "127.0.0.1")]
    host: IpAddr,
    /// Port to listen on.
    #[arg(long, env = "PORT", default_value_t = 8080)]
    port: u16,
    /// Directory for the SQLite database and the files of messages (attachments/).
    #[arg(long, env = "SWITCHBOARD_DATA_DIR", default_value = "data")]
    data_dir: PathBuf,
    /// The largest file an agent may upload or a customer's message may bring, in MB.
    #[arg(long, env = "SWITCHBOARD_MAX_UPLOAD_MB", default_value_t = 25)]
    max_upload_mb: u64,
    /// The built app to serve (trunk's dist/).
    #[arg(long, env = "SWITCHBOARD_STATIC_DIR")]
    static_dir: Option<PathBuf>,
    /// Do not seed the demo workspace into a new database.
    #[arg(long, env = "SWITCHBOARD_NO_DEMO")]
    no_demo: bool,
    /// Run the customer simulator: on or off.
    #[arg(long, env = "SWITCHBOARD_SIMULATOR", default_value = "on", value_parser = ["on", "off"])]
    simulator: String,
    /// Mean seconds between two simulated customer messages.
    #[arg(long, env = "SWITCHBOARD_SIMULATOR_EVERY", default_value_t = 20.0)]
    simulator_every: f64,
    /// Share of sandbox messages that fail, 0 to 1.
    #[arg(long, env = "SWITCHBOARD_SANDBOX_FAILURE_RATE", default_value_t = 0.08)]
    sandbox_failure_rate: f64,
    /// Milliseconds after acceptance at which the sandbox reports sent, delivered and read.
    #[arg(
        long,
        env = "SWITCHBOARD_SANDBOX_DELAYS_MS",
        default_value = "800,2500,6000",
        value_delimiter = ','
    )]
    sandbox_delays_ms: Vec<u64>,
    /// Hours of events kept for clients to resume from.
    #[arg(long, env = "SWITCHBOARD_EVENT_RETENTION_HOURS", default_value_t = 168)]
    event_retention_hours: u64,
    /// Most events kept for clients to resume from.
    #[arg(
        long,
        env = "SWITCHBOARD_EVENT_RETENTION_MAX",
        default_value_t = 1_000_000
    )]
    event_retention_max: i64,
    /// Mark the session cookie Secure (when served over HTTPS).
    #[arg(long, env = "SWITCHBOARD_SECURE_COOKIES")]
    secure_cookies: bool,
    /// The origin browsers use, e.g. https://inbox.example.com, when a proxy in front rewrites Host.
    #[arg(long, env = "SWITCHBOARD_PUBLIC_ORIGIN")]
    public_origin: Option<String>,
    /// Let sandbox inboxes take provider webhooks signed with the published secret
    /// `sandbox-secret` (the demo; never on a real deployment).
    #[arg(long, env = "SWITCHBOARD_SANDBOX_WEBHOOKS")]
    sandbox_webhooks: bool,
    /// Connections open at once, websockets included (lowered to what the open-file limit
    /// allows); past it a connection gets 503.
    #[arg(long, env = "SWITCHBOARD_MAX_CONNECTIONS", default_value_t = 20_000)]
    max_connections: usize,
    /// Connections open at once from one client address (0: no such cap).
    #[arg(
        long,
        env = "SWITCHBOARD_MAX_CONNECTIONS_PER_CLIENT",
        default_value_t = 2_000
    )]
    max_connections_per_client: usize,
    /// Seconds a client has to send a request's headers, and a kept-alive connection may
    /// wait for its next request.
    #[arg(long, env = "SWITCHBOARD_HEADER_TIMEOUT", default_value_t = 20)]
    header_timeout: u64,
    /// Behind a reverse proxy: take the client's address from the last `X-Forwarded-For`
    /// hop (for login throttling) and cap connections only in all.
    #[arg(long, env = "SWITCHBOARD_BEHIND_PROXY")]
    behind_proxy: bool,
}

/// Without a command, the server runs.
#[derive(Subcommand)]
enum Command {
    /// List the inboxes: id, channel, provider and webhook URL.
    Inboxes,
    /// Put an inbox on a provider, with its settings as JSON (a file, or `-` for standard
    /// input): see the README's "Connecting a real provider".
    Connect {
        /// The inbox's id (see `inboxes`).
        inbox: i64,
        /// sandbox, twilio, whatsapp, messenger, instagram, telegram or email.
        provider: String,
        /// The settings file, or `-`.
        settings: PathBuf,
    },
    /// For benchmarks only: fill a new, empty database (a new --data-dir) with agents, 10
    /// WhatsApp sandbox inboxes and conversations, in one transaction, and write a session
    /// token for each agent to `bench-sessions.tsv` in the data dir (agent id, inbox id,
    /// token). The agents have no password. Refuses a database that has agents. Run the
    /// server on it with --no-demo.
    SeedBench {
        /// Conversations to create.
        #[arg(long, default_value_t = 50_000)]
        conversations: u32,
        /// Agents to create (at least 10).
        #[arg(long, default_value_t = 200)]
        agents: u32,
    },
}

impl Args {
    fn into_config(self) -> Result<Config, String> {
        if !(0.0..=1.0).contains(&self.sandbox_failure_rate) {
            return Err("--sandbox-failure-rate must be between 0 and 1".into());
        }
        if !(self.simulator_every > 0.0 && self.simulator_every.is_finite()) {
            return Err("--simulator-every must be a positive number of seconds".into());
        }
        if !(1..=60).contains(&self.max_upload_mb) {
            return Err("--max-upload-mb must be between 1 and 60".into());
        }
        let [sent, delivered, read] = self.sandbox_delays_ms[..] else {
            return Err("--sandbox-delays-ms takes three numbers: sent,delivered,read".into());
        };
        let retention_hours = self
            .event_retention_hours
            .checked_mul(3600)
            .filter(|_| self.event_retention_hours > 0)
            .ok_or("--event-retention-hours must be a positive number of hours")?;
        if self.event_retention_max < 1 {
            return Err("--event-retention-max must be at least 1".into());
        }
        if let Some(origin) = &self.public_origin
            && !(origin.starts_with("http://") || origin.starts_with("https://"))
        {
            return Err("--public-origin must look like https://inbox.example.com".into());
        }
        if self.max_connections == 0 {
            return Err("--max-connections must be at least 1".into());
        }
        if !(1..=3600).contains(&self.header_timeout) {
            return Err("--header-timeout must be between 1 and 3600 seconds".into());
        }
        let mut config = Config::new(self.data_dir);
        config.limits.max_connections = self.max_connections;
        config.limits.max_connections_per_client = (self.max_connections_per_client > 0
            && !self.behind_proxy)
            .then_some(self.max_connections_per_client);
        config.limits.header_timeout = Duration::from_secs(self.header_timeout);
        config.limits.behind_proxy = self.behind_proxy;
        config.bind = SocketAddr::new(self.host, self.port);
        config.static_dir = self.static_dir;
        config.demo = !self.no_demo;
        config.simulator = (self.simulator == "on").then(|| SimulatorConfig {
            every: Duration::from_secs_f64(self.simulator_every),
        });
        config.sandbox = SandboxConfig {
            sent_after: Duration::from_millis(sent),
            delivered_after: Duration::from_millis(delivered),
            read_after: Duration::from_millis(read),
            failure_rate: self.sandbox_failure_rate,
        };
        config.retention = Retention {
            max_age: Duration::from_secs(retention_hours),
            max_events: self.event_retention_max,
        };
        config.secure_cookies = self.secure_cookies;
        config.public_origin = self.public_origin;
        config.sandbox_webhooks = self.sandbox_webhooks;
        config.max_upload_bytes = self.max_upload_mb * 1024 * 1024;
        Ok(config)
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "switchboard_server=info,tower_http=warn".into()),
        )
        .init();
    let mut args = Args::parse();
    let command = args.command.take();
    let config = match args.into_config() {
        Ok(config) => config,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let result = match command {
        None => return serve(config).await,
        Some(Command::SeedBench {
            conversations,
            agents,
        }) => seed_bench(&config, agents, conversations).await,
        Some(command) => operate(&config, command).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// An operator's command, on the database of `config`.
async fn operate(config: &Config, command: Command) -> Result<(), String> {
    let path = config.database_path();
    if !path.exists() {
        return Err(format!(
            "there is no database at {} (start the server once, or pass --data-dir)",
            path.display()
        ));
    }
    let db = Db::open(&path).await.map_err(|e| e.to_string())?;
    match command {
        Command::Inboxes => {
            let lines = admin::inboxes(&db).await.map_err(|e| e.to_string())?;
            println!(
                "{:>4}  {:<10} {:<22} {:<10} WEBHOOK",
                "ID", "CHANNEL", "NAME", "PROVIDER"
            );
            for line in lines {
                println!(
                    "{:>4}  {:<10} {:<22} {:<10} {}",
                    line.inbox.id,
                    line.inbox.channel.as_str(),
                    line.inbox.name,
                    line.provider,
                    line.webhook.unwrap_or_else(|| "-".into())
                );
            }
        }
        Command::Connect {
            inbox,
            provider,
            settings,
        } => {
            let mut json = String::new();
            let read = if settings.as_os_str() == "-" {
                std::io::stdin().read_to_string(&mut json)
            } else {
                std::fs::File::open(&settings).and_then(|mut f| f.read_to_string(&mut json))
            };
            read.map_err(|e| format!("cannot read {}: {e}", settings.display()))?;
            admin::connect(&db, InboxId(inbox), &provider, &json)
                .await
                .map_err(|e| e.to_string())?;
            println!("Inbox {inbox} now uses {provider}.");
        }
        // Makes its own database (see `main`).
        Command::SeedBench { .. } => {}
    }
    db.close().await;
    Ok(())
}

/// `seed-bench`: a new database full of work, and the sessions to drive it.
async fn seed_bench(config: &Config, agents: u32, conversations: u32) -> Result<(), String> {
    std::fs::create_dir_all(&config.data_dir)
        .map_err(|e| format!("cannot create {}: {e}", config.data_dir.display()))?;
    let db = Db::open(&config.database_path())
        .await
        .map_err(|e| e.to_string())?;
    let started = std::time::Instant::now();
    let seeded = switchboard_server::bench_seed::seed(&db, agents, conversations)
        .await
        .map_err(|e| e.to_string())?;
    db.close().await;
    let lines: String = seeded
        .iter()
        .map(|agent| format!("{}\t{}\t{}\n", agent.id, agent.inbox, agent.token))
        .collect();
    let sessions = config.data_dir.join("bench-sessions.tsv");
    std::fs::write(&sessions, lines)
        .map_err(|e| format!("cannot write {}: {e}", sessions.display()))?;
    println!(
        "Seeded {agents} agents and {conversations} conversations in {:.1} s; sessions in {}.",
        started.elapsed().as_secs_f64(),
        sessions.display()
    );
    Ok(())
}

async fn serve(config: Config) -> ExitCode {
    let demo = config.demo;
    let sandbox_webhooks = config.sandbox_webhooks;
    let simulator = config.simulator.clone();
    let running = match switchboard_server::start(config).await {
        Ok(running) => running,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    let state = &running.state;
    println!();
    println!("  Switchboard is running at {}", running.url());
    if demo {
        println!("  Demo logins (password {}):", demo::PASSWORD);
        for (email, name) in demo::AGENTS {
            println!("    {email:<20} {name}");
        }
    }
    println!("  Database: {}", state.config.database_path().display());
    match simulator {
        Some(s) => println!(
            "  Simulator: on, a customer message about every {:.0} s",
            s.every.as_secs_f64()
        ),
        None => println!("  Simulator: off"),
    }
    if sandbox_webhooks {
        println!(
            "  Webhooks (sandbox inboxes, secret `{}`; see the README):",
            sandbox::SECRET
        );
        for line in admin::inboxes(&state.db).await.unwrap_or_default() {
            if let (sandbox::NAME, Some(path)) = (line.provider.as_str(), line.webhook) {
                println!(
                    "    {:<10} {}{path}",
                    line.inbox.channel.as_str(),
                    running.url()
                );
            }
        }
    }
    if state.config.static_dir.is_none() {
        println!("  (API only: no --static-dir given)");
    }
    println!("  Stop with Ctrl+C.");
    println!();

    shutdown_signal().await;
    running.server.abort();
    state.db.close().await;
    ExitCode::SUCCESS
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
}
