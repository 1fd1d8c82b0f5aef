//! The app's components in a real browser (headless Chromium via wasm-bindgen-test-runner):
//! what a person and a screen reader get from them.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used)] // tests stop at the first unexpected error

use chrono::Utc;
use leptos::prelude::*;
use std::sync::{Arc, Mutex};
use switchboard::app::Clock;
use switchboard::components::{
    Composer, ConversationList, ListGroup, MessageList, ThreadLine, ViewTabs,
};
use switchboard::i18n::{I18n, Locale};
use switchboard::state::{PreviewBy, Row};
use switchboard_protocol::{
    Channel, ConversationId, Counts, Direction, Message, MessageId, MessageStatus, View, ViewCount,
};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts `view` with the app's providers into a fresh element and returns that element.
fn mount<V: IntoView + 'static>(view: impl FnOnce() -> V + 'static) -> web_sys::HtmlElement {
    let document = document();
    let host: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&host).unwrap();
    let handle = leptos::mount::mount_to(host.clone(), move || {
        provide_context(I18n {
            locale: RwSignal::new(Locale::En),
        });
        provide_context(Clock(RwSignal::new(Utc::now())));
        view()
    });
    handle.forget();
    host
}

fn message(text: &str, direction: Direction, status: Option<MessageStatus>) -> Message {
    Message {
        id: MessageId(1),
        conversation_id: ConversationId(1),
        direction,
        author: None,
        text: text.into(),
        client_id: None,
        status,
        failure: None,
        created_at: Utc::now(),
    }
}

fn thread(lines: Vec<ThreadLine>) -> web_sys::HtmlElement {
    mount(move || {
        view! {
            <MessageList
                conversation=Signal::derive(|| Some(ConversationId(1)))
                lines=Signal::derive(move || lines.clone())
                loading_older=Signal::derive(|| false)
                reached_start=Signal::derive(|| true)
                on_older=Callback::new(|()| {})
                on_retry=Callback::new(|_| {})
            />
        }
    })
}

#[wasm_bindgen_test]
fn message_text_is_shown_as_text_never_as_html() {
    let hostile = "<img src=x onerror=\"window.hacked=1\">hola <b>amigo</b>";
    let host = thread(vec![ThreadLine::Message {
        message: message(hostile, Direction::In, None),
        author: None,
    }]);
    assert!(
        host.query_selector("img").unwrap().is_none(),
        "no element was made from the text"
    );
    assert!(host.query_selector(".sb-msg__text b").unwrap().is_none());
    let text = host
        .query_selector(".sb-msg__text")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    assert_eq!(text, hostile);
}

#[wasm_bindgen_test]
fn each_outbound_message_names_its_status() {
    for (status, name) in [
        (MessageStatus::Sending, "Sending"),
        (MessageStatus::Sent, "Sent"),
        (MessageStatus::Delivered, "Delivered"),
        (MessageStatus::Read, "Read"),
        (MessageStatus::Failed, "Failed"),
    ] {
        let host = thread(vec![ThreadLine::Message {
            message: message("Hola", Direction::Out, Some(status)),
            author: None,
        }]);
        let mark = host
            .query_selector(&format!("[role=img][aria-label='{name}']"))
            .unwrap();
        assert!(mark.is_some(), "{name} is announced");
    }
}

fn row(unread: u32) -> Row {
    Row {
        id: ConversationId(7),
        version: 1,
        channel: Channel::Whatsapp,
        name: "Lucía Fernández".into(),
        name_is_handle: false,
        preview: "¿Seguís abiertos?".into(),
        preview_by: PreviewBy::Customer,
        last_message: Some(MessageId(1)),
        at: Utc::now(),
        unread,
        assignee: None,
    }
}

fn list(rows: Vec<Row>) -> web_sys::HtmlElement {
    mount(move || {
        let groups = vec![ListGroup {
            channel: None,
            total: rows.len() as u32,
            rows,
        }];
        view! {
            <ConversationList
                view=Signal::derive(|| View::Unassigned)
                groups=Signal::derive(move || groups.clone())
                selected=Signal::derive(|| None)
                loading=Signal::derive(|| false)
                failed=Signal::derive(|| false)
                on_more=Callback::new(|()| {})
            />
        }
    })
}

#[wasm_bindgen_test]
fn an_unread_bubble_says_how_many_are_unread() {
    let host = list(vec![row(3)]);
    let bubble = host
        .query_selector("[role=img][aria-label='3 unread']")
        .unwrap()
        .expect("bubble");
    assert_eq!(bubble.text_content().unwrap(), "3");
    let link = host
        .query_selector("[role=list] li a")
        .unwrap()
        .expect("a row links to its conversation");
    assert_eq!(
        link.get_attribute("href").as_deref(),
        Some("/inbox/unassigned/c/7")
    );
}

