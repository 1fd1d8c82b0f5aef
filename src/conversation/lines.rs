//! The thread as lines to show: day headings between days, names resolved, texts translated,
//! and what a failed message says about its failure.

use crate::components::{FailureLine, ThreadLine};
use crate::i18n::{EventWords, Texts};
use crate::state::{State, Thread};
use chrono::{DateTime, Local, NaiveDate, Utc};
use std::collections::HashMap;
use std::sync::Arc;
use switchboard_protocol::failures::{FailureKind, check_retry};
use switchboard_protocol::{
    AgentId, Channel, ConversationEvent, Message, MessageId, MessageStatus, ThreadItem,
};

/// The lines built for a thread's items last time. An item that is the same `Arc` as then,
/// and whose line would say the same, keeps its line: a new message builds one line, not the
/// whole thread's (and its day is not worked out again, which asks the browser's clock).
#[derive(Default)]
pub struct LineCache {
    lines: HashMap<MessageId, Cached>,
    /// Lines built (not reused) by the last call, for tests.
    pub built: usize,
}

struct Cached {
    item: Arc<ThreadItem>,
    day: NaiveDate,
    line: Arc<ThreadLine>,
}

/// The thread as lines to show: day headings between days, "New messages" before
/// `unread_from`, names resolved, texts translated.
pub fn thread_lines(
    thread: &Thread,
    state: &State,
    texts: &Texts,
    now: DateTime<Utc>,
    unread_from: Option<MessageId>,
    cache: &mut LineCache,
) -> Vec<Arc<ThreadLine>> {
    let me = state.me.as_ref().map(|a| a.id);
    let name = |id: Option<AgentId>| id.and_then(|id| state.agent_name(id));
    let mut lines = Vec::with_capacity(thread.items().size_hint().0 + 4);
    let mut kept = HashMap::with_capacity(cache.lines.len() + 1);
    let mut last_day = None;
    let mut built = 0;
    let mut day_line = |lines: &mut Vec<Arc<ThreadLine>>, day: NaiveDate, at: DateTime<Utc>| {
        if last_day != Some(day) {
            lines.push(Arc::new(ThreadLine::Day(texts.day_heading(at, now))));
            last_day = Some(day);
        }
    };
    for item in thread.items() {
        let id = item.id();
        let author = match &**item {
            ThreadItem::Message(message) => name(message.author.filter(|a| Some(*a) != me)),
            ThreadItem::Event(_) => None,
        };
        let reused = cache.lines.remove(&id).filter(|cached| {
            Arc::ptr_eq(&cached.item, item)
                && match (&**item, &*cached.line) {
                    (
                        ThreadItem::Message(message),
                        ThreadLine::Message {
                            author: was,
                            failure,
                            ..
                        },
                    ) => was.as_deref() == author && *failure == failure_line(state, message, now),
                    (ThreadItem::Event(event), ThreadLine::Event { text, .. }) => {
                        *text == event_text(event, state, texts, now)
                    }
                    _ => false,
                }
        });
        let cached = reused.unwrap_or_else(|| {
            built += 1;
            let at = item.created_at();
            Cached {
                item: item.clone(),
                day: at.with_timezone(&Local).date_naive(),
                line: Arc::new(match &**item {
                    ThreadItem::Message(message) => ThreadLine::Message {
                        author: author.map(str::to_owned),
                        failure: failure_line(state, message, now),
                        message: message.clone(),
                    },
                    ThreadItem::Event(event) => ThreadLine::Event {
                        id: event.id.0,
                        text: event_text(event, state, texts, now),
                        at: event.created_at,
                    },
                }),
            }
        });
        day_line(&mut lines, cached.day, item.created_at());
        if unread_from == Some(id) {
            lines.push(Arc::new(ThreadLine::Unread(texts.new_messages.to_owned())));
        }
        lines.push(cached.line.clone());
        kept.insert(id, cached);
    }
    for pending in thread.pending_all() {
        built += 1;
        let at = pending.created_at;
        day_line(&mut lines, at.with_timezone(&Local).date_naive(), at);
        lines.push(Arc::new(ThreadLine::Pending(pending.clone())));
    }
    cache.lines = kept;
    cache.built = built;
    lines
}

/// An event of the timeline in words: who did it, to whom, why, in the agent's language.
pub fn event_text(
    event: &ConversationEvent,
    state: &State,
    texts: &Texts,
    now: DateTime<Utc>,
) -> String {
    let agent = |id: Option<AgentId>| id.and_then(|id| state.agent_name(id));
    let details = &event.details;
    let until = details.until.map(|at| texts.moment_in_sentence(at, now));
    (texts.event_text)(&EventWords {
        kind: Some(event.kind),
        actor: agent(event.actor),
        agent: agent(event.agent),
        from_agent: agent(details.from_agent),
        team: details.team.and_then(|t| state.team_name(t)),
        note: details.note.as_deref(),
        reason: details.reason.as_deref(),
        summary: details.summary.as_deref(),
        until: until.as_deref(),
        from_inbox: details.from_inbox.and_then(|i| state.inbox_name(i)),
        to_inbox: details.to_inbox.and_then(|i| state.inbox_name(i)),
        cause: details.cause,
    })
}

