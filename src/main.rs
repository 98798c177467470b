use std::process::ExitCode;

fn main() -> ExitCode {
    // Exit codes are 0 (done), 1 (the data or the archive has problems), 2 (usage or I/O).
    let code = letopis::cmd::main_with_args(std::env::args_os().collect());
    // A command that failed because a signal's cleanup removed its folders: the handler ends the
    // process (code 130) once the cleanup is done.
    letopis::media::interrupt::wait_if_interrupted();
    ExitCode::from(u8::try_from(code).unwrap_or(2))
}
