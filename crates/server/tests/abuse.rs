//! The server under abuse, over real sockets: connections that never finish or never leave,
//! more of them than it takes, password guessing from one client or many, a database locked
//! by another process, a data directory it cannot use.
#![allow(clippy::unwrap_used)] // tests stop at the first unexpected error

mod common;

use common::{TestServer, error_code};
use std::net::IpAddr;
use std::time::Duration;
use switchboard_protocol::{ClientFrame, ServerFrame};
use switchboard_server::login_guard::{CLIENT_LIMIT, PAIR_LIMIT};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const QUICK: Duration = Duration::from_millis(300);
/// Far longer than any timeout under test: a read still waiting then is a connection the
/// server kept open.
const BOUND: Duration = Duration::from_secs(10);

async fn server_with_header_timeout(timeout: Duration) -> TestServer {
    TestServer::start_with(|config| config.limits.header_timeout = timeout).await
}

async fn connect(server: &TestServer) -> TcpStream {
    TcpStream::connect(server.running.addr).await.unwrap()
}

/// Reads until the server closes the connection: what it sent. Panics if it stays open.
async fn read_until_closed(stream: &mut TcpStream) -> String {
    let mut seen = Vec::new();
    tokio::time::timeout(BOUND, stream.read_to_end(&mut seen))
        .await
        .expect("the server closed the connection")
        .ok();
    String::from_utf8_lossy(&seen).into_owned()
}