/// What a failed message says about its failure, and whether it may be sent again now.
fn failure_line(state: &State, message: &Message, now: DateTime<Utc>) -> Option<FailureLine> {
    let failure = message.failure.as_ref()?;
    if message.status != Some(MessageStatus::Failed) {
        return None;
    }
    let situation = state
        .conversations
        .get(&message.conversation_id)
        .map(|c| c.situation(now));
    let channel = situation.map_or(Channel::Sms, |s| s.channel);
    Some(FailureLine {
        kind: FailureKind::of(channel, failure),
        detail: format!(
            "{}: {} ({})",
            channel.display_name(),
            failure.reason,
            failure.code
        ),
        retry: situation.is_some_and(|s| check_retry(&s, message).is_ok()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use switchboard_protocol::{
        ConversationEvent, ConversationEventKind, ConversationId, Direction, MessageId,
    };

    /// A customer's message in conversation 1.
    fn incoming(id: i64, text: &str, created_at: DateTime<Utc>) -> Message {
        crate::fixtures::message(id, ConversationId(1), Direction::In, text, created_at)
    }

    #[test]
    fn days_are_headed_and_events_name_the_people() {
        let at = |d, h| Utc.with_ymd_and_hms(2026, 11, d, h, 0, 0).unwrap();
        let mut state = State::default();
        state.agents.insert(
            AgentId(2),
            switchboard_protocol::Agent {
                id: AgentId(2),
                name: "Luis".into(),
                email: "l@x".into(),
            },
        );
        let mut thread = Thread::default();
        thread.insert(ThreadItem::Message(incoming(1, "Hola", at(19, 12))));
        thread.insert(ThreadItem::Event(ConversationEvent {
            id: MessageId(2),
            conversation_id: ConversationId(1),
            kind: ConversationEventKind::Assigned,
            actor: Some(AgentId(2)),
            agent: Some(AgentId(2)),
            details: Default::default(),
            created_at: at(21, 9),
        }));
        let texts = crate::i18n::Locale::En.texts();
        let mut cache = LineCache::default();
        let lines = thread_lines(&thread, &state, texts, at(21, 12), None, &mut cache);
        assert!(matches!(&*lines[0], ThreadLine::Day(_)));
        assert!(matches!(&*lines[2], ThreadLine::Day(d) if d == "Today"));
        assert!(
            matches!(&*lines[3], ThreadLine::Event { text, .. } if text == "Luis took the conversation")
        );
        assert_eq!(lines.len(), 4);
    }

    #[test]
    fn new_messages_heads_the_oldest_of_the_unread_customer_messages() {
        let at =
            |m| Utc.with_ymd_and_hms(2026, 11, 21, 9, 0, 0).unwrap() + chrono::Duration::minutes(m);
        let mut thread = Thread::default();
        thread.insert_message(incoming(1, "Hola", at(1)));
        let reply = crate::fixtures::message(2, ConversationId(1), Direction::Out, "Dime", at(2));
        thread.insert_message(reply);
        thread.insert_message(incoming(3, "¿Sigue en pie?", at(3)));
        thread.insert_message(incoming(4, "¿Hola?", at(4)));

        assert_eq!(thread.first_unread(0), None, "nothing unread");
        assert_eq!(thread.first_unread(2), Some(MessageId(3)));
        assert_eq!(
            thread.first_unread(3),
            Some(MessageId(1)),
            "the agent's reply does not count"
        );
        assert_eq!(
            thread.first_unread(4),
            None,
            "the first unread one is further back than what is loaded"
        );
        thread.reached_start = true;
        assert_eq!(thread.first_unread(4), Some(MessageId(1)));

        let texts = crate::i18n::Locale::En.texts();
        let (state, mut cache) = (State::default(), LineCache::default());
        let lines = thread_lines(
            &thread,
            &state,
            texts,
            at(10),
            Some(MessageId(3)),
            &mut cache,
        );
        let at_divider = lines
            .iter()
            .position(|line| matches!(&**line, ThreadLine::Unread(t) if t == "New messages"))
            .unwrap();
        assert!(
            matches!(&*lines[at_divider + 1], ThreadLine::Message { message, .. } if message.id == MessageId(3))
        );
        assert_eq!(
            lines.iter().filter(|line| line.is_marker()).count(),
            2,
            "a day and it"
        );
    }

    #[test]
    fn a_new_message_builds_one_line_and_keeps_the_others() {
        let at =
            |m| Utc.with_ymd_and_hms(2026, 11, 21, 9, 0, 0).unwrap() + chrono::Duration::minutes(m);
        let message = |id: i64| incoming(id, &format!("Mensaje {id}"), at(id));
        let state = State::default();
        let texts = crate::i18n::Locale::En.texts();
        let mut thread = Thread::default();
        for id in 1..=1000 {
            thread.insert_message(message(id));
        }
        let mut cache = LineCache::default();
        let before = thread_lines(&thread, &state, texts, at(2000), None, &mut cache);
        assert_eq!(cache.built, 1000);

        thread.insert_message(message(1001));
        let after = thread_lines(&thread, &state, texts, at(2000), None, &mut cache);
        assert_eq!(cache.built, 1, "only the new message's line is built");
        assert_eq!(after.len(), before.len() + 1);
        assert!(before.iter().zip(&after).all(|(a, b)| **a == **b));
        let kept = before
            .iter()
            .zip(&after)
            .filter(|(a, b)| Arc::ptr_eq(a, b))
            .count();
        assert_eq!(kept, 1000, "every message line is the same `Arc` as before");

        // The same page fetched again changes nothing.
        thread.insert_message(message(500));
        thread_lines(&thread, &state, texts, at(2000), None, &mut cache);
        assert_eq!(cache.built, 0);
    }
}
