//! Working a conversation through its life, over real HTTP, sockets and SQLite: every action
//! for a member, a stranger and nobody; conflicts and idempotency; who hears of a transfer or
//! a move; snoozes, reopening, routing and starting conversations.
#![allow(clippy::unwrap_used)] // tests stop at the first unexpected error

mod common;

use common::{Agent, TestServer, error_code};
use serde_json::{Value, json};
use std::time::Duration;
use switchboard_protocol::api::{ConversationEntry, Started, Workspace};
use switchboard_protocol::{
    Availability, Channel, ConversationEvent, ConversationEventKind, ConversationId,
    ConversationStatus, EventBody, InboxId, ServerFrame, TeamId, ThreadItem, View,
};
use switchboard_server::workflow::timers;
use uuid::Uuid;

async fn act(agent: &Agent, id: ConversationId, action: &str, body: Value) -> reqwest::Response {
    agent
        .post(&format!("/api/v1/conversations/{id}/{action}"), &body)
        .await
}

/// An action that must succeed; the conversation as the actor then sees it.
async fn done(agent: &Agent, id: ConversationId, action: &str, body: Value) -> ConversationEntry {
    let response = act(agent, id, action, body).await;
    let status = response.status();
    let text = response.text().await.unwrap();
    assert_eq!(status, 200, "{action}: {text}");
    serde_json::from_str(&text).unwrap()
}

async fn events_of(agent: &Agent, id: ConversationId) -> Vec<ConversationEvent> {
    let page: switchboard_protocol::api::ThreadPage = agent
        .get_json(&format!("/api/v1/conversations/{id}/messages?limit=200"))
        .await;
    page.items
        .into_iter()
        .filter_map(|item| match item {
            ThreadItem::Event(event) => Some(event),
            ThreadItem::Message(_) => None,
        })
        .collect()
}

async fn kinds_of(agent: &Agent, id: ConversationId) -> Vec<ConversationEventKind> {
    events_of(agent, id)
        .await
        .into_iter()
        .map(|e| e.kind)
        .collect()
}

async fn view_ids(agent: &Agent, view: View) -> Vec<ConversationId> {
    let page: switchboard_protocol::api::ConversationPage = agent
        .get_json(&format!("/api/v1/conversations?view={view}&limit=200"))
        .await;
    page.items.into_iter().map(|e| e.conversation.id).collect()
}

async fn workspace(agent: &Agent) -> Workspace {
    agent.get_json("/api/v1/workspace").await
}

fn reason_of(workspace: &Workspace, label: &str) -> i64 {
    workspace
        .wrap_up_reasons
        .iter()
        .find(|r| r.label == label)
        .unwrap()
        .id
        .0
}

/// A new WhatsApp conversation in the queue (the Ventas team's inbox).
async fn fresh(agent: &Agent, from: &str) -> ConversationId {
    agent
        .inbound(
            Channel::Whatsapp,
            from,
            Some("Cliente"),
            "Hola, una pregunta",
        )
        .await
        .conversation_id
}

/// A feed that has said welcome: what happens from now on reaches it.
async fn listen(agent: &Agent) -> common::Feed {
    let mut feed = agent.feed(None).await;
    assert!(matches!(feed.next().await, ServerFrame::Welcome { .. }));
    feed
}

/// Waits on a feed for an event matching `wanted`.
async fn hears(feed: &mut common::Feed, wanted: impl Fn(&EventBody) -> bool) -> EventBody {
    let (frame, _) = feed
        .until(|frame| matches!(frame, ServerFrame::Event(e) if wanted(&e.body)))
        .await;
    match frame {
        ServerFrame::Event(event) => event.body,
        _ => unreachable!("until returns a matching frame"),
    }
}

#[tokio::test]
async fn every_action_is_for_those_who_see_the_conversation_and_nobody_else() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let luis = server.login("luis@example.com").await;
    let private = server.telegram_only_for(&luis).await;
    let hidden = luis
        .inbound(Channel::Telegram, "@solo_luis", None, "hola")
        .await
        .conversation_id;
    let visible = fresh(&luis, "+34600300001").await;
    let soon = (chrono::Utc::now() + chrono::Duration::hours(1)).to_rfc3339();
    let reason = reason_of(&workspace(&ana).await, "Resuelto");
    let actions = [
        ("assign", json!({ "agent_id": ana.id })),
        ("unassign", json!({})),
        ("transfer", json!({ "to": { "team": 1 } })),
        ("snooze", json!({ "until": soon })),
        ("unsnooze", json!({})),
        ("unread", json!({})),
        ("close", json!({ "reason": reason, "confirmed": true })),
        ("reopen", json!({})),
    ];
    let nobody = reqwest::Client::new();
    for (action, body) in &actions {
        let logged_out = nobody
            .post(server.url(&format!("/api/v1/conversations/{visible}/{action}")))
            .json(body)
            .send()
            .await
            .unwrap();
        assert_eq!(
            error_code(logged_out).await,
            (401, "unauthenticated".into()),
            "{action}"
        );
        let stranger = act(&ana, hidden, action, body.clone()).await;
        assert_eq!(
            error_code(stranger).await,
            (404, "not_found".into()),
            "{action}"
        );
        done(&ana, visible, action, body.clone()).await;
    }
    let moved = act(&ana, hidden, "move", json!({ "inbox_id": private })).await;
    assert_eq!(error_code(moved).await, (404, "not_found".into()));
    assert!(
        !kinds_of(&luis, hidden)
            .await
            .contains(&ConversationEventKind::Closed),
        "nothing happened to the hidden one"
    );
}

