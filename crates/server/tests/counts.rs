//! Counts are kept incrementally (`agent_counts`, by the triggers of migration 0012); these
//! tests hold them to a full recount after random sequences of everything that can move them.
#![allow(clippy::unwrap_used)] // tests stop at the first unexpected error

mod common;

use common::{Agent, TestServer};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::json;
use std::collections::BTreeMap;
use switchboard_protocol::{
    AgentId, Channel, ConversationId, Counts, EventBody, FeedEvent, Seq, ServerFrame, Team,
};
use switchboard_server::feed_counts;
use switchboard_server::store::{counts, events, read_state};

/// Every agent's kept counts equal a recount, read in one snapshot (background work such as
/// the sandbox's delivery reports must not slip between the two).
async fn assert_counts_hold(server: &TestServer, after: &[String]) {
    let mut snapshot = server.running.state.db.snapshot().await.unwrap();
    let agents: Vec<(i64,)> = sqlx::query_as("SELECT id FROM agents")
        .fetch_all(&mut *snapshot)
        .await
        .unwrap();
    for (agent,) in agents {
        let kept = counts::for_agent(&mut snapshot, AgentId(agent))
            .await
            .unwrap();
        let recounted = counts::recount(&mut snapshot, AgentId(agent))
            .await
            .unwrap();
        assert_eq!(
            kept,
            recounted,
            "agent {agent} after: {}",
            after[after.len().saturating_sub(8)..].join(" / ")
        );
    }
}

/// What may move, read in one snapshot: each person's counts and unread count of every
/// conversation they see, and the log's head.
struct Known {
    head: Seq,
    counts: BTreeMap<AgentId, Counts>,
    unread: BTreeMap<(AgentId, ConversationId), u32>,
}

impl Known {
    async fn read(server: &TestServer) -> Known {
        let mut snapshot = server.running.state.db.snapshot().await.unwrap();
        let people: Vec<(i64,)> = sqlx::query_as("SELECT id FROM agents WHERE kind = 'human'")
            .fetch_all(&mut *snapshot)
            .await
            .unwrap();
        let people: Vec<AgentId> = people.into_iter().map(|(id,)| AgentId(id)).collect();
        let conversations: Vec<(i64,)> = sqlx::query_as("SELECT id FROM conversations")
            .fetch_all(&mut *snapshot)
            .await
            .unwrap();
        let conversations: Vec<ConversationId> = conversations
            .into_iter()
            .map(|(id,)| ConversationId(id))
            .collect();
        let unread = read_state::unread_where_seen(&mut snapshot, &people, &conversations)
            .await
            .unwrap()
            .into_iter()
            .map(|(agent, conversation, unread)| ((agent, conversation), unread))
            .collect();
        Known {
            head: events::head(&mut snapshot).await.unwrap(),
            counts: counts::for_agents(&mut snapshot, &people).await.unwrap(),
            unread,
        }
    }
}

/// The feed told everyone what a change moved: each person whose counts moved since `before`
/// receives (replayed as their socket would) an `unread.counts` event holding their counts as
/// they are now, and each unread count that moved of a conversation they still see is in such
/// an event too, with its value now.
async fn assert_feed_told_what_moved(server: &TestServer, before: &Known, after: &[String]) {
    let now = Known::read(server).await;
    let context = || after[after.len().saturating_sub(8)..].join(" / ");
    let mut snapshot = server.running.state.db.snapshot().await.unwrap();
    for (agent, counts) in &now.counts {
        let mut told_counts = None;
        let mut told_unread = BTreeMap::new();
        let page = feed_counts::visible_after(&mut snapshot, *agent, before.head, 10_000)
            .await
            .unwrap();
        for frame in page.frames {
            let ServerFrame::Event(FeedEvent {
                body:
                    EventBody::UnreadCounts {
                        counts,
                        conversations,
                    },
                ..
            }) = serde_json::from_str(&frame.text).unwrap()
            else {
                continue;
            };
            told_counts = Some(counts);
            for unread in conversations {
                told_unread.insert(unread.conversation_id, unread.unread);
            }
        }
        if before.counts.get(agent) != Some(counts) {
            assert_eq!(
                told_counts.as_ref(),
                Some(counts),
                "counts told to agent {} after: {}",
                agent.0,
                context()
            );
        }
        let theirs = now
            .unread
            .range((*agent, ConversationId(0))..=(*agent, ConversationId(i64::MAX)));
        for ((_, conversation), unread) in theirs {
            if before.unread.get(&(*agent, *conversation)) != Some(unread) {
                assert_eq!(
                    told_unread.get(conversation),
                    Some(unread),
                    "unread of {conversation} told to agent {} after: {}",
                    agent.0,
                    context()
                );
            }
        }
    }
}

