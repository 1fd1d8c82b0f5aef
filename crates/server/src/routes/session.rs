use super::extract::Json;
use crate::AppState;
use crate::auth::{self, CurrentAgent};
use crate::client::ClientNetwork;
use crate::error::{AppError, AppResult};
use crate::login_guard::{self, Verdict};
use crate::store::{self, agents, events, inboxes, sessions};
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use std::time::Instant;
use switchboard_protocol::api::{LoginRequest, Session, Workspace};
use switchboard_protocol::templates::Template;
use switchboard_protocol::{Agent, AgentStatus, ErrorCode, InboxId};

/// `POST /api/v1/session`: email and password in, token (and cookie) out. Guessing is
/// slowed and refused per client and per account (`login_guard`), never for an agent's
/// correct password from a client that has not been failing.
pub async fn login(
    State(state): State<AppState>,
    ClientNetwork(client): ClientNetwork,
    Json(request): Json<LoginRequest>,
) -> AppResult<Response> {
    let email = request.email.trim();
    if email.is_empty() || request.password.is_empty() {
        return Err(AppError::invalid("Enter your email and your password."));
    }
    let credentials = agents::credentials(&mut *state.db.pool().acquire().await?, email).await?;
    let (agent, hash) = match credentials {
        Some(c) => (Some(c.agent), c.password_hash),
        None => (None, None),
    };
    let account = agent.as_ref().map(|a| a.id);
    match state.logins.begin(client, account, Instant::now()) {
        Verdict::Allow => {}
        Verdict::Slow(pause) => tokio::time::sleep(pause).await,
        Verdict::Refuse(wait) => return Err(login_guard::refusal(wait)),
    }
    let verified = auth::verify_password(request.password, hash).await;
    let Some(agent) = agent.filter(|_| verified) else {
        return Err(AppError::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::InvalidCredentials,
            "That email and password do not match an agent.",
        ));
    };
    state.logins.succeeded(client, agent.id);
    let ttl = state.config.session_ttl;
    let mut tx = state.db.write().await?;
    let token = sessions::create(&mut tx, agent.id, ttl).await?;
    tx.commit().await?;
    let cookie = auth::session_cookie(Some(&token), ttl, state.config.secure_cookies);
    Ok((
        [(header::SET_COOKIE, cookie)],
        axum::Json(Session { token, agent }),
    )
        .into_response())
}

/// `GET /api/v1/session`: who am I.
pub async fn me(current: CurrentAgent) -> axum::Json<Agent> {
    axum::Json(current.agent)
}

/// `DELETE /api/v1/session`: ends this session everywhere it is used.
pub async fn logout(State(state): State<AppState>, current: CurrentAgent) -> AppResult<Response> {
    let mut tx = state.db.write().await?;
    sessions::delete(&mut tx, &current.token).await?;
    tx.commit().await?;
    // No feed is listening when nobody is connected; that is fine.
    let _ = state.ended_sessions.send(Arc::from(current.token.as_str()));
    let cookie = auth::session_cookie(None, state.config.session_ttl, state.config.secure_cookies);
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, cookie)]).into_response())
}

/// `GET /api/v1/inboxes/{id}/templates`: the approved templates of an inbox I belong to.
pub async fn templates(
    State(state): State<AppState>,
    current: CurrentAgent,
    super::extract::Path(inbox): super::extract::Path<InboxId>,
) -> AppResult<axum::Json<Vec<Template>>> {
    let mut conn = state.db.pool().acquire().await?;
    if !store::access::sees_inbox(&mut conn, current.agent.id, inbox).await? {
        return Err(AppError::not_found("inbox"));
    }
    Ok(axum::Json(
        store::templates::for_inbox(&mut conn, inbox).await?,
    ))
}

/// `GET /api/v1/workspace`: me, my teammates, my inboxes, the teams, everyone's
/// availability and load, and the wrap-up reasons.
pub async fn workspace(
    State(state): State<AppState>,
    current: CurrentAgent,
) -> AppResult<axum::Json<Workspace>> {
    let mut conn = state.db.snapshot().await?;
    let seq = events::head(&mut conn).await?;
    let admin = agents::is_admin(&mut conn, current.agent.id).await?;
    let statuses = agents::choices_and_loads(&mut conn)
        .await?
        .into_iter()
        .map(|(agent_id, chose_available, load)| AgentStatus {
            agent_id,
            availability: state.presence.availability(agent_id, chose_available),
            load,
        })
        .collect();
    let all_inboxes = if admin {
        inboxes::all(&mut conn)
            .await?
            .into_iter()
            .map(|(inbox, _)| inbox)
            .collect()
    } else {
        Vec::new()
    };
    let mine = inboxes::visible_to(&mut conn, current.agent.id).await?;
    let mut inbox_members = std::collections::BTreeMap::new();
    for inbox in &mine {
        inbox_members.insert(inbox.id, inboxes::human_members(&mut conn, inbox.id).await?);
    }
    let workspace = Workspace {
        admin,
        // An admin puts anyone in a team; others work with whom they share an inbox or a team.
        agents: if admin {
            agents::all_people(&mut conn).await?
        } else {
            agents::teammates(&mut conn, current.agent.id).await?
        },
        inboxes: mine,
        inbox_members,
        all_inboxes,
        teams: store::teams::all(&mut conn).await?,
        statuses,
        wrap_up_reasons: store::wrap_up::all(&mut conn).await?,
        me: current.agent,
        seq,
    };
    conn.commit().await?;
    Ok(axum::Json(workspace))
}

/// `GET /api/v1/emoji`: the emoji picker's table (large, the same for everyone, cached a day).
pub async fn emoji(_current: CurrentAgent) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "private, max-age=86400"),
        ],
        crate::emoji::table_json(),
    )
        .into_response()
}
