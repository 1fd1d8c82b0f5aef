//! What shapes the workspace: each agent's availability (theirs to set), and, for admins,
//! the teams and the wrap-up reasons. Every change tells everyone (`workspace.changed`, or
//! the agent's new status), and team changes recount everyone, since a team gives sight.

use super::extract::{Json, Path};
use crate::AppState;
use crate::auth::CurrentAgent;
use crate::error::{AppError, AppResult};
use crate::store::events::{self, Audience};
use crate::store::{agents, teams, wrap_up};
use crate::workflow::{self, routing};
use axum::extract::State;
use axum::http::StatusCode;
use sqlx::SqliteConnection;
use switchboard_protocol::api::{SaveTeam, SaveWrapUpReason, SetAvailability};
use switchboard_protocol::{
    AgentStatus, Availability, EventBody, Team, TeamId, WrapUpReason, WrapUpReasonId,
};

const MAX_NAME: usize = 80;
/// Reasons change no one's sight: the lists stay.
const REASONS_CHANGED: EventBody = EventBody::WorkspaceChanged { sight: false };

/// `PUT /api/v1/me/availability`: Available or Away.
pub async fn set_availability(
    State(state): State<AppState>,
    current: CurrentAgent,
    Json(request): Json<SetAvailability>,
) -> AppResult<axum::Json<AgentStatus>> {
    let available = match request.availability {
        Availability::Available => true,
        Availability::Away => false,
        Availability::Offline => {
            return Err(AppError::invalid(
                "Choose available or away: offline is having no app open.",
            ));
        }
    };
    let me = current.agent.id;
    let mut tx = state.db.write().await?;
    let was = agents::chose_available(&mut tx, me).await?;
    if was != available {
        agents::set_chose_available(&mut tx, me, available).await?;
        workflow::publish_status(&mut tx, &state.presence, me).await?;
    }
    let status = workflow::status_of(&mut tx, &state.presence, me).await?;
    tx.commit().await?;
    if available && !was {
        routing::hand_out(&state, me).await?;
    }
    Ok(axum::Json(status))
}

async fn require_admin(conn: &mut SqliteConnection, current: &CurrentAgent) -> AppResult<()> {
    if agents::is_admin(conn, current.agent.id).await? {
        Ok(())
    } else {
        Err(AppError::forbidden(
            "Only an admin can change teams and wrap-up reasons.",
        ))
    }
}

fn name(text: &str, what: &str) -> AppResult<String> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > MAX_NAME {
        return Err(AppError::invalid(format!(
            "A {what} needs a name of 1 to {MAX_NAME} characters."
        )));
    }
    Ok(text.to_owned())
}

/// Tells everyone the workspace changed, with everyone's counts (a team gives sight).
async fn changed(tx: &mut crate::db::WriteTx) -> AppResult<()> {
    events::append(
        tx,
        Audience::Everyone,
        &EventBody::WorkspaceChanged { sight: true },
    )
    .await?;
    let people: Vec<(i64,)> = sqlx::query_as("SELECT id FROM agents WHERE kind = 'human'")
        .fetch_all(&mut **tx)
        .await?;
    let people: Vec<_> = people
        .into_iter()
        .map(|(agent,)| switchboard_protocol::AgentId(agent))
        .collect();
    workflow::publish_counts(tx, &people, &[]).await
}

/// `GET /api/v1/teams`
pub async fn list_teams(
    State(state): State<AppState>,
    _current: CurrentAgent,
) -> AppResult<axum::Json<Vec<Team>>> {
    let mut conn = state.db.pool().acquire().await?;
    Ok(axum::Json(teams::all(&mut conn).await?))
}

async fn save_team(
    state: &AppState,
    current: &CurrentAgent,
    id: Option<TeamId>,
    request: SaveTeam,
) -> AppResult<Team> {
    let team_name = name(&request.name, "team")?;
    if let Some(routing) = request.routing
        && (!(1..=100).contains(&routing.capacity)
            || !(10..=3600).contains(&routing.offer_timeout_secs))
    {
        return Err(AppError::invalid(
            "Routing takes a capacity of 1 to 100 and an offer time of 10 to 3600 seconds.",
        ));
    }
    let mut tx = state.db.write().await?;
    require_admin(&mut tx, current).await?;
    if let Some(id) = id
        && teams::get(&mut tx, id).await?.is_none()
    {
        return Err(AppError::not_found("team"));
    }
    for member in &request.members {
        if !agents::is_human(&mut tx, *member).await? {
            return Err(AppError::invalid(format!("There is no agent {member}.")));
        }
    }
    let known = crate::store::inboxes::all(&mut tx).await?;
    if let Some(unknown) = request
        .inboxes
        .iter()
        .find(|inbox| !known.iter().any(|(k, _)| k.id == **inbox))
    {
        return Err(AppError::invalid(format!("There is no inbox {unknown}.")));
    }
    let id = teams::save(
        &mut tx,
        id,
        &team_name,
        &request.members,
        &request.inboxes,
        request.routing,
    )
    .await?;
    let team = teams::get(&mut tx, id)
        .await?
        .ok_or_else(|| AppError::internal("a saved team vanished"))?;
    changed(&mut tx).await?;
    tx.commit().await?;
    Ok(team)
}

