//! What each channel allows an agent to send, and when: one table and one function, called by
//! the composer (to say so before the agent presses send) and by the server (to refuse what
//! would fail). Facts: `../shared/CHANNELS.md` and the providers' documentation.

use crate::{Channel, ErrorCode};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// What may still be sent once the reply window has closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outside {
    /// Only approved templates (WhatsApp).
    TemplatesOnly,
    /// A human agent's reply, tagged as such, until this long after the customer's last message
    /// (Messenger and Instagram `HUMAN_AGENT`).
    HumanAgentTag { days: u32 },
    /// Nothing an agent can write (Viber: only transactional or promotional messages).
    Nothing,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AttachmentRule {
    /// Content types, exact (`image/jpeg`) or by family (`image/*`).
    pub types: &'static [&'static str],
    pub max_bytes: u64,
}

/// Keywords that stop (and restart) messages to a contact on a channel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OptOutKeywords {
    pub stop: &'static [&'static str],
    pub start: &'static [&'static str],
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChannelRules {
    /// How long after the customer's last message the agent may write freely; `None`: always.
    pub window_hours: Option<u32>,
    pub outside_window: Outside,
    pub max_text_chars: usize,
    /// The first rule whose types match a file applies.
    pub attachments: &'static [AttachmentRule],
    pub max_attachments: usize,
    /// For all of a message's files together (MMS, email).
    pub max_total_bytes: Option<u64>,
    /// At most this many messages in a row without an answer from the customer.
    pub max_unanswered: Option<u32>,
    pub reports_delivered: bool,
    pub reports_read: bool,
    pub opt_out: Option<OptOutKeywords>,
}

const KB: u64 = 1024;
const MB: u64 = 1024 * 1024;

const DOCUMENTS: &[&str] = &[
    "application/pdf",
    "text/plain",
    "application/msword",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.ms-powerpoint",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
];

const WHATSAPP: ChannelRules = ChannelRules {
    window_hours: Some(24),
    outside_window: Outside::TemplatesOnly,
    max_text_chars: 4_096,
    attachments: &[
        AttachmentRule {
            types: &["image/jpeg", "image/png"],
            max_bytes: 5 * MB,
        },
        AttachmentRule {
            types: &["video/mp4", "video/3gpp"],
            max_bytes: 16 * MB,
        },
        AttachmentRule {
            types: &[
                "audio/aac",
                "audio/amr",
                "audio/mpeg",
                "audio/mp4",
                "audio/ogg",
            ],
            max_bytes: 16 * MB,
        },
        AttachmentRule {
            types: DOCUMENTS,
            max_bytes: 100 * MB,
        },
        AttachmentRule {
            types: &["image/webp"],
            max_bytes: 100 * KB,
        },
    ],
    max_attachments: 1,
    max_total_bytes: None,
    max_unanswered: None,
    reports_delivered: true,
    reports_read: true,
    opt_out: None,
};

const META_MEDIA: &[AttachmentRule] = &[AttachmentRule {
    types: &["image/*", "video/*", "audio/*", "application/*", "text/*"],
    max_bytes: 25 * MB,
}];

const MESSENGER: ChannelRules = ChannelRules {
    window_hours: Some(24),
    outside_window: Outside::HumanAgentTag { days: 7 },
    max_text_chars: 2_000,
    attachments: META_MEDIA,
    max_attachments: 1,
    max_total_bytes: None,
    max_unanswered: None,
    reports_delivered: true,
    reports_read: true,
    opt_out: None,
};

const INSTAGRAM: ChannelRules = ChannelRules {
    max_text_chars: 1_000,
    // Instagram documents 16 MB images but commonly refuses well below that.
    attachments: &[
        AttachmentRule {
            types: &["image/jpeg", "image/png"],
            max_bytes: 8 * MB,
        },
        AttachmentRule {
            types: &["video/*", "audio/*"],
            max_bytes: 25 * MB,
        },
    ],
    ..MESSENGER
};

const SMS: ChannelRules = ChannelRules {
    window_hours: None,
    outside_window: Outside::Nothing,
    max_text_chars: 1_600,
    attachments: &[AttachmentRule {
        types: &[
            "image/jpeg",
            "image/png",
            "image/gif",
            "video/mp4",
            "audio/mpeg",
            "application/pdf",
            "text/vcard",
        ],
        max_bytes: 5 * MB,
    }],
    max_attachments: 10,
    // Twilio's limit for a whole MMS; some carriers accept less.
    max_total_bytes: Some(5 * MB),
    max_unanswered: None,
    reports_delivered: true,
    reports_read: false,
    opt_out: Some(OptOutKeywords {
        stop: &["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"],
        start: &["START", "UNSTOP", "YES"],
    }),
};

