//! The paper anchor: «Акт о формировании электронного архива», one printable page written beside
//! each archive on each medium (`<medium>/<name>-akt.html`, outside the bag). It carries the
//! SHA-256 of the bag's `tagmanifest-sha256.txt` (the archive's root digest: it covers the
//! manifest, which covers every file) in full and as a QR code, the signing key's fingerprint, and
//! lines for the head's signature and the seal. Printed, signed and filed, it lets anyone years
//! later check a copy with `sha256sum tagmanifest-sha256.txt` or `letopis verify --digest HEX`.

use crate::l10n::{self, nouns};
use crate::model::Lang;
use crate::render::Templates;
use crate::seal::BagMeta;
use qrcode::QrCode;
use qrcode::render::svg;

/// File name of the act for the archive `name`.
pub fn file_name(name: &str) -> String {
    format!("{name}-akt.html")
}

/// The act's HTML (template `building_act.html` of the set: self-contained, no scripts, one A4
/// page).
pub fn html(
    meta: &BagMeta,
    files: u64,
    bytes: u64,
    root: &str,
    templates: &Templates,
) -> Result<String, crate::render::RenderError> {
    let qr = QrCode::new(root.as_bytes())
        .map(|c| {
            c.render::<svg::Color>()
                .min_dimensions(160, 160)
                .quiet_zone(true)
                .build()
        })
        .unwrap_or_default();
    let qr = qr
        .find("<svg")
        .map(|i| qr[i..].to_string())
        .unwrap_or_default();
    let title = meta
        .period_title
        .clone()
        .unwrap_or_else(|| meta.period.clone());
    let split = 32.min(root.len());
    let mut ctx = tera::Context::new();
    ctx.insert("name", &meta.external_identifier);
    ctx.insert("org", &meta.source_organization);
    ctx.insert("title", &title);
    ctx.insert("date", &l10n::date(meta.bagging_date));
    ctx.insert("files", &files);
    ctx.insert("files_word", nouns::FILE.word(Lang::Ru, files));
    ctx.insert("bytes", &l10n::grouped(bytes));
    ctx.insert("bytes_word", nouns::BYTE.word(Lang::Ru, bytes));
    ctx.insert("digest_first", &root[..split]);
    ctx.insert("digest_rest", &root[split..]);
    ctx.insert("root", root);
    ctx.insert(
        "fingerprint",
        &meta.signer.as_ref().map(|k| k.fingerprint()),
    );
    // The QR code is an SVG drawn by the qrcode crate from the digest (hex digits only).
    ctx.insert("qr", &qr);
    templates.render("building_act.html", &ctx)
}

#[cfg(test)]
mod tests {
    #[test]
    fn words_and_numbers() {
        use crate::l10n::{grouped, nouns};
        use crate::model::Lang;
        assert_eq!(grouped(1234567), "1\u{a0}234\u{a0}567");
        assert_eq!(nouns::FILE.word(Lang::Ru, 21), "файл");
        assert_eq!(nouns::BYTE.word(Lang::Ru, 12), "байт");
        assert_eq!(nouns::BYTE.word(Lang::Ru, 3), "байта");
    }
}
