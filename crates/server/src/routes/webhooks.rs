//! `/api/v1/webhooks/{provider}/{inbox_id}`: where providers tell us what customers wrote and
//! what became of our messages. No session here: each request must carry the provider's
//! signature for that inbox, and nothing from an unsigned request is stored.

use super::extract::{Bytes, Path, Query};
use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::providers::{WebhookError, WebhookEvent, WebhookRequest};
use crate::store::inboxes;
use crate::workflow::delivery;
use crate::workflow::inbound::{self, Inbound};
use axum::extract::{OriginalUri, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use switchboard_protocol::{ErrorCode, Inbox, InboxId};

/// The URL the provider called, as it signed it: our public origin when configured (behind a
/// proxy), else the `Host` it reached.
fn called_url(state: &AppState, headers: &HeaderMap, uri: &OriginalUri) -> String {
    let path = uri.path_and_query().map_or("/", |p| p.as_str());
    match &state.config.public_origin {
        Some(origin) => format!("{}{path}", origin.trim_end_matches('/')),
        None => {
            let host = headers
                .get(header::HOST)
                .and_then(|h| h.to_str().ok())
                .unwrap_or("localhost");
            format!("http://{host}{path}")
        }
    }
}

fn refused(error: WebhookError) -> AppError {
    match error {
        WebhookError::BadSignature => AppError::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::Other("bad_signature".into()),
            "The request is not signed with this inbox's secret. Nothing was stored.",
        ),
        WebhookError::Malformed(reason) => AppError::invalid(reason),
        WebhookError::Unsupported(reason) => {
            AppError::new(StatusCode::NOT_FOUND, ErrorCode::NotFound, reason)
        }
    }
}

/// The inbox a webhook is for, with its adapter; 404 when the provider does not match.
fn adapter_for(
    state: &AppState,
    found: Option<(Inbox, String, String)>,
    provider: &str,
) -> AppResult<(Inbox, crate::providers::Adapter)> {
    let Some((inbox, configured, settings)) = found else {
        return Err(AppError::not_found("webhook"));
    };
    let adapter = state
        .providers
        .for_webhook(&inbox, &configured, &settings, provider);
    let adapter = adapter
        .ok_or_else(|| AppError::not_found("webhook"))?
        .map_err(|reason| {
            tracing::error!(inbox = %inbox.id, %reason, "inbox provider settings");
            AppError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                ErrorCode::Other("provider_not_configured".into()),
                "This inbox's provider is not configured on the server.",
            )
        })?;
    Ok((inbox, adapter))
}

/// `POST`: a provider's notification. A signed request is always acknowledged, so that the
/// provider does not send it again and again: what cannot be used of it (an unreadable body,
/// an item whose sender is not an address of the channel) is skipped and logged with its
/// reason, and every other item is stored. Only our own trouble (the database) answers an
/// error, and the provider's retry then stores each item once.
pub async fn receive(
    State(state): State<AppState>,
    Path((provider, inbox)): Path<(String, InboxId)>,
    uri: OriginalUri,
    headers: HeaderMap,
    Bytes(body): Bytes,
) -> AppResult<Response> {
    let found = inboxes::with_provider(&mut *state.db.pool().acquire().await?, inbox).await?;
    let (inbox, adapter) = adapter_for(&state, found, &provider)?;
    let url = called_url(&state, &headers, &uri);
    let read = adapter.webhook(&WebhookRequest {
        url: &url,
        headers: &headers,
        body: &body,
    });
    let mut receipt = Receipt::default();
    let events = match read {
        Ok(events) => events,
        Err(WebhookError::Malformed(reason)) => {
            receipt.skip(&inbox, &provider, reason);
            Vec::new()
        }
        Err(other) => return Err(refused(other)),
    };
    for event in events {
        match apply(&state, &inbox, event).await {
            Ok(()) => receipt.used += 1,
            Err(error) if error.is_callers() => receipt.skip(&inbox, &provider, error.to_string()),
            Err(error) => return Err(error),
        }
    }
    Ok(acknowledge(&provider, &receipt))
}

