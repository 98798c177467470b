//! Text files as administrators have them: encoding detection (UTF-8, UTF-8 with BOM, else
//! Windows-1251), a streaming decoder, the "is this text at all" check and CSV delimiter detection.
//! Everything here streams: a file is never held in memory whole.

use encoding_rs::{Decoder, WINDOWS_1251};
use sha2::{Digest, Sha256};
use std::io::{self, Read};

const CHUNK: usize = 256 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Windows1251,
}

impl Encoding {
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf8Bom => "utf-8-bom",
            Encoding::Windows1251 => "windows-1251",
        }
    }
}

/// What one pass over a file's bytes tells: its hash, size, encoding, and whether it is text.
#[derive(Debug, Clone)]
pub struct Scan {
    pub sha256: String,
    pub size: u64,
    pub encoding: Encoding,
    /// The first byte that cannot occur in a text file (NUL and other control characters except
    /// TAB, LF, CR): `(line, byte offset in the line (1-based), byte)`.
    pub not_text: Option<(u64, u64, u8)>,
    /// Number of `"` bytes: odd means a quote is left open somewhere.
    pub quotes: u64,
}

/// Hashes a whole file and scans it in the same pass.
pub fn scan(mut r: impl Read) -> io::Result<Scan> {
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; CHUNK];
    let mut carry: Vec<u8> = Vec::new();
    let mut valid_utf8 = true;
    let mut size = 0u64;
    let mut first = true;
    let mut bom = false;
    let mut not_text = None;
    let mut quotes = 0u64;
    let mut line = 1u64;
    let mut col = 0u64;
    loop {
        let n = read_full(&mut r, &mut buf)?;
        if n == 0 {
            break;
        }
        let chunk = &buf[..n];
        hasher.update(chunk);
        size += n as u64;
        let mut body = chunk;
        if first {
            first = false;
            if body.starts_with(b"\xEF\xBB\xBF") {
                bom = true;
                body = &body[3..];
            }
        }
        for &b in body {
            col += 1;
            match b {
                b'\n' => {
                    line += 1;
                    col = 0;
                }
                b'"' => quotes += 1,
                b'\t' | b'\r' => {}
                0..=0x1F | 0x7F if not_text.is_none() => not_text = Some((line, col, b)),
                _ => {}
            }
        }
        if valid_utf8 {
            carry.extend_from_slice(body);
            match std::str::from_utf8(&carry) {
                Ok(_) => carry.clear(),
                Err(e) if e.error_len().is_none() => {
                    let rest = carry.split_off(e.valid_up_to());
                    carry = rest;
                }
                Err(_) => {
                    valid_utf8 = false;
                    carry = Vec::new();
                }
            }
        }
    }
    if !carry.is_empty() {
        valid_utf8 = false;
    }
    let encoding = match (valid_utf8, bom) {
        (true, true) => Encoding::Utf8Bom,
        (true, false) => Encoding::Utf8,
        // A BOM followed by bytes that are not UTF-8 is still read as 1251 (the BOM bytes then
        // decode as `п»ї`), which the header check will show.
        (false, _) => Encoding::Windows1251,
    };
    Ok(Scan {
        sha256: hex(&hasher.finalize()),
        size,
        encoding,
        not_text,
        quotes,
    })
}

/// Hashes a (binary) file: `(size, sha256)`.
pub fn hash(mut r: impl Read) -> io::Result<(u64, String)> {
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; CHUNK];
    let mut size = 0u64;
    loop {
        let n = read_full(&mut r, &mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        size += n as u64;
    }
    Ok((size, hex(&hasher.finalize())))
}

pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

