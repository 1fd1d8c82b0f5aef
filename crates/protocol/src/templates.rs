//! Message templates: what WhatsApp allows once its reply window has closed. A template's body
//! has placeholders, positional (`{{1}}`) or named (`{{order_id}}`), that the agent fills in.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Template {
    pub name: String,
    /// BCP 47 language of the approved text: `es`, `en_US`.
    pub language: String,
    pub body: String,
}

/// A template chosen for a message, with its parameter values in placeholder order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateUse {
    pub name: String,
    pub language: String,
    pub params: Vec<String>,
}

/// Why a template cannot be filled in as given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TemplateError {
    /// This many values were expected.
    WrongCount { expected: usize },
    /// The value for this placeholder is empty.
    Empty { placeholder: String },
}

impl Template {
    /// The placeholders of the body, in the order they first appear.
    pub fn placeholders(&self) -> Vec<String> {
        let mut found: Vec<String> = Vec::new();
        let mut rest = self.body.as_str();
        while let Some(start) = rest.find("{{") {
            let after = &rest[start + 2..];
            let Some(end) = after.find("}}") else { break };
            let name = after[..end].trim().to_owned();
            if !name.is_empty() && !found.contains(&name) {
                found.push(name);
            }
            rest = &after[end + 2..];
        }
        found
    }

    /// The body with the values given so far filled in, the others left as placeholders: what
    /// the agent sees while filling the template in.
    pub fn preview(&self, values: &[String]) -> String {
        self.placeholders()
            .iter()
            .zip(values)
            .filter(|(_, value)| !value.trim().is_empty())
            .fold(self.body.clone(), |text, (placeholder, value)| {
                replace_placeholder(&text, placeholder, value.trim())
            })
    }

    /// The body with every placeholder replaced by its value.
    pub fn render(&self, values: &[String]) -> Result<String, TemplateError> {
        let placeholders = self.placeholders();
        if values.len() != placeholders.len() {
            return Err(TemplateError::WrongCount {
                expected: placeholders.len(),
            });
        }
        let mut text = self.body.clone();
        for (placeholder, value) in placeholders.iter().zip(values) {
            let value = value.trim();
            if value.is_empty() {
                return Err(TemplateError::Empty {
                    placeholder: placeholder.clone(),
                });
            }
            text = replace_placeholder(&text, placeholder, value);
        }
        Ok(text)
    }
}

/// Replaces `{{name}}` (with any spaces inside the braces) by `value`.
fn replace_placeholder(text: &str, name: &str, value: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        match after.find("}}") {
            Some(end) if after[..end].trim() == name => {
                out.push_str(&rest[..start]);
                out.push_str(value);
                rest = &after[end + 2..];
            }
            _ => {
                out.push_str(&rest[..start + 2]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template(body: &str) -> Template {
        Template {
            name: "t".into(),
            language: "es".into(),
            body: body.into(),
        }
    }

    #[test]
    fn positional_and_named_placeholders_are_found_once_in_order() {
        assert_eq!(
            template("Hola {{1}}, tu pedido {{2}} ya salió, {{1}}.").placeholders(),
            ["1", "2"]
        );
        assert_eq!(
            template("Order {{order_id}} for {{ name }}").placeholders(),
            ["order_id", "name"]
        );
        assert!(
            template("No placeholders, {{}} nor {{ unfinished")
                .placeholders()
                .is_empty()
        );
    }

    #[test]
    fn rendering_fills_every_placeholder() {
        let t = template("Hola {{1}}, tu pedido {{2}} ya salió, {{1}}.");
        assert_eq!(
            t.render(&["Lucía".into(), "48213".into()]).unwrap(),
            "Hola Lucía, tu pedido 48213 ya salió, Lucía."
        );
    }

    #[test]
    fn the_preview_fills_in_what_is_known_so_far() {
        let t = template("Hola {{1}}, pedido {{2}}");
        assert_eq!(
            t.preview(&["Lucía".into(), String::new()]),
            "Hola Lucía, pedido {{2}}"
        );
        assert_eq!(t.preview(&[]), "Hola {{1}}, pedido {{2}}");
    }

    #[test]
    fn missing_or_blank_values_are_refused() {
        let t = template("Hola {{1}}, pedido {{2}}");
        assert_eq!(
            t.render(&["Lucía".into()]),
            Err(TemplateError::WrongCount { expected: 2 })
        );
        assert_eq!(
            t.render(&["Lucía".into(), "  ".into()]),
            Err(TemplateError::Empty {
                placeholder: "2".into()
            })
        );
    }
}
