//! BagIt 1.0 tag files (RFC 8493): their exact bytes when sealing, and parsing them when checking.

use super::hash::sha256_hex;
use chrono::NaiveDate;
use std::collections::BTreeMap;

use crate::layout::DATA;
use crate::layout::{BAG_INFO_TXT, BAGIT_TXT, MANIFEST, README_TXT, TAGMANIFEST};

/// The exact content of `bagit.txt` (no BOM).
pub const BAGIT_CONTENT: &str = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n";

/// What goes into `bag-info.txt` besides the computed Payload-Oxum. Nothing here may come from the
/// clock: the same inputs give the same bag, byte for byte, on both media.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BagMeta {
    /// Full name of the organisation (`Config.organisation.name`).
    pub source_organization: String,
    pub organization_address: Option<String>,
    /// The archive name, e.g. `umc-2025` (`Config::archive_name`).
    pub external_identifier: String,
    /// `Config::build_date()`: the date of archiving, never the wall clock.
    pub bagging_date: NaiveDate,
    /// The period id (`Config.period.id`), written as `Letopis-Period`.
    pub period: String,
    /// Optional human title of the period, written as `Letopis-Period-Title`.
    pub period_title: Option<String>,
    /// The tool version, written as `Letopis-Version`.
    pub tool_version: String,
    /// The organisation's signing key: its public half and fingerprint go into `bag-info.txt`,
    /// and the tag manifest is signed (see [`super::sign`]).
    pub signer: Option<super::sign::Signer>,
}

impl BagMeta {
    /// `bag-info.txt` in a fixed label order. Values are single lines (line breaks become spaces).
    pub fn bag_info(&self, payload_bytes: u64, payload_files: u64) -> String {
        let mut lines: Vec<(&str, String)> =
            vec![("Source-Organization", self.source_organization.clone())];
        if let Some(a) = &self.organization_address {
            lines.push(("Organization-Address", a.clone()));
        }
        lines.push(("External-Identifier", self.external_identifier.clone()));
        lines.push((
            "Bagging-Date",
            self.bagging_date.format("%Y-%m-%d").to_string(),
        ));
        lines.push(("Payload-Oxum", format!("{payload_bytes}.{payload_files}")));
        lines.push(("Letopis-Period", self.period.clone()));
        if let Some(t) = &self.period_title {
            lines.push(("Letopis-Period-Title", t.clone()));
        }
        lines.push(("Letopis-Version", self.tool_version.clone()));
        if let Some(k) = &self.signer {
            lines.push(("Letopis-Signing-Key", k.public_openssh()));
            lines.push(("Letopis-Signing-Key-Fingerprint", k.fingerprint()));
        }
        let mut s = String::new();
        for (label, value) in lines {
            s.push_str(label);
            s.push_str(": ");
            s.push_str(&one_line(&value));
            s.push('\n');
        }
        s
    }

