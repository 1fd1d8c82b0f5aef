use super::extract::Json;
use crate::AppState;
use crate::auth::CurrentAgent;
use crate::error::{AppError, AppResult};
use crate::store::inboxes;
use crate::workflow::inbound::{self, Inbound};
use crate::workflow::reply::check_text;
use axum::extract::State;
use axum::http::StatusCode;
use switchboard_protocol::api::{InboundReceived, SandboxInbound};

const MAX_NAME: usize = 200;

/// `POST /api/v1/sandbox/inbound`: a customer writes to the sandbox inbox of a channel.
pub async fn inbound(
    State(state): State<AppState>,
    current: CurrentAgent,
    Json(request): Json<SandboxInbound>,
) -> AppResult<(StatusCode, axum::Json<InboundReceived>)> {
    let channel = request.channel;
    let from = channel.normalize_handle(&request.from).ok_or_else(|| {
        AppError::invalid(format!(
            "`from` is not a valid {} address for a customer.",
            channel.display_name()
        ))
    })?;
    let name = request
        .name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty());
    if name.is_some_and(|n| n.chars().count() > MAX_NAME) {
        return Err(AppError::invalid(format!(
            "`name` can be at most {MAX_NAME} characters."
        )));
    }
    check_text(channel, &request.text)?;
    let now = chrono::Utc::now();
    let sent_at = request.at.unwrap_or(now);
    if sent_at > now + chrono::Duration::seconds(60) || sent_at < now - chrono::Duration::days(30) {
        return Err(AppError::invalid(
            "`at` must be within the last 30 days and not in the future.",
        ));
    }
    let inbox = inboxes::sandbox_for(
        &mut *state.db.pool().acquire().await?,
        current.agent.id,
        channel,
    )
    .await?
    .ok_or_else(|| AppError::not_found(&format!("{} sandbox inbox", channel.display_name())))?;
    let received = inbound::receive(
        &state.db,
        Inbound {
            inbox: &inbox,
            from: &from,
            name,
            text: request.text.trim(),
            sent_at_ms: sent_at.timestamp_millis().min(now.timestamp_millis()),
            provider_message_id: None,
            subject: None,
            replies_to: None,
        },
    )
    .await?
    .ok_or_else(|| AppError::internal("a sandbox message without a provider id cannot repeat"))?;
    Ok((StatusCode::CREATED, axum::Json(received)))
}
