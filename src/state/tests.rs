use super::*;
use chrono::{Duration, TimeZone, Utc};
use switchboard_protocol::api::{ConversationEntry, ConversationPage, ThreadPage};
use switchboard_protocol::feed::ConversationUnread;
use switchboard_protocol::{
    Channel, ClientId, Contact, ContactId, ConversationStatus, Direction, Failure, LastMessage,
    MessageId, MessageStatus, ThreadItem, ViewCount,
};

const ME: AgentId = AgentId(1);

fn at(minute: i64) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 21, 10, 0, 0).unwrap() + Duration::minutes(minute)
}

fn conversation(id: i64, minute: i64, assignee: Option<AgentId>, version: i64) -> Conversation {
    Conversation {
        id: ConversationId(id),
        inbox_id: InboxId(1),
        channel: Channel::Whatsapp,
        contact: Contact {
            id: ContactId(id),
            channel: Channel::Whatsapp,
            handle: format!("+3460000{id:04}"),
            name: None,
            opted_out: false,
        },
        status: ConversationStatus::Open,
        assignee,
        last_message: Some(LastMessage {
            id: MessageId(id * 100),
            direction: Direction::In,
            author: None,
            preview: "hola".into(),
            at: at(minute),
        }),
        last_activity_at: at(minute),
        last_inbound_at: Some(at(minute)),
        unanswered: 0,
        created_at: at(0),
        version,
        team_id: None,
        snoozed_until: None,
        closure: None,
    }
}

fn outbound(
    id: i64,
    conversation: i64,
    client_id: Option<ClientId>,
    status: MessageStatus,
) -> Message {
    Message {
        author: Some(ME),
        client_id,
        status: Some(status),
        ..crate::fixtures::message(
            id,
            ConversationId(conversation),
            Direction::Out,
            "Hola",
            at(1),
        )
    }
}

fn event(seq: i64, body: EventBody) -> FeedEvent {
    FeedEvent {
        seq: Seq(seq),
        at: at(0),
        body,
    }
}

fn state() -> State {
    State {
        me: Some(Agent {
            id: ME,
            name: "Ana".into(),
            email: "ana@example.com".into(),
        }),
        last_seq: Some(Seq(10)),
        // A member of the inbox every test conversation is in.
        inboxes: [(
            InboxId(1),
            switchboard_protocol::Inbox {
                id: InboxId(1),
                channel: Channel::Whatsapp,
                name: "WhatsApp Ventas".into(),
                address: "+34 910 000 001".into(),
            },
        )]
        .into(),
        ..State::default()
    }
}

fn page(items: Vec<Conversation>, next: Option<&str>, seq: i64) -> ConversationPage {
    ConversationPage {
        items: items
            .into_iter()
            .map(|conversation| ConversationEntry {
                conversation,
                unread: 1,
            })
            .collect(),
        next_cursor: next.map(Into::into),
        seq: Seq(seq),
    }
}

fn status_of(state: &State, conversation: i64, message: i64) -> Option<MessageStatus> {
    state.threads[&ConversationId(conversation)]
        .entries()
        .into_iter()
        .find_map(|e| match e {
            Entry::Item(ThreadItem::Message(m)) if m.id == MessageId(message) => m.status,
            _ => None,
        })
}

fn outgoing(text: &str) -> Outgoing {
    Outgoing {
        text: text.into(),
        ..Outgoing::default()
    }
}

fn client_id(n: u128) -> ClientId {
    ClientId(uuid::Uuid::from_u128(n))
}

#[test]
fn an_event_is_applied_once_even_when_replayed() {
    let mut state = state();
    let created = event(
        11,
        EventBody::ConversationCreated {
            conversation: conversation(5, 1, None, 1),
        },
    );
    assert!(state.apply_event(created.clone()));
    assert!(!state.apply_event(created), "a replayed seq is skipped");
    assert!(!state.apply_event(event(
        9,
        EventBody::ConversationCreated {
            conversation: conversation(6, 1, None, 1)
        }
    )));
    assert!(
        !state.conversations.contains_key(&ConversationId(6)),
        "events at or before the last seq are old news"
    );
    assert_eq!(state.last_seq, Some(Seq(11)));
}

