//! Teams (queues): a named group of agents serving some inboxes, with optional routing.

use crate::error::{AppError, AppResult};
use axum::http::StatusCode;
use sqlx::SqliteConnection;
use switchboard_protocol::{AgentId, ErrorCode, InboxId, Routing, Team, TeamId};

type TeamRow = (i64, String, bool, i64, i64);

async fn complete(conn: &mut SqliteConnection, row: TeamRow) -> AppResult<Team> {
    let (id, name, routing, capacity, offer_timeout_secs) = row;
    let members: Vec<(i64,)> =
        sqlx::query_as("SELECT agent_id FROM team_members WHERE team_id = ?1 ORDER BY agent_id")
            .bind(id)
            .fetch_all(&mut *conn)
            .await?;
    let inboxes: Vec<(i64,)> =
        sqlx::query_as("SELECT inbox_id FROM team_inboxes WHERE team_id = ?1 ORDER BY inbox_id")
            .bind(id)
            .fetch_all(conn)
            .await?;
    Ok(Team {
        id: TeamId(id),
        name,
        members: members.into_iter().map(|(a,)| AgentId(a)).collect(),
        inboxes: inboxes.into_iter().map(|(i,)| InboxId(i)).collect(),
        routing: routing.then(|| Routing {
            capacity: u32::try_from(capacity).unwrap_or(0),
            offer_timeout_secs: u32::try_from(offer_timeout_secs).unwrap_or(0),
        }),
    })
}

/// Every team, by name.
pub async fn all(conn: &mut SqliteConnection) -> AppResult<Vec<Team>> {
    let rows: Vec<TeamRow> = sqlx::query_as(
        "SELECT id, name, routing, capacity, offer_timeout_secs FROM teams ORDER BY name COLLATE NOCASE",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut teams = Vec::with_capacity(rows.len());
    for row in rows {
        teams.push(complete(conn, row).await?);
    }
    Ok(teams)
}

pub async fn get(conn: &mut SqliteConnection, id: TeamId) -> AppResult<Option<Team>> {
    let row: Option<TeamRow> = sqlx::query_as(
        "SELECT id, name, routing, capacity, offer_timeout_secs FROM teams WHERE id = ?1",
    )
    .bind(id.0)
    .fetch_optional(&mut *conn)
    .await?;
    match row {
        Some(row) => Ok(Some(complete(conn, row).await?)),
        None => Ok(None),
    }
}

/// The team serving an inbox, if any.
pub async fn serving(conn: &mut SqliteConnection, inbox: InboxId) -> AppResult<Option<TeamId>> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT team_id FROM team_inboxes WHERE inbox_id = ?1")
            .bind(inbox.0)
            .fetch_optional(conn)
            .await?;
    Ok(row.map(|(id,)| TeamId(id)))
}

/// The teams an agent is a member of.
pub async fn of_agent(conn: &mut SqliteConnection, agent: AgentId) -> AppResult<Vec<TeamId>> {
    let rows: Vec<(i64,)> = sqlx::query_as("SELECT team_id FROM team_members WHERE agent_id = ?1")
        .bind(agent.0)
        .fetch_all(conn)
        .await?;
    Ok(rows.into_iter().map(|(id,)| TeamId(id)).collect())
}

fn name_taken() -> AppError {
    AppError::new(
        StatusCode::CONFLICT,
        ErrorCode::NameTaken,
        "Another team already has this name.",
    )
}

fn is_unique_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(db) if db.is_unique_violation())
}

