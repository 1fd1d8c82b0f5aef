//! The thread as lines to show: day headings between days, names resolved, texts translated,
//! and what a failed message says about its failure.

use crate::components::{FailureLine, ThreadLine};
use crate::i18n::{EventWords, Texts};
use crate::state::{Entry, State};
use chrono::{DateTime, Local, Utc};
use switchboard_protocol::failures::{FailureKind, check_retry};
use switchboard_protocol::{
    AgentId, Channel, ConversationEvent, Message, MessageStatus, ThreadItem,
};

/// The thread as lines to show: day headings between days, names resolved, texts translated.
pub fn thread_lines(
    entries: &[Entry],
    state: &State,
    texts: &Texts,
    now: DateTime<Utc>,
) -> Vec<ThreadLine> {
    let me = state.me.as_ref().map(|a| a.id);
    let name = |id: Option<AgentId>| id.and_then(|id| state.agent_name(id)).map(str::to_owned);
    let mut lines = Vec::with_capacity(entries.len() + 4);
    let mut last_day = None;
    for entry in entries {
        let at = match entry {
            Entry::Item(item) => item.created_at(),
            Entry::Pending(pending) => pending.created_at,
        };
        let day = at.with_timezone(&Local).date_naive();
        if last_day != Some(day) {
            lines.push(ThreadLine::Day(texts.day_heading(at, now)));
            last_day = Some(day);
        }
        lines.push(match entry {
            Entry::Item(ThreadItem::Message(message)) => ThreadLine::Message {
                author: name(message.author.filter(|a| Some(*a) != me)),
                failure: failure_line(state, message, now),
                message: message.clone(),
            },
            Entry::Item(ThreadItem::Event(event)) => ThreadLine::Event {
                id: event.id.0,
                text: event_text(event, state, texts, now),
                at: event.created_at,
            },
            Entry::Pending(pending) => ThreadLine::Pending(pending.clone()),
        });
    }
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
    use crate::state::Thread;
    use chrono::TimeZone;
    use switchboard_protocol::{
        ConversationEvent, ConversationEventKind, ConversationId, Direction, MessageId,
    };

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
        thread.insert(ThreadItem::Message(Message {
            id: MessageId(1),
            conversation_id: ConversationId(1),
            direction: Direction::In,
            author: None,
            text: "Hola".into(),
            client_id: None,
            status: None,
            failure: None,
            human_agent: false,
            note: false,
            attachments: Vec::new(),
            template: None,
            attempt: 0,
            created_at: at(19, 12),
        }));
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
        let lines = thread_lines(&thread.entries(), &state, texts, at(21, 12));
        assert!(matches!(&lines[0], ThreadLine::Day(_)));
        assert!(matches!(&lines[2], ThreadLine::Day(d) if d == "Today"));
        assert!(
            matches!(&lines[3], ThreadLine::Event { text, .. } if text == "Luis took the conversation")
        );
        assert_eq!(lines.len(), 4);
    }
}