#[test]
fn late_delivered_does_not_downgrade_read() {
    let mut state = state();
    state.watch_thread(ConversationId(5));
    state.apply_event(event(
        11,
        EventBody::MessageCreated {
            message: outbound(50, 5, None, MessageStatus::Sending),
        },
    ));
    let report = |seq, status| {
        event(
            seq,
            EventBody::MessageStatus {
                conversation_id: ConversationId(5),
                message_id: MessageId(50),
                client_id: None,
                status,
                failure: None,
                attempt: 0,
            },
        )
    };
    state.apply_event(report(12, MessageStatus::Read));
    state.apply_event(report(13, MessageStatus::Delivered));
    assert_eq!(status_of(&state, 5, 50), Some(MessageStatus::Read));
}

#[test]
fn a_status_reported_before_its_message_is_loaded_is_kept_for_it() {
    let mut state = state();
    state.watch_thread(ConversationId(5));
    state.apply_event(event(
        11,
        EventBody::MessageStatus {
            conversation_id: ConversationId(5),
            message_id: MessageId(50),
            client_id: None,
            status: MessageStatus::Failed,
            failure: Some(Failure {
                code: "30003".into(),
                reason: "Unreachable".into(),
            }),
            attempt: 0,
        },
    ));
    // The thread page was read before the failure: it still says sent.
    let stale = ThreadPage {
        items: vec![ThreadItem::Message(outbound(
            50,
            5,
            None,
            MessageStatus::Sent,
        ))],
        before: None,
        seq: Seq(10),
    };
    state.apply_thread_page(ConversationId(5), stale, true);
    assert_eq!(status_of(&state, 5, 50), Some(MessageStatus::Failed));
}

#[test]
fn an_older_snapshot_does_not_undo_a_newer_status() {
    let mut state = state();
    state.watch_thread(ConversationId(5));
    state.apply_event(event(
        11,
        EventBody::MessageCreated {
            message: outbound(50, 5, None, MessageStatus::Delivered),
        },
    ));
    let stale = ThreadPage {
        items: vec![ThreadItem::Message(outbound(
            50,
            5,
            None,
            MessageStatus::Sent,
        ))],
        before: None,
        seq: Seq(9),
    };
    state.apply_thread_page(ConversationId(5), stale, true);
    assert_eq!(status_of(&state, 5, 50), Some(MessageStatus::Delivered));
}

#[test]
fn the_servers_copy_replaces_the_optimistic_one_whichever_arrives_first() {
    for echo_first in [true, false] {
        let mut state = state();
        let id = client_id(7);
        state
            .threads
            .entry(ConversationId(5))
            .or_default()
            .add_pending(id, outgoing("Hola"), at(1));
        let echo = event(
            11,
            EventBody::MessageCreated {
                message: outbound(50, 5, Some(id), MessageStatus::Sending),
            },
        );
        let response = outbound(50, 5, Some(id), MessageStatus::Sending);
        if echo_first {
            state.apply_event(echo);
            state.apply_sent(response);
        } else {
            state.apply_sent(response);
            state.apply_event(echo);
        }
        let entries = state.threads[&ConversationId(5)].entries();
        assert_eq!(
            entries.len(),
            1,
            "one copy, never two (echo first: {echo_first})"
        );
        assert!(
            matches!(&entries[0], Entry::Item(ThreadItem::Message(m)) if m.id == MessageId(50))
        );
    }
}

#[test]
fn a_page_that_brings_the_servers_copy_also_replaces_the_optimistic_one() {
    let mut state = state();
    let id = client_id(8);
    state
        .threads
        .entry(ConversationId(5))
        .or_default()
        .add_pending(id, outgoing("Hola"), at(1));
    let page = ThreadPage {
        items: vec![ThreadItem::Message(outbound(
            50,
            5,
            Some(id),
            MessageStatus::Sent,
        ))],
        before: None,
        seq: Seq(12),
    };
    state.apply_thread_page(ConversationId(5), page, true);
    assert_eq!(
        state.threads[&ConversationId(5)].entries().len(),
        1,
        "no second, 'not sent' copy"
    );
}