#[tokio::test]
async fn closing_needs_a_reason_keeps_it_and_the_closed_tab_shows_it() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let id = fresh(&ana, "+34600300002").await;
    done(&ana, id, "assign", json!({ "agent_id": ana.id })).await;
    let without = act(&ana, id, "close", json!({})).await;
    assert_eq!(error_code(without).await, (422, "reason_required".into()));
    let reason = reason_of(&workspace(&ana).await, "Pedido gestionado");
    let closed = done(
        &ana,
        id,
        "close",
        json!({ "reason": reason, "summary": "  Cambio de talla enviado.  " }),
    )
    .await;
    let closure = closed.conversation.closure.unwrap();
    assert_eq!(closure.reason.as_deref(), Some("Pedido gestionado"));
    assert_eq!(closure.summary.as_deref(), Some("Cambio de talla enviado."));
    assert!(!view_ids(&ana, View::Mine).await.contains(&id));
    assert!(view_ids(&ana, View::Closed).await.contains(&id));
    let event = events_of(&ana, id).await.pop().unwrap();
    assert_eq!(event.kind, ConversationEventKind::Closed);
    assert_eq!(event.details.reason.as_deref(), Some("Pedido gestionado"));
}

#[tokio::test]
async fn the_same_request_twice_changes_nothing_twice() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let id = fresh(&ana, "+34600300003").await;
    let reason = reason_of(&workspace(&ana).await, "Resuelto");
    let version = done(&ana, id, "assign", json!({ "agent_id": ana.id }))
        .await
        .conversation
        .version;
    let body = json!({ "reason": reason, "version": version });
    let first = done(&ana, id, "close", body.clone()).await;
    let again = done(&ana, id, "close", body).await;
    assert_eq!(first.conversation.version, again.conversation.version);
    done(&ana, id, "assign", json!({ "agent_id": ana.id })).await;
    let closings = kinds_of(&ana, id)
        .await
        .into_iter()
        .filter(|k| *k == ConversationEventKind::Closed)
        .count();
    assert_eq!(closings, 1);
    let unassigned = done(&ana, id, "unassign", json!({})).await;
    done(&ana, id, "unassign", json!({})).await;
    assert_eq!(unassigned.conversation.assignee, None);
    let sends_back = kinds_of(&ana, id)
        .await
        .into_iter()
        .filter(|k| *k == ConversationEventKind::Unassigned)
        .count();
    assert_eq!(sends_back, 1);
}

#[tokio::test]
async fn acting_on_what_changed_since_or_on_a_teammates_conversation_asks_first() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let luis = server.login("luis@example.com").await;
    let id = fresh(&ana, "+34600300004").await;
    let seen = done(&luis, id, "assign", json!({ "agent_id": luis.id }))
        .await
        .conversation
        .version;
    let reason = reason_of(&workspace(&ana).await, "Resuelto");
    // Ana closes Luis's conversation: asked first.
    let theirs = act(
        &ana,
        id,
        "close",
        json!({ "reason": reason, "version": seen }),
    )
    .await;
    let body: Value = theirs.json().await.unwrap();
    assert_eq!(body["code"], "not_yours");
    assert!(body["message"].as_str().unwrap().contains("Luis Romero"));
    // Meanwhile the customer wrote: what Ana saw is stale.
    ana.inbound(Channel::Whatsapp, "+34600300004", None, "¿Hola?")
        .await;
    let stale = act(
        &ana,
        id,
        "close",
        json!({ "reason": reason, "version": seen, "confirmed": true }),
    )
    .await;
    assert_eq!(
        error_code(stale).await,
        (409, "conversation_changed".into())
    );
    let current = done(&ana, id, "unread", json!({}))
        .await
        .conversation
        .version;
    let closed = done(
        &ana,
        id,
        "close",
        json!({ "reason": reason, "version": current, "confirmed": true }),
    )
    .await;
    assert_eq!(closed.conversation.status, ConversationStatus::Closed);
}

