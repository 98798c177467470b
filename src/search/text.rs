//! The one text normalisation shared by the tantivy index, the command line and the browser runtime
//! (`engine.js` repeats [`words`] in JavaScript): Unicode NFC, lowercase, `ё` read as `е`, a word
//! is a run of letters or a run of digits (`ПК-12` → `пк`, `12`). Matching rules are in
//! [`super::engine`].

/// Whether `c` is a letter for search: ASCII letters, and every character from U+00C0 on except
/// punctuation, symbols, private use and emoji blocks. An explicit table rather than Unicode
/// properties, so that `search.js` (ES2017: no `\p{…}` in regular expressions) applies exactly the
/// same rule ([`LETTER_GAPS`] is repeated there).
pub fn is_letter(c: char) -> bool {
    let u = c as u32;
    if u < 0xC0 {
        return c.is_ascii_alphabetic();
    }
    // Latin and Cyrillic, most of the letters met, lie before the first gap but `×` and `÷`.
    if u < 0x2000 && u != 0xD7 && u != 0xF7 {
        return true;
    }
    !LETTER_GAPS.iter().any(|&(lo, hi)| (lo..=hi).contains(&u))
}

/// Ranges from U+00C0 on that are not letters (`×`, `÷`, punctuation, symbols, CJK punctuation,
/// surrogates and private use, presentation forms, full-width punctuation, specials, emoji).
pub const LETTER_GAPS: [(u32, u32); 14] = [
    (0xD7, 0xD7),
    (0xF7, 0xF7),
    (0x2000, 0x2BFF),
    (0x2E00, 0x2E7F),
    (0x3000, 0x303F),
    (0xD800, 0xF8FF),
    (0xFE10, 0xFE6F),
    (0xFF00, 0xFF0F),
    (0xFF1A, 0xFF20),
    (0xFF3B, 0xFF40),
    (0xFF5B, 0xFF65),
    (0xFFF0, 0xFFFF),
    (0x1F000, 0x1FFFF),
    (0xE0000, 0x10FFFF),
];

