use super::extract::{Json, Path, Query};
use crate::AppState;
use crate::auth::CurrentAgent;
use crate::error::{AppError, AppResult};
use crate::store::conversations::Cursor;
use crate::store::{conversations, events, items};
use crate::workflow::{assign, read, reply, retry};
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use switchboard_protocol::api::{
    Assign, ConversationEntry, ConversationPage, ConversationSnapshot, MarkRead, SendMessage,
    ThreadPage,
};
use switchboard_protocol::feed::ConversationUnread;
use switchboard_protocol::{ConversationId, Message, MessageId, View};

const DEFAULT_PAGE: u32 = 50;
const MAX_PAGE: u32 = 200;

fn page_size(limit: Option<u32>) -> AppResult<u32> {
    match limit {
        None => Ok(DEFAULT_PAGE),
        Some(n @ 1..=MAX_PAGE) => Ok(n),
        Some(_) => Err(AppError::invalid(format!(
            "`limit` must be between 1 and {MAX_PAGE}."
        ))),
    }
}

#[derive(Deserialize)]
pub struct ListQuery {
    view: String,
    cursor: Option<String>,
    limit: Option<u32>,
}

/// `GET /api/v1/conversations?view=unassigned|mine|all|closed`
pub async fn list(
    State(state): State<AppState>,
    current: CurrentAgent,
    Query(query): Query<ListQuery>,
) -> AppResult<axum::Json<ConversationPage>> {
    let view: View = query.view.parse().map_err(|()| {
        AppError::invalid(format!(
            "Unknown view `{}`: use unassigned, mine, all or closed.",
            query.view
        ))
    })?;
    let cursor = match query.cursor.as_deref() {
        None | Some("") => Cursor::START,
        Some(text) => {
            Cursor::decode(text).ok_or_else(|| AppError::invalid("The `cursor` is not valid."))?
        }
    };
    let limit = page_size(query.limit)?;
    let mut snapshot = state.db.snapshot().await?;
    let seq = events::head(&mut snapshot).await?;
    let (items, next) =
        conversations::list(&mut snapshot, current.agent.id, view, cursor, limit).await?;
    snapshot.commit().await?;
    Ok(axum::Json(ConversationPage {
        items,
        next_cursor: next.map(Cursor::encode),
        seq,
    }))
}

/// `GET /api/v1/conversations/{id}`
pub async fn get(
    State(state): State<AppState>,
    current: CurrentAgent,
    Path(id): Path<ConversationId>,
) -> AppResult<axum::Json<ConversationSnapshot>> {
    let mut snapshot = state.db.snapshot().await?;
    let seq = events::head(&mut snapshot).await?;
    let entry = conversations::visible(&mut snapshot, current.agent.id, id).await?;
    snapshot.commit().await?;
    Ok(axum::Json(ConversationSnapshot { entry, seq }))
}

#[derive(Deserialize)]
pub struct ThreadQuery {
    before: Option<MessageId>,
    limit: Option<u32>,
}

/// `GET /api/v1/conversations/{id}/messages?before=...`
pub async fn messages(
    State(state): State<AppState>,
    current: CurrentAgent,
    Path(id): Path<ConversationId>,
    Query(query): Query<ThreadQuery>,
) -> AppResult<axum::Json<ThreadPage>> {
    let limit = page_size(query.limit)?;
    let mut snapshot = state.db.snapshot().await?;
    conversations::visible(&mut snapshot, current.agent.id, id).await?;
    let seq = events::head(&mut snapshot).await?;
    let (items, before) = items::page(&mut snapshot, id, query.before, limit).await?;
    snapshot.commit().await?;
    Ok(axum::Json(ThreadPage { items, before, seq }))
}

/// `POST /api/v1/conversations/{id}/messages`: 201 when stored now, 200 for a retry.
pub async fn send(
    State(state): State<AppState>,
    current: CurrentAgent,
    Path(id): Path<ConversationId>,
    Json(request): Json<SendMessage>,
) -> AppResult<(StatusCode, axum::Json<Message>)> {
    let (message, created) = reply::send(&state, &current.agent, id, request).await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, axum::Json(message)))
}

/// `POST /api/v1/conversations/{id}/messages/{message}/retry`: sends a failed message again.
pub async fn retry(
    State(state): State<AppState>,
    current: CurrentAgent,
    Path((id, message)): Path<(ConversationId, MessageId)>,
) -> AppResult<axum::Json<Message>> {
    Ok(axum::Json(
        retry::retry(&state, &current.agent, id, message).await?,
    ))
}

/// `POST /api/v1/conversations/{id}/read`
pub async fn read(
    State(state): State<AppState>,
    current: CurrentAgent,
    Path(id): Path<ConversationId>,
    Json(request): Json<MarkRead>,
) -> AppResult<axum::Json<ConversationUnread>> {
    Ok(axum::Json(
        read::mark(&state.db, &current.agent, id, request.up_to).await?,
    ))
}

/// `POST /api/v1/conversations/{id}/assign`
pub async fn assign(
    State(state): State<AppState>,
    current: CurrentAgent,
    Path(id): Path<ConversationId>,
    Json(request): Json<Assign>,
) -> AppResult<axum::Json<ConversationEntry>> {
    Ok(axum::Json(
        assign::assign(&state.db, &current.agent, id, request.agent_id).await?,
    ))
}
