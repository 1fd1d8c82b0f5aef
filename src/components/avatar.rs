use super::{ChannelIcon, Icon, icons};
use leptos::prelude::*;
use switchboard_protocol::Channel;

/// Up to two initials: "Lucía Fernández" -> "LF".
pub fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|word| word.chars().find(|c| c.is_alphanumeric()))
        .take(2)
        .flat_map(char::to_uppercase)
        .collect()
}

/// One of eight soft colours, the same for the same name every time.
pub(crate) fn tint(name: &str) -> u32 {
    name.bytes()
        .fold(7u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)))
        % 8
}

/// A contact's picture: initials on a colour, or a person glyph when only a handle is known,
/// with the channel's mark in the corner.
#[component]
pub fn Avatar(name: String, name_is_handle: bool, channel: Channel) -> impl IntoView {
    let face = if name_is_handle || initials(&name).is_empty() {
        view! { <Icon icon=icons::PERSON class="sb-avatar__glyph"/> }.into_any()
    } else {
        view! { <span class="sb-avatar__initials">{initials(&name)}</span> }.into_any()
    };
    view! {
        <span class=format!("sb-avatar sb-avatar--tint{}", tint(&name)) aria-hidden="true">
            {face}
            <span class="sb-avatar__badge"><ChannelIcon channel=channel/></span>
        </span>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_take_the_first_letters_of_two_words() {
        assert_eq!(initials("Lucía Fernández"), "LF");
        assert_eq!(initials("ñoño"), "Ñ");
        assert_eq!(initials("  María  José Pérez"), "MJ");
        assert_eq!(initials("@cliente_22"), "C");
        assert_eq!(initials(""), "");
    }

    #[test]
    fn a_name_always_gets_the_same_colour() {
        assert_eq!(tint("Lucía"), tint("Lucía"));
        assert!(tint("Lucía") < 8);
    }
}
