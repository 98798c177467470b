use std::process::ExitCode;

fn main() -> ExitCode {
    limit_malloc_arenas();
    // Exit codes are 0 (done), 1 (the data or the archive has problems), 2 (usage or I/O).
    let code = letopis::cmd::main_with_args(std::env::args_os().collect());
    // A command that failed because a signal's cleanup removed its folders: the handler ends the
    // process (code 130) once the cleanup is done.
    letopis::media::interrupt::wait_if_interrupted();
    ExitCode::from(u8::try_from(code).unwrap_or(2))
}

/// glibc gives each thread that allocates its own heap ("arena", up to eight per core), and
/// memory freed in one is not reused by another: one arena per core holds the same work in less
/// memory (a 20,000-learner build: peak 442 -> 409 MB) at no measurable cost in time.
/// `MALLOC_ARENA_MAX` in the environment still decides when it is set.
fn limit_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let arenas = libc::c_int::try_from(cores).unwrap_or(libc::c_int::MAX);
        // SAFETY: called first thing in main, before any other thread exists.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, arenas);
        }
    }
}
