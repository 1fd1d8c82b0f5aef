//! Every protocol type against a JSON fixture, both ways: the fixture parses into the type,
//! and the type writes the fixture back exactly (as JSON values, so spacing does not matter).
#![allow(clippy::unwrap_used)] // tests stop at the first unexpected error

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use switchboard_protocol::api::*;
use switchboard_protocol::*;

fn round_trip<T: DeserializeOwned + Serialize>(name: &str) -> T {
    let path = format!("{}/tests/fixtures/{name}.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let expected: Value = serde_json::from_str(&text).expect("fixture is JSON");
    let parsed: T = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
    let written = serde_json::to_value(&parsed).expect("serializes");
    assert_eq!(
        written, expected,
        "{name} does not write back as it was read"
    );
    parsed
}

#[test]
fn model_types_round_trip() {
    let agent: Agent = round_trip("agent");
    assert_eq!(agent.id, AgentId(1));
    let inbox: Inbox = round_trip("inbox");
    assert_eq!(inbox.channel, Channel::Whatsapp);
    let contact: Contact = round_trip("contact");
    assert_eq!(contact.display_name(), "+34 600 123 456");
    let conversation: Conversation = round_trip("conversation");
    assert_eq!(conversation.assignee, Some(AgentId(1)));
    assert_eq!(conversation.last_message.unwrap().direction, Direction::In);
    let inbound: Message = round_trip("message_in");
    assert_eq!(inbound.status, None);
    let failed: Message = round_trip("message_out_failed");
    assert_eq!(failed.status, Some(MessageStatus::Failed));
    assert_eq!(failed.attempt, 1, "sent again once");
    assert_eq!(failed.failure.unwrap().code, "131047");
    let event: ConversationEvent = round_trip("conversation_event");
    assert_eq!(event.kind, ConversationEventKind::Assigned);
    assert!(
        matches!(round_trip("thread_item_message"), ThreadItem::Message(m) if m.status == Some(MessageStatus::Read))
    );
    assert!(
        matches!(round_trip("thread_item_event"), ThreadItem::Event(e) if e.kind == ConversationEventKind::Closed)
    );
    let closed: Conversation = round_trip("conversation_closed");
    let closure = closed.closure.unwrap();
    assert_eq!(closure.reason.as_deref(), Some("Resuelto"));
    assert_eq!(closed.team_id, Some(TeamId(1)));
    let team: Team = round_trip("team");
    assert_eq!((team.members.len(), team.routing), (1, None));
    let filter: Filter = round_trip("filter");
    assert_eq!(filter.assignee, Some(AssigneeFilter::Nobody));
    assert_eq!(filter.team, Some(TeamFilter::Team(TeamId(2))));
    let counts: Counts = round_trip("counts");
    assert_eq!(counts.mine_by_channel[&Channel::Whatsapp].unread, 2);
}

#[test]
fn rest_bodies_round_trip() {
    let login: LoginRequest = round_trip("login_request");
    assert_eq!(login.email, "ana@example.com");
    let session: Session = round_trip("session");
    assert_eq!(session.agent.name, "Ana García");
    let workspace: Workspace = round_trip("workspace");
    assert_eq!(workspace.agents.len(), 2);
    assert!(workspace.admin);
    assert_eq!(workspace.seq, Seq(1290));
    assert_eq!(workspace.statuses[1].availability, Availability::Away);
    let transfer: Transfer = round_trip("transfer");
    assert_eq!(transfer.to, TransferTarget::Agent(AgentId(2)));
    let to_team: Transfer = round_trip("transfer_to_team");
    assert_eq!(
        (to_team.to, to_team.confirmed),
        (TransferTarget::Team(TeamId(2)), false)
    );
    let close: Close = round_trip("close");
    assert_eq!(close.reason, Some(WrapUpReasonId(1)));
    let snooze: Snooze = round_trip("snooze");
    assert_eq!(snooze.version, Some(5));
    let move_to: MoveTo = round_trip("move_to");
    assert_eq!(move_to.inbox_id, InboxId(7));
    let start: StartConversation = round_trip("start_conversation");
    assert_eq!((start.channel, start.from), (Channel::Sms, InboxId(2)));
    let team: SaveTeam = round_trip("save_team");
    assert_eq!(team.routing.unwrap().capacity, 4);
    let page: ConversationPage = round_trip("conversation_page");
    assert_eq!(page.items[0].unread, 2);
    assert_eq!(page.seq, Seq(1204));
    let snapshot: ConversationSnapshot = round_trip("conversation_snapshot");
    assert_eq!(
        snapshot.entry.conversation.status,
        ConversationStatus::Closed
    );
    let thread: ThreadPage = round_trip("thread_page");
    assert_eq!(thread.items[1].id(), MessageId(881));
    let send: SendMessage = round_trip("send_message");
    assert_eq!(
        send.client_id.to_string(),
        "0b6f8f4e-2d55-4d6a-9a38-35d8f5d0c7a1"
    );
    let read: MarkRead = round_trip("mark_read");
    assert_eq!(read.up_to, MessageId(904));
    let assign: Assign = round_trip("assign");
    assert_eq!(assign.agent_id, AgentId(1));
    let inbound: SandboxInbound = round_trip("sandbox_inbound");
    assert_eq!(inbound.channel, Channel::Whatsapp);
    let received: InboundReceived = round_trip("inbound_received");
    assert!(!received.created);
    let error: ApiError = round_trip("api_error");
    assert_eq!(error.code, ErrorCode::InvalidCredentials);
}

#[test]
fn feed_frames_round_trip() {
    let hello: ClientFrame = round_trip("client_hello");
    assert_eq!(
        hello,
        ClientFrame::Hello {
            token: Some("q3J0bOpaque_Token-Value".into()),
            since: Some(Seq(1200)),
            log: Some("6f1c2a9e0b7d4c11".into()),
        }
    );
    let fresh: ClientFrame = round_trip("client_hello_fresh");
    assert_eq!(
        fresh,
        ClientFrame::Hello {
            token: None,
            since: None,
            log: None,
        }
    );
    assert_eq!(round_trip::<ClientFrame>("client_ping"), ClientFrame::Ping);

    assert!(matches!(
        round_trip("server_welcome"),
        ServerFrame::Welcome {
            seq: Seq(1204),
            counts: None,
            ..
        }
    ));
    assert!(matches!(
        round_trip("server_resync"),
        ServerFrame::Resync { seq: Seq(1204), .. }
    ));
    assert_eq!(round_trip::<ServerFrame>("server_pong"), ServerFrame::Pong);
    assert!(
        matches!(round_trip("server_error"), ServerFrame::Error(e) if e.code == ErrorCode::Unauthenticated)
    );
}

#[test]
fn every_event_kind_round_trips_with_its_seq() {
    let cases = [
        ("event_message_created", "message.created", 1205),
        ("event_message_status", "message.status", 1206),
        ("event_conversation_created", "conversation.created", 1207),
        ("event_conversation_updated", "conversation.updated", 1208),
        ("event_conversation_event", "conversation.event", 1209),
        ("event_unread_counts", "unread.counts", 1210),
        ("event_conversation_transferred", "conversation.event", 1310),
        ("event_conversation_gone", "conversation.gone", 1311),
        ("event_agent_status", "agent.status", 1312),
        ("event_workspace_changed", "workspace.changed", 1313),
    ];
    for (fixture, kind, seq) in cases {
        let ServerFrame::Event(event) = round_trip::<ServerFrame>(fixture) else {
            panic!("{fixture} is not an event frame");
        };
        assert_eq!(event.body.kind(), kind);
        assert_eq!(event.seq, Seq(seq));
    }
}

#[test]
fn unknown_frames_and_missing_fields_are_refused_not_guessed() {
    assert!(serde_json::from_str::<ClientFrame>(r#"{"type":"subscribe"}"#).is_err());
    assert!(serde_json::from_str::<SendMessage>(r#"{"text":"hola"}"#).is_err());
    assert!(
        serde_json::from_str::<SendMessage>(r#"{"client_id":"not-a-uuid","text":"hola"}"#).is_err()
    );
    assert!(
        serde_json::from_str::<SandboxInbound>(r#"{"channel":"fax","from":"1","text":"x"}"#)
            .is_err()
    );
}