/// `POST /api/v1/teams` (admins)
pub async fn create_team(
    State(state): State<AppState>,
    current: CurrentAgent,
    Json(request): Json<SaveTeam>,
) -> AppResult<(StatusCode, axum::Json<Team>)> {
    let team = save_team(&state, &current, None, request).await?;
    Ok((StatusCode::CREATED, axum::Json(team)))
}

/// `PUT /api/v1/teams/{id}` (admins)
pub async fn update_team(
    State(state): State<AppState>,
    current: CurrentAgent,
    Path(id): Path<TeamId>,
    Json(request): Json<SaveTeam>,
) -> AppResult<axum::Json<Team>> {
    let routed = request.routing.is_some();
    let team = save_team(&state, &current, Some(id), request).await?;
    if routed {
        // What waits in the queue goes to whoever is free now.
        for member in &team.members {
            routing::hand_out(&state, *member).await?;
        }
    }
    Ok(axum::Json(team))
}

/// `DELETE /api/v1/teams/{id}` (admins): its conversations stay, out of any queue.
pub async fn delete_team(
    State(state): State<AppState>,
    current: CurrentAgent,
    Path(id): Path<TeamId>,
) -> AppResult<StatusCode> {
    let mut tx = state.db.write().await?;
    require_admin(&mut tx, &current).await?;
    if !teams::delete(&mut tx, id).await? {
        return Err(AppError::not_found("team"));
    }
    changed(&mut tx).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /api/v1/wrap-up-reasons`
pub async fn list_reasons(
    State(state): State<AppState>,
    _current: CurrentAgent,
) -> AppResult<axum::Json<Vec<WrapUpReason>>> {
    let mut conn = state.db.pool().acquire().await?;
    Ok(axum::Json(wrap_up::all(&mut conn).await?))
}

/// `POST /api/v1/wrap-up-reasons` (admins)
pub async fn create_reason(
    State(state): State<AppState>,
    current: CurrentAgent,
    Json(request): Json<SaveWrapUpReason>,
) -> AppResult<(StatusCode, axum::Json<WrapUpReason>)> {
    let label = name(&request.label, "wrap-up reason")?;
    let mut tx = state.db.write().await?;
    require_admin(&mut tx, &current).await?;
    let reason = wrap_up::insert(&mut tx, &label).await?;
    events::append(&mut tx, Audience::Everyone, &REASONS_CHANGED).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, axum::Json(reason)))
}

/// `PUT /api/v1/wrap-up-reasons/{id}` (admins)
pub async fn rename_reason(
    State(state): State<AppState>,
    current: CurrentAgent,
    Path(id): Path<WrapUpReasonId>,
    Json(request): Json<SaveWrapUpReason>,
) -> AppResult<axum::Json<WrapUpReason>> {
    let label = name(&request.label, "wrap-up reason")?;
    let mut tx = state.db.write().await?;
    require_admin(&mut tx, &current).await?;
    if !wrap_up::rename(&mut tx, id, &label).await? {
        return Err(AppError::not_found("wrap-up reason"));
    }
    events::append(&mut tx, Audience::Everyone, &REASONS_CHANGED).await?;
    tx.commit().await?;
    Ok(axum::Json(WrapUpReason { id, label }))
}

/// `DELETE /api/v1/wrap-up-reasons/{id}` (admins): closed conversations keep their label.
pub async fn delete_reason(
    State(state): State<AppState>,
    current: CurrentAgent,
    Path(id): Path<WrapUpReasonId>,
) -> AppResult<StatusCode> {
    let mut tx = state.db.write().await?;
    require_admin(&mut tx, &current).await?;
    if !wrap_up::delete(&mut tx, id).await? {
        return Err(AppError::not_found("wrap-up reason"));
    }
    events::append(&mut tx, Audience::Everyone, &REASONS_CHANGED).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