#[wasm_bindgen_test]
fn a_preview_says_you_only_for_your_own_reply() {
    let mut teammate = row(0);
    teammate.preview_by = PreviewBy::Teammate("Luis".into());
    let mut own = row(0);
    own.id = ConversationId(8);
    own.preview_by = PreviewBy::Me;
    let host = list(vec![teammate, own]);
    let previews = host.query_selector_all(".sb-row__preview").unwrap();
    let text = |i| previews.item(i).unwrap().text_content().unwrap();
    assert_eq!(text(0), "Luis: ¿Seguís abiertos?");
    assert_eq!(text(1), "You: ¿Seguís abiertos?");
}

#[wasm_bindgen_test]
fn a_row_names_its_channel_for_screen_readers() {
    let host = list(vec![row(0)]);
    let link = host.query_selector("a.sb-row").unwrap().unwrap();
    assert!(link.text_content().unwrap().contains("WhatsApp"));
}

#[wasm_bindgen_test]
fn a_read_conversation_has_no_bubble() {
    let host = list(vec![row(0)]);
    assert!(host.query_selector(".sb-bubble").unwrap().is_none());
}

#[wasm_bindgen_test]
fn tabs_carry_their_counts() {
    let counts = Counts {
        unassigned: ViewCount {
            total: 12,
            unread: 3,
        },
        closed: ViewCount {
            total: 1200,
            unread: 0,
        },
        ..Counts::default()
    };
    let host = mount(move || {
        view! { <ViewTabs current=Signal::derive(|| View::Mine) counts=Signal::derive(move || Some(counts.clone()))/> }
    });
    let tabs = host.query_selector_all("[role=tab]").unwrap();
    assert_eq!(tabs.length(), 4);
    let texts: Vec<String> = (0..tabs.length())
        .map(|i| tabs.item(i).unwrap().text_content().unwrap())
        .collect();
    assert_eq!(texts, ["Inbox12", "Mine0", "All0", "Closed1.2k"]);
    let mine = tabs.item(1).unwrap().unchecked_into::<web_sys::Element>();
    assert_eq!(mine.get_attribute("aria-selected").as_deref(), Some("true"));
}

/// Lets reactive updates reach the DOM (Leptos applies them asynchronously).
async fn settle() {
    gloo_timers::future::TimeoutFuture::new(0).await;
}

fn key(target: &web_sys::HtmlElement, key: &str, shift: bool) -> bool {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key(key);
    init.set_shift_key(shift);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event =
        web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    target.dispatch_event(&event).unwrap()
}

fn type_into(textarea: &web_sys::HtmlTextAreaElement, text: &str) {
    textarea.set_value(text);
    textarea
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
}

#[wasm_bindgen_test]
async fn enter_sends_and_shift_enter_does_not() {
    let sent = Arc::new(Mutex::new(Vec::<String>::new()));
    let log = sent.clone();
    let host = mount(move || {
        view! { <Composer channel=Channel::Whatsapp on_send=Callback::new(move |text| log.lock().unwrap().push(text))/> }
    });
    let textarea: web_sys::HtmlTextAreaElement = host
        .query_selector("textarea[aria-label='Message']")
        .unwrap()
        .unwrap()
        .unchecked_into();
    type_into(&textarea, "  Hola, ¿en qué te ayudo?  ");
    key(&textarea, "Enter", true);
    assert!(sent.lock().unwrap().is_empty(), "Shift+Enter is a new line");
    key(&textarea, "Enter", false);
    assert_eq!(*sent.lock().unwrap(), ["Hola, ¿en qué te ayudo?"]);
    settle().await;
    assert_eq!(
        textarea.value(),
        "",
        "the box is cleared for the next message"
    );
    key(&textarea, "Enter", false);
    assert_eq!(sent.lock().unwrap().len(), 1, "an empty box sends nothing");
}

#[wasm_bindgen_test]
async fn an_over_long_reply_cannot_be_sent_and_says_the_limit() {
    let sent = Arc::new(Mutex::new(0));
    let count = sent.clone();
    let host = mount(move || {
        view! { <Composer channel=Channel::Instagram on_send=Callback::new(move |_| *count.lock().unwrap() += 1)/> }
    });
    let textarea: web_sys::HtmlTextAreaElement = host
        .query_selector("textarea")
        .unwrap()
        .unwrap()
        .unchecked_into();
    type_into(&textarea, &"a".repeat(1001));
    settle().await;
    key(&textarea, "Enter", false);
    assert_eq!(*sent.lock().unwrap(), 0);
    let counter = host
        .query_selector(".sb-composer__counter")
        .unwrap()
        .expect("counter shown")
        .text_content()
        .unwrap();
    assert!(counter.contains("1001/1000"), "{counter}");
    let send: web_sys::HtmlButtonElement = host
        .query_selector("button[type=submit]")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert!(send.disabled());
}
