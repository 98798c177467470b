//! The real `letopis` binary run in a folder, for end-to-end tests.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

/// The environment variable that makes the binary skip folder and file-system flushes and cache
/// drops (`layout::fsio::SKIP_SYNC_ENV`).
pub const SKIP_SYNC: &str = "LETOPIS_TEST_SKIP_SYNC";

/// `letopis` as a command, with the flushes skipped: what every test that does not test
/// durability runs. A flush waits for every other process's writes on the same file system, so on a
/// busy machine it, not the work, dominated the suite's time.
pub fn command() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_letopis"));
    c.env(SKIP_SYNC, "1");
    c
}

/// `letopis` as a command that flushes and reads back from the device, as users run it: for the
/// tests of the media stage's durability.
pub fn durable_command() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_letopis"));
    c.env_remove(SKIP_SYNC);
    c
}

/// Runs `letopis args` in `cwd`.
pub fn letopis(args: &[&str], cwd: &Path) -> Output {
    command()
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("run letopis")
}

/// Standard output and standard error as text.
pub fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// Standard output of a run that must have succeeded (else the test fails showing both outputs).
pub fn ok(o: &Output) -> String {
    let (out, err) = text(o);
    assert!(
        o.status.success(),
        "exit {:?}\n{out}\n{err}",
        o.status.code()
    );
    out
}

/// `letopis build input --out m...` in `root` (quiet; `--draft` when there is one medium).
pub fn build(root: &Path, input: &Path, media: &[&str]) {
    let mut args = vec!["build", input.to_str().expect("UTF-8 path"), "-q"];
    for m in media {
        args.push("--out");
        args.push(m);
    }
    if media.len() == 1 {
        args.push("--draft");
    }
    ok(&letopis(&args, root));
}