/// Splits a text into normalised words: Unicode NFC, lowercase, `ё` → `е`, runs of letters
/// ([`is_letter`]) and runs of ASCII digits.
///
/// Every search document's text goes through here twice (the command line's index and the
/// browser's), so the common characters (ASCII, Russian letters, the punctuation between them)
/// take a short path: they are already NFC and fold by an offset.
pub fn words(text: &str) -> Vec<String> {
    use unicode_normalization::UnicodeNormalization;
    let nfc: std::borrow::Cow<str> = if text.chars().all(plain)
        || unicode_normalization::is_nfc_quick(text.chars())
            == unicode_normalization::IsNormalized::Yes
    {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(text.nfc().collect())
    };
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut cur_digit = false;
    for ch in nfc.chars() {
        let digit = if ch.is_ascii_digit() {
            true
        } else if is_letter(ch) {
            false
        } else {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        };
        if !cur.is_empty() && digit != cur_digit {
            out.push(std::mem::take(&mut cur));
        }
        cur_digit = digit;
        match ch {
            '0'..='9' | 'a'..='z' | 'а'..='я' => cur.push(ch),
            'A'..='Z' => cur.push(ch.to_ascii_lowercase()),
            // `А`..`Я` (U+0410..U+042F) are `а`..`я` (U+0430..U+044F) less 0x20: no table search.
            'А'..='Я' => cur.push(char::from_u32(ch as u32 + 0x20).unwrap_or(ch)),
            'ё' | 'Ё' => cur.push('е'),
            _ => cur.extend(ch.to_lowercase().map(|c| if c == 'ё' { 'е' } else { c })),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Whether `c` is one of the characters the archive's texts are mostly made of, each NFC as it is
/// and combining with nothing before it: U+0000..U+02FF (ASCII, Latin-1, Latin Extended), the
/// Cyrillic letters (U+0400..U+0482 and U+048A..U+052F, without the combining marks between) and
/// the general punctuation (U+2002..U+206F: dashes, quotes; U+2000 and U+2001 are not NFC). A
/// text of them is NFC.
fn plain(c: char) -> bool {
    matches!(c as u32, 0..=0x2FF | 0x400..=0x482 | 0x48A..=0x52F | 0x2002..=0x206F)
}

/// The compact form of a code (certificate number, SNILS, group code): its words joined
/// (`123-456-789 01` → `12345678901`, `ПК-12` → `пк12`). `None` when the code is a single word.
pub fn compact(code: &str) -> Option<String> {
    let w = words(code);
    if w.len() < 2 {
        return None;
    }
    Some(w.concat())
}

/// The digits of a code (`№ 77-0012345` → `770012345`), when it has at least two groups of digits.
pub fn digits(code: &str) -> Option<String> {
    let groups: Vec<String> = words(code)
        .into_iter()
        .filter(|w| w.chars().all(char::is_numeric))
        .collect();
    if groups.len() < 2 {
        return None;
    }
    Some(groups.concat())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_letters_digits_and_fold_yo() {
        assert_eq!(words("ПК-12"), ["пк", "12"]);
        assert_eq!(words("Семёнова Алёна"), ["семенова", "алена"]);
        assert_eq!(words("ПК12 №5"), ["пк", "12", "5"]);
        assert_eq!(words("  "), Vec::<String>::new());
        assert_eq!(
            words("ÄÖ straße Ǆ x² №5 «Ёж»"),
            ["äö", "straße", "ǆ", "x", "5", "еж"]
        );
        // NFC: и + combining breve is й.
        assert_eq!(words("Андре\u{0438}\u{0306}"), ["андрей"]);
        assert_eq!(words("ЁЛКА Ёжик"), ["елка", "ежик"]);
        assert_eq!(compact("ПК-12").as_deref(), Some("пк12"));
        assert_eq!(digits("123-456-789 01").as_deref(), Some("12345678901"));
        assert_eq!(digits("12345678901"), None);
    }

    /// The short path of [`is_letter`] gives what the table of gaps (the one `search.js` has)
    /// gives, for every character.
    #[test]
    fn letters_are_what_the_table_of_gaps_says() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let u = c as u32;
            let table = if u < 0xC0 {
                c.is_ascii_alphabetic()
            } else {
                !LETTER_GAPS.iter().any(|&(lo, hi)| (lo..=hi).contains(&u))
            };
            assert_eq!(is_letter(c), table, "U+{u:04X}");
        }
    }

    /// Every character the short path of [`words`] takes as NFC is NFC on its own and combines
    /// with nothing before it: a text of them is NFC.
    #[test]
    fn plain_characters_are_nfc_and_do_not_combine() {
        use unicode_normalization::{IsNormalized, char::canonical_combining_class, is_nfc_quick};
        for c in (0..0x3000u32)
            .filter_map(char::from_u32)
            .filter(|&c| plain(c))
        {
            assert_eq!(is_nfc_quick(std::iter::once(c)), IsNormalized::Yes, "{c:?}");
            assert_eq!(canonical_combining_class(c), 0, "{c:?}");
            assert_eq!(
                is_nfc_quick(['a', c].into_iter()),
                IsNormalized::Yes,
                "{c:?}"
            );
        }
    }

    /// The short paths fold as the general rule does: every capital as its lowercase, `ё` as `е`,
    /// the same splits, over every character up to U+3000 between letters and digits.
    #[test]
    fn short_paths_agree_with_the_general_rule() {
        fn reference(text: &str) -> Vec<String> {
            use unicode_normalization::UnicodeNormalization;
            let nfc: String = text.nfc().collect();
            let mut out = Vec::new();
            let mut cur = String::new();
            let mut cur_digit = false;
            for ch in nfc.chars() {
                let kind = if ch.is_ascii_digit() {
                    Some(true)
                } else if is_letter(ch) {
                    Some(false)
                } else {
                    None
                };
                match kind {
                    Some(digit) => {
                        if !cur.is_empty() && digit != cur_digit {
                            out.push(std::mem::take(&mut cur));
                        }
                        cur_digit = digit;
                        cur.extend(ch.to_lowercase().map(|c| if c == 'ё' { 'е' } else { c }));
                    }
                    None if !cur.is_empty() => out.push(std::mem::take(&mut cur)),
                    None => {}
                }
            }
            if !cur.is_empty() {
                out.push(cur);
            }
            out
        }
        for c in (0..0x3000u32).filter_map(char::from_u32) {
            for text in [
                format!("{c}"),
                format!("Ая{c}1z"),
                format!("7{c}Ё"),
                format!("{c}\u{0306}"),
            ] {
                assert_eq!(words(&text), reference(&text), "{text:?}");
            }
        }
    }
}
