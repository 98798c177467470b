use clap::Parser;

fn main() {
    let cli = letopis::cmd::Cli::parse();
    std::process::exit(letopis::cmd::run(cli));
}
