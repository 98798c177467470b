fn main() {
    let cli = letopis::cmd::args::parse();
    std::process::exit(letopis::cmd::run(cli));
}