    /// The Russian `README.txt`: how to open the archive and how to check it without Letopis.
    pub fn readme(&self) -> String {
        let date = self.bagging_date.format("%d.%m.%Y");
        let title = self
            .period_title
            .clone()
            .unwrap_or_else(|| self.period.clone());
        format!(
            "Электронный архив учебных записей\r\n\
             =================================\r\n\
             \r\n\
             Организация: {org}\r\n\
             Архив: {name}, период: {title}\r\n\
             Дата архивирования: {date}\r\n\
             \r\n\
             Как открыть\r\n\
             -----------\r\n\
             Откройте файл data/index.html в любом браузере (двойным щелчком).\r\n\
             Интернет и установка программ не нужны; архив можно смотреть прямо с носителя.\r\n\
             \r\n\
             Как проверить целостность\r\n\
             -------------------------\r\n\
             Для каждого файла в папке data/ в файле manifest-sha256.txt записана его\r\n\
             контрольная сумма SHA-256. Проверка в Linux или macOS, из этой папки:\r\n\
             \r\n\
             \x20   sha256sum -c manifest-sha256.txt      (в macOS: shasum -a 256 -c manifest-sha256.txt)\r\n\
             \r\n\
             Все строки должны заканчиваться словом «OK» (ЦЕЛ). В Windows сумму одного файла\r\n\
             покажет PowerShell: Get-FileHash -Algorithm SHA256 <файл>; сравните её со строкой\r\n\
             этого файла в manifest-sha256.txt. Контрольные суммы служебных\r\n\
             файлов записаны в tagmanifest-sha256.txt. Архив оформлен по стандарту BagIt 1.0\r\n\
             (RFC 8493) и проверяется любым валидатором BagIt, например: bagit.py --validate .\r\n\
             \r\n\
             Лишние (добавленные) файлы sha256sum не замечает; их покажет, из этой папки:\r\n\
             \r\n\
             \x20   find data -type f | LC_ALL=C sort > /tmp/present.txt\r\n\
             \x20   cut -c67- manifest-sha256.txt | LC_ALL=C sort > /tmp/listed.txt\r\n\
             \x20   comm -23 /tmp/present.txt /tmp/listed.txt\r\n\
             \r\n\
             Команда comm не должна вывести ни одной строки: каждая её строка — файл,\r\n\
             которого нет в манифесте. Имена файлов архива не содержат «%» и переводов\r\n\
             строки, поэтому строки манифеста совпадают с именами файлов буква в букву.\r\n\
             {signature}\
             Программа Letopis проверяет архив и лишние файлы командой:\r\n\
             \x20   letopis verify <путь к этой папке>\r\n\
             а повреждённую копию восстанавливает со второго носителя командой:\r\n\
             \x20   letopis repair <эта папка> --from <та же папка на втором носителе>\r\n\
             \r\n\
             Не изменяйте, не добавляйте и не удаляйте файлы в этой папке: любое изменение\r\n\
             будет обнаружено при проверке.\r\n",
            org = one_line(&self.source_organization),
            name = one_line(&self.external_identifier),
            title = one_line(&title),
            signature = self.signature_section(),
        )
    }

    /// How to check the signature with OpenSSH alone (empty for an unsigned bag).
    fn signature_section(&self) -> String {
        let Some(k) = &self.signer else {
            return String::new();
        };
        use super::sign::{NAMESPACE, PRINCIPAL, SIGNATURE_FILE};
        format!(
            "\r\n\
             Как проверить подлинность (электронную подпись)\r\n\
             -----------------------------------------------\r\n\
             Файл tagmanifest-sha256.txt (а через него — все файлы архива) подписан ключом\r\n\
             организации; подпись — в файле {SIGNATURE_FILE}. Отпечаток ключа:\r\n\
             \x20   {fp}\r\n\
             Сверьте его с отпечатком в бумажном «Акте о формировании электронного архива».\r\n\
             Проверка средствами OpenSSH (Linux, macOS, Windows 10 и новее), из этой папки:\r\n\
             \r\n\
             \x20   echo '{PRINCIPAL} {key}' > /tmp/allowed_signers\r\n\
             \x20   ssh-keygen -Y verify -f /tmp/allowed_signers -I {PRINCIPAL} -n {NAMESPACE} -s {SIGNATURE_FILE} < tagmanifest-sha256.txt\r\n\
             \r\n\
             Должно быть выведено «Good \"{NAMESPACE}\" signature for {PRINCIPAL}». Затем проверьте\r\n\
             контрольные суммы, как сказано выше: подпись ручается за них.\r\n\
             \r\n",
            fp = k.fingerprint(),
            key = k.public_openssh(),
        )
    }

