//! The server at scale, for `scripts/bench`: starts the server binary on databases filled by
//! its `seed-bench` command, drives it over HTTP and websockets, and prints Markdown sections,
//! each figure beside its baseline (issue 10's measurements before the work) and target.
//!
//! `cargo run --release -p switchboard-server --example scale -- [--server target/release/switchboard-server]
//!  [--conversations 50000] [--agents 200] [--feeds 500] [--rate 200] [--idle 10000] [--seconds 10] [--search 100000]
//!  [--only creation,lists,feeds,echo,idle,search]`
#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark stops at the first surprise

#[path = "support/stats.rs"]
mod stats;

use futures_util::{SinkExt, StreamExt};
use rand::Rng;
use stats::{ms, percentile};
use std::collections::HashMap;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use switchboard_protocol::api::InboundReceived;
use switchboard_protocol::{ClientFrame, EventBody, MessageId, ServerFrame};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;

/// As `bench_seed`: the first agents belong to every inbox.
const SUPERVISORS: usize = 5;

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

struct Options {
    server: PathBuf,
    conversations: u32,
    agents: u32,
    feeds: usize,
    rate: u32,
    idle: usize,
    seconds: u64,
    /// Messages to search (one per conversation in the seeded database).
    search: u32,
    /// The sections to run (all when empty): for working on one figure.
    only: Vec<String>,
}

impl Options {
    fn runs(&self, section: &str) -> bool {
        self.only.is_empty() || self.only.iter().any(|s| s == section)
    }
}

fn options() -> Options {
    let mut options = Options {
        server: std::env::current_exe()
            .unwrap()
            .parent()
            .and_then(|examples| examples.parent())
            .unwrap()
            .join("switchboard-server"),
        conversations: 50_000,
        agents: 200,
        feeds: 500,
        rate: 200,
        idle: 10_000,
        seconds: 10,
        search: 100_000,
        only: Vec::new(),
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    for pair in args.chunks(2) {
        let value = pair.get(1).expect("each option takes a value");
        match pair[0].as_str() {
            "--server" => options.server = value.into(),
            "--conversations" => options.conversations = value.parse().unwrap(),
            "--agents" => options.agents = value.parse().unwrap(),
            "--feeds" => options.feeds = value.parse().unwrap(),
            "--rate" => options.rate = value.parse().unwrap(),
            "--idle" => options.idle = value.parse().unwrap(),
            "--seconds" => options.seconds = value.parse().unwrap(),
            "--search" => options.search = value.parse().unwrap(),
            "--only" => options.only = value.split(',').map(str::to_owned).collect(),
            other => panic!("unknown option {other}"),
        }
    }
    options
}

#[derive(Clone)]
struct BenchAgent {
    inbox: i64,
    token: String,
}

/// A server process on its own seeded database.
struct Server {
    child: Child,
    base: String,
    agents: Vec<BenchAgent>,
    _dir: tempfile::TempDir,
}

impl Server {
    async fn launch(binary: &PathBuf, conversations: u32, agents: u32) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let seeded = Command::new(binary)
            .arg("--data-dir")
            .arg(dir.path())
            .args(["--no-demo", "seed-bench", "--conversations"])
            .arg(conversations.to_string())
            .arg("--agents")
            .arg(agents.to_string())
            .output()
            .unwrap();
        assert!(seeded.status.success(), "{seeded:?}");
        let sessions = std::fs::read_to_string(dir.path().join("bench-sessions.tsv")).unwrap();
        let agents = sessions
            .lines()
            .map(|line| {
                let fields: Vec<&str> = line.split('\t').collect();
                BenchAgent {
                    inbox: fields[1].parse().unwrap(),
                    token: fields[2].to_owned(),
                }
            })
            .collect();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(binary)
            .arg("--data-dir")
            .arg(dir.path())
            .args(["--no-demo", "--simulator", "off", "--port"])
            .arg(port.to_string())
            .args([
                "--max-connections",
                "30000",
                "--max-connections-per-client",
                "0",
            ])
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let base = format!("http://127.0.0.1:{port}");
        let http = reqwest::Client::new();
        for _ in 0..200 {
            if http
                .get(format!("{base}/api/v1/health"))
                .send()
                .await
                .is_ok()
            {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Server {
            child,
            base,
            agents,
            _dir: dir,
        }
    }

    /// The server's resident memory, from /proc.
    fn rss_mb(&self) -> f64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        let kb: f64 = status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap();
        kb / 1024.0
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn p50_p99(mut samples: Vec<Duration>) -> String {
    samples.sort();
    format!(
        "{} / {}",
        ms(percentile(&samples, 0.5)),
        ms(percentile(&samples, 0.99))
    )
}

/// A feed socket after its welcome, with small buffers of its own (10,000 of them here).
async fn open_feed(base: &str, token: &str) -> Socket {
    let config = WebSocketConfig::default()
        .read_buffer_size(4096)
        .write_buffer_size(0);
    let url = format!("{}/api/v1/feed", base.replacen("http", "ws", 1));
    let (mut socket, _) = tokio_tungstenite::connect_async_with_config(url, Some(config), false)
        .await
        .unwrap();
    let hello = serde_json::to_string(&ClientFrame::Hello {
        token: Some(token.to_owned()),
        since: None,
        log: None,
    })
    .unwrap();
    socket.send(Message::Text(hello.into())).await.unwrap();
    let first = socket.next().await.unwrap().unwrap();
    assert!(
        matches!(
            serde_json::from_str(first.to_text().unwrap()).unwrap(),
            ServerFrame::Welcome { .. }
        ),
        "{first:?}"
    );
    socket
}

type Arrivals = Arc<Mutex<HashMap<MessageId, Vec<Instant>>>>;

/// Records when each message reached this socket, until it closes.
fn listen(mut socket: Socket, arrivals: Arrivals) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        while let Some(Ok(message)) = socket.next().await {
            let Ok(text) = message.to_text() else {
                continue;
            };
            // Only message frames are parsed: the generator must not be the bottleneck.
            if !text.contains("\"kind\":\"message.created\"") {
                continue;
            }
            if let Ok(ServerFrame::Event(event)) = serde_json::from_str::<ServerFrame>(text)
                && let EventBody::MessageCreated { message } = event.body
            {
                let now = Instant::now();
                arrivals
                    .lock()
                    .unwrap()
                    .entry(message.id)
                    .or_default()
                    .push(now);
            }
        }
    })
}

