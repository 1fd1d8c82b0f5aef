use super::extract::{Json, Path, Query};
use crate::AppState;
use crate::auth::CurrentAgent;
use crate::error::{AppError, AppResult};
use crate::store::conversations::Cursor;
use crate::store::{conversations, events, items};
use crate::workflow::{actions, read, reply, retry, start};
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use switchboard_protocol::api::{
    Act, Assign, Close, ContactMatches, ConversationEntry, ConversationPage, ConversationSnapshot,
    MarkRead, MoveTo, SendMessage, Snooze, StartConversation, Started, ThreadPage, Transfer,
};
use switchboard_protocol::feed::ConversationUnread;
use switchboard_protocol::{Channel, ConversationId, Filter, Message, MessageId, View};

const DEFAULT_PAGE: u32 = 50;
const MAX_PAGE: u32 = 200;

fn page_size(limit: Option<u32>) -> AppResult<u32> {
    super::page_limit(limit, DEFAULT_PAGE, MAX_PAGE)
}

/// A parameter the list does not know (`q`: searching is `/api/v1/search`) is refused, not
/// ignored: a caller must not take an unfiltered page for a filtered one.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    view: String,
    cursor: Option<String>,
    limit: Option<u32>,
    // What narrows the view (see `Filter`), as query parameters.
    status: Option<String>,
    assignee: Option<String>,
    team: Option<String>,
    snoozed: Option<String>,
    inbox: Option<String>,
    channel: Option<String>,
}

impl ListQuery {
    /// The view's filter, narrowed by the parameters given.
    fn filter(&self) -> AppResult<Option<Filter>> {
        fn parse<T: std::str::FromStr>(name: &str, value: &Option<String>) -> AppResult<Option<T>> {
            match value.as_deref() {
                None | Some("") => Ok(None),
                Some(text) => text.parse().map(Some).map_err(|_| {
                    AppError::invalid(format!("`{name}={text}` is not a value it takes."))
                }),
            }
        }
        let view: View = self.view.parse().map_err(|()| {
            AppError::invalid(format!(
                "Unknown view `{}`: use unassigned, mine, all, snoozed or closed.",
                self.view
            ))
        })?;
        let status = match self.status.as_deref() {
            None | Some("") => None,
            Some("open") => Some(switchboard_protocol::ConversationStatus::Open),
            Some("closed") => Some(switchboard_protocol::ConversationStatus::Closed),
            Some(other) => {
                return Err(AppError::invalid(format!(
                    "`status={other}` is not open or closed."
                )));
            }
        };
        let narrowing = Filter {
            status,
            assignee: parse("assignee", &self.assignee)?,
            team: parse("team", &self.team)?,
            snoozed: parse("snoozed", &self.snoozed)?,
            inbox: parse("inbox", &self.inbox)?,
            channel: parse::<Channel>("channel", &self.channel)?,
        };
        Ok(view.filter().and(narrowing))
    }
}

/// `GET /api/v1/conversations?view=unassigned|mine|all|snoozed|closed`, narrowed by
/// `status`, `assignee` (nobody, me, an id), `team` (none, an id), `snoozed`, `inbox`, `channel`.
pub async fn list(
    State(state): State<AppState>,
    current: CurrentAgent,
    Query(query): Query<ListQuery>,
) -> AppResult<axum::Json<ConversationPage>> {
    let filter = query.filter()?;
    let cursor = match query.cursor.as_deref() {
        None | Some("") => Cursor::START,
        Some(text) => {
            Cursor::decode(text).ok_or_else(|| AppError::invalid("The `cursor` is not valid."))?
        }
    };
    let limit = page_size(query.limit)?;
    let mut snapshot = state.db.snapshot().await?;
    let seq = events::head(&mut snapshot).await?;
    let (items, next) = match filter {
        Some(filter) => {
            conversations::list(&mut snapshot, current.agent.id, &filter, cursor, limit).await?
        }
        // Narrowed to a contradiction: nothing can be in it.
        None => (Vec::new(), None),
    };
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
    let entry = actions::assign(
        &state,
        &current.agent,
        id,
        request.agent_id,
        request.version,
    );
    Ok(axum::Json(entry.await?))
}

