//! Icons from Lucide (interface) and Simple Icons (channel brands), drawn from the icon
//! crates' static SVG data. Only the icons named here end up in the app.

use icondata_core::IconData;
use leptos::prelude::*;
use switchboard_protocol::Channel;

pub mod icons {
    pub use icondata_lu::{
        LuArrowLeft as BACK, LuCheck as SENT, LuCheckCheck as DELIVERED, LuCircleAlert as FAILED,
        LuClock as SENDING, LuDownload as DOWNLOAD, LuFileText as FILE, LuInbox as INBOX,
        LuLock as NOTE, LuLogOut as LOG_OUT, LuMail as EMAIL, LuMessageSquareText as SMS,
        LuMessagesSquare as WEBCHAT, LuPaperclip as ATTACH, LuPencil as EDIT, LuRotateCw as RETRY,
        LuSearch as SEARCH, LuSendHorizontal as SEND, LuSettings as SETTINGS, LuSmile as EMOJI,
        LuTrash2 as DELETE, LuUser as PERSON, LuUserPlus as TAKE, LuWifiOff as OFFLINE,
        LuX as CLOSE, LuZap as QUICK_REPLY,
    };
    // Working a conversation.
    pub use icondata_lu::{
        LuAlarmClock as SNOOZE, LuArrowRightLeft as TRANSFER, LuCircleCheck as CLOSE_CONVERSATION,
        LuEllipsisVertical as MORE, LuFolderInput as MOVE, LuMailOpen as MARK_UNREAD,
        LuMessageSquarePlus as NEW_CONVERSATION, LuRotateCcw as REOPEN, LuUserMinus as UNASSIGN,
    };
    pub use icondata_si::{
        SiInstagram as INSTAGRAM, SiLine as LINE, SiMessenger as MESSENGER, SiTelegram as TELEGRAM,
        SiViber as VIBER, SiWhatsapp as WHATSAPP,
    };
}

/// A decorative icon: hidden from assistive technology (the control around it is named).
#[component]
pub fn Icon(icon: &'static IconData, #[prop(optional)] class: &'static str) -> impl IntoView {
    view! {
        <svg
            class=format!("sb-icon {class}")
            viewBox=icon.view_box.unwrap_or("0 0 24 24")
            fill=icon.fill.unwrap_or("currentColor")
            stroke=icon.stroke
            stroke-width=icon.stroke_width
            stroke-linecap=icon.stroke_linecap
            stroke-linejoin=icon.stroke_linejoin
            aria-hidden="true"
            focusable="false"
            inner_html=icon.data
        ></svg>
    }
}

pub fn channel_icon(channel: Channel) -> &'static IconData {
    match channel {
        Channel::Whatsapp => icons::WHATSAPP,
        Channel::Sms => icons::SMS,
        Channel::Email => icons::EMAIL,
        Channel::Messenger => icons::MESSENGER,
        Channel::Instagram => icons::INSTAGRAM,
        Channel::Telegram => icons::TELEGRAM,
        Channel::Line => icons::LINE,
        Channel::Viber => icons::VIBER,
        Channel::Webchat => icons::WEBCHAT,
    }
}

/// A channel's mark in its brand colour. `labelled`: it stands alone and is announced
/// ("WhatsApp"); otherwise text next to it names the channel.
#[component]
pub fn ChannelIcon(channel: Channel, #[prop(optional)] labelled: bool) -> impl IntoView {
    let i18n = crate::i18n::use_i18n();
    let name = move || (i18n.t().channel_name)(channel);
    view! {
        <span
            class=format!("sb-channel sb-channel--{}", channel.as_str())
            role=labelled.then_some("img")
            aria-label=move || labelled.then(name)
            title=name
        >
            <Icon icon=channel_icon(channel)/>
        </span>
    }
}
