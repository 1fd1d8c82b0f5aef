//! One error type for every handler: a JSON `{ code, message }` body with the right status.
//! A caller's mistake is a 4xx with a code to branch on; our own failures are logged and
//! answered with a 500 that says nothing about the inside. A database that stays locked past
//! its busy timeout is a 503 with `Retry-After`: nothing is wrong with the request, only its
//! moment.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::time::Duration;
use switchboard_protocol::{ApiError, ErrorCode};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{}", .error.message)]
    Api {
        status: StatusCode,
        error: ApiError,
        /// Sent as `Retry-After` (429, 503): when trying again can work.
        retry_after: Option<Duration>,
    },
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("{0}")]
    Internal(String),
}

pub type AppResult<T> = Result<T, AppError>;

/// How long a caller should wait after the database was too busy to answer.
const BUSY_RETRY_AFTER: Duration = Duration::from_secs(2);

impl AppError {
    pub fn new(status: StatusCode, code: ErrorCode, message: impl Into<String>) -> Self {
        AppError::Api {
            status,
            error: ApiError::new(code, message),
            retry_after: None,
        }
    }

    /// The same error, telling the caller when to try again.
    pub fn retry_after(self, after: Duration) -> Self {
        match self {
            AppError::Api { status, error, .. } => AppError::Api {
                status,
                error,
                retry_after: Some(after),
            },
            other => other,
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

    /// The database was locked (or every connection taken) for longer than we wait.
    pub fn busy() -> Self {
        let (status, error, retry_after) = busy_answer();
        AppError::Api {
            status,
            error,
            retry_after,
        }
    }

    /// Whether this is the caller's mistake (a 4xx), as opposed to ours or the moment's.
    pub fn is_callers(&self) -> bool {
        matches!(self, AppError::Api { status, .. } if status.is_client_error())
    }

    /// The status and body a caller sees, and when to try again.
    pub fn public(&self) -> (StatusCode, ApiError, Option<Duration>) {
        match self {
            AppError::Api {
                status,
                error,
                retry_after,
            } => (*status, error.clone(), *retry_after),
            AppError::Database(error) if is_busy(error) => busy_answer(),
            AppError::Database(_) | AppError::Migration(_) | AppError::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                ApiError::new(
                    ErrorCode::Internal,
                    "Something went wrong on our side. Try again in a moment.",
                ),
                None,
            ),
        }
    }
}

fn busy_answer() -> (StatusCode, ApiError, Option<Duration>) {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        ApiError::new(
            ErrorCode::Busy,
            "The server is busy right now. Nothing was changed: try again in a moment.",
        ),
        Some(BUSY_RETRY_AFTER),
    )
}

/// SQLite's "database is locked" family (SQLITE_BUSY, SQLITE_LOCKED and their extended
/// codes), and a pool with no connection free in time.
pub fn is_busy(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::PoolTimedOut => true,
        sqlx::Error::Database(db) => db
            .code()
            .and_then(|code| code.parse::<i32>().ok())
            .is_some_and(|code| matches!(code & 0xff, 5 | 6)),
        _ => false,
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, body, retry_after) = self.public();
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        let mut response = (status, axum::Json(body)).into_response();
        if let Some(after) = retry_after {
            let seconds = after.as_secs().max(1).to_string();
            if let Ok(value) = HeaderValue::from_str(&seconds) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
        }
        response
    }
}