#[tokio::test]
async fn a_transfer_to_an_agent_away_asks_first_and_reaches_both_feeds_with_its_note() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let luis = server.login("luis@example.com").await;
    let id = fresh(&ana, "+34600300005").await;
    done(&ana, id, "assign", json!({ "agent_id": ana.id })).await;
    // Luis has no app open: offline.
    let offline = act(&ana, id, "transfer", json!({ "to": { "agent": luis.id } })).await;
    assert_eq!(error_code(offline).await, (409, "agent_unavailable".into()));

    let mut ana_feed = listen(&ana).await;
    let mut luis_feed = listen(&luis).await;
    hears(&mut ana_feed, |b| {
        matches!(b, EventBody::AgentStatus { status } if status.agent_id == luis.id && status.availability == Availability::Available)
    })
    .await;
    let note = "Quiere cambiar la dirección";
    let entry = done(
        &ana,
        id,
        "transfer",
        json!({ "to": { "agent": luis.id }, "note": note }),
    )
    .await;
    assert_eq!(entry.conversation.assignee, Some(luis.id));
    for feed in [&mut luis_feed, &mut ana_feed] {
        let body = hears(feed, |b| {
            matches!(b, EventBody::ConversationEvent { event } if event.kind == ConversationEventKind::Transferred)
        })
        .await;
        let EventBody::ConversationEvent { event } = body else {
            unreachable!()
        };
        assert_eq!(event.agent, Some(luis.id));
        assert_eq!(event.details.from_agent, Some(ana.id));
        assert_eq!(event.details.note.as_deref(), Some(note));
    }
    assert!(view_ids(&luis, View::Mine).await.contains(&id));
    assert!(!view_ids(&ana, View::Mine).await.contains(&id));
    let loads = workspace(&ana).await.statuses;
    let luis_load = loads.iter().find(|s| s.agent_id == luis.id).unwrap();
    assert!(luis_load.load >= 1);
}

/// Takes Ana out of the second WhatsApp inbox, so it is Luis's (and his team Soporte's) only.
async fn postventa_only_for_luis(server: &TestServer, ana: &Agent) -> InboxId {
    let mut tx = server.running.state.db.write().await.unwrap();
    let (id,): (i64,) = sqlx::query_as("SELECT id FROM inboxes WHERE name = 'WhatsApp Postventa'")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    sqlx::query("DELETE FROM inbox_members WHERE inbox_id = ?1 AND agent_id = ?2")
        .bind(id)
        .bind(ana.id.0)
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    InboxId(id)
}

#[tokio::test]
async fn a_move_away_from_an_agents_sight_tells_them_it_is_gone_and_the_others_where_it_went() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let luis = server.login("luis@example.com").await;
    let postventa = postventa_only_for_luis(&server, &ana).await;
    let id = fresh(&luis, "+34600300006").await;
    let mut ana_feed = listen(&ana).await;
    let mut luis_feed = listen(&luis).await;
    // Ana cannot move it where she does not belong.
    let refused = act(&ana, id, "move", json!({ "inbox_id": postventa })).await;
    assert_eq!(error_code(refused).await, (422, "invalid_request".into()));
    let moved = done(&luis, id, "move", json!({ "inbox_id": postventa })).await;
    assert_eq!(moved.conversation.inbox_id, postventa);
    assert_eq!(
        moved.conversation.team_id,
        Some(TeamId(2)),
        "Soporte's queue now"
    );

    hears(
        &mut ana_feed,
        |b| matches!(b, EventBody::ConversationGone { conversation_id } if *conversation_id == id),
    )
    .await;
    let body = hears(&mut luis_feed, |b| {
        matches!(b, EventBody::ConversationEvent { event } if event.kind == ConversationEventKind::Moved)
    })
    .await;
    let EventBody::ConversationEvent { event } = body else {
        unreachable!()
    };
    assert_eq!(event.details.to_inbox, Some(postventa));
    assert_eq!(
        error_code(ana.get(&format!("/api/v1/conversations/{id}")).await).await,
        (404, "not_found".into())
    );
    // Ana no longer hears of it at all.
    luis.reply(id, json!({ "text": "Le atiende postventa." }))
        .await;
    let frames = ana_feed.drain(Duration::from_millis(700)).await;
    assert!(!frames.iter().any(|f| matches!(f, ServerFrame::Event(e) if matches!(&e.body, EventBody::MessageCreated { message } if message.conversation_id == id))));
}

