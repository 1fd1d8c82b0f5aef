//! The composer's files, as a queue: chosen, dropped or pasted files are checked against the
//! channel's rules before any byte is sent, then uploaded with progress and a cancel, and land
//! in the kept draft. The tray (`components/composer/attachments.rs`) shows it.

use crate::api::{Api, use_api};
use crate::drafts::KeptDraft;
use crate::i18n::{I18n, use_i18n};
use crate::upload::{Finished, Upload};
use leptos::prelude::*;
use switchboard_protocol::rules::{self, AttachmentMeta};
use switchboard_protocol::{Attachment, Channel, ConversationId};
use web_sys::File;

/// A file on its way up.
#[derive(Clone, Debug, PartialEq)]
pub struct Uploading {
    pub id: u32,
    pub meta: AttachmentMeta,
    /// 0.0..=1.0 of the bytes sent.
    pub progress: f64,
    /// A local picture of an image, while it uploads.
    pub preview: Option<String>,
    /// Why it did not make it, in the agent's words.
    pub problem: Option<String>,
}

/// What the browser says a file is, or a guess from its extension when it says nothing.
/// The server decides from the bytes; this only lets the rules speak before the upload.
pub fn declared_type(name: &str, browser_type: &str) -> String {
    if !browser_type.is_empty() {
        return rules::canonical_type(browser_type).to_owned();
    }
    let extension = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    match extension.as_deref() {
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("png") => "image/png",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("heic") => "image/heic",
        Some("pdf") => "application/pdf",
        Some("txt" | "csv") => "text/plain",
        Some("doc") => "application/msword",
        Some("docx") => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        Some("xls") => "application/vnd.ms-excel",
        Some("xlsx") => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        Some("mp3") => "audio/mpeg",
        Some("ogg" | "opus") => "audio/ogg",
        Some("m4a") => "audio/mp4",
        Some("wav") => "audio/wav",
        Some("mp4") => "video/mp4",
        Some("3gp") => "video/3gpp",
        _ => "application/octet-stream",
    }
    .to_owned()
}

/// The composer's files: those uploading here, those uploaded in the draft.
#[derive(Clone, Copy)]
pub struct Files {
    pub uploading: RwSignal<Vec<Uploading>>,
    running: StoredValue<Vec<(u32, Upload)>, LocalStorage>,
    next_id: StoredValue<u32>,
    /// Why the last file offered was refused before its upload.
    pub refused: RwSignal<Option<String>>,
    channel: Channel,
    conversation: ConversationId,
    draft: RwSignal<KeptDraft>,
    api: Api,
    i18n: I18n,
}

impl Files {
    pub fn new(
        channel: Channel,
        conversation: ConversationId,
        draft: RwSignal<KeptDraft>,
    ) -> Files {
        Files {
            uploading: RwSignal::new(Vec::new()),
            running: StoredValue::new_local(Vec::new()),
            next_id: StoredValue::new(0),
            refused: RwSignal::new(None),
            channel,
            conversation,
            draft,
            api: use_api(),
            i18n: use_i18n(),
        }
    }

    /// Some file is still on its way up: the message cannot go yet.
    pub fn busy(&self) -> bool {
        self.uploading
            .with(|u| u.iter().any(|f| f.problem.is_none()))
    }

    fn metas(&self) -> Vec<AttachmentMeta> {
        let mut metas: Vec<AttachmentMeta> = self
            .draft
            .with_untracked(|d| d.attachments.iter().map(Attachment::meta).collect());
        self.uploading.with_untracked(|u| {
            metas.extend(
                u.iter()
                    .filter(|f| f.problem.is_none())
                    .map(|f| f.meta.clone()),
            )
        });
        metas
    }

