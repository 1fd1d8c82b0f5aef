use super::Texts;
use crate::preferences::SendKey;
use switchboard_protocol::failures::FailureKind;
use switchboard_protocol::rules::{Outside, Refusal};
use switchboard_protocol::{Cause, Channel, ConversationEventKind, MessageStatus, View};

pub const TEXTS: Texts = Texts {
    language_name: "English",
    product: "Switchboard",

    login_title: "Log in to Switchboard",
    login_subtitle: "Every customer conversation, in one inbox.",
    email: "Email",
    password: "Password",
    log_in: "Log in",
    logging_in: "Logging in…",
    log_out: "Log out",
    demo_hint: "Demo: ana@example.com or luis@example.com, password demo1234",
    language: "Language",

    tabs_label: "Conversation views",
    view_name: |view| match view {
        View::Unassigned => "Inbox",
        View::Mine => "Mine",
        View::All => "All",
        View::Closed => "Closed",
        View::Snoozed => "Snoozed",
    },
    conversations_label: "Conversations",
    channel_conversations: |channel| format!("{channel} conversations"),
    unread: |n| format!("{n} unread"),
    you_prefix: "You: ",
    teammate_prefix: |name| format!("{name}: "),
    search: "Search",
    search_placeholder: "Search (/)",
    search_results: "Search results",
    search_contacts: "Contacts",
    search_messages: "Messages",
    search_hint: "Type a word, a name or a number.",
    search_more: "Show more",
    search_failed: "The search did not finish.",
    search_nothing: "Nothing found. Closed conversations are searched too.",
    search_closed: "Closed",
    channel_name: |channel| match channel {
        Channel::Email => "Email",
        Channel::Webchat => "Web chat",
        other => other.display_name(),
    },
    empty_view: |view| match view {
        View::Unassigned => "The queue is empty. New conversations land here.",
        View::Mine => "Nothing assigned to you. Take one from the Inbox.",
        View::All => "No open conversations.",
        View::Closed => "No closed conversations yet.",
        View::Snoozed => {
            "Nothing snoozed. Snoozed conversations come back on time, or when the customer writes."
        }
    },
    loading: "Loading…",
    load_more: "Load more",
    assigned_to: |name| format!("Assigned to {name}"),

    skip_to_conversation: "Skip to the conversation",
    new_messages: "New messages",
    announce_message: |name, text| format!("New message from {name}: {text}"),
    announce_failed: |reason| format!("A message was not delivered: {reason}"),
    pick_a_conversation: "Pick a conversation",
    pick_a_conversation_hint: "Choose one from the list to read and reply.",
    back_to_list: "Back to the list",
    assign_to_me: "Assign to me",
    assigned_to_you: "Assigned to you",
    unassigned: "Unassigned",
    closed_badge: "Closed",
    loading_older: "Loading earlier messages…",
    thread_start: "Start of the conversation",
    status_name: |status| match status {
        MessageStatus::Sending => "Sending",
        MessageStatus::Sent => "Sent",
        MessageStatus::Delivered => "Delivered",
        MessageStatus::Read => "Read",
        MessageStatus::Failed => "Failed",
    },
    event_text: |e| {
        let actor = e.actor.unwrap_or("Switchboard");
        let agent = e.agent.unwrap_or("someone");
        let Some(kind) = e.kind else {
            return String::new();
        };
        match kind {
            ConversationEventKind::Created if e.actor.is_some() => {
                format!("{actor} started the conversation")
            }
            ConversationEventKind::Created => "Conversation started".to_owned(),
            ConversationEventKind::Assigned if e.actor == e.agent => {
                format!("{actor} took the conversation")
            }
            ConversationEventKind::Assigned => {
                format!("{actor} assigned the conversation to {agent}")
            }
            ConversationEventKind::Unassigned => {
                format!("{actor} sent the conversation back to the queue")
            }
            ConversationEventKind::Transferred => match (e.agent, e.team) {
                (_, Some(team)) => format!(
                    "{actor} transferred the conversation to the {team} team{}",
                    super::quoted(e.note)
                ),
                _ => format!(
                    "{actor} transferred the conversation to {agent}{}",
                    super::quoted(e.note)
                ),
            },
            ConversationEventKind::Closed => match e.reason {
                Some(reason) => format!(
                    "{actor} closed the conversation: {reason}{}",
                    e.summary.map(|s| format!(" — “{s}”")).unwrap_or_default()
                ),
                None => format!(
                    "{actor} closed the conversation{}",
                    super::quoted(e.summary)
                ),
            },
            ConversationEventKind::Reopened if e.actor.is_none() => {
                "The customer wrote: the conversation is open again".to_owned()
            }
            ConversationEventKind::Reopened => format!("{actor} reopened the conversation"),
            ConversationEventKind::Snoozed => format!(
                "{actor} snoozed the conversation until {}",
                e.until.unwrap_or("later")
            ),
            ConversationEventKind::Woke => match e.cause {
                Some(Cause::CustomerWrote) => "The customer wrote: back from snooze".to_owned(),
                Some(_) => "Back from snooze: its time came".to_owned(),
                None => format!("{actor} ended the snooze"),
            },
            ConversationEventKind::Moved => format!(
                "{actor} moved the conversation from {} to {}",
                e.from_inbox.unwrap_or("another inbox"),
                e.to_inbox.unwrap_or("another inbox")
            ),
            ConversationEventKind::Offered => {
                format!("Routing offered the conversation to {agent}")
            }
            ConversationEventKind::Returned => {
                format!("{agent} did not open it in time: back to the queue")
            }
            ConversationEventKind::OptedOut => {
                "The customer replied STOP: no more messages until they opt back in".to_owned()
            }
            ConversationEventKind::OptedIn => "The customer opted back in to messages".to_owned(),
        }
    },
    workflow: &super::workflow::EN,
    someone: "Someone",
    customer: "Customer",
    part_not_loaded: "This part of Switchboard could not be loaded. Check the connection and try again.",
    retry: "Retry",
    not_sent: "Not sent",
    failure_kind: |kind| match kind {
        FailureKind::Unreachable => {
            "The customer's phone or mailbox could not be reached. Try again later."
        }
        FailureKind::InvalidRecipient => "This address cannot receive messages on this channel.",
        FailureKind::Blocked => "The customer has blocked this account or cannot be reached by it.",
        FailureKind::OptedOut => "The customer asked to receive no more messages.",
        FailureKind::WindowClosed => "The reply window had closed. Send a template instead.",
        FailureKind::Filtered => {
            "The carrier filtered it as spam or for its content. Change it and send a new one."
        }
        FailureKind::RateLimited => {
            "Too many messages went out too quickly. Try again in a few minutes."
        }
        FailureKind::ProviderTrouble => "The provider had a problem delivering it. Try again.",
        FailureKind::Misconfigured => {
            "This inbox is not connected to its provider correctly. Tell an administrator."
        }
        FailureKind::MayHaveGone => {
            "No answer came from the provider: it may have gone out. Check with the customer before sending it again."
        }
        FailureKind::NotSent => {
            "It was not sent: the server stopped before handing it over. Try again."
        }
        FailureKind::Unknown => "The provider could not deliver it.",
    },
    conversation_not_found: "This conversation does not exist, or you do not have access to it.",
    conversation_load_failed: "This conversation could not be loaded.",
    messages_load_failed: "The messages could not be loaded.",
    older_load_failed: "Earlier messages could not be loaded.",

    message: "Message",
    message_placeholder: "Write a reply…",
    send: "Send",
    hint_enter_sends: "Enter to send · Shift+Enter for a new line",
    hint_mod_enter_sends: "Ctrl/⌘+Enter to send · Enter for a new line",
    composer_kind: "Write",
    reply_kind: "Reply",
    private_note: "Private note",
    add_note: "Add note",
    note_placeholder: "Write a note for your team…",
    note_hint: "Only your team sees notes · ",
    waiting_for_connection: "Waiting for the connection: it goes as soon as it is back.",
    quick_replies: "Quick replies",
    search_quick_replies: "Search quick replies",
    templates: "Browse templates",
    search_templates: "Search templates",
    nothing_found: "Nothing matches.",
    unfilled_variables: |names| format!("Fill in or remove {names} before sending."),
    emoji: "Emoji",
    attach: "Attach files",
    attachments: "Attachments",
    drop_files: "Drop the files to attach them",
    remove_named: |name| format!("Remove {name}"),
    cancel_upload_named: |name| format!("Cancel uploading {name}"),
    uploading_named: |name| format!("Uploading {name}"),
    download_named: |name| format!("Download {name}"),
    open_image: |name| format!("Open {name}"),
    show_all: "Show all",
    show_less: "Show less",
    close: "Close",
    emoji_picker: "Emojis",
    search_emoji: "Search emojis",
    emoji_groups: "Emoji groups",
    emoji_group: |id| match id {
        "recent" => "Recently used",
        "smileys_emotion" => "Smileys and emotions",
        "people_body" => "People",
        "animals_nature" => "Animals and nature",
        "food_drink" => "Food and drink",
        "travel_places" => "Travel and places",
        "activities" => "Activities",
        "objects" => "Objects",
        "symbols" => "Symbols",
        _ => "Flags",
    },
    no_recent_emoji: "Emojis you use will show here.",
    skin_tone: "Skin tone",
    skin_tone_name: |tone| {
        [
            "No skin tone",
            "Light",
            "Medium-light",
            "Medium",
            "Medium-dark",
            "Dark",
        ][tone.min(5)]
    },

    settings: "Settings",
    back_to_inbox: "Back to the inbox",
    sending_settings: "Sending",
    send_with: "Send messages with",
    send_key_name: |key| match key {
        SendKey::Enter => "Enter (Shift+Enter for a new line)",
        SendKey::ModEnter => "Ctrl/⌘+Enter (Enter for a new line)",
    },
    new_quick_reply: "New quick reply",
    quick_replies_hint: "Type / and the shortcut in a reply to insert it. Replies shared with an inbox are the whole team's.",
    shortcut: "Shortcut",
    title: "Title",
    shared_with: "Who can use it",
    only_me: "Only me",
    reply_text: "Text",
    variables_hint: "Filled in when inserted:",
    save: "Save",
    cancel: "Cancel",
    edit: "Edit",
    delete: "Delete",
    edit_named: |shortcut| format!("Edit /{shortcut}"),
    delete_named: |shortcut| format!("Delete /{shortcut}"),
    confirm_delete_quick_reply: |shortcut| format!("Delete the quick reply /{shortcut}?"),
    quick_reply_invalid: |invalid| {
        use switchboard_protocol::quick_replies::{
            Invalid, MAX_BODY_CHARS, MAX_SHORTCUT_CHARS, MAX_TITLE_CHARS,
        };
        match invalid {
            Invalid::ShortcutEmpty => "Give it a shortcut.".to_owned(),
            Invalid::ShortcutCharacters => {
                "The shortcut is one word: letters, digits, - and _.".to_owned()
            }
            Invalid::ShortcutTooLong => {
                format!("The shortcut can have at most {MAX_SHORTCUT_CHARS} characters.")
            }
            Invalid::TitleEmpty => "Give it a title.".to_owned(),
            Invalid::TitleTooLong => {
                format!("The title can have at most {MAX_TITLE_CHARS} characters.")
            }
            Invalid::BodyEmpty => "Write its text.".to_owned(),
            Invalid::BodyTooLong => {
                format!("The text can have at most {MAX_BODY_CHARS} characters.")
            }
            Invalid::UnknownVariable => {
                "Use only the variables listed below; others could never be filled in.".to_owned()
            }
        }
    },
    too_long: |length, limit| format!("{length}/{limit}: too long for this channel"),
    send_as_human_agent: "Send as human agent",
    human_agent_badge: "Human agent",
    template_badge: |name| format!("Template: {name}"),
    template_label: "Template",
    template_value: |placeholder| format!("Value for {{{{{placeholder}}}}}"),
    template_preview: "Preview",
    send_template: "Send template",
    no_templates: "This inbox has no approved templates.",
    templates_load_failed: "The templates could not be loaded.",
    quick_replies_load_failed: "The quick replies could not be loaded.",
    emoji_load_failed: "The emojis could not be loaded.",
    quick_reply_delete_failed: "The quick reply could not be deleted.",
    replies_blocked: "Replies are not possible right now",
    banner_templates_first: "The customer has not written yet. WhatsApp only allows approved templates to start a conversation.",
    banner_templates_only: |ago| {
        format!(
            "The 24-hour window closed {ago} ago. WhatsApp only allows approved templates until the customer writes again."
        )
    },
    guard_news: |who| format!("{who} wrote since you began this reply. Read it before yours goes?"),
    guard_review: "Read it first",
    a_teammate: "A teammate",
    send_anyway: "Send anyway",
    banner_human_agent: |until| {
        format!(
            "More than 24 hours since the customer's last message. You can still reply as a human agent until {until}."
        )
    },
    banner_window_closed: |channel| {
        format!(
            "The reply window has closed. {channel} allows no messages until the customer writes again."
        )
    },
    banner_opted_out: "This contact replied STOP and receives no messages until they write START.",
    banner_unanswered: |channel, limit| {
        format!(
            "{channel} allows {limit} messages in a row without an answer. Wait for the customer to reply."
        )
    },
    window_closes_in: |left| format!("The reply window closes in {left}"),
    duration: |seconds| super::short_duration(seconds, "d"),
    sms_segments: |segments, characters, per_segment| {
        let sms = if segments == 1 { "SMS" } else { "SMS messages" };
        format!("{characters} characters · {segments} {sms} of {per_segment}")
    },
    refusal: |refusal, channel| match refusal {
        Refusal::Empty => "Write something before sending.".to_owned(),
        Refusal::TextTooLong { limit, length } => {
            format!("{channel} allows {limit} characters; this has {length}.")
        }
        Refusal::NoteTooLong { limit, length } => {
            format!("A note can have {limit} characters; this has {length}.")
        }
        Refusal::OptedOut => {
            "This contact replied STOP: nothing can be sent until they write START.".to_owned()
        }
        Refusal::WindowClosed {
            allowed: Outside::TemplatesOnly,
            ..
        } => "The window is closed: only an approved template can be sent.".to_owned(),
        Refusal::WindowClosed {
            allowed: Outside::HumanAgentTag { .. },
            ..
        } => "The window is closed: send it as a human agent reply.".to_owned(),
        Refusal::WindowClosed { .. } => {
            format!("{channel} allows no messages until the customer writes again.")
        }
        Refusal::TooManyUnanswered { limit } => {
            format!("{channel} allows {limit} messages in a row without an answer.")
        }
        Refusal::TooManyAttachments { limit } => {
            if *limit == 1 {
                format!("{channel} allows one file per message.")
            } else {
                format!("{channel} allows {limit} files per message.")
            }
        }
        Refusal::AttachmentType { name, .. } => {
            format!("{channel} cannot send {name}: this kind of file is not allowed.")
        }
        Refusal::AttachmentTooLarge { name, limit } => format!(
            "{name} is larger than {channel}'s limit of {}.",
            super::size(*limit)
        ),
        Refusal::AttachmentsTooLarge { limit } => format!(
            "The files together are larger than {channel}'s limit of {}.",
            super::size(*limit)
        ),
    },

    reconnecting: "Reconnecting…",
    reconnecting_detail: "New messages will appear as soon as the connection is back.",
    back_online: "Connected",
    network_error: "Could not reach the server. Check your connection.",
    session_expired: "Your session has ended. Log in again.",
    error_for_code: |code| match code {
        "invalid_credentials" => Some("That email and password do not match."),
        "too_many_attempts" => Some("Too many failed attempts. Wait a few minutes and try again."),
        "empty_message" => Some("The message is empty."),
        "text_too_long" => Some("The message is too long for this channel."),
        "not_found" => Some("Not found, or you do not have access to it."),
        "not_failed" => Some("This message has not failed: there is nothing to send again."),
        "retry_wont_help" => Some("Sending this message again would fail the same way."),
        "unauthenticated" => Some("Your session has ended. Log in again."),
        "shortcut_taken" => Some("Another quick reply there already has this shortcut."),
        "attachment_type" => Some("This file cannot be sent from this inbox."),
        "attachment_too_large" => Some("This file is larger than this channel allows."),
        "payload_too_large" => Some("This file is too large to upload."),
        _ => None,
    },
    something_failed: "Something went wrong. Try again.",
    answer_unreadable: "Something went wrong: the server's answer could not be read. Reload the page; if it goes on, tell an administrator.",
    workspace_load_failed: "Teammates and inboxes could not be loaded.",
    not_found_title: "Page not found",
    not_found_hint: "There is nothing at this address.",
    go_to_inbox: "Go to the inbox",

    just_now: "now",
    minutes_ago: |n| format!("{n} min"),
    yesterday: "Yesterday",
    tomorrow: "Tomorrow",
    weekday: |d| ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][d as usize % 7],
    month_short: |m| {
        [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ][(m as usize + 11) % 12]
    },
    today: "Today",
};