#[tokio::test]
async fn a_transfer_to_a_team_reaches_its_members_who_could_not_see_it_before() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let luis = server.login("luis@example.com").await;
    let postventa = postventa_only_for_luis(&server, &ana).await;
    let id = fresh(&luis, "+34600300007").await;
    done(&luis, id, "move", json!({ "inbox_id": postventa })).await;
    let mut ana_feed = listen(&ana).await;
    // To Ventas (Ana's team): she sees it now, in her queue.
    done(&luis, id, "transfer", json!({ "to": { "team": 1 } })).await;
    hears(&mut ana_feed, |b| {
        matches!(b, EventBody::ConversationUpdated { conversation } if conversation.id == id && conversation.team_id == Some(TeamId(1)))
    })
    .await;
    assert!(view_ids(&ana, View::Unassigned).await.contains(&id));
    // And Luis sees it still, as a member of its inbox.
    assert!(view_ids(&luis, View::Unassigned).await.contains(&id));
}

#[tokio::test]
async fn a_snoozed_conversation_leaves_mine_and_wakes_when_the_customer_writes_or_the_time_comes() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let id = fresh(&ana, "+34600300008").await;
    let until = chrono::Utc::now() + chrono::Duration::hours(3);
    // Snoozing one from the queue takes it.
    let snoozed = done(&ana, id, "snooze", json!({ "until": until.to_rfc3339() })).await;
    assert_eq!(snoozed.conversation.assignee, Some(ana.id));
    assert!(view_ids(&ana, View::Snoozed).await.contains(&id));
    assert!(!view_ids(&ana, View::Mine).await.contains(&id));
    let past = act(
        &ana,
        id,
        "snooze",
        json!({ "until": chrono::Utc::now().to_rfc3339() }),
    )
    .await;
    assert_eq!(error_code(past).await, (422, "invalid_request".into()));

    ana.inbound(Channel::Whatsapp, "+34600300008", None, "¿Sigue ahí?")
        .await;
    assert!(view_ids(&ana, View::Mine).await.contains(&id));
    let woke = events_of(&ana, id).await.pop().unwrap();
    assert_eq!(woke.kind, ConversationEventKind::Woke);
    assert_eq!(
        woke.details.cause,
        Some(switchboard_protocol::Cause::CustomerWrote)
    );

    done(&ana, id, "snooze", json!({ "until": until.to_rfc3339() })).await;
    let state = &server.running.state;
    let early = timers::wake_due(state, chrono::Utc::now().timestamp_millis())
        .await
        .unwrap();
    assert_eq!(early, 0);
    let woken = timers::wake_due(
        state,
        (until + chrono::Duration::minutes(1)).timestamp_millis(),
    )
    .await
    .unwrap();
    assert_eq!(woken, 1);
    assert!(view_ids(&ana, View::Mine).await.contains(&id));
}

#[tokio::test]
async fn a_closed_conversation_reopens_when_the_customer_writes_keeping_its_agent() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let id = fresh(&ana, "+34600300009").await;
    done(&ana, id, "assign", json!({ "agent_id": ana.id })).await;
    let reason = reason_of(&workspace(&ana).await, "Resuelto");
    done(&ana, id, "close", json!({ "reason": reason })).await;
    let again = ana
        .inbound(Channel::Whatsapp, "+34600300009", None, "Una cosa más")
        .await;
    assert_eq!(again.conversation_id, id, "the same conversation, reopened");
    assert!(!again.created);
    let entry: switchboard_protocol::api::ConversationSnapshot =
        ana.get_json(&format!("/api/v1/conversations/{id}")).await;
    assert_eq!(entry.entry.conversation.status, ConversationStatus::Open);
    assert_eq!(entry.entry.conversation.closure, None);
    assert_eq!(entry.entry.conversation.assignee, Some(ana.id));
    assert!(
        kinds_of(&ana, id)
            .await
            .contains(&ConversationEventKind::Reopened)
    );
}

#[tokio::test]
async fn replying_to_a_closed_whatsapp_past_its_window_takes_a_template_and_the_sender_takes_it() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let luis = server.login("luis@example.com").await;
    let old = (chrono::Utc::now() - chrono::Duration::hours(30)).to_rfc3339();
    let body =
        json!({ "channel": "whatsapp", "from": "+34600300010", "text": "Gracias", "at": old });
    let response = luis.post("/api/v1/sandbox/inbound", &body).await;
    assert_eq!(response.status(), 201);
    let id = response
        .json::<switchboard_protocol::api::InboundReceived>()
        .await
        .unwrap()
        .conversation_id;
    done(&luis, id, "assign", json!({ "agent_id": luis.id })).await;
    let reason = reason_of(&workspace(&ana).await, "Resuelto");
    done(&luis, id, "close", json!({ "reason": reason })).await;

    let text = ana
        .post(
            &format!("/api/v1/conversations/{id}/messages"),
            &json!({ "client_id": Uuid::new_v4(), "text": "¿Todo bien?" }),
        )
        .await;
    assert_eq!(error_code(text).await, (422, "window_closed".into()));
    ana.reply(
        id,
        json!({ "text": "", "template": { "name": "retomar_consulta", "language": "es", "params": ["Cliente"] } }),
    )
    .await;
    let snapshot: switchboard_protocol::api::ConversationSnapshot =
        ana.get_json(&format!("/api/v1/conversations/{id}")).await;
    assert_eq!(snapshot.entry.conversation.status, ConversationStatus::Open);
    assert_eq!(
        snapshot.entry.conversation.assignee,
        Some(ana.id),
        "the sender took it"
    );
}

