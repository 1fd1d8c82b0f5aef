//! The emoji table of the composer's picker (`GET /api/v1/emoji`), fetched when the picker is
//! first needed: it is too large for the app's first load. Field names are short because the
//! table has thousands of rows.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmojiTable {
    /// The groups in Unicode's order: smileys, people, animals... flags.
    pub groups: Vec<EmojiGroup>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmojiGroup {
    /// `smileys_emotion`, `people_body`, `animals_nature`, `food_drink`, `travel_places`,
    /// `activities`, `objects`, `symbols`, `flags`.
    pub id: String,
    pub emojis: Vec<Emoji>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Emoji {
    #[serde(rename = "e")]
    pub glyph: String,
    /// Its name in English and in Spanish (Unicode CLDR).
    pub en: String,
    pub es: String,
    /// Keywords in both languages and shortcodes, space-separated: what a search looks in.
    #[serde(rename = "k")]
    pub keywords: String,
    /// The five skin tones, lightest first, for emojis that have them.
    #[serde(rename = "t", default, skip_serializing_if = "Vec::is_empty")]
    pub tones: Vec<String>,
}