#[test]
fn events_for_threads_nobody_opened_are_not_kept() {
    let mut state = state();
    state.apply_event(event(
        11,
        EventBody::MessageCreated {
            message: outbound(50, 5, None, MessageStatus::Sending),
        },
    ));
    state.apply_event(event(
        12,
        EventBody::MessageStatus {
            conversation_id: ConversationId(5),
            message_id: MessageId(50),
            client_id: None,
            status: MessageStatus::Read,
            failure: None,
            attempt: 0,
        },
    ));
    assert!(state.threads.is_empty());
    state.watch_thread(ConversationId(5));
    state.apply_event(event(
        13,
        EventBody::MessageCreated {
            message: outbound(51, 5, None, MessageStatus::Sending),
        },
    ));
    assert_eq!(state.threads[&ConversationId(5)].entries().len(), 1);
}

#[test]
fn the_welcome_names_the_log_to_resume_from() {
    let mut state = State::default();
    state.apply_frame(ServerFrame::Welcome {
        agent: Agent {
            id: ME,
            name: "Ana".into(),
            email: "a@x".into(),
        },
        seq: Seq(7),
        log: "6f1c".into(),
        counts: None,
    });
    assert_eq!(
        (state.last_seq, state.log.as_deref()),
        (Some(Seq(7)), Some("6f1c"))
    );
}

#[test]
fn a_stale_conversation_update_is_ignored() {
    let mut state = state();
    state.apply_event(event(
        11,
        EventBody::ConversationUpdated {
            conversation: conversation(5, 3, Some(ME), 4),
        },
    ));
    state.upsert_conversation(conversation(5, 1, None, 3));
    assert_eq!(state.conversations[&ConversationId(5)].assignee, Some(ME));
}

#[test]
fn an_unread_count_older_than_the_one_we_hold_is_ignored() {
    let mut state = state();
    state.set_unread(ConversationId(5), 4, Seq(20));
    state.set_unread(ConversationId(5), 1, Seq(15));
    assert_eq!(state.unread_of(ConversationId(5)), 4);
    state.set_unread(ConversationId(5), 0, Seq(21));
    assert_eq!(state.unread_of(ConversationId(5)), 0);
}

#[test]
fn a_new_conversation_from_the_feed_tops_the_inbox() {
    let mut state = state();
    state.apply_page(
        View::Unassigned,
        page(
            vec![conversation(1, 5, None, 1), conversation(2, 4, None, 1)],
            None,
            10,
        ),
        true,
    );
    state.apply_event(event(
        11,
        EventBody::ConversationCreated {
            conversation: conversation(3, 9, None, 1),
        },
    ));
    state.apply_event(event(
        12,
        EventBody::UnreadCounts {
            counts: Counts::default(),
            conversations: vec![ConversationUnread {
                conversation_id: ConversationId(3),
                unread: 1,
            }],
        },
    ));
    let rows = state.rows(View::Unassigned);
    assert_eq!(rows.iter().map(|r| r.id.0).collect::<Vec<_>>(), [3, 1, 2]);
    assert_eq!(rows[0].unread, 1);
}

#[test]
fn taking_a_conversation_moves_it_from_the_inbox_to_mine() {
    let mut state = state();
    state.apply_page(
        View::Unassigned,
        page(vec![conversation(1, 5, None, 1)], None, 10),
        true,
    );
    state.apply_page(View::Mine, page(vec![], None, 10), true);
    state.apply_event(event(
        11,
        EventBody::ConversationUpdated {
            conversation: conversation(1, 6, Some(ME), 2),
        },
    ));
    assert!(state.rows(View::Unassigned).is_empty());
    assert_eq!(state.rows(View::Mine).len(), 1);
}

#[test]
fn a_list_shows_nothing_older_than_its_loaded_pages() {
    let mut state = state();
    state.apply_page(
        View::All,
        page(
            vec![conversation(1, 50, None, 1), conversation(2, 40, None, 1)],
            Some("more"),
            10,
        ),
        true,
    );
    // Known from another tab, but older than what "All" has loaded: it would open a gap.
    state.upsert_conversation(conversation(9, 10, Some(ME), 1));
    assert_eq!(state.rows(View::All).len(), 2);
    state.apply_page(
        View::All,
        page(vec![conversation(9, 10, Some(ME), 1)], None, 10),
        false,
    );
    assert_eq!(state.rows(View::All).len(), 3);
}

