//! The HTTP API under `/api/v1`. Handlers check who is asking, parse, call the store or a
//! workflow, and answer protocol types; they hold no rules of their own.

mod admin;
pub mod attachments;
mod conversations;
pub mod extract;
mod feed;

/// Feed sockets one agent may hold open at once.
pub fn feed_limit() -> usize {
    feed::MAX_FEEDS_PER_AGENT
}
mod quick_replies;
mod sandbox;
mod search;
mod session;
mod webhooks;

use crate::AppState;
use crate::config::Limits;
use crate::error::AppError;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::IntoResponse;
use axum::routing::{get, post, put};
use std::time::Duration;
use switchboard_protocol::ErrorCode;

/// A page's `limit`: `default` when not given, an error unless within 1..=`max`.
fn page_limit(limit: Option<u32>, default: u32, max: u32) -> Result<u32, AppError> {
    match limit {
        None => Ok(default),
        Some(n) if (1..=max).contains(&n) => Ok(n),
        Some(_) => Err(AppError::invalid(format!(
            "`limit` must be between 1 and {max}."
        ))),
    }
}

/// JSON bodies are small; a larger one is a mistake or an attack.
const MAX_JSON_BODY: usize = 256 * 1024;
const MAX_WEBHOOK_BODY: usize = 32 * 1024 * 1024;
/// Above the largest file allowed (`Config::max_upload_bytes`), which the handler enforces
/// with its own message; this only stops a body that could never be a file we keep.
const MAX_UPLOAD_BODY: usize = 64 * 1024 * 1024;

/// The API, each request answered within its deadline (`Limits`): a body sent too slowly
/// gets 408 instead of holding a connection and a task for ever.
pub fn api(limits: &Limits) -> Router<AppState> {
    let quick = Router::new()
        .route("/health", get(|| async { "ok" }))
        .route(
            "/session",
            post(session::login)
                .get(session::me)
                .delete(session::logout),
        )
        .route("/workspace", get(session::workspace))
        .route("/emoji", get(session::emoji))
        .route("/inboxes/{id}/templates", get(session::templates))
        .route(
            "/conversations",
            get(conversations::list).post(conversations::start),
        )
        .route("/contacts", get(conversations::contacts))
        .route("/search", get(search::search))
        .route("/me/availability", put(admin::set_availability))
        .route("/teams", get(admin::list_teams).post(admin::create_team))
        .route(
            "/teams/{id}",
            put(admin::update_team).delete(admin::delete_team),
        )
        .route(
            "/wrap-up-reasons",
            get(admin::list_reasons).post(admin::create_reason),
        )
        .route(
            "/wrap-up-reasons/{id}",
            put(admin::rename_reason).delete(admin::delete_reason),
        )
        .route("/conversations/{id}", get(conversations::get))
        .route(
            "/conversations/{id}/messages",
            get(conversations::messages).post(conversations::send),
        )
        .route(
            "/conversations/{id}/messages/{message}/retry",
            post(conversations::retry),
        )
        .route(
            "/attachments/{id}",
            get(attachments::download).delete(attachments::discard),
        )
        .route("/conversations/{id}/read", post(conversations::read))
        .route("/conversations/{id}/assign", post(conversations::assign))
        .route(
            "/conversations/{id}/unassign",
            post(conversations::unassign),
        )
        .route(
            "/conversations/{id}/transfer",
            post(conversations::transfer),
        )
        .route("/conversations/{id}/close", post(conversations::close))
        .route("/conversations/{id}/reopen", post(conversations::reopen))
        .route("/conversations/{id}/snooze", post(conversations::snooze))
        .route(
            "/conversations/{id}/unsnooze",
            post(conversations::unsnooze),
        )
        .route("/conversations/{id}/unread", post(conversations::unread))
        .route("/conversations/{id}/move", post(conversations::move_to))
        .route(
            "/quick-replies",
            get(quick_replies::list).post(quick_replies::create),
        )
        .route(
            "/quick-replies/{id}",
            put(quick_replies::update).delete(quick_replies::delete),
        )
        .route("/feed", get(feed::upgrade))
        .layer(DefaultBodyLimit::max(MAX_JSON_BODY));
    // Bodies that carry files may take a while on a slow line.
    let uploads = Router::new().route(
        "/conversations/{id}/attachments",
        post(attachments::upload).layer(DefaultBodyLimit::max(MAX_UPLOAD_BODY)),
    );
    let large = Router::new()
        .route(
            "/sandbox/inbound",
            // Customers' files come along, base64-encoded.
            post(sandbox::inbound).layer(DefaultBodyLimit::max(MAX_WEBHOOK_BODY)),
        )
        .route(
            "/webhooks/{provider}/{inbox}",
            post(webhooks::receive)
                .get(webhooks::handshake)
                // Emails come with their attachments.
                .layer(DefaultBodyLimit::max(MAX_WEBHOOK_BODY)),
        );
    within(capped(quick, MAX_JSON_BODY), limits.request_timeout)
        .merge(within(
            capped(large, MAX_WEBHOOK_BODY),
            limits.upload_timeout,
        ))
        .merge(within(
            capped(uploads, MAX_UPLOAD_BODY),
            limits.upload_timeout,
        ))
        .fallback(|| async { AppError::not_found("endpoint") })
        .method_not_allowed_fallback(|| async {
            AppError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                ErrorCode::InvalidRequest,
                "This endpoint does not accept that method.",
            )
        })
}

/// The routes of `router`, a body announced larger than `limit` refused at once (413), before
/// a connection waits for bytes that could never be kept.
fn capped(router: Router<AppState>, limit: usize) -> Router<AppState> {
    router.layer(axum::middleware::from_fn(
        move |request: Request, next: Next| async move {
            let announced = request
                .headers()
                .get(axum::http::header::CONTENT_LENGTH)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<u64>().ok());
            if announced.is_some_and(|n| n > limit as u64) {
                return AppError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    ErrorCode::PayloadTooLarge,
                    "The request body is larger than this endpoint takes.",
                )
                .into_response();
            }
            next.run(request).await
        },
    ))
}

/// The routes of `router`, each answered 408 when not done within `limit`.
fn within(router: Router<AppState>, limit: Duration) -> Router<AppState> {
    router.layer(axum::middleware::from_fn(
        move |request: Request, next: Next| async move {
            match tokio::time::timeout(limit, next.run(request)).await {
                Ok(response) => response,
                Err(_) => AppError::new(
                    StatusCode::REQUEST_TIMEOUT,
                    ErrorCode::RequestTimeout,
                    "The request took too long to arrive, so it was not handled. Try again.",
                )
                .into_response(),
            }
        },
    ))
}
