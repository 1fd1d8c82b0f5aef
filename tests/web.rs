//! The app's components in a real browser (headless Chromium via wasm-bindgen-test-runner):
//! what a person and a screen reader get from them.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used)] // tests stop at the first unexpected error

use chrono::Utc;
use leptos::prelude::*;
use std::sync::{Arc, Mutex};
use switchboard::app::Clock;
use switchboard::components::{
    Composer, ConversationList, FailureLine, MessageList, ThreadLine, ViewTabs,
};
use switchboard::i18n::{I18n, Locale};
use switchboard::state::{ListGroup, Outgoing, PreviewBy, Row};
use switchboard_protocol::failures::FailureKind;
use switchboard_protocol::rules::Situation;
use switchboard_protocol::templates::Template;
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
        provide_context(switchboard::state::Store::new());
        provide_context(switchboard::api::Api::new());
        provide_context(switchboard::preferences::Preferences::load());
        provide_context(switchboard::quick_replies::QuickReplies::new(
            switchboard::session::Session::new(),
        ));
        provide_context(switchboard::emoji::EmojiLibrary::new());
        provide_context(switchboard::drafts::Composing::new());
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
        human_agent: false,
        note: false,
        attachments: Vec::new(),
        template: None,
        attempt: 0,
        created_at: Utc::now(),
    }
}

/// A conversation on `channel` whose customer last wrote `hours` ago.
fn situation(channel: Channel, hours: i64) -> Situation {
    let now = Utc::now();
    Situation {
        channel,
        last_inbound_at: Some(now - chrono::Duration::hours(hours)),
        unanswered: 0,
        opted_out: false,
        now,
    }
}

fn composer(
    situation: Situation,
    templates: Vec<Template>,
    on_send: Callback<Outgoing>,
) -> web_sys::HtmlElement {
    mount(move || {
        view! {
            <Composer
                channel=situation.channel
                conversation=ConversationId(1)
                keep_for=None
                context=Signal::derive(switchboard::compose::ReplyContext::default)
                situation=Signal::derive(move || situation)
                templates=Signal::derive(move || templates.clone())
                on_send=on_send
            />
        }
    })
}

fn thread(lines: Vec<ThreadLine>) -> web_sys::HtmlElement {
    mount(move || {
        view! {
            <MessageList
                conversation=Signal::derive(|| Some(ConversationId(1)))
                lines=Signal::derive(move || lines.iter().cloned().map(std::sync::Arc::new).collect::<Vec<_>>())
                loading_older=Signal::derive(|| false)
                reached_start=Signal::derive(|| true)
                on_older=Callback::new(|_| {})
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
        failure: None,
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
            failure: None,
        }]);
        let mark = host
            .query_selector(&format!("[role=img][aria-label='{name}']"))
            .unwrap();
        assert!(mark.is_some(), "{name} is announced");
    }
}

#[wasm_bindgen_test]
fn a_failure_says_what_happened_and_offers_retry_only_where_it_helps() {
    for (kind, retry, says) in [
        (
            FailureKind::Unreachable,
            true,
            "The customer's phone or mailbox could not be reached. Try again later.",
        ),
        (
            FailureKind::InvalidRecipient,
            false,
            "This address cannot receive messages on this channel.",
        ),
    ] {
        let host = thread(vec![ThreadLine::Message {
            message: message("Hola", Direction::Out, Some(MessageStatus::Failed)),
            author: None,
            failure: Some(FailureLine {
                kind,
                detail: "SMS: Unreachable destination handset (30003)".into(),
                retry,
            }),
        }]);
        let failure = host.query_selector(".sb-msg__failure").unwrap().unwrap();
        let text = failure.text_content().unwrap();
        assert!(text.contains(says), "{text}");
        assert!(text.contains("(30003)"), "the provider's detail: {text}");
        let button = failure.query_selector("button").unwrap();
        assert_eq!(button.is_some(), retry, "{kind:?}");
        if let Some(button) = button {
            assert_eq!(button.text_content().unwrap().trim(), "Retry");
        }
    }
}

fn row(unread: u32) -> Row {
    Row {
        id: ConversationId(7),
        version: 1,
        channel: Channel::Whatsapp,
        inbox: "WhatsApp Ventas".into(),
        name: "Lucía Fernández".into(),
        name_is_handle: false,
        preview: "¿Seguís abiertos?".into(),
        preview_by: PreviewBy::Customer,
        last_message: Some(MessageId(1)),
        at: Utc::now(),
        unread,
        assignee: None,
        closed_reason: None,
        snoozed_until: None,
    }
}