/// A customer writes to `agent`'s inbox (a new customer, or `customer` again).
async fn inbound(
    http: &reqwest::Client,
    base: &str,
    agent: &BenchAgent,
    customer: u64,
) -> InboundReceived {
    let body = serde_json::json!({
        "channel": "whatsapp",
        "from": format!("+3480{customer:08}"),
        "text": format!("Mensaje de carga {customer}"),
    });
    let response = http
        .post(format!("{base}/api/v1/sandbox/inbound"))
        .bearer_auth(&agent.token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    response.json().await.unwrap()
}

/// New customers writing as fast as 8 senders can: messages/s.
async fn creation_rate(server: &Server, count: usize, first_customer: u64) -> f64 {
    let http = reqwest::Client::new();
    let senders: Vec<BenchAgent> = server.agents[SUPERVISORS..].to_vec();
    let started = Instant::now();
    let mut workers = Vec::new();
    for worker in 0..8 {
        let (http, base, senders) = (http.clone(), server.base.clone(), senders.clone());
        workers.push(tokio::spawn(async move {
            for n in (worker..count).step_by(8) {
                let agent = &senders[n % senders.len()];
                inbound(&http, &base, agent, first_customer + n as u64).await;
            }
        }));
    }
    for worker in workers {
        worker.await.unwrap();
    }
    count as f64 / started.elapsed().as_secs_f64()
}

/// Messages at `rate` per second for `seconds` from members of random inboxes, while
/// `feeds` sockets listen: the time from each POST to its arrival on every feed that may see
/// it; missing arrivals; the rate reached.
async fn fan_out(
    server: &Server,
    feeds: usize,
    rate: u32,
    seconds: u64,
) -> (Vec<Duration>, usize, f64) {
    let arrivals: Arrivals = Arc::default();
    let mut listeners = Vec::new();
    let mut sockets_of_inbox: HashMap<i64, usize> = HashMap::new();
    let mut supervisor_sockets = 0;
    for n in 0..feeds {
        let agent = &server.agents[n % server.agents.len()];
        if n % server.agents.len() < SUPERVISORS {
            supervisor_sockets += 1;
        } else {
            *sockets_of_inbox.entry(agent.inbox).or_default() += 1;
        }
        let socket = open_feed(&server.base, &agent.token).await;
        listeners.push(listen(socket, arrivals.clone()));
    }
    // Agents coming online are news to everyone: let that settle first.
    tokio::time::sleep(Duration::from_secs(2)).await;

    let http = reqwest::Client::new();
    let sent: Arc<Mutex<Vec<(MessageId, Instant, usize)>>> = Arc::default();
    let mut ticker = tokio::time::interval(Duration::from_secs_f64(1.0 / f64::from(rate)));
    let total = u64::from(rate) * seconds;
    let started = Instant::now();
    let mut posts = Vec::new();
    for n in 0..total {
        ticker.tick().await;
        let agent = server.agents
            [SUPERVISORS + rand::rng().random_range(0..server.agents.len() - SUPERVISORS)]
        .clone();
        let expected =
            sockets_of_inbox.get(&agent.inbox).copied().unwrap_or(0) + supervisor_sockets;
        let (http, base, sent) = (http.clone(), server.base.clone(), sent.clone());
        // Half new customers, half writing again.
        let customer = if n % 2 == 0 {
            10_000_000 + n
        } else {
            10_000_000 + n % 500
        };
        posts.push(tokio::spawn(async move {
            let at = Instant::now();
            let received = inbound(&http, &base, &agent, customer).await;
            sent.lock()
                .unwrap()
                .push((received.message.id, at, expected));
        }));
    }
    for post in posts {
        post.await.unwrap();
    }
    let reached = total as f64 / started.elapsed().as_secs_f64();
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let complete = {
            let arrivals = arrivals.lock().unwrap();
            sent.lock()
                .unwrap()
                .iter()
                .all(|(id, _, expected)| arrivals.get(id).map_or(0, Vec::len) >= *expected)
        };
        if complete || Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let arrivals = arrivals.lock().unwrap();
    let mut delivery = Vec::new();
    let mut missing = 0;
    for (id, at, expected) in sent.lock().unwrap().iter() {
        let got = arrivals.get(id).map_or(&[][..], Vec::as_slice);
        missing += expected.saturating_sub(got.len());
        delivery.extend(got.iter().map(|arrived| arrived.duration_since(*at)));
    }
    for listener in listeners {
        listener.abort();
    }
    (delivery, missing, reached)
}

/// A tokio broadcast channel with `receivers` receivers at `rate` per second in this process:
/// the floor any fan-out on this machine stands on.
async fn bare_broadcast(receivers: usize, rate: u32, seconds: u64) -> Vec<Duration> {
    let (sender, _) = tokio::sync::broadcast::channel::<Instant>(4096);
    let latencies: Arc<Mutex<Vec<Duration>>> = Arc::default();
    let mut tasks = Vec::new();
    for _ in 0..receivers {
        let mut receiver = sender.subscribe();
        let latencies = latencies.clone();
        tasks.push(tokio::spawn(async move {
            while let Ok(at) = receiver.recv().await {
                let latency = at.elapsed();
                latencies.lock().unwrap().push(latency);
            }
        }));
    }
    let mut ticker = tokio::time::interval(Duration::from_secs_f64(1.0 / f64::from(rate)));
    for _ in 0..u64::from(rate) * seconds {
        ticker.tick().await;
        sender.send(Instant::now()).unwrap();
    }
    drop(sender);
    for task in tasks {
        task.await.unwrap();
    }
    Arc::try_unwrap(latencies).unwrap().into_inner().unwrap()
}

/// The server's RSS with `count` idle feeds open, and after they closed.
async fn idle_sockets(server: &Server, count: usize) -> (f64, f64, f64) {
    let before = server.rss_mb();
    let mut sockets = Vec::with_capacity(count);
    for n in 0..count {
        let agent = &server.agents[n % server.agents.len()];
        sockets.push(open_feed(&server.base, &agent.token).await);
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let open = server.rss_mb();
    for mut socket in sockets {
        let _ = socket.close(None).await;
    }
    // Closing is noticed and the tasks end; give the allocator a moment.
    tokio::time::sleep(Duration::from_secs(3)).await;
    (before, open, server.rss_mb())
}

#[tokio::main]
async fn main() {
    let options = options();
    // 10,000 sockets need as many descriptors here as in the server.
    let _ = rlimit::increase_nofile_limit(u64::MAX);
    let _ = rustls::crypto::ring::default_provider().install_default();
    let big = options.conversations;

    println!("## The server at scale\n");
    println!(
        "Server: `{}`, on databases made by `seed-bench` (10 WhatsApp inboxes, each agent in one, {SUPERVISORS} supervisors in all).\n",
        options.server.display()
    );

    if ["creation", "lists", "feeds", "echo"]
        .iter()
        .any(|s| options.runs(s))
    {
        // One full workspace for these sections, as one run always had.
        let server = Server::launch(&options.server, big, options.agents).await;
        if options.runs("creation") {
            creation(&options, &server).await;
        }
        if options.runs("lists") {
            lists(&server, big).await;
        }
        if options.runs("feeds") {
            feeds(&server, &options).await;
        }
        if options.runs("echo") {
            echo(&server).await;
        }
    }
    if options.runs("idle") {
        idle(&options).await;
    }
    if options.runs("search") {
        search_latency(&options).await;
    }
}

/// Creating conversations on an empty workspace, then on the full one.
async fn creation(options: &Options, full: &Server) {
    let big = options.conversations;
    let empty = Server::launch(&options.server, 0, options.agents).await;
    let at_zero = creation_rate(&empty, 500, 1).await;
    drop(empty);
    let at_big = creation_rate(full, 500, 1).await;
    println!("### Creating conversations\n");
    println!(
        "500 new customers from 8 concurrent senders, {} agents, no feeds.\n",
        options.agents
    );
    println!("| conversations | messages/s | baseline (issue 10) |\n|---|---|---|");
    println!("| 0 | {at_zero:.0} | 358 at 350 |");
    println!("| {big} | {at_big:.0} | ~14 at 50,000 |\n");
    let (idle, busy) = (round_trip().await, round_trip_beside_a_busy_core().await);
    println!(
        "The floor under each statement of a write, this process: one `SELECT 1` through sqlx \
         (to its connection's thread and back) takes {idle:.0} µs, and {busy:.0} µs while \
         another thread keeps a core busy.\n"
    );
}

/// Microseconds per `SELECT 1` on an in-memory database, one after another.
async fn round_trip() -> f64 {
    use sqlx::Connection;
    let mut conn = sqlx::SqliteConnection::connect("sqlite::memory:")
        .await
        .unwrap();
    let count = 2000;
    let started = Instant::now();
    for _ in 0..count {
        let _: (i64,) = sqlx::query_as("SELECT 1")
            .fetch_one(&mut conn)
            .await
            .unwrap();
    }
    started.elapsed().as_secs_f64() * 1e6 / f64::from(count)
}

/// [`round_trip`] while a thread spins.
async fn round_trip_beside_a_busy_core() -> f64 {
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let spinner = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                std::hint::spin_loop();
            }
        })
    };
    let micros = round_trip().await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    spinner.join().unwrap();
    micros
}

