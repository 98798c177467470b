//! The paper anchor: «Акт о формировании электронного архива», one printable page written beside
//! each archive on each medium (`<medium>/<name>-akt.html`, outside the bag). It carries the
//! SHA-256 of the bag's `tagmanifest-sha256.txt` (the archive's root digest: it covers the
//! manifest, which covers every file) in full and as a QR code, the signing key's fingerprint, and
//! lines for the head's signature and the seal. Printed, signed and filed, it lets anyone years
//! later check a copy with `sha256sum tagmanifest-sha256.txt` or `letopis verify --digest HEX`.

use crate::seal::BagMeta;
use qrcode::QrCode;
use qrcode::render::svg;

/// File name of the act for the archive `name`.
pub fn file_name(name: &str) -> String {
    format!("{name}-akt.html")
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Russian plural: 1 файл, 2 файла, 5 файлов.
fn plural(n: u64, one: &'static str, few: &'static str, many: &'static str) -> &'static str {
    match (n % 10, n % 100) {
        (_, 11..=14) => many,
        (1, _) => one,
        (2..=4, _) => few,
        _ => many,
    }
}

/// `1 234 567` (thin grouping as clerks write numbers).
fn grouped(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push('\u{a0}');
        }
        out.push(c);
    }
    out
}

/// The act's HTML: self-contained, no scripts, one A4 page.
pub fn html(meta: &BagMeta, files: u64, bytes: u64, root: &str) -> String {
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
    let date = meta.bagging_date.format("%d.%m.%Y");
    let key = match &meta.signer {
        Some(k) => format!(
            "<tr><th>Ключ электронной подписи организации (отпечаток SHA-256)</th><td><code>{}</code></td></tr>",
            esc(&k.fingerprint())
        ),
        None => "<tr><th>Электронная подпись</th><td>архив не подписан</td></tr>".to_string(),
    };
    let digest_lines = format!(
        "{}<br>{}",
        &root[..32.min(root.len())],
        &root[32.min(root.len())..]
    );
    format!(
        r#"<!DOCTYPE html>
<html lang="ru"><head><meta charset="utf-8">
<title>Акт о формировании электронного архива {name}</title>
<style>
@page {{ size: A4; margin: 15mm 15mm 15mm 20mm; }}
body {{ font-family: "Times New Roman", serif; font-size: 12pt; max-width: 170mm; margin: 0 auto; }}
h1 {{ font-size: 14pt; text-align: center; margin: 0 0 4mm; }}
p.sub {{ text-align: center; margin: 0 0 6mm; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border: 1px solid #000; padding: 2mm; text-align: left; vertical-align: top; }}
th {{ width: 45%; font-weight: normal; }}
code {{ font-family: "Courier New", monospace; font-size: 11pt; }}
.qr {{ text-align: center; margin: 3mm 0; font-size: 10pt; }}
.qr svg {{ width: 35mm; height: 35mm; display: block; margin: 0 auto; }}
.sign {{ margin-top: 8mm; }}
.sign p {{ margin: 6mm 0 0; }}
</style></head><body>
<h1>Акт о формировании электронного архива</h1>
<p class="sub">{org}</p>
<table>
<tr><th>Организация</th><td>{org}</td></tr>
<tr><th>Период</th><td>{title}</td></tr>
<tr><th>Архив (имя папки на носителе)</th><td>{name}</td></tr>
<tr><th>Дата архивирования</th><td>{date}</td></tr>
<tr><th>Состав</th><td>{files} {files_word}, {bytes} {bytes_word}</td></tr>
<tr><th>Контрольная сумма архива: SHA-256 файла tagmanifest-sha256.txt</th><td><code>{digest_lines}</code></td></tr>
{key}
</table>
<div class="qr">{qr}SHA-256 tagmanifest-sha256.txt</div>
<p>Проверка копии архива: в папке архива команда <code>sha256sum tagmanifest-sha256.txt</code>
должна вывести ту же контрольную сумму; файл tagmanifest-sha256.txt содержит контрольные суммы
служебных файлов, а manifest-sha256.txt — всех файлов архива (<code>sha256sum -c manifest-sha256.txt</code>).
Программа Letopis проверяет всё сразу: <code>letopis verify &lt;папка архива&gt; --digest {root}</code>.</p>
<div class="sign">
<p>Руководитель организации ____________________ / ____________________ /</p>
<p>«____» ______________ 20____ г.</p>
<p>М.П.</p>
</div>
</body></html>
"#,
        name = esc(&meta.external_identifier),
        org = esc(&meta.source_organization),
        title = esc(&title),
        files_word = plural(files, "файл", "файла", "файлов"),
        bytes = grouped(bytes),
        bytes_word = plural(bytes, "байт", "байта", "байт"),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn words_and_numbers() {
        assert_eq!(super::grouped(1234567), "1\u{a0}234\u{a0}567");
        assert_eq!(super::plural(21, "файл", "файла", "файлов"), "файл");
        assert_eq!(super::plural(12, "файл", "файла", "файлов"), "файлов");
    }
}
