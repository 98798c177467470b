//! Interrupted runs clean up after themselves: folders registered here (a build's work folder in
//! `TMPDIR`, the staging folders on the media) are removed when the process gets SIGINT, SIGTERM
//! or SIGHUP (Ctrl+C or Ctrl+Break on Windows), then it exits with code 130. The crate `ctrlc`
//! runs the handler on a thread of its own, so removing folders there is safe (a plain signal
//! handler may not allocate). A SIGKILL cannot be caught: the next build removes its staging folder.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

static PATHS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
static INSTALLED: AtomicBool = AtomicBool::new(false);
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Whether a signal arrived (long loops stop early).
pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::Relaxed)
}

/// When a signal arrived, waits for its handler to finish the cleanup and end the process.
pub fn wait_if_interrupted() {
    if interrupted() {
        loop {
            std::thread::park();
        }
    }
}

/// Installs the handler once per process.
pub fn install() {
    if INSTALLED.swap(true, Ordering::SeqCst) {
        return;
    }
    let _ = ctrlc::set_handler(|| {
        INTERRUPTED.store(true, Ordering::SeqCst);
        let paths: Vec<PathBuf> = PATHS.lock().map(|p| p.clone()).unwrap_or_default();
        // Writers may still be adding files for a moment: a few tries.
        for _ in 0..20 {
            let mut left = false;
            for p in &paths {
                match std::fs::remove_dir_all(p) {
                    Ok(()) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(_) => left = true,
                }
            }
            if !left {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        eprintln!(
            "letopis: прервано; незавершённые папки удалены / interrupted; unfinished folders removed"
        );
        std::process::exit(130);
    });
}

/// Removes `path` if a signal arrives while the guard lives.
pub struct Guard(PathBuf);

impl Drop for Guard {
    fn drop(&mut self) {
        if let Ok(mut p) = PATHS.lock()
            && let Some(i) = p.iter().position(|x| *x == self.0)
        {
            p.remove(i);
        }
    }
}

pub fn remove_on_signal(path: &Path) -> Guard {
    install();
    if let Ok(mut p) = PATHS.lock() {
        p.push(path.to_path_buf());
    }
    Guard(path.to_path_buf())
}
