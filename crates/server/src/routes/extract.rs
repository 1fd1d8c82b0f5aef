//! axum's extractors, with their rejections turned into our JSON error body.

use crate::error::AppError;
use axum::extract::rejection::{BytesRejection, JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts};
use axum::http::StatusCode;
use switchboard_protocol::ErrorCode;

#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(AppError))]
pub struct Json<T>(pub T);

#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(AppError))]
pub struct Path<T>(pub T);

#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(AppError))]
pub struct Query<T>(pub T);

/// A raw body (webhooks): too large is a 413 with our body, like every other error.
pub struct Bytes(pub axum::body::Bytes);

impl<S: Send + Sync> FromRequest<S> for Bytes {
    type Rejection = AppError;

    async fn from_request(request: axum::extract::Request, state: &S) -> Result<Self, AppError> {
        Ok(Bytes(
            axum::body::Bytes::from_request(request, state).await?,
        ))
    }
}

impl From<BytesRejection> for AppError {
    fn from(rejection: BytesRejection) -> Self {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            return AppError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                ErrorCode::PayloadTooLarge,
                "The request body is larger than this endpoint takes.",
            );
        }
        AppError::invalid(format!(
            "The request body could not be read: {}",
            rejection.body_text()
        ))
    }
}

impl From<JsonRejection> for AppError {
    fn from(rejection: JsonRejection) -> Self {
        let status = rejection.status();
        let code = match status {
            StatusCode::PAYLOAD_TOO_LARGE => ErrorCode::PayloadTooLarge,
            StatusCode::UNSUPPORTED_MEDIA_TYPE => ErrorCode::UnsupportedMediaType,
            _ => ErrorCode::InvalidRequest,
        };
        let message = match code {
            ErrorCode::PayloadTooLarge => "The request body is too large.".to_owned(),
            ErrorCode::UnsupportedMediaType => {
                "Send the body as JSON with `Content-Type: application/json`.".to_owned()
            }
            _ => format!("The request body is not valid: {}", rejection.body_text()),
        };
        // Malformed JSON and a wrong field are both the caller's mistake: 400 for both.
        let status = if code == ErrorCode::InvalidRequest {
            StatusCode::BAD_REQUEST
        } else {
            status
        };
        AppError::new(status, code, message)
    }
}

impl From<PathRejection> for AppError {
    fn from(rejection: PathRejection) -> Self {
        AppError::invalid(format!(
            "The address is not valid: {}",
            rejection.body_text()
        ))
    }
}

impl From<QueryRejection> for AppError {
    fn from(rejection: QueryRejection) -> Self {
        AppError::invalid(format!(
            "The query string is not valid: {}",
            rejection.body_text()
        ))
    }
}
