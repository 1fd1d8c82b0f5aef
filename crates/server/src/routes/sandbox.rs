use super::extract::Json;
use crate::AppState;
use crate::auth::CurrentAgent;
use crate::error::{AppError, AppResult};
use crate::store::inboxes;
use crate::workflow::inbound::{self, Inbound, IncomingFile};
use crate::workflow::reply::check_text;
use axum::extract::State;
use axum::http::StatusCode;
use switchboard_protocol::api::{InboundFile, InboundReceived, SandboxInbound};

const MAX_NAME: usize = 200;

/// Decodes a customer's files; checking and storing them is `inbound::receive`'s.
fn decode_files(files: &[InboundFile]) -> AppResult<Vec<IncomingFile>> {
    use base64::Engine;
    if files.len() > inbound::MAX_FILES {
        return Err(AppError::invalid(format!(
            "A message can bring at most {} files.",
            inbound::MAX_FILES
        )));
    }
    files
        .iter()
        .map(|file| {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(file.data.trim())
                .map_err(|_| {
                    AppError::invalid("`data` of an attachment is not standard base64.")
                })?;
            Ok(IncomingFile {
                name: file.name.clone(),
                bytes,
            })
        })
        .collect()
}

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
    // A photo may come without a word; otherwise the text is what the channel carries.
    if request.attachments.is_empty() || !request.text.trim().is_empty() {
        check_text(channel, &request.text)?;
    }
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
    let files = decode_files(&request.attachments)?;
    let received = inbound::receive(
        &state,
        Inbound {
            inbox: &inbox,
            from: &from,
            name,
            text: request.text.trim(),
            sent_at_ms: sent_at.timestamp_millis().min(now.timestamp_millis()),
            provider_message_id: None,
            subject: None,
            replies_to: None,
            files,
        },
    )
    .await?
    .ok_or_else(|| AppError::internal("a sandbox message without a provider id cannot repeat"))?;
    Ok((StatusCode::CREATED, axum::Json(received)))
}