#[test]
fn resync_forgets_the_cache_but_keeps_what_the_agent_is_sending() {
    let mut state = state();
    state.apply_page(
        View::All,
        page(vec![conversation(1, 5, None, 1)], None, 10),
        true,
    );
    let thread = state.threads.entry(ConversationId(1)).or_default();
    thread.add_pending(client_id(1), outgoing("Hola"), at(2));
    thread.insert(ThreadItem::Message(outbound(
        40,
        1,
        None,
        MessageStatus::Read,
    )));
    let generation = state.generation;
    state.apply_frame(ServerFrame::Resync {
        seq: Seq(500),
        counts: Counts::default(),
    });
    assert!(state.conversations.is_empty() && state.lists.is_empty());
    assert_eq!(state.generation, generation + 1);
    assert_eq!(state.last_seq, Some(Seq(500)));
    let entries = state.threads[&ConversationId(1)].entries();
    assert!(matches!(entries.as_slice(), [Entry::Pending(p)] if p.client_id == client_id(1)));
}

#[test]
fn counts_follow_the_newest_event() {
    let mut state = State::default();
    let counts = |total| Counts {
        unassigned: ViewCount { total, unread: 0 },
        ..Counts::default()
    };
    state.apply_frame(ServerFrame::Welcome {
        agent: Agent {
            id: ME,
            name: "Ana".into(),
            email: "a@x".into(),
        },
        seq: Seq(10),
        log: "log-1".into(),
        counts: Some(counts(5)),
    });
    assert_eq!(state.connection, Connection::Live);
    state.apply_event(event(
        11,
        EventBody::UnreadCounts {
            counts: counts(6),
            conversations: vec![],
        },
    ));
    assert_eq!(state.counts.as_ref().unwrap().0.unassigned.total, 6);
}

#[test]
fn reading_locally_clears_the_bubble_until_the_server_says_otherwise() {
    let mut state = state();
    state.set_unread(ConversationId(5), 3, Seq(8));
    state.mark_read_locally(ConversationId(5));
    assert_eq!(state.unread_of(ConversationId(5)), 0);
    state.apply_event(event(
        11,
        EventBody::UnreadCounts {
            counts: Counts::default(),
            conversations: vec![ConversationUnread {
                conversation_id: ConversationId(5),
                unread: 1,
            }],
        },
    ));
    assert_eq!(
        state.unread_of(ConversationId(5)),
        1,
        "a newer message came in after the read"
    );
}

#[test]
fn mine_is_grouped_by_channel_with_the_servers_totals() {
    let mut state = state();
    let mut sms = conversation(2, 4, Some(ME), 1);
    sms.channel = Channel::Sms;
    state.apply_page(
        View::Mine,
        page(vec![conversation(1, 5, Some(ME), 1), sms], Some("more"), 10),
        true,
    );
    let mut counts = Counts::default();
    counts.mine_by_channel.insert(
        Channel::Whatsapp,
        ViewCount {
            total: 7,
            unread: 2,
        },
    );
    counts.mine_by_channel.insert(
        Channel::Sms,
        ViewCount {
            total: 1,
            unread: 0,
        },
    );
    state.counts = Some((counts, Seq(10)));
    let groups = state.groups(View::Mine);
    let summary: Vec<_> = groups
        .iter()
        .map(|g| (g.channel, g.total, g.ids.len()))
        .collect();
    assert_eq!(
        summary,
        [(Some(Channel::Whatsapp), 7, 1), (Some(Channel::Sms), 1, 1)]
    );
}

#[test]
fn a_preview_says_who_wrote_it() {
    let mut state = state();
    state.agents.insert(
        AgentId(2),
        Agent {
            id: AgentId(2),
            name: "Luis Romero".into(),
            email: "l@x".into(),
        },
    );
    let mut mine = conversation(1, 5, Some(ME), 1);
    let mut theirs = conversation(2, 4, Some(ME), 1);
    for (conversation, author) in [(&mut mine, ME), (&mut theirs, AgentId(2))] {
        let last = conversation.last_message.as_mut().unwrap();
        last.direction = Direction::Out;
        last.author = Some(author);
    }
    state.apply_page(
        View::Mine,
        page(
            vec![mine, theirs, conversation(3, 3, Some(ME), 1)],
            None,
            10,
        ),
        true,
    );
    let by: Vec<PreviewBy> = state
        .rows(View::Mine)
        .into_iter()
        .map(|r| r.preview_by)
        .collect();
    assert_eq!(
        by,
        [
            PreviewBy::Me,
            PreviewBy::Teammate("Luis".into()),
            PreviewBy::Customer
        ]
    );
}