    /// Every tag file of the bag, given the payload's hashes (data path → (hex, size)).
    pub fn tag_files(&self, hashes: &BTreeMap<String, (String, u64)>) -> TagFiles {
        let bytes: u64 = hashes.values().map(|(_, n)| n).sum();
        let manifest = manifest_text(hashes.iter().map(|(p, (h, _))| (p.as_str(), h.as_str())));
        let mut files = vec![
            (BAGIT_TXT.to_string(), BAGIT_CONTENT.as_bytes().to_vec()),
            (
                BAG_INFO_TXT.to_string(),
                self.bag_info(bytes, hashes.len() as u64).into_bytes(),
            ),
            (MANIFEST.to_string(), manifest.into_bytes()),
            (README_TXT.to_string(), self.readme().into_bytes()),
        ];
        files.sort();
        let tagmanifest: Vec<(String, String)> = files
            .iter()
            .map(|(name, bytes)| (name.clone(), sha256_hex(bytes)))
            .collect();
        let tm = manifest_text_owned(&tagmanifest);
        if let Some(k) = &self.signer {
            // An Ed25519 signature in memory cannot fail but for a broken key; an empty file
            // then makes `verify` report the signature as bad, never a bag that looks signed.
            let sig = k.sign(tm.as_bytes()).unwrap_or_default();
            files.push((super::sign::SIGNATURE_FILE.to_string(), sig.into_bytes()));
        }
        files.push((TAGMANIFEST.to_string(), tm.into_bytes()));
        TagFiles { files }
    }
}

/// The tag files of a bag in the order they are written (`tagmanifest-sha256.txt` last).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagFiles {
    pub files: Vec<(String, Vec<u8>)>,
}

impl TagFiles {
    pub fn get(&self, name: &str) -> Option<&[u8]> {
        self.files
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, b)| b.as_slice())
    }
}

fn one_line(s: &str) -> String {
    s.split(['\r', '\n'])
        .filter(|p| !p.trim().is_empty())
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ")
}

/// RFC 8493 §2.1.3: in manifest paths only CR, LF and `%` are percent-encoded.
pub fn encode_path(p: &str) -> String {
    let mut s = String::with_capacity(p.len());
    for ch in p.chars() {
        match ch {
            '%' => s.push_str("%25"),
            '\r' => s.push_str("%0D"),
            '\n' => s.push_str("%0A"),
            c => s.push(c),
        }
    }
    s
}

/// The inverse of [`encode_path`] (case-insensitive hex, other `%` sequences kept as they are).
pub fn decode_path(p: &str) -> String {
    let mut out = String::with_capacity(p.len());
    let mut rest = p;
    while let Some(i) = rest.find('%') {
        out.push_str(&rest[..i]);
        let code = rest.get(i + 1..i + 3).map(str::to_ascii_uppercase);
        match code.as_deref() {
            Some("25") => out.push('%'),
            Some("0D") => out.push('\r'),
            Some("0A") => out.push('\n'),
            _ => {
                out.push('%');
                rest = &rest[i + 1..];
                continue;
            }
        }
        rest = &rest[i + 3..];
    }
    out.push_str(rest);
    out
}

/// `<hex>  data/<path>` lines for payload files, sorted by path.
pub fn manifest_text<'a>(entries: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    let mut lines: Vec<(String, &str)> = entries.map(|(p, h)| (format!("{DATA}/{p}"), h)).collect();
    lines.sort();
    let mut s = String::new();
    for (p, h) in lines {
        s.push_str(h);
        s.push_str("  ");
        s.push_str(&encode_path(&p));
        s.push('\n');
    }
    s
}

fn manifest_text_owned(entries: &[(String, String)]) -> String {
    let mut s = String::new();
    for (p, h) in entries {
        s.push_str(h);
        s.push_str("  ");
        s.push_str(&encode_path(p));
        s.push('\n');
    }
    s
}

/// A parsed manifest: bag-relative path (decoded, e.g. `data/index.html`) → lowercase hex.
pub type Manifest = BTreeMap<String, String>;

