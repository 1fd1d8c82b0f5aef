//! `GET /api/v1/search?q=`: contacts, conversations and messages that match, among what the
//! agent may see. `in` asks for one group's next page (`offset`, or `before` for messages).

use super::extract::Query;
use crate::AppState;
use crate::auth::CurrentAgent;
use crate::error::{AppError, AppResult};
use crate::store::search;
use axum::extract::State;
use serde::Deserialize;
use switchboard_protocol::MessageId;
use switchboard_protocol::search::{Group, MAX_LIMIT, Results};

const DEFAULT_LIMIT: u32 = 20;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchQuery {
    q: String,
    #[serde(default, rename = "in")]
    group: Group,
    #[serde(default)]
    offset: u32,
    before: Option<MessageId>,
    limit: Option<u32>,
}

pub async fn search(
    State(state): State<AppState>,
    current: CurrentAgent,
    Query(request): Query<SearchQuery>,
) -> AppResult<axum::Json<Results>> {
    let query = switchboard_protocol::search::Query::parse(&request.q)
        .map_err(|invalid| AppError::invalid(invalid.message()))?;
    let limit = super::page_limit(request.limit, DEFAULT_LIMIT, MAX_LIMIT)?;
    let wants = |group: Group| request.group == Group::All || request.group == group;
    let agent = current.agent.id;
    let mut conn = state.db.pool().acquire().await?;
    let mut results = Results::default();
    if wants(Group::Contacts) {
        results.contacts =
            search::contacts(&mut conn, agent, &query, request.offset, limit).await?;
    }
    if wants(Group::Conversations) {
        results.conversations =
            search::conversations(&mut conn, agent, &query, request.offset, limit).await?;
    }
    if wants(Group::Messages) {
        results.messages =
            search::messages(&mut conn, agent, &query, request.before, limit).await?;
    }
    Ok(axum::Json(results))
}