const EMAIL: ChannelRules = ChannelRules {
    window_hours: None,
    outside_window: Outside::Nothing,
    max_text_chars: 25_000,
    attachments: &[AttachmentRule {
        types: &["*"],
        max_bytes: 25 * MB,
    }],
    max_attachments: 10,
    max_total_bytes: Some(25 * MB),
    max_unanswered: None,
    reports_delivered: false,
    reports_read: false,
    opt_out: None,
};

const TELEGRAM: ChannelRules = ChannelRules {
    window_hours: None,
    outside_window: Outside::Nothing,
    max_text_chars: 4_096,
    attachments: &[
        AttachmentRule {
            types: &["image/jpeg", "image/png", "image/webp"],
            max_bytes: 10 * MB,
        },
        AttachmentRule {
            types: &["*"],
            max_bytes: 50 * MB,
        },
    ],
    max_attachments: 1,
    max_total_bytes: None,
    max_unanswered: None,
    reports_delivered: false,
    reports_read: false,
    opt_out: None,
};

const LINE: ChannelRules = ChannelRules {
    window_hours: None,
    outside_window: Outside::Nothing,
    max_text_chars: 5_000,
    attachments: &[AttachmentRule {
        types: &["image/jpeg", "image/png"],
        max_bytes: 10 * MB,
    }],
    max_attachments: 1,
    max_total_bytes: None,
    max_unanswered: None,
    reports_delivered: false,
    reports_read: false,
    opt_out: None,
};

const VIBER: ChannelRules = ChannelRules {
    window_hours: Some(24),
    outside_window: Outside::Nothing,
    max_text_chars: 1_000,
    attachments: &[
        AttachmentRule {
            types: &["image/gif"],
            max_bytes: 20 * MB,
        },
        AttachmentRule {
            types: &["*"],
            max_bytes: 200 * MB,
        },
    ],
    max_attachments: 1,
    max_total_bytes: None,
    max_unanswered: Some(5),
    reports_delivered: true,
    reports_read: true,
    opt_out: None,
};

const WEBCHAT: ChannelRules = ChannelRules {
    window_hours: None,
    outside_window: Outside::Nothing,
    max_text_chars: 25_000,
    attachments: &[AttachmentRule {
        types: &["*"],
        max_bytes: 25 * MB,
    }],
    max_attachments: 10,
    max_total_bytes: Some(25 * MB),
    max_unanswered: None,
    reports_delivered: true,
    reports_read: true,
    opt_out: None,
};

impl Channel {
    pub fn rules(self) -> &'static ChannelRules {
        match self {
            Channel::Whatsapp => &WHATSAPP,
            Channel::Messenger => &MESSENGER,
            Channel::Instagram => &INSTAGRAM,
            Channel::Sms => &SMS,
            Channel::Email => &EMAIL,
            Channel::Telegram => &TELEGRAM,
            Channel::Line => &LINE,
            Channel::Viber => &VIBER,
            Channel::Webchat => &WEBCHAT,
        }
    }
}

/// What a keyword message from a customer means for their consent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Consent {
    OptOut,
    OptIn,
}

impl ChannelRules {
    /// Whether an inbound text is an opt-out or opt-in keyword (the whole message, any case).
    pub fn consent_keyword(&self, text: &str) -> Option<Consent> {
        let keywords = self.opt_out?;
        let word = text.trim().trim_end_matches(['.', '!']).to_uppercase();
        if keywords.stop.contains(&word.as_str()) {
            Some(Consent::OptOut)
        } else if keywords.start.contains(&word.as_str()) {
            Some(Consent::OptIn)
        } else {
            None
        }
    }

    fn attachment_rule(&self, content_type: &str) -> Option<&'static AttachmentRule> {
        let content_type = content_type.to_ascii_lowercase();
        let family = content_type.split('/').next().unwrap_or_default();
        self.attachments.iter().find(|rule| {
            rule.types.iter().any(|t| {
                *t == "*" || *t == content_type || t.strip_suffix("/*").is_some_and(|f| f == family)
            })
        })
    }
}

/// Where a conversation stands for sending, now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Situation {
    pub channel: Channel,
    /// When the customer last wrote; `None` if never.
    pub last_inbound_at: Option<DateTime<Utc>>,
    /// Messages sent since then without an answer.
    pub unanswered: u32,
    /// The contact asked to receive nothing (SMS STOP).
    pub opted_out: bool,
    pub now: DateTime<Utc>,
}

/// The reply window as an agent sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Window {
    /// The channel has none: write any time.
    None,
    Open {
        closes_at: DateTime<Utc>,
    },
    /// Closed (or never opened: the customer has not written). `until` is when what remains
    /// allowed stops being allowed, for the `HUMAN_AGENT` tag.
    Closed {
        since: Option<DateTime<Utc>>,
        allowed: Outside,
        until: Option<DateTime<Utc>>,
    },
}

