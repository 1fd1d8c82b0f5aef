//! The emoji picker's table, built once: order, groups, skin tones, English names and
//! shortcodes from the `emojis` crate; names and keywords in Spanish and English from Unicode
//! CLDR (`data/cldr-emoji-annotations.tsv`, made by `scripts/emoji-annotations`).

use emojis::{Group, SkinTone, UnicodeVersion};
use std::collections::HashMap;
use std::sync::OnceLock;
use switchboard_protocol::emoji::{Emoji, EmojiGroup, EmojiTable};

const ANNOTATIONS: &str = include_str!("../data/cldr-emoji-annotations.tsv");

/// Newer emojis draw as empty boxes on many agents' computers: they are left out until
/// their fonts catch up.
const NEWEST: UnicodeVersion = UnicodeVersion::new(15, 0);

const TONES: [SkinTone; 5] = [
    SkinTone::Light,
    SkinTone::MediumLight,
    SkinTone::Medium,
    SkinTone::MediumDark,
    SkinTone::Dark,
];

fn group_id(group: Group) -> &'static str {
    match group {
        Group::SmileysAndEmotion => "smileys_emotion",
        Group::PeopleAndBody => "people_body",
        Group::AnimalsAndNature => "animals_nature",
        Group::FoodAndDrink => "food_drink",
        Group::TravelAndPlaces => "travel_places",
        Group::Activities => "activities",
        Group::Objects => "objects",
        Group::Symbols => "symbols",
        Group::Flags => "flags",
    }
}

/// CLDR writes emojis without the emoji presentation selector; the crate with it.
fn key(glyph: &str) -> String {
    glyph.replace('\u{fe0f}', "")
}

/// An emoji's CLDR name and keywords in one language.
struct Annotation<'a> {
    name: &'a str,
    keywords: &'a str,
}

fn annotations() -> HashMap<(String, &'static str), Annotation<'static>> {
    ANNOTATIONS
        .lines()
        .filter(|line| !line.starts_with("# "))
        .filter_map(|line| {
            let mut fields = line.split('\t');
            let (glyph, language, name) = (fields.next()?, fields.next()?, fields.next()?);
            Some((
                (key(glyph), language),
                Annotation {
                    name,
                    keywords: fields.next().unwrap_or_default(),
                },
            ))
        })
        .collect()
}

fn build() -> EmojiTable {
    let annotations = annotations();
    let lookup = |glyph: &str, language: &'static str| annotations.get(&(key(glyph), language));
    let groups = Group::iter()
        .map(|group| EmojiGroup {
            id: group_id(group).to_owned(),
            emojis: group
                .emojis()
                .filter(|e| e.unicode_version() <= NEWEST)
                .map(|e| {
                    let (en, es) = (lookup(e.as_str(), "en"), lookup(e.as_str(), "es"));
                    let en_name = en.map_or(e.name(), |a| a.name).to_owned();
                    let mut keywords: Vec<&str> = [en, es]
                        .into_iter()
                        .flatten()
                        .flat_map(|a| a.keywords.split('|'))
                        .chain(e.shortcodes())
                        .filter(|k| !k.is_empty())
                        .collect();
                    keywords.dedup();
                    Emoji {
                        glyph: e.as_str().to_owned(),
                        es: es.map_or_else(|| en_name.clone(), |a| a.name.to_owned()),
                        en: en_name,
                        keywords: keywords.join(" "),
                        tones: TONES
                            .iter()
                            .filter_map(|tone| e.with_skin_tone(*tone))
                            .map(|toned| toned.as_str().to_owned())
                            .collect(),
                    }
                })
                .collect(),
        })
        .collect();
    EmojiTable { groups }
}

/// The table as JSON, built on first use.
pub fn table_json() -> &'static [u8] {
    static JSON: OnceLock<Vec<u8>> = OnceLock::new();
    JSON.get_or_init(|| serde_json::to_vec(&build()).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_group_is_there_with_spanish_and_english_names_and_keywords() {
        let table = build();
        let ids: Vec<&str> = table.groups.iter().map(|g| g.id.as_str()).collect();
        assert_eq!(ids.first(), Some(&"smileys_emotion"));
        assert_eq!(ids.last(), Some(&"flags"));
        let all: Vec<&Emoji> = table.groups.iter().flat_map(|g| &g.emojis).collect();
        assert!(all.len() > 1800, "{} emojis", all.len());
        let grin = all.iter().find(|e| e.glyph == "😀").unwrap();
        assert_eq!(
            (grin.en.as_str(), grin.es.as_str()),
            ("grinning face", "cara sonriendo")
        );
        assert!(grin.keywords.contains("feliz") && grin.keywords.contains("happy"));
        let spain = all.iter().find(|e| e.glyph == "🇪🇸").unwrap();
        assert_eq!(spain.es, "Bandera: España");
        // With the presentation selector in the crate, without it in CLDR: still joined.
        let heart = all.iter().find(|e| e.glyph == "❤\u{fe0f}").unwrap();
        assert_eq!(heart.es, "corazón rojo");
        let annotations = annotations();
        let unannotated: Vec<&str> = all
            .iter()
            .filter(|e| !annotations.contains_key(&(key(&e.glyph), "es")))
            .map(|e| e.glyph.as_str())
            .collect();
        assert!(unannotated.is_empty(), "no Spanish for {unannotated:?}");
    }

    #[test]
    fn emojis_with_skin_tones_carry_all_five() {
        let table = build();
        let wave = table
            .groups
            .iter()
            .flat_map(|g| &g.emojis)
            .find(|e| e.glyph == "👋")
            .unwrap();
        assert_eq!(wave.tones.len(), 5);
        assert_eq!(wave.tones[0], "👋🏻");
    }
}
