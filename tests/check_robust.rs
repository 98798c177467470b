//! Robustness of reading: a Windows-1251 `;` copy of every CSV checks clean, every row is counted
//! once (kept or rejected), and random or truncated files never make `check` panic.

mod common;
use std::path::{Path, PathBuf};

fn good() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/check/good")
}

fn copy_good() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    common::fixture::copy_dir(&good(), dir.path());
    dir
}

fn run_check(dir: &Path) -> (i32, String, String) {
    let out = common::cli::command()
        .arg("check")
        .arg(dir)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Re-saves a CSV as Excel does in a Russian Windows: Windows-1251, `;`, CRLF.
fn to_excel_1251(path: &Path) {
    let text = std::fs::read_to_string(path).unwrap();
    let delim = if text.lines().next().unwrap().contains('\t') {
        b'\t'
    } else if text.lines().next().unwrap().contains(';') {
        b';'
    } else {
        b','
    };
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delim)
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    for r in rdr.records() {
        w.write_record(&r.unwrap()).unwrap();
    }
    let utf8 = String::from_utf8(w.into_inner().unwrap()).unwrap();
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1251.encode(&utf8);
    assert!(!unmappable);
    std::fs::write(path, &bytes).unwrap();
}

#[test]
fn windows_1251_semicolon_copies_check_clean() {
    let dir = copy_good();
    let mut n = 0;
    for e in std::fs::read_dir(dir.path()).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "csv") {
            to_excel_1251(&p);
            n += 1;
        }
    }
    assert!(n >= 10);
    let (code, out, err) = run_check(dir.path());
    assert_eq!(code, 0, "{out}{err}");
    let row = |cells: &str| {
        let want: Vec<&str> = cells.split_whitespace().collect();
        out.lines()
            .any(|l| l.split_whitespace().collect::<Vec<_>>() == want)
    };
    assert!(row("learners.csv слушатели windows-1251 ; 3 3 0"), "{out}");
    assert!(row("lessons.csv занятия windows-1251 ; 3 3 0"), "{out}");
    assert!(
        row("attendance.csv посещаемость windows-1251 ; 5 5 0"),
        "{out}"
    );
    // The same model as from the UTF-8 originals.
    let (a, _) = letopis::ingest::load(&good()).unwrap();
    let (b, _) = letopis::ingest::load(dir.path()).unwrap();
    let names =
        |p: &letopis::model::Period| p.learners.iter().map(|l| l.full_name()).collect::<Vec<_>>();
    assert_eq!(names(&a), names(&b));
    assert_eq!(b.learners[0].surname, "Ёлкина");
    assert_eq!(
        a.lessons.iter().map(|l| &l.topic).collect::<Vec<_>>(),
        b.lessons.iter().map(|l| &l.topic).collect::<Vec<_>>()
    );
    assert_eq!(a.grades.len(), b.grades.len());
}

#[test]
fn utf8_bom_is_read_and_reported() {
    let dir = copy_good();
    let p = dir.path().join("groups.csv");
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(std::fs::read(&p).unwrap());
    std::fs::write(&p, bytes).unwrap();
    let (period, diags) = letopis::ingest::load(dir.path()).unwrap();
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(period.groups.len(), 2);
    let s = period
        .sources
        .iter()
        .find(|s| s.path == "groups.csv")
        .unwrap();
    assert_eq!(s.encoding, "utf-8-bom");
}

/// Every row of every file is either kept or rejected, exactly once.
fn assert_tally(dir: &Path) {
    if let Ok((p, _)) = letopis::ingest::load(dir) {
        assert_period_tally(&p);
    }
}

fn assert_period_tally(p: &letopis::model::Period) {
    for s in &p.sources {
        assert_eq!(
            s.rows_read,
            s.rows_kept + s.rows_rejected,
            "{}: {s:?}",
            s.path
        );
    }
    let kept: u64 = p.sources.iter().map(|s| s.rows_kept).sum();
    let total = p.programmes.len()
        + p.groups.len()
        + p.learners.len()
        + p.enrolments.len()
        + p.orders.len()
        + p.lessons.len()
        + p.attendance.len()
        + p.grade_items.len()
        + p.grades.len()
        + p.protocols.len()
        + p.protocol_results.len()
        + p.issued_documents.len()
        + p.awards.len()
        + p.portfolio.len()
        + p.credit_transfers.len()
        + p.attachments.len();
    assert_eq!(kept, total as u64);
    let rejected: u64 = p.sources.iter().map(|s| s.rows_rejected).sum();
    assert_eq!(rejected, p.rejected.len() as u64);
}

