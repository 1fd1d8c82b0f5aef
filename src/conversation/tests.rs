use super::*;
use crate::api::ApiFailure;
use crate::components::{Assignee, FailureLine};
use crate::i18n::Locale;
use crate::state::State;
use chrono::{TimeZone, Utc};
use switchboard_protocol::failures::FailureKind;
use switchboard_protocol::{
    Agent, ApiError, Channel, Contact, ContactId, Conversation, ConversationStatus, Direction,
    ErrorCode, Inbox, InboxId, Message, MessageId, MessageStatus,
};

const ME: AgentId = AgentId(1);
const LUIS: AgentId = AgentId(2);
const ID: ConversationId = ConversationId(7);

fn agent(id: AgentId, name: &str) -> Agent {
    Agent {
        id,
        name: name.into(),
        email: format!("{}@example.com", id.0),
    }
}

/// A state holding one WhatsApp conversation from Elena, assigned to `assignee`.
fn state(channel: Channel, name: Option<&str>, assignee: Option<AgentId>) -> State {
    let at = Utc.with_ymd_and_hms(2026, 11, 21, 10, 0, 0).unwrap();
    let mut state = State {
        me: Some(agent(ME, "Ana García")),
        ..State::default()
    };
    for agent in [agent(ME, "Ana García"), agent(LUIS, "Luis")] {
        state.agents.insert(agent.id, agent);
    }
    state.inboxes.insert(
        InboxId(3),
        Inbox {
            id: InboxId(3),
            channel,
            name: "Soporte".into(),
            address: "+34 910 000 001".into(),
        },
    );
    state.conversations.insert(
        ID,
        Conversation {
            id: ID,
            inbox_id: InboxId(3),
            channel,
            contact: Contact {
                id: ContactId(1),
                channel,
                handle: "+34 644 100 200".into(),
                name: name.map(str::to_owned),
                opted_out: false,
            },
            status: ConversationStatus::Open,
            assignee,
            last_message: None,
            last_activity_at: at,
            last_inbound_at: Some(at),
            unanswered: 0,
            created_at: at,
            version: 1,
            team_id: None,
            snoozed_until: None,
            closure: None,
        },
    );
    state
}

fn message(id: i64, direction: Direction, text: &str) -> Message {
    let at = Utc.with_ymd_and_hms(2026, 11, 21, 10, 0, 0).unwrap();
    Message {
        status: (direction == Direction::Out).then_some(MessageStatus::Sent),
        ..crate::fixtures::message(id, ID, direction, text, at)
    }
}

fn line(message: Message) -> Arc<ThreadLine> {
    Arc::new(ThreadLine::Message {
        message,
        author: None,
        failure: None,
    })
}

fn refused(status: u16, code: ErrorCode) -> ApiFailure {
    ApiFailure::Refused {
        status,
        error: ApiError::new(code, "x"),
    }
}

#[test]
fn the_header_names_the_contact_the_inbox_and_who_has_it() {
    let s = state(Channel::Whatsapp, Some("Elena Ruiz"), None);
    let heading = heading_of(&s, ID).unwrap();
    assert_eq!(heading.name, "Elena Ruiz");
    assert!(!heading.name_is_handle);
    assert_eq!(
        heading.inbox,
        Some(("Soporte".to_owned(), "+34 910 000 001".to_owned()))
    );
    assert_eq!(heading.assignee, Assignee::Nobody);
    assert_eq!(
        heading_of(&state(Channel::Sms, Some("E"), Some(ME)), ID).map(|h| h.assignee),
        Some(Assignee::Me)
    );
    assert_eq!(
        heading_of(&state(Channel::Sms, Some("E"), Some(LUIS)), ID).map(|h| h.assignee),
        Some(Assignee::Teammate("Luis".into()))
    );
    assert_eq!(heading_of(&s, ConversationId(99)), None);
}

#[test]
fn a_contact_without_a_name_is_headed_by_their_handle_once() {
    let heading = heading_of(&state(Channel::Sms, None, None), ID).unwrap();
    assert_eq!(heading.name, "+34 644 100 200");
    assert!(heading.name_is_handle);
}

#[test]
fn saved_replies_variables_stand_for_this_contact_inbox_and_agent() {
    let context = reply_context_of(&state(Channel::Sms, Some("Elena Ruiz"), None), ID);
    assert_eq!(context.inbox, Some(InboxId(3)));
    assert_eq!(context.inbox_name, "Soporte");
    assert_eq!(context.contact_name.as_deref(), Some("Elena Ruiz"));
    assert_eq!(context.agent_name, "Ana García");
    assert_eq!(
        reply_context_of(&State::default(), ID),
        crate::compose::ReplyContext::default()
    );
}

#[test]
fn only_channels_that_fall_back_to_templates_load_them() {
    assert_eq!(
        template_inbox(&state(Channel::Whatsapp, None, None), ID),
        Some(InboxId(3))
    );
    assert_eq!(template_inbox(&state(Channel::Sms, None, None), ID), None);
}

