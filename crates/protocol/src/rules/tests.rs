use super::*;
use chrono::TimeZone;

fn at(h: i64, m: i64, s: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 10, 0, 0).unwrap()
        + Duration::hours(h)
        + Duration::minutes(m)
        + Duration::seconds(s)
}

fn situation(
    channel: Channel,
    last_inbound: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Situation {
    Situation {
        channel,
        last_inbound_at: last_inbound,
        unanswered: 0,
        opted_out: false,
        now,
    }
}

fn text(text: &str) -> Draft<'_> {
    Draft {
        text,
        ..Draft::default()
    }
}

fn file(content_type: &str, bytes: u64) -> AttachmentMeta {
    AttachmentMeta {
        name: "file".into(),
        content_type: content_type.into(),
        bytes,
    }
}

#[test]
fn the_whatsapp_window_is_open_until_the_last_second_of_the_24_hours() {
    let last = at(0, 0, 0);
    let cases = [
        (at(23, 59, 59), Ok(Permit::Free)),
        (
            at(24, 0, 0),
            Err(Refusal::WindowClosed {
                since: Some(at(24, 0, 0)),
                allowed: Outside::TemplatesOnly,
            }),
        ),
        (
            at(30, 0, 0),
            Err(Refusal::WindowClosed {
                since: Some(at(24, 0, 0)),
                allowed: Outside::TemplatesOnly,
            }),
        ),
    ];
    for (now, expected) in cases {
        assert_eq!(
            check(
                &situation(Channel::Whatsapp, Some(last), now),
                &text("Hola")
            ),
            expected,
            "at {now}"
        );
    }
}

#[test]
fn a_customer_message_reopens_the_window_for_another_24_hours() {
    let now = at(30, 0, 0);
    let reopened = situation(Channel::Whatsapp, Some(at(29, 0, 0)), now);
    assert_eq!(
        reopened.window(),
        Window::Open {
            closes_at: at(53, 0, 0)
        }
    );
    assert_eq!(check(&reopened, &text("Hola")), Ok(Permit::Free));
}

#[test]
fn outside_the_whatsapp_window_only_a_template_goes() {
    let closed = situation(Channel::Whatsapp, Some(at(0, 0, 0)), at(25, 0, 0));
    assert_eq!(
        check(
            &closed,
            &Draft {
                template: true,
                ..Draft::default()
            }
        ),
        Ok(Permit::Template)
    );
    assert!(
        check(
            &closed,
            &Draft {
                text: "hola",
                human_agent: true,
                ..Draft::default()
            }
        )
        .is_err()
    );
}

#[test]
fn a_conversation_the_customer_never_wrote_in_is_closed_on_whatsapp() {
    let never = situation(Channel::Whatsapp, None, at(0, 0, 0));
    assert!(matches!(
        never.window(),
        Window::Closed {
            since: None,
            allowed: Outside::TemplatesOnly,
            ..
        }
    ));
}

#[test]
fn messenger_allows_a_human_agent_reply_for_seven_days_then_nothing() {
    let last = at(0, 0, 0);
    let free = situation(Channel::Messenger, Some(last), at(23, 0, 0));
    assert_eq!(check(&free, &text("hi")), Ok(Permit::Free));
    let tagged = Draft {
        text: "hi",
        human_agent: true,
        ..Draft::default()
    };
    let day_three = situation(Channel::Messenger, Some(last), at(72, 0, 0));
    assert!(
        check(&day_three, &text("hi")).is_err(),
        "untagged is refused after 24 h"
    );
    assert_eq!(check(&day_three, &tagged), Ok(Permit::HumanAgent));
    assert_eq!(
        day_three.window(),
        Window::Closed {
            since: Some(at(24, 0, 0)),
            allowed: Outside::HumanAgentTag { days: 7 },
            until: Some(at(168, 0, 0))
        }
    );
    let last_second = situation(Channel::Instagram, Some(last), at(167, 59, 59));
    assert_eq!(check(&last_second, &tagged), Ok(Permit::HumanAgent));
    let week_later = situation(Channel::Instagram, Some(last), at(168, 0, 0));
    assert_eq!(
        check(&week_later, &tagged),
        Err(Refusal::WindowClosed {
            since: Some(at(24, 0, 0)),
            allowed: Outside::Nothing
        })
    );
}