impl Situation {
    pub fn window(&self) -> Window {
        let rules = self.channel.rules();
        let Some(hours) = rules.window_hours else {
            return Window::None;
        };
        let closes_at = self
            .last_inbound_at
            .map(|at| at + Duration::hours(i64::from(hours)));
        match closes_at {
            Some(closes_at) if self.now < closes_at => Window::Open { closes_at },
            since => {
                let until = match rules.outside_window {
                    Outside::HumanAgentTag { days } => self
                        .last_inbound_at
                        .map(|at| at + Duration::days(i64::from(days))),
                    _ => None,
                };
                let allowed = match (rules.outside_window, until) {
                    (Outside::HumanAgentTag { .. }, Some(until)) if self.now >= until => {
                        Outside::Nothing
                    }
                    (Outside::HumanAgentTag { .. }, None) => Outside::Nothing,
                    (allowed, _) => allowed,
                };
                Window::Closed {
                    since,
                    allowed,
                    until,
                }
            }
        }
    }
}

/// A file the agent wants to send, as far as the rules care.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentMeta {
    pub name: String,
    pub content_type: String,
    pub bytes: u64,
}

/// What the agent is about to send.
#[derive(Clone, Copy, Debug, Default)]
pub struct Draft<'a> {
    pub text: &'a str,
    pub attachments: &'a [AttachmentMeta],
    /// A template, when the agent picked one (its parameters already checked as filled).
    pub template: bool,
    /// Sent as a human agent's reply (`HUMAN_AGENT` tag).
    pub human_agent: bool,
}

/// How an allowed message goes out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Permit {
    /// A normal message.
    Free,
    /// A template message.
    Template,
    /// Tagged as a human agent's reply.
    HumanAgent,
}

/// Why a draft cannot be sent, with what the agent needs to fix it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Refusal {
    Empty,
    TextTooLong {
        limit: usize,
        length: usize,
    },
    /// A private note over [`NOTE_MAX_CHARS`].
    NoteTooLong {
        limit: usize,
        length: usize,
    },
    OptedOut,
    /// The reply window is closed; `allowed` says what may still go.
    WindowClosed {
        since: Option<DateTime<Utc>>,
        allowed: Outside,
    },
    /// Too many messages without an answer from the customer.
    TooManyUnanswered {
        limit: u32,
    },
    TooManyAttachments {
        limit: usize,
    },
    AttachmentType {
        name: String,
        content_type: String,
    },
    AttachmentTooLarge {
        name: String,
        limit: u64,
    },
    AttachmentsTooLarge {
        limit: u64,
    },
}

impl Refusal {
    /// The error code the server answers with.
    pub fn code(&self) -> ErrorCode {
        match self {
            Refusal::Empty => ErrorCode::EmptyMessage,
            Refusal::TextTooLong { .. } | Refusal::NoteTooLong { .. } => ErrorCode::TextTooLong,
            Refusal::OptedOut => ErrorCode::OptedOut,
            Refusal::WindowClosed { .. } => ErrorCode::WindowClosed,
            Refusal::TooManyUnanswered { .. } => ErrorCode::TooManyUnanswered,
            Refusal::TooManyAttachments { .. } => ErrorCode::TooManyAttachments,
            Refusal::AttachmentType { .. } => ErrorCode::AttachmentType,
            Refusal::AttachmentTooLarge { .. } | Refusal::AttachmentsTooLarge { .. } => {
                ErrorCode::AttachmentTooLarge
            }
        }
    }
}

/// May this draft be sent in this situation now? The one answer for the composer and the server.
pub fn check(situation: &Situation, draft: &Draft<'_>) -> Result<Permit, Refusal> {
    let rules = situation.channel.rules();
    if situation.opted_out {
        return Err(Refusal::OptedOut);
    }
    if draft.text.trim().is_empty() && draft.attachments.is_empty() && !draft.template {
        return Err(Refusal::Empty);
    }
    let length = draft.text.chars().count();
    if length > rules.max_text_chars {
        return Err(Refusal::TextTooLong {
            limit: rules.max_text_chars,
            length,
        });
    }
    if let Some(limit) = rules.max_unanswered
        && situation.unanswered >= limit
    {
        return Err(Refusal::TooManyUnanswered { limit });
    }
    check_attachments(rules, draft.attachments)?;

    match situation.window() {
        Window::None | Window::Open { .. } => Ok(if draft.template {
            Permit::Template
        } else {
            Permit::Free
        }),
        Window::Closed {
            allowed: Outside::TemplatesOnly,
            ..
        } if draft.template => Ok(Permit::Template),
        Window::Closed {
            allowed: Outside::HumanAgentTag { .. },
            ..
        } if draft.human_agent => Ok(Permit::HumanAgent),
        Window::Closed { since, allowed, .. } => Err(Refusal::WindowClosed { since, allowed }),
    }
}

