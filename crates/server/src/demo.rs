//! The demo workspace, seeded on the first start of an empty database: two agents, one inbox
//! per channel and a few hundred conversations in every state, with realistic Spanish and
//! English exchanges. Deterministic, so every fresh demo looks the same.

use crate::auth::hash_password;
use crate::db::{Db, now_ms};
use crate::demo_script::{self, Dialogue};
use crate::error::{AppError, AppResult};
use crate::providers::sandbox::failure_for;
use crate::store::agents::{self, AgentKind};
use crate::store::items::{self, NewMessage};
use crate::store::{contacts, conversations, inboxes, read_state};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::HashSet;
use switchboard_protocol::templates::Template;
use switchboard_protocol::{
    AgentId, Channel, ConversationEventKind, ConversationStatus, Direction, InboxId, MessageId,
    MessageStatus,
};

pub const PASSWORD: &str = "demo1234";
pub const AGENTS: [(&str, &str); 2] = [
    ("ana@example.com", "Ana García"),
    ("luis@example.com", "Luis Romero"),
];

const INBOXES: [(Channel, &str, &str); 9] = [
    (Channel::Whatsapp, "WhatsApp Ventas", "+34 910 000 001"),
    (Channel::Sms, "SMS Soporte", "+1 415 555 0100"),
    (Channel::Email, "Soporte", "soporte@aurora.example"),
    (
        Channel::Messenger,
        "Tienda Aurora",
        "facebook.com/tiendaaurora",
    ),
    (
        Channel::Instagram,
        "@tienda.aurora",
        "instagram.com/tienda.aurora",
    ),
    (Channel::Telegram, "Aurora Bot", "@AuroraAyudaBot"),
    (Channel::Line, "Aurora LINE", "@aurora-shop"),
    (Channel::Viber, "Aurora Viber", "Aurora Shop"),
    (Channel::Webchat, "Chat web", "aurora.example"),
];

/// A second WhatsApp number, so that a conversation can be moved between inboxes of one
/// channel. It starts empty.
const SECOND_WHATSAPP: (Channel, &str, &str) =
    (Channel::Whatsapp, "WhatsApp Postventa", "+34 910 000 002");

/// The demo's teams: each agent in one, each serving some inboxes (by name). Routing is off:
/// conversations wait in the queue until someone takes them.
const TEAMS: [(&str, usize, &[&str]); 2] = [
    (
        "Ventas",
        0,
        &["WhatsApp Ventas", "Tienda Aurora", "@tienda.aurora"],
    ),
    (
        "Soporte",
        1,
        &["SMS Soporte", "Soporte", "Aurora Bot", "WhatsApp Postventa"],
    ),
];

/// The workspace's wrap-up reasons.
pub const WRAP_UP_REASONS: [&str; 5] = [
    "Resuelto",
    "Pedido gestionado",
    "Sin respuesta del cliente",
    "Duplicado",
    "Spam",
];

/// Gives a demo workspace what the conversation workflow needs, once: Ana as its admin, a
/// second WhatsApp inbox, the two teams with their inboxes (and their conversations in their
/// queues) and the wrap-up reasons. Databases seeded before the workflow existed get them too.
pub async fn ensure_workflow(db: &Db) -> AppResult<()> {
    use crate::store::{teams, wrap_up};
    let mut tx = db.write().await?;
    let Some(ana) = agents::by_email(&mut tx, AGENTS[0].0).await? else {
        return tx.commit().await;
    };
    let done: Option<(i64,)> = sqlx::query_as("SELECT value FROM meta WHERE key = 'demo_workflow'")
        .fetch_optional(&mut *tx)
        .await?;
    if done.is_some() {
        return tx.commit().await;
    }
    sqlx::query("INSERT INTO meta (key, value) VALUES ('demo_workflow', 1)")
        .execute(&mut *tx)
        .await?;
    agents::set_admin(&mut tx, ana, true).await?;
    let (channel, name, address) = SECOND_WHATSAPP;
    let second = inboxes::insert(&mut tx, channel, name, address).await?;
    let people: Vec<(i64,)> = sqlx::query_as("SELECT id FROM agents")
        .fetch_all(&mut *tx)
        .await?;
    for (agent,) in people {
        inboxes::add_member(&mut tx, second, AgentId(agent)).await?;
    }
    let all = inboxes::all(&mut tx).await?;
    for (team, member, served) in TEAMS {
        let Some(member) = agents::by_email(&mut tx, AGENTS[member].0).await? else {
            continue;
        };
        let served: Vec<InboxId> = all
            .iter()
            .filter(|(inbox, _)| served.contains(&inbox.name.as_str()))
            .map(|(inbox, _)| inbox.id)
            .collect();
        teams::save(&mut tx, None, team, &[member], &served, None).await?;
    }
    sqlx::query(
        "UPDATE conversations SET team_id = (SELECT team_id FROM team_inboxes WHERE inbox_id = conversations.inbox_id)
         WHERE team_id IS NULL",
    )
    .execute(&mut *tx)
    .await?;
    if wrap_up::all(&mut tx).await?.is_empty() {
        for label in WRAP_UP_REASONS {
            wrap_up::insert(&mut tx, label).await?;
        }
    }
    tx.commit().await
}