/// A page of each view.
async fn lists(server: &Server, big: u32) {
    println!("### A page of each view at {big} conversations\n");
    println!("100 requests per view, `limit=50`, agents in turn. Target: p99 ≤ 20 ms.\n");
    println!("| view | p50 / p99 | baseline p50 (issue 10) |\n|---|---|---|");
    let http = reqwest::Client::new();
    for view in ["unassigned", "mine", "all", "snoozed", "closed"] {
        let mut samples = Vec::new();
        for n in 0..100 {
            let agent = &server.agents[n % server.agents.len()];
            let at = Instant::now();
            let response = http
                .get(format!(
                    "{}/api/v1/conversations?view={view}&limit=50",
                    server.base
                ))
                .bearer_auth(&agent.token)
                .send()
                .await
                .unwrap();
            assert!(response.status().is_success());
            response.bytes().await.unwrap();
            samples.push(at.elapsed());
        }
        let baseline = match view {
            "mine" => "396 ms",
            "unassigned" => "4.5 ms",
            _ => "",
        };
        println!("| {view} | {} | {baseline} |", p50_p99(samples));
    }
    println!();
}

/// Fan-out to many feeds.
async fn feeds(server: &Server, options: &Options) {
    let (delivery, missing, reached) =
        fan_out(server, options.feeds, options.rate, options.seconds).await;
    println!("### A customer's message to every feed\n");
    println!(
        "{} conversations, {} agents, {} feeds; messages at {} /s for {} s (reached {reached:.0} /s). Target: p99 ≤ 50 ms.\n",
        options.conversations, options.agents, options.feeds, options.rate, options.seconds
    );
    println!("| measure | value |\n|---|---|");
    println!(
        "| to every feed that may see it, p50 / p99 | {} |",
        p50_p99(delivery.clone())
    );
    println!("| deliveries | {} ({missing} missing) |\n", delivery.len());
}

