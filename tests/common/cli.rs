//! The real `letopis` binary run in a folder, for end-to-end tests.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

/// Runs `letopis args` in `cwd`.
pub fn letopis(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_letopis"))
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