#[test]
fn every_case_adds_up() {
    let root = good().parent().unwrap().to_path_buf();
    for e in std::fs::read_dir(&root).unwrap() {
        let case = e.unwrap().path();
        let dir = copy_good();
        for f in walkdir::WalkDir::new(&case).min_depth(1) {
            let f = f.unwrap();
            let target = dir.path().join(f.path().strip_prefix(&case).unwrap());
            if f.file_type().is_dir() {
                std::fs::create_dir_all(&target).unwrap();
            } else {
                std::fs::copy(f.path(), &target).unwrap();
            }
        }
        assert_tally(dir.path());
    }
}

/// A small deterministic generator (xorshift), so failures can be replayed.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

#[test]
fn random_and_truncated_files_never_panic() {
    let mut rng = Rng(0x5EED_2025);
    let files: Vec<String> = std::fs::read_dir(good())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".csv") || n.ends_with(".yaml"))
        .collect();
    let dir = copy_good();
    for round in 0..300 {
        let name = &files[rng.below(files.len())];
        let path = dir.path().join(name);
        let original = std::fs::read(good().join(name)).unwrap();
        let mutated: Vec<u8> = match round % 4 {
            // Cut anywhere, even inside a UTF-8 letter or a quoted field.
            0 => original[..rng.below(original.len() + 1)].to_vec(),
            // Random bytes.
            1 => (0..rng.below(400)).map(|_| rng.next() as u8).collect(),
            // A few bytes overwritten with quotes, separators, newlines or garbage.
            2 => {
                let mut m = original.clone();
                for _ in 0..1 + rng.below(6) {
                    if m.is_empty() {
                        break;
                    }
                    let i = rng.below(m.len());
                    m[i] = *[
                        b'"', b';', b',', b'\n', b'\r', b'\t', b':', b'-', 0xD0, 0xFF,
                    ]
                    .get(rng.below(10))
                    .unwrap();
                }
                m
            }
            // Lines shuffled and duplicated.
            _ => {
                let text = String::from_utf8_lossy(&original).into_owned();
                let lines: Vec<&str> = text.lines().collect();
                let mut out = String::new();
                for _ in 0..lines.len() + 2 {
                    out.push_str(lines[rng.below(lines.len())]);
                    out.push('\n');
                }
                out.into_bytes()
            }
        };
        std::fs::write(&path, &mutated).unwrap();
        // The library on every round (fast), the binary on some.
        let loaded = std::panic::catch_unwind(|| letopis::ingest::load(dir.path()));
        match loaded {
            Ok(Ok((period, _))) => assert_period_tally(&period),
            Ok(Err(e)) => panic!("round {round}: I/O error {e}"),
            Err(_) => panic!(
                "panic on round {round}, file {name}: {:?}",
                String::from_utf8_lossy(&mutated)
            ),
        }
        if round % 25 == 0 {
            let (code, out, err) = run_check(dir.path());
            assert!(
                code == 0 || code == 1,
                "round {round}: exit {code}\n{out}\n{err}"
            );
            assert!(!err.contains("panicked"), "{err}");
        }
        std::fs::write(&path, &original).unwrap();
    }
}

#[test]
fn excel_sep_line_names_the_separator() {
    let dir = copy_good();
    let p = dir.path().join("groups.csv");
    let text = std::fs::read_to_string(&p).unwrap().replace(',', "|");
    std::fs::write(&p, format!("sep=|\r\n{text}")).unwrap();
    let (period, diags) = letopis::ingest::load(dir.path()).unwrap();
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(period.groups.len(), 2);
    assert_eq!(period.groups[0].origin.line, 3);
    let s = period
        .sources
        .iter()
        .find(|s| s.path == "groups.csv")
        .unwrap();
    assert_eq!(s.delimiter, Some('|'));
}