/// The longest private note, in characters. Notes stay with the team, so no channel limits
/// them; this only keeps a pasted novel out of the thread.
pub const NOTE_MAX_CHARS: usize = 10_000;

/// May this private note be saved? Notes never reach the customer, so no window, opt-out or
/// channel limit applies: only that it says something, and not too much.
pub fn check_note(text: &str) -> Result<(), Refusal> {
    if text.trim().is_empty() {
        return Err(Refusal::Empty);
    }
    let length = text.chars().count();
    if length > NOTE_MAX_CHARS {
        return Err(Refusal::NoteTooLong {
            limit: NOTE_MAX_CHARS,
            length,
        });
    }
    Ok(())
}

/// The name the rules use for a content type: detectors and browsers spell some differently
/// (`audio/opus` is an Ogg file, `audio/x-wav` a WAV, `text/csv` plain text).
pub fn canonical_type(content_type: &str) -> &str {
    match content_type {
        "audio/opus" | "audio/x-opus+ogg" => "audio/ogg",
        "audio/x-wav" | "audio/wave" | "audio/vnd.wave" => "audio/wav",
        "audio/m4a" | "audio/x-m4a" => "audio/mp4",
        "video/x-m4v" => "video/mp4",
        "text/csv" | "text/tab-separated-values" => "text/plain",
        "image/jpg" => "image/jpeg",
        other => other,
    }
}

/// May this one file go on this channel (its type, its size)? Checked before an upload
/// starts, and again with the type sniffed from its bytes when it arrives.
pub fn check_file(channel: Channel, file: &AttachmentMeta) -> Result<(), Refusal> {
    let rules = channel.rules();
    if rules.max_attachments == 0 {
        return Err(Refusal::TooManyAttachments { limit: 0 });
    }
    check_one(rules, file)
}

/// May these files go together in one message on this channel (count, types, sizes, total)?
/// The composer asks as each file is added, before its upload starts.
pub fn check_files(channel: Channel, files: &[AttachmentMeta]) -> Result<(), Refusal> {
    check_attachments(channel.rules(), files)
}

fn check_one(rules: &ChannelRules, file: &AttachmentMeta) -> Result<(), Refusal> {
    let Some(rule) = rules.attachment_rule(&file.content_type) else {
        return Err(Refusal::AttachmentType {
            name: file.name.clone(),
            content_type: file.content_type.clone(),
        });
    };
    if file.bytes > rule.max_bytes {
        return Err(Refusal::AttachmentTooLarge {
            name: file.name.clone(),
            limit: rule.max_bytes,
        });
    }
    Ok(())
}

fn check_attachments(rules: &ChannelRules, files: &[AttachmentMeta]) -> Result<(), Refusal> {
    if files.len() > rules.max_attachments {
        return Err(Refusal::TooManyAttachments {
            limit: rules.max_attachments,
        });
    }
    for file in files {
        check_one(rules, file)?;
    }
    if let Some(limit) = rules.max_total_bytes
        && files.iter().map(|f| f.bytes).sum::<u64>() > limit
    {
        return Err(Refusal::AttachmentsTooLarge { limit });
    }
    Ok(())
}

/// How an SMS text is encoded and into how many segments it is split.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SmsSegments {
    /// GSM-7 when every character is in the GSM alphabet; UCS-2 (far fewer per segment) otherwise.
    pub unicode: bool,
    pub segments: usize,
    /// Characters per segment for this text.
    pub per_segment: usize,
}

const GSM7: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
/// Characters that take two GSM-7 units (escape + char).
const GSM7_EXTENDED: &str = "^{}\\[~]|€\u{c}";

pub fn sms_segments(text: &str) -> SmsSegments {
    let gsm_units: Option<usize> = text
        .chars()
        .map(|c| {
            if GSM7.contains(c) {
                Some(1)
            } else if GSM7_EXTENDED.contains(c) {
                Some(2)
            } else {
                None
            }
        })
        .sum();
    let (unicode, units, single, multi) = match gsm_units {
        Some(units) => (false, units, 160, 153),
        None => (true, text.encode_utf16().count(), 70, 67),
    };
    let (segments, per_segment) = match units {
        0 => (0, single),
        n if n <= single => (1, single),
        n => (n.div_ceil(multi), multi),
    };
    SmsSegments {
        unicode,
        segments,
        per_segment,
    }
}

#[cfg(test)]
mod tests;