    /// Checks each file against the channel with those already there, and uploads those that
    /// pass; the first refusal is said in the agent's language.
    pub fn add(&self, files: Vec<File>) {
        let (i18n, api) = (self.i18n, self.api);
        let mut metas = self.metas();
        self.refused.set(None);
        for file in files {
            let name = file.name();
            let meta = AttachmentMeta {
                content_type: declared_type(&name, &file.type_()),
                name,
                bytes: file.size() as u64,
            };
            metas.push(meta.clone());
            if let Err(refusal) = rules::check_files(self.channel, &metas) {
                metas.pop();
                let channel = (i18n.t().channel_name)(self.channel);
                self.refused
                    .set(Some((i18n.t().refusal)(&refusal, channel)));
                continue;
            }
            let id = self.next_id.get_value();
            self.next_id.set_value(id + 1);
            let preview = meta
                .content_type
                .starts_with("image/")
                .then(|| web_sys::Url::create_object_url_with_blob(&file).ok())
                .flatten();
            self.uploading.update(|u| {
                u.push(Uploading {
                    id,
                    meta,
                    progress: 0.0,
                    preview,
                    problem: None,
                })
            });
            let this = *self;
            let progress = move |done: f64| {
                this.uploading.update(|u| {
                    if let Some(f) = u.iter_mut().find(|f| f.id == id) {
                        f.progress = done;
                    }
                })
            };
            let finished = move |outcome: Finished| {
                this.running.update_value(|r| r.retain(|(i, _)| *i != id));
                let problem = match outcome {
                    Finished::Stored(attachment) => {
                        this.forget(id);
                        this.draft.update(|d| d.attachments.push(attachment));
                        return;
                    }
                    Finished::Cancelled => {
                        this.forget(id);
                        return;
                    }
                    Finished::Failed(failure) => {
                        if failure.is_unauthenticated() {
                            api.session_lost.set(true);
                        }
                        failure.describe(i18n.t())
                    }
                };
                this.uploading.update(|u| {
                    if let Some(f) = u.iter_mut().find(|f| f.id == id) {
                        f.problem = Some(problem);
                    }
                });
            };
            match Upload::start(self.conversation, &file, progress, finished) {
                Some(upload) => self.running.update_value(|r| r.push((id, upload))),
                // The browser would not start it: say so on the file rather than drop it.
                None => self.uploading.update(|u| {
                    if let Some(f) = u.iter_mut().find(|f| f.id == id) {
                        f.problem = Some(i18n.t().something_failed.to_owned());
                    }
                }),
            }
        }
    }

    /// Drops a file from the uploading list (done, cancelled or given up), freeing its preview.
    fn forget(&self, id: u32) {
        self.uploading.update(|u| {
            if let Some(index) = u.iter().position(|f| f.id == id) {
                if let Some(preview) = &u[index].preview {
                    let _ = web_sys::Url::revoke_object_url(preview);
                }
                u.remove(index);
            }
        });
    }

    pub fn cancel(&self, id: u32) {
        self.refused.set(None);
        // Out of the list first: aborting calls back at once, and that callback updates it.
        let upload = self
            .running
            .try_update_value(|r| {
                r.iter()
                    .position(|(i, _)| *i == id)
                    .map(|at| r.remove(at).1)
            })
            .flatten();
        match upload {
            Some(upload) => upload.cancel(),
            None => self.forget(id),
        }
    }

    /// Stops every upload (the agent logged out).
    pub fn cancel_all(&self) {
        let running = self
            .running
            .try_update_value(std::mem::take)
            .unwrap_or_default();
        running.iter().for_each(|(_, upload)| upload.cancel());
    }

    /// Takes an uploaded file out of the draft (and off the server).
    pub fn remove(&self, attachment: &Attachment) {
        let id = attachment.id;
        self.refused.set(None);
        self.draft.update(|d| d.attachments.retain(|a| a.id != id));
        let api = self.api;
        leptos::task::spawn_local(async move {
            // Left on the server, it is only an unsent upload nobody else can see.
            let _ = api.discard_attachment(id).await;
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_browsers_word_counts_and_an_extension_fills_its_silence() {
        assert_eq!(declared_type("a.jpg", "image/png"), "image/png");
        assert_eq!(declared_type("pedidos.csv", "text/csv"), "text/plain");
        assert_eq!(declared_type("Factura.PDF", ""), "application/pdf");
        assert_eq!(declared_type("setup", ""), "application/octet-stream");
    }
}
