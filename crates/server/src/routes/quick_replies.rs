//! `/api/v1/quick-replies`: the saved replies an agent may use, and changing them.

use super::extract::{Json, Path};
use crate::AppState;
use crate::auth::CurrentAgent;
use crate::error::{AppError, AppResult};
use crate::store::{inboxes, quick_replies};
use axum::extract::State;
use axum::http::StatusCode;
use switchboard_protocol::QuickReplyId;
use switchboard_protocol::quick_replies::{
    Invalid, MAX_BODY_CHARS, MAX_SHORTCUT_CHARS, MAX_TITLE_CHARS, QuickReply, SaveQuickReply,
};

/// `GET`: mine and my inboxes', by shortcut.
pub async fn list(
    State(state): State<AppState>,
    current: CurrentAgent,
) -> AppResult<axum::Json<Vec<QuickReply>>> {
    let mut conn = state.db.pool().acquire().await?;
    Ok(axum::Json(
        quick_replies::visible_to(&mut conn, current.agent.id).await?,
    ))
}

/// `POST`: a new one, personal or shared with an inbox I am in.
pub async fn create(
    State(state): State<AppState>,
    current: CurrentAgent,
    Json(request): Json<SaveQuickReply>,
) -> AppResult<(StatusCode, axum::Json<QuickReply>)> {
    let reply = checked(request)?;
    let mut tx = state.db.write().await?;
    may_share(&mut tx, &current, &reply).await?;
    let saved = quick_replies::insert(&mut tx, current.agent.id, &reply).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, axum::Json(saved)))
}

/// `PUT /{id}`: changes one I may see.
pub async fn update(
    State(state): State<AppState>,
    current: CurrentAgent,
    Path(id): Path<QuickReplyId>,
    Json(request): Json<SaveQuickReply>,
) -> AppResult<axum::Json<QuickReply>> {
    let reply = checked(request)?;
    let mut tx = state.db.write().await?;
    may_share(&mut tx, &current, &reply).await?;
    let saved = quick_replies::update(&mut tx, current.agent.id, id, &reply).await?;
    tx.commit().await?;
    Ok(axum::Json(saved))
}

/// `DELETE /{id}`.
pub async fn delete(
    State(state): State<AppState>,
    current: CurrentAgent,
    Path(id): Path<QuickReplyId>,
) -> AppResult<StatusCode> {
    let mut tx = state.db.write().await?;
    quick_replies::delete(&mut tx, current.agent.id, id).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn may_share(
    conn: &mut sqlx::SqliteConnection,
    current: &CurrentAgent,
    reply: &SaveQuickReply,
) -> AppResult<()> {
    match reply.inbox_id {
        Some(inbox) if !inboxes::is_member(conn, current.agent.id, inbox).await? => {
            Err(AppError::not_found("inbox"))
        }
        _ => Ok(()),
    }
}

fn checked(request: SaveQuickReply) -> AppResult<SaveQuickReply> {
    let reply = request.normalized();
    reply.check().map_err(|invalid| {
        AppError::unprocessable(
            switchboard_protocol::ErrorCode::InvalidRequest,
            match invalid {
                Invalid::ShortcutEmpty => "Give the quick reply a shortcut.".to_owned(),
                Invalid::ShortcutCharacters => {
                    "A shortcut is one word: letters, digits, - and _.".to_owned()
                }
                Invalid::ShortcutTooLong => {
                    format!("A shortcut can be at most {MAX_SHORTCUT_CHARS} characters long.")
                }
                Invalid::TitleEmpty => "Give the quick reply a title.".to_owned(),
                Invalid::TitleTooLong => {
                    format!("A title can be at most {MAX_TITLE_CHARS} characters long.")
                }
                Invalid::BodyEmpty => "Write the text of the quick reply.".to_owned(),
                Invalid::BodyTooLong => {
                    format!("A quick reply can be at most {MAX_BODY_CHARS} characters long.")
                }
                Invalid::UnknownVariable => format!(
                    "Only these variables can be filled in: {}.",
                    switchboard_protocol::variables::KNOWN
                        .map(|v| format!("{{{{{v}}}}}"))
                        .join(", ")
                ),
            },
        )
    })?;
    Ok(reply)
}