#[test]
fn sample_data_resaved_as_windows_1251_checks_clean() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data");
    let dir = tempfile::tempdir().unwrap();
    common::fixture::copy_dir(&sample, dir.path());
    for e in std::fs::read_dir(dir.path()).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "csv") {
            // The sample already has a Windows-1251 file: decode it first.
            let bytes = std::fs::read(&p).unwrap();
            if std::str::from_utf8(&bytes).is_err() {
                let (text, _, _) = encoding_rs::WINDOWS_1251.decode(&bytes);
                std::fs::write(&p, text.as_bytes()).unwrap();
            }
            to_excel_1251(&p);
        }
    }
    let (a, da) = letopis::ingest::load(&sample).unwrap();
    let (b, db) = letopis::ingest::load(dir.path()).unwrap();
    assert_eq!(da, db);
    assert!(!db.iter().any(|d| d.is_error()), "{db:?}");
    assert_eq!(a.grades.len(), b.grades.len());
    assert_eq!(a.attendance.len(), b.attendance.len());
    let names =
        |p: &letopis::model::Period| p.learners.iter().map(|l| l.full_name()).collect::<Vec<_>>();
    assert_eq!(names(&a), names(&b));
    for s in b.sources.iter().filter(|s| s.path.ends_with(".csv")) {
        assert_eq!(
            (s.encoding.as_str(), s.delimiter),
            ("windows-1251", Some(';')),
            "{}",
            s.path
        );
    }
}

#[test]
fn trailing_empty_column_of_spreadsheets_is_silent_and_kept() {
    let dir = copy_good();
    let p = dir.path().join("groups.csv");
    let text = std::fs::read_to_string(&p).unwrap();
    let mut out = String::new();
    for (i, l) in text.lines().enumerate() {
        out.push_str(l);
        out.push_str(if i == 2 { ",заметка\n" } else { ",\n" });
    }
    std::fs::write(&p, out).unwrap();
    let (period, diags) = letopis::ingest::load(dir.path()).unwrap();
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(
        period.groups[1].extra.get("#6").map(String::as_str),
        Some("заметка")
    );
}

/// Values an administrator's data may hold that are legal for `check`'s readers but hard for
/// the stages after it: slashes, dots, letters of other scripts, long ids, direction marks.
const ODD_VALUES: &[&str] = &[
    "a/b",
    "..",
    "../x",
    "ПК/12",
    "Ёлка ёж",
    "ΑΒΓ-1",
    "x\u{202E}y",
    "<b>&amp;",
    "\"q\"",
    "CON",
    "nul.txt",
    "  ",
    "0",
    "-1",
    "99999",
    "01.01.2025",
    "31.12.9999",
    "зачтено",
    "5",
    "#",
    "a\\b",
    "名前",
];

/// Replaces one cell of a CSV line (the file's own separator) with `v`.
fn replace_cell(text: &str, sep: char, line: usize, col: usize, v: &str) -> String {
    let mut out = String::new();
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i != line {
            out.push_str(l);
            continue;
        }
        let (body, end) = match l.strip_suffix("\r\n") {
            Some(b) => (b, "\r\n"),
            None => match l.strip_suffix('\n') {
                Some(b) => (b, "\n"),
                None => (l, ""),
            },
        };
        let mut cells: Vec<String> = body.split(sep).map(str::to_string).collect();
        let c = col % cells.len();
        cells[c] = if v.contains(sep) || v.contains('"') {
            format!("\"{}\"", v.replace('"', "\"\""))
        } else {
            v.to_string()
        };
        out.push_str(&cells.join(&sep.to_string()));
        out.push_str(end);
    }
    out
}

