//! Interrupted runs clean up after themselves: folders registered here (the staging folders on the
//! media, where `build` also renders its pages) are removed when the process gets SIGINT, SIGTERM
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
        // Writers on other threads may still be adding files, or making a folder again, for a
        // moment: removed until two passes 50 ms apart find nothing left (at most about 2 s).
        let mut clean_passes = 0;
        for _ in 0..40 {
            let mut found = false;
            for p in &paths {
                match std::fs::remove_dir_all(p) {
                    Ok(()) => found = true,
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(_) => found = true,
                }
            }
            clean_passes = if found { 0 } else { clean_passes + 1 };
            if clean_passes == 2 {
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

/// Makes a folder and registers it in one step: a signal arriving while the folder is being made
/// waits (the handler takes the same lock) and then finds it registered, so no moment leaves an
/// unregistered folder behind.
pub fn make_registered<T, E>(
    make: impl FnOnce() -> Result<T, E>,
    path: impl Fn(&T) -> &Path,
) -> Result<(T, Guard), E> {
    install();
    let mut list = PATHS.lock().unwrap_or_else(|p| p.into_inner());
    let made = make()?;
    let p = path(&made).to_path_buf();
    list.push(p.clone());
    Ok((made, Guard(p)))
}

pub fn remove_on_signal(path: &Path) -> Guard {
    install();
    if let Ok(mut p) = PATHS.lock() {
        p.push(path.to_path_buf());
    }
    Guard(path.to_path_buf())
}