#[test]
fn channels_without_a_window_take_replies_any_time() {
    for channel in [
        Channel::Sms,
        Channel::Email,
        Channel::Telegram,
        Channel::Line,
        Channel::Webchat,
    ] {
        let late = situation(channel, Some(at(0, 0, 0)), at(24 * 90, 0, 0));
        assert_eq!(late.window(), Window::None, "{channel}");
        assert_eq!(check(&late, &text("hola")), Ok(Permit::Free), "{channel}");
    }
}

#[test]
fn viber_refuses_a_sixth_message_without_an_answer() {
    let mut viber = situation(Channel::Viber, Some(at(0, 0, 0)), at(1, 0, 0));
    viber.unanswered = 4;
    assert_eq!(check(&viber, &text("5th")), Ok(Permit::Free));
    viber.unanswered = 5;
    assert_eq!(
        check(&viber, &text("6th")),
        Err(Refusal::TooManyUnanswered { limit: 5 })
    );
}

#[test]
fn text_at_the_limit_passes_and_one_more_character_is_refused() {
    for channel in Channel::ALL {
        let limit = channel.rules().max_text_chars;
        let now = at(1, 0, 0);
        let open = situation(channel, Some(at(0, 0, 0)), now);
        let exact = "ñ".repeat(limit);
        assert_eq!(check(&open, &text(&exact)), Ok(Permit::Free), "{channel}");
        let over = "ñ".repeat(limit + 1);
        assert_eq!(
            check(&open, &text(&over)),
            Err(Refusal::TextTooLong {
                limit,
                length: limit + 1
            }),
            "{channel}"
        );
    }
}

#[test]
fn an_empty_draft_is_refused_but_a_file_alone_is_fine() {
    let open = situation(Channel::Webchat, Some(at(0, 0, 0)), at(0, 1, 0));
    assert_eq!(check(&open, &text("  \n ")), Err(Refusal::Empty));
    let files = [file("image/png", 1000)];
    assert_eq!(
        check(
            &open,
            &Draft {
                attachments: &files,
                ..Draft::default()
            }
        ),
        Ok(Permit::Free)
    );
}

#[test]
fn attachments_are_checked_by_type_and_exact_size() {
    let whatsapp = situation(Channel::Whatsapp, Some(at(0, 0, 0)), at(1, 0, 0));
    let draft = |files: &[AttachmentMeta]| {
        check(
            &whatsapp,
            &Draft {
                text: "",
                attachments: files,
                ..Draft::default()
            },
        )
    };
    let five = 5 * 1024 * 1024;
    assert_eq!(
        draft(&[file("image/jpeg", five)]),
        Ok(Permit::Free),
        "exactly 5 MB"
    );
    assert_eq!(
        draft(&[file("image/jpeg", five + 1)]),
        Err(Refusal::AttachmentTooLarge {
            name: "file".into(),
            limit: five
        })
    );
    assert_eq!(
        draft(&[file("video/mp4", 16 * 1024 * 1024)]),
        Ok(Permit::Free)
    );
    assert_eq!(
        draft(&[file("application/pdf", 100 * 1024 * 1024)]),
        Ok(Permit::Free)
    );
    assert_eq!(
        draft(&[file("application/x-msdownload", 10)]),
        Err(Refusal::AttachmentType {
            name: "file".into(),
            content_type: "application/x-msdownload".into()
        })
    );
    assert_eq!(
        draft(&[file("image/png", 10), file("image/png", 10)]),
        Err(Refusal::TooManyAttachments { limit: 1 })
    );
}

#[test]
fn an_mms_is_limited_in_total_not_only_per_file() {
    let sms = situation(Channel::Sms, None, at(0, 0, 0));
    let three = [
        file("image/jpeg", 2 * 1024 * 1024),
        file("image/jpeg", 2 * 1024 * 1024),
        file("image/png", 1024 * 1024),
    ];
    assert_eq!(
        check(
            &sms,
            &Draft {
                attachments: &three,
                ..Draft::default()
            }
        ),
        Ok(Permit::Free),
        "exactly 5 MB in all"
    );
    let over = [
        file("image/jpeg", 3 * 1024 * 1024),
        file("image/jpeg", 2 * 1024 * 1024 + 1),
    ];
    assert_eq!(
        check(
            &sms,
            &Draft {
                attachments: &over,
                ..Draft::default()
            }
        ),
        Err(Refusal::AttachmentsTooLarge {
            limit: 5 * 1024 * 1024
        })
    );
}

