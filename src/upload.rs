//! Uploading a file with visible progress and a way to cancel: `fetch` reports neither, so
//! this is the one place the app uses `XMLHttpRequest`. Same origin, so the session cookie
//! goes along; the server answers the stored attachment or an error body.

use crate::api::ApiFailure;
use std::cell::RefCell;
use std::rc::Rc;
use switchboard_protocol::{ApiError, Attachment, ConversationId, ErrorCode};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{File, FormData, ProgressEvent, XmlHttpRequest};

/// How an upload ended.
pub enum Finished {
    Stored(Attachment),
    /// Refused (a 401: the session is gone), lost on the network, or answered unreadably.
    Failed(ApiFailure),
    Cancelled,
}

/// A running upload; dropping it does not stop it, [`Upload::cancel`] does.
pub struct Upload {
    request: XmlHttpRequest,
    /// The callbacks live as long as the request may call them.
    _callbacks: [Closure<dyn FnMut(ProgressEvent)>; 4],
}

impl Upload {
    /// Starts sending `file`; `progress` gets 0.0..=1.0 as bytes leave, `done` the outcome once.
    pub fn start(
        conversation: ConversationId,
        file: &File,
        progress: impl Fn(f64) + 'static,
        done: impl FnOnce(Finished) + 'static,
    ) -> Option<Upload> {
        let request = XmlHttpRequest::new().ok()?;
        request
            .open(
                "POST",
                &format!("/api/v1/conversations/{conversation}/attachments"),
            )
            .ok()?;
        let form = FormData::new().ok()?;
        form.append_with_blob_and_filename("file", file, &file.name())
            .ok()?;

        let done = Rc::new(RefCell::new(Some(done)));
        let finish = {
            let done = done.clone();
            move |outcome: Finished| {
                if let Some(done) = done.borrow_mut().take() {
                    done(outcome);
                }
            }
        };
        let on_progress = Closure::<dyn FnMut(ProgressEvent)>::new(move |ev: ProgressEvent| {
            if ev.length_computable() && ev.total() > 0.0 {
                progress(ev.loaded() / ev.total());
            }
        });
        let on_load = {
            let request = request.clone();
            let finish = finish.clone();
            Closure::<dyn FnMut(ProgressEvent)>::new(move |_| {
                let status = request.status().unwrap_or(0);
                let body = request.response_text().ok().flatten().unwrap_or_default();
                finish(match status {
                    200..=299 => serde_json::from_str(&body)
                        .map_or(Finished::Failed(ApiFailure::Unreadable), Finished::Stored),
                    _ => Finished::Failed(ApiFailure::Refused {
                        status,
                        error: serde_json::from_str(&body).unwrap_or_else(|_| {
                            ApiError::new(
                                ErrorCode::Internal,
                                format!("The server answered {status}."),
                            )
                        }),
                    }),
                });
            })
        };
        let on_error = {
            let finish = finish.clone();
            Closure::<dyn FnMut(ProgressEvent)>::new(move |_| {
                finish(Finished::Failed(ApiFailure::Network))
            })
        };
        let on_abort =
            Closure::<dyn FnMut(ProgressEvent)>::new(move |_| finish(Finished::Cancelled));
        if let Ok(upload) = request.upload() {
            upload.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
        }
        request.set_onload(Some(on_load.as_ref().unchecked_ref()));
        request.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        request.set_onabort(Some(on_abort.as_ref().unchecked_ref()));
        request.send_with_opt_form_data(Some(&form)).ok()?;
        Some(Upload {
            request,
            _callbacks: [on_progress, on_load, on_error, on_abort],
        })
    }

    pub fn cancel(&self) {
        let _ = self.request.abort();
    }
}
