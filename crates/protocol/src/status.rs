//! The delivery lifecycle of an outbound message.
//!
//! Status only moves forward: sending -> sent -> delivered -> read, or to failed from a state
//! before delivery. Providers report out of order (a `delivered` callback can arrive after
//! `read`), so every place that changes a status asks [`MessageStatus::advance`]. A failed
//! message sent again starts a new attempt at `sending`: [`supersedes`] orders reports
//! across attempts.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageStatus {
    /// Stored by the client or server, not yet accepted by the provider.
    Sending,
    /// Accepted by the provider.
    Sent,
    /// The provider reports it reached the customer's device.
    Delivered,
    /// The customer has seen it.
    Read,
    /// It will not arrive; see the message's `failure`.
    Failed,
}

/// Whether a report of `(attempt, status)` moves a message now at `(attempt, status)` on:
/// a later attempt always does, an earlier one never, and within one attempt only forward.
pub fn supersedes(current: (u32, MessageStatus), report: (u32, MessageStatus)) -> bool {
    match report.0.cmp(&current.0) {
        std::cmp::Ordering::Greater => true,
        std::cmp::Ordering::Less => false,
        std::cmp::Ordering::Equal => current.1.advance(report.1).is_some(),
    }
}

impl MessageStatus {
    fn rank(self) -> u8 {
        match self {
            MessageStatus::Sending => 0,
            MessageStatus::Sent => 1,
            MessageStatus::Delivered => 2,
            MessageStatus::Read => 3,
            MessageStatus::Failed => 4,
        }
    }

    /// The status after a report of `next`, or `None` when the report must be ignored because
    /// it would move the message backwards (or out of a final state).
    pub fn advance(self, next: MessageStatus) -> Option<MessageStatus> {
        let allowed = match (self, next) {
            // A message the customer received cannot fail any more; a failed one stays failed.
            (MessageStatus::Delivered | MessageStatus::Read, MessageStatus::Failed) => false,
            (MessageStatus::Failed, _) => false,
            _ => next.rank() > self.rank(),
        };
        allowed.then_some(next)
    }

    /// No report can change it any more.
    pub fn is_final(self) -> bool {
        matches!(self, MessageStatus::Read | MessageStatus::Failed)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            MessageStatus::Sending => "sending",
            MessageStatus::Sent => "sent",
            MessageStatus::Delivered => "delivered",
            MessageStatus::Read => "read",
            MessageStatus::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<MessageStatus> {
        [
            MessageStatus::Sending,
            MessageStatus::Sent,
            MessageStatus::Delivered,
            MessageStatus::Read,
            MessageStatus::Failed,
        ]
        .into_iter()
        .find(|status| status.as_str() == s)
    }
}

#[cfg(test)]
mod tests {
    use super::MessageStatus::{self, *};
    use super::supersedes;

    #[test]
    fn a_new_attempt_starts_over_and_the_old_one_is_heard_no_more() {
        assert!(supersedes((0, Failed), (1, Sending)), "sent again");
        assert!(
            !supersedes((1, Sending), (0, Failed)),
            "a late echo of the failed attempt"
        );
        assert!(!supersedes((1, Sent), (0, Read)));
        assert!(supersedes((1, Sending), (1, Sent)));
        assert!(!supersedes((1, Read), (1, Delivered)));
    }

    #[test]
    fn status_moves_forward_through_the_lifecycle() {
        assert_eq!(Sending.advance(Sent), Some(Sent));
        assert_eq!(Sent.advance(Delivered), Some(Delivered));
        assert_eq!(Delivered.advance(Read), Some(Read));
        assert_eq!(Sending.advance(Read), Some(Read), "skipped steps are fine");
    }

    #[test]
    fn late_delivered_does_not_downgrade_read() {
        assert_eq!(Read.advance(Delivered), None);
        assert_eq!(Read.advance(Sent), None);
        assert_eq!(Delivered.advance(Sent), None);
    }

    #[test]
    fn a_repeated_report_changes_nothing() {
        for status in [Sending, Sent, Delivered, Read, Failed] {
            assert_eq!(status.advance(status), None);
        }
    }

    #[test]
    fn failure_is_possible_only_before_delivery() {
        assert_eq!(Sending.advance(Failed), Some(Failed));
        assert_eq!(Sent.advance(Failed), Some(Failed));
        assert_eq!(Delivered.advance(Failed), None);
        assert_eq!(Read.advance(Failed), None);
    }

    #[test]
    fn a_failed_message_stays_failed() {
        for next in [Sending, Sent, Delivered, Read] {
            assert_eq!(Failed.advance(next), None);
        }
    }

    #[test]
    fn status_names_round_trip() {
        for status in [Sending, Sent, Delivered, Read, Failed] {
            assert_eq!(MessageStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(MessageStatus::parse("queued"), None);
    }
}
