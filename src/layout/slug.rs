//! File names for pages: every record id becomes an ASCII slug, so archives copy safely to any file
//! system (FAT on a stick, ISO 9660 on a DVD) and URLs need no escaping. Ingest rejects two ids of
//! the same kind that give the same slug, so a slug names one record.

/// `ПК-12` → `pk-12`, `Смирнова Ё.` → `smirnova-e`. Lowercase ASCII letters, digits and `-`;
/// never empty (`_` for an id without letters or digits).
pub fn slug(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    let mut dash = false;
    for ch in id.chars() {
        // Russian capitals and ASCII, most of an id's letters, are folded without the Unicode
        // table search of `char::to_lowercase` (a slug is made for every lesson row of a page).
        match ch {
            'А'..='Я' => push(
                &mut out,
                &mut dash,
                char::from_u32(ch as u32 + 0x20).unwrap_or(ch),
            ),
            'Ё' => push(&mut out, &mut dash, 'ё'),
            _ if ch.is_ascii() => push(&mut out, &mut dash, ch.to_ascii_lowercase()),
            _ => ch.to_lowercase().for_each(|c| push(&mut out, &mut dash, c)),
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        out.push('_');
    }
    out
}

/// Appends the slug of one lowercase character: its transliteration, itself, or one dash for a
/// run of other characters (none at the start).
fn push(out: &mut String, dash: &mut bool, ch: char) {
    let piece: &str = match ch {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' => "g",
        'д' => "d",
        'е' | 'ё' | 'э' => "e",
        'ж' => "zh",
        'з' => "z",
        'и' | 'й' => "i",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' => "u",
        'ф' => "f",
        'х' => "kh",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ъ' | 'ь' => "",
        'ы' => "y",
        'ю' => "iu",
        'я' => "ia",
        c if c.is_ascii_alphanumeric() => {
            out.push(c);
            *dash = false;
            return;
        }
        _ => {
            if !*dash && !out.is_empty() {
                out.push('-');
                *dash = true;
            }
            return;
        }
    };
    if !piece.is_empty() {
        out.push_str(piece);
        *dash = false;
    }
}

#[cfg(test)]
mod tests {
    use super::slug;

    #[test]
    fn transliterates_and_folds() {
        assert_eq!(slug("ПК-12"), "pk-12");
        assert_eq!(slug("Смирнова Ё."), "smirnova-e");
        assert_eq!(slug("ЛД/2025/001"), "ld-2025-001");
        assert_eq!(slug("Щукин"), "shchukin");
        assert_eq!(slug("--"), "_");
        assert_eq!(slug("A1"), slug("a1"));
    }

    #[test]
    fn every_capital_folds_as_unicode_lowercases_it() {
        // The fast folding of Russian capitals and ASCII against `str::to_lowercase`.
        let capitals = ('\u{400}'..='\u{52f}')
            .chain('A'..='Z')
            .chain(['İ', 'Σ', 'Ω', 'ẞ']);
        for ch in capitals {
            let id = format!("x{ch}1{ch}");
            assert_eq!(
                slug(&id),
                slug(&id.to_lowercase()),
                "{ch} U+{:04X}",
                ch as u32
            );
        }
    }
}