#[test]
fn stop_blocks_sends_until_start() {
    let sms = SMS;
    assert_eq!(sms.consent_keyword(" stop "), Some(Consent::OptOut));
    assert_eq!(sms.consent_keyword("Unsubscribe."), Some(Consent::OptOut));
    assert_eq!(sms.consent_keyword("start"), Some(Consent::OptIn));
    assert_eq!(
        sms.consent_keyword("please stop calling"),
        None,
        "only the keyword alone counts"
    );
    assert_eq!(Channel::Whatsapp.rules().consent_keyword("STOP"), None);
    let mut opted_out = situation(Channel::Sms, Some(at(0, 0, 0)), at(1, 0, 0));
    opted_out.opted_out = true;
    assert_eq!(
        check(&opted_out, &text("¿Sigues ahí?")),
        Err(Refusal::OptedOut)
    );
}

#[test]
fn sms_counts_segments_of_160_gsm_or_70_unicode_characters() {
    assert_eq!(sms_segments("").segments, 0);
    assert_eq!(
        sms_segments(&"a".repeat(160)),
        SmsSegments {
            unicode: false,
            segments: 1,
            per_segment: 160
        }
    );
    assert_eq!(
        sms_segments(&"a".repeat(161)),
        SmsSegments {
            unicode: false,
            segments: 2,
            per_segment: 153
        }
    );
    assert_eq!(
        sms_segments(&"€".repeat(80)).segments,
        1,
        "extended characters take two units"
    );
    assert_eq!(sms_segments(&"€".repeat(81)).segments, 2);
    // Spanish accents outside the GSM alphabet (á, í, ó, ú) switch the whole text to UCS-2.
    assert_eq!(
        sms_segments("¿Cómo estás?"),
        SmsSegments {
            unicode: true,
            segments: 1,
            per_segment: 70
        }
    );
    assert_eq!(
        sms_segments(&"á".repeat(71)),
        SmsSegments {
            unicode: true,
            segments: 2,
            per_segment: 67
        }
    );
    assert!(sms_segments("Ñandú").unicode, "ú is not GSM-7, Ñ is");
    assert!(!sms_segments("Ñandu").unicode);
}

#[test]
fn a_note_ignores_the_channel_but_not_its_own_length() {
    assert_eq!(check_note("  \n "), Err(Refusal::Empty));
    // Far over any channel's limit, and still a note the team may keep.
    assert_eq!(check_note(&"ñ".repeat(NOTE_MAX_CHARS)), Ok(()));
    assert_eq!(
        check_note(&"ñ".repeat(NOTE_MAX_CHARS + 1)),
        Err(Refusal::NoteTooLong {
            limit: NOTE_MAX_CHARS,
            length: NOTE_MAX_CHARS + 1
        })
    );
}

#[test]
fn each_file_is_checked_before_upload_and_the_set_before_sending() {
    let file = |name: &str, content_type: &str, bytes: u64| AttachmentMeta {
        name: name.into(),
        content_type: content_type.into(),
        bytes,
    };
    let five_mb = 5 * 1024 * 1024;
    assert_eq!(
        check_file(Channel::Whatsapp, &file("a.jpg", "image/jpeg", five_mb)),
        Ok(())
    );
    assert_eq!(
        check_file(Channel::Whatsapp, &file("a.jpg", "image/jpeg", five_mb + 1)),
        Err(Refusal::AttachmentTooLarge {
            name: "a.jpg".into(),
            limit: five_mb
        })
    );
    assert!(matches!(
        check_file(
            Channel::Whatsapp,
            &file("x.exe", "application/x-msdownload", 10)
        ),
        Err(Refusal::AttachmentType { .. })
    ));
    // WhatsApp takes one file per message: the second is refused as it is added.
    let two = [
        file("a.jpg", "image/jpeg", 10),
        file("b.jpg", "image/jpeg", 10),
    ];
    assert_eq!(
        check_files(Channel::Whatsapp, &two),
        Err(Refusal::TooManyAttachments { limit: 1 })
    );
    assert_eq!(check_files(Channel::Email, &two), Ok(()));
}

#[test]
fn differently_spelled_types_meet_the_rules_under_one_name() {
    assert_eq!(canonical_type("audio/opus"), "audio/ogg");
    assert_eq!(canonical_type("text/csv"), "text/plain");
    assert_eq!(canonical_type("image/png"), "image/png");
    let voice_note = AttachmentMeta {
        name: "nota.ogg".into(),
        content_type: canonical_type("audio/opus").into(),
        bytes: 1000,
    };
    assert_eq!(check_file(Channel::Whatsapp, &voice_note), Ok(()));
}
