//! Files in the composer, as the agent sees them: thumbnails or chips above the text box, with
//! progress, a cancel and what went wrong. The queue behind them is `compose::files`.

use crate::components::{Icon, icons};
use crate::compose::file_kind_label;
use crate::compose::files::Files;
use crate::drafts::KeptDraft;
use crate::i18n::{file_size, use_i18n};
use leptos::prelude::*;
use switchboard_protocol::AttachmentKind;

/// The files of a browser `FileList` (a file input, a drop, a paste).
pub fn file_list(list: web_sys::FileList) -> Vec<web_sys::File> {
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

/// The files of the message being written, above the text box.
#[component]
pub fn AttachmentTray(files: Files, draft: RwSignal<KeptDraft>) -> impl IntoView {
    let i18n = use_i18n();
    let uploaded = move || draft.with(|d| d.attachments.clone());
    let show = move || {
        draft.with(|d| !d.attachments.is_empty()) || files.uploading.with(|u| !u.is_empty())
    };
    view! {
        {move || files.refused.get().map(|text| view! { <p class="sb-tray__refused" role="alert">{text}</p> })}
        <Show when=show>
            <ul class="sb-tray" aria-label=move || i18n.t().attachments>
                <For each=uploaded key=|a| a.id children=move |attachment| {
                    let removing = attachment.clone();
                    let label = (i18n.t().remove_named)(&attachment.name);
                    view! {
                        <li class="sb-tray__item">
                            <FileFace kind=attachment.kind() src=Some(attachment.url()) name=attachment.name.clone()/>
                            <span class="sb-tray__text">
                                <span class="sb-tray__name">{attachment.name.clone()}</span>
                                <span class="sb-tray__size">{format!("{} · {}", file_kind_label(&attachment.content_type, &attachment.name), file_size(attachment.bytes))}</span>
                            </span>
                            <button class="sb-icon-button sb-tray__action" type="button" aria-label=label.clone() title=label on:click=move |_| files.remove(&removing)>
                                <Icon icon=icons::CLOSE/>
                            </button>
                        </li>
                    }
                }/>
                {move || files.uploading.get().into_iter().map(|file| {
                    let id = file.id;
                    let name = file.meta.name.clone();
                    let kind = AttachmentKind::of(&file.meta.content_type);
                    let cancel_label = (i18n.t().cancel_upload_named)(&name);
                    view! {
                        <li class="sb-tray__item" class:sb-tray__item--failed=file.problem.is_some()>
                            <FileFace kind=kind src=file.preview.clone() name=name.clone()/>
                            <span class="sb-tray__text">
                                <span class="sb-tray__name">{name.clone()}</span>
                                {match file.problem.clone() {
                                    Some(problem) => view! { <span class="sb-tray__problem" role="alert">{problem}</span> }.into_any(),
                                    None => view! {
                                        <progress class="sb-tray__progress" max="100" value=(file.progress * 100.0) as u32 aria-label=(i18n.t().uploading_named)(&name)></progress>
                                    }.into_any(),
                                }}
                            </span>
                            <button class="sb-icon-button sb-tray__action" type="button" aria-label=cancel_label.clone() title=cancel_label on:click=move |_| files.cancel(id)>
                                <Icon icon=icons::CLOSE/>
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </Show>
    }
}

/// A thumbnail for an image, an icon for anything else.
#[component]
fn FileFace(kind: AttachmentKind, src: Option<String>, name: String) -> impl IntoView {
    match (kind, src) {
        (AttachmentKind::Image, Some(src)) => view! { <img class="sb-tray__thumb" src=src alt=name/> }.into_any(),
        _ => view! { <span class="sb-tray__thumb sb-tray__thumb--file"><Icon icon=icons::FILE/></span> }.into_any(),
    }
}