#[tokio::test]
async fn marking_unread_counts_it_unread_again_for_that_agent_only() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let luis = server.login("luis@example.com").await;
    let id = fresh(&ana, "+34600300011").await;
    let latest = ana.messages(id).await.last().unwrap().id;
    ana.post(
        &format!("/api/v1/conversations/{id}/read"),
        &json!({ "up_to": latest }),
    )
    .await;
    let mut feed = listen(&ana).await;
    let unread = done(&ana, id, "unread", json!({})).await;
    assert_eq!(unread.unread, 1);
    hears(&mut feed, |b| {
        matches!(b, EventBody::UnreadCounts { conversations, .. } if conversations.iter().any(|c| c.conversation_id == id && c.unread == 1))
    })
    .await;
    let theirs: switchboard_protocol::api::ConversationSnapshot =
        luis.get_json(&format!("/api/v1/conversations/{id}")).await;
    assert_eq!(
        theirs.entry.unread, 1,
        "Luis's count is his own (he never read it)"
    );
}

#[tokio::test]
async fn availability_is_chosen_by_the_agent_and_seen_live_by_teammates() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let luis = server.login("luis@example.com").await;
    let mut ana_feed = listen(&ana).await;
    let _luis_feed = listen(&luis).await;
    let away = luis
        .put(
            "/api/v1/me/availability",
            &json!({ "availability": "away" }),
        )
        .await;
    assert_eq!(away.status(), 200);
    hears(&mut ana_feed, |b| {
        matches!(b, EventBody::AgentStatus { status } if status.agent_id == luis.id && status.availability == Availability::Away)
    })
    .await;
    let offline = luis
        .put(
            "/api/v1/me/availability",
            &json!({ "availability": "offline" }),
        )
        .await;
    assert_eq!(error_code(offline).await, (400, "invalid_request".into()));
}

#[tokio::test]
async fn an_agent_whose_app_closes_is_offline_to_teammates() {
    let server = TestServer::start_with(|c| c.offline_grace = Duration::from_millis(50)).await;
    let ana = server.login("ana@example.com").await;
    let luis = server.login("luis@example.com").await;
    let mut ana_feed = listen(&ana).await;
    let luis_feed = listen(&luis).await;
    hears(&mut ana_feed, |b| {
        matches!(b, EventBody::AgentStatus { status } if status.agent_id == luis.id && status.availability == Availability::Available)
    })
    .await;
    drop(luis_feed);
    hears(&mut ana_feed, |b| {
        matches!(b, EventBody::AgentStatus { status } if status.agent_id == luis.id && status.availability == Availability::Offline)
    })
    .await;
}

/// Turns routing on for a team (as Ana, the admin), with these members (and room for the
/// demo's thirty-odd conversations each).
async fn route(ana: &Agent, team: i64, name: &str, members: &[i64], inboxes: &[i64], timeout: u32) {
    let response = ana
        .put(
            &format!("/api/v1/teams/{team}"),
            &json!({ "name": name, "members": members, "inboxes": inboxes,
                     "routing": { "capacity": 100, "offer_timeout_secs": timeout } }),
        )
        .await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
}

