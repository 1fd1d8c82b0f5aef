//! What a conversation row shows (avatar, name, time, preview, unread, where, state), drawn
//! straight into the DOM: a row's nodes are cloned from one parsed template, filled by one
//! effect that writes only what changed, and kept in a small pool when the row leaves the
//! window, so the next row that scrolls in takes them instead of building new ones. Building
//! rows through the view macro (a dozen reactive nodes and an SVG parse per row) was most of a
//! scroll frame's time.

use super::avatar::{initials, tint};
use super::icon::{channel_icon, icons};
use crate::i18n::Texts;
use crate::state::{PreviewBy, Row};
use chrono::{DateTime, Utc};
use icondata_core::IconData;
use std::cell::RefCell;
use switchboard_protocol::Channel;
use wasm_bindgen::JsCast;
use web_sys::Element;

/// Rows' nodes kept for reuse; more than a window's worth is never needed.
const POOL: usize = 64;

thread_local! {
    static FREE: RefCell<Vec<RowNodes>> = const { RefCell::new(Vec::new()) };
    /// Parsed once: the row's skeleton, and each icon (by its data's address).
    static TEMPLATE: RefCell<Option<Element>> = const { RefCell::new(None) };
    static ICONS: RefCell<Vec<(usize, Element)>> = const { RefCell::new(Vec::new()) };
}

/// The skeleton: the avatar and the body the row always has, then the parts a row has or
/// not (glyph, unread bubble, how it ended, assignee, snooze), attached when they apply.
const SKELETON: &str = concat!(
    r#"<div><span class="sb-avatar" aria-hidden="true"><span class="sb-avatar__initials"></span>"#,
    r#"<span class="sb-avatar__badge"><span class="sb-channel"></span></span></span>"#,
    r#"<span class="sb-row__body"><span class="sb-row__top"><span class="sb-row__name"></span>"#,
    r#"<span class="sb-visually-hidden">, </span><time class="sb-row__time"></time></span>"#,
    r#"<span class="sb-row__bottom"><span class="sb-row__preview"></span></span>"#,
    r#"<span class="sb-row__meta"><span class="sb-row__where"></span></span></span>"#,
    r#"<span class="sb-bubble" role="img"></span><span class="sb-row__ended"></span>"#,
    r#"<span class="sb-row__assignee"></span><span class="sb-row__snoozed"></span></div>"#,
);

fn document() -> web_sys::Document {
    leptos::prelude::document()
}