/// `check` answers for `build`: every fuzzed folder that `check` passes builds with
/// `build --draft`, and its table adds up.
#[test]
fn every_folder_check_passes_also_builds() {
    let mut rng = Rng(0xB01D_2026);
    let files: Vec<String> = std::fs::read_dir(good())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".csv"))
        .collect();
    let mut long = "Л".repeat(300);
    long.push_str("-1");
    let mut built = 0;
    for round in 0..120 {
        let dir = copy_good();
        // One to three cells of the folder's CSV files changed.
        for _ in 0..1 + rng.below(3) {
            let name = &files[rng.below(files.len())];
            let path = dir.path().join(name);
            let text = std::fs::read_to_string(&path).unwrap();
            let sep = [';', '\t', ',']
                .into_iter()
                .find(|s| text.lines().next().unwrap_or("").contains(*s))
                .unwrap_or(',');
            let lines = text.lines().count().max(2);
            let v = if rng.below(8) == 0 {
                long.as_str()
            } else {
                ODD_VALUES[rng.below(ODD_VALUES.len())]
            };
            // Half the time the first column: the record's id.
            let col = if rng.below(2) == 0 { 0 } else { rng.below(9) };
            let changed = replace_cell(&text, sep, 1 + rng.below(lines - 1), col, v);
            std::fs::write(&path, changed).unwrap();
        }
        let (p, diags) = letopis::ingest::load(dir.path()).unwrap();
        assert_period_tally(&p);
        if diags.iter().any(|d| d.is_error()) {
            continue;
        }
        built += 1;
        let out = tempfile::tempdir().unwrap();
        let o = common::cli::command()
            .arg("build")
            .arg(dir.path())
            .arg("--draft")
            .arg("--quiet")
            .arg("--out")
            .arg(out.path())
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "round {round}: check passed but build failed\n{}{}\nfolder: {:?}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr),
            files
                .iter()
                .map(|f| std::fs::read_to_string(dir.path().join(f)).unwrap())
                .collect::<Vec<_>>()
                .join("\n---\n")
        );
    }
    eprintln!("{built} of 120 fuzzed folders passed check and were built");
    assert!(built >= 10, "only {built} folders passed check");
}