/// Parses `<hex> <path>` lines (one or more spaces or a tab between; `*` binary marker accepted).
/// Returns the 1-based numbers of lines that are not of that form.
pub fn parse_manifest(text: &str) -> (Manifest, Vec<usize>) {
    let mut m = Manifest::new();
    let mut bad = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        let split = line.find([' ', '\t']);
        let Some(at) = split else {
            bad.push(i + 1);
            continue;
        };
        let hash = &line[..at];
        let path = line[at..].trim_start_matches([' ', '\t']);
        let path = path.strip_prefix('*').unwrap_or(path);
        if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) || path.is_empty() {
            bad.push(i + 1);
            continue;
        }
        m.insert(decode_path(path), hash.to_ascii_lowercase());
    }
    (m, bad)
}

/// A manifest written as Letopis writes it: `<hex>  <path>` lines sorted by path, LF endings. A
/// manifest whose bytes differ from this form of its own content was altered after sealing.
pub fn canonical_manifest(m: &Manifest) -> String {
    let mut s = String::new();
    for (p, h) in m {
        s.push_str(h);
        s.push_str("  ");
        s.push_str(&encode_path(p));
        s.push('\n');
    }
    s
}

/// Parses `Label: value` lines of `bag-info.txt` (continuation lines start with whitespace).
pub fn parse_bag_info(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        if line.starts_with([' ', '\t']) {
            if let Some(last) = out.last_mut() {
                last.1.push(' ');
                last.1.push_str(line.trim());
            }
            continue;
        }
        if let Some((label, value)) = line.split_once(':') {
            out.push((label.trim().to_string(), value.trim().to_string()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta() -> BagMeta {
        BagMeta {
            source_organization: "АНО ДПО «Профиль»".into(),
            organization_address: Some("г. Тула,\nул. Мира, 1".into()),
            external_identifier: "umc-2025".into(),
            bagging_date: NaiveDate::from_ymd_opt(2026, 1, 20).unwrap(),
            period: "2025".into(),
            period_title: None,
            tool_version: "0.1.0".into(),
            signer: None,
        }
    }

    #[test]
    fn encodes_only_cr_lf_percent() {
        let p = "a b/100%\r\nё.txt";
        assert_eq!(encode_path(p), "a b/100%25%0D%0Aё.txt");
        assert_eq!(decode_path(&encode_path(p)), p);
        assert_eq!(decode_path("x%2541"), "x%41");
    }

    #[test]
    fn tag_files_are_deterministic_and_consistent() {
        let mut h = BTreeMap::new();
        h.insert("b.txt".to_string(), ("b".repeat(64), 5));
        h.insert("a b.txt".to_string(), ("a".repeat(64), 7));
        let t = meta().tag_files(&h);
        assert_eq!(t, meta().tag_files(&h));
        let info = String::from_utf8(t.get(BAG_INFO_TXT).unwrap().to_vec()).unwrap();
        assert!(info.contains("Payload-Oxum: 12.2\n"), "{info}");
        assert!(info.contains("Organization-Address: г. Тула, ул. Мира, 1\n"));
        assert!(info.contains("Bagging-Date: 2026-01-20\n"));
        let manifest = std::str::from_utf8(t.get(MANIFEST).unwrap()).unwrap();
        assert_eq!(
            manifest,
            format!(
                "{}  data/a b.txt\n{}  data/b.txt\n",
                "a".repeat(64),
                "b".repeat(64)
            )
        );
        let (tm, bad) = parse_manifest(std::str::from_utf8(t.get(TAGMANIFEST).unwrap()).unwrap());
        assert!(bad.is_empty());
        assert_eq!(tm.len(), 4);
        assert_eq!(tm[MANIFEST], sha256_hex(manifest.as_bytes()));
    }

    #[test]
    fn parses_manifest_forms() {
        let (m, bad) = parse_manifest(&format!(
            "{}  data/x%0Ay\n{} *data/z\nnonsense\n",
            "A".repeat(64),
            "b".repeat(64)
        ));
        assert_eq!(m["data/x\ny"], "a".repeat(64));
        assert_eq!(m["data/z"], "b".repeat(64));
        assert_eq!(bad, vec![3]);
    }
}