/// An icon's SVG as the `Icon` component draws it, cloned from a copy parsed once.
pub fn icon_node(icon: &'static IconData, class: &str) -> Element {
    let key = icon as *const IconData as usize;
    let proto = ICONS.with_borrow_mut(|icons| {
        if let Some((_, el)) = icons.iter().find(|(k, _)| *k == key) {
            return el.clone();
        }
        let attr = |name: &str, value: Option<&str>| {
            value.map_or_else(String::new, |v| format!(r#" {name}="{v}""#))
        };
        let html = format!(
            r#"<svg viewBox="{}" fill="{}"{}{}{}{} aria-hidden="true" focusable="false">{}</svg>"#,
            icon.view_box.unwrap_or("0 0 24 24"),
            icon.fill.unwrap_or("currentColor"),
            attr("stroke", icon.stroke),
            attr("stroke-width", icon.stroke_width),
            attr("stroke-linecap", icon.stroke_linecap),
            attr("stroke-linejoin", icon.stroke_linejoin),
            icon.data,
        );
        let holder = document().create_element("div").expect("a div");
        holder.set_inner_html(&html);
        let el = holder.first_element_child().expect("the parsed svg");
        icons.push((key, el.clone()));
        el
    });
    let el = clone(&proto);
    let _ = el.set_attribute("class", &format!("sb-icon {class}"));
    el
}

fn clone(el: &Element) -> Element {
    el.clone_node_with_deep(true)
        .expect("a clone")
        .unchecked_into()
}

/// What the nodes show now, so a fill writes only what changed.
#[derive(Default, PartialEq)]
struct Shown {
    tint: Option<u32>,
    glyph: Option<bool>,
    initials: String,
    channel: Option<Channel>,
    channel_name: String,
    name: String,
    handle: Option<bool>,
    at: Option<DateTime<Utc>>,
    time: String,
    preview: String,
    unread: u32,
    unread_label: String,
    where_: String,
    ended: Option<String>,
    assignee: Option<String>,
    snoozed: Option<String>,
    hidden: bool,
}

/// One row's nodes: the two the link holds, and those a fill writes to.
pub struct RowNodes {
    avatar: Element,
    initials: Element,
    glyph: Element,
    channel: Element,
    body: Element,
    name: Element,
    time: Element,
    preview: Element,
    bottom: Element,
    bubble: Element,
    meta: Element,
    where_: Element,
    ended: Element,
    assignee: Element,
    snoozed: Element,
    shown: Shown,
}

fn child(el: &Element, index: u32) -> Element {
    el.children().item(index).expect("the skeleton's node")
}

impl RowNodes {
    /// Nodes from the pool, or new ones cloned from the skeleton.
    pub fn take() -> RowNodes {
        FREE.with_borrow_mut(Vec::pop).unwrap_or_else(RowNodes::new)
    }

    fn new() -> RowNodes {
        let proto = TEMPLATE.with_borrow_mut(|template| {
            template
                .get_or_insert_with(|| {
                    let holder = document().create_element("div").expect("a div");
                    holder.set_inner_html(SKELETON);
                    holder.first_element_child().expect("the skeleton")
                })
                .clone()
        });
        let all = clone(&proto);
        let avatar = child(&all, 0);
        let body = child(&all, 1);
        let (top, bottom, meta) = (child(&body, 0), child(&body, 1), child(&body, 2));
        let nodes = RowNodes {
            initials: child(&avatar, 0),
            glyph: icon_node(icons::PERSON, "sb-avatar__glyph"),
            channel: child(&child(&avatar, 1), 0),
            name: child(&top, 0),
            time: child(&top, 2),
            preview: child(&bottom, 0),
            where_: child(&meta, 0),
            bubble: child(&all, 2),
            ended: child(&all, 3),
            assignee: child(&all, 4),
            snoozed: child(&all, 5),
            avatar,
            body,
            bottom,
            meta,
            shown: Shown::default(),
        };
        // The optional parts wait outside the row until they apply.
        for part in [&nodes.bubble, &nodes.ended, &nodes.assignee, &nodes.snoozed] {
            part.remove();
        }
        nodes
    }

    /// The two nodes a row's link holds.
    pub fn parts(&self) -> (Element, Element) {
        (self.avatar.clone(), self.body.clone())
    }

    /// Shows `row` (nothing, when the conversation is gone), writing only what changed.
    pub fn fill(&mut self, row: Option<&Row>, t: &'static Texts, now: DateTime<Utc>) {
        let hidden = row.is_none();
        if hidden != self.shown.hidden {
            for part in [&self.avatar, &self.body] {
                let _ = if hidden {
                    part.set_attribute("hidden", "")
                } else {
                    part.remove_attribute("hidden")
                };
            }
            self.shown.hidden = hidden;
        }
        let Some(row) = row else { return };
        let shown = &mut self.shown;

        let tint = tint(&row.name);
        if shown.tint != Some(tint) {
            let _ = self
                .avatar
                .set_attribute("class", &format!("sb-avatar sb-avatar--tint{tint}"));
            shown.tint = Some(tint);
        }
        let letters = initials(&row.name);
        let glyph = row.name_is_handle || letters.is_empty();
        if shown.glyph != Some(glyph) {
            let (on, off) = if glyph {
                (&self.glyph, &self.initials)
            } else {
                (&self.initials, &self.glyph)
            };
            // The one shown gives way (on the first fill the skeleton shows the initials).
            let _ = off.replace_with_with_node_1(on);
            shown.glyph = Some(glyph);
        }
        if !glyph {
            text(&self.initials, &mut shown.initials, letters);
        }
        if shown.channel != Some(row.channel) {
            let _ = self.channel.set_attribute(
                "class",
                &format!("sb-channel sb-channel--{}", row.channel.as_str()),
            );
            self.channel
                .replace_children_with_node_1(&icon_node(channel_icon(row.channel), ""));
            shown.channel = Some(row.channel);
        }
        let channel_name = (t.channel_name)(row.channel);
        if shown.channel_name != channel_name {
            let _ = self.channel.set_attribute("title", channel_name);
            channel_name.clone_into(&mut shown.channel_name);
        }

        if shown.handle != Some(row.name_is_handle) {
            let _ = self.name.set_attribute(
                "class",
                if row.name_is_handle {
                    "sb-row__name sb-row__name--handle"
                } else {
                    "sb-row__name"
                },
            );
            shown.handle = Some(row.name_is_handle);
        }
        if shown.name != row.name {
            text(&self.name, &mut shown.name, row.name.clone());
        }
        if shown.at != Some(row.at) {
            let _ = self.time.set_attribute("datetime", &row.at.to_rfc3339());
            shown.at = Some(row.at);
        }
        text(&self.time, &mut shown.time, t.short_time(row.at, now));

        let preview = match &row.preview_by {
            PreviewBy::Customer => row.preview.clone(),
            PreviewBy::Me => format!("{}{}", t.you_prefix, row.preview),
            PreviewBy::Teammate(name) => format!("{}{}", (t.teammate_prefix)(name), row.preview),
        };
        text(&self.preview, &mut shown.preview, preview);

        if shown.unread != row.unread {
            if row.unread > 0 {
                self.bubble.set_text_content(Some(&row.unread.to_string()));
                if shown.unread == 0 {
                    let _ = self.bottom.append_child(&self.bubble);
                }
            } else {
                self.bubble.remove();
            }
            shown.unread = row.unread;
        }
        if row.unread > 0 {
            let label = (t.unread)(row.unread);
            if shown.unread_label != label {
                let _ = self.bubble.set_attribute("aria-label", &label);
                shown.unread_label = label;
            }
        }

        text(
            &self.where_,
            &mut shown.where_,
            format!("{} · {}", channel_name, row.inbox),
        );
        // How it ended says more than whose it was: it comes first.
        let w = t.workflow;
        let ended = row
            .closed_reason
            .as_ref()
            .map(|reason| format!(" · {}", (w.closed_with)(reason)));
        let assignee = row
            .assignee
            .as_ref()
            .map(|name| format!(" · {}", (t.assigned_to)(name)));
        let snoozed = row.snoozed_until.map(|until| {
            format!(
                " · {}",
                (w.snoozed_until)(&t.moment_in_sentence(until, now))
            )
        });
        let present = |v: &Option<String>| v.is_some();
        let layout_changed = present(&shown.ended) != present(&ended)
            || present(&shown.assignee) != present(&assignee)
            || present(&shown.snoozed) != present(&snoozed);
        if layout_changed {
            for part in [&self.ended, &self.assignee, &self.snoozed] {
                part.remove();
            }
        }
        for (part, was, now) in [
            (&self.ended, &mut shown.ended, ended),
            (&self.assignee, &mut shown.assignee, assignee),
            (&self.snoozed, &mut shown.snoozed, snoozed),
        ] {
            if let Some(value) = &now {
                if was.as_ref() != Some(value) {
                    part.set_text_content(Some(value));
                }
                if layout_changed {
                    let _ = self.meta.append_child(part);
                }
            }
            *was = now;
        }
    }
}

/// Writes `value` into `el` when it differs from what it shows.
fn text(el: &Element, shown: &mut String, value: String) {
    if *shown != value {
        el.set_text_content(Some(&value));
        *shown = value;
    }
}

/// A row's nodes while the row is on screen; back to the pool when it goes.
pub struct Pooled(Option<RowNodes>);

impl Pooled {
    pub fn new(nodes: RowNodes) -> Pooled {
        Pooled(Some(nodes))
    }

    pub fn nodes(&mut self) -> Option<&mut RowNodes> {
        self.0.as_mut()
    }
}

impl Drop for Pooled {
    fn drop(&mut self) {
        let Some(nodes) = self.0.take() else { return };
        nodes.avatar.remove();
        nodes.body.remove();
        FREE.with_borrow_mut(|free| {
            if free.len() < POOL {
                free.push(nodes);
            }
        });
    }
}
