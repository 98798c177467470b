//! A fixture folder for one test: a temporary folder holding an input (the bundled sample, or
//! nothing) with an overlay of files written, edited or removed by the test; the real binary is run
//! in it and each [`Run`] is asserted on.
#![allow(dead_code)]

use super::cli;
use std::fs;
use std::path::{Path, PathBuf};

/// The name of the input folder inside a fixture.
pub const INPUT: &str = "input";

/// A temporary folder with an input folder `input/` in it, removed when dropped.
pub struct Fixture {
    tmp: tempfile::TempDir,
}

impl Fixture {
    /// An empty input folder.
    pub fn empty() -> Fixture {
        let tmp = tempfile::tempdir().expect("temporary folder");
        fs::create_dir_all(tmp.path().join(INPUT)).expect("input folder");
        Fixture { tmp }
    }

    /// A copy of the bundled `sample-data/` as the input folder.
    pub fn sample() -> Fixture {
        let f = Fixture::empty();
        copy_dir(&super::sample::sample(), &f.input());
        f
    }

    /// The fixture's own folder (the runs' working folder; media are written here).
    pub fn root(&self) -> &Path {
        self.tmp.path()
    }

    /// The input folder.
    pub fn input(&self) -> PathBuf {
        self.root().join(INPUT)
    }

    /// A path inside the input folder.
    pub fn file(&self, rel: &str) -> PathBuf {
        self.input().join(rel)
    }

    /// Writes `contents` to `rel` in the input folder (folders made as needed).
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> &Fixture {
        let path = self.file(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("folder");
        }
        fs::write(&path, contents).expect("write fixture file");
        self
    }

    /// Replaces `from` by `to` in the text file `rel`; the test fails when `from` is not there, so
    /// an edit cannot silently stop applying when the sample changes.
    pub fn edit(&self, rel: &str, from: &str, to: &str) -> &Fixture {
        let path = self.file(rel);
        let text = fs::read_to_string(&path).expect("read fixture file");
        assert!(text.contains(from), "{rel} has no «{from}»");
        fs::write(&path, text.replacen(from, to, 1)).expect("write fixture file");
        self
    }

    /// Removes the file `rel` from the input folder.
    pub fn remove(&self, rel: &str) -> &Fixture {
        fs::remove_file(self.file(rel)).expect("remove fixture file");
        self
    }

    /// Runs `letopis args` in the fixture's folder (`input` names the input folder there).
    pub fn run(&self, args: &[&str]) -> Run {
        Run::from(cli::letopis(args, self.root()))
    }

    /// `letopis check input`.
    pub fn check(&self) -> Run {
        self.run(&["check", INPUT])
    }
}

/// One run of the binary: its exit code and what it printed.
#[derive(Debug)]
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl From<std::process::Output> for Run {
    fn from(o: std::process::Output) -> Run {
        let (stdout, stderr) = cli::text(&o);
        Run {
            code: o.status.code(),
            stdout,
            stderr,
        }
    }
}

impl Run {
    /// The run must have exited with `code`; else the test fails showing both outputs.
    #[track_caller]
    pub fn code(&self, code: i32) -> &Run {
        assert_eq!(
            self.code,
            Some(code),
            "exit {:?}, expected {code}\n--- stdout\n{}\n--- stderr\n{}",
            self.code,
            self.stdout,
            self.stderr
        );
        self
    }

    /// The run must have succeeded.
    #[track_caller]
    pub fn ok(&self) -> &Run {
        self.code(0)
    }

    /// Standard output or standard error must contain `text` (`check` prints its report, errors
    /// included, on standard output; other commands print errors on standard error).
    #[track_caller]
    pub fn has(&self, text: &str) -> &Run {
        assert!(
            self.stdout.contains(text) || self.stderr.contains(text),
            "no «{text}» in the output:\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout,
            self.stderr
        );
        self
    }

    /// Both outputs with the fixture's temporary path replaced by `[TMP]`, for snapshots.
    pub fn transcript(&self, fixture: &Fixture) -> String {
        let root = fixture.root().display().to_string();
        format!(
            "exit: {:?}\n--- stdout\n{}--- stderr\n{}",
            self.code,
            self.stdout.replace(&root, "[TMP]"),
            self.stderr.replace(&root, "[TMP]")
        )
    }
}

/// Copies the folder `from` to `to`, recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = e.path().strip_prefix(from).expect("inside");
        let target = to.join(rel);
        if e.file_type().is_dir() {
            fs::create_dir_all(&target).expect("mkdir");
        } else {
            fs::copy(e.path(), &target).expect("copy");
        }
    }
}
