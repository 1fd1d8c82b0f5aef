//! What one customer message costs the single writer does not grow with the number of agents
//! who see it: the statements it runs are counted (sqlx logs each one) for an inbox of a few
//! agents and for one of many. One test in this binary, as the count is process-wide.
#![allow(clippy::unwrap_used)] // tests stop at the first unexpected error

mod common;

use common::TestServer;
use std::sync::{Arc, Mutex};
use switchboard_protocol::Channel;
use tracing::field::{Field, Visit};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};

/// The summary of every statement sqlx runs, in this process.
#[derive(Clone, Default)]
struct Statements(Arc<Mutex<Vec<String>>>);

struct Summary(String);

impl Visit for Summary {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "summary" {
            value.clone_into(&mut self.0);
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "summary" {
            self.0 = format!("{value:?}");
        }
    }
}

impl<S: tracing::Subscriber> Layer<S> for Statements {
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        if event.metadata().target() == "sqlx::query" {
            let mut summary = Summary(String::new());
            event.record(&mut summary);
            self.0.lock().unwrap().push(summary.0);
        }
    }
}

impl Statements {
    /// What ran since the last call, less what runs on its own time after a commit (the feed's
    /// hub reading the log, the checkpoint task folding the WAL back) and transaction control.
    fn take_writes(&self) -> Vec<String> {
        let hubs = [
            "SELECT seq FROM sqlite_sequence",
            "SELECT value FROM meta",
            "SELECT e.seq, e.at, e.kind",
            "PRAGMA wal_checkpoint",
        ];
        std::mem::take(&mut *self.0.lock().unwrap())
            .into_iter()
            .filter(|s| !hubs.iter().any(|hub| s.starts_with(hub)))
            .filter(|s| {
                !["BEGIN", "COMMIT", "ROLLBACK"]
                    .iter()
                    .any(|t| s.starts_with(t))
            })
            .collect()
    }
}

/// The statements of a customer's first message and of their second, in an inbox with
/// `extra` more agents than the demo gives it.
async fn statements_for_messages(
    statements: &Statements,
    extra: usize,
) -> (Vec<String>, Vec<String>) {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let first = ana
        .inbound(Channel::Whatsapp, "+34600777001", None, "hola")
        .await;
    let pool = server.running.state.db.pool();
    let (inbox,): (i64,) = sqlx::query_as("SELECT inbox_id FROM conversations WHERE id = ?1")
        .bind(first.conversation_id.0)
        .fetch_one(pool)
        .await
        .unwrap();
    for n in 0..extra {
        let (agent,): (i64,) = sqlx::query_as(
            "INSERT INTO agents (email, name, kind, created_at) VALUES (?1, 'Extra', 'human', 0)
             RETURNING id",
        )
        .bind(format!("extra{n}@example.com"))
        .fetch_one(pool)
        .await
        .unwrap();
        sqlx::query("INSERT INTO inbox_members (inbox_id, agent_id) VALUES (?1, ?2)")
            .bind(inbox)
            .bind(agent)
            .execute(pool)
            .await
            .unwrap();
    }
    statements.take_writes();
    ana.inbound(Channel::Whatsapp, "+34600777002", None, "hola")
        .await;
    let new = statements.take_writes();
    ana.inbound(Channel::Whatsapp, "+34600777001", None, "¿sigues ahí?")
        .await;
    let again = statements.take_writes();
    (new, again)
}

#[tokio::test]
async fn the_statements_of_a_customer_message_do_not_grow_with_the_agents_who_see_it() {
    let statements = Statements::default();
    tracing::subscriber::set_global_default(
        tracing_subscriber::registry().with(statements.clone()),
    )
    .unwrap();
    let (new_few, again_few) = statements_for_messages(&statements, 0).await;
    let (new_many, again_many) = statements_for_messages(&statements, 24).await;
    assert!(!new_few.is_empty(), "sqlx logged no statements");
    assert_eq!(new_few.len(), new_many.len(), "{new_few:#?}\n{new_many:#?}");
    assert_eq!(
        again_few.len(),
        again_many.len(),
        "{again_few:#?}\n{again_many:#?}"
    );
}
