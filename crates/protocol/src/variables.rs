//! Variables in saved replies: `{{contact.first_name}}`, `{{agent.name}}`... They are filled in
//! when the agent inserts a reply. One that cannot be filled (unknown, or empty for this
//! contact) stays in the text as written, so the composer can point at it before it goes out
//! as braces.

/// The variables a reply may use.
pub const KNOWN: [&str; 6] = [
    "contact.first_name",
    "contact.name",
    "contact.handle",
    "agent.first_name",
    "agent.name",
    "inbox.name",
];

/// What the variables stand for in one conversation.
#[derive(Clone, Copy, Debug, Default)]
pub struct Values<'a> {
    /// `None` while the contact's name is unknown.
    pub contact_name: Option<&'a str>,
    pub contact_handle: &'a str,
    pub agent_name: &'a str,
    pub inbox_name: &'a str,
}

fn first_word(name: &str) -> &str {
    name.split_whitespace().next().unwrap_or_default()
}

impl Values<'_> {
    /// The value of a variable; `None` when it is unknown or empty here.
    pub fn get(&self, name: &str) -> Option<&str> {
        let value = match name {
            "contact.first_name" => first_word(self.contact_name?),
            "contact.name" => self.contact_name?.trim(),
            "contact.handle" => self.contact_handle.trim(),
            "agent.first_name" => first_word(self.agent_name),
            "agent.name" => self.agent_name.trim(),
            "inbox.name" => self.inbox_name.trim(),
            _ => return None,
        };
        (!value.is_empty()).then_some(value)
    }
}

/// A `{{name}}` in a text, by byte range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placeholder {
    pub start: usize,
    pub end: usize,
    pub name: String,
}

/// Every `{{...}}` of a text, in order.
pub fn placeholders(text: &str) -> Vec<Placeholder> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(open) = text[from..].find("{{").map(|i| from + i) {
        let Some(close) = text[open + 2..].find("}}").map(|i| open + 2 + i) else {
            break;
        };
        let name = text[open + 2..close].trim();
        // A `{` inside means this `{{` was not the start of a placeholder: look from the next.
        if name.contains('{') {
            from = open + 1;
            continue;
        }
        found.push(Placeholder {
            start: open,
            end: close + 2,
            name: name.to_owned(),
        });
        from = close + 2;
    }
    found
}

/// The text with every variable that has a value filled in; the others left as they are.
pub fn fill(text: &str, values: &Values<'_>) -> String {
    let mut filled = String::with_capacity(text.len());
    let mut from = 0;
    for placeholder in placeholders(text) {
        if let Some(value) = values.get(&placeholder.name) {
            filled.push_str(&text[from..placeholder.start]);
            filled.push_str(value);
            from = placeholder.end;
        }
    }
    filled.push_str(&text[from..]);
    filled
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values() -> Values<'static> {
        Values {
            contact_name: Some("Lucía Fernández"),
            contact_handle: "+34 600 000 001",
            agent_name: "Ana García",
            inbox_name: "Tienda · WhatsApp",
        }
    }

    #[test]
    fn known_variables_are_filled_in_with_or_without_spaces() {
        assert_eq!(
            fill(
                "Hola {{contact.first_name}}, soy {{ agent.first_name }} de {{inbox.name}}.",
                &values()
            ),
            "Hola Lucía, soy Ana de Tienda · WhatsApp."
        );
        for name in KNOWN {
            assert!(values().get(name).is_some(), "{name}");
        }
    }

    #[test]
    fn unknown_or_empty_variables_stay_for_the_agent_to_see() {
        let nameless = Values {
            contact_name: None,
            ..values()
        };
        let text = fill(
            "Hola {{contact.first_name}}, {{pedido.numero}} ok",
            &nameless,
        );
        assert_eq!(text, "Hola {{contact.first_name}}, {{pedido.numero}} ok");
        let left: Vec<_> = placeholders(&text).into_iter().map(|p| p.name).collect();
        assert_eq!(left, ["contact.first_name", "pedido.numero"]);
        let blank = Values {
            contact_name: Some("  "),
            ..values()
        };
        assert_eq!(blank.get("contact.name"), None);
    }

    #[test]
    fn placeholders_are_found_by_byte_range_even_after_accents_and_stray_braces() {
        let text = "¿{ {{a}} {{b}";
        let found = placeholders(text);
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].start..found[0].end], "{{a}}");
        assert_eq!(placeholders("{{{x}}}")[0].name, "x");
        assert!(placeholders("sin llaves").is_empty());
    }
}