#[tokio::test]
async fn routing_offers_a_new_conversation_to_the_available_agent_only_and_takes_back_an_unopened_one()
 {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let luis = server.login("luis@example.com").await;
    // Ventas routes, with both in it; only Luis has the app open.
    route(&ana, 1, "Ventas", &[ana.id.0, luis.id.0], &[1, 4, 5], 60).await;
    let _luis_feed = listen(&luis).await;

    let id = fresh(&luis, "+34600300012").await;
    let snapshot: switchboard_protocol::api::ConversationSnapshot =
        luis.get_json(&format!("/api/v1/conversations/{id}")).await;
    assert_eq!(
        snapshot.entry.conversation.assignee,
        Some(luis.id),
        "offered to Luis"
    );
    assert!(
        kinds_of(&luis, id)
            .await
            .contains(&ConversationEventKind::Offered)
    );

    // He does not open it in time: back to the queue, and nobody else free to offer it to.
    let state = &server.running.state;
    let later = (chrono::Utc::now() + chrono::Duration::minutes(2)).timestamp_millis();
    // (Coming online, he was offered what waited in the queue too: all of it comes back.)
    let waiting_before = view_ids(&luis, View::Mine).await.len();
    let taken_back = timers::take_back_unopened(state, later).await.unwrap();
    assert!(taken_back >= 1);
    assert_eq!(
        view_ids(&luis, View::Mine).await.len(),
        waiting_before - taken_back
    );
    let snapshot: switchboard_protocol::api::ConversationSnapshot =
        luis.get_json(&format!("/api/v1/conversations/{id}")).await;
    assert_eq!(snapshot.entry.conversation.assignee, None);
    let returned = events_of(&luis, id).await.pop().unwrap();
    assert_eq!(returned.kind, ConversationEventKind::Returned);
    assert_eq!(returned.agent, Some(luis.id));

    // Away: nothing is offered to him.
    luis.put(
        "/api/v1/me/availability",
        &json!({ "availability": "away" }),
    )
    .await;
    let second = fresh(&luis, "+34600300013").await;
    let snapshot: switchboard_protocol::api::ConversationSnapshot = luis
        .get_json(&format!("/api/v1/conversations/{second}"))
        .await;
    assert_eq!(
        snapshot.entry.conversation.assignee, None,
        "waits in the queue"
    );
    // Back to available: what waits is handed out.
    luis.put(
        "/api/v1/me/availability",
        &json!({ "availability": "available" }),
    )
    .await;
    let snapshot: switchboard_protocol::api::ConversationSnapshot = luis
        .get_json(&format!("/api/v1/conversations/{second}"))
        .await;
    assert_eq!(snapshot.entry.conversation.assignee, Some(luis.id));
    // Opening it takes up the offer: no longer taken back.
    let latest = luis.messages(second).await.last().unwrap().id;
    luis.post(
        &format!("/api/v1/conversations/{second}/read"),
        &json!({ "up_to": latest }),
    )
    .await;
    let much_later = (chrono::Utc::now() + chrono::Duration::minutes(10)).timestamp_millis();
    timers::take_back_unopened(state, much_later).await.unwrap();
    let snapshot: switchboard_protocol::api::ConversationSnapshot = luis
        .get_json(&format!("/api/v1/conversations/{second}"))
        .await;
    assert_eq!(snapshot.entry.conversation.assignee, Some(luis.id));
}

async fn start(agent: &Agent, body: Value) -> reqwest::Response {
    agent.post("/api/v1/conversations", &body).await
}

fn first_message(text: &str) -> Value {
    json!({ "client_id": Uuid::new_v4(), "text": text })
}

#[tokio::test]
async fn an_agent_starts_an_sms_to_a_new_number_and_the_same_again_opens_it() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let message = first_message("Hola Pablo, te escribimos de Tienda Aurora.");
    let body = json!({ "channel": "sms", "to": "+34 600 40 00 01", "from": 2, "name": "Pablo", "message": message });
    let response = start(&ana, body.clone()).await;
    assert_eq!(response.status(), 201);
    let started: Started = response.json().await.unwrap();
    assert!(!started.existing);
    let conversation = &started.entry.conversation;
    assert_eq!(conversation.contact.handle, "+34600400001");
    assert_eq!(conversation.assignee, Some(ana.id));
    assert!(view_ids(&ana, View::Mine).await.contains(&conversation.id));
    assert_eq!(
        ana.texts(conversation.id).await,
        ["Hola Pablo, te escribimos de Tienda Aurora."]
    );

    let again = start(&ana, body).await;
    assert_eq!(again.status(), 200);
    let again: Started = again.json().await.unwrap();
    assert!(again.existing);
    assert_eq!(again.entry.conversation.id, conversation.id);
    assert_eq!(ana.texts(conversation.id).await.len(), 1, "sent once");
}

#[tokio::test]
async fn starting_an_email_takes_a_subject_and_a_whatsapp_takes_a_template() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let email = start(
        &ana,
        json!({ "channel": "email", "to": "Marta@Example.com", "from": 3, "subject": "Tu devolución",
                "message": first_message("Hola Marta, ya tenemos tu devolución.") }),
    )
    .await;
    assert_eq!(email.status(), 201);
    let started: Started = email.json().await.unwrap();
    assert_eq!(
        started.entry.conversation.contact.handle,
        "marta@example.com"
    );

    let text = start(
        &ana,
        json!({ "channel": "whatsapp", "to": "+34600400002", "from": 1, "message": first_message("Hola") }),
    )
    .await;
    assert_eq!(error_code(text).await, (422, "window_closed".into()));
    assert!(
        !view_ids(&ana, View::Mine).await.is_empty(),
        "(the email's conversation is there)"
    );
    let template = start(
        &ana,
        json!({ "channel": "whatsapp", "to": "+34600400002", "from": 1,
                "message": { "client_id": Uuid::new_v4(), "text": "",
                             "template": { "name": "retomar_consulta", "language": "es", "params": ["Pablo"] } } }),
    )
    .await;
    assert_eq!(template.status(), 201);
}

