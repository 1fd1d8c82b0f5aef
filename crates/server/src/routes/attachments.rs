//! Files: an agent uploads one to a conversation before sending it; agents who may see the
//! conversation download it. The type is sniffed from the bytes and checked against the
//! channel before anything is stored.

use super::extract::Path;
use crate::AppState;
use crate::auth::CurrentAgent;
use crate::error::{AppError, AppResult};
use crate::storage::new_key;
use crate::store::attachments::{self, NewAttachment};
use crate::store::conversations;
use crate::workflow::reply::refused;
use axum::extract::State;
use axum::extract::multipart::{Multipart, MultipartError, MultipartRejection};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use switchboard_protocol::rules::{self, AttachmentMeta};
use switchboard_protocol::{Attachment, AttachmentId, AttachmentKind, ConversationId, ErrorCode};

const MAX_NAME_CHARS: usize = 200;

fn too_large(cap: u64) -> AppError {
    AppError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        ErrorCode::PayloadTooLarge,
        format!("A file can be at most {} MB.", cap / (1024 * 1024)),
    )
}

fn unreadable(error: MultipartError) -> AppError {
    if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return AppError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::PayloadTooLarge,
            "The file is too large.",
        );
    }
    AppError::invalid(format!(
        "The upload is not valid multipart: {}",
        error.body_text()
    ))
}

/// A file name fit to show and to offer as a download: no path, no control characters.
pub fn clean_name(name: Option<&str>) -> String {
    let base = name
        .unwrap_or_default()
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default();
    // Control characters, and the invisible ones that reorder text (`x\u{202e}fdp.exe` shows
    // as "xexe.pdf"), are dropped.
    let invisible = |c: &char| matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}');
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && !invisible(c))
        .take(MAX_NAME_CHARS)
        .collect();
    match cleaned.trim() {
        "" | "." | ".." => "file".to_owned(),
        name => name.to_owned(),
    }
}

/// Keeps a file's bytes and its record; the record only once the bytes are safe.
pub async fn keep(state: &AppState, new: NewAttachment<'_>, bytes: &[u8]) -> AppResult<Attachment> {
    state
        .storage
        .put(new.storage_key, bytes)
        .await
        .map_err(|e| AppError::internal(format!("storing an attachment: {e}")))?;
    let key = new.storage_key;
    let recorded = async {
        let mut tx = state.db.write().await?;
        let attachment = attachments::insert(&mut tx, new).await?;
        tx.commit().await?;
        Ok(attachment)
    }
    .await;
    if recorded.is_err() {
        let _ = state.storage.delete(key).await;
    }
    recorded
}

/// `POST /api/v1/conversations/{id}/attachments`: one multipart part named `file`.
pub async fn upload(
    State(state): State<AppState>,
    current: CurrentAgent,
    Path(conversation): Path<ConversationId>,
    multipart: Result<Multipart, MultipartRejection>,
) -> AppResult<(StatusCode, axum::Json<Attachment>)> {
    let mut multipart = multipart.map_err(|rejection| {
        AppError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::UnsupportedMediaType,
            format!(
                "Send the file as multipart/form-data with a part named `file` ({}).",
                rejection.body_text()
            ),
        )
    })?;
    let channel = {
        let mut conn = state.db.pool().acquire().await?;
        let found = conversations::visible(&mut conn, current.agent.id, conversation)
            .await?
            .conversation;
        // Said now, while the agent still holds the draft, not when they press Send.
        crate::workflow::reply::can_carry_files(&mut conn, &found).await?;
        found.channel
    };
    let cap = state.config.max_upload_bytes;
    let mut field = loop {
        match multipart.next_field().await.map_err(unreadable)? {
            Some(field) if field.name() == Some("file") => break field,
            Some(_) => continue,
            None => return Err(AppError::invalid("Send the file in a part named `file`.")),
        }
    };
    let name = clean_name(field.file_name());
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(unreadable)? {
        if (bytes.len() + chunk.len()) as u64 > cap {
            return Err(too_large(cap));
        }
        bytes.extend_from_slice(&chunk);
    }
    if bytes.is_empty() {
        return Err(AppError::invalid("The file is empty."));
    }
    let sniffed = crate::sniff::sniff(&bytes);
    let name = crate::sniff::fit_extension(&name, &sniffed);
    let content_type = sniffed.content_type;
    let meta = AttachmentMeta {
        name: name.clone(),
        content_type: content_type.clone(),
        bytes: bytes.len() as u64,
    };
    rules::check_file(channel, &meta).map_err(|refusal| refused(channel, &refusal))?;
    let key = new_key();
    let attachment = keep(
        &state,
        NewAttachment {
            conversation,
            uploader: Some(current.agent.id),
            name: &name,
            content_type: &content_type,
            bytes: meta.bytes,
            storage_key: &key,
        },
        &bytes,
    )
    .await?;
    Ok((StatusCode::CREATED, axum::Json(attachment)))
}

