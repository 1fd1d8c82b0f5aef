//! The word being typed at the caret, when it starts with a trigger character: `/` opens the
//! saved replies, `:` the emojis. Positions are in UTF-16 units, as the browser gives the
//! caret; slicing is done on characters so accents and emojis are never cut.

/// A word at the caret that starts with a trigger.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Typed {
    /// Where the trigger character is (UTF-16 offset).
    pub start: usize,
    /// Where the caret is (UTF-16 offset).
    pub end: usize,
    /// What follows the trigger, up to the caret.
    pub query: String,
}

/// The word ending at `caret` if it starts with `trigger` at the start of the text or after
/// whitespace (so `a/b` and `http://` do not count), with at least `min_query` characters after it.
pub fn typed_at(text: &str, caret: usize, trigger: char, min_query: usize) -> Option<Typed> {
    let mut units = 0;
    let mut before = Vec::new();
    for c in text.chars() {
        if units >= caret {
            break;
        }
        units += c.len_utf16();
        before.push(c);
    }
    let word_start = before
        .iter()
        .rposition(|c| c.is_whitespace())
        .map_or(0, |i| i + 1);
    let word = &before[word_start..];
    if word.first() != Some(&trigger) {
        return None;
    }
    let query: String = word[1..].iter().collect();
    if query.chars().count() < min_query || query.contains(trigger) {
        return None;
    }
    let start = before[..word_start].iter().map(|c| c.len_utf16()).sum();
    Some(Typed {
        start,
        end: units,
        query,
    })
}

/// `text` with the UTF-16 range `start..end` replaced by `insert`, and the caret after it.
pub fn replace_range(text: &str, start: usize, end: usize, insert: &str) -> (String, usize) {
    let mut out = String::with_capacity(text.len() + insert.len());
    let mut units = 0;
    let mut caret = None;
    for c in text.chars() {
        if units == start {
            out.push_str(insert);
            caret = Some(start + insert.encode_utf16().count());
        }
        if units < start || units >= end {
            out.push(c);
        }
        units += c.len_utf16();
    }
    if caret.is_none() {
        out.push_str(insert);
        caret = Some(units.min(start) + insert.encode_utf16().count());
    }
    (out, caret.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slash_at_the_start_of_a_word_opens_with_what_follows() {
        let text = "Hola /env";
        assert_eq!(
            typed_at(text, 9, '/', 0),
            Some(Typed {
                start: 5,
                end: 9,
                query: "env".into()
            })
        );
        assert_eq!(
            typed_at("/", 1, '/', 0).map(|t| t.query),
            Some(String::new())
        );
        assert_eq!(typed_at("a/b", 3, '/', 0), None, "inside a word");
        assert_eq!(typed_at("http://x", 8, '/', 0), None);
        assert_eq!(typed_at("/env ", 5, '/', 0), None, "the word is over");
    }

    #[test]
    fn the_caret_decides_not_the_end_of_the_text() {
        assert_eq!(
            typed_at("/envio y más", 3, '/', 0).map(|t| t.query),
            Some("en".into())
        );
    }

    #[test]
    fn emojis_wait_for_two_letters_and_positions_count_utf16_units() {
        assert_eq!(typed_at("ok :s", 5, ':', 2), None);
        // "😀" is two UTF-16 units: the caret after ":so" is at 6.
        let found = typed_at("😀 :so", 6, ':', 2).unwrap();
        assert_eq!((found.start, found.end, found.query.as_str()), (3, 6, "so"));
        assert_eq!(typed_at("12:30", 5, ':', 2), None, "a time is not an emoji");
    }

    #[test]
    fn a_range_is_replaced_and_the_caret_lands_after_the_insert() {
        assert_eq!(
            replace_range("Hola /env y", 5, 9, "Tu pedido 😀"),
            ("Hola Tu pedido 😀 y".to_owned(), 17)
        );
        assert_eq!(replace_range("ñ :so", 2, 5, "😀"), ("ñ 😀".to_owned(), 4));
        assert_eq!(replace_range("", 0, 0, "hola"), ("hola".to_owned(), 4));
    }
}
