//! Finding things from a few typed letters: accents and case do not matter, a prefix beats a
//! match inside a word, and letters typed in order still find (`envo` finds `envío`).

/// Lowercase, without accents: `Envío` → `envio`, `Ñandú` → `nandu`.
pub fn fold(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' => 'o',
            'ú' | 'ù' | 'û' | 'ü' => 'u',
            'ñ' => 'n',
            'ç' => 'c',
            other => other,
        })
        .collect()
}

/// How well a folded query matches a folded text: higher is better, `None` for no match.
pub fn score(query: &str, text: &str) -> Option<u32> {
    if query.is_empty() {
        return Some(1);
    }
    if text == query {
        return Some(100);
    }
    if text.starts_with(query) {
        return Some(80);
    }
    if text
        .split(|c: char| !c.is_alphanumeric())
        .any(|word| word.starts_with(query))
    {
        return Some(60);
    }
    if text.contains(query) {
        return Some(40);
    }
    // Every letter, in order: a typo-tolerant last resort.
    let mut letters = text.chars();
    query.chars().all(|q| letters.any(|t| t == q)).then_some(10)
}

/// The indices of `items` that match `query` on any of their fields, best first; ties keep
/// the items' order. A match on an earlier field (the shortcut) counts a little more.
pub fn rank<T>(query: &str, items: &[T], fields: impl Fn(&T) -> Vec<&str>) -> Vec<usize> {
    let query = fold(query.trim());
    let mut scored: Vec<(u32, usize)> = items
        .iter()
        .enumerate()
        .filter_map(|(index, item)| {
            fields(item)
                .into_iter()
                .enumerate()
                .filter_map(|(n, field)| {
                    // Letters in order find a shortcut; in a title or a text they find anything.
                    score(&query, &fold(field))
                        .filter(|s| n == 0 || *s > 10)
                        .map(|s| s * 2 + u32::from(n == 0))
                })
                .max()
                .map(|best| (best, index))
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.into_iter().map(|(_, index)| index).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPLIES: [(&str, &str); 4] = [
        ("saludo", "Saludo"),
        ("envio", "Estado del envío"),
        ("devolucion", "Devoluciones"),
        ("gracias", "Gracias y despedida"),
    ];

    fn find(query: &str) -> Vec<&'static str> {
        rank(query, &REPLIES, |(shortcut, title)| vec![*shortcut, *title])
            .into_iter()
            .map(|i| REPLIES[i].0)
            .collect()
    }

    #[test]
    fn accents_and_case_do_not_matter() {
        assert_eq!(fold("Envío ÑANDÚ"), "envio nandu");
        assert_eq!(find("ENVÍO"), ["envio"]);
    }

    #[test]
    fn a_shortcut_prefix_comes_before_a_word_of_a_title_or_letters_in_order() {
        assert_eq!(find("de")[0], "devolucion", "shortcut prefix first");
        assert!(find("de").contains(&"gracias"), "'despedida' in the title");
        assert_eq!(find("estado"), ["envio"]);
        assert_eq!(find("dvlc"), ["devolucion"], "letters in order");
        assert!(find("xyz").is_empty());
        assert!(
            !find("sal").contains(&"envio"),
            "s-a-l scattered in a title is no match"
        );
    }

    #[test]
    fn an_empty_query_lists_everything_in_order() {
        assert_eq!(find(""), ["saludo", "envio", "devolucion", "gracias"]);
    }
}