/// Runs `check` and fails the test if it has not finished in 20 s (the goal is well under 2 s in
/// a release build; see the figures in the issue's note): a hang is killed, not waited for.
fn check_bounded(dir: &Path) -> (i32, String) {
    let mut child = common::cli::command()
        .arg("check")
        .arg(dir)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut s).unwrap();
        s
    });
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let out = reader.join().unwrap();
            return (status.code().unwrap_or(-1), out);
        }
        if start.elapsed() > std::time::Duration::from_secs(20) {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("check did not finish in 20 s");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

fn has_line(out: &str, line: &str) {
    assert!(
        out.lines().any(|l| l == line),
        "missing line\n{line}\nin\n{out}"
    );
}

/// Pipes (also one named like a record file) and symbolic link loops are reported, never opened.
#[cfg(unix)]
#[test]
fn pipes_and_link_loops_are_reported_not_opened() {
    let dir = copy_good();
    for name in ["fifo.csv", "orders.csv"] {
        let p = dir.path().join(name);
        let _ = std::fs::remove_file(&p);
        let c = std::ffi::CString::new(p.to_str().unwrap()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    }
    std::os::unix::fs::symlink("loop-b", dir.path().join("loop-a")).unwrap();
    std::os::unix::fs::symlink("loop-a", dir.path().join("loop-b")).unwrap();
    let (code, out) = check_bounded(dir.path());
    assert_eq!(code, 1, "{out}");
    has_line(
        &out,
        "orders.csv: ошибка: это не обычный файл, а именованный канал (FIFO): он не читается и в архив не попадает",
    );
    has_line(
        &out,
        "fifo.csv: ошибка: это не обычный файл, а именованный канал (FIFO): он не читается и в архив не попадает",
    );
    has_line(
        &out,
        "loop-a: ошибка: символическая ссылка ведёт по кругу (ссылается сама на себя через другие ссылки)",
    );
}

/// YAML nested 100,000 levels deep, a header of a million columns, a workbook that inflates to
/// 300 MiB: each one error, quickly, and the rest of the folder still checked.
#[test]
fn huge_inputs_give_one_error_each() {
    let dir = copy_good();
    std::fs::write(
        dir.path().join("awards.yaml"),
        "[".repeat(100_000) + &"]".repeat(100_000),
    )
    .unwrap();
    let wide: Vec<String> = (0..1_000_000).map(|i| format!("c{i}")).collect();
    std::fs::write(dir.path().join("wide.csv"), wide.join(";") + "\n1;2\n").unwrap();
    let mut learners = (0..1_000_000)
        .map(|i| format!("c{i}"))
        .collect::<Vec<_>>()
        .join(",");
    learners.push('\n');
    std::fs::write(dir.path().join("portfolio.csv"), learners).unwrap();
    std::fs::remove_file(dir.path().join("portfolio.yaml")).unwrap();
    std::fs::copy(
        good().join("../../exports/bomb.xlsx"),
        dir.path().join("bomb.xlsx"),
    )
    .unwrap();
    let (code, out) = check_bounded(dir.path());
    assert_eq!(code, 1, "{out}");
    has_line(
        &out,
        "awards.yaml:1:65: ошибка: вложенность глубже 64 уровней: файл не читается",
    );
    has_line(
        &out,
        "wide.csv:1: ошибка: в строке 1000000 полей, больше 10000: файл не читается как таблица",
    );
    has_line(
        &out,
        "portfolio.csv:1: ошибка: в строке 1000000 полей, больше 10000: файл не читается как таблица",
    );
    has_line(
        &out,
        "bomb.xlsx: ошибка: книга Excel не читается: распакованный файл занял бы больше 256 МиБ (314590969 байт и более): так велики выгрузки не бывают (the file inflates to over 256 MiB)",
    );
    assert!(out.len() < 20_000, "{} bytes of output", out.len());
    // The rest is still read and counted.
    assert!(
        out.lines().any(|l| l.split_whitespace().collect::<Vec<_>>()
            == ["learners.csv", "слушатели", "utf-8", ";", "3", "3", "0"]),
        "{out}"
    );
}

/// Excel's «Текст Юникод» (UTF-16 with a byte order mark, TAB-separated), KOI8-R told from
/// Windows-1251 by the detector, and a UTF-8 file with one damaged byte named at its line.
#[test]
fn encodings_are_detected_not_guessed() {
    let dir = copy_good();
    let utf16 = |text: &str, le: bool| -> Vec<u8> {
        let mut out = if le {
            vec![0xFF, 0xFE]
        } else {
            vec![0xFE, 0xFF]
        };
        for u in text.encode_utf16() {
            out.extend(if le { u.to_le_bytes() } else { u.to_be_bytes() });
        }
        out
    };
    let learners = std::fs::read_to_string(good().join("learners.csv"))
        .unwrap()
        .replace(';', "\t");
    std::fs::write(dir.path().join("learners.csv"), utf16(&learners, true)).unwrap();
    let orders = std::fs::read_to_string(good().join("orders.csv")).unwrap();
    std::fs::write(dir.path().join("orders.csv"), utf16(&orders, false)).unwrap();
    let groups = std::fs::read_to_string(good().join("groups.csv")).unwrap();
    let (koi, _, _) = encoding_rs::KOI8_R.encode(&groups);
    std::fs::write(dir.path().join("groups.csv"), &koi).unwrap();
    let (code, out) = check_bounded(dir.path());
    assert_eq!(code, 0, "{out}");
    let row = |cells: &[&str]| {
        assert!(
            out.lines()
                .any(|l| l.split_whitespace().collect::<Vec<_>>() == cells),
            "missing table row {cells:?} in\n{out}"
        )
    };
    row(&[
        "learners.csv",
        "слушатели",
        "utf-16le",
        "TAB",
        "3",
        "3",
        "0",
    ]);
    row(&["orders.csv", "приказы", "utf-16be", ",", "2", "2", "0"]);
    row(&["groups.csv", "группы", "koi8-r", ",", "2", "2", "0"]);
    let (p, _) = letopis::ingest::load(dir.path()).unwrap();
    let g = p.groups.iter().find(|g| g.id == "ПК-12").unwrap();
    assert_eq!(g.curator.as_deref(), Some("Петров П. П."));
    let l = p.learners.iter().find(|l| l.id == "ЛД-001").unwrap();
    assert_eq!(l.full_name(), "Ёлкина Анна Сергеевна");

    // One damaged byte in a UTF-8 file: an error at its line, not the file re-read as cp1251.
    let dir = copy_good();
    let orders = orders.replace("Об окончании", "Об оконч\u{0}нии");
    let mut bytes = orders.into_bytes();
    let nul = bytes.iter().position(|&b| b == 0).unwrap();
    bytes[nul] = 0xE0;
    std::fs::write(dir.path().join("orders.csv"), bytes).unwrap();
    let (code, out) = check_bounded(dir.path());
    assert_eq!(code, 1, "{out}");
    has_line(
        &out,
        "orders.csv:3: ошибка: файл в кодировке UTF-8, но байтов не в UTF-8 в нём: 1; первый — в позиции 62 строки 3: текст в этом месте испорчен, файл не читается",
    );
}
