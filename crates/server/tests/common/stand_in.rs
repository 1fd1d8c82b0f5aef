//! Local stand-ins for what lies outside the product: a provider's HTTP API (answering in its
//! real format) and an SMTP server. They record what Switchboard sent them.
#![allow(clippy::unwrap_used)]

use axum::body::Bytes;
use axum::http::{HeaderMap, Method, Uri};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

/// One request a provider API stand-in received.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub method: Method,
    pub path: String,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Recorded {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }

    pub fn form(&self) -> HashMap<String, String> {
        form_urlencoded::parse(&self.body).into_owned().collect()
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }
}

type Answer = dyn Fn(&Recorded) -> (u16, Value) + Send + Sync;

/// A provider's API on a local port: records each request and answers with `answer`.
pub struct ApiStandIn {
    pub url: String,
    recorded: Arc<Mutex<Vec<Recorded>>>,
}

impl ApiStandIn {
    pub async fn start(
        answer: impl Fn(&Recorded) -> (u16, Value) + Send + Sync + 'static,
    ) -> ApiStandIn {
        let recorded = Arc::new(Mutex::new(Vec::new()));
        let answer: Arc<Answer> = Arc::new(answer);
        let log = recorded.clone();
        let app = axum::Router::new().fallback(
            move |method: Method, uri: Uri, headers: HeaderMap, body: Bytes| {
                let (log, answer) = (log.clone(), answer.clone());
                async move {
                    let request = Recorded {
                        method,
                        path: uri.path().to_owned(),
                        headers,
                        body,
                    };
                    let (status, body) = answer(&request);
                    log.lock().unwrap().push(request);
                    let status = axum::http::StatusCode::from_u16(status).unwrap();
                    (status, axum::Json(body))
                }
            },
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        ApiStandIn { url, recorded }
    }

    /// The first `count` requests, waiting up to 5 s for them.
    pub async fn received(&self, count: usize) -> Vec<Recorded> {
        for _ in 0..100 {
            let recorded = self.recorded.lock().unwrap().clone();
            if recorded.len() >= count {
                return recorded;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the stand-in did not receive {count} request(s)");
    }

    pub fn count(&self) -> usize {
        self.recorded.lock().unwrap().len()
    }
}

/// An SMTP server that takes every message, or refuses every recipient with a 550.
pub struct SmtpStandIn {
    pub port: u16,
    mails: Arc<Mutex<Vec<String>>>,
}

impl SmtpStandIn {
    pub async fn start(refuse_recipients: bool) -> SmtpStandIn {
        Self::start_with(refuse_recipients, Duration::ZERO).await
    }

    /// A server that takes `delay` to accept each message.
    pub async fn start_with(refuse_recipients: bool, delay: Duration) -> SmtpStandIn {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let mails = Arc::new(Mutex::new(Vec::new()));
        let kept = mails.clone();
        tokio::spawn(async move {
            loop {
                let (socket, _) = listener.accept().await.unwrap();
                let kept = kept.clone();
                tokio::spawn(async move {
                    let _ = converse(socket, refuse_recipients, delay, kept).await;
                });
            }
        });
        SmtpStandIn { port, mails }
    }

    /// The first `count` messages (their DATA), waiting up to 5 s for them.
    pub async fn received(&self, count: usize) -> Vec<String> {
        for _ in 0..100 {
            let mails = self.mails.lock().unwrap().clone();
            if mails.len() >= count {
                return mails;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the SMTP stand-in did not receive {count} message(s)");
    }
}

/// One SMTP session (RFC 5321's minimum: no extensions, no TLS).
async fn converse(
    socket: tokio::net::TcpStream,
    refuse_recipients: bool,
    delay: Duration,
    mails: Arc<Mutex<Vec<String>>>,
) -> std::io::Result<()> {
    let (read, mut write) = socket.into_split();
    let mut lines = BufReader::new(read).lines();
    write.write_all(b"220 stand-in ESMTP\r\n").await?;
    while let Some(line) = lines.next_line().await? {
        let verb = line.get(..4).unwrap_or_default().to_ascii_uppercase();
        let reply: &[u8] = match verb.as_str() {
            "EHLO" | "HELO" => b"250 stand-in\r\n",
            "RCPT" if refuse_recipients => b"550 5.1.1 <customer>: Recipient address rejected\r\n",
            "MAIL" | "RCPT" | "RSET" | "NOOP" => b"250 2.0.0 OK\r\n",
            "DATA" => {
                write
                    .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                    .await?;
                let mut data = String::new();
                while let Some(line) = lines.next_line().await? {
                    if line == "." {
                        break;
                    }
                    data.push_str(line.strip_prefix('.').unwrap_or(&line));
                    data.push_str("\r\n");
                }
                tokio::time::sleep(delay).await;
                mails.lock().unwrap().push(data);
                b"250 2.0.0 queued\r\n"
            }
            "QUIT" => {
                write.write_all(b"221 2.0.0 bye\r\n").await?;
                return Ok(());
            }
            _ => b"502 5.5.2 not implemented\r\n",
        };
        write.write_all(reply).await?;
    }
    Ok(())
}
