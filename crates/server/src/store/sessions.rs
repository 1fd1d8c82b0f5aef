//! Opaque, revocable session tokens. The database keeps only their SHA-256.

use crate::error::AppResult;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::SqliteConnection;
use std::time::Duration;
use switchboard_protocol::{Agent, AgentId};

fn hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// Starts a session and returns its token; only this return value ever holds it in clear.
pub async fn create(
    conn: &mut SqliteConnection,
    agent: AgentId,
    ttl: Duration,
) -> AppResult<String> {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let now = crate::db::now_ms();
    let ttl_ms = i64::try_from(ttl.as_millis()).unwrap_or(i64::MAX);
    sqlx::query("INSERT INTO sessions (token_hash, agent_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)")
        .bind(hash(&token))
        .bind(agent.0)
        .bind(now)
        .bind(now.saturating_add(ttl_ms))
        .execute(conn)
        .await?;
    Ok(token)
}

/// The agent a live token belongs to.
pub async fn agent(conn: &mut SqliteConnection, token: &str) -> AppResult<Option<Agent>> {
    // Tokens we issue are 43 characters; anything far longer is not one of ours.
    if token.is_empty() || token.len() > 128 {
        return Ok(None);
    }
    let row: Option<(i64, String, String)> = sqlx::query_as(
        "SELECT a.id, a.name, a.email FROM sessions s JOIN agents a ON a.id = s.agent_id
         WHERE s.token_hash = ?1 AND s.expires_at > ?2",
    )
    .bind(hash(token))
    .bind(crate::db::now_ms())
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(id, name, email)| Agent {
        id: AgentId(id),
        name,
        email,
    }))
}

pub async fn delete(conn: &mut SqliteConnection, token: &str) -> AppResult<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = ?1")
        .bind(hash(token))
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn delete_expired(conn: &mut SqliteConnection) -> AppResult<u64> {
    let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= ?1")
        .bind(crate::db::now_ms())
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}