#[tokio::test]
async fn each_reason_a_conversation_cannot_start_has_its_own_answer() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let message = first_message("Hola");
    let bad_number = start(
        &ana,
        json!({ "channel": "sms", "to": "600112233", "from": 2, "message": message }),
    )
    .await;
    assert_eq!(
        error_code(bad_number).await,
        (422, "invalid_address".into())
    );
    let bad_email = start(
        &ana,
        json!({ "channel": "email", "to": "marta@", "from": 3, "message": message }),
    )
    .await;
    assert_eq!(error_code(bad_email).await, (422, "invalid_address".into()));
    let telegram = start(
        &ana,
        json!({ "channel": "telegram", "to": "@x", "from": 6, "message": message }),
    )
    .await;
    assert_eq!(error_code(telegram).await, (422, "invalid_request".into()));
    // Opted out: nothing is made.
    ana.inbound(Channel::Sms, "+34600400003", None, "STOP")
        .await;
    let opted_out = start(&ana, json!({ "channel": "sms", "to": "+34600400003", "from": 2, "message": first_message("Hola") })).await;
    assert_eq!(error_code(opted_out).await, (422, "opted_out".into()));
    // No email entry point: Ana is taken out of the demo's email inbox.
    {
        let mut tx = server.running.state.db.write().await.unwrap();
        sqlx::query("DELETE FROM inbox_members WHERE agent_id = ?1 AND inbox_id IN (SELECT id FROM inboxes WHERE channel = 'email')")
            .bind(ana.id.0)
            .execute(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
    let none = start(&ana, json!({ "channel": "email", "to": "marta@example.com", "from": 3, "message": first_message("Hola") })).await;
    let body: Value = none.json().await.unwrap();
    assert_eq!(body["code"], "no_entry_point");
    assert!(body["message"].as_str().unwrap().contains("admin"));
}

#[tokio::test]
async fn only_an_admin_manages_teams_and_wrap_up_reasons_and_everyone_hears_of_it() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let luis = server.login("luis@example.com").await;
    assert!(workspace(&ana).await.admin);
    assert!(!workspace(&luis).await.admin);
    let refused = luis
        .post("/api/v1/wrap-up-reasons", &json!({ "label": "Otro" }))
        .await;
    assert_eq!(error_code(refused).await, (403, "forbidden".into()));
    let mut luis_feed = listen(&luis).await;
    let created = ana
        .post("/api/v1/wrap-up-reasons", &json!({ "label": "Garantía" }))
        .await;
    assert_eq!(created.status(), 201);
    hears(&mut luis_feed, |b| {
        matches!(b, EventBody::WorkspaceChanged { .. })
    })
    .await;
    let twice = ana
        .post("/api/v1/wrap-up-reasons", &json!({ "label": "garantía" }))
        .await;
    assert_eq!(error_code(twice).await, (409, "name_taken".into()));
    let team = ana
        .post(
            "/api/v1/teams",
            &json!({ "name": "Postventa", "members": [luis.id], "inboxes": [] }),
        )
        .await;
    assert_eq!(team.status(), 201);
    let teams = workspace(&luis).await.teams;
    assert_eq!(teams.len(), 3);
    let bad = ana
        .post(
            "/api/v1/teams",
            &json!({ "name": " ", "members": [], "inboxes": [] }),
        )
        .await;
    assert_eq!(error_code(bad).await, (400, "invalid_request".into()));
}

#[tokio::test]
async fn a_team_member_outside_the_inbox_reads_its_files_once_it_is_their_teams() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let luis = server.login("luis@example.com").await;
    let postventa = postventa_only_for_luis(&server, &ana).await;
    let id = fresh(&luis, "+34600300014").await;
    done(&luis, id, "move", json!({ "inbox_id": postventa })).await;
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    let file = luis.attach(id, "foto.png", "image/png", png).await;
    luis.reply(id, json!({ "text": "", "attachments": [file.id] }))
        .await;
    assert_eq!(
        ana.get(&file.url()).await.status(),
        404,
        "not hers to see yet"
    );
    done(&luis, id, "transfer", json!({ "to": { "team": 1 } })).await;
    assert_eq!(ana.get(&file.url()).await.status(), 200, "her team's now");
}