fn list(rows: Vec<Row>) -> web_sys::HtmlElement {
    mount(move || {
        let groups = vec![ListGroup {
            channel: None,
            total: rows.len() as u32,
            ids: rows.iter().map(|r| r.id).collect(),
        }];
        let row = Callback::new(move |id| rows.iter().find(|r| r.id == id).cloned());
        view! {
            <ConversationList
                view=Signal::derive(|| View::Unassigned)
                groups=Signal::derive(move || groups.clone())
                row=row
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
fn a_row_names_its_channel_and_the_entry_point_the_customer_wrote_to() {
    let host = list(vec![row(0)]);
    let meta = host
        .query_selector("a.sb-row .sb-row__meta")
        .unwrap()
        .unwrap();
    assert_eq!(meta.text_content().unwrap(), "WhatsApp · WhatsApp Ventas");
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
    assert_eq!(tabs.length(), 5);
    let texts: Vec<String> = (0..tabs.length())
        .map(|i| tabs.item(i).unwrap().text_content().unwrap())
        .collect();
    assert_eq!(
        texts,
        ["Inbox12", "Mine0", "All0", "Snoozed0", "Closed1.2k"]
    );
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
    let host = composer(
        situation(Channel::Whatsapp, 1),
        vec![],
        Callback::new(move |outgoing: Outgoing| log.lock().unwrap().push(outgoing.text)),
    );
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
    let host = composer(
        situation(Channel::Instagram, 1),
        vec![],
        Callback::new(move |_| *count.lock().unwrap() += 1),
    );
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

#[wasm_bindgen_test]
async fn outside_the_whatsapp_window_only_a_filled_in_template_can_be_sent() {
    let sent = Arc::new(Mutex::new(Vec::<Outgoing>::new()));
    let log = sent.clone();
    let template = Template {
        name: "seguimiento_pedido".into(),
        language: "es".into(),
        body: "Hola {{1}}, tu pedido {{2}}.".into(),
    };
    let host = composer(
        situation(Channel::Whatsapp, 30),
        vec![template],
        Callback::new(move |outgoing| log.lock().unwrap().push(outgoing)),
    );
    settle().await;
    let notice = host
        .query_selector("[role=status]")
        .unwrap()
        .expect("a notice says why")
        .text_content()
        .unwrap();
    assert!(notice.contains("approved templates"), "{notice}");
    assert!(
        host.query_selector("textarea").unwrap().is_none(),
        "no free text outside the window"
    );
    let send: web_sys::HtmlButtonElement = host
        .query_selector("button[type=submit]")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert!(send.disabled(), "not before the values are filled in");
    let inputs = host
        .query_selector_all(".sb-template__values input")
        .unwrap();
    assert_eq!(inputs.length(), 2);
    for (i, value) in ["Lucía", "48213"].iter().enumerate() {
        let input: web_sys::HtmlInputElement = inputs.item(i as u32).unwrap().unchecked_into();
        input.set_value(value);
        input
            .dispatch_event(&web_sys::Event::new("input").unwrap())
            .unwrap();
    }
    settle().await;
    let preview = host
        .query_selector(".sb-template__preview")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    assert_eq!(preview, "Hola Lucía, tu pedido 48213.");
    assert!(!send.disabled());
    send.click();
    let sent = sent.lock().unwrap();
    assert_eq!(sent.len(), 1);
    assert_eq!(
        sent[0].template.as_ref().map(|t| t.params.clone()),
        Some(vec!["Lucía".to_owned(), "48213".to_owned()])
    );
}

#[wasm_bindgen_test]
async fn a_contact_who_replied_stop_cannot_be_written_to() {
    let mut stopped = situation(Channel::Sms, 1);
    stopped.opted_out = true;
    let host = composer(stopped, vec![], Callback::new(|_| {}));
    settle().await;
    let notice = host
        .query_selector("[role=status]")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    assert!(notice.contains("STOP"), "{notice}");
    let textarea: web_sys::HtmlTextAreaElement = host
        .query_selector("textarea")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert!(textarea.disabled());
}

#[wasm_bindgen_test]
async fn an_sms_draft_shows_how_many_segments_it_costs() {
    let host = composer(situation(Channel::Sms, 1), vec![], Callback::new(|_| {}));
    let textarea: web_sys::HtmlTextAreaElement = host
        .query_selector("textarea")
        .unwrap()
        .unwrap()
        .unchecked_into();
    type_into(&textarea, &"á".repeat(71));
    settle().await;
    let counter = host
        .query_selector(".sb-composer__counter")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    assert_eq!(counter, "71 characters · 2 SMS messages of 67");
}