/// How often each channel appears, out of 100.
const CHANNEL_WEIGHTS: [(Channel, u32); 9] = [
    (Channel::Whatsapp, 30),
    (Channel::Sms, 12),
    (Channel::Email, 12),
    (Channel::Messenger, 10),
    (Channel::Instagram, 10),
    (Channel::Telegram, 8),
    (Channel::Webchat, 8),
    (Channel::Line, 5),
    (Channel::Viber, 5),
];

const CONVERSATIONS: usize = 320;
const UNASSIGNED_OPEN: usize = 45;
const OPEN_PER_AGENT: usize = 30;
const MINUTE: i64 = 60_000;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;

/// Approved WhatsApp templates of the demo, as a business would have them.
const TEMPLATES: [(&str, &str, &str); 4] = [
    (
        "seguimiento_pedido",
        "es",
        "Hola {{1}}, te escribimos por tu pedido {{2}}. ¿Podemos ayudarte en algo más? Responde a este mensaje y seguimos la conversación.",
    ),
    (
        "recordatorio_cita",
        "es",
        "Hola {{1}}, te recordamos tu cita del {{2}} a las {{3}}. Si necesitas cambiarla, respóndenos aquí.",
    ),
    (
        "retomar_consulta",
        "es",
        "Hola {{1}}, retomamos tu consulta. ¿Sigues necesitando ayuda? Responde a este mensaje para continuar.",
    ),
    (
        "order_follow_up",
        "en_US",
        "Hi {{1}}, we're following up on your order {{2}}. Reply to this message and we'll pick up where we left off.",
    ),
];

/// Gives every WhatsApp inbox the demo's templates it lacks (databases seeded before
/// templates existed get them too).
pub async fn ensure_templates(db: &Db) -> AppResult<()> {
    let mut tx = db.write().await?;
    let whatsapp: Vec<(i64,)> = sqlx::query_as("SELECT id FROM inboxes WHERE channel = 'whatsapp'")
        .fetch_all(&mut *tx)
        .await?;
    for (inbox,) in whatsapp {
        for (name, language, body) in TEMPLATES {
            let template = Template {
                name: name.into(),
                language: language.into(),
                body: body.into(),
            };
            crate::store::templates::add(&mut tx, InboxId(inbox), &template).await?;
        }
    }
    tx.commit().await
}

/// The team's saved replies, in every inbox of the demo.
const QUICK_REPLIES: [(&str, &str, &str); 5] = [
    (
        "saludo",
        "Saludo",
        "Hola {{contact.first_name}}, soy {{agent.first_name}}. ¿En qué puedo ayudarte?",
    ),
    (
        "gracias",
        "Gracias y despedida",
        "Gracias por escribirnos, {{contact.first_name}}. Si necesitas algo más, aquí estamos.",
    ),
    (
        "envio",
        "Estado del envío",
        "Tu pedido ya está en camino: llegará en 24-48 horas laborables y te enviaremos el número de seguimiento por correo.",
    ),
    (
        "devolucion",
        "Devoluciones",
        "Puedes devolver cualquier producto en los 30 días siguientes a la entrega. Te envío ahora la etiqueta de devolución.",
    ),
    (
        "hello",
        "Greeting (English)",
        "Hi {{contact.first_name}}, this is {{agent.first_name}}. How can I help?",
    ),
];