/// The feed sends each stored event's frame made from its stored text: byte for byte what
/// serializing the parsed event would give, for every event of every kind written here.
async fn assert_frames_are_the_events_serialized(server: &TestServer) {
    let rows: Vec<(i64, i64, String)> =
        sqlx::query_as("SELECT seq, at, payload FROM events WHERE kind != 'counts.moved'")
            .fetch_all(server.running.state.db.pool())
            .await
            .unwrap();
    let mut kinds = std::collections::BTreeSet::new();
    for (seq, at, payload) in rows {
        let event = FeedEvent {
            seq: Seq(seq),
            at: chrono::DateTime::from_timestamp_millis(at).unwrap(),
            body: serde_json::from_str(&payload).unwrap(),
        };
        kinds.insert(event.body.kind());
        let serialized = serde_json::to_string(&ServerFrame::Event(event)).unwrap();
        assert_eq!(events::frame_text(seq, at, &payload).unwrap(), serialized);
    }
    assert!(kinds.len() >= 6, "only {kinds:?} were written");
}

async fn ids(server: &TestServer, sql: &str) -> Vec<i64> {
    let rows: Vec<(i64,)> = sqlx::query_as(sqlx::AssertSqlSafe(sql.to_owned()))
        .fetch_all(server.running.state.db.pool())
        .await
        .unwrap();
    rows.into_iter().map(|(id,)| id).collect()
}

fn pick<T: Copy>(rng: &mut StdRng, items: &[T]) -> T {
    items[rng.random_range(0..items.len())]
}

/// One random change, by a random agent; what it was, for the failure message. Refusals (a
/// 409 for a teammate's conversation, a move to another channel) are changes that change
/// nothing, which must hold too.
async fn random_change(server: &TestServer, agents: &[Agent], rng: &mut StdRng) -> String {
    let actor = &agents[rng.random_range(0..agents.len())];
    let conversation = pick(rng, &ids(server, "SELECT id FROM conversations").await);
    let path = |action: &str| format!("/api/v1/conversations/{conversation}/{action}");
    let agent_ids: Vec<i64> = agents.iter().map(|a| a.id.0).collect();
    let choice = rng.random_range(0..15);
    let status = match choice {
        0 => {
            let channel = pick(rng, &[Channel::Whatsapp, Channel::Sms, Channel::Email]);
            let from = match channel {
                Channel::Email => format!("c{}@example.net", rng.random_range(0..30)),
                _ => format!("+3460099{:04}", rng.random_range(0..30)),
            };
            // A 404 when the actor no longer belongs to that channel's sandbox inbox.
            let body = json!({ "channel": channel, "from": from, "text": "hola" });
            let status = actor.post("/api/v1/sandbox/inbound", &body).await.status();
            assert!(!status.is_server_error(), "inbound: {status}");
            return format!("{channel:?} inbound from {from}: {status}");
        }
        1 => actor
            .post(
                &path("messages"),
                &json!({ "client_id": uuid::Uuid::new_v4(), "text": "ok" }),
            )
            .await
            .status(),
        2 => {
            let last = ids(
                server,
                &format!("SELECT MAX(id) FROM items WHERE conversation_id = {conversation}"),
            )
            .await;
            actor
                .post(&path("read"), &json!({ "up_to": last[0] }))
                .await
                .status()
        }
        3 => actor.post(&path("unread"), &json!({})).await.status(),
        4 => actor
            .post(
                &path("assign"),
                &json!({ "agent_id": pick(rng, &agent_ids) }),
            )
            .await
            .status(),
        5 => actor.post(&path("unassign"), &json!({})).await.status(),
        6 => {
            let team = pick(
                rng,
                &ids(server, "SELECT id FROM teams UNION SELECT 0").await,
            );
            let to = if team == 0 {
                json!({ "agent": pick(rng, &agent_ids) })
            } else {
                json!({ "team": team })
            };
            actor
                .post(&path("transfer"), &json!({ "to": to, "confirmed": true }))
                .await
                .status()
        }
        7 => {
            let reason = pick(rng, &ids(server, "SELECT id FROM wrap_up_reasons").await);
            actor
                .post(
                    &path("close"),
                    &json!({ "reason": reason, "confirmed": true }),
                )
                .await
                .status()
        }
        8 => actor.post(&path("reopen"), &json!({})).await.status(),
        9 => {
            let until = chrono::Utc::now() + chrono::Duration::hours(1);
            actor
                .post(&path("snooze"), &json!({ "until": until }))
                .await
                .status()
        }
        10 => actor.post(&path("unsnooze"), &json!({})).await.status(),
        11 => {
            let inbox = pick(rng, &ids(server, "SELECT id FROM inboxes").await);
            actor
                .post(&path("move"), &json!({ "inbox_id": inbox }))
                .await
                .status()
        }
        12 => {
            let agent = pick(rng, &agent_ids);
            let inbox = pick(rng, &ids(server, "SELECT id FROM inboxes").await);
            let sql = if rng.random_bool(0.5) {
                "INSERT OR IGNORE INTO inbox_members (inbox_id, agent_id) VALUES (?1, ?2)"
            } else {
                "DELETE FROM inbox_members WHERE inbox_id = ?1 AND agent_id = ?2"
            };
            let mut tx = server.running.state.db.write().await.unwrap();
            sqlx::query(sql)
                .bind(inbox)
                .bind(agent)
                .execute(&mut *tx)
                .await
                .unwrap();
            tx.commit().await.unwrap();
            return format!("{sql} ({inbox}, {agent})");
        }
        13 => {
            let teams: Vec<Team> = agents[0].get_json("/api/v1/teams").await;
            let Some(team) = teams.get(rng.random_range(0..teams.len().max(1))) else {
                return "no team to change".into();
            };
            let members: Vec<i64> = agent_ids
                .iter()
                .copied()
                .filter(|_| rng.random_bool(0.5))
                .collect();
            let body = json!({ "name": team.name, "members": members, "inboxes": team.inboxes });
            let status = agents[0]
                .put(&format!("/api/v1/teams/{}", team.id), &body)
                .await
                .status();
            return format!("team {} members {members:?}: {status}", team.id);
        }
        _ => {
            // A team comes or goes: its queue's conversations leave it when it goes.
            let teams: Vec<Team> = agents[0].get_json("/api/v1/teams").await;
            if teams.len() > 1 && rng.random_bool(0.5) {
                let team = teams[rng.random_range(0..teams.len())].id;
                let status = agents[0]
                    .delete(&format!("/api/v1/teams/{team}"))
                    .await
                    .status();
                return format!("delete team {team}: {status}");
            }
            let inbox = pick(rng, &ids(server, "SELECT id FROM inboxes").await);
            let name = format!("Equipo {}", rng.random_range(0..1000));
            let body =
                json!({ "name": name, "members": [pick(rng, &agent_ids)], "inboxes": [inbox] });
            let status = agents[0].post("/api/v1/teams", &body).await.status();
            return format!("new team for inbox {inbox}: {status}");
        }
    };
    assert!(!status.is_server_error(), "change {choice}: {status}");
    format!(
        "change {choice} on {conversation} by {}: {status}",
        actor.id
    )
}