/// `POST /api/v1/conversations/{id}/unassign`: back to the queue.
pub async fn unassign(
    State(state): State<AppState>,
    current: CurrentAgent,
    Path(id): Path<ConversationId>,
    Json(request): Json<Act>,
) -> AppResult<axum::Json<ConversationEntry>> {
    let entry = actions::unassign(&state, &current.agent, id, request.version);
    Ok(axum::Json(entry.await?))
}

/// `POST /api/v1/conversations/{id}/transfer`
pub async fn transfer(
    State(state): State<AppState>,
    current: CurrentAgent,
    Path(id): Path<ConversationId>,
    Json(request): Json<Transfer>,
) -> AppResult<axum::Json<ConversationEntry>> {
    Ok(axum::Json(
        actions::transfer(&state, &current.agent, id, request).await?,
    ))
}

/// `POST /api/v1/conversations/{id}/close`
pub async fn close(
    State(state): State<AppState>,
    current: CurrentAgent,
    Path(id): Path<ConversationId>,
    Json(request): Json<Close>,
) -> AppResult<axum::Json<ConversationEntry>> {
    Ok(axum::Json(
        actions::close(&state, &current.agent, id, request).await?,
    ))
}

/// `POST /api/v1/conversations/{id}/reopen`
pub async fn reopen(
    State(state): State<AppState>,
    current: CurrentAgent,
    Path(id): Path<ConversationId>,
    Json(request): Json<Act>,
) -> AppResult<axum::Json<ConversationEntry>> {
    let entry = actions::reopen(&state, &current.agent, id, request.version);
    Ok(axum::Json(entry.await?))
}

/// `POST /api/v1/conversations/{id}/snooze`
pub async fn snooze(
    State(state): State<AppState>,
    current: CurrentAgent,
    Path(id): Path<ConversationId>,
    Json(request): Json<Snooze>,
) -> AppResult<axum::Json<ConversationEntry>> {
    Ok(axum::Json(
        actions::snooze(&state, &current.agent, id, request).await?,
    ))
}

/// `POST /api/v1/conversations/{id}/unsnooze`
pub async fn unsnooze(
    State(state): State<AppState>,
    current: CurrentAgent,
    Path(id): Path<ConversationId>,
    Json(request): Json<Act>,
) -> AppResult<axum::Json<ConversationEntry>> {
    let entry = actions::unsnooze(&state, &current.agent, id, request.version);
    Ok(axum::Json(entry.await?))
}

/// `POST /api/v1/conversations/{id}/unread`: unread again, for me.
pub async fn unread(
    State(state): State<AppState>,
    current: CurrentAgent,
    Path(id): Path<ConversationId>,
) -> AppResult<axum::Json<ConversationEntry>> {
    Ok(axum::Json(
        actions::mark_unread(&state, &current.agent, id).await?,
    ))
}

/// `POST /api/v1/conversations/{id}/move`
pub async fn move_to(
    State(state): State<AppState>,
    current: CurrentAgent,
    Path(id): Path<ConversationId>,
    Json(request): Json<MoveTo>,
) -> AppResult<axum::Json<ConversationEntry>> {
    Ok(axum::Json(
        actions::move_to(&state, &current.agent, id, request).await?,
    ))
}

/// `POST /api/v1/conversations`: 201 with the new conversation, 200 with an open one that
/// already was.
pub async fn start(
    State(state): State<AppState>,
    current: CurrentAgent,
    Json(request): Json<StartConversation>,
) -> AppResult<(StatusCode, axum::Json<Started>)> {
    let started = start::start(&state, &current.agent, request).await?;
    let status = if started.existing {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((status, axum::Json(started)))
}

#[derive(Deserialize)]
pub struct ContactQuery {
    channel: Channel,
    #[serde(default)]
    q: String,
}

/// `GET /api/v1/contacts?channel=&q=`: contacts to suggest in "To".
pub async fn contacts(
    State(state): State<AppState>,
    current: CurrentAgent,
    Query(query): Query<ContactQuery>,
) -> AppResult<axum::Json<ContactMatches>> {
    if query.q.chars().count() > 100 {
        return Err(AppError::invalid("`q` can be at most 100 characters."));
    }
    let mut conn = state.db.pool().acquire().await?;
    let items =
        crate::store::contacts::matching(&mut conn, current.agent.id, query.channel, &query.q, 8)
            .await?;
    Ok(axum::Json(ContactMatches { items }))
}
