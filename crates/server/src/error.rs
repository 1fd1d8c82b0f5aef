//! One error type for every handler: a JSON `{ code, message }` body with the right status.
//! A caller's mistake is a 4xx with a code to branch on; our own failures are logged and
//! answered with a 500 that says nothing about the inside.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use switchboard_protocol::{ApiError, ErrorCode};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{}", .error.message)]
    Api { status: StatusCode, error: ApiError },
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("{0}")]
    Internal(String),
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    pub fn new(status: StatusCode, code: ErrorCode, message: impl Into<String>) -> Self {
        AppError::Api {
            status,
            error: ApiError::new(code, message),
        }
    }

    pub fn unauthenticated() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::Unauthenticated,
            "You are not logged in, or your session has expired. Log in again.",
        )
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, ErrorCode::Forbidden, message)
    }

    /// Also the answer for things that exist but this agent may not see: no leaks.
    pub fn not_found(what: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            ErrorCode::NotFound,
            format!("No such {what}, or you do not have access to it."),
        )
    }

    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, ErrorCode::InvalidRequest, message)
    }

    pub fn unprocessable(code: ErrorCode, message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, code, message)
    }

    pub fn internal(message: impl Into<String>) -> Self {
        AppError::Internal(message.into())
    }

    /// The status and body a caller sees.
    pub fn public(&self) -> (StatusCode, ApiError) {
        match self {
            AppError::Api { status, error } => (*status, error.clone()),
            AppError::Database(_) | AppError::Migration(_) | AppError::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                ApiError::new(
                    ErrorCode::Internal,
                    "Something went wrong on our side. Try again in a moment.",
                ),
            ),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, body) = self.public();
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        (status, axum::Json(body)).into_response()
    }
}