/// `GET /api/v1/attachments/{id}`: the file, to agents who may see its conversation (and to
/// its uploader before it is sent). Images, audio and video show inline; the rest downloads.
pub async fn download(
    State(state): State<AppState>,
    current: CurrentAgent,
    Path(id): Path<AttachmentId>,
) -> AppResult<Response> {
    let (attachment, key) = {
        let mut conn = state.db.pool().acquire().await?;
        attachments::visible(&mut conn, current.agent.id, id)
            .await?
            .ok_or_else(|| AppError::not_found("attachment"))?
    };
    let bytes = state.storage.get(&key).await.map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            tracing::error!(%id, "an attachment's file is missing from storage");
            AppError::new(
                StatusCode::GONE,
                ErrorCode::NotFound,
                "The file of this attachment is no longer stored.",
            )
        } else {
            AppError::internal(format!("reading attachment {id}: {e}"))
        }
    })?;
    // Named by its bytes, so that a file saved to disk opens as what it is.
    let name = crate::sniff::fit_extension(&attachment.name, &crate::sniff::sniff(&bytes));
    let disposition = match attachment.kind() {
        AttachmentKind::Document => "attachment",
        _ => "inline",
    };
    let encoded: String = name
        .bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'.' | b'-' | b'_' => (b as char).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect();
    let header_value = |value: String| {
        HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static("attachment"))
    };
    Ok((
        [
            (
                header::CONTENT_TYPE,
                header_value(if attachment.content_type == "text/plain" {
                    "text/plain; charset=utf-8".to_owned()
                } else {
                    attachment.content_type.clone()
                }),
            ),
            (
                header::CONTENT_DISPOSITION,
                header_value(format!("{disposition}; filename*=UTF-8''{encoded}")),
            ),
            // Whatever the file holds, it never runs as a page of this origin.
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static("sandbox; default-src 'none'"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, max-age=86400"),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// `DELETE /api/v1/attachments/{id}`: the agent takes an upload out of their draft.
pub async fn discard(
    State(state): State<AppState>,
    current: CurrentAgent,
    Path(id): Path<AttachmentId>,
) -> AppResult<StatusCode> {
    let mut tx = state.db.write().await?;
    let key = attachments::forget_unsent(&mut tx, current.agent.id, id)
        .await?
        .ok_or_else(|| AppError::not_found("unsent attachment"))?;
    tx.commit().await?;
    if let Err(error) = state.storage.delete(&key).await {
        tracing::warn!(%error, "could not delete the bytes of a discarded attachment");
    }
    Ok(StatusCode::NO_CONTENT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_their_paths_and_control_characters() {
        assert_eq!(clean_name(Some("C:\\fotos\\recibo.jpg")), "recibo.jpg");
        assert_eq!(clean_name(Some("../../etc/passwd")), "passwd");
        assert_eq!(clean_name(Some("a\u{0}b\nc.pdf")), "abc.pdf");
        assert_eq!(clean_name(Some("..")), "file");
        assert_eq!(clean_name(Some("x\u{202e}fdp.exe")), "xfdp.exe");
        assert_eq!(clean_name(None), "file");
    }
}