#[tokio::test]
async fn a_connection_that_sends_nothing_or_half_its_headers_is_closed() {
    let server = server_with_header_timeout(QUICK).await;
    let mut silent = connect(&server).await;
    let mut half = connect(&server).await;
    half.write_all(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    read_until_closed(&mut silent).await;
    read_until_closed(&mut half).await;
}

#[tokio::test]
async fn a_kept_alive_connection_left_idle_is_closed_after_its_answer() {
    let server = server_with_header_timeout(QUICK).await;
    let mut idle = connect(&server).await;
    idle.write_all(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let seen = read_until_closed(&mut idle).await;
    assert!(seen.starts_with("HTTP/1.1 200"), "{seen}");
    assert!(seen.ends_with("ok"), "answered first: {seen}");
}

#[tokio::test]
async fn past_the_connection_cap_a_client_is_told_so_and_the_rest_are_served() {
    let server = TestServer::start_with(|config| {
        config.limits.max_connections = 8;
        config.limits.header_timeout = BOUND * 3;
    })
    .await;
    let mut held = Vec::new();
    for _ in 0..8 {
        held.push(connect(&server).await);
    }
    // Each held connection sends a request on the way, so all of them are surely accepted.
    for stream in &mut held {
        stream
            .write_all(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n")
            .await
            .unwrap();
        let mut answer = [0u8; 64];
        let n = stream.read(&mut answer).await.unwrap();
        assert!(answer[..n].starts_with(b"HTTP/1.1 200"));
    }
    let mut extra = connect(&server).await;
    let refusal = read_until_closed(&mut extra).await;
    assert!(refusal.starts_with("HTTP/1.1 503"), "{refusal}");
    assert!(refusal.contains("retry-after: 5"), "{refusal}");
    let body: serde_json::Value =
        serde_json::from_str(refusal.split("\r\n\r\n").nth(1).unwrap()).unwrap();
    assert_eq!(body["code"], "too_many_connections");

    // One leaves: the next client is served.
    drop(held.pop());
    let mut health = None;
    for _ in 0..50 {
        match server.http.get(server.url("/api/v1/health")).send().await {
            Ok(response) if response.status() == 200 => {
                health = Some(response);
                break;
            }
            _ => tokio::time::sleep(Duration::from_millis(20)).await,
        }
    }
    assert!(health.is_some(), "a freed slot is taken again");
}

#[tokio::test]
async fn one_client_cannot_take_every_connection() {
    let server = TestServer::start_with(|config| {
        config.limits.max_connections_per_client = Some(4);
        config.limits.header_timeout = BOUND * 3;
    })
    .await;
    let mut held = Vec::new();
    for _ in 0..4 {
        let mut stream = connect(&server).await;
        stream
            .write_all(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n")
            .await
            .unwrap();
        let mut answer = [0u8; 16];
        stream.read_exact(&mut answer).await.unwrap();
        held.push(stream);
    }
    let mut fifth = connect(&server).await;
    assert!(
        read_until_closed(&mut fifth)
            .await
            .starts_with("HTTP/1.1 503")
    );
    let other = reqwest::Client::builder()
        .local_address("127.0.0.2".parse::<IpAddr>().unwrap())
        .build()
        .unwrap();
    let response = other
        .get(server.url("/api/v1/health"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "another client is served");
}

#[tokio::test]
async fn a_feed_socket_outlives_the_header_timeout_on_its_own_heartbeat() {
    let server = server_with_header_timeout(QUICK).await;
    let ana = server.login("ana@example.com").await;
    let mut feed = ana.feed(None).await;
    assert!(matches!(feed.next().await, ServerFrame::Welcome { .. }));
    // A plain connection opened now is closed at the header timeout; once it is, the
    // socket has lived past that timeout too.
    let mut plain = connect(&server).await;
    read_until_closed(&mut plain).await;
    feed.send(&ClientFrame::Ping).await;
    let (pong, _) = feed.until(|f| matches!(f, ServerFrame::Pong)).await;
    assert!(matches!(pong, ServerFrame::Pong));
}

#[tokio::test]
async fn a_request_body_sent_too_slowly_gets_408() {
    let server = TestServer::start_with(|config| config.limits.request_timeout = QUICK).await;
    let mut slow = connect(&server).await;
    slow.write_all(
        b"POST /api/v1/session HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"email\"",
    )
    .await
    .unwrap();
    let answer = read_until_closed(&mut slow).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("request_timeout"), "{answer}");
}

// ---------------------------------------------------------------------------------------------
// Logging in

/// An HTTP client whose connections come from this loopback address.
fn client_from(ip: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(ip.parse::<IpAddr>().unwrap())
        .build()
        .unwrap()
}

async fn log_in(server: &TestServer, client: &reqwest::Client, email: &str, password: &str) -> u16 {
    let response = client
        .post(server.url("/api/v1/session"))
        .json(&serde_json::json!({ "email": email, "password": password }))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    if status == 429 {
        assert!(response.headers().contains_key("retry-after"));
        assert_eq!(error_code(response).await.1, "too_many_attempts");
    }
    status
}

#[tokio::test]
async fn a_flood_of_made_up_emails_is_refused_and_does_not_switch_the_throttle_off() {
    let server = TestServer::start().await;
    let flooder = client_from("127.0.0.3");
    for n in 0..CLIENT_LIMIT {
        let email = format!("nobody{n}@example.com");
        assert_eq!(log_in(&server, &flooder, &email, "guess").await, 401);
    }
    assert_eq!(
        log_in(&server, &flooder, "nobody-else@example.com", "guess").await,
        429
    );
    assert_eq!(
        log_in(&server, &flooder, "ana@example.com", "guess").await,
        429,
        "guesses at a real account from the flooding client are refused too"
    );
    let ana = client_from("127.0.0.4");
    assert_eq!(
        log_in(&server, &ana, "ana@example.com", "demo1234").await,
        200,
        "the agent, elsewhere, gets in"
    );
}

#[tokio::test]
async fn guessing_an_agents_password_never_locks_the_agent_out() {
    let server = TestServer::start().await;
    let attackers = ["127.0.0.5", "127.0.0.6"].map(client_from);
    for attacker in &attackers {
        for _ in 0..PAIR_LIMIT {
            assert_eq!(
                log_in(&server, attacker, "ana@example.com", "guess").await,
                401
            );
        }
        assert_eq!(
            log_in(&server, attacker, "ana@example.com", "demo1234").await,
            429,
            "a guessing client is refused even the right password"
        );
    }
    // Ana's account is under attack now: a new client gets one guess, slowed, then waits.
    let botnet = client_from("127.0.0.7");
    assert_eq!(
        log_in(&server, &botnet, "ana@example.com", "guess").await,
        401
    );
    assert_eq!(
        log_in(&server, &botnet, "ana@example.com", "guess").await,
        429
    );
    // ...and Ana, from a client that has not been failing, gets in.
    let ana = client_from("127.0.0.8");
    assert_eq!(
        log_in(&server, &ana, "ana@example.com", "demo1234").await,
        200
    );
    assert_eq!(
        log_in(&server, &attackers[0], "luis@example.com", "demo1234").await,
        200,
        "a client refused for one account is not refused for another below its budget"
    );
}

// ---------------------------------------------------------------------------------------------
// The database and the data directory

#[tokio::test]
async fn a_database_locked_by_another_process_answers_503_with_retry_after_and_loses_nothing() {
    let server = TestServer::start_with(|config| {
        config.limits.busy_timeout = Duration::from_millis(200);
    })
    .await;
    let ana = server.login("ana@example.com").await;
    let files = std::fs::read_dir(server.dir.path().join("attachments"))
        .unwrap()
        .count();

    use sqlx::{Connection, Executor};
    let path = server.dir.path().join("switchboard.sqlite3");
    let mut other = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    other.execute("BEGIN EXCLUSIVE").await.unwrap();

    let body = serde_json::json!({
        "channel": "whatsapp", "from": "+34600999111", "text": "¿Hay alguien?",
        "attachments": [{ "name": "foto.png", "data": "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==" }],
    });
    let response = ana.post("/api/v1/sandbox/inbound", &body).await;
    assert_eq!(response.status(), 503);
    let retry_after = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(retry_after.parse::<u64>().unwrap() >= 1);
    assert_eq!(error_code(response).await.1, "busy");

    other.execute("ROLLBACK").await.unwrap();
    drop(other);
    // The file the refused message brought was written, then taken away again.
    let mut left = usize::MAX;
    for _ in 0..100 {
        left = std::fs::read_dir(server.dir.path().join("attachments"))
            .unwrap()
            .count();
        if left == files {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(left, files, "no file of the refused message stays on disk");
    let received: switchboard_protocol::api::InboundReceived = {
        let response = ana.post("/api/v1/sandbox/inbound", &body).await;
        assert_eq!(response.status(), 201, "the retry is taken");
        response.json().await.unwrap()
    };
    assert_eq!(received.message.attachments.len(), 1);
}

#[tokio::test]
async fn a_data_directory_that_cannot_be_used_is_named_at_start() {
    let dir = tempfile::tempdir().unwrap();
    // A file where the directory should be: nothing can be created under it.
    let blocked = dir.path().join("not-a-directory");
    std::fs::write(&blocked, b"").unwrap();
    let mut config = common::quick_config(&blocked.join("data"));
    config.demo = false;
    let error = switchboard_server::start(config).await.err().unwrap();
    let message = error.to_string();
    assert!(
        message.contains(&blocked.join("data").display().to_string()),
        "{message}"
    );
    assert!(message.contains("--data-dir"), "{message}");

    // The database's place taken by a directory: the error names the file.
    let data = dir.path().join("data");
    std::fs::create_dir_all(data.join("switchboard.sqlite3")).unwrap();
    let mut config = common::quick_config(&data);
    config.demo = false;
    let message = switchboard_server::start(config)
        .await
        .err()
        .unwrap()
        .to_string();
    assert!(message.contains("switchboard.sqlite3"), "{message}");
    assert!(message.contains("--data-dir"), "{message}");
}

#[tokio::test]
async fn guesses_sent_all_at_once_are_counted_before_their_passwords_are_checked() {
    let server = TestServer::start().await;
    let burst = client_from("127.0.0.9");
    let attempts = (0..30).map(|_| log_in(&server, &burst, "ana@example.com", "guess"));
    let statuses = futures_util::future::join_all(attempts).await;
    let guessed = statuses.iter().filter(|s| **s == 401).count();
    assert_eq!(guessed, PAIR_LIMIT as usize, "{statuses:?}");
    assert!(statuses.iter().all(|s| *s == 401 || *s == 429));
}

#[tokio::test]
async fn a_body_announced_too_large_is_refused_at_once() {
    let server = TestServer::start().await;
    let mut stream = connect(&server).await;
    stream
        .write_all(
            b"POST /api/v1/webhooks/telegram/6 HTTP/1.1\r\nHost: x\r\ncontent-length: 99999999999999\r\n\r\nx",
        )
        .await
        .unwrap();
    let mut answer = [0u8; 512];
    let n = tokio::time::timeout(BOUND, stream.read(&mut answer))
        .await
        .expect("answered without waiting for the body")
        .unwrap();
    let answer = String::from_utf8_lossy(&answer[..n]);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("payload_too_large"), "{answer}");
}

#[tokio::test]
async fn a_webhook_waits_out_a_short_lock_instead_of_refusing() {
    use sqlx::{Connection, Executor};
    let server = TestServer::start_with(|c| c.limits.busy_timeout = Duration::from_secs(3)).await;
    let path = server.dir.path().join("switchboard.sqlite3");
    let mut other = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    other.execute("BEGIN EXCLUSIVE").await.unwrap();
    let release = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(400)).await;
        other.execute("ROLLBACK").await.unwrap();
    });
    let update = r#"{"update_id":1,"message":{"message_id":77,"from":{"id":5,"first_name":"W"},"chat":{"id":5,"type":"private"},"date":1764600000,"text":"hola"}}"#;
    let headers = [
        (
            "x-telegram-bot-api-secret-token",
            "sandbox-secret".to_owned(),
        ),
        ("content-type", "application/json".to_owned()),
    ];
    let response = server
        .webhook(
            "telegram",
            switchboard_protocol::InboxId(6),
            &headers,
            update,
        )
        .await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    release.await.unwrap();
}

#[tokio::test]
async fn one_agent_cannot_hold_more_than_their_share_of_feeds() {
    use switchboard_server::routes::feed_limit;
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let mut open = Vec::new();
    for _ in 0..feed_limit() {
        let mut feed = ana.feed(None).await;
        assert!(matches!(feed.next().await, ServerFrame::Welcome { .. }));
        open.push(feed);
    }
    let mut one_more = ana.feed(None).await;
    assert!(
        matches!(one_more.next().await, ServerFrame::Error(e) if e.code == switchboard_protocol::ErrorCode::TooManyConnections)
    );
}