/// Echo at 100 listeners, beside a bare broadcast loop.
async fn echo(server: &Server) {
    let (echo, echo_missing, echo_rate) = fan_out(server, 100, 500, 5).await;
    let floor = bare_broadcast(100, 500, 5).await;
    println!("### 100 listeners at 500 messages/s\n");
    println!(
        "Baseline (issue 10): saturated at ~120 messages/s, echo p99 580 ms. Target: p99 ≤ 20 ms.\n"
    );
    println!("| measure | p50 / p99 |\n|---|---|");
    println!(
        "| echo to every feed that may see it ({echo_rate:.0} /s reached, {echo_missing} missing) | {} |",
        p50_p99(echo)
    );
    println!(
        "| bare tokio broadcast, 100 receivers, same rate, this process | {} |\n",
        p50_p99(floor)
    );
}

/// Idle sockets: enough agents that none passes its 32 feeds.
async fn idle(options: &Options) {
    let agents = u32::try_from(options.idle.div_ceil(30))
        .unwrap()
        .max(options.agents);
    let server = Server::launch(&options.server, 0, agents).await;
    let (before, open, closed) = idle_sockets(&server, options.idle).await;
    println!("### {} idle feed sockets\n", options.idle);
    println!("Baseline (issue 10): 1.39 GB (136 KB each). Target: ≤ 100 MB.\n");
    println!("| server RSS | MB |\n|---|---|");
    println!("| before | {before:.0} |");
    println!(
        "| with them open | {open:.0} ({:.1} KB each) |",
        (open - before) * 1024.0 / options.idle as f64
    );
    println!("| after they closed | {closed:.0} |\n");
}