#[test]
fn a_contact_without_a_name_is_shown_by_handle() {
    let mut state = state();
    state.apply_page(
        View::Unassigned,
        page(vec![conversation(1, 5, None, 1)], None, 10),
        true,
    );
    let row = &state.rows(View::Unassigned)[0];
    assert!(row.name_is_handle);
    assert_eq!(row.name, "+34600000001");
}

#[test]
fn a_message_sent_again_starts_over_and_ignores_its_failed_attempt() {
    let mut state = state();
    state.watch_thread(ConversationId(5));
    let report = |seq, status, attempt| {
        event(
            seq,
            EventBody::MessageStatus {
                conversation_id: ConversationId(5),
                message_id: MessageId(50),
                client_id: None,
                status,
                failure: (status == MessageStatus::Failed).then(|| Failure {
                    code: "30003".into(),
                    reason: "Unreachable".into(),
                }),
                attempt,
            },
        )
    };
    state.apply_event(event(
        11,
        EventBody::MessageCreated {
            message: outbound(50, 5, None, MessageStatus::Sending),
        },
    ));
    state.apply_event(report(12, MessageStatus::Failed, 0));
    state.apply_event(report(13, MessageStatus::Sending, 1));
    assert_eq!(status_of(&state, 5, 50), Some(MessageStatus::Sending));
    // A page read before the retry still says failed: the newer attempt wins.
    let stale = ThreadPage {
        items: vec![ThreadItem::Message(Message {
            failure: Some(Failure {
                code: "30003".into(),
                reason: "Unreachable".into(),
            }),
            ..outbound(50, 5, None, MessageStatus::Failed)
        })],
        before: None,
        seq: Seq(12),
    };
    state.apply_thread_page(ConversationId(5), stale, true);
    assert_eq!(status_of(&state, 5, 50), Some(MessageStatus::Sending));
    state.apply_event(report(14, MessageStatus::Sent, 1));
    assert_eq!(status_of(&state, 5, 50), Some(MessageStatus::Sent));
}

#[test]
fn unsent_replies_go_oldest_first_and_a_refused_one_waits_for_the_agent() {
    let mut state = state();
    state
        .threads
        .entry(ConversationId(6))
        .or_default()
        .add_pending(client_id(2), outgoing("segundo"), at(2));
    state
        .threads
        .entry(ConversationId(5))
        .or_default()
        .add_pending(client_id(1), outgoing("primero"), at(1));
    let order: Vec<_> = state.unsent().iter().map(|u| u.client_id).collect();
    assert_eq!(
        order,
        [client_id(1), client_id(2)],
        "across conversations too"
    );
    assert_eq!(state.next_unsent().unwrap().client_id, client_id(1));

    let refused = PendingState::Failed {
        reason: "No".into(),
    };
    state.set_pending_state(ConversationId(5), client_id(1), refused);
    assert_eq!(
        state.next_unsent().unwrap().client_id,
        client_id(2),
        "a refusal does not hold up the rest"
    );
    state.apply_sent(outbound(60, 6, Some(client_id(2)), MessageStatus::Sending));
    assert_eq!(state.next_unsent(), None);
    assert_eq!(
        state.unsent().len(),
        1,
        "the refused one stays, for a retry"
    );
}