#[tokio::test]
async fn kept_counts_equal_a_recount_after_any_sequence_of_changes() {
    for seed in [1_u64, 2, 3] {
        let server = TestServer::start().await;
        let agents = vec![
            server.login("ana@example.com").await,
            server.login("luis@example.com").await,
        ];
        assert_counts_hold(&server, &["the demo's seed".into()]).await;
        let mut rng = StdRng::seed_from_u64(seed);
        let mut done = vec![format!("seed {seed}")];
        for _ in 0..120 {
            let before = Known::read(&server).await;
            let change = random_change(&server, &agents, &mut rng).await;
            // A membership changed in SQL behind the server's back tells nobody.
            let told = !change.contains("inbox_members");
            done.push(change);
            assert_counts_hold(&server, &done).await;
            if told {
                assert_feed_told_what_moved(&server, &before, &done).await;
            }
        }
        assert_frames_are_the_events_serialized(&server).await;
        // The sequence must have changed things, not only been refused.
        let succeeded = done.iter().filter(|d| d.contains(": 20")).count();
        assert!(succeeded > 40, "only {succeeded} changes succeeded");
    }
}

#[tokio::test]
async fn the_feed_sends_the_kept_counts_not_a_recount() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let mut tx = server.running.state.db.write().await.unwrap();
    // 100 more in the queue of a team that does not exist: no recount could find them.
    sqlx::query(
        "INSERT INTO agent_counts (agent_id, inbox_id, status, assignee_id, team_id, snoozed, total, unread)
         VALUES (?1, (SELECT MIN(id) FROM inboxes), 'open', 0, 999, 0, 100, 0)",
    )
    .bind(ana.id.0)
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let mut feed = ana.feed(None).await;
    let ServerFrame::Welcome { counts, .. } = feed.next().await else {
        panic!("welcome first")
    };
    assert_eq!(counts.unwrap().unassigned.total, 145);
}

#[tokio::test]
async fn without_its_trigger_a_change_leaves_the_kept_counts_behind() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    sqlx::query("DROP TRIGGER agent_counts_conversation_added")
        .execute(server.running.state.db.pool())
        .await
        .unwrap();
    ana.inbound(Channel::Sms, "+34600999001", None, "¿hay alguien?")
        .await;
    let mut snapshot = server.running.state.db.snapshot().await.unwrap();
    let kept = counts::for_agent(&mut snapshot, ana.id).await.unwrap();
    let recounted = counts::recount(&mut snapshot, ana.id).await.unwrap();
    assert_eq!(recounted.unassigned.total, kept.unassigned.total + 1);
}
