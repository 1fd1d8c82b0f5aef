//! Builders for the app's unit tests: one place spells out a whole protocol value, so each
//! test names only the fields it is about (`Message { status, ..message(..) }`).

use chrono::{DateTime, Utc};
use switchboard_protocol::{ConversationId, Direction, Message, MessageId};

/// A plain message: no author, status, files, template or client id.
pub fn message(
    id: i64,
    conversation: ConversationId,
    direction: Direction,
    text: &str,
    created_at: DateTime<Utc>,
) -> Message {
    Message {
        id: MessageId(id),
        conversation_id: conversation,
        direction,
        author: None,
        text: text.into(),
        client_id: None,
        status: None,
        failure: None,
        human_agent: false,
        note: false,
        attachments: Vec::new(),
        template: None,
        attempt: 0,
        created_at,
    }
}