#[test]
fn replies_kept_from_an_earlier_visit_come_back_once_and_in_their_state() {
    let mut earlier = state();
    earlier
        .threads
        .entry(ConversationId(5))
        .or_default()
        .add_pending(client_id(1), outgoing("primero"), at(1));
    earlier
        .threads
        .entry(ConversationId(5))
        .or_default()
        .add_pending(client_id(2), outgoing("segundo"), at(2));
    earlier.set_pending_state(
        ConversationId(5),
        client_id(2),
        PendingState::Failed {
            reason: "Demasiado largo".into(),
        },
    );
    // What the browser keeps is JSON.
    let kept: Vec<Unsent> =
        serde_json::from_str(&serde_json::to_string(&earlier.unsent()).unwrap()).unwrap();

    let mut now = state();
    assert_eq!(
        now.unsent_of, None,
        "nothing may overwrite the kept copy yet"
    );
    now.restore_unsent(ME, kept.clone());
    now.restore_unsent(ME, kept);
    assert_eq!(now.unsent_of, Some(ME));
    assert_eq!(now.unsent(), earlier.unsent(), "each once, as they were");
    assert_eq!(now.next_unsent().unwrap().client_id, client_id(1));

    // The server already stored the first (its answer was lost): it is not shown twice.
    let mut confirmed = state();
    confirmed.apply_thread_page(
        ConversationId(5),
        ThreadPage {
            items: vec![ThreadItem::Message(outbound(
                70,
                5,
                Some(client_id(1)),
                MessageStatus::Delivered,
            ))],
            before: None,
            seq: Seq(1),
        },
        true,
    );
    confirmed.restore_unsent(ME, earlier.unsent());
    assert_eq!(confirmed.unsent().len(), 1);
}

/// A small deterministic random source, so the order tests try many cases and fail the same way.
struct Dice(u64);

