//! The emoji table, fetched from the server the first time the picker (or a `:` suggestion)
//! needs it, never in the first load. Searching folds accents and case and looks at names and
//! keywords in both languages; recently used emojis and the chosen skin tone are kept in the
//! browser.

use crate::api::{Api, ApiFailure};
use crate::compose::matching::{fold, score};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::sync::Arc;
use switchboard_protocol::emoji::EmojiTable;

const RECENT_KEY: &str = "sb.emoji.recent";
const TONE_KEY: &str = "sb.emoji.tone";
pub const RECENT_MAX: usize = 24;

/// One emoji, ready to search.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub glyph: String,
    pub en: String,
    pub es: String,
    pub group: usize,
    pub tones: Vec<String>,
    /// Folded names and keywords, for matching.
    names: [String; 2],
    keywords: String,
}

impl Entry {
    /// The glyph in a skin tone (1 to 5), if it has tones; else as it is.
    pub fn in_tone(&self, tone: usize) -> &str {
        match tone.checked_sub(1).and_then(|i| self.tones.get(i)) {
            Some(toned) => toned,
            None => &self.glyph,
        }
    }

    pub fn name(&self, spanish: bool) -> &str {
        if spanish { &self.es } else { &self.en }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Emojis {
    pub groups: Vec<String>,
    pub entries: Vec<Entry>,
}

impl Emojis {
    pub fn from_table(table: EmojiTable) -> Emojis {
        let mut emojis = Emojis::default();
        for (index, group) in table.groups.into_iter().enumerate() {
            emojis.groups.push(group.id);
            for emoji in group.emojis {
                emojis.entries.push(Entry {
                    names: [fold(&emoji.es), fold(&emoji.en)],
                    keywords: fold(&emoji.keywords),
                    glyph: emoji.glyph,
                    en: emoji.en,
                    es: emoji.es,
                    group: index,
                    tones: emoji.tones,
                });
            }
        }
        emojis
    }

    /// The best matches for a query, at most `limit`: a name that starts with it first, then
    /// a keyword that does, then the rest. Ties keep Unicode's order.
    pub fn search(&self, query: &str, limit: usize) -> Vec<&Entry> {
        let query = fold(query.trim());
        if query.is_empty() {
            return Vec::new();
        }
        let mut found: Vec<(u32, usize)> = self
            .entries
            .iter()
            .enumerate()
            .filter_map(|(index, entry)| {
                let name = entry
                    .names
                    .iter()
                    .filter_map(|n| score(&query, n))
                    .max()
                    .map(|s| s + 10);
                let keyword = entry
                    .keywords
                    .split(' ')
                    .filter_map(|k| k.starts_with(&query).then_some(50))
                    .max();
                // Letters in order are too loose for thousands of emojis: whole words only.
                name.filter(|s| *s > 20).max(keyword).map(|s| (s, index))
            })
            .collect();
        found.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        found
            .into_iter()
            .take(limit)
            .map(|(_, index)| &self.entries[index])
            .collect()
    }

    pub fn by_glyph(&self, glyph: &str) -> Option<&Entry> {
        self.entries
            .iter()
            .find(|e| e.glyph == glyph || e.tones.iter().any(|t| t == glyph))
    }
}

/// The recently used list after using `glyph`: it first, no repeats, at most [`RECENT_MAX`].
pub fn used(recent: &[String], glyph: &str) -> Vec<String> {
    std::iter::once(glyph.to_owned())
        .chain(recent.iter().filter(|g| *g != glyph).cloned())
        .take(RECENT_MAX)
        .collect()
}

#[derive(Clone, Copy)]
pub struct EmojiLibrary {
    pub emojis: RwSignal<Option<Arc<Emojis>>>,
    loading: StoredValue<bool>,
    /// Why the last load failed; the next `load` tries again.
    pub failure: RwSignal<Option<ApiFailure>>,
    pub recent: RwSignal<Vec<String>>,
    /// 0: no skin tone; 1 to 5: lightest to darkest.
    pub tone: RwSignal<usize>,
}

impl EmojiLibrary {
    pub fn new() -> EmojiLibrary {
        let recent = crate::browser::local_storage_get(RECENT_KEY)
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default();
        let tone = crate::browser::local_storage_get(TONE_KEY)
            .and_then(|t| t.parse().ok())
            .filter(|t| *t <= 5)
            .unwrap_or(0);
        EmojiLibrary {
            emojis: RwSignal::new(None),
            loading: StoredValue::new(false),
            failure: RwSignal::new(None),
            recent: RwSignal::new(recent),
            tone: RwSignal::new(tone),
        }
    }

    /// Fetches the table unless it is here or on its way.
    pub fn load(&self, api: Api) {
        if self.emojis.with_untracked(Option::is_some) || self.loading.get_value() {
            return;
        }
        self.loading.set_value(true);
        let (emojis, loading, failure) = (self.emojis, self.loading, self.failure);
        spawn_local(async move {
            match api.emoji().await {
                Ok(table) => {
                    emojis.set(Some(Arc::new(Emojis::from_table(table))));
                    failure.set(None);
                }
                Err(problem) => failure.set(Some(problem)),
            }
            loading.set_value(false);
        });
    }

    pub fn remember(&self, glyph: &str) {
        self.recent.update(|recent| *recent = used(recent, glyph));
        if let Ok(json) = serde_json::to_string(&self.recent.get_untracked()) {
            crate::browser::local_storage_set(RECENT_KEY, &json);
        }
    }

    pub fn set_tone(&self, tone: usize) {
        self.tone.set(tone);
        crate::browser::local_storage_set(TONE_KEY, &tone.to_string());
    }
}

impl Default for EmojiLibrary {
    fn default() -> Self {
        EmojiLibrary::new()
    }
}

pub fn use_emoji() -> EmojiLibrary {
    expect_context::<EmojiLibrary>()
}

#[cfg(test)]
mod tests {
    use super::*;
    use switchboard_protocol::emoji::{Emoji, EmojiGroup};

    fn emoji(glyph: &str, en: &str, es: &str, keywords: &str) -> Emoji {
        Emoji {
            glyph: glyph.into(),
            en: en.into(),
            es: es.into(),
            keywords: keywords.into(),
            tones: Vec::new(),
        }
    }

    fn emojis() -> Emojis {
        Emojis::from_table(EmojiTable {
            groups: vec![
                EmojiGroup {
                    id: "smileys_emotion".into(),
                    emojis: vec![
                        emoji(
                            "😀",
                            "grinning face",
                            "cara sonriendo",
                            "feliz happy smile grin",
                        ),
                        emoji(
                            "😂",
                            "face with tears of joy",
                            "cara llorando de risa",
                            "risa lágrima laugh",
                        ),
                        emoji("❤️", "red heart", "corazón rojo", "amor corazón love heart"),
                    ],
                },
                EmojiGroup {
                    id: "food_drink".into(),
                    emojis: vec![emoji(
                        "☕",
                        "hot beverage",
                        "bebida caliente",
                        "café coffee té",
                    )],
                },
            ],
        })
    }

    fn glyphs(query: &str) -> Vec<String> {
        let emojis = emojis();
        emojis
            .search(query, 10)
            .into_iter()
            .map(|e| e.glyph.clone())
            .collect()
    }

    #[test]
    fn spanish_and_english_both_find_without_accents() {
        assert_eq!(glyphs("corazon"), ["❤️"]);
        assert_eq!(glyphs("heart"), ["❤️"]);
        assert_eq!(glyphs("CAFÉ"), ["☕"]);
        assert_eq!(glyphs("cafe"), ["☕"]);
    }

    #[test]
    fn a_name_beats_a_keyword_and_loose_letters_find_nothing() {
        assert_eq!(
            glyphs("cara"),
            ["😀", "😂"],
            "both names start so: Unicode order"
        );
        assert_eq!(glyphs("risa"), ["😂"]);
        assert!(glyphs("crn").is_empty());
        assert!(glyphs("  ").is_empty());
    }

    #[test]
    fn recently_used_come_first_once_and_are_bounded() {
        let recent = used(&["😀".into(), "☕".into()], "☕");
        assert_eq!(recent, ["☕", "😀"]);
        let many: Vec<String> = (0..RECENT_MAX).map(|i| i.to_string()).collect();
        assert_eq!(used(&many, "😀").len(), RECENT_MAX);
    }

    #[test]
    fn a_skin_tone_applies_only_to_emojis_that_have_tones() {
        let mut wave = Emojis::from_table(EmojiTable {
            groups: vec![EmojiGroup {
                id: "people_body".into(),
                emojis: vec![Emoji {
                    tones: vec![
                        "👋🏻".into(),
                        "👋🏼".into(),
                        "👋🏽".into(),
                        "👋🏾".into(),
                        "👋🏿".into(),
                    ],
                    ..emoji("👋", "waving hand", "mano saludando", "hola hello")
                }],
            }],
        });
        let wave = wave.entries.remove(0);
        assert_eq!(wave.in_tone(0), "👋");
        assert_eq!(wave.in_tone(3), "👋🏽");
        assert_eq!(emojis().entries[0].in_tone(3), "😀");
    }
}
