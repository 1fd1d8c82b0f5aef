//! Load against a running server, for `scripts/bench`: customers write through the sandbox
//! endpoint while agents' feeds listen. Prints a Markdown section: inbound throughput, the time
//! from a customer's message to its arrival on every feed, and list latency.
//!
//! `cargo run --release -p switchboard-server --example load -- <base-url> <feeds> <messages> <concurrency>`
#![allow(clippy::unwrap_used)] // a benchmark stops at the first surprise

#[path = "support/stats.rs"]
mod stats;

use futures_util::{SinkExt, StreamExt};
use stats::{ms, percentile};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use switchboard_protocol::api::{InboundReceived, SandboxInbound, Session};
use switchboard_protocol::{Channel, ClientFrame, EventBody, MessageId, ServerFrame};
use tokio::sync::Mutex;
use tokio_tungstenite::tungstenite::Message;

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let base = args
        .get(1)
        .cloned()
        .unwrap_or_else(|| "http://127.0.0.1:8080".into());
    let feeds: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(20);
    let messages: usize = args.get(3).and_then(|a| a.parse().ok()).unwrap_or(500);
    let concurrency: usize = args.get(4).and_then(|a| a.parse().ok()).unwrap_or(8);
    // reqwest is built without a crypto provider of its own (see Cargo.toml): the server's.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::new();

    let login = |email: &'static str| {
        let http = http.clone();
        let base = base.clone();
        async move {
            let session: Session = http
                .post(format!("{base}/api/v1/session"))
                .json(&serde_json::json!({ "email": email, "password": "demo1234" }))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            session.token
        }
    };
    let ana = login("ana@example.com").await;
    let luis = login("luis@example.com").await;

    // Feeds: half Ana's, half Luis's, each recording when each new message reached it.
    let arrivals: Arc<Mutex<HashMap<MessageId, Vec<Instant>>>> = Arc::default();
    let ws_base = base.replacen("http", "ws", 1);
    let mut listeners = Vec::new();
    for n in 0..feeds {
        let token = if n % 2 == 0 {
            ana.clone()
        } else {
            luis.clone()
        };
        let (mut socket, _) = tokio_tungstenite::connect_async(format!("{ws_base}/api/v1/feed"))
            .await
            .unwrap();
        let hello = serde_json::to_string(&ClientFrame::Hello {
            token: Some(token),
            since: None,
            log: None,
        })
        .unwrap();
        socket.send(Message::Text(hello.into())).await.unwrap();
        let first = socket.next().await.unwrap().unwrap();
        assert!(matches!(
            serde_json::from_str(first.to_text().unwrap()).unwrap(),
            ServerFrame::Welcome { .. }
        ));
        let arrivals = arrivals.clone();
        listeners.push(tokio::spawn(async move {
            while let Some(Ok(message)) = socket.next().await {
                let Ok(text) = message.to_text() else {
                    continue;
                };
                if let Ok(ServerFrame::Event(event)) = serde_json::from_str::<ServerFrame>(text)
                    && let EventBody::MessageCreated { message } = event.body
                {
                    arrivals
                        .lock()
                        .await
                        .entry(message.id)
                        .or_default()
                        .push(Instant::now());
                }
            }
        }));
    }

    // Customers: a quarter of them new, the rest writing again.
    let started = Instant::now();
    let sent_at: Arc<Mutex<HashMap<MessageId, Instant>>> = Arc::default();
    let post_latency: Arc<Mutex<Vec<Duration>>> = Arc::default();
    let mut workers = Vec::new();
    for worker in 0..concurrency {
        let (http, base, token) = (http.clone(), base.clone(), ana.clone());
        let (sent_at, post_latency) = (sent_at.clone(), post_latency.clone());
        workers.push(tokio::spawn(async move {
            for n in (worker..messages).step_by(concurrency) {
                let customer = if n % 4 == 0 { n } else { n % 97 };
                let body = SandboxInbound {
                    channel: Channel::Whatsapp,
                    from: format!("+3469{customer:07}"),
                    name: None,
                    text: format!("Mensaje de carga {n}"),
                    at: None,
                    attachments: Vec::new(),
                };
                let at = Instant::now();
                let response = http
                    .post(format!("{base}/api/v1/sandbox/inbound"))
                    .bearer_auth(&token)
                    .json(&body)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(response.status(), 201);
                let received: InboundReceived = response.json().await.unwrap();
                post_latency.lock().await.push(at.elapsed());
                sent_at.lock().await.insert(received.message.id, at);
            }
        }));
    }
    for worker in workers {
        worker.await.unwrap();
    }
    let elapsed = started.elapsed();

    // Let the feeds catch up, then compare.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let complete = {
            let arrivals = arrivals.lock().await;
            let sent = sent_at.lock().await;
            sent.keys()
                .all(|id| arrivals.get(id).is_some_and(|a| a.len() == feeds))
        };
        if complete || Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let sent = sent_at.lock().await;
    let arrivals = arrivals.lock().await;
    let mut delivery: Vec<Duration> = Vec::new();
    let mut missing = 0;
    for (id, at) in sent.iter() {
        let got = arrivals.get(id).map_or(&[][..], Vec::as_slice);
        missing += feeds - got.len().min(feeds);
        delivery.extend(got.iter().map(|arrived| arrived.duration_since(*at)));
    }
    delivery.sort();
    let mut posts = post_latency.lock().await.clone();
    posts.sort();

    // Reading a view.
    let mut reads = Vec::new();
    for _ in 0..50 {
        let at = Instant::now();
        let response = http
            .get(format!("{base}/api/v1/conversations?view=all&limit=50"))
            .bearer_auth(&ana)
            .send()
            .await
            .unwrap();
        assert!(response.status().is_success());
        response.bytes().await.unwrap();
        reads.push(at.elapsed());
    }
    reads.sort();

    println!("### Server under load\n");
    println!(
        "{messages} customer messages from {concurrency} concurrent senders, {feeds} feeds listening (two agents).\n"
    );
    println!("| measure | value |\n|---|---|");
    println!(
        "| inbound throughput | {:.0} messages/s |",
        messages as f64 / elapsed.as_secs_f64()
    );
    println!(
        "| inbound POST p50 / p95 / p99 | {} / {} / {} |",
        ms(percentile(&posts, 0.5)),
        ms(percentile(&posts, 0.95)),
        ms(percentile(&posts, 0.99))
    );
    println!(
        "| message to every feed p50 / p95 / p99 | {} / {} / {} |",
        ms(percentile(&delivery, 0.5)),
        ms(percentile(&delivery, 0.95)),
        ms(percentile(&delivery, 0.99))
    );
    println!(
        "| feed deliveries missing | {missing} of {} |",
        messages * feeds
    );
    println!(
        "| GET a view of 50, p50 / p95 | {} / {} |",
        ms(percentile(&reads, 0.5)),
        ms(percentile(&reads, 0.95))
    );
    for listener in listeners {
        listener.abort();
    }
}