/// Gives a demo without saved replies the team's, and each agent a signature of their own.
pub async fn ensure_quick_replies(db: &Db) -> AppResult<()> {
    use crate::store::quick_replies;
    use switchboard_protocol::quick_replies::SaveQuickReply;
    let mut tx = db.write().await?;
    let (existing,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM quick_replies")
        .fetch_one(&mut *tx)
        .await?;
    if existing > 0 {
        return tx.commit().await;
    }
    let Some(author) = agents::by_email(&mut tx, AGENTS[0].0).await? else {
        return tx.commit().await;
    };
    let inboxes: Vec<(i64,)> = sqlx::query_as("SELECT id FROM inboxes ORDER BY id")
        .fetch_all(&mut *tx)
        .await?;
    for (inbox,) in inboxes {
        for (shortcut, title, body) in QUICK_REPLIES {
            let reply = SaveQuickReply {
                shortcut: shortcut.into(),
                title: title.into(),
                body: body.into(),
                inbox_id: Some(InboxId(inbox)),
            };
            quick_replies::insert(&mut tx, author, &reply).await?;
        }
    }
    for (email, _) in AGENTS {
        if let Some(agent) = agents::by_email(&mut tx, email).await? {
            let signature = SaveQuickReply {
                shortcut: "firma".into(),
                title: "Mi firma".into(),
                body: "Un saludo,\n{{agent.name}}\n{{inbox.name}}".into(),
                inbox_id: None,
            };
            quick_replies::insert(&mut tx, agent, &signature).await?;
        }
    }
    tx.commit().await
}

/// Seeds the demo unless the database already has agents. Returns whether it seeded.
pub async fn seed_if_empty(db: &Db) -> AppResult<bool> {
    let mut tx = db.write().await?;
    if agents::by_email(&mut tx, AGENTS[0].0).await?.is_some() {
        return Ok(false);
    }
    let hash = tokio::task::spawn_blocking(|| hash_password(PASSWORD))
        .await
        .map_err(|e| AppError::internal(e.to_string()))??;
    let mut agent_ids = Vec::new();
    for (email, name) in AGENTS {
        agent_ids.push(agents::insert(&mut tx, email, name, Some(&hash), AgentKind::Human).await?);
    }
    let mut inbox_ids = Vec::new();
    for (channel, name, address) in INBOXES {
        let inbox = inboxes::insert(&mut tx, channel, name, address).await?;
        for agent in &agent_ids {
            inboxes::add_member(&mut tx, inbox, *agent).await?;
        }
        inbox_ids.push((channel, inbox));
    }
    let plan = plan(&mut StdRng::seed_from_u64(20261121), now_ms());
    write_plan(&mut tx, &plan, &agent_ids, &inbox_ids).await?;
    tx.commit().await?;
    Ok(true)
}

struct PlannedItem {
    at: i64,
    kind: PlannedKind,
}

enum PlannedKind {
    Message {
        inbound: bool,
        text: &'static str,
        status: Option<MessageStatus>,
        failed: bool,
    },
    Event {
        kind: ConversationEventKind,
        actor: Option<usize>,
        agent: Option<usize>,
    },
}

struct PlannedConversation {
    channel: Channel,
    handle: String,
    name: Option<&'static str>,
    status: ConversationStatus,
    assignee: Option<usize>,
    items: Vec<PlannedItem>,
    /// Per agent: read everything (true) or only up to their own last reply (false).
    read_all: [bool; 2],
    created_at: i64,
}

fn pick<T: Copy>(rng: &mut StdRng, items: &[T]) -> T {
    items[rng.random_range(0..items.len())]
}

/// A channel, as often as the demo's customers use each.
pub(crate) fn pick_channel(rng: &mut StdRng) -> Channel {
    let mut roll = rng.random_range(0..100);
    for (channel, weight) in CHANNEL_WEIGHTS {
        if roll < weight {
            return channel;
        }
        roll -= weight;
    }
    Channel::Whatsapp
}

fn handle_for(rng: &mut StdRng, channel: Channel, name: Option<&str>, spanish: bool) -> String {
    let slug = |name: Option<&str>| {
        name.unwrap_or("cliente")
            .to_lowercase()
            .replace(['á', 'à'], "a")
            .replace('é', "e")
            .replace('í', "i")
            .replace('ó', "o")
            .replace('ú', "u")
            .replace('ñ', "n")
            .replace(' ', ".")
    };
    match channel {
        Channel::Whatsapp | Channel::Sms | Channel::Viber => {
            if spanish {
                let prefix = pick(rng, &["+346", "+347", "+52155", "+54911"]);
                format!("{prefix}{:08}", rng.random_range(0..100_000_000u32))
            } else {
                format!("+1415555{:04}", rng.random_range(0..10_000u32))
            }
        }
        Channel::Email => format!(
            "{}{}@{}",
            slug(name),
            rng.random_range(1..100u32),
            pick(rng, &["gmail.com", "outlook.com", "yahoo.es", "icloud.com"])
        ),
        Channel::Telegram | Channel::Instagram => format!(
            "@{}{}",
            slug(name).replace('.', "_"),
            rng.random_range(1..1000u32)
        ),
        Channel::Messenger => format!(
            "{}",
            rng.random_range(1_000_000_000_000_000u64..9_999_999_999_999_999u64)
        ),
        Channel::Line => format!("U{:032x}", rng.random::<u128>()),
        Channel::Webchat => format!("visitor-{:08x}", rng.random::<u32>()),
    }
}

/// Moves a thread in time so that the customer's last message was 24 hours minus
/// `closes_in` ago.
fn close_window_soon(items: &mut [PlannedItem], now: i64, closes_in: i64) {
    let last_inbound = items
        .iter()
        .filter(|i| matches!(i.kind, PlannedKind::Message { inbound: true, .. }))
        .map(|i| i.at)
        .max();
    let Some(last_inbound) = last_inbound else {
        return;
    };
    let shift = (now - 24 * HOUR + closes_in) - last_inbound;
    for item in items.iter_mut() {
        item.at = (item.at + shift).min(now - 30_000);
    }
}

fn plan(rng: &mut StdRng, now: i64) -> Vec<PlannedConversation> {
    let mut handles = HashSet::new();
    let mut planned = Vec::with_capacity(CONVERSATIONS);
    for index in 0..CONVERSATIONS {
        let channel = pick_channel(rng);
        let spanish = rng.random_range(0..100) < 75;
        let dialogue: Dialogue = if spanish {
            pick(rng, demo_script::SPANISH)
        } else {
            pick(rng, demo_script::ENGLISH)
        };
        let names = if spanish {
            demo_script::NAMES_ES
        } else {
            demo_script::NAMES_EN
        };
        let known_name =
            rng.random_range(0..100) < if channel.uses_phone_numbers() { 65 } else { 90 };
        let name = known_name.then(|| pick(rng, names));
        let handle = loop {
            let handle = handle_for(rng, channel, name, spanish);
            if handles.insert((channel, handle.clone())) {
                break handle;
            }
        };

        let (status, assignee, start) = if index < UNASSIGNED_OPEN {
            // The queue: mostly today, a few in the last minutes.
            let age = if index < 8 {
                rng.random_range(2..30) * MINUTE
            } else {
                rng.random_range(30..20 * 60) * MINUTE
            };
            (ConversationStatus::Open, None, now - age)
        } else if index < UNASSIGNED_OPEN + 2 * OPEN_PER_AGENT {
            let agent = (index - UNASSIGNED_OPEN) / OPEN_PER_AGENT;
            (
                ConversationStatus::Open,
                Some(agent),
                now - rng.random_range(10..3 * 24 * 60) * MINUTE,
            )
        } else {
            let agent = rng.random_range(0..2);
            (
                ConversationStatus::Closed,
                Some(agent),
                now - rng.random_range(DAY..30 * DAY),
            )
        };

        let mut at = start;
        let mut step = |rng: &mut StdRng, max_minutes: i64| {
            at = (at + rng.random_range(1..=max_minutes) * MINUTE / 2).min(now - 30_000);
            at
        };
        let mut items = vec![PlannedItem {
            at: start,
            kind: PlannedKind::Event {
                kind: ConversationEventKind::Created,
                actor: None,
                agent: None,
            },
        }];
        let lines: &[(bool, &str)] = match assignee {
            // Nobody has answered the queue yet: only the customer's first lines.
            None => {
                let opening = dialogue.iter().take_while(|(inbound, _)| *inbound).count();
                &dialogue[..opening.max(1)]
            }
            Some(_) if status == ConversationStatus::Open => {
                let cut = rng.random_range(2..=dialogue.len());
                &dialogue[..cut]
            }
            Some(_) => dialogue,
        };
        let mut assigned = false;
        for &(inbound, text) in lines {
            if let Some(agent) = assignee.filter(|_| !inbound && !assigned) {
                // Mostly agents take conversations themselves; sometimes a teammate hands one over.
                let actor = if rng.random_range(0..100) < 80 {
                    agent
                } else {
                    1 - agent
                };
                items.push(PlannedItem {
                    at: step(rng, 10),
                    kind: PlannedKind::Event {
                        kind: ConversationEventKind::Assigned,
                        actor: Some(actor),
                        agent: Some(agent),
                    },
                });
                assigned = true;
            }
            let status = (!inbound).then(|| {
                if channel.reports_read() {
                    MessageStatus::Read
                } else if channel.reports_delivered() {
                    MessageStatus::Delivered
                } else {
                    MessageStatus::Sent
                }
            });
            let failed = !inbound && rng.random_range(0..100) < 4;
            items.push(PlannedItem {
                at: step(rng, 20),
                kind: PlannedKind::Message {
                    inbound,
                    text,
                    status,
                    failed,
                },
            });
        }
        if assignee.is_some() && !assigned {
            let agent = assignee.unwrap_or_default();
            items.push(PlannedItem {
                at: step(rng, 10),
                kind: PlannedKind::Event {
                    kind: ConversationEventKind::Assigned,
                    actor: Some(agent),
                    agent: Some(agent),
                },
            });
        }
        if status == ConversationStatus::Closed {
            items.push(PlannedItem {
                at: step(rng, 30),
                kind: PlannedKind::Event {
                    kind: ConversationEventKind::Closed,
                    actor: assignee,
                    agent: None,
                },
            });
        }
        if channel == Channel::Whatsapp && status == ConversationStatus::Open && index % 3 == 1 {
            // The window closes within the next two hours: the demo shows the countdown.
            let closes_in = rng.random_range(5..120) * MINUTE;
            close_window_soon(&mut items, now, closes_in);
        }
        let read_all = match (status, assignee) {
            (ConversationStatus::Closed, _) => [true, true],
            (_, None) => [rng.random_range(0..100) < 20, rng.random_range(0..100) < 20],
            (_, Some(agent)) => {
                let mut read = [rng.random_range(0..100) < 70; 2];
                read[agent] = false;
                read
            }
        };
        planned.push(PlannedConversation {
            channel,
            handle,
            name,
            status,
            assignee,
            items,
            read_all,
            created_at: start,
        });
    }
    planned
}

async fn write_plan(
    tx: &mut crate::db::WriteTx,
    plan: &[PlannedConversation],
    agent_ids: &[AgentId],
    inbox_ids: &[(Channel, InboxId)],
) -> AppResult<()> {
    let inbox_of = |channel: Channel| {
        inbox_ids
            .iter()
            .find(|(c, _)| *c == channel)
            .map(|(_, id)| *id)
    };
    let mut conversation_ids = Vec::with_capacity(plan.len());
    for conversation in plan {
        let inbox = inbox_of(conversation.channel)
            .ok_or_else(|| AppError::internal("demo inbox missing"))?;
        let contact = contacts::upsert(
            tx,
            conversation.channel,
            &conversation.handle,
            conversation.name,
        )
        .await?;
        let id = conversations::insert(tx, inbox, contact.id, conversation.created_at).await?;
        if let Some(agent) = conversation.assignee {
            conversations::set_assignee(tx, id, Some(agent_ids[agent])).await?;
        }
        if conversation.status == ConversationStatus::Closed {
            let ended_at = conversation
                .items
                .last()
                .map_or(conversation.created_at, |i| i.at);
            let reason = WRAP_UP_REASONS[conversation_ids.len() % 3];
            let by = conversation.assignee.map(|a| agent_ids[a]);
            conversations::close(tx, id, Some(reason), None, by, ended_at).await?;
        }
        conversation_ids.push(id);
    }

    // Items of every conversation in time order, so ids grow with time as the live server's do.
    let mut order: Vec<(i64, usize, usize)> = plan
        .iter()
        .enumerate()
        .flat_map(|(c, conversation)| {
            conversation
                .items
                .iter()
                .enumerate()
                .map(move |(i, item)| (item.at, c, i))
        })
        .collect();
    order.sort();
    let mut last_id = vec![MessageId(0); plan.len()];
    let mut last_reply = vec![None::<MessageId>; plan.len()];
    for (at, c, i) in order {
        let conversation_id = conversation_ids[c];
        let id = match &plan[c].items[i].kind {
            PlannedKind::Event { kind, actor, agent } => {
                let event = items::NewEvent {
                    agent: agent.map(|a| agent_ids[a]),
                    ..items::NewEvent::of(*kind, actor.map(|a| agent_ids[a]))
                };
                items::insert_event(tx, conversation_id, event, at)
                    .await?
                    .id
            }
            PlannedKind::Message {
                inbound,
                text,
                status,
                failed,
            } => {
                let direction = if *inbound {
                    Direction::In
                } else {
                    Direction::Out
                };
                let author = plan[c].assignee.filter(|_| !inbound).map(|a| agent_ids[a]);
                let message = items::insert_message(
                    tx,
                    NewMessage {
                        conversation: conversation_id,
                        direction,
                        author,
                        text,
                        client_id: None,
                        status: *status,
                        human_agent: false,
                        template: None,
                        provider_message_id: None,
                        note: false,
                        at_ms: at,
                    },
                )
                .await?;
                if *failed {
                    let failure = failure_for(plan[c].channel);
                    items::set_status(tx, message.id, MessageStatus::Failed, Some(&failure), at)
                        .await?;
                }
                if !inbound {
                    last_reply[c] = Some(message.id);
                }
                message.id
            }
        };
        last_id[c] = id;
    }

    for (c, conversation) in plan.iter().enumerate() {
        for (agent, read_all) in conversation.read_all.iter().enumerate() {
            let up_to = if *read_all {
                Some(last_id[c])
            } else if conversation.assignee == Some(agent) {
                last_reply[c]
            } else {
                None
            };
            if let Some(up_to) = up_to {
                read_state::mark(tx, agent_ids[agent], conversation_ids[c], up_to).await?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_has_a_queue_open_work_for_each_agent_and_a_history() {
        let plan = plan(&mut StdRng::seed_from_u64(1), 1_800_000_000_000);
        let open_unassigned = plan
            .iter()
            .filter(|c| c.status == ConversationStatus::Open && c.assignee.is_none())
            .count();
        let ana = plan
            .iter()
            .filter(|c| c.status == ConversationStatus::Open && c.assignee == Some(0))
            .count();
        let closed = plan
            .iter()
            .filter(|c| c.status == ConversationStatus::Closed)
            .count();
        assert_eq!(open_unassigned, UNASSIGNED_OPEN);
        assert_eq!(ana, OPEN_PER_AGENT);
        assert_eq!(closed, CONVERSATIONS - UNASSIGNED_OPEN - 2 * OPEN_PER_AGENT);
        for channel in Channel::ALL {
            assert!(
                plan.iter().any(|c| c.channel == channel),
                "no demo conversation on {channel}"
            );
        }
    }

    #[test]
    fn some_whatsapp_windows_close_within_two_hours_and_others_are_closed() {
        let now = 1_800_000_000_000;
        let plan = plan(&mut StdRng::seed_from_u64(3), now);
        let last_inbound = |c: &PlannedConversation| {
            c.items
                .iter()
                .filter(|i| matches!(i.kind, PlannedKind::Message { inbound: true, .. }))
                .map(|i| i.at)
                .max()
        };
        let open_whatsapp: Vec<i64> = plan
            .iter()
            .filter(|c| c.channel == Channel::Whatsapp && c.status == ConversationStatus::Open)
            .filter_map(last_inbound)
            .map(|at| at + 24 * HOUR - now)
            .collect();
        assert!(
            open_whatsapp
                .iter()
                .any(|left| (0..2 * HOUR).contains(left)),
            "closing soon: {open_whatsapp:?}"
        );
        assert!(
            open_whatsapp.iter().any(|left| *left <= 0),
            "already closed"
        );
    }

    #[test]
    fn every_planned_thread_is_in_time_order_and_in_the_past() {
        let now = 1_800_000_000_000;
        for conversation in plan(&mut StdRng::seed_from_u64(2), now) {
            let times: Vec<i64> = conversation.items.iter().map(|i| i.at).collect();
            assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");
            assert!(times.iter().all(|t| *t < now));
        }
    }
}