#[tokio::test]
async fn opening_an_offer_or_taking_it_takes_it_up_even_with_nothing_unread() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let luis = server.login("luis@example.com").await;
    route(&ana, 1, "Ventas", &[luis.id.0], &[1, 4, 5], 60).await;
    let _luis_feed = listen(&luis).await;
    let id = fresh(&luis, "+34600300015").await;
    let state = &server.running.state;
    let later = (chrono::Utc::now() + chrono::Duration::minutes(2)).timestamp_millis();
    // Luis had read it already (say, before it came back to the queue): marking read moves
    // nothing, and still it is his now.
    let latest = luis.messages(id).await.last().unwrap().id;
    let read = json!({ "up_to": latest });
    luis.post(&format!("/api/v1/conversations/{id}/read"), &read)
        .await;
    luis.post(&format!("/api/v1/conversations/{id}/read"), &read)
        .await;
    timers::take_back_unopened(state, later).await.unwrap();
    assert_eq!(assignee_of(&luis, id).await, Some(luis.id));

    // And "Assign to me" on an offer of mine takes it up too.
    let second = fresh(&luis, "+34600300016").await;
    assert_eq!(assignee_of(&luis, second).await, Some(luis.id));
    done(&luis, second, "assign", json!({ "agent_id": luis.id })).await;
    let taken_back = timers::take_back_unopened(state, later).await.unwrap();
    assert_eq!(
        assignee_of(&luis, second).await,
        Some(luis.id),
        "{taken_back} taken back"
    );
}

async fn assignee_of(agent: &Agent, id: ConversationId) -> Option<switchboard_protocol::AgentId> {
    let snapshot: switchboard_protocol::api::ConversationSnapshot =
        agent.get_json(&format!("/api/v1/conversations/{id}")).await;
    snapshot.entry.conversation.assignee
}

#[tokio::test]
async fn marking_unread_never_hides_what_was_unread_already() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let id = fresh(&ana, "+34600300017").await;
    for text in ["¿Hola?", "¿Alguien?"] {
        ana.inbound(Channel::Whatsapp, "+34600300017", None, text)
            .await;
    }
    let entry = done(&ana, id, "unread", json!({})).await;
    assert_eq!(entry.unread, 3, "all three stay unread");
}

#[tokio::test]
async fn moving_a_conversation_lets_its_assignee_go_when_they_do_not_belong_there() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let luis = server.login("luis@example.com").await;
    let postventa = postventa_only_for_luis(&server, &ana).await;
    let id = fresh(&ana, "+34600300018").await;
    done(&ana, id, "assign", json!({ "agent_id": ana.id })).await;
    let moved = done(&luis, id, "move", json!({ "inbox_id": postventa })).await;
    assert_eq!(moved.conversation.assignee, None, "back to Soporte's queue");
    assert_eq!(
        error_code(ana.get(&format!("/api/v1/conversations/{id}")).await).await,
        (404, "not_found".into()),
        "moving did not open the inbox to her"
    );
    let kinds = kinds_of(&luis, id).await;
    assert!(kinds.ends_with(&[
        ConversationEventKind::Moved,
        ConversationEventKind::Unassigned
    ]));
}

#[tokio::test]
async fn a_snoozed_conversation_sent_back_to_the_queue_waits_there_not_for_a_time() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let id = fresh(&ana, "+34600300019").await;
    let until = (chrono::Utc::now() + chrono::Duration::hours(3)).to_rfc3339();
    done(&ana, id, "snooze", json!({ "until": until })).await;
    let back = done(&ana, id, "unassign", json!({})).await;
    assert_eq!(back.conversation.snoozed_until, None);
    assert!(view_ids(&ana, View::Unassigned).await.contains(&id));
    // The same snooze twice is one snooze, to the millisecond.
    let at = chrono::Utc::now() + chrono::Duration::hours(2);
    let first = done(&ana, id, "snooze", json!({ "until": at.to_rfc3339() })).await;
    let again = done(
        &ana,
        id,
        "snooze",
        json!({ "until": at.to_rfc3339(), "version": first.conversation.version - 1 }),
    )
    .await;
    assert_eq!(first.conversation.version, again.conversation.version);
}

#[tokio::test]
async fn a_team_naming_an_agent_or_inbox_twice_keeps_them_once() {
    let server = TestServer::start().await;
    let ana = server.login("ana@example.com").await;
    let response = ana
        .post(
            "/api/v1/teams",
            &json!({ "name": "Dobles", "members": [ana.id, ana.id], "inboxes": [7, 7] }),
        )
        .await;
    assert_eq!(response.status(), 201);
    let team: switchboard_protocol::Team = response.json().await.unwrap();
    assert_eq!((team.members.len(), team.inboxes.len()), (1, 1));
}
