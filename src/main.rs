use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = letopis::cmd::Cli::parse();
    // Exit codes are 0 (done), 1 (the data or the archive has problems), 2 (usage or I/O).
    let code = letopis::cmd::run(cli);
    ExitCode::from(u8::try_from(code).unwrap_or(2))
}