/// Search over `options.search` messages: queries of each kind, as a supervisor (who sees
/// every inbox) and as an agent of one inbox, beside the health check on the same server.
async fn search_latency(options: &Options) {
    let server = Server::launch(&options.server, options.search, options.agents).await;
    let http = reqwest::Client::new();
    let timed = |path: String, token: String| {
        let http = http.clone();
        let url = format!("{}{path}", server.base);
        async move {
            let mut samples = Vec::new();
            for _ in 0..50 {
                let at = Instant::now();
                let response = http.get(&url).bearer_auth(&token).send().await.unwrap();
                assert!(response.status().is_success(), "{url}");
                response.bytes().await.unwrap();
                samples.push(at.elapsed());
            }
            samples.sort();
            format!(
                "{} / {}",
                ms(percentile(&samples, 0.5)),
                ms(percentile(&samples, 0.95))
            )
        }
    };
    let supervisor = server.agents[0].token.clone();
    let agent = server.agents[SUPERVISORS].token.clone();
    println!(
        "### Search over {} messages
",
        options.search
    );
    println!(
        "`GET /api/v1/search` (contacts, conversations and messages, 20 of each), 50 requests \
         per query, one after another. Target: p95 < 50 ms.\n"
    );
    println!(
        "| query | supervisor (all inboxes) p50 / p95 | agent (one inbox) p50 / p95 |\n|---|---|---|"
    );
    let health = "/api/v1/health".to_owned();
    println!(
        "| the health check (the baseline) | {} | |",
        timed(health, supervisor.clone()).await
    );
    for (label, query) in [
        ("a word in every message", "hola"),
        ("a common word (1 message in 10)", "camion"),
        ("two words", "factura%20reembolso"),
        ("a word being typed", "devol"),
        ("a rare word (one message)", "73541"),
        ("a name", "begona%20ibanez"),
        ("a phone number, formatted", "%2B34%20700%20012%20345"),
    ] {
        let path = format!("/api/v1/search?q={query}");
        println!(
            "| {label} | {} | {} |",
            timed(path.clone(), supervisor.clone()).await,
            timed(path, agent.clone()).await
        );
    }
    println!();
}
