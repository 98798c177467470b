//! The one text normalisation shared by the tantivy index, the command line and the browser runtime
//! (`search.js` repeats [`words`] and the matching rules of [`forms_match`] in JavaScript).
//!
//! A word is a run of letters or a run of digits (`ПК-12` → `пк`, `12`), lowercased, with `ё` read
//! as `е`. Russian word forms: a query word matches an indexed word when they share the indexed
//! word's Snowball stem and the query adds at most [`MAX_ENDING`] letters to it (`смирновой` matches
//! `смирнов`, whose stem is `смирн`), or when the query's own stem is a prefix of the indexed word
//! (`смирнову` → `смирнов` matches `смирнова`): Snowball alone maps surnames inconsistently.

use std::collections::HashMap;
use tantivy::tokenizer::{Language, Stemmer, TextAnalyzer, WhitespaceTokenizer};

/// The longest case ending a query may add to an indexed word's stem (`-овой`, `-ыми`).
pub const MAX_ENDING: usize = 4;
/// Words shorter than this (in letters) are matched exactly, never by prefix or by form.
pub const MIN_PREFIX: usize = 3;

/// Splits a text into normalised words: lowercase, `ё` → `е`, runs of letters and runs of digits.
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut cur_digit = false;
    for ch in text.chars() {
        // Fast paths for ASCII and Russian letters; other scripts through the Unicode tables.
        let (kind, lower) = match ch {
            '0'..='9' => (Some(true), ch),
            'a'..='z' | 'а'..='я' => (Some(false), ch),
            'A'..='Z' => (Some(false), ch.to_ascii_lowercase()),
            'А'..='Я' => (Some(false), char::from_u32(ch as u32 + 0x20).unwrap_or(ch)),
            'ё' | 'Ё' => (Some(false), 'е'),
            c if c.is_ascii() => (None, c),
            c if c.is_alphanumeric() => (Some(c.is_numeric()), c),
            c => (None, c),
        };
        match kind {
            Some(digit) => {
                if !cur.is_empty() && digit != cur_digit {
                    out.push(std::mem::take(&mut cur));
                }
                cur_digit = digit;
                if lower != ch || ch.is_ascii() || matches!(ch, 'а'..='я') {
                    cur.push(lower);
                } else {
                    for lc in ch.to_lowercase() {
                        cur.push(if lc == 'ё' { 'е' } else { lc });
                    }
                }
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

/// Russian Snowball stemmer over normalised words, with a cache (the same words recur a lot).
pub struct Stems {
    analyzer: TextAnalyzer,
    cache: HashMap<String, String>,
}

impl Default for Stems {
    fn default() -> Self {
        Stems::new()
    }
}

impl Stems {
    pub fn new() -> Stems {
        Stems {
            analyzer: TextAnalyzer::builder(WhitespaceTokenizer::default())
                .filter(Stemmer::new(Language::Russian))
                .build(),
            cache: HashMap::new(),
        }
    }

    /// The stem of a normalised word; digits and one-letter words stay as they are.
    pub fn stem(&mut self, word: &str) -> String {
        if let Some(s) = self.cache.get(word) {
            return s.clone();
        }
        let stem = if word.chars().any(char::is_numeric) || word.chars().count() < 2 {
            word.to_string()
        } else {
            let mut stream = self.analyzer.token_stream(word);
            let mut stem = String::new();
            while let Some(tok) = stream.next() {
                stem.push_str(&tok.text);
            }
            if stem.is_empty() {
                word.to_string()
            } else {
                stem
            }
        };
        self.cache.insert(word.to_string(), stem.clone());
        stem
    }

    /// Length in letters of the part of `word` its stem keeps: the stem is a prefix of the word
    /// for Russian Snowball (it only removes endings), otherwise the common prefix is used.
    pub fn stem_len(&mut self, word: &str) -> usize {
        let stem = self.stem(word);
        word.chars()
            .zip(stem.chars())
            .take_while(|(a, b)| a == b)
            .count()
    }
}

/// Whether the query word `query` finds the indexed word `word` (stem of `word` keeps
/// `word_stem_len` letters) as another form of it: the rule the browser runtime applies too.
pub fn forms_match(query: &str, word: &str, word_stem_len: usize) -> bool {
    if query == word {
        return true;
    }
    let q = query.chars().count();
    if word_stem_len < MIN_PREFIX || q < word_stem_len || q - word_stem_len > MAX_ENDING {
        return false;
    }
    let stem: String = word.chars().take(word_stem_len).collect();
    query.starts_with(&stem)
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
        assert_eq!(words("ÄÖ straße Ǆ x²"), ["äö", "straße", "ǆ", "x", "²"]);
        assert_eq!(words("ЁЛКА Ёжик"), ["елка", "ежик"]);
        assert_eq!(compact("ПК-12").as_deref(), Some("пк12"));
        assert_eq!(digits("123-456-789 01").as_deref(), Some("12345678901"));
        assert_eq!(digits("12345678901"), None);
    }

    #[test]
    fn surname_forms_find_each_other() {
        let mut s = Stems::new();
        for indexed in ["смирнов", "смирнова"] {
            let len = s.stem_len(indexed);
            for q in ["смирнов", "смирнова", "смирнову", "смирновым", "смирновой"]
            {
                let q_stem = s.stem(q);
                assert!(
                    forms_match(q, indexed, len) || indexed.starts_with(&q_stem),
                    "{q} → {indexed}"
                );
            }
        }
        let len = s.stem_len("безопасность");
        assert!(forms_match("безопасности", "безопасность", len));
        assert!(!forms_match(
            "смирновский",
            "смирнов",
            s.stem_len("смирнов")
        ));
    }
}