/// What became of a webhook's items.
#[derive(Default, serde::Serialize)]
struct Receipt {
    used: usize,
    skipped: Vec<String>,
}

impl Receipt {
    fn skip(&mut self, inbox: &Inbox, provider: &str, reason: String) {
        tracing::warn!(inbox = %inbox.id, provider, %reason, "skipped a webhook item");
        self.skipped.push(reason);
    }
}

async fn apply(state: &AppState, inbox: &Inbox, event: WebhookEvent) -> AppResult<()> {
    match event {
        WebhookEvent::Message(message) => {
            // Its id is what makes a provider's retry the same message: without one, it is
            // no message we could keep once.
            if message.provider_message_id.trim().is_empty() {
                return Err(AppError::invalid(
                    "This message has an empty id, so it cannot be told apart from others.",
                ));
            }
            let from = inbox
                .channel
                .normalize_handle(&message.from)
                .ok_or_else(|| {
                    AppError::invalid(format!(
                        "`{}` is not a {} address.",
                        message.from,
                        inbox.channel.display_name()
                    ))
                })?;
            let text = if message.text.trim().is_empty() {
                "[empty message]"
            } else {
                message.text.trim()
            };
            let sent_at_ms = message.sent_at.map_or_else(crate::db::now_ms, |at| {
                at.timestamp_millis().min(crate::db::now_ms())
            });
            inbound::receive(
                state,
                Inbound {
                    inbox,
                    from: &from,
                    name: message.name.as_deref(),
                    text,
                    sent_at_ms,
                    provider_message_id: Some(&message.provider_message_id),
                    subject: message.subject.as_deref(),
                    replies_to: message.replies_to.as_deref(),
                    // Providers' media arrive as ids and links to fetch with their credentials:
                    // the text says what came until that fetching exists.
                    files: Vec::new(),
                },
            )
            .await?;
        }
        WebhookEvent::Status {
            provider_message_id,
            status,
            failure,
        } => {
            // A report about a message we do not know (sent outside Switchboard): nothing to do.
            delivery::report_status(
                &state.db,
                Some(inbox.id),
                &provider_message_id,
                status,
                failure,
            )
            .await?;
        }
        WebhookEvent::ReachedUntil {
            customer,
            until,
            status,
        } => {
            delivery::reached_until(&state.db, inbox.id, &customer, until, status).await?;
        }
    }
    Ok(())
}

/// What each provider expects back: TwiML for Twilio; for the others any 200, and the receipt
/// helps whoever calls by hand.
fn acknowledge(provider: &str, receipt: &Receipt) -> Response {
    if provider == crate::providers::twilio::NAME {
        let twiml = r#"<?xml version="1.0" encoding="UTF-8"?><Response></Response>"#;
        return ([(header::CONTENT_TYPE, "text/xml")], twiml).into_response();
    }
    (StatusCode::OK, axum::Json(receipt)).into_response()
}

/// `GET`: Meta's subscription handshake (`hub.mode`, `hub.verify_token`, `hub.challenge`).
pub async fn handshake(
    State(state): State<AppState>,
    Path((provider, inbox)): Path<(String, InboxId)>,
    Query(query): Query<HashMap<String, String>>,
) -> AppResult<Response> {
    let found = inboxes::with_provider(&mut *state.db.pool().acquire().await?, inbox).await?;
    let (_, adapter) = adapter_for(&state, found, &provider)?;
    match adapter.handshake(&query) {
        Ok(challenge) => Ok(([(header::CONTENT_TYPE, "text/plain")], challenge).into_response()),
        Err(WebhookError::BadSignature) => Err(AppError::forbidden(
            "The verify token does not match this inbox's.",
        )),
        Err(other) => Err(refused(other)),
    }
}