impl Dice {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

/// What a list should show, sorted from scratch: every known conversation the view holds
/// that its pages reach.
fn sorted_from_scratch(state: &State, view: View) -> Vec<ConversationId> {
    let viewer = state.viewer().unwrap();
    let list = &state.lists[&view];
    let mut keys: Vec<_> = state
        .conversations
        .values()
        .filter(|c| view.filter().holds(c, &viewer))
        .map(key_of)
        .filter(|key| list.complete() || list.oldest.is_some_and(|oldest| *key >= oldest))
        .collect();
    keys.sort_by(|a, b| b.cmp(a));
    keys.into_iter().map(|(_, id)| id).collect()
}

#[test]
fn lists_keep_their_order_as_conversations_come_move_and_go() {
    let mut state = state();
    let mut dice = Dice(7);
    let first: Vec<Conversation> = (1..=40)
        .map(|id| conversation(id, 100 - id, None, 1))
        .collect();
    state.apply_page(View::Unassigned, page(first, Some("more"), 10), true);
    state.apply_page(View::Mine, page(vec![], None, 10), true);
    state.apply_page(
        View::All,
        page(vec![conversation(500, 150, None, 1)], Some("more"), 10),
        true,
    );
    let mut seq = 11;
    let mut versions = std::collections::HashMap::new();
    for _ in 0..600 {
        let id = 1 + dice.below(60) as i64;
        let version = versions.entry(id).or_insert(1);
        *version += 1;
        let assignee = (dice.below(3) == 0).then_some(ME);
        let body = if dice.below(20) == 0 {
            EventBody::ConversationGone {
                conversation_id: ConversationId(id),
            }
        } else {
            EventBody::ConversationUpdated {
                conversation: conversation(id, dice.below(200) as i64, assignee, *version),
            }
        };
        state.apply_event(event(seq, body));
        seq += 1;
        if dice.below(50) == 0 {
            // A later page of "All" reaches further down.
            let older = conversation(100 + seq, -(seq), None, 1);
            state.apply_page(View::All, page(vec![older], Some("more"), seq), false);
        }
        for view in [View::Unassigned, View::Mine, View::All] {
            let kept: Vec<_> = state.lists[&view].ids().collect();
            assert_eq!(
                kept,
                sorted_from_scratch(&state, view),
                "{view:?} after seq {seq}"
            );
        }
    }
    assert_eq!(state.work.rebuilt, 3, "only the first pages built lists");
}

#[test]
fn an_event_touches_only_what_it_changed() {
    let mut state = state();
    state.apply_page(
        View::Unassigned,
        page(
            vec![conversation(1, 5, None, 1), conversation(2, 4, None, 1)],
            None,
            10,
        ),
        true,
    );
    state.apply_page(View::Mine, page(vec![], None, 10), true);
    state.watch_thread(ConversationId(1));
    state.take_touched();
    let topics = |state: &mut State| {
        let touched = state.take_touched();
        assert!(!touched.everything);
        touched.distinct()
    };

    // A new message moves conversation 2 to the top of its list: its row and that list.
    state.apply_event(event(
        11,
        EventBody::ConversationUpdated {
            conversation: conversation(2, 9, None, 2),
        },
    ));
    assert_eq!(
        topics(&mut state),
        [Topic::List(View::Unassigned), Topic::Row(ConversationId(2))]
    );
    // Taken: it leaves the queue for "Mine".
    state.apply_event(event(
        12,
        EventBody::ConversationUpdated {
            conversation: conversation(2, 9, Some(ME), 3),
        },
    ));
    assert_eq!(
        topics(&mut state),
        [
            Topic::List(View::Unassigned),
            Topic::List(View::Mine),
            Topic::Row(ConversationId(2))
        ]
    );
    // A change that does not move it touches its row only.
    let mut renamed = conversation(2, 9, Some(ME), 4);
    renamed.contact.name = Some("Rocío".into());
    state.apply_event(event(
        13,
        EventBody::ConversationUpdated {
            conversation: renamed,
        },
    ));
    assert_eq!(topics(&mut state), [Topic::Row(ConversationId(2))]);
    // Counts: the counts and the rows whose bubble changed.
    state.apply_event(event(
        14,
        EventBody::UnreadCounts {
            counts: Counts {
                unassigned: ViewCount {
                    total: 1,
                    unread: 1,
                },
                ..Counts::default()
            },
            conversations: vec![ConversationUnread {
                conversation_id: ConversationId(1),
                unread: 3,
            }],
        },
    ));
    assert_eq!(
        topics(&mut state),
        [Topic::Counts, Topic::Row(ConversationId(1))]
    );
    // A message: the open thread only; nothing at all for a thread nobody has open.
    state.apply_event(event(
        15,
        EventBody::MessageCreated {
            message: outbound(60, 1, None, MessageStatus::Sent),
        },
    ));
    assert_eq!(topics(&mut state), [Topic::Thread(ConversationId(1))]);
    state.apply_event(event(
        16,
        EventBody::MessageCreated {
            message: outbound(61, 2, None, MessageStatus::Sent),
        },
    ));
    assert_eq!(topics(&mut state), []);
    // A replayed event changes nothing.
    state.apply_event(event(
        16,
        EventBody::ConversationUpdated {
            conversation: conversation(1, 99, None, 9),
        },
    ));
    assert_eq!(topics(&mut state), []);
    // A resync touches everything.
    state.apply_frame(ServerFrame::Resync {
        seq: Seq(100),
        counts: Counts::default(),
    });
    assert!(state.take_touched().everything);
}

/// The cost of a burst on a big inbox, counted: loading 10,000 conversations page by page is
/// linear (each page adds its rows by binary search; nothing is sorted again), and 1,000 feed
/// events move one row each and touch a handful of topics, never a whole list rebuilt.
#[test]
fn a_thousand_events_on_ten_thousand_conversations_re_sort_nothing() {
    const N: i64 = 10_000;
    let mut state = state();
    // Newest first, 50 a page, as the server pages them.
    let all: Vec<Conversation> = (0..N)
        .map(|i| conversation(i + 1, N - i, None, 1))
        .collect();
    for (index, chunk) in all.chunks(50).enumerate() {
        let last = (index + 1) * 50 >= all.len();
        let next = (!last).then_some("more");
        state.apply_page(View::Unassigned, page(chunk.to_vec(), next, 10), index == 0);
        state.apply_page(View::All, page(chunk.to_vec(), next, 10), index == 0);
    }
    assert_eq!(state.lists[&View::Unassigned].len(), N as usize);
    assert_eq!(
        state.work.rebuilt, 2,
        "one build per list, at its first page"
    );
    assert!(
        state.work.scanned <= 2 * 2 * N as u64,
        "paging looked at {} conversations: it must stay linear",
        state.work.scanned
    );
    let before = state.work;
    state.take_touched();

    let mut dice = Dice(3);
    let mut most_topics = 0;
    for n in 0..1_000i64 {
        let id = 1 + dice.below(N as u64) as i64;
        // A customer writes: the conversation moves to the top, its bubble grows.
        let seq = 11 + 2 * n;
        state.apply_event(event(
            seq,
            EventBody::ConversationUpdated {
                conversation: conversation(id, N + 1 + n, None, 2 + n),
            },
        ));
        state.apply_event(event(
            seq + 1,
            EventBody::UnreadCounts {
                counts: Counts::default(),
                conversations: vec![ConversationUnread {
                    conversation_id: ConversationId(id),
                    unread: 1 + n as u32,
                }],
            },
        ));
        let touched = state.take_touched();
        assert!(!touched.everything);
        most_topics = most_topics.max(touched.distinct().len());
    }
    let work = state.work;
    assert_eq!(work.rebuilt, before.rebuilt, "no list was built again");
    assert_eq!(
        work.scanned, before.scanned,
        "no conversation was looked at again"
    );
    assert_eq!(
        work.placed - before.placed,
        2 * 2 * 1_000,
        "each event took its row out of two lists and put it back: four binary searches"
    );
    // Its row, the two lists it moved in, the counts.
    assert!(most_topics <= 4, "an event touched {most_topics} topics");
    assert_eq!(state.lists[&View::All].ids().count(), N as usize);
    assert_eq!(
        state.lists[&View::All].ids().collect::<Vec<_>>(),
        sorted_from_scratch(&state, View::All)
    );
}

/// The first screen fetches its snapshots while the feed connects. This state has not been
/// welcomed yet.
fn connecting() -> State {
    State {
        last_seq: None,
        ..state()
    }
}

fn welcome(state: &mut State, seq: i64) {
    state.apply_frame(ServerFrame::Welcome {
        agent: state.me.clone().unwrap(),
        seq: Seq(seq),
        log: "6f1c".into(),
        counts: None,
    });
}

fn workspace(seq: i64) -> switchboard_protocol::api::Workspace {
    switchboard_protocol::api::Workspace {
        me: state().me.unwrap(),
        admin: false,
        agents: Vec::new(),
        inboxes: state().inboxes.into_values().collect(),
        all_inboxes: Vec::new(),
        teams: Vec::new(),
        statuses: Vec::new(),
        wrap_up_reasons: Vec::new(),
        inbox_members: Default::default(),
        seq: Seq(seq),
    }
}

#[test]
fn a_page_from_before_the_feed_began_is_shown_then_fetched_again() {
    let mut state = connecting();
    assert!(state.apply_page(
        View::Unassigned,
        page(vec![conversation(1, 0, None, 1)], None, 9),
        true
    ));
    welcome(&mut state, 12);
    // Something may have happened between 9 and 12 that the feed will not tell.
    let list = &state.lists[&View::Unassigned];
    assert!(!list.loaded, "the view must be fetched again");
    assert_eq!(list.len(), 1, "its rows stay on screen meanwhile");
    // The page fetched again, after the feed began, is kept.
    assert!(state.apply_page(
        View::Unassigned,
        page(vec![conversation(1, 0, None, 1)], None, 12),
        true
    ));
    assert!(state.lists[&View::Unassigned].loaded);
}

#[test]
fn a_page_from_the_feeds_start_or_later_is_kept() {
    let mut state = connecting();
    state.apply_page(
        View::Unassigned,
        page(vec![conversation(1, 0, None, 1)], None, 12),
        true,
    );
    welcome(&mut state, 12);
    assert!(state.lists[&View::Unassigned].loaded);
    assert!(state.apply_page(View::Mine, page(vec![], None, 13), true));
    assert!(state.lists[&View::Mine].loaded);
}

#[test]
fn a_page_answered_after_the_welcome_but_taken_before_it_is_refused() {
    let mut state = connecting();
    welcome(&mut state, 12);
    let fresh = state.apply_page(
        View::Unassigned,
        page(vec![conversation(1, 0, None, 1)], None, 11),
        true,
    );
    assert!(!fresh);
    assert!(!state.lists[&View::Unassigned].loaded);
}

#[test]
fn a_workspace_from_before_the_feed_began_is_fetched_again() {
    let mut state = connecting();
    state.apply_workspace(workspace(9));
    let asked = state.workspace_generation;
    welcome(&mut state, 12);
    assert_eq!(state.workspace_generation, asked + 1);
    // The one fetched again is current; later welcomes (a resumed feed) ask for nothing.
    state.apply_workspace(workspace(12));
    welcome(&mut state, 20);
    assert_eq!(state.workspace_generation, asked + 1);
    // One answered after the welcome but taken before it is asked for again.
    state.apply_workspace(workspace(11));
    assert_eq!(state.workspace_generation, asked + 2);
}
