use clap::Parser;

fn main() {
    let cli = letopis::cmd::Cli::parse();
    let code = letopis::cmd::run(cli);
    // A command that failed because a signal's cleanup removed its folders: the handler ends the
    // process (code 130) once the cleanup is done.
    letopis::media::interrupt::wait_if_interrupted();
    std::process::exit(code);
}