fn read_full(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match r.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// A reader that yields UTF-8 whatever the file's encoding: strips a UTF-8 BOM, decodes
/// Windows-1251 chunk by chunk. A file whose line breaks are CR alone (Excel for Mac's
/// «CSV (Macintosh)») comes out with LF line breaks, so its rows and line numbers are those a
/// user sees: told from the first chunk, which then holds a CR and no LF.
pub struct DecodeReader<R> {
    inner: R,
    decoder: Option<Decoder>,
    skip_bom: bool,
    /// `None` until the first chunk is read; then whether CRs are turned into LFs.
    cr_only: Option<bool>,
    raw: Vec<u8>,
    out: Vec<u8>,
    pos: usize,
    eof: bool,
}

impl<R: Read> DecodeReader<R> {
    pub fn new(inner: R, encoding: Encoding) -> Self {
        DecodeReader {
            inner,
            decoder: (encoding == Encoding::Windows1251)
                .then(|| WINDOWS_1251.new_decoder_without_bom_handling()),
            skip_bom: encoding == Encoding::Utf8Bom,
            cr_only: None,
            raw: vec![0u8; 64 * 1024],
            out: Vec::with_capacity(3 * 64 * 1024 + 16),
            pos: 0,
            eof: false,
        }
    }

    fn fill(&mut self) -> io::Result<()> {
        self.out.clear();
        self.pos = 0;
        while self.out.is_empty() && !self.eof {
            let n = self.inner.read(&mut self.raw)?;
            let last = n == 0;
            if last {
                self.eof = true;
            }
            let mut input = &self.raw[..n];
            if self.skip_bom && !input.is_empty() {
                self.skip_bom = false;
                if let Some(rest) = input.strip_prefix(b"\xEF\xBB\xBF") {
                    input = rest;
                }
            }
            match &mut self.decoder {
                None => self.out.extend_from_slice(input),
                Some(dec) => {
                    let need = dec
                        .max_utf8_buffer_length(input.len())
                        .unwrap_or(input.len() * 3 + 16);
                    self.out.resize(need, 0);
                    let (_, _, written, _) = dec.decode_to_utf8(input, &mut self.out, last);
                    self.out.truncate(written);
                }
            }
            if self.cr_only.is_none() && !self.out.is_empty() {
                self.cr_only = Some(self.out.contains(&b'\r') && !self.out.contains(&b'\n'));
            }
            if self.cr_only == Some(true) {
                for b in self.out.iter_mut().filter(|b| **b == b'\r') {
                    *b = b'\n';
                }
            }
        }
        Ok(())
    }
}

impl<R: Read> Read for DecodeReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.pos >= self.out.len() {
            self.fill()?;
            if self.out.is_empty() {
                return Ok(0);
            }
        }
        let n = buf.len().min(self.out.len() - self.pos);
        buf[..n].copy_from_slice(&self.out[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// A reader of decoded text that remembers where its line feeds are. The csv reader skips blank
/// lines and then gives the next record the position of the first blank line it skipped; with
/// this index the record's own line is told ([`LineIndex::line_at`]).
pub struct LineIndex<R> {
    inner: R,
    offset: u64,
    /// Byte offsets of every LF read so far, ascending.
    breaks: Vec<u64>,
}

impl<R: Read> LineIndex<R> {
    pub fn new(inner: R) -> Self {
        LineIndex {
            inner,
            offset: 0,
            breaks: Vec::new(),
        }
    }

    /// The 1-based line of the first character at or after `byte` that is not a line feed.
    pub fn line_at(&self, byte: u64) -> u64 {
        let mut i = self.breaks.partition_point(|&b| b < byte);
        let mut at = byte;
        while self.breaks.get(i) == Some(&at) {
            i += 1;
            at += 1;
        }
        i as u64 + 1
    }
}

impl<R: Read> Read for LineIndex<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        for (i, &b) in buf[..n].iter().enumerate() {
            if b == b'\n' {
                self.breaks.push(self.offset + i as u64);
            }
        }
        self.offset += n as u64;
        Ok(n)
    }
}

/// Reads the next record of `csv`, its position set to the line where the record's text begins.
pub fn read_record<R: Read>(
    csv: &mut csv::Reader<LineIndex<R>>,
    rec: &mut csv::StringRecord,
) -> csv::Result<bool> {
    let more = csv.read_record(rec)?;
    if more && let Some(p) = rec.position() {
        let mut fixed = p.clone();
        fixed.set_line(csv.get_ref().line_at(p.byte()));
        rec.set_position(Some(fixed));
    }
    Ok(more)
}

/// Decodes a whole (small) text file: YAML and Markdown.
pub fn decode_all(bytes: &[u8], encoding: Encoding) -> String {
    match encoding {
        Encoding::Utf8 => String::from_utf8_lossy(bytes).into_owned(),
        Encoding::Utf8Bom => {
            String::from_utf8_lossy(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
                .into_owned()
        }
        Encoding::Windows1251 => WINDOWS_1251
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
    }
}

/// Picks the CSV delimiter from the header line: the most frequent of `;`, TAB and `,` outside
/// quotes (`,` when none occurs: a one-column file).
pub fn detect_delimiter(header_text: &str) -> u8 {
    let (mut semi, mut tab, mut comma) = (0usize, 0usize, 0usize);
    let mut quoted = false;
    for ch in header_text.chars() {
        match ch {
            '"' => quoted = !quoted,
            '\n' if !quoted => break,
            ';' if !quoted => semi += 1,
            '\t' if !quoted => tab += 1,
            ',' if !quoted => comma += 1,
            _ => {}
        }
    }
    if semi > comma && semi >= tab {
        b';'
    } else if tab > comma && tab > semi {
        b'\t'
    } else {
        b','
    }
}

/// The first bytes of a decoded text (for delimiter detection), at most `limit` bytes.
pub fn head(r: impl Read, limit: usize) -> io::Result<String> {
    let mut bytes = Vec::new();
    r.take(limit as u64).read_to_end(&mut bytes)?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(bytes: &[u8]) -> (Encoding, String) {
        let s = scan(bytes).unwrap();
        let mut out = String::new();
        DecodeReader::new(bytes, s.encoding)
            .read_to_string(&mut out)
            .unwrap();
        (s.encoding, out)
    }

    #[test]
    fn detects_encodings() {
        assert_eq!(
            decode("Фамилия;Имя".as_bytes()),
            (Encoding::Utf8, "Фамилия;Имя".into())
        );
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice("Ёлкин".as_bytes());
        assert_eq!(decode(&bom), (Encoding::Utf8Bom, "Ёлкин".into()));
        let cp = WINDOWS_1251.encode("Фамилия;Ёлкина\r\n").0.into_owned();
        assert_eq!(
            decode(&cp),
            (Encoding::Windows1251, "Фамилия;Ёлкина\r\n".into())
        );
        assert_eq!(decode(b"id,name\n"), (Encoding::Utf8, "id,name\n".into()));
    }

    #[test]
    fn utf8_split_across_chunks_stays_utf8() {
        // A two-byte letter straddling the 256 KiB chunk border.
        let mut s = "a".repeat(CHUNK - 1);
        s.push('Ж');
        s.push_str(&"б".repeat(1000));
        assert_eq!(scan(s.as_bytes()).unwrap().encoding, Encoding::Utf8);
        // A long 1251 file decodes the same through the streaming reader.
        let text = "Смирнова;Ёж;\"в кавычках\"\n".repeat(20_000);
        let cp = WINDOWS_1251.encode(&text).0.into_owned();
        assert_eq!(decode(&cp), (Encoding::Windows1251, text));
    }

    #[test]
    fn cr_only_line_breaks_become_lf() {
        assert_eq!(decode(b"a;b\r1;2\r").1, "a;b\n1;2\n");
        assert_eq!(decode(b"a;b\r\n1;2\r\n").1, "a;b\r\n1;2\r\n");
    }

    #[test]
    fn finds_binary_bytes_and_quotes() {
        let s = scan(&b"a,b\nc,\"d\nx\x00y"[..]).unwrap();
        assert_eq!(s.not_text, Some((3, 2, 0)));
        assert_eq!(s.quotes, 1);
        assert_eq!(scan(&b"a\tb\r\n"[..]).unwrap().not_text, None);
    }

    #[test]
    fn hashes_like_sha256sum() {
        assert_eq!(
            scan(&b"abc"[..]).unwrap().sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(hash(&b"abc"[..]).unwrap().0, 3);
    }

    #[test]
    fn detects_delimiters() {
        assert_eq!(detect_delimiter("id;Фамилия;Имя\n1,5;2"), b';');
        assert_eq!(detect_delimiter("id\tname\tx,y\n"), b'\t');
        assert_eq!(detect_delimiter("id,name,\"a;b;c;d\"\n"), b',');
        assert_eq!(detect_delimiter("\"a;b\";c\n"), b';');
        assert_eq!(detect_delimiter("id\n1"), b',');
    }
}