/// Creates or rewrites a team (`id`: the one to rewrite). Its inboxes leave any other team.
pub async fn save(
    conn: &mut SqliteConnection,
    id: Option<TeamId>,
    name: &str,
    members: &[AgentId],
    inboxes: &[InboxId],
    routing: Option<Routing>,
) -> AppResult<TeamId> {
    // The same agent or inbox twice is once.
    let mut members = members.to_vec();
    members.sort();
    members.dedup();
    let mut inboxes = inboxes.to_vec();
    inboxes.sort();
    inboxes.dedup();
    let (members, inboxes) = (&members[..], &inboxes[..]);
    let (capacity, timeout) = routing.map_or((5, 120), |r| {
        (i64::from(r.capacity), i64::from(r.offer_timeout_secs))
    });
    let saved = match id {
        None => sqlx::query_as::<_, (i64,)>(
            "INSERT INTO teams (name, routing, capacity, offer_timeout_secs, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
        )
        .bind(name)
        .bind(routing.is_some())
        .bind(capacity)
        .bind(timeout)
        .bind(crate::db::now_ms())
        .fetch_one(&mut *conn)
        .await
        .map(|(id,)| TeamId(id)),
        Some(id) => sqlx::query(
            "UPDATE teams SET name = ?2, routing = ?3, capacity = ?4, offer_timeout_secs = ?5 WHERE id = ?1",
        )
        .bind(id.0)
        .bind(name)
        .bind(routing.is_some())
        .bind(capacity)
        .bind(timeout)
        .execute(&mut *conn)
        .await
        .map(|_| id),
    };
    let id = saved.map_err(|e| {
        if is_unique_violation(&e) {
            name_taken()
        } else {
            e.into()
        }
    })?;
    // Only who left is taken out: each membership that changes moves that agent's counts.
    sqlx::query(
        "DELETE FROM team_members WHERE team_id = ?1 AND agent_id NOT IN (SELECT value FROM json_each(?2))",
    )
    .bind(id.0)
    .bind(serde_json::to_string(&members.iter().map(|a| a.0).collect::<Vec<_>>()).unwrap_or_default())
    .execute(&mut *conn)
    .await?;
    for member in members {
        sqlx::query("INSERT OR IGNORE INTO team_members (team_id, agent_id) VALUES (?1, ?2)")
            .bind(id.0)
            .bind(member.0)
            .execute(&mut *conn)
            .await?;
    }
    sqlx::query("DELETE FROM team_inboxes WHERE team_id = ?1 OR inbox_id IN (SELECT value FROM json_each(?2))")
        .bind(id.0)
        .bind(serde_json::to_string(&inboxes.iter().map(|i| i.0).collect::<Vec<_>>()).unwrap_or_default())
        .execute(&mut *conn)
        .await?;
    for inbox in inboxes {
        sqlx::query("INSERT INTO team_inboxes (team_id, inbox_id) VALUES (?1, ?2)")
            .bind(id.0)
            .bind(inbox.0)
            .execute(&mut *conn)
            .await?;
    }
    Ok(id)
}

/// Deletes a team; its conversations stay, out of any team's queue (and any routing offer of
/// its stands as an assignment). Whether it existed.
pub async fn delete(conn: &mut SqliteConnection, id: TeamId) -> AppResult<bool> {
    sqlx::query("UPDATE conversations SET offered_at = NULL WHERE team_id = ?1")
        .bind(id.0)
        .execute(&mut *conn)
        .await?;
    let done = sqlx::query("DELETE FROM teams WHERE id = ?1")
        .bind(id.0)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Routing's next pick in a team: the member after the one offered last, round the circle,
/// among `eligible` (in id order).
pub fn next_in_turn(eligible: &[AgentId], last: Option<AgentId>) -> Option<AgentId> {
    let after = last.and_then(|last| eligible.iter().find(|a| **a > last));
    after.or(eligible.first()).copied()
}

pub async fn last_offered_to(
    conn: &mut SqliteConnection,
    id: TeamId,
) -> AppResult<Option<AgentId>> {
    let row: Option<(Option<i64>,)> =
        sqlx::query_as("SELECT last_offered_to FROM teams WHERE id = ?1")
            .bind(id.0)
            .fetch_optional(conn)
            .await?;
    Ok(row.and_then(|(a,)| a).map(AgentId))
}

pub async fn set_last_offered_to(
    conn: &mut SqliteConnection,
    id: TeamId,
    agent: AgentId,
) -> AppResult<()> {
    sqlx::query("UPDATE teams SET last_offered_to = ?2 WHERE id = ?1")
        .bind(id.0)
        .bind(agent.0)
        .execute(conn)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn turns_go_round_the_circle_of_whoever_is_free() {
        let free = [AgentId(2), AgentId(5), AgentId(9)];
        assert_eq!(next_in_turn(&free, None), Some(AgentId(2)));
        assert_eq!(next_in_turn(&free, Some(AgentId(2))), Some(AgentId(5)));
        assert_eq!(next_in_turn(&free, Some(AgentId(6))), Some(AgentId(9)));
        assert_eq!(next_in_turn(&free, Some(AgentId(9))), Some(AgentId(2)));
        assert_eq!(next_in_turn(&[], Some(AgentId(9))), None);
    }
}
