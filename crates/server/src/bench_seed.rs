//! A large workspace for benchmarks (`switchboard-server seed-bench`), written straight to
//! SQLite in one transaction: agents, WhatsApp sandbox inboxes, and conversations with one
//! customer message each (varied Spanish words, for search). Only an operator on the machine can run it, and only on a database
//! with no agents yet, so it never adds accounts to a real workspace. Its agents have no
//! password: the load generator uses the session tokens it hands back.

use crate::db::{Db, now_ms};
use crate::error::{AppError, AppResult};
use crate::store::{inboxes, sessions};
use std::time::Duration;
use switchboard_protocol::{AgentId, Channel, InboxId};

/// Inboxes of the benchmark workspace; each agent belongs to one of them.
pub const INBOXES: usize = 10;
/// The first agents belong to every inbox (supervisors): each message reaches them too.
pub const SUPERVISORS: usize = 5;

/// Words of the customers' messages (each in about one message in ten, as four of these 40
/// make a message; picked by `i / 10`, so every inbox, `i % 10`, has each word) and parts of
/// their names: Spanish, accents included, for search to chew on.
const WORDS: &str = r#"["pedido","camión","factura","reembolso","envío","dirección","contraseña",
  "teléfono","número","talla","devolución","tarjeta","pago","descuento","cupón","entrega",
  "retraso","almacén","tienda","catálogo","garantía","reparación","pantalla","batería",
  "cargador","móvil","cuenta","suscripción","renovación","cancelación","horario","ubicación",
  "recogida","paquete","seguimiento","transportista","aduana","caja","etiqueta","regalo"]"#;
const FIRST_NAMES: &str = r#"["José","María","Begoña","Íñigo","Zuriñe","Ramón","Lucía",
  "Andrés","Nuria","Óscar","Inés","Julián","Sofía","Adrián","Ángela","Tomás","Elena","Rubén",
  "Marta","Raúl"]"#;
const LAST_NAMES: &str = r#"["García","Núñez","Ibáñez","López","Martínez","Pérez","Gómez",
  "Sánchez","Díaz","Muñoz","Jiménez","Ruiz","Hernández","Álvarez","Romero","Navarro","Gutiérrez",
  "Torres","Domínguez","Vázquez"]"#;

/// An agent of the benchmark workspace, with a session to use.
pub struct BenchAgent {
    pub id: AgentId,
    /// The inbox their customers write to (a supervisor's: the first).
    pub inbox: InboxId,
    pub token: String,
}

/// Seeds `agents` agents and `conversations` conversations (60% closed; of the open ones
/// three quarters assigned to a member of their inbox, one in ten of those snoozed).
pub async fn seed(db: &Db, agents: u32, conversations: u32) -> AppResult<Vec<BenchAgent>> {
    if (agents as usize) < INBOXES {
        return Err(AppError::invalid(format!(
            "seed-bench needs at least {INBOXES} agents (one per inbox)"
        )));
    }
    let mut tx = db.write().await?;
    let (existing,): (i64,) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM agents) + (SELECT COUNT(*) FROM conversations)",
    )
    .fetch_one(&mut *tx)
    .await?;
    if existing > 0 {
        return Err(AppError::invalid(
            "seed-bench only seeds an empty database: pass a new --data-dir (and run the server with --no-demo)",
        ));
    }
    let now = now_ms();
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
         INSERT INTO agents (id, email, name, kind, created_at)
         SELECT i, 'bench-' || i || '@example.com', 'Agente ' || i, 'human', ?2 FROM n",
    )
    .bind(agents)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let mut inbox_ids = Vec::with_capacity(INBOXES);
    for n in 0..INBOXES {
        let address = format!("+34 910 100 {n:03}");
        inbox_ids.push(
            inboxes::insert(
                &mut tx,
                Channel::Whatsapp,
                &format!("WhatsApp {n}"),
                &address,
            )
            .await?,
        );
    }
    // Agent i (from 1) belongs to inbox (i - 1) % INBOXES; supervisors to all. Inbox ids are
    // 1..=INBOXES in a new database.
    sqlx::query(
        "INSERT INTO inbox_members (inbox_id, agent_id)
         SELECT i.id, a.id FROM agents a JOIN inboxes i
         WHERE (a.id - 1) % ?1 = i.id - 1 OR a.id <= ?2",
    )
    .bind(INBOXES as i64)
    .bind(SUPERVISORS as i64)
    .execute(&mut *tx)
    .await?;
    // Conversation i is in inbox i % INBOXES, with contact i and item i (its customer message),
    // active one second after the one before, up to now.
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
         INSERT INTO contacts (id, channel, handle, name, created_at)
         SELECT i, 'whatsapp', '+347' || printf('%08d', i),
                json_extract(?3, '$[' || ((i * 31) % 20) || ']') || ' '
                    || json_extract(?4, '$[' || ((i * 17) % 20) || ']'),
                ?2
         FROM n",
    )
    .bind(conversations)
    .bind(now)
    .bind(FIRST_NAMES)
    .bind(LAST_NAMES)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1),
         shaped AS (
            SELECT i, i % ?3 + 1 AS inbox, (i * 7919) % 10 < 6 AS closed,
                   -- a member of its inbox: agent inbox + INBOXES * k
                   CASE WHEN (i * 7919) % 10 >= 6 AND (i * 104729) % 4 <> 0
                        THEN i % ?3 + 1 + ?3 * ((i / ?3) % (?4 / ?3)) END AS assignee,
                   ?2 - (?1 - i) * 1000 AS at,
                   'Hola, ' || json_extract(?5, '$[' || ((i / 10 * 7) % 40) || ']') || ' y '
                       || json_extract(?5, '$[' || ((i / 10 * 13 + 3) % 40) || ']') || ', '
                       || json_extract(?5, '$[' || ((i / 10 * 29 + 11) % 40) || ']') || ' '
                       || json_extract(?5, '$[' || ((i / 10 * 37 + 23) % 40) || ']') || ' ' || i
                       AS text
            FROM n)
         INSERT INTO conversations (id, inbox_id, contact_id, status, assignee_id, last_message_id,
             last_message_direction, last_message_preview, last_message_at, last_inbound_id,
             last_inbound_at, last_activity_at, created_at, snoozed_until, closed_at)
         SELECT i, inbox, i, CASE WHEN closed THEN 'closed' ELSE 'open' END, assignee, i, 'in',
                text, at, i, at, at, at,
                CASE WHEN assignee IS NOT NULL AND (i * 15485863) % 10 = 3 THEN ?2 + 86400000 END,
                CASE WHEN closed THEN at END
         FROM shaped",
    )
    .bind(conversations)
    .bind(now)
    .bind(INBOXES as i64)
    .bind(i64::from(agents))
    .bind(WORDS)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO items (id, conversation_id, kind, direction, text, created_at)
         SELECT id, id, 'message', 'in', last_message_preview, last_message_at FROM conversations",
    )
    .execute(&mut *tx)
    .await?;
    let mut seeded = Vec::with_capacity(agents as usize);
    for id in 1..=i64::from(agents) {
        let index = usize::try_from(id - 1).unwrap_or_default();
        let inbox = if index < SUPERVISORS {
            inbox_ids[0]
        } else {
            inbox_ids[index % INBOXES]
        };
        let token =
            sessions::create(&mut tx, AgentId(id), Duration::from_secs(30 * 86_400)).await?;
        seeded.push(BenchAgent {
            id: AgentId(id),
            inbox,
            token,
        });
    }
    tx.commit().await?;
    Ok(seeded)
}