#[test]
fn a_conversation_i_took_is_followed_into_mine() {
    assert!(is_mine(&state(Channel::Sms, None, Some(ME)), ID));
    assert!(!is_mine(&state(Channel::Sms, None, Some(LUIS)), ID));
    assert!(!is_mine(&state(Channel::Sms, None, None), ID));
    let mut closed = state(Channel::Sms, None, Some(ME));
    if let Some(c) = closed.conversations.get_mut(&ID) {
        c.status = ConversationStatus::Closed;
    }
    assert!(!is_mine(&closed, ID));
}

#[test]
fn a_thread_is_marked_read_once_per_newest_item_and_only_on_screen() {
    let seen = (ID, MessageId(5));
    assert!(should_mark(true, 2, false, seen, None));
    assert!(
        !should_mark(false, 2, false, seen, None),
        "the page is hidden"
    );
    assert!(!should_mark(true, 0, false, seen, None), "nothing unread");
    assert!(
        should_mark(true, 0, true, seen, None),
        "mine: opening it takes up an offer"
    );
    assert!(
        !should_mark(true, 2, false, seen, Some(seen)),
        "already marked"
    );
    assert!(should_mark(true, 1, false, (ID, MessageId(6)), Some(seen)));
}

#[test]
fn the_first_look_at_a_thread_says_nothing_and_a_customers_new_message_is_said() {
    let texts = Locale::En.texts();
    let first = [line(message(1, Direction::In, "Hola"))];
    let (key, _) = newest_news(&first, "Elena", texts).unwrap();
    assert!(!worth_saying(None, ID, &key), "the first look");
    let heard = (ID, key);
    assert!(!worth_saying(Some(&heard), ID, &heard.1), "nothing new");

    let later = [
        line(message(1, Direction::In, "Hola")),
        line(message(2, Direction::Out, "¿Sí?")),
        line(message(3, Direction::In, "¿Hay stock?")),
    ];
    let (key, text) = newest_news(&later, "Elena", texts).unwrap();
    assert!(worth_saying(Some(&heard), ID, &key));
    assert!(
        text.contains("Elena") && text.contains("¿Hay stock?"),
        "{text}"
    );
    assert!(
        !worth_saying(Some(&heard), ConversationId(8), &key),
        "another conversation starts silent"
    );
}

#[test]
fn a_reply_that_failed_is_said() {
    let texts = Locale::En.texts();
    let failed = ThreadLine::Message {
        message: message(4, Direction::Out, "Hola"),
        author: None,
        failure: Some(FailureLine {
            kind: FailureKind::Blocked,
            detail: String::new(),
            retry: false,
        }),
    };
    let (key, text) = newest_news(&[Arc::new(failed)], "Elena", texts).unwrap();
    assert_eq!(key, "failed:4:0");
    assert!(
        text.contains((texts.failure_kind)(FailureKind::Blocked)),
        "{text}"
    );
}

#[test]
fn a_thread_that_fails_to_load_says_what_and_why() {
    let texts = Locale::En.texts();
    let offline = LoadProblem::Messages(ApiFailure::Network).text(texts);
    assert!(
        offline.contains("messages could not be loaded"),
        "{offline}"
    );
    assert!(offline.contains(texts.network_error), "{offline}");
    let mismatch = LoadProblem::Conversation(ApiFailure::Unreadable).text(texts);
    assert!(mismatch.contains("Something went wrong"), "{mismatch}");
    assert!(
        !mismatch.contains(texts.network_error),
        "an answer it cannot read is not 'offline'"
    );
    let spanish = LoadProblem::Older(ApiFailure::Network).text(Locale::Es.texts());
    assert!(spanish.contains("anteriores"), "{spanish}");
}

#[test]
fn the_conversation_is_said_first_then_its_messages_then_earlier_ones() {
    let net = || Some(ApiFailure::Network);
    assert_eq!(
        first_problem(None, net(), net()),
        Some(LoadProblem::Messages(ApiFailure::Network))
    );
    assert_eq!(
        first_problem(net(), net(), None),
        Some(LoadProblem::Conversation(ApiFailure::Network))
    );
    assert_eq!(
        first_problem(None, None, net()),
        Some(LoadProblem::Older(ApiFailure::Network))
    );
    assert_eq!(first_problem(None, None, None), None);
}

#[test]
fn only_the_servers_lasting_refusal_makes_a_conversation_missing() {
    assert!(refused(404, ErrorCode::NotFound).is_refused_for_good());
    assert!(!refused(503, ErrorCode::Internal).is_refused_for_good());
    assert!(!refused(429, ErrorCode::Internal).is_refused_for_good());
    assert!(!ApiFailure::Network.is_refused_for_good());
    assert!(!ApiFailure::Unreadable.is_refused_for_good());
}
